import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import type { DatasetImage } from '../src/dataset/collect.js';
import { readImageHeader } from '../src/dataset/image-header.js';
import { codecLoaded } from '../src/dataset/fit/codec.js';
import { fitImages } from '../src/dataset/fit/fit-dataset.js';

// Its own file: vitest gives each file a fresh module graph, so nothing else has loaded the codec.
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'images');

async function image(name: string): Promise<DatasetImage> {
  const file = path.join(FIXTURES, name);
  const bytes = (await readFile(file)).length;
  const header = (await readImageHeader(file, bytes))!;
  return { path: file, relative: `dataset/${name}`, entryName: name, bytes, ...header };
}

it('loads the codec only when an image needs decoding', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'images-lazy-'));
  try {
    const options = { maxSide: 2048, strip: true };
    const small = await Promise.all(
      ['upright-small.jpg', 'graphic.png', 'lossless.webp'].map(image),
    );
    const stripped = await fitImages(small, options, path.join(dir, 'a'));
    expect([...stripped.results.values()].every(({ result }) => result.metadataRemoved)).toBe(true);
    expect(codecLoaded()).toBe(false);
    await fitImages([await image('portrait-rotated.jpg')], options, path.join(dir, 'b'));
    expect(codecLoaded()).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
