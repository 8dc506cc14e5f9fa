import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { HttpError, hostOf, send, type HttpAnswer } from '../http/send.js';
import { storageError } from './storage.js';
import { requestTimeoutMs, withRetry, type RetryPolicy } from '../http/retry.js';
import { progressLines } from './progress.js';

export interface PutOptions {
  /** Where to PUT: a pre-signed storage URL (a credential, masked by the caller). */
  url: string;
  file: string;
  bytes: number;
  contentType: string;
  retry: RetryPolicy;
  /** Who handed out the URL, for the hint: "Segmind", "fal". */
  provider: string;
  /** Headers the URL needs besides Content-Type and Content-Length. */
  headers?: Record<string, string>;
  /** Where in the file the bytes start (one part of a multipart upload); 0 by default. */
  start?: number;
  /** No progress lines (a part of a multipart upload, whose caller says how far it is). */
  quiet?: boolean;
}

/**
 * PUTs a file to a storage URL, streamed from disk with its Content-Length (storage hosts refuse
 * chunked uploads), without any provider key (the storage host is not the provider), retried
 * with a fresh stream on network errors and 5xx. Progress is logged every quarter. Returns the
 * storage host's answer (an ETag, for a multipart part).
 */
export async function putFile(options: PutOptions): Promise<HttpAnswer> {
  // The budget counts from the first attempt, and one attempt of a 100 MB upload on a slow link
  // can take minutes by itself: a failure then still deserves its retries.
  const { retry } = options;
  const policy: RetryPolicy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
  const host = hostOf(options.url);
  return withRetry(
    `Upload to ${host}`,
    policy,
    () => putOnce(options, host, requestTimeoutMs(120_000, retry)),
    (error) => ({
      retryable: error instanceof HttpError && error.transient,
      retryAfterMs: error instanceof HttpError ? error.retryAfterMs : undefined,
      error,
    }),
  );
}

async function putOnce(options: PutOptions, host: string, timeoutMs: number): Promise<HttpAnswer> {
  const { url, file, bytes } = options;
  const what = `Upload of the dataset ZIP to ${host}`;
  const answer = await send({
    what,
    method: 'PUT',
    url,
    headers: {
      ...options.headers,
      'Content-Type': options.contentType,
      'Content-Length': String(bytes),
    },
    // A fresh stream each attempt. pipeline, not pipe: a read error then ends the body instead of
    // crashing the process, and destroying the body closes the file too (an open handle would
    // keep the ZIP on Windows).
    body: () =>
      pipeline(
        createReadStream(file, {
          highWaterMark: 1024 * 1024,
          start: options.start ?? 0,
          end: (options.start ?? 0) + bytes - 1,
        }),
        progressLogger(options.quiet ? 0 : bytes),
        () => undefined,
      ),
    timeoutMs,
    maxBodyBytes: 1024 * 1024,
    peer: 'the storage host',
  });
  const status = answer.status;
  if (status >= 200 && status < 300) return answer;
  const hint =
    status === 403
      ? 'The pre-signed upload URL was refused (expired or not matching the upload). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
      : status === 411 || status === 501
        ? 'The storage host wants a plain upload with a Content-Length; a proxy between the runner and it may be changing the request.'
        : `Re-run the job; if it persists, contact ${options.provider} support.`;
  throw storageError(what, answer, answer.body.toString('utf8'), url, hint);
}

/** Logs upload progress every quarter, so a slow upload is visibly alive. */
function progressLogger(total: number): Transform {
  let sent = 0;
  const report = progressLines('Uploading', total);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      report(sent);
      callback(null, chunk);
    },
  });
}
