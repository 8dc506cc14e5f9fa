// The reuse rule and the lost-answer submit protocol, one case at a time, through the Segmind
// provider over a fake client that scripts what each submit and list call does. The end-to-end
// fault tests cover the same rules against the simulator; these say exactly which call happens
// when.
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../src/shared/cancellation.js';
import { ActionError } from '../src/shared/errors.js';
import { HttpError } from '../src/http/send.js';
import { Report } from '../src/report/report.js';
import type { RetryPolicy } from '../src/http/retry.js';
import type {
  FinetuneRecord,
  SegmindClient,
  SubmitAnswer,
} from '../src/providers/segmind/client.js';
import { findReusable, SegmindProvider } from '../src/providers/segmind/provider.js';
import { submitOnce, type SubmitProvider } from '../src/jobs/submit.js';
import type { Job, SubmitPlan } from '../src/providers/provider.js';
import { DEFAULT_SETTINGS } from './helpers/settings.js';

const RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 1_000 };
const REQUEST: SubmitPlan = {
  name: 'flux-models-0123456789ab',
  dataUrl: 'https://bucket.example/d.zip',
  uploaded: true,
  settings: DEFAULT_SETTINGS,
};

type Step<T> = T | Error;

/**
 * The Segmind provider over a client whose submit and list answers are scripted in order; it
 * records every call. `listed` are the jobs the reuse check lists before the submit (its list
 * call is not recorded).
 */
