import * as log from '../../shared/log.js';
import { sleep } from '../../shared/cancellation.js';
import { ActionError } from '../../shared/errors.js';
import { checkRecord, STATUS_ORDER, statusRank } from './job.js';
import type { WaitFor } from '../../inputs.js';
import { HttpError } from '../../http/send.js';
import type { FinetuneRecord, SegmindClient } from './client.js';
import { duration } from '../../shared/format.js';

export interface WaitOptions {
  target: Exclude<WaitFor, 'none'>;
  timeoutMs: number;
  intervalMs: number;
  onRecord: (record: FinetuneRecord) => void;
  /** How long polling may fail in a row (network, 5xx) before the wait gives up. */
  maxOutageMs?: number;
  /**
   * Wait on, past the target status, until the record has a `cloud_storage_url` (a download
   * follows, and the URL may come a little after the status).
   */
  needsModelUrl?: boolean;
}

/**
 * Polls the job until it reaches `target` (or a later status), fails, or the time is up. A blip
 * while polling does not end a long wait: transient errors are waited through until they have
 * lasted `maxOutageMs`.
 */
export async function waitForStatus(
  client: SegmindClient,
  id: string,
  options: WaitOptions,
): Promise<FinetuneRecord> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const maxOutageMs = options.maxOutageMs ?? Math.max(10 * 60_000, options.intervalMs * 3);
  const targetRank = statusRank(options.target);
  const unknownSeen = new Set<string>();
  let lastStatus: string | undefined;
  let failingSince: number | undefined;
  let failedChecks = 0;
  let lastFailure = '';
  let modelUrlWaited = false;
  log.info(
    `Waiting up to ${duration(options.timeoutMs)} for ${id} to reach ${options.target}, checking every ${duration(options.intervalMs)}.`,
  );

  for (;;) {
    let record: FinetuneRecord | undefined;
    try {
      record = await client.details(id);
      if (failedChecks > 0) log.info(`Checking ${id} works again.`);
      failingSince = undefined;
      failedChecks = 0;
    } catch (error) {
      // A 4xx (a rejected key, an unknown id) will not get better by waiting.
      if (!(error instanceof HttpError && error.transient)) throw error;
      failingSince ??= Date.now();
      failedChecks += 1;
      lastFailure = error.message;
      if (Date.now() - failingSince >= maxOutageMs) {
        throw new ActionError(
          `Checking fine-tune ${id} has failed for ${duration(Date.now() - failingSince)}, so the wait ends; the last status seen was ${lastStatus || 'none'}. The last error: ${error.message}`,
          `${error.hint ?? ''} The job goes on at Segmind: pick it up again later with \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`.`.trim(),
        );
      }
      // Once per outage as a warning; the retries log every attempt anyway.
      if (failedChecks === 1) {
        log.warning(
          `Checking ${id} failed (${error.message}); still waiting, as long as it does not go on for ${duration(maxOutageMs)}.`,
        );
      }
    }
    if (record) {
      options.onRecord(record);
      checkRecord(id, record);
      const status = typeof record.status === 'string' ? record.status : '';
      if (status !== lastStatus) {
        log.info(`${id}: ${status || '(no status)'} after ${duration(Date.now() - started)}`);
        lastStatus = status;
      }
      const rank = statusRank(status);
      const modelUrlMissing =
        options.needsModelUrl &&
        !(typeof record.cloud_storage_url === 'string' && record.cloud_storage_url.trim());
      if (rank >= targetRank && !modelUrlMissing) return record;
      if (rank >= targetRank && !modelUrlWaited) {
        modelUrlWaited = true;
        log.info(`${id}: ${status} but no cloud_storage_url yet; waiting for it.`);
      }
      if (rank < 0 && !unknownSeen.has(status)) {
        unknownSeen.add(status);
        log.info(
          `${id}: status ${status || '(none)'} is not one of ${STATUS_ORDER.join(', ')}; waiting through it.`,
        );
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const failing =
        failedChecks > 0
          ? ` The last ${failedChecks === 1 ? 'check' : `${failedChecks} checks`} failed: ${lastFailure}`
          : '';
      throw new ActionError(
        `Timed out after ${duration(options.timeoutMs)} waiting for fine-tune ${id} to reach ${options.target}; the last status was ${lastStatus || 'unknown'}${modelUrlWaited ? ', with no cloud_storage_url to download the model from yet' : ''}.${failing}`,
        `The job goes on at Segmind. Pick it up again with a step using \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`, or raise \`wait-timeout-minutes\` (GitHub-hosted runners end a job after 6 hours: wait for a long training in a later workflow instead).`,
      );
    }
    await sleep(Math.min(options.intervalMs, left));
  }
}
