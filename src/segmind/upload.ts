import * as log from '../shared/log.js';
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { HttpError, hostOf, send } from '../http/send.js';
import { storageError, withFreshLinkOn403 } from './storage.js';
import { maskUrlSignature } from '../shared/secrets.js';
import { requestTimeoutMs, withRetry, type RetryPolicy } from '../http/retry.js';
import type { SegmindClient } from './client.js';
import { formatMb } from '../shared/format.js';

/**
 * Uploads the ZIP through a pre-signed URL and returns the `s3_url` to train from. The PUT is
 * streamed from disk with its Content-Length (storage hosts refuse chunked uploads), carries no
 * Segmind API key (the storage host is not Segmind), and is retried with a fresh stream on
 * network errors and 5xx. A 403 means the signature expired or does not match: one new URL is
 * fetched, then the step fails.
 */
export async function uploadZip(
  client: SegmindClient,
  fileName: string,
  zipPath: string,
  zipBytes: number,
  retry: RetryPolicy,
): Promise<string> {
  // The budget counts from the first attempt, and one attempt of a 100 MB upload on a slow link
  // can take minutes by itself: a failure then still deserves its retries.
  const policy: RetryPolicy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
  let s3Url = '';
  await withFreshLinkOn403(
    async () => {
      const presigned = await client.presign(fileName);
      // A pre-signed URL is a credential: anyone holding it can write the upload until it expires.
      maskUrlSignature(presigned.presignedUrl, true);
      s3Url = presigned.s3Url;
      return presigned.presignedUrl;
    },
    (presignedUrl) => {
      const host = hostOf(presignedUrl);
      return withRetry(
        `Upload to ${host}`,
        policy,
        () => putOnce(presignedUrl, host, zipPath, zipBytes, requestTimeoutMs(120_000, retry)),
        (error) => ({
          retryable: error instanceof HttpError && error.transient,
          retryAfterMs: error instanceof HttpError ? error.retryAfterMs : undefined,
          error,
        }),
      );
    },
    'pre-signed URL',
    'Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the upload (its Content-Type or query string); if both are fine, contact Segmind support.',
  );
  log.info(`Uploaded ${formatMb(zipBytes)} to ${s3Url}`);
  return s3Url;
}

async function putOnce(
  url: string,
  host: string,
  zipPath: string,
  zipBytes: number,
  timeoutMs: number,
): Promise<void> {
  const what = `Upload of the dataset ZIP to ${host}`;
  const answer = await send({
    what,
    method: 'PUT',
    url,
    headers: { 'Content-Type': 'application/zip', 'Content-Length': String(zipBytes) },
    // A fresh stream each attempt. pipeline, not pipe: a read error then ends the body instead of
    // crashing the process, and destroying the body closes the file too (an open handle would
    // keep the ZIP on Windows).
    body: () =>
      pipeline(
        createReadStream(zipPath, { highWaterMark: 1024 * 1024 }),
        progressLogger(zipBytes),
        () => undefined,
      ),
    timeoutMs,
    maxBodyBytes: 1024 * 1024,
    peer: 'the storage host',
  });
  const status = answer.status;
  if (status >= 200 && status < 300) return;
  const hint =
    status === 403
      ? 'The pre-signed upload URL was refused (expired or not matching the upload). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
      : status === 411 || status === 501
        ? 'The storage host wants a plain upload with a Content-Length; a proxy between the runner and it may be changing the request.'
        : 'Re-run the job; if it persists, contact Segmind support.';
  throw storageError(what, answer, answer.body.toString('utf8'), url, hint);
}

/** Logs upload progress every quarter, so a slow upload is visibly alive. */
function progressLogger(total: number): Transform {
  let sent = 0;
  let nextMark = 0.25;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      while (total > 0 && sent / total >= nextMark && nextMark <= 1) {
        log.info(
          `Uploading: ${Math.round(nextMark * 100)}% (${formatMb(sent)} of ${formatMb(total)})`,
        );
        nextMark += 0.25;
      }
      callback(null, chunk);
    },
  });
}
