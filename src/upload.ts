import * as core from '@actions/core';
import type { HttpClient } from '@actions/http-client';
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { createHttpClient } from './http.js';
import { maskUrlSignature } from './secrets.js';
import { unlessCancelled } from './cancellation.js';
import { ActionError } from './errors.js';
import { parseRetryAfter, requestTimeoutMs, withRetry, type RetryPolicy } from './retry.js';
import {
  announceProxy,
  hostOf,
  networkErrorText,
  networkHint,
  proxyRefusal,
  proxyRefusalHint,
  type SegmindClient,
} from './segmind-client.js';
import { formatMb } from './zip.js';

/** A failed PUT to the storage host; its message never holds the pre-signed URL. */
export class UploadError extends ActionError {
  constructor(
    message: string,
    hint: string,
    readonly status: number | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(message, hint);
    this.name = 'UploadError';
  }

  get transient(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

/**
 * `text` with every trace of `url` beyond its host and path taken out: error messages of the HTTP
 * client quote the request path, and a pre-signed URL's query is its signature.
 */
export function withoutQuery(text: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text.split(url).join('<the pre-signed URL>');
  }
  const bare = `${parsed.origin}${parsed.pathname}`;
  let out = text.split(url).join(bare);
  if (parsed.search) {
    out = out.split(`${parsed.pathname}${parsed.search}`).join(parsed.pathname);
    out = out.split(parsed.search).join('');
    out = out.split(parsed.search.slice(1)).join('');
  }
  return out;
}

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
  const storage = await createHttpClient({
    allowRetries: false,
    socketTimeout: requestTimeoutMs(120_000),
  });
  for (let urlAttempt = 1; ; urlAttempt++) {
    const { presignedUrl, s3Url } = await client.presign(fileName);
    // A pre-signed URL is a credential: anyone holding it can write the upload until it expires.
    maskUrlSignature(presignedUrl, true);
    const host = hostOf(presignedUrl);
    try {
      await withRetry(
        `Upload to ${host}`,
        policy,
        () => unlessCancelled(putOnce(storage, presignedUrl, host, zipPath, zipBytes)),
        (error) => ({
          retryable: error instanceof UploadError && error.transient,
          retryAfterMs: error instanceof UploadError ? error.retryAfterMs : undefined,
          error,
        }),
      );
      core.info(`Uploaded ${formatMb(zipBytes)} to ${s3Url}`);
      return s3Url;
    } catch (error) {
      if (error instanceof UploadError && error.status === 403) {
        if (urlAttempt === 1) {
          core.info(
            `The storage host refused the pre-signed URL (${error.message.replace(/^.*answered /, '')}); asking Segmind for a new one.`,
          );
          continue;
        }
        throw new UploadError(
          `${error.message} (with a second, fresh pre-signed URL too)`,
          'The storage host refused two pre-signed URLs in a row, so this is not a stale URL. Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the upload (its Content-Type or query string); if both are fine, contact Segmind support.',
          403,
        );
      }
      throw error;
    }
  }
}

async function putOnce(
  storage: HttpClient,
  url: string,
  host: string,
  zipPath: string,
  zipBytes: number,
): Promise<void> {
  const proxy = announceProxy(url);
  // pipeline, not pipe: a read error then ends the body instead of crashing the process, and
  // destroying the body closes the file too (an open handle would keep the ZIP on Windows).
  const body = pipeline(
    createReadStream(zipPath, { highWaterMark: 1024 * 1024 }),
    progressLogger(zipBytes),
    () => undefined,
  );
  let status: number;
  let text: string;
  let retryAfter: string | string[] | undefined;
  try {
    const response = await storage.request('PUT', url, body, {
      'Content-Type': 'application/zip',
      'Content-Length': String(zipBytes),
    });
    status = response.message.statusCode ?? 0;
    retryAfter = response.message.headers['retry-after'];
    text = await response.readBody();
  } catch (error) {
    body.destroy();
    const refused = proxyRefusal(error);
    if (proxy && refused !== undefined) {
      throw new UploadError(
        `Upload of the dataset ZIP to ${host} failed: the proxy ${proxy} refused to connect (HTTP ${refused})`,
        proxyRefusalHint(refused, host),
        // undefined: worth a retry; 0: a refusal that is not the storage host's 403.
        refused >= 500 ? undefined : 0,
      );
    }
    throw new UploadError(
      `Upload of the dataset ZIP to ${host} failed: ${withoutQuery(networkErrorText(error), url)}${proxy ? ` (through the proxy ${proxy})` : ''}`,
      networkHint(host, proxy, 'the storage host'),
      undefined,
    );
  }
  if (status >= 200 && status < 300) return;
  const detail = withoutQuery(s3Message(text), url);
  const hint =
    status === 403
      ? 'The pre-signed upload URL was refused (expired or not matching the upload). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
      : status === 411 || status === 501
        ? 'The storage host wants a plain upload with a Content-Length; a proxy between the runner and it may be changing the request.'
        : 'Re-run the job; if it persists, contact Segmind support.';
  throw new UploadError(
    `Upload of the dataset ZIP to ${host} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
    hint,
    status,
    parseRetryAfter(retryAfter),
  );
}

/** Logs upload progress every quarter, so a slow upload is visibly alive. */
function progressLogger(total: number): Transform {
  let sent = 0;
  let nextMark = 0.25;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      while (total > 0 && sent / total >= nextMark && nextMark <= 1) {
        core.info(
          `Uploading: ${Math.round(nextMark * 100)}% (${formatMb(sent)} of ${formatMb(total)})`,
        );
        nextMark += 0.25;
      }
      callback(null, chunk);
    },
  });
}

/** `Code: Message` from an S3-style XML error body. */
function s3Message(text: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  if (code || message) return [code, message].filter(Boolean).join(': ');
  return text.trim().slice(0, 200);
}
