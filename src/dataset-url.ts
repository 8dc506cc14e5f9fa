import { createHttpClient } from './http.js';
import { maskUrlSignature } from './secrets.js';
import { unlessCancelled } from './cancellation.js';
import { ActionError } from './errors.js';
import { requestTimeoutMs, withRetry, type RetryPolicy } from './retry.js';
import { announceProxy, hostOf, networkErrorText, networkHint } from './segmind-client.js';
import { formatMb } from './zip.js';

class HeadError extends ActionError {
  constructor(
    message: string,
    hint: string,
    readonly transient: boolean,
  ) {
    super(message, hint);
  }
}

export interface PublicZip {
  bytes: number;
  /** What names this ZIP's content for the fingerprint (see identityOf). */
  identity: string;
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
  let stable = url;
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (SIGNING_PARAMETER.test(key)) parsed.searchParams.delete(key);
    }
    parsed.hash = '';
    stable = parsed.href;
  } catch {
    // inputs.ts checked it is a URL
  }
  const header = (name: string): string => String(headers[name] ?? '');
  return JSON.stringify([stable, header('etag'), header('last-modified'), bytes]);
}

/**
 * Segmind's rule for a public ZIP: it must answer HEAD with 200 and a Content-Length under the
 * limit. Checked here so a bad URL fails in seconds instead of as a failed job an hour later.
 * Returns the size.
 */
export async function checkDatasetUrl(
  url: string,
  maxBytes: number,
  retry: RetryPolicy,
): Promise<PublicZip> {
  // A signed link carries its credentials in the query: masked, the rest stays readable.
  maskUrlSignature(url);
  const http = await createHttpClient({
    allowRetries: false,
    socketTimeout: requestTimeoutMs(30_000),
  });
  const proxy = announceProxy(url);
  return withRetry(
    `HEAD ${url}`,
    retry,
    async () => {
      let status: number;
      let headers: Record<string, string | string[] | undefined> = {};
      try {
        const response = await unlessCancelled(http.request('HEAD', url, null, {}));
        status = response.message.statusCode ?? 0;
        headers = response.message.headers;
        response.message.resume();
      } catch (error) {
        throw new HeadError(
          `HEAD ${url} failed: ${networkErrorText(error)}${proxy ? ` (through the proxy ${proxy})` : ''}`,
          `Check that the URL is reachable from the runner. ${networkHint(hostOf(url), proxy, hostOf(url))}`,
          true,
        );
      }
      if (status !== 200) {
        throw new HeadError(
          `HEAD ${url} answered HTTP ${status}; Segmind needs 200 for a public dataset ZIP.`,
          'Use a direct, public link to the ZIP file (no login page, no redirect to HTML), or leave `dataset-url` empty to upload the dataset from the repository.',
          status === 429 || status >= 500,
        );
      }
      const length = headers['content-length'];
      const bytes = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
      if (bytes === undefined) {
        throw new HeadError(
          `HEAD ${url} answered without a Content-Length header; Segmind needs it to accept a public dataset ZIP.`,
          'Host the ZIP where HEAD requests report its size (object storage such as S3 or GCS does), or leave `dataset-url` empty to upload the dataset from the repository.',
          false,
        );
      }
      if (bytes >= maxBytes) {
        throw new HeadError(
          `The ZIP at ${url} is ${formatMb(bytes)} (${bytes} bytes); it must be under ${formatMb(maxBytes)}.`,
          'Use a smaller dataset: Segmind refuses ZIPs of 100 MB or more.',
          false,
        );
      }
      return { bytes, identity: identityOf(url, bytes, headers) };
    },
    (error) => ({ retryable: error instanceof HeadError && error.transient, error }),
  );
}
