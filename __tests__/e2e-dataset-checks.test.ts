import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { failureOf, run, simulator, workspace } from './helpers/e2e.js';
import { jpeg, png } from './helpers/images.js';
import {
  jpegFile,
  pngChunk,
  pngFile,
  riffChunk,
  u32be,
  vp8l,
  webpFile,
} from './helpers/image-kinds.js';

const LFS_POINTER =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 5123456\n';
const fixture = (name: string) => readFile(path.join(import.meta.dirname, 'fixtures/images', name));

/** Annotations the runner would show: `::warning file=...::message` lines. */
function annotations(
  stdout: string,
  kind: 'warning' | 'notice' | 'error',
): { file?: string; message: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => {
      const [, props = '', message = ''] = /^::\w+ ?([^:]*)::(.*)$/.exec(l) ?? [];
      return { file: /file=([^,]+)/.exec(props)?.[1], message: message.replace(/%0A/g, '\n') };
    });
}

describe('dataset quality checks, end to end (dry run)', () => {
  it('annotates small images, duplicates, captions without the trigger word, and few images', async () => {
    const dup = jpeg(900, 900);
    const ws = await workspace({
      'dataset/tiny.png': png(300, 200),
      'dataset/a.jpg': dup,
      'dataset/a-copy.jpg': dup,
      'dataset/a.txt': 'a red mug on a table',
      'dataset/orphan.txt': 'TOK with no image',
    });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code, result.stdout).toBe(0);
    // The default provider's own warning first: Segmind trains no more.
    const [segmind, ...warnings] = annotations(result.stdout, 'warning');
    expect(segmind!.message).toMatch(/^Segmind takes no new trainings.*`provider: fal`/s);
    expect(warnings).toEqual(
      expect.arrayContaining([
        {
          file: 'dataset/tiny.png',
          message: expect.stringMatching(/300×200; its short side is under 512 px/),
        },
        {
          file: 'dataset/a.txt',
          message: expect.stringMatching(/does not mention the trigger word "TOK"/),
        },
        {
          file: 'dataset/a.jpg',
          message: expect.stringMatching(/byte-identical: dataset\/a-copy\.jpg, dataset\/a\.jpg/),
        },
        { file: undefined, message: expect.stringMatching(/Only 3 images/) },
      ]),
    );
    expect(warnings).toHaveLength(4);
    expect(annotations(result.stdout, 'notice')).toEqual([
      {
        file: 'dataset/orphan.txt',
        message: expect.stringMatching(/no image with the same base name/),
      },
    ]);
    // Every problem is in the summary too.
    expect(result.summary).toMatch(/300×200/);
    expect(result.summary).toMatch(/byte-identical/);
  });

  it('with captioning off, warns about every image without a caption', async () => {
    const ws = await workspace({
      'dataset/1.jpg': jpeg(1024, 1024),
      'dataset/1.txt': 'TOK',
      'dataset/2.jpg': jpeg(1024, 1024),
      'dataset/3.jpg': jpeg(1024, 1024),
      'dataset/4.jpg': jpeg(1024, 1024),
      'dataset/5.jpg': jpeg(1024, 1024),
    });
    const result = await run(undefined, ws, { 'dry-run': 'true', captioning: 'false' });
    expect(result.code, result.stdout).toBe(0);
    // One annotation for the kind, on its first file, naming them all (after Segmind's own).
    const [segmind, warning, ...more] = annotations(result.stdout, 'warning');
    expect(segmind!.message).toMatch(/^Segmind takes no new trainings/);
    expect(more).toEqual([]);
    expect(warning!.file).toBe('dataset/2.jpg');
    expect(warning!.message).toMatch(
      /^4 files have this problem.*\nFiles: dataset\/2\.jpg, dataset\/3\.jpg, dataset\/4\.jpg, dataset\/5\.jpg\.$/s,
    );
  });
});

