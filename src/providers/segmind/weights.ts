/**
 * Where a Segmind fine-tune's weights are: its record's `cloud_storage_url`, for which Segmind
 * hands out a pre-signed download URL (a fresh one after a 403).
 */
import { ActionError } from '../../shared/errors.js';
import type { ModelSource } from '../../transfer/download.js';
import type { FinetuneRecord, SegmindClient } from './client.js';
import { statusRank } from './job.js';

/** The record's `cloud_storage_url`, when it has one. */
function modelUrlOf(record: FinetuneRecord): string | undefined {
  const url = record.cloud_storage_url;
  return typeof url === 'string' && url.trim() !== '' ? url.trim() : undefined;
}

/** The weights of `record`, or an error saying why there are none yet. */
export function segmindModelSource(
  client: Pick<SegmindClient, 'downloadUrl'>,
  record: FinetuneRecord,
  finetuneId: string,
): ModelSource {
  const cloudStorageUrl = modelUrlOf(record);
  if (!cloudStorageUrl) {
    const status = typeof record.status === 'string' ? record.status : 'unknown';
    throw new ActionError(
      `Fine-tune ${finetuneId} has no trained model to download: its record has no cloud_storage_url (status ${status}).`,
      statusRank(status) >= statusRank('TRAINING_COMPLETED')
        ? 'The job has trained, but Segmind has not published its file yet. Run `command: download` again later, or add `wait-for: TRAINING_COMPLETED` to this step: the wait goes on until the record has a cloud_storage_url.'
        : 'A model can be downloaded once its job reaches TRAINING_COMPLETED. Wait for it in the same step with `wait-for: TRAINING_COMPLETED` (or AVAILABLE), or run `command: download` later.',
    );
  }
  return {
    provider: 'Segmind',
    refreshable: true,
    link: async () => ({ url: await client.downloadUrl(cloudStorageUrl) }),
  };
}
