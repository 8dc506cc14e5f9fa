import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, sleep, unlessCancelled } from '../src/shared/cancellation.js';
import {
  backoffDelay,
  defaultRetryPolicy,
  isTransientStatus,
  parseRetryAfter,
  requestTimeoutMs,
  withTestSettings,
  withRetry,
  type AttemptFailure,
  type RetryPolicy,
} from '../src/http/retry.js';

const POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000 };

class Flaky extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const classify = (error: unknown): AttemptFailure => ({
  retryable: error instanceof Flaky && error.retryable,
  retryAfterMs: error instanceof Flaky ? error.retryAfterMs : undefined,
  error,
});

/** Captures what the action logs (core.info writes to stdout). */
function captureLog(): { lines: () => string[]; restore: () => void } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  return {
    lines: () => written.join('').split('\n').filter(Boolean),
    restore: () => spy.mockRestore(),
  };
}

describe('isTransientStatus', () => {
  it('asks again after 429 and 5xx only, as the contract says (never another 4xx, 408 included)', () => {
    expect([429, 500, 502, 503, 504, 599].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 408, 409, 410, 422, 200, 304].some(isTransientStatus)).toBe(false);
  });
});

describe('defaultRetryPolicy', () => {
  it('is five attempts within two minutes, one second apart at first', () => {
    expect(defaultRetryPolicy()).toEqual({
      attempts: 5,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      maxTotalMs: 120_000,
    });
  });
});

describe('withTestSettings', () => {
  it('takes the base delay from SEGMIND_ACTION_RETRY_BASE_MS, ignoring nonsense', () => {
    const policy = defaultRetryPolicy();
    expect(withTestSettings(policy, { SEGMIND_ACTION_RETRY_BASE_MS: '10' })).toMatchObject({
      baseDelayMs: 10,
      maxDelayMs: 300,
    });
    for (const value of ['fast', '-5', '']) {
      expect(withTestSettings(policy, { SEGMIND_ACTION_RETRY_BASE_MS: value })).toEqual(policy);
    }
  });

  it('takes the idle timeout from SEGMIND_ACTION_TIMEOUT_MS when it is a positive number', () => {
    const policy = defaultRetryPolicy();
    expect(withTestSettings(policy, {}).timeoutMs).toBeUndefined();
    expect(withTestSettings(policy, { SEGMIND_ACTION_TIMEOUT_MS: '1500' }).timeoutMs).toBe(1500);
    expect(withTestSettings(policy, { SEGMIND_ACTION_TIMEOUT_MS: '0' }).timeoutMs).toBeUndefined();
    expect(
      withTestSettings(policy, { SEGMIND_ACTION_TIMEOUT_MS: 'soon' }).timeoutMs,
    ).toBeUndefined();
  });
});

describe('requestTimeoutMs', () => {
  it("is the policy's timeout when it sets one, else the caller's", () => {
    expect(requestTimeoutMs(60_000, defaultRetryPolicy())).toBe(60_000);
    expect(requestTimeoutMs(60_000, { ...defaultRetryPolicy(), timeoutMs: 1500 })).toBe(1500);
  });
});

