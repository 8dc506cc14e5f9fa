/** What a job says about itself, for every provider: whether it failed, and adopting it. */
import * as log from '../shared/log.js';
import { ActionError } from '../shared/errors.js';
import type { Report } from '../report/report.js';
import type { Job } from '../providers/provider.js';

/** Throws when the job failed or was cancelled, with the provider's message. */
export function checkJob(label: string, job: Job): void {
  if (job.stage !== 'failed' && job.stage !== 'cancelled' && !job.error) return;
  const status = job.status || 'unknown';
  if (job.stage === 'cancelled') {
    throw new ActionError(
      `Fine-tune ${job.id} was cancelled at ${label} (status ${status})${job.error ? `: ${job.error}` : ''}.`,
      'It was stopped (with `command: cancel`, or on the provider’s site) before its weights existed. A new run with the same dataset and settings trains it anew.',
    );
  }
  throw new ActionError(
    `Fine-tune ${job.id} failed at ${label} (status ${status}): ${job.error ?? 'no error message given'}`,
    'Check the dataset and settings against the message; a new run with a fixed dataset or changed settings trains a new job.',
  );
}

/**
 * The error for a job with nothing to download. `what` names it with what is missing ("fal request
 * x has no LoRA file"); `whenReady` is the hint for a finished job whose output names no file.
 */
export function nothingToDownload(what: string, job: Job, whenReady: string): ActionError {
  const status = `${job.status || 'unknown'}${job.error ? `: ${job.error}` : ''}`;
  return new ActionError(
    `${what} to download (status ${status}).`,
    job.stage === 'queued' || job.stage === 'training'
      ? 'It is still training. Wait for it in the same step with `wait-for: TRAINING_COMPLETED` (or AVAILABLE), or run `command: download` later.'
      : job.stage === 'ready'
        ? whenReady
        : 'A training that failed or was cancelled has no weights; a new run with the same dataset and settings trains it anew.',
  );
}

/** A job is adopted instead of training again: its outputs are this run's. */
export function adopt(report: Report, job: Job, name: string): void {
  report.setFinetuneId(job.id);
  report.setReused(true);
  report.setJob(job);
  log.info(
    `Reusing fine-tune ${job.id} (${job.name ?? name}, ${job.status || 'unknown status'}): the same dataset and settings were already submitted. Nothing was uploaded or submitted.`,
  );
}