async function fakeClient(
  submits: Step<SubmitAnswer>[],
  lists: Step<FinetuneRecord[]>[] = [],
  listed: FinetuneRecord[] = [],
) {
  const calls: string[] = [];
  const next = <T>(queue: Step<T>[], what: string): Promise<T> => {
    calls.push(what);
    const step = queue.shift();
    if (step === undefined) throw new Error(`unexpected ${what}`);
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const client = {
    submit: () => next(submits, 'submit'),
    list: () => next(lists, 'list'),
  } as unknown as SegmindClient;
  const provider = new SegmindProvider(client, RETRY);
  lists.unshift(listed);
  await provider.findReusable({ name: 'a name nothing has' });
  calls.length = 0;
  return { client: provider, calls };
}

const lost = (): HttpError =>
  new HttpError({
    what: 'Segmind POST /finetune/request/submit',
    transient: true,
    serverMessage: 'socket hang up',
  });
const refused = (): HttpError =>
  new HttpError({
    what: 'Segmind POST /finetune/request/submit',
    status: 400,
    transient: false,
    serverMessage: "Invalid 'theme'",
  });
const job = (id: string, extra: Partial<FinetuneRecord> = {}): FinetuneRecord => ({
  finetune_id: id,
  name: REQUEST.name,
  status: 'REQUESTED',
  error_message: null,
  ...extra,
});

describe('submitOnce', () => {
  it('takes the answer of a submit that is answered', async () => {
    const { client, calls } = await fakeClient([{ finetuneId: 'ft-1', status: 'REQUESTED' }]);
    const report = new Report();
    expect(await submitOnce(client, REQUEST, report, RETRY)).toBe(false);
    expect(calls).toEqual(['submit']);
    expect(report.finetuneId).toBe('ft-1');
  });

  it('after a lost answer, adopts the job that appeared instead of submitting again', async () => {
    const { client, calls } = await fakeClient([lost()], [[job('ft-new')]]);
    const report = new Report();
    expect(await submitOnce(client, REQUEST, report, RETRY)).toBe(true);
    expect(calls).toEqual(['submit', 'list']);
    expect(report.finetuneId).toBe('ft-new');
  });

  it('looks a second time before submitting again when the provider asks, once a run', async () => {
    const calls: string[] = [];
    let submits = 0;
    const provider: SubmitProvider = {
      label: 'Replicate',
      submit: () => {
        calls.push('submit');
        if (++submits < 3) return Promise.reject(lost());
        return Promise.resolve({
          id: 't-3',
          status: 'starting',
          stage: 'queued',
          record: {},
        } as Job);
      },
      afterLostSubmit: () => {
        calls.push('look');
        return Promise.resolve({ found: 'none', log: 'none yet', gaveUp: 'none', lookAgain: true });
      },
      inFlightAdvice: () => 'look in the dashboard',
    };
    const report = new Report();
    expect(await submitOnce(provider, REQUEST, report, RETRY)).toBe(false);
    expect(calls).toEqual(['submit', 'look', 'look', 'submit', 'look', 'submit']);
    expect(report.finetuneId).toBe('t-3');
  });

  it('after a lost answer with no job in the list, submits again', async () => {
    const { client, calls } = await fakeClient([lost(), { finetuneId: 'ft-2' }], [[]]);
    const report = new Report();
    expect(await submitOnce(client, REQUEST, report, RETRY)).toBe(false);
    expect(calls).toEqual(['submit', 'list', 'submit']);
    expect(report.finetuneId).toBe('ft-2');
  });

  it('never takes a job of the same name that was there before (it failed) for its own', async () => {
    const old = job('ft-old', { status: 'FAILED', error_message: 'bad zip' });
    const { client, calls } = await fakeClient([lost(), { finetuneId: 'ft-3' }], [[old]], [old]);
    const report = new Report();
    expect(await submitOnce(client, REQUEST, report, RETRY)).toBe(false);
    expect(calls).toEqual(['submit', 'list', 'submit']);
    expect(report.finetuneId).toBe('ft-3');
  });

  it('neither adopts nor sends again when a job of its name appeared without an id', async () => {
    const noId: FinetuneRecord = { name: REQUEST.name, status: 'REQUESTED' };
    const { client, calls } = await fakeClient([lost()], [[noId]]);
    const error = (await submitOnce(client, REQUEST, new Report(), RETRY).catch(
      (e: unknown) => e,
    )) as ActionError;
    expect(calls).toEqual(['submit', 'list']);
    expect(error.message).toMatch(
      /shows a job named flux-models-0123456789ab without an id\. Nothing was sent again/,
    );
    expect(error.hint).toMatch(/may exist at Segmind/);
  });

  it('sends again when the job without an id of its name was there before', async () => {
    const noId: FinetuneRecord = { name: REQUEST.name, status: 'FAILED' };
    const { client, calls } = await fakeClient([lost(), { finetuneId: 'ft-4' }], [[noId]], [noId]);
    const report = new Report();
    expect(await submitOnce(client, REQUEST, report, RETRY)).toBe(false);
    expect(calls).toEqual(['submit', 'list', 'submit']);
    expect(report.finetuneId).toBe('ft-4');
  });

  it('fails with the adopted job when the job that appeared already failed', async () => {
    const failed = job('ft-bad', { status: 'FAILED', error_message: 'bad zip' });
    const { client } = await fakeClient([lost()], [[failed]]);
    const report = new Report();
    await expect(submitOnce(client, REQUEST, report, RETRY)).rejects.toThrow(
      /ft-bad failed at Segmind .*bad zip/,
    );
    expect(report.finetuneId).toBe('ft-bad');
  });

  it('does not retry a refusal: nothing was created', async () => {
    const { client, calls } = await fakeClient([refused()]);
    await expect(submitOnce(client, REQUEST, new Report(), RETRY)).rejects.toThrow(
      /HTTP 400: Invalid 'theme'/,
    );
    expect(calls).toEqual(['submit']);
  });

  it('says a job may exist when the list fails after a lost answer', async () => {
    const listDown = new HttpError({
      what: 'Segmind GET /finetune/request/list',
      status: 503,
      transient: true,
      serverMessage: 'down',
    });
    const { client, calls } = await fakeClient([lost()], [listDown]);
    const error = await submitOnce(client, REQUEST, new Report(), RETRY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).not.toBeInstanceOf(HttpError);
    expect(String(error)).toMatch(
      /looking at Segmind for whether it was created failed too: .*HTTP 503: down Nothing was sent again\.\n.*may exist at Segmind.*Re-run/s,
    );
    expect(calls).toEqual(['submit', 'list']);
  });

  it('submits again without looking when the submit never reached the provider', async () => {
    const undelivered = new HttpError({
      what: 'Segmind POST /finetune/request/submit',
      transient: true,
      serverMessage: 'connect ECONNREFUSED',
      notDelivered: true,
    });
    const { client, calls } = await fakeClient([undelivered, { finetuneId: 'ft-4' }]);
    const report = new Report();
    expect(await submitOnce(client, REQUEST, report, RETRY)).toBe(false);
    expect(calls).toEqual(['submit', 'submit']);
    expect(report.finetuneId).toBe('ft-4');
  });

  it('gives up on a submit that never reaches the provider, saying a re-run is safe', async () => {
    const undelivered = () =>
      new HttpError({
        what: 'Segmind POST /finetune/request/submit',
        transient: true,
        serverMessage: 'connect ECONNREFUSED',
        notDelivered: true,
      });
    const { client } = await fakeClient([undelivered(), undelivered(), undelivered()]);
    await expect(submitOnce(client, REQUEST, new Report(), RETRY)).rejects.toThrow(
      /gave up after 3 submits; it never reached Segmind, so nothing was created and a re-run is safe/,
    );
  });

  it('gives up after the policy’s attempts, saying the list showed no job (a re-run is safe)', async () => {
    const { client, calls } = await fakeClient([lost(), lost(), lost()], [[], [], []]);
    await expect(submitOnce(client, REQUEST, new Report(), RETRY)).rejects.toThrow(
      /gave up after 3 submits; the list shows no job named .* a re-run is safe/,
    );
    expect(calls).toEqual(['submit', 'list', 'submit', 'list', 'submit', 'list']);
  });

  it('names the job whose submit was in flight when the run is cancelled', async () => {
    const { client } = await fakeClient([new CancelledError('SIGINT')]);
    const error = (await submitOnce(client, REQUEST, new Report(), RETRY).catch(
      (e: unknown) => e,
    )) as CancelledError;
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.submitInFlight).toBe(REQUEST.name);
  });
});

describe('findReusable', () => {
  it('adopts a job of the same name that has not failed, by finetune_id or id', () => {
    expect(findReusable([job('ft-1')], REQUEST.name)?.finetune_id).toBe('ft-1');
    const byId = { id: 'rec-1', name: REQUEST.name, status: 'AVAILABLE' };
    expect(findReusable([byId], REQUEST.name)).toBe(byId);
  });

  it('skips other names, failed jobs, jobs with an error message and records without an id', () => {
    const records: FinetuneRecord[] = [
      job('ft-a', { name: 'other' }),
      job('ft-b', { status: 'FAILED' }),
      job('ft-c', { error_message: 'out of credits' }),
      { name: REQUEST.name, status: 'AVAILABLE' },
    ];
    expect(findReusable(records, REQUEST.name)).toBeUndefined();
  });
});
