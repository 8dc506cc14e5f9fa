import * as core from '@actions/core';
import { createHttpClient } from './http.js';
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

/**
 * Segmind's rule for a public ZIP: it must answer HEAD with 200 and a Content-Length under the
 * limit. Checked here so a bad URL fails in seconds instead of as a failed job an hour later.
 * Returns the size.
 */
export async function checkDatasetUrl(
  url: string,
  maxBytes: number,
  retry: RetryPolicy,
): Promise<number> {
  maskSignatures(url);
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
      let length: string | string[] | undefined;
      try {
        const response = await unlessCancelled(http.request('HEAD', url, null, {}));
        status = response.message.statusCode ?? 0;
        length = response.message.headers['content-length'];
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
      return bytes;
    },
    (error) => ({ retryable: error instanceof HeadError && error.transient, error }),
  );
}

/**
 * A signed link (S3 or GCS query-string authentication) carries its signature and credential in
 * the query: those values are masked, while the URL itself stays readable in the log and outputs.
 */
function maskSignatures(url: string): void {
  try {
    for (const [key, value] of new URL(url).searchParams) {
      if (/^X-(Amz|Goog)-(Signature|Credential|Security-Token)$|^(sig|signature)$/i.test(key)) {
        if (value) core.setSecret(value);
      }
    }
  } catch {
    // not a URL: inputs.ts refused it already
  }
}
