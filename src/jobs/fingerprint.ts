import { createHash } from 'node:crypto';
import type { TrainingSettings } from '../inputs.js';
import { offerOf } from '../providers/offers.js';

/**
 * sha256 over the dataset (the ZIP's hash, or the URL trained from) and every training setting,
 * as the provider lists them (its offer's fingerprintFields). The same images, captions and
 * settings give the same fingerprint, and so the same default job name: a re-run adopts the job
 * it already paid for, any change trains anew.
 */
export function fingerprint(dataset: string, settings: TrainingSettings): string {
  // Fields in a fixed order, so the fingerprint never depends on how the object was built.
  const canonical = JSON.stringify([
    dataset,
    ...offerOf(settings.provider).fingerprintFields(settings),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * `<repository name>-<first 12 hex of the fingerprint>`, kept to the characters a job name allows.
 */
export function defaultJobName(repository: string, print: string): string {
  const base =
    repository
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 87)
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'dataset';
  return `${base}-${print.slice(0, 12)}`;
}
