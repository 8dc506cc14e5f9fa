import * as log from './shared/log.js';
import type { Config } from './inputs.js';
import type { Report } from './report/report.js';
import type { RetryPolicy } from './http/retry.js';
import type { FinetuneRecord, SegmindClient } from './providers/segmind/client.js';
import { checkRecord } from './providers/segmind/job.js';
import { waitForStatus } from './providers/segmind/wait.js';

/**
 * `command: status`: the job's record, optionally waiting for a status. Outputs follow every
 * record seen, so a wait that times out or is cancelled still leaves the latest ones.
 */
export async function status(config: Config, report: Report, client: SegmindClient): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  const seen = recordSeen(report);
  if (config.waitFor !== 'none') {
    // The wait's first check is the status check: it logs the status and fails on an error.
    await waitForStatus(client, id, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onRecord: seen,
    });
    return;
  }
  const record = await client.details(id);
  seen(record);
  checkRecord(id, record);
  log.info(
    `Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''}: ${String(record.status ?? 'no status')}`,
  );
}

/** Outputs follow every record seen: its status, model URL, slug, and the job's name. */
function recordSeen(report: Report): (record: FinetuneRecord) => void {
  return (record) => {
    report.setRecord(record);
    if (typeof record.name === 'string' && record.name && record.name !== report.jobName) {
      report.setJobName(record.name);
    }
  };
}

/** `command: list`: every fine-tune of the account, as the `finetunes` output and a table. */
export async function list(report: Report, client: SegmindClient): Promise<void> {
  const finetunes = await client.list();
  report.finetunes = finetunes;
  report.output('finetunes', JSON.stringify(finetunes));
  log.info(`${finetunes.length} fine-tune(s) on this account.`);
  for (const f of finetunes) {
    const error =
      typeof f.error_message === 'string' && f.error_message ? ` (${f.error_message})` : '';
    log.info(
      `  ${String(f.finetune_id ?? f.id ?? '?')}  ${String(f.status ?? '?')}  ${String(f.name ?? '')}${error}`,
    );
  }
}

/** `command: set-access`: makes the model public or private. */
export async function setAccess(
  config: Config,
  report: Report,
  client: SegmindClient,
): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  await client.setAccess(id, config.settings.isPublic);
  log.info(`Fine-tune ${id} is now ${config.settings.isPublic ? 'public' : 'private'} on Segmind.`);
  const record = await client.details(id);
  report.setRecord(record);
  if (typeof record.name === 'string' && record.name) report.setJobName(record.name);
}

/**
 * `command: download`: the trained weights of `finetune-id`, to `download-model`. With `wait-for`
 * it first waits for the job (and its `cloud_storage_url`); without, a record that has no model
 * yet fails with its status.
 */
export async function download(
  config: Config,
  report: Report,
  client: SegmindClient,
  workspace: string,
  retry: RetryPolicy,
): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  const seen = recordSeen(report);
  let record: FinetuneRecord;
  if (config.waitFor !== 'none') {
    record = await waitForStatus(client, id, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onRecord: seen,
      needsModelUrl: true,
    });
  } else {
    record = await client.details(id);
    seen(record);
    checkRecord(id, record);
  }
  const { downloadFile } = await import('./transfer/download.js');
  const { segmindModelSource } = await import('./providers/segmind/weights.js');
  const model = await downloadFile({
    source: segmindModelSource(client, record, id),
    workspace,
    relative: config.downloadModel,
    retry,
  });
  report.setModel(model);
}