describe('broken files stop the step before any upload (train, not dry run)', () => {
  /** A good dataset plus `extra`: trains fine without it, so each failure is the extra file's. */
  async function trainWith(extra: Record<string, Buffer | string>) {
    const sim = await simulator();
    const ws = await workspace({
      'dataset/a.jpg': jpegFile({ width: 1024, height: 1024 }),
      'dataset/a.txt': 'photo of TOK',
      'dataset/b.png': pngFile([], 600, 600),
      ...extra,
    });
    const result = await run(sim, ws);
    return { sim, result, failure: failureOf(result) };
  }

  const jpg = jpegFile();
  const pngWhole = pngFile([], 300, 200);
  const webpWhole = webpFile([vp8l(640, 480), riffChunk('XMP ', Buffer.alloc(300))]);
  const cases: [string, () => Promise<Record<string, Buffer | string>>, RegExp][] = [
    [
      'a JPEG without its end-of-image marker',
      async () => ({ 'dataset/cut.jpg': jpg.subarray(0, jpg.length - 800) }),
      /1 image is cut short.*\n- dataset\/cut\.jpg \(a JPEG image cut short: no end-of-image marker \(FFD9\) after its image data\)/,
    ],
    [
      'a PNG without IEND',
      async () => ({ 'dataset/cut.png': pngWhole.subarray(0, pngWhole.length - 12) }),
      /dataset\/cut\.png \(a PNG image cut short: no IEND chunk at its end\)/,
    ],
    [
      'a PNG whose last chunk runs past the end',
      async () => ({ 'dataset/cut.png': pngWhole.subarray(0, pngWhole.length - 5000) }),
      /dataset\/cut\.png \(a PNG image cut short: its IDAT chunk runs past the end of the file\)/,
    ],
    [
      'a WebP whose RIFF size is not the file size',
      async () => ({ 'dataset/cut.webp': webpWhole.subarray(0, webpWhole.length - 100) }),
      /dataset\/cut\.webp \(a WebP image cut short: its RIFF header says \d+ bytes but the file has \d+\)/,
    ],
    [
      'a Git LFS pointer',
      async () => ({ 'dataset/lfs.jpg': LFS_POINTER }),
      /1 image is a Git LFS pointer[^]*dataset\/lfs\.jpg[^]*set `lfs: true` on the actions\/checkout step/,
    ],
    [
      'an AVIF named .heic',
      async () => ({ 'dataset/photo.heic': await fixture('gradient-64x48.avif') }),
      /dataset\/photo\.heic \(an AVIF image\)/,
    ],
    [
      'a base name with a carriage return',
      async () => ({ 'dataset/a\rb.jpg': jpegFile() }),
      /1 dataset file has a name that cannot be stored in the ZIP portably \(shown escaped\):\n- "dataset\/a\\rb\.jpg": a control character \(U\+000D\)/,
    ],
    [
      'a base name with a backslash',
      async () => ({ 'dataset/a\\b.jpg': jpegFile() }),
      /"dataset\/a\\\\b\.jpg": a backslash/,
    ],
  ];
  for (const [what, extra, expected] of cases) {
    it(`fails on ${what} with its own message, with no request and no job`, async () => {
      const { sim, result, failure } = await trainWith(await extra());
      expect(result.code, result.stdout).toBe(1);
      expect(failure).toMatch(expected);
      expect(sim.requests).toEqual([]); // no list, no pre-signed URL, no upload, no submit
      expect(sim.jobs.size).toBe(0);
      expect(result.tempLeft).toEqual([]);
    });
  }

  it('fails on a file name that is not valid UTF-8, naming it escaped (not a raw ENOENT)', async () => {
    const sim = await simulator();
    const ws = await workspace({ 'dataset/a.jpg': jpegFile(), 'dataset/a.txt': 'photo of TOK' });
    await writeFile(
      Buffer.concat([Buffer.from(`${ws}/dataset/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]),
      jpegFile(),
    );
    const result = await run(sim, ws);
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /1 dataset file has a name that is not valid UTF-8 \(shown escaped, \\xNN for each byte that is not\):\n- "dataset\/caf\\xe9\.jpg"/,
    );
    expect(result.stdout).not.toMatch(/ENOENT|lstat/);
    expect(sim.requests).toEqual([]);
  });

  it('accepts a HEIC image (any case) as an image of the dataset', async () => {
    const ws = await workspace({
      'dataset/a.jpg': jpegFile({ width: 1024, height: 1024 }),
      'dataset/IMG_0001.HEIC': await fixture('gradient-64x48.heic'),
      'dataset/IMG_0001.txt': 'photo of TOK',
    });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs['image-count']).toBe('2');
    expect(result.outputs['caption-count']).toBe('1');
    expect(result.stdout).not.toMatch(/no readable|HEIC image\)/);
  });

  it('lists every broken file of a dataset at once', async () => {
    const { sim, failure } = await trainWith({
      'dataset/cut.jpg': jpg.subarray(0, 1000),
      'dataset/cut.png': pngWhole.subarray(0, pngWhole.length - 12),
      'dataset/lfs.png': LFS_POINTER,
      'dataset/text.webp': 'not an image',
    });
    expect(failure).toMatch(/2 images are cut short/);
    expect(failure).toMatch(/1 image is a Git LFS pointer/);
    expect(failure).toMatch(/dataset\/text\.webp \(not an image\)/);
    expect(sim.requests).toEqual([]);
  });

  it('warns about animated images and CMYK JPEGs, and trains on them', async () => {
    const actl = pngChunk('acTL', Buffer.concat([u32be(2), u32be(0)]));
    const { sim, result } = await trainWith({
      'dataset/anim.webp': await fixture('animated-64x48.webp'),
      'dataset/anim.png': pngFile([actl], 600, 600),
      'dataset/print.jpg': await fixture('cmyk-64x48.jpg'),
    });
    expect(result.code, result.stdout).toBe(0);
    const warnings = annotations(result.stdout, 'warning');
    expect(warnings).toEqual(
      expect.arrayContaining([
        {
          file: 'dataset/anim.webp',
          message: expect.stringMatching(/animated WebP: only its first frame trains/),
        },
        {
          file: 'dataset/anim.png',
          message: expect.stringMatching(/animated PNG: only its first frame trains/),
        },
        { file: 'dataset/print.jpg', message: expect.stringMatching(/CMYK JPEG/) },
      ]),
    );
    expect(result.summary).toMatch(/only its first frame trains/);
    expect(sim.jobs.size).toBe(1);
  });
});
