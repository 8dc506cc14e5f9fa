/**
 * What a Segmind fine-tune record says about its job: where its status stands in the documented
 * order, and whether it failed. Read by the Segmind provider (its records as jobs, its reuse rule)
 * and its download source; the rest of the action sees only the stage it maps to.
 */
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
