import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/action-runner.js';
import type { EndpointKey, Fault, Simulator } from '../simulator/segmind-simulator.js';
import {
  API_KEY,
  failureOf,
  run,
  sampleDataset,
  simulator,
  visible,
  workspace,
} from './helpers/e2e.js';
import {
  describePlan as planText,
  fuzzSettings,
  HOSTILE_MESSAGE,
  pick as pickOf,
  tally,
} from './helpers/fuzz.js';

// Seeded randomized faults, end to end: each run trains against a simulator that injects up to
// three random faults on every route it uses (5xx, 429 with Retry-After, resets, delays, answers
// cut short, malformed 200 answers, gateway HTML pages, error text with line breaks, a submit
// whose answer is lost after the job was created). Five attempts a request, so every run must
// end with the model; then a clean re-run on the same account must adopt exactly that one job.
//
// Replay a failure with FAULT_SEED=<the seed in the test's title>; FAULT_RUNS sets how many runs (default 14).

const { SEED, RUNS, random: seeded, replay } = fuzzSettings('FAULT', 20261129, 14);
/** Runs at once: each is a process of its own, with a simulator of its own. */
const PARALLEL = 3;
const TLS_CERT = path.join(import.meta.dirname, 'fixtures/tls/cert.pem');
const TLS_KEY = path.join(import.meta.dirname, 'fixtures/tls/key.pem');

type Pick = (random: () => number) => Fault;
const pick = (...faults: Fault[]): Pick => pickOf(...faults);

const common: Fault[] = [
  { status: 500 },
  { status: 502 },
  { status: 503, retryAfter: '0.05' },
  { status: 429, retryAfter: '0.05', body: { message: 'Too many requests' } },
  { reset: true },
  { delayMs: 50 },
  { truncate: true },
  { truncate: 3 },
  { gatewayPage: true, status: 502 },
  { gatewayPage: true, status: 503 },
  { status: 503, message: HOSTILE_MESSAGE },
];
const malformed: Fault[] = [
  { malformed: 'not-json' },
  { malformed: 'null' },
  { malformed: 'empty-object' },
  { malformed: 'html' },
];

/** The faults each route may get. `[]` is a well-formed (empty) list, so not a fault there. */
const FAULTS: Partial<Record<EndpointKey, Pick>> = {
  list: pick(...common, ...malformed),
  details: pick(...common, ...malformed, { malformed: 'empty-array' }),
  presign: pick(...common, ...malformed, { malformed: 'empty-array' }),
  submit: pick(
    ...common,
    { malformed: 'html' },
    { malformed: 'null' },
    { afterCommit: true, truncate: true },
    { afterCommit: true, reset: true },
    { afterCommit: true, status: 502 },
    { afterCommit: true, malformed: 'not-json' },
    { afterCommit: true, gatewayPage: true, status: 504 },
  ),
  upload: pick(
    { status: 500 },
    { status: 503, retryAfter: '0.05' },
    { reset: true },
    { delayMs: 50 },
    { truncate: true },
    { status: 503, message: HOSTILE_MESSAGE },
  ),
  head: pick(
    { status: 503 },
    { status: 502 },
    { reset: true },
    { truncate: true },
    { gatewayPage: true, status: 503 },
  ),
};

interface Plan {
  index: number;
  /** Train from a public ZIP (dataset-url: HEAD, no upload) instead of the repository. */
  datasetUrl: boolean;
  faults: [EndpointKey, Fault][];
}

function plan(index: number, random: () => number): Plan {
  const datasetUrl = random() < 0.25;
  const routes: EndpointKey[] = datasetUrl
    ? ['list', 'submit', 'details', 'head']
    : ['list', 'presign', 'upload', 'submit', 'details'];
  const faults: [EndpointKey, Fault][] = [];
  for (const route of routes) {
    const count = Math.floor(random() * 4); // 0 to 3
    for (let i = 0; i < count; i++) faults.push([route, FAULTS[route]!(random)]);
  }
  return { index, datasetUrl, faults };
}

function describePlan(p: Plan): string {
  return planText(p.index, SEED, p.faults, p.datasetUrl ? 'dataset-url' : '');
}

