import * as log from '../shared/log.js';
import { sleep, throwIfCancelled } from '../shared/cancellation.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No new attempt starts once this much time has gone since the first. */
  maxTotalMs: number;
  /**
   * Every request's idle timeout, in place of each caller's own (60 s for Segmind, 120 s for
   * storage): how long one request may go without a byte before it counts as a lost answer.
   * Unset in real runs; the tests shorten it.
   */
  timeoutMs?: number;
}

/**
 * Five attempts over at most two minutes: enough to ride out a deploy or a rate limit at Segmind,
 * short enough that a real outage fails the step while someone is still looking at it.
 */
/**
 * An answer worth asking again: a rate limit (429) or a server error (5xx). Every other 4xx is a
 * refusal, the same on every attempt (408 included: the contract retries 429 and 5xx only).
 */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function defaultRetryPolicy(): RetryPolicy {
  return { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalMs: 120_000 };
}

/**
 * The policy with the test suite's two settings applied. The library takes its policy as an
 * argument (run(), the client, the upload, the download); only the bundle's entry point calls
 * this, because the end-to-end tests run the bundle as the runner does and cannot pass objects in.
 * SEGMIND_ACTION_RETRY_BASE_MS scales the delays down, SEGMIND_ACTION_TIMEOUT_MS shortens the
 * idle timeout; anything but a usable number is ignored.
 */
export function withTestSettings(policy: RetryPolicy, env: NodeJS.ProcessEnv): RetryPolicy {
  const base = Number(env.SEGMIND_ACTION_RETRY_BASE_MS);
  const timeout = Number(env.SEGMIND_ACTION_TIMEOUT_MS);
  const out = { ...policy };
  if (env.SEGMIND_ACTION_RETRY_BASE_MS && Number.isFinite(base) && base >= 0) {
    out.baseDelayMs = base;
    out.maxDelayMs = base * 30;
  }
  if (env.SEGMIND_ACTION_TIMEOUT_MS && Number.isFinite(timeout) && timeout > 0) {
    out.timeoutMs = timeout;
  }
  return out;
}

/** A request's idle timeout: the policy's when it sets one, else the caller's own. */
export function requestTimeoutMs(fallbackMs: number, policy: RetryPolicy): number {
  return policy.timeoutMs ?? fallbackMs;
}

/** What a failed attempt says about trying again. */
export interface AttemptFailure {
  retryable: boolean;
  /** Milliseconds the server asked for (Retry-After), if it did. */
  retryAfterMs?: number;
  error: unknown;
}

/**
 * Exponential backoff with full jitter (a random delay up to base * 2^n): many runners hitting
 * the same rate limit spread out instead of retrying in step.
 */
export function backoffDelay(
  policy: RetryPolicy,
  failedAttempts: number,
  random = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.round(ceiling * random());
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its month and day; Date.parse alone would take "-1" for the year -1.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy is spent. `classify` turns a
 * thrown error into a decision. The last error is rethrown as it was (same class, same fields),
 * its message saying how many attempts were made when there was more than one.
 *
 * The wait before attempt n+1 is the jittered backoff, or what the server asked for with
 * Retry-After when that is longer; a wait that would overrun `maxTotalMs` is not started.
 */
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  classify: (error: unknown) => AttemptFailure,
): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      // Checked before each attempt: a request must not start after the run was cancelled.
      throwIfCancelled();
      return await attempt(n);
    } catch (error) {
      const failure = classify(error);
      // Not worth another attempt (a 4xx, a cancellation): as it was, whatever came before.
      if (!failure.retryable) throw error;
      if (n >= policy.attempts) throw gaveUp(error, n);
      const backoff = backoffDelay(policy, n);
      const asked = failure.retryAfterMs;
      const delay = asked !== undefined && asked > backoff ? asked : backoff;
      // A wait that would overrun the budget (a long Retry-After, say) is not worth starting.
      if (Date.now() - started + delay > policy.maxTotalMs) {
        if (delay === asked && error instanceof Error) {
          error.message = `${error.message} (Retry-After asked to wait ${Math.ceil(asked / 1000)} s, longer than this action retries for)`;
          throw error;
        }
        throw gaveUp(error, n);
      }
      log.info(
        `${what} failed (${describe(error)}); attempt ${n + 1} of ${policy.attempts} in ${(delay / 1000).toFixed(1)} s${delay === asked ? ' (as Retry-After asked)' : ''}.`,
      );
      await sleep(delay);
    }
  }
}

/** A transient error that outlasted the policy, its message saying how many attempts were made. */
function gaveUp(error: unknown, attempts: number): unknown {
  if (attempts > 1 && error instanceof Error && !error.message.includes('(gave up after ')) {
    error.message = `${error.message} (gave up after ${attempts} attempts)`;
  }
  return error;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
