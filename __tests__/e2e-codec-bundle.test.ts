import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/action-runner.js';
import { run, workspace } from './helpers/e2e.js';

// The bundle under test: dist/, or the one the setup built from the current source.
const BUNDLE = process.env.ACTION_ENTRY
  ? path.dirname(process.env.ACTION_ENTRY)
  : path.join(ROOT, 'dist');

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the codec in the bundle (dist/codec, written by scripts/bundle-codec.js)', () => {
  it('ships WebAssembly only: no native addon anywhere in dist/', async () => {
    const files = await readdir(BUNDLE, { recursive: true });
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
    const versions = JSON.parse(await readFile(path.join(BUNDLE, 'codec/codec.json'), 'utf8'));
    expect(versions).toMatchObject({ sharp: expect.any(String), libheif: expect.any(String) });
  });

  it('fits an image from a copy of dist/ alone, away from node_modules', async () => {
    const copy = await mkdtemp(path.join(tmpdir(), 'dist-copy-'));
    temps.push(copy);
    await cp(BUNDLE, copy, { recursive: true });
    const image = await readFile(path.join(ROOT, '__tests__/fixtures/images/portrait-rotated.jpg'));
    const ws = await workspace({ 'dataset/portrait.jpg': image });
    const result = await run(
      undefined,
      ws,
      { 'dry-run': 'true' },
      { entry: path.join(copy, 'index.js') },
    );
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs['reencoded-count']).toBe('1');
    expect(result.stdout).toContain(
      'Images made ready: 1 turned upright, location removed from 1.',
    );
  });
});
