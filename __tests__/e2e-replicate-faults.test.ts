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
import { seededRandom } from './helpers/random.js';

// Seeded randomized faults on Replicate's routes, end to end (as e2e-random-faults.test.ts does
// for Segmind's): each run trains against a simulator that injects up to three random faults on
// every route the run uses (5xx, 429 with Retry-After, resets, delays, answers cut short,
// malformed 200 answers, gateway HTML pages, error text with line breaks, a training, file or
// model created and its answer lost). Five attempts a request, so every run must end with the
// LoRA trained, never a second training, never a hang or a silent exit; then a clean re-run
// must adopt exactly that training.
//
// Replay a failure with FAULT_SEED=<the printed seed>; FAULT_RUNS sets how many runs (default 12).

const SEED = Number(process.env.FAULT_SEED ?? 20261202) >>> 0;
const RUNS = Math.max(1, Number(process.env.FAULT_RUNS ?? 12));
/** Runs at once: each is a process of its own, with a simulator of its own. */
const PARALLEL = 3;
const TLS_CERT = path.join(import.meta.dirname, 'fixtures/tls/cert.pem');
const TLS_KEY = path.join(import.meta.dirname, 'fixtures/tls/key.pem');

/** A line break in server text: printed raw it would start a new log line, a workflow command. */
const HOSTILE_MESSAGE = 'upstream reset\r::error::injected\u2028line two';

type Pick = (random: () => number) => Fault;
const pick =
  (...faults: Fault[]): Pick =>
  (random) =>
    faults[Math.floor(random() * faults.length)]!;

const common: Fault[] = [
  { status: 500 },
  { status: 502 },
  { status: 503, retryAfter: '0.05' },
  { status: 429, retryAfter: '0.05' },
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
  { malformed: 'empty-array' },
  { malformed: 'html' },
];
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
  return `run ${p.index} (seed ${SEED}${p.datasetUrl ? ', dataset-url' : ''}): ${
    p.faults.map(([route, fault]) => `${route} ${JSON.stringify(fault)}`).join('; ') || 'no faults'
  }`;
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

/** A fault's kind, for the tally printed at the end. */
function kindOf(fault: Fault): string {
  const base = fault.truncate
    ? 'cut short'
    : fault.malformed
      ? `malformed ${fault.malformed}`
      : fault.gatewayPage
        ? `gateway page ${fault.status}`
        : fault.reset
          ? 'reset'
          : fault.message
            ? 'line breaks in error text'
            : fault.status !== undefined
              ? `HTTP ${fault.status}`
              : 'delay';
  return fault.afterCommit ? `${base} after the work` : base;
}

describe('random faults on every Replicate route, end to end', () => {
  it(
    `${RUNS} seeded runs end with the LoRA, one training, no token shown, nothing left behind`,
    async () => {
      console.log(
        `e2e-replicate-faults: seed ${SEED}, ${RUNS} runs (replay with FAULT_SEED=${SEED})`,
      );
      const random = seededRandom(SEED);
      const plans = Array.from({ length: RUNS }, (_, i) => plan(i + 1, random));
      const tls = { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) };
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < plans.length) await oneRun(plans[next++]!, tls);
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      const tally = new Map<string, number>();
      for (const [, fault] of plans.flatMap((p) => p.faults)) {
        tally.set(kindOf(fault), (tally.get(kindOf(fault)) ?? 0) + 1);
      }
      const faults = plans.reduce((n, p) => n + p.faults.length, 0);
      console.log(
        `e2e-replicate-faults: ${RUNS} runs and ${RUNS} re-runs passed with ${faults} faults: ${[
          ...tally,
        ]
          .sort((a, b) => b[1] - a[1])
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', ')}`,
      );
      // Not a test that cannot fail for want of faults.
      expect(faults).toBeGreaterThan(RUNS);
    },
    Math.max(120_000, RUNS * 15_000),
  );
});
