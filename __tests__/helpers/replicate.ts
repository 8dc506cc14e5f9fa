/**
 * What the Replicate tests share: the simulator (closed after each test), a run of the bundle
 * with `provider: replicate` against it, a dataset ZIP in memory, a tar reader (7-Zip from
 * 7zip-bin, an independent one) and the checks every run must pass (no token anywhere shown).
 */
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { RunOptions, RunResult } from '../../scripts/action-runner.js';
import {
  startReplicateSimulator,
  type ReplicateSimulator,
  type ReplicateSimulatorOptions,
} from '../../simulator/replicate-simulator.js';
import { writeZip } from '../../src/dataset/zip.js';
import { run, visible } from './e2e.js';
import { jpeg, png } from './images.js';

/** The token the tests' simulator accepts; shaped as Replicate's are. */
export const TOKEN = 'r8_e2eTokenForTheSimulator0123456789abc';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function replicateSimulator(
  options: ReplicateSimulatorOptions = {},
): Promise<ReplicateSimulator> {
  const sim = await startReplicateSimulator({ apiKey: TOKEN, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** Runs dist/index.js with `provider: replicate`, the simulator's URL and the token. */
export function runReplicate(
  sim: ReplicateSimulator | undefined,
  ws: string,
  inputs: Record<string, string> = {},
  extra: RunOptions = {},
): Promise<RunResult> {
  return run(
    undefined,
    ws,
    {
      provider: 'replicate',
      ...(sim ? { 'api-url': sim.url, 'api-key': TOKEN } : {}),
      ...inputs,
    },
    extra,
  );
}

/** Requests that reached the API, as `METHOD /path` (ids kept, queries left out). */
export function calls(sim: ReplicateSimulator, from = 0): string[] {
  return sim.requests
    .slice(from)
    .filter((r) => r.server === 'api')
    .map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

/** Twelve photos, two of them captioned: what a new user's `dataset/` holds. */
export function photos(prefix = 'dataset'): Record<string, Buffer | string> {
  const files: Record<string, Buffer | string> = {};
  for (let i = 1; i <= 12; i++) {
    files[`${prefix}/photo-${String(i).padStart(2, '0')}.jpg`] = jpeg(1024, 768, 1500 + i);
  }
  files[`${prefix}/photo-01.txt`] = 'a photo of [trigger] on a beach';
  files[`${prefix}/photo-02.txt`] = 'TOK in the snow';
  return files;
}

/** A dataset ZIP in memory, as the action writes one (for the simulator's own tests). */
export async function datasetZip(
  entries: Record<string, Buffer | string> = { 'a.png': png(64, 48), 'a.txt': 'TOK' },
): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'replicate-zip-'));
  try {
    const out = path.join(dir, 'dataset.zip');
    await writeZip(
      Object.entries(entries).map(([name, data]) => ({
        name,
        source: { buffer: Buffer.from(data) },
      })),
      out,
    );
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The members of a tar, as 7-Zip (7zip-bin) lists them, and the bytes of one: a reader that is
 * not this project's. Undefined when 7-Zip cannot run on this machine.
 */
export async function sevenZip(
  tar: Buffer,
  member?: string,
): Promise<{ names: string[]; data?: Buffer } | undefined> {
  const { path7za } = (await import('7zip-bin')) as { path7za: string };
  const dir = await mkdtemp(path.join(tmpdir(), 'replicate-tar-'));
  try {
    // The npm package ships the binary without its execute bit: run a copy that has it.
    const bin = path.join(dir, '7za');
    await copyFile(path7za, bin);
    await chmod(bin, 0o755);
    const file = path.join(dir, 'weights.tar');
    await writeFile(file, tar);
    const listed = spawnSync(bin, ['l', '-slt', '-ttar', file]);
    if (listed.error || listed.status !== 0) return undefined;
    const names = [...listed.stdout.toString().matchAll(/^Path = (.+)$/gm)]
      .map((m) => m[1]!)
      .filter((name) => name !== file);
    if (!member) return { names };
    const extracted = spawnSync(bin, ['x', '-so', '-ttar', file, member], {
      maxBuffer: 1 << 30,
    });
    return { names, data: extracted.stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Nothing a reader of the run can see holds the token, and it never went to the public host. */
export function expectNoToken(result: RunResult, sim: ReplicateSimulator, context = ''): void {
  const shown = [visible(result), result.stderr, result.summary, JSON.stringify(result.outputs)];
  expect(shown.join('\n'), context).not.toContain(TOKEN);
  expect(result.stdout, context).toContain(`::add-mask::${TOKEN}`);
  expect(sim.tokenLeakedToPublic, context).toBe(false);
}
