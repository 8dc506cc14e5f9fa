import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/action-runner.js';
import type { EndpointKey, Simulator } from '../simulator/segmind-simulator.js';
import {
  API_KEY,
  apiRequests,
  failureOf,
  run,
  sampleDataset,
  simulator,
  workspace,
} from './helpers/e2e.js';

// Answers cut short on every route: the headers promise N bytes, fewer arrive, the connection
// drops. Before the HTTP layer, such an answer left a promise pending forever and the step died
// with Node's exit code 13: no error, no summary, the ZIP left in RUNNER_TEMP. Now each is a
// network error, retried like one; when the retries run out the step fails clearly.

const SUBMIT = 'POST /finetune/request/submit';
const TLS_CERT = path.join(import.meta.dirname, 'fixtures/tls/cert.pem');
const TLS_KEY = path.join(import.meta.dirname, 'fixtures/tls/key.pem');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A step that failed as a step should: one clear `::error::`, the summary, RUNNER_TEMP empty. */
function expectCleanFailure(result: RunResult, pattern: RegExp): void {
  expect(result.code, result.stdout).toBe(1);
  expect(result.stderr).not.toMatch(/unsettled top-level await/i);
  expect(failureOf(result)).toMatch(pattern);
  expect(result.summary).toMatch(/fail/i);
  expect(result.tempLeft).toEqual([]);
  // What a reader could see: the log without its ::add-mask:: commands, errors, summary, outputs.
  const shown = [
    ...result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')),
    result.stderr,
    result.summary,
    JSON.stringify(result.outputs),
  ].join('\n');
  expect(shown).not.toContain(API_KEY);
  expect(shown).not.toMatch(/X-Amz-Signature=[^*&\s]/);
}

const CUT = /answer cut short/;

