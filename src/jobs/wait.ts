import * as log from '../shared/log.js';
import { sleep } from '../shared/cancellation.js';
import { ActionError } from '../shared/errors.js';
import type { WaitFor } from '../inputs.js';
import { HttpError } from '../http/send.js';
import { duration } from '../shared/format.js';
import { stageRank, type Job, type Provider } from '../providers/provider.js';
import { checkJob } from './job.js';

export interface WaitOptions {
  target: Exclude<WaitFor, 'none'>;
  timeoutMs: number;
  intervalMs: number;
  onJob: (job: Job) => void;
  /** How long polling may fail in a row (network, 5xx) before the wait gives up. */
  maxOutageMs?: number;
  /**
   * Wait on, past the target, until the job says where its weights are (a download follows, and
   * on Segmind the URL may come a little after the status).
   */
  needsWeights?: boolean;
  /** Said when the wait times out of a training this run started (Provider.rerunCaveat). */
  rerunCaveat?: string;
}

/** The stage `wait-for` names: the weights exist (TRAINING_COMPLETED), or the model serves (AVAILABLE). */
function targetStage(target: Exclude<WaitFor, 'none'>): number {
  return stageRank(target === 'AVAILABLE' ? 'ready' : 'trained');
}

/**
 * Polls the job until it reaches `target` (or a later stage), fails, or the time is up. A blip
 * while polling does not end a long wait: transient errors are waited through until they have
 * lasted `maxOutageMs`.
 */
export async function waitForJob(
  provider: Pick<Provider, 'get' | 'label' | 'targetWord' | 'knownStatuses' | 'weightsName'>,
  id: string,
  options: WaitOptions,
): Promise<Job> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const maxOutageMs = options.maxOutageMs ?? Math.max(10 * 60_000, options.intervalMs * 3);
  const targetRank = targetStage(options.target);
  const target = provider.targetWord(options.target);
  const unknownSeen = new Set<string>();
  let lastStatus: string | undefined;
  let failingSince: number | undefined;
  let failedChecks = 0;
  let lastFailure = '';
  let weightsWaited = false;
  log.info(
    `Waiting up to ${duration(options.timeoutMs)} for ${id} to reach ${target}, checking every ${duration(options.intervalMs)}.`,
  );

  for (;;) {
    let job: Job | undefined;
    try {
      job = await provider.get(id);
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
          `${error.hint ?? ''} The job goes on at ${provider.label}: pick it up again later with \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`.`.trim(),
        );
      }
      // Once per outage as a warning; the retries log every attempt anyway.
      if (failedChecks === 1) {
        log.warning(
          `Checking ${id} failed (${error.message}); still waiting, as long as it does not go on for ${duration(maxOutageMs)}.`,
        );
      }
    }
    if (job) {
      options.onJob(job);
      checkJob(provider.label, job);
      const status = job.status;
      if (status !== lastStatus) {
        log.info(`${id}: ${status || '(no status)'} after ${duration(Date.now() - started)}`);
        lastStatus = status;
      }
      const rank = stageRank(job.stage);
      const weightsMissing = options.needsWeights && !job.modelUrl;
      if (rank >= targetRank && !weightsMissing) return job;
      if (rank >= targetRank && !weightsWaited) {
        weightsWaited = true;
        log.info(`${id}: ${status} but no ${provider.weightsName} yet; waiting for it.`);
      }
      if (rank < 0 && !unknownSeen.has(status)) {
        unknownSeen.add(status);
        log.info(
          `${id}: status ${status || '(none)'} is not one of ${provider.knownStatuses.join(', ')}; waiting through it.`,
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
        `Timed out after ${duration(options.timeoutMs)} waiting for fine-tune ${id} to reach ${target}; the last status was ${lastStatus || 'unknown'}${weightsWaited ? `, with no ${provider.weightsName} to download the model from yet` : ''}.${failing}`,
        `The job goes on at ${provider.label}. Pick it up again with a step using \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`, or raise \`wait-timeout-minutes\` (GitHub-hosted runners end a job after 6 hours: wait for a long training in a later workflow instead).${options.rerunCaveat ? ` ${options.rerunCaveat}` : ''}`,
      );
    }
    await sleep(Math.min(options.intervalMs, left));
  }
}
