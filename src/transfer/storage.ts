/**
 * The storage hosts behind the providers' upload and download links (S3-style and others): what
 * their error answers say, for the upload and the download alike.
 */
import type { IncomingHttpHeaders } from 'node:http';
import * as log from '../shared/log.js';
import { excerpt, HttpError, oneLine, retryAfterOf, withoutQuery } from '../http/send.js';
import { isTransientStatus } from '../http/retry.js';

/** `Code: Message` from an S3-style XML error body; else a short excerpt of the body. */
function s3Message(text: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  if (code || message) return oneLine([code, message].filter(Boolean).join(': '), 300);
  return excerpt(text);
}

/**
 * The error for a storage answer that is not a success: its status, the host's own message
 * (without any trace of the signed URL's query), retried on 429 and 5xx. `hint` is the caller's:
 * what a refusal means differs between an upload and a download.
 */
export function storageError(
  what: string,
  answer: { status: number; headers: IncomingHttpHeaders },
  text: string,
  url: string,
  hint: string,
): HttpError {
  const { status } = answer;
  const detail = withoutQuery(s3Message(text), url);
  const transient = isTransientStatus(status);
  return new HttpError({
    what,
    status,
    transient,
    serverMessage: detail,
    message: `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
    hint,
    retryAfterMs: transient ? retryAfterOf(answer) : undefined,
  });
}

/**
 * Runs `use` with a signed link from `fresh`, and once more with a new one when the storage host
 * refuses the first with 403: a link that expired (or was signed for another request) is worth
 * one new link, not more. A second refusal is not a stale link, and the error says so. `link`
 * names the link in messages ("pre-signed URL", "download link"); `hint` says what to check;
 * `provider` is who hands the links out.
 */
export async function withFreshLinkOn403<T>(
  fresh: () => Promise<string>,
  use: (url: string) => Promise<T>,
  link: string,
  hint: string,
  provider: string,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const url = await fresh();
    try {
      return await use(url);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 403)) throw error;
      if (attempt === 1) {
        log.info(
          `The storage host refused the ${link} (${error.message.replace(/^.*answered /, '')}); asking ${provider} for a new one.`,
        );
        continue;
      }
      throw new HttpError({
        what: error.what,
        status: 403,
        transient: false,
        serverMessage: error.serverMessage,
        message: `${error.message} (with a second, fresh ${link} too)`,
        hint: `The storage host refused two ${link}s in a row, so this is not a stale link. ${hint}`,
      });
    }
  }
}
