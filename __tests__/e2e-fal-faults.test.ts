// fal's lost answers and faults, through the bundle: never a second paid request, never a hang,
// never an exit without a message.
import { describe, expect, it } from 'vitest';
import { failureOf, visible, workspace } from './helpers/e2e.js';
import { liveParts } from './helpers/inert-markdown.js';
import { until } from './helpers/until.js';
import { falApiRequests, falDataset, falSimulator, runFal } from './helpers/fal.js';

const SUBMIT = 'POST /fal-ai/flux-lora-fast-training';
const submits = (sim: Awaited<ReturnType<typeof falSimulator>>) =>
  falApiRequests(sim).filter((r) => r === SUBMIT).length;

describe('fal: a submit whose answer is lost', () => {
  it('adopts the request named by the x-fal-request-id of an answer cut short', async () => {
    const sim = await falSimulator();
    sim.injectFault('submit', { afterCommit: true, truncate: 10 });
    const ws = await workspace(falDataset());
    const result = await runFal(sim, ws);
    expect(result.code, result.stdout).toBe(0);
    expect(sim.queue.size).toBe(1);
    expect(submits(sim)).toBe(1);
    const [request] = [...sim.queue.values()];
    expect(result.outputs['finetune-id']).toBe(request!.request_id);
    expect(result.outputs.reused).toBe('false');
    expect(result.stdout).toContain('The job was created despite the lost answer');
  });

  it('adopts the request a 500 names in its header, even without a body to read', async () => {
    const sim = await falSimulator();
    sim.injectFault('submit', { afterCommit: true, status: 500, requestIdHeader: true });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(sim.queue.size).toBe(1);
    expect(submits(sim)).toBe(1);
  });

  it('sends again after a gateway refusal without a request id (nothing was queued)', async () => {
    const sim = await falSimulator();
    sim.injectFault('submit', { status: 503, gatewayPage: true });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(sim.queue.size).toBe(1);
    expect(submits(sim)).toBe(2);
    expect(result.stdout).toContain(
      'fal answered HTTP 503 without a request id, so nothing was queued; submitting again.',
    );
  });

  it('honours a 429’s Retry-After and sends again: a rate limit created nothing', async () => {
    const sim = await falSimulator();
    sim.injectFault('submit', { status: 429, retryAfter: '0', message: 'Too many requests' });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(submits(sim)).toBe(2);
    expect(sim.queue.size).toBe(1);
  });

  it('sends nothing again when it cannot tell (a reset after the request was queued), and says how to find it', async () => {
    const sim = await falSimulator();
    sim.injectFault('submit', { afterCommit: true, reset: true });
    const ws = await workspace(falDataset());
    const result = await runFal(sim, ws);
    expect(result.code).toBe(1);
    expect(submits(sim)).toBe(1);
    expect(sim.queue.size).toBe(1);
    const failure = failureOf(result);
    expect(failure).toMatch(/The answer to the submit of \S+ was lost .*fal may have queued it/s);
    expect(failure).toMatch(/Nothing was sent again, so it cannot have been paid for twice/);
    expect(failure).toMatch(/Requests of fal-ai\/flux-lora-fast-training/);
    expect(failure).toContain(result.outputs['dataset-url']!);
    expect(result.tempLeft).toEqual([]);
  });

  it('adopts the request the history shows after a reset, where the history lists it', async () => {
    const sim = await falSimulator({ historyShowsPending: true });
    sim.injectFault('submit', { afterCommit: true, reset: true });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(submits(sim)).toBe(1);
    expect(sim.queue.size).toBe(1);
  });

  it('a re-run adopts a request still queued where the history lists pending ones', async () => {
    const sim = await falSimulator({ historyShowsPending: true, pollsPerStatus: 50 });
    const ws = await workspace(falDataset());
    const first = await runFal(sim, ws);
    expect(first.code, first.stdout).toBe(0);
    const second = await runFal(sim, ws);
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs.reused).toBe('true');
    expect(sim.queue.size).toBe(1);
  });
});

