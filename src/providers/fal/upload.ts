/**
 * The dataset ZIP into fal's storage: `initiate` hands out a signed upload URL (a credential)
 * and the file's URL; the bytes go to the upload URL without fal's key (the storage host is not
 * fal's API). Above 90 MiB fal's clients upload in parts of 10 MiB, and so does this.
 */
import * as log from '../../shared/log.js';
import { callApi } from '../../http/api.js';
import { excerpt, HttpError, parseJson, type HttpAnswer } from '../../http/send.js';
import type { RetryPolicy } from '../../http/retry.js';
import { isObject } from '../../shared/json.js';
import { maskUrlSignature, registerSecret } from '../../shared/secrets.js';
import { storageError, withFreshLinkOn403 } from '../../transfer/storage.js';
import { putFile } from '../../transfer/upload.js';
import { formatMb } from '../../shared/format.js';
import type { FalClient } from './client.js';

/** fal's clients switch to a multipart upload above this size. */
const MULTIPART_THRESHOLD = 90 * 1024 * 1024;
/** The size of each part but the last. */
const PART_BYTES = 10 * 1024 * 1024;

export async function uploadToFal(
  client: FalClient,
  zip: { path: string; bytes: number; fileName: string },
  retry: RetryPolicy,
  /** fal's sizes; a test passes smaller ones to exercise the multipart upload. */
  sizes = { threshold: MULTIPART_THRESHOLD, part: PART_BYTES },
): Promise<string> {
  const multipart = zip.bytes > sizes.threshold;
  let fileUrl = '';
  await withFreshLinkOn403(
    async () => {
      const place = await client.initiateUpload(zip.fileName, 'application/zip', multipart);
      // The upload URL is a credential, its query above all (a part's URL carries the same).
      maskUrlSignature(place.uploadUrl, true);
      const query = place.uploadUrl.split('#')[0]!.split('?')[1];
      if (query) registerSecret(query);
      fileUrl = place.fileUrl;
      return place.uploadUrl;
    },
    (uploadUrl) =>
      multipart
        ? uploadParts(uploadUrl, zip, retry, sizes.part)
        : putFile({
            url: uploadUrl,
            file: zip.path,
            bytes: zip.bytes,
            contentType: 'application/zip',
            retry,
            provider: 'fal',
          }).then(() => undefined),
    'upload URL',
    'Check that the runner clock is right and that no proxy rewrites the upload; if both are fine, contact fal support.',
    'fal',
  );
  log.info(`Uploaded ${formatMb(zip.bytes)} to ${fileUrl}`);
  return fileUrl;
}

/**
 * The parts in order, each `PUT <upload URL path>/<n>` with the URL's query, answered with its
 * ETag; then `POST <upload URL path>/complete` with the list. Each part is retried on its own.
 */
async function uploadParts(
  uploadUrl: string,
  zip: { path: string; bytes: number },
  retry: RetryPolicy,
  partBytes: number,
): Promise<void> {
  const url = new URL(uploadUrl);
  const at = (suffix: string) => `${url.origin}${url.pathname}/${suffix}${url.search}`;
  const count = Math.ceil(zip.bytes / partBytes);
  const parts: { partNumber: number; etag: string }[] = [];
  for (let n = 1; n <= count; n++) {
    const start = (n - 1) * partBytes;
    const bytes = Math.min(partBytes, zip.bytes - start);
    const answer = await putFile({
      url: at(String(n)),
      file: zip.path,
      start,
      bytes,
      contentType: 'application/zip',
      retry,
      provider: 'fal',
      quiet: true,
    });
    parts.push({ partNumber: n, etag: partEtag(answer, n) });
    log.info(
      `Uploading: part ${n} of ${count} (${formatMb(start + bytes)} of ${formatMb(zip.bytes)})`,
    );
  }
  const what = `Completing the upload at ${url.host}`;
  await callApi(
    {
      what,
      method: 'POST',
      url: at('complete'),
      headers: {},
      json: { parts },
      peer: 'the storage host',
      maxBodyBytes: 1024 * 1024,
    },
    retry,
    () => undefined,
    (answer) =>
      storageError(
        what,
        answer,
        answer.body.toString('utf8'),
        at('complete'),
        'Re-run the job; if it persists, contact fal support.',
      ),
  );
}

/** A part's ETag: from its JSON answer (`{partNumber, etag}`), else from its ETag header. */
function partEtag(answer: HttpAnswer, n: number): string {
  const value = parseJson(answer.body);
  const fromBody = isObject(value) && typeof value.etag === 'string' ? value.etag : undefined;
  const header = answer.headers.etag;
  const etag = fromBody ?? (Array.isArray(header) ? header[0] : header);
  if (!etag) {
    throw new HttpError({
      what: `Upload of part ${n} of the dataset ZIP`,
      status: answer.status,
      transient: false,
      serverMessage: `an answer with no etag (${excerpt(answer.body)})`,
      hint: 'The storage host did not say how it stored the part, so the upload cannot be completed. Re-run the job; if it persists, contact fal support.',
    });
  }
  return etag;
}
