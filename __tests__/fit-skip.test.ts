// Its own file: vitest gives each file a fresh module graph, so the fitting module is loaded here
// only if this file's runs load it.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { expect, it, vi } from 'vitest';
import { sampleDataset, workspace } from './helpers/e2e.js';
import { runInProcess } from './helpers/in-process.js';

const loads = vi.hoisted(() => ({ fitting: 0 }));
vi.mock('../src/dataset/fit/fit-dataset.js', async (importOriginal) => {
  loads.fitting++;
  return importOriginal();
});

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'images');

it('never loads the fitting code when the headers show no image needs a change, and loads it when one does', async () => {
  // JPEG and PNG without metadata, all within max-image-side: nothing to change.
  const plain = await runInProcess(
    { 'dry-run': 'true' },
    { workspace: await workspace(sampleDataset()) },
  );
  expect(plain.failed, plain.stdout).toBe(false);
  expect(plain.stdout).toContain('Images: none needed a change.');
  expect(plain.outputs['reencoded-count']).toBe('0');
  expect(loads.fitting).toBe(0);

  // One photo with EXIF and GPS: stripping needs the fitting code.
  const withExif = await runInProcess(
    { 'dry-run': 'true' },
    {
      workspace: await workspace({
        ...sampleDataset(),
        'dataset/landscape.jpg': await readFile(path.join(FIXTURES, 'landscape.jpg')),
      }),
    },
  );
  expect(withExif.failed, withExif.stdout).toBe(false);
  expect(withExif.stdout).toContain('location removed from 1');
  expect(loads.fitting).toBe(1);
});
