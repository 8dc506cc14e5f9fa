/**
 * What a fine-tune record says about its job: where its status stands in the documented order,
 * and whether it failed. Read by the wait, the reuse rule, the submit protocol and the commands.
 */
import { ActionError } from '../../shared/errors.js';
import type { FinetuneRecord } from './client.js';

/** The documented order of a job's statuses; DEPLOYING is another page's name for INFERENCE_QUEUED. */
export const STATUS_ORDER = [
  'REQUESTED',
  'DATA_PROCESSING',
  'TRAINING_INITIATED',
  'TRAINING_COMPLETED',
  'INFERENCE_QUEUED',
  'AVAILABLE',
] as const;

export function statusRank(status: string): number {
  const normalized =
    status.toUpperCase() === 'DEPLOYING' ? 'INFERENCE_QUEUED' : status.toUpperCase();
  return STATUS_ORDER.indexOf(normalized as (typeof STATUS_ORDER)[number]);
}

/** No failure status is documented; these are the words one would use. */
export function isFailureStatus(status: string): boolean {
  return /FAIL|ERROR|CANCEL|REJECT|ABORT/i.test(status);
}

/** Segmind's error_message when the record has one. */
export function recordError(record: FinetuneRecord): string | undefined {
  const message = record.error_message;
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

/** Throws when the record says the job failed, with Segmind's message. */
export function checkRecord(id: string, record: FinetuneRecord): void {
  const status = typeof record.status === 'string' ? record.status : 'unknown';
  const message = recordError(record);
  if (message || isFailureStatus(status)) {
    throw new ActionError(
      `Fine-tune ${id} failed at Segmind (status ${status}): ${message ?? 'no error message given'}`,
      'Check the dataset and settings against the message; a new run with a fixed dataset or changed settings trains a new job.',
    );
  }
}
