import * as log from '../../shared/log.js';
import { withFreshLinkOn403 } from '../../transfer/storage.js';
import { putFile } from '../../transfer/upload.js';
import { maskUrlSignature } from '../../shared/secrets.js';
import type { RetryPolicy } from '../../http/retry.js';
import type { SegmindClient } from './client.js';
import { formatMb } from '../../shared/format.js';

/**
 * Uploads the ZIP through a pre-signed URL and returns the `s3_url` to train from (see putFile
 * for the PUT itself). A 403 means the signature expired or does not match: one new URL is
 * fetched, then the step fails.
 */
export async function uploadZip(
  client: SegmindClient,
  fileName: string,
  zipPath: string,
  zipBytes: number,
  retry: RetryPolicy,
): Promise<string> {
  let s3Url = '';
  await withFreshLinkOn403(
    async () => {
      const presigned = await client.presign(fileName);
      // A pre-signed URL is a credential: anyone holding it can write the upload until it expires.
      maskUrlSignature(presigned.presignedUrl, true);
      s3Url = presigned.s3Url;
      return presigned.presignedUrl;
    },
    (presignedUrl) =>
      putFile({
        url: presignedUrl,
        file: zipPath,
        bytes: zipBytes,
        contentType: 'application/zip',
        retry,
        provider: 'Segmind',
      }),
    'pre-signed URL',
    'Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the upload (its Content-Type or query string); if both are fine, contact Segmind support.',
    'Segmind',
  );
  log.info(`Uploaded ${formatMb(zipBytes)} to ${s3Url}`);
  return s3Url;
}