/** What a reader of the run could see: log (without ::add-mask::), errors, summary, outputs. */
function shown(result: RunResult): string {
  return [visible(result), result.stderr, result.summary, JSON.stringify(result.outputs)].join(
    '\n',
  );
}

function expectNoSecret(result: RunResult, sim: Simulator, context: string): void {
  const text = shown(result);
  expect(text, context).not.toContain(API_KEY);
  for (const r of sim.requests.filter((q) => q.server === 'storage')) {
    const signature = new URL(r.path, sim.storageUrl).searchParams.get('X-Amz-Signature');
    if (signature) expect(text, context).not.toContain(signature);
  }
  expect(text, context).not.toMatch(/X-Amz-(Signature|Credential)=[^*&\s"]/);
  // Server text never breaks a line: no injected workflow command.
  expect(
    result.stdout.split('\n').some((l) => l.startsWith('::error::injected')),
    context,
  ).toBe(false);
}

async function oneRun(p: Plan, tls: { key: Buffer; cert: Buffer }): Promise<void> {
  const context = describePlan(p);
  const sim = await simulator(p.datasetUrl ? { tls } : {});
  const ws = await workspace(sampleDataset());
  const inputs: Record<string, string> = {
    'wait-for': 'TRAINING_COMPLETED',
    'poll-interval-seconds': '1',
    'wait-timeout-minutes': '1',
  };
  if (p.datasetUrl) {
    inputs['dataset-url'] = sim.addPublicFile(
      '/datasets/public.zip',
      Buffer.from('PK\u0003\u0004 a ZIP'),
    );
  }
  const env = p.datasetUrl ? { env: { NODE_EXTRA_CA_CERTS: TLS_CERT } } : {};
  for (const [route, fault] of p.faults) sim.injectFault(route, fault);

  const result = await run(sim, ws, inputs, env);
  const detail = `${context}\n${result.stdout}\n${result.stderr}`;
  // Settles: success, or a failure with its ::error:: line (never Node's exit code 13).
  expect([0, 1], detail).toContain(result.code);
  if (result.code === 1) expect(failureOf(result), detail).not.toBe('');
  // At most three faults a route against five attempts a request: the run ends with the model.
  expect(result.code, detail).toBe(0);
  expect(result.outputs.status, detail).toBe('TRAINING_COMPLETED');
  expect(result.outputs['model-url'], detail).toMatch(/^https?:\/\//);
  expect(sim.jobs.size, detail).toBeLessThanOrEqual(1);
  expect(result.tempLeft, detail).toEqual([]);
  expectNoSecret(result, sim, detail);

  // A clean re-run, as a user re-runs a job: exactly one job, adopted and named.
  const again = await run(sim, ws, { ...inputs, 'wait-for': 'none' }, env);
  const detail2 = `${context} (re-run)\n${again.stdout}\n${again.stderr}`;
  expect(again.code, detail2).toBe(0);
  expect(sim.jobs.size, detail2).toBe(1);
  const job = [...sim.jobs.values()][0]!;
  expect(again.outputs['finetune-id'], detail2).toBe(job.finetune_id);
  expect(again.outputs.reused, detail2).toBe('true');
  expect(again.tempLeft, detail2).toEqual([]);
  expectNoSecret(again, sim, detail2);
}

describe('random faults on every route, end to end', () => {
  it(
    `${RUNS} runs from seed ${SEED} (${replay} replays another) end with the model, one job, no secret, nothing left behind`,
    async () => {
      const random = seeded();
      const plans = Array.from({ length: RUNS }, (_, i) => plan(i + 1, random));
      const tls = { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) };
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < plans.length) await oneRun(plans[next++]!, tls);
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      const faults = plans.reduce((n, p) => n + p.faults.length, 0);
      console.log(
        `e2e-random-faults: ${RUNS} runs and ${RUNS} re-runs passed with ${faults} faults: ${tally(plans.flatMap((p) => p.faults.map(([, f]) => f)))}`,
      );
      // Not a test that cannot fail for want of faults.
      expect(faults).toBeGreaterThan(RUNS);
    },
    // Bounded by the number of runs (about 30 s for the default 14 on two cores).
    Math.max(120_000, RUNS * 15_000),
  );
});
