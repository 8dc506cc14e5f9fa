/**
 * One call to a provider's JSON API with its retries: the shape every provider client shares.
 * The client says how to read a 2xx answer and what any other status means; this runs the
 * attempts (src/http/retry.ts) over the one HTTP layer (src/http/send.ts).
 */
import { HttpError, malformedAnswer, send, type HttpAnswer } from './send.js';
import { requestTimeoutMs, withRetry, type RetryPolicy } from './retry.js';

export interface ApiCall {
  /** Names the request in messages: `fal POST /fal-ai/flux-lora-fast-training`. */
  what: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  /** The provider's headers: its key among them (only ever sent to the provider's own API). */
  headers: Record<string, string>;
  /** A JSON body, sent as application/json. */
  json?: unknown;
  /**
   * A body of another kind, with its Content-Type in `headers`; a stream comes from a factory
   * (each attempt gets a fresh one) and needs its Content-Length in `headers`.
   */
  body?: string | Buffer | (() => NodeJS.ReadableStream);
  /** Who answers, for the hint of a network failure: "fal", "Replicate". */
  peer: string;
  /** Cap on the answer read into memory. */
  maxBodyBytes: number;
}

/**
 * Sends `call`, retrying transient failures (network, and whatever `errorFor` calls transient)
 * unless `retry` is false: a submit is sent once, and its lost answer settled by the caller.
 * `read` turns an answer into the result or throws (a malformed answer: `malformed()`); it gets
 * the 2xx answers, and those others that `accepts` says are answers rather than errors (a
 * trainer's failure when a result is asked for). `errorFor` turns the rest into an HttpError.
 */
export function callApi<T>(
  call: ApiCall,
  policy: RetryPolicy,
  read: (answer: HttpAnswer) => T,
  errorFor: (answer: HttpAnswer) => HttpError,
  options: { retry?: boolean; accepts?: (answer: HttpAnswer) => boolean } = {},
): Promise<T> {
  const accepts = options.accepts ?? (() => false);
  return withRetry(
    call.what,
    options.retry === false ? { ...policy, attempts: 1 } : policy,
    async () => {
      const headers: Record<string, string> = { Accept: 'application/json', ...call.headers };
      let body = call.body;
      if (call.json !== undefined) {
        body = JSON.stringify(call.json);
        headers['Content-Type'] = 'application/json';
      }
      const answer = await send({
        what: call.what,
        method: call.method,
        url: call.url,
        headers,
        body,
        timeoutMs: requestTimeoutMs(60_000, policy),
        maxBodyBytes: call.maxBodyBytes,
        peer: call.peer,
      });
      if ((answer.status >= 200 && answer.status < 300) || accepts(answer)) return read(answer);
      throw errorFor(answer);
    },
    (error) => ({
      retryable: error instanceof HttpError && error.transient,
      retryAfterMs: error instanceof HttpError ? error.retryAfterMs : undefined,
      error,
    }),
  );
}

/**
 * A 2xx answer that is not what the endpoint documents: transient, so retried like a 5xx (a
 * gateway answering in the server's place is the usual cause) and, on a submit, a lost answer.
 */
export function malformed(
  what: string,
  answer: HttpAnswer,
  problem: string,
  quote = true,
): HttpError {
  return malformedAnswer(what, answer.status, problem, answer.body, { quote });
}
