import { HttpClient } from '@actions/http-client';
import { unlessCancelled } from './cancellation.js';
import { ActionError } from './errors.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { USER_AGENT } from './segmind-client.js';
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
  const http = new HttpClient(USER_AGENT, [], { allowRetries: false, socketTimeout: 30_000 });
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
          `HEAD ${url} failed: ${(error as Error).message}`,
          'Check that the URL is reachable from the runner.',
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