describe('fal: faults around the submit', () => {
  it('fails before uploading when the history cannot be read, saying nothing was paid for', async () => {
    const sim = await falSimulator();
    sim.injectFault('history', { status: 503, times: 10 });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Looking for an earlier training of \S+ at fal failed: fal GET \/v1\/models\/requests\/by-endpoint answered HTTP 503/,
    );
    expect(failureOf(result)).toMatch(/Nothing was uploaded or submitted/);
    expect(falApiRequests(sim).every((r) => r === 'GET /v1/models/requests/by-endpoint')).toBe(
      true,
    );
  });

  it('reads the last 24 hours when fal refuses a history 90 days long, and says so', async () => {
    const sim = await falSimulator({ historyStartLimitDays: 30 });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(visible(result)).toMatch(
      /fal refused a request history reaching back 90 days \(start must be within the last 30 days\); looking at its default, the last 24 hours/,
    );
  });

  it('gets a new upload URL once after a 403, and retries the storage host’s 5xx', async () => {
    const sim = await falSimulator();
    sim.injectFault('upload', { status: 403, message: 'Upload URL has expired' });
    sim.injectFault('upload', { status: 503 });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(falApiRequests(sim).filter((r) => r === 'POST /storage/upload/initiate')).toHaveLength(
      2,
    );
    expect(sim.requests.filter((r) => r.server === 'storage')).toHaveLength(3);
    // The signed upload URL is a credential: its token never shows.
    const token = /token=([^&\s]+)/.exec(
      sim.requests.find((r) => r.server === 'storage')!.path,
    )![1]!;
    expect(visible(result)).not.toContain(token);
  });

  it('waits through a status outage and the gateway’s 502 on the result', async () => {
    const sim = await falSimulator();
    sim.injectFault('status', { status: 502, gatewayPage: true, times: 2 });
    sim.injectFault('result', { status: 504 });
    const result = await runFal(sim, await workspace(falDataset()), {
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.status).toBe('COMPLETED');
    expect(result.outputs['model-url']).toBeTruthy();
  });

  it('an account locked for its balance is said as such, not as a bad key', async () => {
    const sim = await falSimulator();
    sim.injectFault('submit', {
      status: 403,
      body: {
        detail:
          'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
      },
    });
    const result = await runFal(sim, await workspace(falDataset()));
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/HTTP 403: User is locked/);
    expect(failureOf(result)).toMatch(/fal locked the account behind this key.*Add credit/s);
    expect(failureOf(result)).not.toMatch(/rejected the API key/);
  });

  it('a rejected key is said as such, without the key', async () => {
    const sim = await falSimulator();
    const result = await runFal(sim, await workspace(falDataset()), {
      'api-key': 'wrong-key-0123456789',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/HTTP 401: Invalid authentication credentials/);
    expect(failureOf(result)).toMatch(/fal rejected the API key/);
    expect(visible(result)).not.toContain('wrong-key-0123456789');
  });
});

describe('fal: cancellation and untrusted text', () => {
  it('stops within seconds of SIGTERM while waiting, and says the training goes on and how to stop it', async () => {
    const sim = await falSimulator();
    sim.setBehaviour({ neverFinish: true });
    let sentAt = 0;
    const result = await runFal(
      sim,
      await workspace(falDataset()),
      { 'wait-for': 'AVAILABLE', 'poll-interval-seconds': '30' },
      {
        onSpawn: (child, stdout) => {
          void until('a status line', () => / after \d+ s$/m.test(stdout())).then(() => {
            sentAt = Date.now();
            child.kill('SIGTERM');
          });
        },
      },
    );
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(result.code).toBe(1);
    const id = [...sim.queue.keys()][0]!;
    const failure = failureOf(result);
    expect(failure).toContain('The run was cancelled (SIGTERM).');
    expect(failure).toContain(`Fine-tune ${id} (${result.outputs.name}) goes on at fal`);
    expect(failure).toContain(`\`command: cancel\` with \`finetune-id: ${id}\` stops it`);
    expect(result.outputs['finetune-id']).toBe(id);
    expect(result.summary).toMatch(/^### fal fine-tune: cancelled \(the job goes on at fal\)/m);
    expect(result.tempLeft).toEqual([]);
  });

  it('keeps fal’s error text inert in the log and the summary', async () => {
    const sim = await falSimulator();
    sim.setBehaviour({
      errorMessage: 'boom\n::error::injected <img src=x onerror=alert(1)> @octocat ## heading',
    });
    const result = await runFal(sim, await workspace(falDataset()), {
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
    });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').some((l) => l.startsWith('::error::injected'))).toBe(false);
    expect(liveParts(result.summary)).toEqual([]);
    expect(failureOf(result)).toContain('boom');
  });
});
