/**
 * The storage host behind Segmind's pre-signed URLs (S3-style): what its error answers say, for the
 * upload and the download alike.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { excerpt, HttpError, oneLine, retryAfterOf, withoutQuery } from '../http/send.js';

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
  const transient = status === 429 || status >= 500;
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