describe('backoffDelay', () => {
  it('doubles its ceiling with each failed attempt, up to maxDelayMs', () => {
    const ceiling = (n: number) => backoffDelay(POLICY, n, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('is full jitter: anywhere from 0 to the ceiling, as the random draw says', () => {
    expect(backoffDelay(POLICY, 3, () => 0)).toBe(0);
    expect(backoffDelay(POLICY, 3, () => 0.5)).toBe(200);
    expect(backoffDelay(POLICY, 3, () => 0.999)).toBe(400);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(POLICY, 2);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(200);
    }
  });

  it('spreads runners that fail together instead of retrying in step', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(POLICY, 4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it.each([
    ['5', 5000],
    ['0', 0],
    ['1.5', 1500],
    [' 7 ', 7000],
    ['120', 120_000],
  ])('reads delay-seconds %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it('reads an HTTP date as the time until then, never negative', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });

  it.each([[undefined], [''], ['  '], ['soon'], ['-1'], ['1e3'], ['5 seconds'], ['0x10']])(
    'ignores %j (absent, empty or unreadable)',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
  });
});

describe('withRetry', () => {
  let log: ReturnType<typeof captureLog>;
  beforeEach(() => {
    vi.useFakeTimers();
    log = captureLog();
  });
  afterEach(() => {
    log.restore();
    vi.useRealTimers();
  });

  it('retries retryable failures until an attempt succeeds, saying so each time', async () => {
    const attempt = vi
      .fn<(n: number) => Promise<string>>()
      .mockRejectedValueOnce(new Flaky('HTTP 503', true))
      .mockRejectedValueOnce(new Flaky('ECONNRESET', true))
      .mockResolvedValueOnce('done');
    const result = withRetry('GET /x', POLICY, attempt, classify);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('done');
    expect(attempt.mock.calls.map(([n]) => n)).toEqual([1, 2, 3]);
    expect(log.lines()).toEqual([
      expect.stringMatching(/^GET \/x failed \(HTTP 503\); attempt 2 of 5 in 0\.\d s\.$/),
      expect.stringMatching(/^GET \/x failed \(ECONNRESET\); attempt 3 of 5 in 0\.\d s\.$/),
    ]);
  });

  it('throws a failure that is not retryable at once, as it was', async () => {
    const refused = new Flaky('HTTP 400: bad name', false);
    const attempt = vi.fn(() => Promise.reject(refused));
    await expect(withRetry('GET /x', POLICY, attempt, classify)).rejects.toBe(refused);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(refused.message).toBe('HTTP 400: bad name');
    expect(log.lines()).toEqual([]);
  });

  it('stops after `attempts`, rethrowing the last error with how many attempts were made', async () => {
    let n = 0;
    const errors: Flaky[] = [];
    const attempt = () => {
      const error = new Flaky(`HTTP 502 #${++n}`, true);
      errors.push(error);
      return Promise.reject(error);
    };
    const result = withRetry('GET /x', POLICY, attempt, classify).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = await result;
    expect(n).toBe(5);
    expect(error).toBeInstanceOf(Flaky);
    expect(error).toBe(errors[4]);
    expect((error as Error).message).toBe('HTTP 502 #5 (gave up after 5 attempts)');
  });

  it('waits as long as Retry-After asks when that is longer than the backoff', async () => {
    const attempt = vi
      .fn<(n: number) => Promise<string>>()
      .mockRejectedValueOnce(new Flaky('HTTP 429', true, 5000))
      .mockResolvedValueOnce('done');
    const result = withRetry('GET /x', POLICY, attempt, classify);
    await vi.advanceTimersByTimeAsync(4999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    await expect(result).resolves.toBe('done');
    expect(log.lines()[0]).toMatch(/attempt 2 of 5 in 5\.0 s \(as Retry-After asked\)\.$/);
  });

  it('keeps the backoff when Retry-After asks for less', async () => {
    const attempt = vi
      .fn<(n: number) => Promise<string>>()
      .mockRejectedValueOnce(new Flaky('HTTP 429', true, 0))
      .mockResolvedValueOnce('done');
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const result = withRetry('GET /x', POLICY, attempt, classify);
    await vi.advanceTimersByTimeAsync(49);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('done');
    vi.mocked(Math.random).mockRestore();
  });

  it('gives up at once when Retry-After would overrun the time budget', async () => {
    const limited = new Flaky('HTTP 429', true, 3_600_000);
    const attempt = vi.fn(() => Promise.reject(limited));
    await expect(withRetry('GET /x', POLICY, attempt, classify)).rejects.toBe(limited);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(limited.message).toBe(
      'HTTP 429 (Retry-After asked to wait 3600 s, longer than this action retries for)',
    );
  });

  it('starts no attempt past maxTotalMs, however many attempts are left', async () => {
    const policy: RetryPolicy = {
      attempts: 100,
      baseDelayMs: 1000,
      maxDelayMs: 1000,
      maxTotalMs: 4500,
    };
    vi.spyOn(Math, 'random').mockReturnValue(1);
    let calls = 0;
    const result = withRetry(
      'GET /x',
      policy,
      () => {
        calls++;
        return Promise.reject(new Flaky('HTTP 500', true));
      },
      classify,
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(Flaky);
    // At 0, 1, 2, 3 and 4 s; a sixth at 5 s would be past the 4.5 s budget.
    expect(calls).toBe(5);
    vi.mocked(Math.random).mockRestore();
  });
});

describe('sleep and unlessCancelled', () => {
  it('sleep resolves after the time, or rejects with the reason as soon as the signal aborts', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new CancelledError('SIGINT'));
    await expect(slept).rejects.toThrow('The run was cancelled (SIGINT).');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('unlessCancelled settles like the promise, or with the cancellation first', async () => {
    const controller = new AbortController();
    await expect(unlessCancelled(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(
      unlessCancelled(Promise.reject(new Error('x')), controller.signal),
    ).rejects.toThrow('x');
    const never = new Promise<never>(() => {});
    const raced = unlessCancelled(never, controller.signal);
    controller.abort(new CancelledError('SIGTERM'));
    await expect(raced).rejects.toBeInstanceOf(CancelledError);
    await expect(unlessCancelled(Promise.resolve(1), controller.signal)).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});
