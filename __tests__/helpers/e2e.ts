import { mkdtemp, mkdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import { runAction, type RunOptions, type RunResult } from '../../scripts/action-runner.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../simulator/segmind-simulator.js';
import { jpeg, png } from './images.js';

export const API_KEY = 'e2e-key-5b1f0c';

/** The Node that runs dist/index.js: E2E_NODE (.ci/run sets a Node 24 there) or this one. */
export const NODE = process.env.E2E_NODE || process.execPath;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ apiKey: API_KEY, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** A workspace folder with the given files (Buffer or text); removed after the test. */
export async function workspace(files: Record<string, Buffer | string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'e2e-ws-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

export async function link(ws: string, name: string, target: string): Promise<void> {
  await mkdir(path.dirname(path.join(ws, name)), { recursive: true });
  await symlink(target, path.join(ws, name));
}

/** A small valid dataset: three images of each kind we accept, two captions. */
export function sampleDataset(prefix = 'dataset'): Record<string, Buffer | string> {
  return {
    [`${prefix}/a.jpg`]: jpeg(1024, 768),
    [`${prefix}/a.txt`]: 'a photo of [trigger] on a beach',
    [`${prefix}/b.png`]: png(64, 48, 1),
    [`${prefix}/b.txt`]: 'TOK in the snow',
    [`${prefix}/sub/c.JPEG`]: jpeg(800, 1200),
  };
}

/** Runs dist/index.js as the runner does, with the simulator's URL and key unless overridden. */
export function run(
  sim: Simulator | undefined,
  ws: string,
  inputs: Record<string, string> = {},
  extra: RunOptions = {},
): Promise<RunResult> {
  return runAction({
    node: NODE,
    workspace: ws,
    ...extra,
    inputs: {
      ...(sim ? { 'api-url': sim.url, 'api-key': API_KEY } : {}),
      ...inputs,
    },
    env: { SEGMIND_ACTION_RETRY_BASE_MS: '10', ...extra.env },
  });
}

/** The log without its ::add-mask:: commands: what a reader of the log sees. */
export function visible(result: Pick<RunResult, 'stdout'>): string {
  return result.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

/** The `::error::` text of a run (the step's failure), unescaped. */
export function failureOf(result: Pick<RunResult, 'stdout'>): string {
  return result.stdout
    .split('\n')
    .filter((l) => l.startsWith('::error'))
    .map((l) =>
      l
        .replace(/^::error[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%'),
    )
    .join('\n');
}

/** Requests that reached the Segmind API (not storage or the public host). */
export function apiRequests(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.server === 'api')
    .map((r) => `${r.method} ${r.path.split('?')[0]}`);
}