describe('an answer cut short, end to end', () => {
  it.each<[EndpointKey, RegExp]>([
    [
      'list',
      /^Looking for an earlier training of flux-models-[0-9a-f]{12} at Segmind failed: Segmind GET \/finetune\/request\/list failed: the connection closed after \d+ of the \d+ bytes the answer announced \(answer cut short\) .*\(gave up after 5 attempts\)\n/,
    ],
    [
      'presign',
      /^Segmind GET \/finetune\/request\/upload\/pre-signed-url failed: .*answer cut short.*gave up after 5 attempts/,
    ],
    [
      'upload',
      /^Upload of the dataset ZIP to 127\.0\.0\.1:\d+ failed: .*answer cut short.*gave up after 5 attempts/,
    ],
  ])(
    'on %s, every attempt: a clear error, the summary, outputs so far, no job',
    async (route, pattern) => {
      const sim = await simulator();
      sim.injectFault(route, { truncate: true, times: 5 });
      const result = await run(sim, await workspace(sampleDataset()));
      expectCleanFailure(result, pattern);
      expect(sim.jobs.size).toBe(0);
      // Known before the failure, so still set.
      expect(result.outputs.name).toMatch(/^flux-models-[0-9a-f]{12}$/);
      expect(result.outputs['dataset-sha256']).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it.each<EndpointKey>(['list', 'presign', 'upload', 'details'])(
    'on %s, twice: recovered by retrying, and the model is there',
    async (route) => {
      const sim = await simulator();
      sim.injectFault(route, { truncate: true, times: 2 });
      const result = await run(sim, await workspace(sampleDataset()), {
        'wait-for': 'TRAINING_COMPLETED',
        'poll-interval-seconds': '1',
      });
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(CUT);
      expect(sim.jobs.size).toBe(1);
      expect(result.outputs.status).toBe('TRAINING_COMPLETED');
      expect(result.outputs['model-url']).toMatch(/^http/);
      expect(result.tempLeft).toEqual([]);
    },
  );

  it('on submit after the job was created: adopts it, does not pay twice', async () => {
    const sim = await simulator();
    sim.injectFault('submit', { afterCommit: true, truncate: true });
    const result = await run(sim, await workspace(sampleDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(apiRequests(sim).filter((r) => r === SUBMIT)).toHaveLength(1);
    expect(sim.jobs.size).toBe(1);
    const job = [...sim.jobs.values()][0]!;
    expect(result.outputs['finetune-id']).toBe(job.finetune_id);
    expect(result.stdout).toMatch(/The submit's answer was lost \(.*answer cut short/);
    expect(result.stdout).toMatch(/The job was created despite the lost answer/);
    expect(result.tempLeft).toEqual([]);
  });

  it('on submit after the job was created, with a malformed 200 answer: adopts it too', async () => {
    const sim = await simulator();
    sim.injectFault('submit', { afterCommit: true, malformed: 'html' });
    const result = await run(sim, await workspace(sampleDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(apiRequests(sim).filter((r) => r === SUBMIT)).toHaveLength(1);
    expect(sim.jobs.size).toBe(1);
    expect(result.stdout).toMatch(/The submit's answer was lost \(.*HTML or XML page, not JSON/);
  });

  it('on details while waiting, every time: the wait ends clearly, naming the id', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'cut', status: 'TRAINING_INITIATED' });
    sim.injectFault('details', { truncate: true, times: 1000 });
    const result = await run(sim, await workspace(), {
      command: 'status',
      'finetune-id': job.finetune_id,
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
      'wait-timeout-minutes': '0.03',
    });
    expectCleanFailure(
      result,
      new RegExp(`Timed out .* fine-tune ${job.finetune_id} .*details failed: .*answer cut short`),
    );
    expect(result.outputs['finetune-id']).toBe(job.finetune_id);
  });

  it('on the dataset-url HEAD, every attempt: a clear error and nothing submitted', async () => {
    const sim = await simulator({
      tls: { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) },
    });
    const zipUrl = sim.addPublicFile('/datasets/cut.zip', Buffer.from('PK not really a zip'));
    sim.injectFault('head', { truncate: true, times: 5 });
    const result = await run(
      sim,
      await workspace(),
      { 'dataset-url': zipUrl },
      { env: { NODE_EXTRA_CA_CERTS: TLS_CERT } },
    );
    expectCleanFailure(
      result,
      /^HEAD https:\/\/127\.0\.0\.1:\d+\/datasets\/cut\.zip failed: .*gave up after 5 attempts/,
    );
    expect(apiRequests(sim)).toEqual([]);
  });
});

describe('a Segmind that no longer takes fine-tunes, end to end', () => {
  it('fails at the first 410 on submit, quoting Segmind and naming what still works', async () => {
    const sim = await simulator();
    sim.injectFault('submit', {
      status: 410,
      message: 'Fine-tuning has been deprecated.\rNo new jobs are accepted.',
      times: 5,
    });
    const result = await run(sim, await workspace(sampleDataset()));
    expectCleanFailure(
      result,
      /^Segmind refused new fine-tunes for this key \(Segmind POST \/finetune\/request\/submit answered HTTP 410\): "Fine-tuning has been deprecated\. No new jobs are accepted\."\n.*`command: status`, `command: list`, `command: set-access` and `command: download`.*`provider: fal` or `provider: replicate`/,
    );
    expect(apiRequests(sim).filter((r) => r === SUBMIT)).toHaveLength(1);
    expect(sim.jobs.size).toBe(0);
  });
});

describe('the last guard, end to end', () => {
  /** A module run before the action (NODE_OPTIONS=--import) that breaks it on purpose. */
  async function preload(code: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'guard-preload-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'break.mjs');
    await writeFile(file, code);
    return file;
  }

  it('ends a run whose event loop empties unfinished with an error, the summary and exit 1', async () => {
    // Making the run's temporary folder never finishes (and holds nothing open): the run awaits
    // a promise that can never settle, which is what a truncated answer did before.
    const file = await preload(
      `import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
fsp.mkdtemp = () => new Promise(() => {});
syncBuiltinESMExports();
`,
    );
    const sim = await simulator();
    const result = await run(
      sim,
      await workspace(sampleDataset()),
      {},
      { env: { NODE_OPTIONS: `--import=${file}` } },
    );
    expectCleanFailure(
      result,
      /^The action stopped before it finished: something it was waiting for never completed\..*\nThis is a bug in the action/,
    );
    expect(result.outputs['image-count']).toBe('3');
    expect(sim.jobs.size).toBe(0);
  });

  it('ends a run that crashes with the ZIP written: error, summary, outputs, RUNNER_TEMP emptied', async () => {
    // The first request to the storage host throws from a timer: nobody can catch that.
    const file = await preload(
      `import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
const request = http.request;
http.request = function (options, ...rest) {
  if (options && options.method === 'PUT') setTimeout(() => { throw new Error('simulated crash in a timer'); }, 0);
  return request.call(this, options, ...rest);
};
syncBuiltinESMExports();
`,
    );
    const sim: Simulator = await simulator();
    sim.injectFault('upload', { delayMs: 2000 });
    const result = await run(
      sim,
      await workspace(sampleDataset()),
      {},
      { env: { NODE_OPTIONS: `--import=${file}` } },
    );
    expectCleanFailure(
      result,
      /^The action failed unexpectedly: simulated crash in a timer\nThis is a bug/,
    );
    expect(result.outputs['dataset-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(sim.jobs.size).toBe(0);
  });
});
