import * as core from '@actions/core';
import type { Config } from './inputs.js';
import type { Report } from './report.js';
import type { SegmindClient } from './segmind-client.js';
import { checkRecord, waitForStatus } from './wait.js';

/** `command: status`: the job's record, optionally waiting for a status. */
export async function status(config: Config, report: Report, client: SegmindClient): Promise<void> {
  report.setFinetuneId(config.finetuneId);
  const record = await client.details(config.finetuneId);
  report.setRecord(record);
  if (typeof record.name === 'string') report.setJobName(record.name);
  checkRecord(config.finetuneId, record);
  core.info(`Fine-tune ${config.finetuneId}: ${String(record.status ?? 'no status')}`);
  if (config.waitFor !== 'none') {
    await waitForStatus(client, config.finetuneId, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onRecord: (r) => report.setRecord(r),
    });
  }
}

/** `command: list`: every fine-tune of the account, as the `finetunes` output and a table. */
export async function list(report: Report, client: SegmindClient): Promise<void> {
  const finetunes = await client.list();
  report.finetunes = finetunes;
  report.output('finetunes', JSON.stringify(finetunes));
  core.info(`${finetunes.length} fine-tune(s) on this account.`);
}

/** `command: set-access`: makes the model public or private. */
export async function setAccess(
  config: Config,
  report: Report,
  client: SegmindClient,
): Promise<void> {
  report.setFinetuneId(config.finetuneId);
  await client.setAccess(config.finetuneId, config.settings.isPublic);
  core.info(
    `Fine-tune ${config.finetuneId} is now ${config.settings.isPublic ? 'public' : 'private'} on Segmind.`,
  );
  const record = await client.details(config.finetuneId);
  report.setRecord(record);
}
