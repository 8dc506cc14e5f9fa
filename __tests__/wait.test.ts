import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActionError } from '../src/shared/errors.js';
import { HttpError } from '../src/http/send.js';
import { type FinetuneRecord, type SegmindClient } from '../src/providers/segmind/client.js';
import {
  isFailureStatus,
  recordError,
  STATUS_ORDER,
  statusRank,
} from '../src/providers/segmind/job.js';
import { SegmindProvider, segmindJob } from '../src/providers/segmind/provider.js';
import { checkJob } from '../src/jobs/job.js';
import { waitForJob } from '../src/jobs/wait.js';
import type { RetryPolicy } from '../src/http/retry.js';

/** Throws when the record says the job failed, as the wait and the commands check it. */
const checkRecord = (id: string, record: FinetuneRecord) =>
  checkJob('Segmind', segmindJob(record, id));

describe('statusRank', () => {
  it('follows the documented order', () => {
    expect(STATUS_ORDER.map(statusRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(statusRank('TRAINING_COMPLETED')).toBeGreaterThan(statusRank('TRAINING_INITIATED'));
    expect(statusRank('AVAILABLE')).toBeGreaterThan(statusRank('INFERENCE_QUEUED'));
  });

  it('takes DEPLOYING (the webhook pages’ name) for INFERENCE_QUEUED', () => {
    expect(statusRank('DEPLOYING')).toBe(statusRank('INFERENCE_QUEUED'));
  });

  it('ignores case', () => {
    expect(statusRank('available')).toBe(5);
    expect(statusRank('Training_Completed')).toBe(3);
  });

  it('ranks unknown statuses -1, below everything', () => {
    for (const s of ['', 'QUEUED', 'AVAILABLE_SOON', 'FAILED']) expect(statusRank(s)).toBe(-1);
  });
});

describe('isFailureStatus', () => {
  it.each([
    'FAILED',
    'ERROR',
    'TRAINING_FAILED',
    'failed',
    'Cancelled',
    'CANCELED',
    'REJECTED',
    'ABORTED',
    'ERRORED',
  ])('%s is a failure', (s) => expect(isFailureStatus(s)).toBe(true));

  it.each([...STATUS_ORDER, 'DEPLOYING', 'QUEUED', ''])('%j is not', (s) =>
    expect(isFailureStatus(s)).toBe(false),
  );
});

describe('recordError and checkRecord', () => {
  it('reads a non-empty error_message, trimmed', () => {
    expect(recordError({ error_message: null })).toBeUndefined();
    expect(recordError({})).toBeUndefined();
    expect(recordError({ error_message: '' })).toBeUndefined();
    expect(recordError({ error_message: '   ' })).toBeUndefined();
    expect(recordError({ error_message: ' CUDA out of memory\n' })).toBe('CUDA out of memory');
  });

  it('passes a healthy record', () => {
    expect(() =>
      checkRecord('id-1', { status: 'TRAINING_INITIATED', error_message: null }),
    ).not.toThrow();
    expect(() => checkRecord('id-1', { status: 'MYSTERY' })).not.toThrow();
  });

  it('fails on an error_message with a normal status, with Segmind’s message', () => {
    const run = () => checkRecord('id-1', { status: 'TRAINING_INITIATED', error_message: 'OOM' });
    expect(run).toThrow(ActionError);
    expect(run).toThrow('Fine-tune id-1 failed at Segmind (status TRAINING_INITIATED): OOM');
  });

  it('fails on a failure status even without a message', () => {
    expect(() => checkRecord('id-2', { status: 'FAILED' })).toThrow(
      'Fine-tune id-2 failed at Segmind (status FAILED): no error message given',
    );
  });
});

const RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 1 };

/**
 * The Segmind provider over a client whose details answers come from a script: records or
 * errors, one per call.
 */
function scripted(answers: (FinetuneRecord | Error)[]): SegmindProvider & { calls: number } {
  const client = {
    calls: 0,
    async details(): Promise<FinetuneRecord> {
      const next = answers[Math.min(client.calls++, answers.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  const provider = new SegmindProvider(client as unknown as SegmindClient, RETRY);
  return Object.defineProperty(provider, 'calls', {
    get: () => client.calls,
  }) as SegmindProvider & {
    calls: number;
  };
}

/** What the wait returns, as the record it was made from. */
const recordOf = (job: { record: unknown }) => job.record;

const outage = () =>
  new HttpError({
    what: 'Segmind GET /finetune/request/details',
    status: 503,
    serverMessage: 'Service Unavailable',
    hint: 'Re-run later.',
    transient: true,
  });

describe('waitForJob', () => {
  let stdout: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    vi.useFakeTimers();
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    vi.useRealTimers();
  });

  const options = (over: Partial<Parameters<typeof waitForJob>[2]> = {}) => ({
    target: 'AVAILABLE' as const,
    timeoutMs: 60_000,
    intervalMs: 1000,
    onJob: vi.fn(),
    ...over,
  });

  it('returns the first record at or past the target, handing every record to onRecord', async () => {
    const client = scripted([
      { status: 'DATA_PROCESSING' },
      { status: 'TRAINING_COMPLETED' },
      { status: 'AVAILABLE', slug: 's' },
      { status: 'NEVER_ASKED' },
    ]);
    const opts = options({ target: 'TRAINING_COMPLETED' });
    const done = waitForJob(client, 'id', opts);
    await vi.runAllTimersAsync();
    await expect(done.then(recordOf)).resolves.toEqual({ status: 'TRAINING_COMPLETED' });
    expect(client.calls).toBe(2);
    expect(opts.onJob).toHaveBeenCalledTimes(2);
  });

  it('waits through transient errors, and through more of them than one check retries', async () => {
    const client = scripted([outage(), outage(), outage(), { status: 'AVAILABLE' }]);
    const done = waitForJob(client, 'id', options());
    await vi.runAllTimersAsync();
    await expect(done.then(recordOf)).resolves.toEqual({ status: 'AVAILABLE' });
    expect(client.calls).toBe(4);
  });

  it('ends the wait when checks have failed for maxOutageMs, saying how to pick the job up', async () => {
    const client = scripted([{ status: 'TRAINING_INITIATED' }, outage()]);
    const done = waitForJob(client, 'job-7', options({ maxOutageMs: 5000, timeoutMs: 600_000 }));
    const settled = done.catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await settled) as ActionError;
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toMatch(
      /^Checking fine-tune job-7 has failed for 5 s, so the wait ends; the last status seen was TRAINING_INITIATED\. The last error: .*HTTP 503: Service Unavailable$/,
    );
    expect(error.hint).toContain('`command: status`, `finetune-id: job-7`');
    // One check a second from the first failure at 1 s until 6 s.
    expect(client.calls).toBe(7);
  });

  it('throws a non-transient error at once (an unknown id, a rejected key)', async () => {
    const gone = new HttpError({
      what: 'Segmind GET /finetune/request/details',
      status: 404,
      serverMessage: 'Not found',
      transient: false,
    });
    const client = scripted([{ status: 'REQUESTED' }, gone]);
    const done = waitForJob(client, 'id', options()).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await done).toBe(gone);
    expect(client.calls).toBe(2);
  });

  it('fails on a failed record without another check', async () => {
    const client = scripted([
      { status: 'DATA_PROCESSING' },
      { status: 'FAILED', error_message: 'bad zip' },
    ]);
    const done = waitForJob(client, 'id', options()).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(String(await done)).toMatch(/failed at Segmind \(status FAILED\): bad zip/);
    expect(client.calls).toBe(2);
  });

  it('times out naming the id, the last status and any failing checks', async () => {
    const client = scripted([{ status: 'TRAINING_INITIATED' }, outage()]);
    const done = waitForJob(client, 'job-9', options({ timeoutMs: 3000 })).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await done) as ActionError;
    expect(error.message).toMatch(
      /^Timed out after 3 s waiting for fine-tune job-9 to reach AVAILABLE; the last status was TRAINING_INITIATED\. The last 3 checks failed: .*Service Unavailable$/,
    );
    expect(error.hint).toMatch(/`wait-for: AVAILABLE`.*6 hours/);
  });

  it('does not sleep past the deadline', async () => {
    const client = scripted([{ status: 'REQUESTED' }]);
    const started = Date.now();
    const done = waitForJob(client, 'id', options({ timeoutMs: 2500, intervalMs: 10_000 })).catch(
      (e: unknown) => e,
    );
    await vi.runAllTimersAsync();
    expect(String(await done)).toMatch(/Timed out after 3 s/);
    expect(Date.now() - started).toBe(2500);
    expect(client.calls).toBe(2);
  });
});
