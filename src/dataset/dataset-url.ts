import { HttpError, retryAfterOf, send } from '../http/send.js';
import { maskUrlSignature } from '../shared/secrets.js';
import { isTransientStatus, requestTimeoutMs, withRetry, type RetryPolicy } from '../http/retry.js';
import { formatMb } from '../shared/format.js';

export interface PublicZip {
  bytes: number;
  /** What names this ZIP's content for the fingerprint (see identityOf). */
  identity: string;
  /**
   * When the host says the ZIP last changed (Last-Modified, ms): a training sent before then
   * cannot have trained these bytes, so reuse by URL passes it by.
   */
  modifiedAt?: number;
}

// Query parameters that sign a URL rather than name the file (S3, GCS, Azure SAS): they change
// every time the link is signed again, the file does not.
const SIGNING_PARAMETER =
  /^(x-amz-|x-goog-)|^(sig|se|st|sp|sv|sr|spr|skoid|sktid|skt|ske|sks|skv)$/i;

/**
 * The dataset's identity for the fingerprint: the URL without its signing parameters, with the
 * ETag, Last-Modified and size the host reports. A new ZIP uploaded to the same URL changes them
 * and so trains anew; the same file behind a freshly signed link does not.
 */
export function identityOf(
  url: string,
  bytes: number,
  headers: Record<string, string | string[] | undefined>,
): string {
  const header = (name: string): string => String(headers[name] ?? '');
  return JSON.stringify([unsignedUrl(url), header('etag'), header('last-modified'), bytes]);
}

/**
 * The URL without its signing parameters and fragment: what names the file, whoever signed the
 * link and when. Reuse by `dataset-url` compares these, so a link signed anew for each run still
 * finds the training of the same file. A string that is no URL is returned as it is.
 */
export function unsignedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const keys = [...parsed.searchParams.keys()];
    // Only a signed link loses them: `sr` or `sp` alone may name the file on another host.
    const signed = keys.some((key) => /^(x-amz-signature|x-goog-signature|sig)$/i.test(key));
    for (const key of signed ? keys : []) {
      if (SIGNING_PARAMETER.test(key)) parsed.searchParams.delete(key);
    }
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/**
 * A public ZIP must answer HEAD with 200 and a Content-Length under the limit (Segmind's rule,
 * and what lets the size be checked at all). Checked here so a bad URL fails in seconds instead of
 * as a failed job an hour later. `provider` names who trains from it, in messages.
 */
export async function checkDatasetUrl(
  url: string,
  maxBytes: number,
  retry: RetryPolicy,
  provider: string,
): Promise<PublicZip> {
  // A signed link carries its credentials in the query: masked, the rest stays readable.
  maskUrlSignature(url);
  const what = `HEAD ${url}`;
  return withRetry(
    what,
    retry,
    async () => {
      // Failures to get an answer (a reset, a timeout, a refusing proxy) are the layer's HttpError.
      const answer = await send({
        what,
        method: 'HEAD',
        url,
        timeoutMs: requestTimeoutMs(30_000, retry),
        maxBodyBytes: 0,
      });
      const { status, headers } = answer;
      const fail = (message: string, hint: string, transient = false): HttpError =>
        new HttpError({
          what,
          status,
          transient,
          retryAfterMs: transient ? retryAfterOf(answer) : undefined,
          serverMessage: message,
          message,
          hint,
        });
      if (status !== 200) {
        throw fail(
          `HEAD ${url} answered HTTP ${status}; ${provider} trains from a public dataset ZIP, which answers 200.`,
          'Use a direct, public link to the ZIP file (no login page, no redirect to HTML), or leave `dataset-url` empty to upload the dataset from the repository.',
          isTransientStatus(status),
        );
      }
      const length = headers['content-length'];
      const bytes = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
      if (bytes === undefined) {
        throw fail(
          `HEAD ${url} answered without a Content-Length header; the action needs it to check the ZIP's size before ${provider} trains from it.`,
          'Host the ZIP where HEAD requests report its size (object storage such as S3 or GCS does), or leave `dataset-url` empty to upload the dataset from the repository.',
        );
      }
      if (bytes >= maxBytes) {
        throw fail(
          `The ZIP at ${url} is ${formatMb(bytes)} (${bytes} bytes); it must be under ${formatMb(maxBytes)}.`,
          'Use a smaller dataset; `max-zip-mb` sets the bound, 100 at most.',
        );
      }
      const lastModified = Date.parse(String(headers['last-modified'] ?? ''));
      return {
        bytes,
        identity: identityOf(url, bytes, headers),
        modifiedAt: Number.isNaN(lastModified) ? undefined : lastModified,
      };
    },
    (error) => ({
      retryable: error instanceof HttpError && error.transient,
      retryAfterMs: error instanceof HttpError ? error.retryAfterMs : undefined,
      error,
    }),
  );
}
