import { afterEach } from 'vitest';
import {
  startFalSimulator,
  type FalSimulator,
  type FalSimulatorOptions,
} from '../../simulator/fal-simulator.js';
import { run } from './e2e.js';
import type { RunOptions, RunResult } from '../../scripts/action-runner.js';
import { jpeg, png } from './images.js';

export const FAL_KEY = 'fal-key-3c9d1e:0f8a7b6c5d4e';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function falSimulator(options: FalSimulatorOptions = {}): Promise<FalSimulator> {
  const sim = await startFalSimulator({ apiKey: FAL_KEY, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** Runs the bundle with `provider: fal` against the simulator (its URL and key). */
export function runFal(
  sim: FalSimulator | undefined,
  ws: string,
  inputs: Record<string, string> = {},
  extra: RunOptions = {},
): Promise<RunResult> {
  return run(
    undefined,
    ws,
    {
      provider: 'fal',
      ...(sim ? { 'api-url': sim.url, 'api-key': FAL_KEY } : {}),
      ...inputs,
    },
    extra,
  );
}

/** `count` small images (fal's FLUX.1 trainer wants 4, its FLUX.2 trainer 10) and a caption. */
export function falDataset(count = 5, prefix = 'dataset'): Record<string, Buffer | string> {
  const files: Record<string, Buffer | string> = {};
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) files[`${prefix}/p${i}.jpg`] = jpeg(1024, 768 + i);
    else files[`${prefix}/p${i}.png`] = png(64 + i, 48, i);
  }
  files[`${prefix}/p0.txt`] = 'a photo of [trigger] on a beach';
  return files;
}

/** The API requests the simulator saw, as `METHOD path` without query strings. */
export function falApiRequests(sim: FalSimulator): string[] {
  return sim.requests
    .filter((r) => r.server === 'api')
    .map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')}`);
}
