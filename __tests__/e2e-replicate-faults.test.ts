import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/action-runner.js';
import type { EndpointKey, Fault, ReplicateSimulator } from '../simulator/replicate-simulator.js';
import { failureOf, visible, workspace } from './helpers/e2e.js';
import {
  datasetZip,
  photos,
  replicateSimulator,
  runReplicate,
  TOKEN,
} from './helpers/replicate.js';
import {
  COMMON_FAULTS,
  describePlan as planText,
  fuzzSettings,
  MALFORMED_FAULTS,
  pick,
  tally,
} from './helpers/fuzz.js';

// Seeded randomized faults on Replicate's routes, end to end (as e2e-random-faults.test.ts does
// for Segmind's): each run trains against a simulator that injects up to three random faults on
// every route the run uses (5xx, 429 with Retry-After, resets, delays, answers cut short,
// malformed 200 answers, gateway HTML pages, error text with line breaks, a training, file or
// model created and its answer lost). Five attempts a request, so every run must end with the
// LoRA trained, never a second training, never a hang or a silent exit; then a clean re-run
// must adopt exactly that training.
//
// Replay a failure with REPLICATE_FAULT_SEED=<the seed in the test's title>;
// REPLICATE_FAULT_RUNS sets how many runs (default 12).

const { SEED, RUNS, random: seeded, replay } = fuzzSettings('REPLICATE_FAULT', 20261202, 12);
/** Runs at once: each is a process of its own, with a simulator of its own. */
const PARALLEL = 3;
const TLS_CERT = path.join(import.meta.dirname, 'fixtures/tls/cert.pem');
const TLS_KEY = path.join(import.meta.dirname, 'fixtures/tls/key.pem');

type Pick = (random: () => number) => Fault;
const common = COMMON_FAULTS as Fault[];
const malformed = MALFORMED_FAULTS as Fault[];
const lostAfterWork: Fault[] = [
  { afterCommit: true, truncate: true },
  { afterCommit: true, reset: true },
  { afterCommit: true, status: 502 },
  { afterCommit: true, malformed: 'not-json' },
  { afterCommit: true, gatewayPage: true, status: 504 },
];

/** The faults each route may get. */
const FAULTS: Partial<Record<EndpointKey, Pick>> = {
  list: pick(...common, ...malformed),
  files: pick(...common, ...malformed),
  account: pick(...common, ...malformed),
  model: pick(...common, { malformed: 'not-json' }, { malformed: 'html' }, { malformed: 'null' }),
  createModel: pick(...common, ...malformed, ...lostAfterWork),
  upload: pick(...common, { malformed: 'html' }, { malformed: 'empty-object' }, ...lostAfterWork),
  submit: pick(...common, { malformed: 'html' }, { malformed: 'null' }, ...lostAfterWork),
  training: pick(...common, ...malformed),
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
    ? ['list', 'account', 'model', 'createModel', 'submit', 'training', 'head']
    : ['list', 'files', 'model', 'account', 'createModel', 'upload', 'submit', 'training'];
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

function expectClean(result: RunResult, sim: ReplicateSimulator, context: string): void {
  const shown = [visible(result), result.stderr, result.summary, JSON.stringify(result.outputs)];
  expect(shown.join('\n'), context).not.toContain(TOKEN);
  expect(sim.tokenLeakedToPublic, context).toBe(false);
  // Server text never breaks a line: no injected workflow command.
  expect(
    result.stdout.split('\n').some((l) => l.startsWith('::error::injected')),
    context,
  ).toBe(false);
  expect(result.tempLeft, context).toEqual([]);
}

async function oneRun(p: Plan, tls: { key: Buffer; cert: Buffer }): Promise<void> {
  const context = describePlan(p);
  const sim = await replicateSimulator(p.datasetUrl ? { tls } : {});
  const ws = await workspace(p.datasetUrl ? {} : photos());
  const inputs: Record<string, string> = {
    'wait-for': 'TRAINING_COMPLETED',
    'poll-interval-seconds': '1',
    'wait-timeout-minutes': '1',
  };
  if (p.datasetUrl) {
    inputs['dataset-url'] = sim.addPublicFile('/datasets/public.zip', await datasetZip());
  }
  const env = p.datasetUrl ? { env: { NODE_EXTRA_CA_CERTS: TLS_CERT } } : {};
  for (const [route, fault] of p.faults) sim.injectFault(route, fault);

  const result = await runReplicate(sim, ws, inputs, env);
  const detail = `${context}\n${result.stdout}\n${result.stderr}`;
  // Settles: success, or a failure with its ::error:: line (never Node's exit code 13).
  expect([0, 1], detail).toContain(result.code);
  if (result.code === 1) expect(failureOf(result), detail).not.toBe('');
  // At most three faults a route against five attempts a request: the run ends with the LoRA.
  expect(result.code, detail).toBe(0);
  expect(result.outputs.status, detail).toBe('succeeded');
  expect(result.outputs['model-url'], detail).toMatch(/\/trained_model\.tar$/);
  expect(sim.trainings.size, detail).toBe(1);
  expect(sim.models.size, detail).toBe(2);
  expectClean(result, sim, detail);

  // A clean re-run, as a user re-runs a job: exactly one training, adopted.
  const again = await runReplicate(sim, ws, { ...inputs, 'wait-for': 'none' }, env);
  const detail2 = `${context} (re-run)\n${again.stdout}\n${again.stderr}`;
  expect(again.code, detail2).toBe(0);
  expect(sim.trainings.size, detail2).toBe(1);
  expect(again.outputs['finetune-id'], detail2).toBe([...sim.trainings.keys()][0]);
  expect(again.outputs.reused, detail2).toBe('true');
  expectClean(again, sim, detail2);
}

describe('random faults on every Replicate route, end to end', () => {
  it(
    `${RUNS} runs from seed ${SEED} (${replay} replays another) end with the LoRA, one training, no token shown, nothing left behind`,
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
        `e2e-replicate-faults: ${RUNS} runs and ${RUNS} re-runs passed with ${faults} faults: ${tally(plans.flatMap((p) => p.faults.map(([, f]) => f)))}`,
      );
      // Not a test that cannot fail for want of faults.
      expect(faults).toBeGreaterThan(RUNS);
    },
    Math.max(120_000, RUNS * 15_000),
  );
});
