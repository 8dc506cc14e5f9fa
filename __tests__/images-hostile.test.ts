// Images built to cost the runner gigabytes and minutes, or to keep their location through
// "location removed": each finding of the adversarial review of the fitting code, rebuilt from a
// small generator (helpers/images-hostile.ts), ends in a clear error or a correct result, within
// seconds and bounded memory. The end-to-end side (the step's message, summary and empty
// RUNNER_TEMP, a SIGTERM mid-image) is in e2e-hostile-images.test.ts.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { withStdout } from './helpers/stdout.js';
import { collectDataset, type DatasetImage } from '../src/dataset/collect.js';
import { inspectImageBytes, readImageHeader, Reader } from '../src/dataset/image-header.js';
import { loadSharp } from '../src/dataset/fit/codec.js';
import { fitImages, LazyCodec } from '../src/dataset/fit/fit-dataset.js';
import { stripMetadata } from '../src/dataset/fit/metadata.js';
import { CodecError, CodecPool, type CodecJob } from '../src/dataset/fit/pool.js';
import { writeZip, zipEntriesOf } from '../src/dataset/zip.js';
import { ActionError } from '../src/shared/errors.js';
import { CancelledError } from '../src/shared/cancellation.js';
import { pngChunk, pngFile, segment, tiffWithOrientation } from './helpers/image-kinds.js';
import {
  MARKER,
  baselineJpeg,
  exifSegment,
  fillBytes,
  heifGrid,
  metadataLayouts,
  pngChunkFlood,
  pngTextBomb,
  progressiveJpeg,
  segmentFlood,
  webpChunkFlood,
} from './helpers/images-hostile.js';
import { jpegFile } from './helpers/image-kinds.js';
import { readZip } from './helpers/zip.js';
import { until } from './helpers/until.js';

const DEFAULT = { maxSide: 2048, strip: true };
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'images');
const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});
/**
 * The phone HEIC fixture with `padding` bytes in a top-level `free` box: libheif holds the whole
 * file in its memory while it decodes, so the file's size is what it must allocate.
 */
async function paddedHeic(
  dir: string,
  name: string,
  padding: number,
): Promise<{ file: string; bytes: number }> {
  const heic = await readFile(path.join(FIXTURES, 'phone.heic'));
  const free = Buffer.alloc(8);
  free.writeUInt32BE(8 + padding, 0);
  free.write('free', 4, 'latin1');
  const file = path.join(dir, name);
  const data = Buffer.concat([heic, free, Buffer.alloc(padding)]);
  await writeFile(file, data);
  return { file, bytes: data.length };
}

/** A HEIC fitted to JPEG as the action fits one. */
function heicJob(file: string): CodecJob {
  return {
    file,
    heif: true,
    maxPixels: 64e6,
    maxSide: 2048,
    keep: 'icc',
    encoder: { format: 'jpg', lossless: false, quality: 90 },
  };
}

async function temp(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'images-hostile-'));
  temps.push(dir);
  return dir;
}

/** A workspace with `files` under dataset/, collected as the action collects it. */
async function workspaceOf(files: Record<string, Buffer>): Promise<string> {
  const dir = await temp();
  await mkdir(path.join(dir, 'dataset'));
  for (const [name, bytes] of Object.entries(files)) {
    await writeFile(path.join(dir, 'dataset', name), bytes);
  }
  return dir;
}

async function refusal(files: Record<string, Buffer>): Promise<string> {
  const error = await collectDataset(['dataset/**'], await workspaceOf(files)).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  return `${(error as ActionError).message}\n${(error as ActionError).hint}`;
}

async function datasetImages(dir: string, names: string[]): Promise<DatasetImage[]> {
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const bytes = (await readFile(file)).length;
      const header = (await readImageHeader(file, bytes))!;
      expect(header.overLimit, name).toBeUndefined();
      return { ...header, path: file, relative: `dataset/${name}`, entryName: name, bytes };
    }),
  );
}

/** A PNG that declares `width` × `height` with the data of a 40 × 30 one. */
function pngDeclaring(width: number, height: number): Buffer {
  const png = Buffer.from(pngFile());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

describe('bombs are refused from their structure, before anything decodes them', () => {
  it('names each file and the bound it is over, all in one error', async () => {
    const message = await refusal({
      // 43 KB in the review; a 31 × 31 grid whose every cell is one 512-pixel tile.
      'grid-bomb.heic': heifGrid({ columns: 31, rows: 31, oneItem: true }),
      // 887 KB: 16000 × 16000 greyscale in 883 scans of end-of-block runs, and its 67 KB
      // 4096 × 4096 sibling.
      'scan-bomb.jpg': progressiveJpeg(16000, 16000, 883),
      'scan-bomb-small.jpg': progressiveJpeg(4096, 4096, 883),
      // 60 MB: a comment and 15 million empty APP3 segments.
      'segment-flood.jpg': segmentFlood(15_000_000),
      'chunk-flood.png': pngChunkFlood(1_000_000),
      'chunk-flood.webp': webpChunkFlood(1_000_000),
      // 798 KB, 3000 × 3000, 100 zTXt chunks of 7.9 MB each once inflated.
      'text-bomb.png': pngTextBomb(),
      // What held before: a header that declares 60000 × 60000.
      'declared.png': pngDeclaring(60000, 60000),
      'declared.jpg': jpegFile({ width: 60000, height: 60000 }),
    });
    expect(message).toMatch(/9 images are beyond the bounds the action decodes within/);
    const lines = message.split('\n');
    const line = (name: string) => lines.find((l) => l.includes(`dataset/${name} `)) ?? '';
    expect(line('grid-bomb.heic')).toMatch(
      /declares 15872×15872 pixels, over the limit of 64 megapixels for HEIC\/HEIF/,
    );
    expect(line('scan-bomb.jpg')).toMatch(/more than 100 scans/);
    expect(line('scan-bomb-small.jpg')).toMatch(/more than 100 scans/);
    expect(line('segment-flood.jpg')).toMatch(/more than 10,000 segments/);
    expect(line('chunk-flood.png')).toMatch(/more than 100,000 chunks/);
    expect(line('chunk-flood.webp')).toMatch(/more than 100,000 chunks/);
    expect(line('text-bomb.png')).toMatch(/metadata comes to more than 16 MiB/);
    expect(line('declared.png')).toMatch(/declares 60000×60000 pixels, over the limit of 220/);
    expect(line('declared.jpg')).toMatch(/declares 60000×60000 pixels, over the limit of 220/);
    expect(message).toMatch(/Export them again as ordinary photos \(a HEIC over 64 megapixels/);
  });

  it('reads each byte of a photo once while walking its scans', async () => {
    // Noise: the scan data holds thousands of stuffed FF 00 pairs, each a stop for the walk.
    let seed = 20261202;
    const noise = Buffer.alloc(1600 * 1200 * 3);
    for (let i = 0; i < noise.length; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      noise[i] = seed >>> 24;
    }
    const photo = await loadSharp()(noise, { raw: { width: 1600, height: 1200, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const file = path.join(await temp(), 'noise.jpg');
    await writeFile(file, photo);
    const before = Reader.bytesRead;
    const header = await readImageHeader(file, photo.length);
    expect(header).toMatchObject({ width: 1600, height: 1200 });
    expect(header?.broken).toBeUndefined();
    expect(Reader.bytesRead - before).toBeLessThanOrEqual(photo.length);
  });

  it('walks 4 MB of fill bytes in one pass and strips them with the rest', async () => {
    const file = fillBytes(4 * 1024 * 1024);
    const found = inspectImageBytes(file);
    expect(found).toMatchObject({ kind: 'image', header: { width: 64, hasMetadata: true } });
    const dir = await workspaceOf({ 'fill.jpg': file });
    const images = await datasetImages(path.join(dir, 'dataset'), ['fill.jpg']);
    const { images: fitted } = await fitImages(images, DEFAULT, await temp());
    expect(fitted[0]!.bytes).toBeLessThan(10_000);
  });
});

describe('stripping keeps what an image needs and nothing else', () => {
  const exiftool = new ExifTool({ taskTimeoutMillis: 30_000 });
  afterAll(() => exiftool.end());

  /** Every tag exiftool reads, as text, and whether any is a GPS tag. */
  async function tagsOf(file: string): Promise<{ gps: boolean; text: string }> {
    const tags = (await exiftool.read(file)) as unknown as Record<string, unknown>;
    return {
      gps: Object.keys(tags).some((k) => k.startsWith('GPS') && k !== 'GPSPosition' && tags[k]),
      text: JSON.stringify(tags),
    };
  }

  it('plants a marker in each layout that kept its GPS before, and finds none in the ZIP', async () => {
    const sharp = loadSharp();
    const pixels = sharp(Buffer.alloc(64 * 48 * 3, 150), {
      raw: { width: 64, height: 48, channels: 3 },
    });
    const layouts = metadataLayouts({
      jpeg: await pixels.clone().jpeg().toBuffer(),
      progressive: await pixels.clone().jpeg({ progressive: true }).toBuffer(),
      png: await pixels.clone().png().toBuffer(),
      webp: await pixels.clone().webp().toBuffer(),
    });
    const dir = await workspaceOf(layouts);
    const names = Object.keys(layouts).sort();
    // The originals carry the marker, and exiftool reads a GPS position in most of them: the
    // test sees what it looks for.
    const before = await Promise.all(names.map((n) => tagsOf(path.join(dir, 'dataset', n))));
    for (const name of names) expect(layouts[name]!.includes(MARKER), name).toBe(true);
    // exiftool stops reading a JPEG at its first scan: it sees the PNGs' positions.
    expect(names.filter((_, i) => before[i]!.gps)).toEqual([
      'cabx-zxif.png',
      'exif-after-end.png',
      'exif-lowercase.png',
    ]);

    const images = await datasetImages(path.join(dir, 'dataset'), names);
    for (const image of images) expect(image.hasMetadata, image.relative).toBe(true);
    const target = await temp();
    const run = await withStdout(() => fitImages(images, DEFAULT, target));
    expect(run.error).toBeUndefined();
    const fitted = run.value!;
    const log = run.stdout;
    // Nothing was decoded: every image was stripped losslessly.
    for (const { result } of fitted.results.values()) {
      expect(result).toMatchObject({ reencoded: false, changed: true, metadataRemoved: true });
    }
    // What stripping did not know, it names.
    expect(log).toMatch(
      /app3-app6-app11\.jpg held parts the action does not know \(JPEG APP3 segment, JPEG APP6 segment\)/,
    );
    expect(log).toMatch(/cabx-zxif\.png held parts the action does not know \(PNG zxIf chunk\)/);
    expect(log).toMatch(
      /c2pa-exif\.webp held parts the action does not know \(WebP C2PA chunk, WebP exif chunk\)/,
    );

    const zip = path.join(await temp(), 'dataset.zip');
    await writeZip(
      zipEntriesOf({ images: fitted.images, captions: [], skipped: [], problems: [] }),
      zip,
    );
    const entries = await readZip(zip);
    expect([...entries.keys()].sort()).toEqual(names);
    const out = await temp();
    for (const [name, entry] of entries) {
      expect(entry.data.includes(MARKER), `${name}: marker in the bytes`).toBe(false);
      expect(entry.data.includes(Buffer.from('Exif\0\0', 'latin1')), name).toBe(false);
      const file = path.join(out, name);
      await writeFile(file, entry.data);
      const tags = await tagsOf(file);
      expect(tags.gps, `${name}: GPS read by exiftool`).toBe(false);
      expect(tags.text, name).not.toContain(MARKER);
      expect(tags.text, name).not.toMatch(/Warning.*(corrupt|bad|truncated)/i);
      // Still the image it was.
      const meta = await loadSharp()(entry.data).metadata();
      expect([meta.width, meta.height], name).toEqual([64, 48]);
    }
  });
});

describe('JFIF thumbnails, a copy of the original photo, do not survive stripping', () => {
  const exiftool = new ExifTool({ taskTimeoutMillis: 30_000 });
  afterAll(() => exiftool.end());

  it('keeps the JFIF header with no thumbnail, drops JFXX, and the image still decodes', async () => {
    const sharp = loadSharp();
    const pixels = sharp(Buffer.alloc(64 * 48 * 3, 150), {
      raw: { width: 64, height: 48, channels: 3 },
    });
    const photo = await pixels.clone().jpeg().toBuffer();
    // An RGB thumbnail of 4 × 3 pixels in the JFIF segment itself, the marker in its pixels.
    const rgb = Buffer.alloc(4 * 3 * 3, 0x41);
    rgb.write(MARKER, 0, 'latin1');
    const jfifHeader = Buffer.from('JFIF\0\x01\x02\x01\0\x48\0\x48', 'latin1');
    const jfif = segment(0xe0, Buffer.concat([jfifHeader, Buffer.from([4, 3]), rgb]));
    // A JFXX extension segment holding a JPEG thumbnail (extension code 0x10).
    const small = await sharp(Buffer.alloc(8 * 8 * 3, 90), {
      raw: { width: 8, height: 8, channels: 3 },
    })
      .jpeg()
      .toBuffer();
    const jfxx = segment(0xe0, Buffer.concat([Buffer.from('JFXX\0\x10', 'latin1'), small]));
    const withThumbnails = Buffer.concat([photo.subarray(0, 2), jfif, jfxx, photo.subarray(2)]);
    const dir = await workspaceOf({ 'thumbnails.jpg': withThumbnails });
    const original = path.join(dir, 'dataset', 'thumbnails.jpg');
    const thumbnailTags = async (file: string) =>
      Object.keys(await exiftool.read(file)).filter((tag) => /thumbnail/i.test(tag));
    // The test sees what it looks for: exiftool finds the thumbnails in the original.
    expect(await thumbnailTags(original)).not.toEqual([]);

    const images = await datasetImages(path.join(dir, 'dataset'), ['thumbnails.jpg']);
    expect(images[0]!.hasMetadata).toBe(true);
    const fitted = await fitImages(images, DEFAULT, await temp());
    expect(fitted.results.get('dataset/thumbnails.jpg')!.result).toMatchObject({
      reencoded: false,
      changed: true,
      metadataRemoved: true,
      unknownRemoved: [],
    });
    const file = fitted.images[0]!.path;
    const bytes = await readFile(file);
    // The JFIF header as it was, its thumbnail size 0 × 0, then the original's own segments.
    expect(bytes.subarray(0, 20)).toEqual(
      Buffer.concat([
        Buffer.from([0xff, 0xd8]),
        segment(0xe0, Buffer.concat([jfifHeader, Buffer.from([0, 0])])),
      ]),
    );
    expect(bytes.subarray(20)).toEqual(photo.subarray(2));
    expect(bytes.includes(MARKER)).toBe(false);
    expect(bytes.includes(Buffer.from('JFXX'))).toBe(false);
    expect(await thumbnailTags(file)).toEqual([]);
    const meta = await loadSharp()(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 48]);

    // A JFIF without a thumbnail, as nearly every JPEG has it, stays byte for byte.
    const plain = await readFile(path.join(FIXTURES, 'progressive-64x48.jpg'));
    expect(plain.subarray(2, 4)).toEqual(Buffer.from([0xff, 0xe0]));
    expect(stripMetadata(plain)).toEqual({ bytes: plain, changed: false, unknown: [] });
  });
});

describe('the photos people take fit, in bounded memory', () => {
  it('a 48-megapixel HEIC (an iPhone grid of 16 × 12 tiles) and a 200-megapixel JPEG', async () => {
    const dir = await temp();
    await writeFile(
      path.join(dir, 'iphone.heic'),
      heifGrid({ columns: 16, rows: 12, width: 8064, height: 6048 }),
    );
    // A Samsung 200 MP photo, held sideways (EXIF orientation 6), with its GPS.
    await writeFile(path.join(dir, 'android.jpg'), baselineJpeg(16320, 12240, [exifSegment(6)]));
    const images = await datasetImages(dir, ['android.jpg', 'iphone.heic']);
    expect(images.map((i) => [i.width, i.height])).toEqual([
      [16320, 12240],
      [8064, 6048],
    ]);
    const pool = new CodecPool({
      lanes: 1,
      memoryBytes: 1536 * 2 ** 20,
      timeLimitMs: 60_000,
      signal: new AbortController().signal,
      onOutput: () => {},
    });
    const { fitImage } = await import('../src/dataset/fit/fit-image.js');
    try {
      const android = await fitImage(images[0]!, DEFAULT, pool, path.join(dir, 'a.jpg'));
      expect(android).toMatchObject({
        from: { width: 12240, height: 16320 },
        to: { width: 1536, height: 2048 },
        turned: true,
        locationRemoved: true,
      });
      const heic = await fitImage(images[1]!, DEFAULT, pool, path.join(dir, 'h.jpg'));
      expect(heic).toMatchObject({
        from: { width: 8064, height: 6048 },
        to: { width: 2048, height: 1536 },
        fromHeic: true,
      });
      const meta = await loadSharp()(await readFile(path.join(dir, 'h.jpg'))).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2048, 1536]);
      // The codec thread's memory after both: the JPEG shrank while it decoded, the HEIC was
      // decoded tile by tile.
      const memory = await pool.run({
        file: path.join(dir, 'a.jpg'),
        heif: false,
        maxPixels: 220e6,
        maxSide: 2048,
        keep: 'icc',
        encoder: { format: 'jpg', lossless: false, quality: 90 },
      });
      expect(memory.memoryBytes).toBeLessThan(512 * 2 ** 20);
    } finally {
      await pool.close();
    }
  });
});

describe('the codec threads', () => {
  const NAMES = [
    'graphic.png',
    'landscape.jpg',
    'phone.heic',
    'portrait-rotated.jpg',
    'photo.webp',
  ];

  it('give the same bytes whatever their number', async () => {
    const images = await datasetImages(FIXTURES, NAMES);
    const hashes: string[] = [];
    for (const lanes of [1, 3]) {
      const { images: fitted } = await fitImages(images, DEFAULT, await temp(), undefined, {
        lanes,
      });
      const { sha256 } = await writeZip(
        zipEntriesOf({ images: fitted, captions: [], skipped: [], problems: [] }),
        null,
      );
      hashes.push(sha256);
    }
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('stop an image that takes longer than the limit, naming it, and leave nothing behind', async () => {
    const dir = await temp();
    // 64 megapixels in 100 scans: a valid image that takes seconds to decode.
    await writeFile(path.join(dir, 'slow.jpg'), progressiveJpeg(8000, 8000, 100));
    const images = await datasetImages(dir, ['slow.jpg']);
    const out = path.join(dir, 'out');
    const error = await fitImages(images, DEFAULT, out, undefined, { timeLimitMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toMatch(
      /dataset\/slow\.jpg could not be fitted: it took longer than 300 ms to decode, the limit for one image/,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('stop at once when the run is cancelled mid-image', async () => {
    const dir = await temp();
    await writeFile(path.join(dir, 'slow.jpg'), progressiveJpeg(12000, 12000, 100));
    const images = await datasetImages(dir, ['slow.jpg']);
    const controller = new AbortController();
    const codec = new LazyCodec({ signal: controller.signal }, images);
    const out = path.join(dir, 'out');
    try {
      const fitting = fitImages(images, DEFAULT, out, undefined, { codec });
      // Cancelled once the codec thread has the image (it decodes for seconds).
      await until('the codec thread has the image', () => codec.busy > 0);
      controller.abort(new CancelledError('SIGTERM'));
      const error = await fitting.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect(await readdir(out)).toEqual([]);
    } finally {
      await codec.close();
    }
  });

  it('are not needed to see a cancellation: stripping stops at the next image', async () => {
    // Only stripping (an unknown APP6 segment each, which also makes a warning per image): no
    // codec thread starts, so nothing but the fitting loop itself can see the cancellation.
    const names = Array.from({ length: 20 }, (_, i) => `strip-${String(i).padStart(2, '0')}.jpg`);
    const dir = await workspaceOf(
      Object.fromEntries(
        names.map((name) => [name, jpegFile({ before: [segment(0xe6, Buffer.from(name))] })]),
      ),
    );
    const images = await datasetImages(path.join(dir, 'dataset'), names);
    const controller = new AbortController();
    const out = path.join(dir, 'out');
    // A signal arrives as an event of its own, as SIGINT does: only a loop that gives the event
    // loop a turn between images can see it before the last one.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      if (String(chunk).includes('strip-00.jpg')) {
        setImmediate(() => controller.abort(new CancelledError('SIGINT')));
      }
      return true;
    });
    let error: unknown;
    try {
      error = await fitImages(images, DEFAULT, out, undefined, {
        signal: controller.signal,
      }).catch((e: unknown) => e);
    } finally {
      spy.mockRestore();
    }
    expect(error).toBeInstanceOf(CancelledError);
    expect((await readdir(out)).length).toBeLessThan(names.length / 2);
  });

  it("keep libheif's memory inside the thread's share, and fail a refused allocation by name", async () => {
    const dir = await temp();
    const padding = 48 * 2 ** 20;
    const { file, bytes } = await paddedHeic(dir, 'padded.heic', padding);
    const image: DatasetImage = {
      path: file,
      relative: 'dataset/padded.heic',
      entryName: 'padded.heic',
      bytes,
      type: 'heic',
      width: 640,
      height: 480,
    };
    // With room for it, the padded file decodes, and the thread's memory counts libheif's.
    const pool = new CodecPool({
      lanes: 1,
      memoryBytes: 256 * 2 ** 20,
      timeLimitMs: 60_000,
      signal: new AbortController().signal,
      onOutput: () => {},
    });
    try {
      const fitted = await pool.run(heicJob(file));
      expect([fitted.width, fitted.height]).toEqual([640, 480]);
      expect(fitted.memoryBytes).toBeGreaterThan(padding);
    } finally {
      await pool.close();
    }
    // In 64 MiB, sharp's memory and libheif's own (16 MiB each to start) leave no room for it.
    const out = path.join(dir, 'out');
    const error = await fitImages([image], DEFAULT, out, undefined, {
      lanes: 1,
      memoryBytes: 64 * 2 ** 20,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toMatch(
      `dataset/padded.heic could not be fitted: out of memory: libheif could not allocate ${image.bytes} bytes.`,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('count an abort inside libheif after its memory was refused as running out of it', async () => {
    const dir = await temp();
    // Paddings around the edge of 64 MiB: some fail libheif's first allocation (the file), some
    // one inside its C++ (a bare "Aborted()"), some fit. None may read as a broken image, which
    // would fail the step instead of fitting it again alone.
    const pool = new CodecPool({
      lanes: 1,
      memoryBytes: 64 * 2 ** 20,
      timeLimitMs: 60_000,
      signal: new AbortController().signal,
      onOutput: () => {},
    });
    const outcomes: string[] = [];
    try {
      for (let mib = 44; mib <= 48; mib += 0.5) {
        const { file } = await paddedHeic(dir, `padded-${mib}.heic`, mib * 2 ** 20);
        const outcome = await pool.run(heicJob(file)).then(
          () => 'fitted',
          (error: unknown) =>
            error instanceof CodecError ? `${error.reason}: ${error.message}` : String(error),
        );
        outcomes.push(`${mib} MiB ${outcome}`);
        await rm(file);
      }
    } finally {
      await pool.close();
    }
    expect(outcomes.filter((o) => !/ (fitted|memory: .*out of memory)/.test(o))).toEqual([]);
    // The edge is crossed: both kinds occur.
    expect(outcomes.some((o) => o.endsWith('fitted'))).toBe(true);
    expect(outcomes.some((o) => / memory: /.test(o))).toBe(true);
  });

  it('tell running out of memory from every other failure, by what the libraries say', async () => {
    const dir = await temp();
    // A codec thread that fails as the job's file tells it: an answer, or a crash of the thread.
    const worker = path.join(dir, 'failing-worker.mjs');
    await writeFile(
      worker,
      `import { readFileSync } from 'node:fs';
      import { parentPort } from 'node:worker_threads';
      parentPort.on('message', (job) => {
        const { crash, type, message } = JSON.parse(readFileSync(job.file, 'utf8'));
        if (!crash) return parentPort.postMessage({ id: job.id, ok: false, message });
        setImmediate(() => {
          throw new globalThis[type](message);
        });
      });`,
    );
    const cases: [crash: boolean, type: string, message: string, reason: 'memory' | 'decode'][] = [
      [false, 'Error', 'vips_tracked: out of memory -- size == 137MB', 'memory'],
      [false, 'Error', 'Insufficient memory (case 4)', 'memory'],
      [false, 'Error', 'tile 0,0 could not be decoded: Memory allocation error', 'memory'],
      [false, 'Error', 'GLib: failed to allocate 1073741824 bytes', 'memory'],
      [false, 'RuntimeError', 'Aborted(OOM). Build with -sASSERTIONS for more info.', 'memory'],
      [false, 'Error', 'Cannot enlarge memory arrays to size 2147549184 bytes (OOM)', 'memory'],
      [true, 'RangeError', 'Array buffer allocation failed', 'memory'],
      [true, 'RangeError', 'WebAssembly.Memory(): could not allocate memory', 'memory'],
      [true, 'Error', 'Aborted(OOM)', 'memory'],
      [false, 'Error', 'Input file contains unsupported image format', 'decode'],
      [false, 'Error', 'heif_context_read_from_memory: Invalid input: No ftyp box', 'decode'],
      [true, 'RangeError', 'Maximum call stack size exceeded', 'decode'],
      [true, 'RangeError', 'Invalid typed array length: -1', 'decode'],
      [true, 'Error', 'Aborted(Assertion failed: ptr != NULL)', 'decode'],
    ];
    const found: string[] = [];
    for (const [i, [crash, type, message]] of cases.entries()) {
      const file = path.join(dir, `${i}.json`);
      await writeFile(file, JSON.stringify({ crash, type, message }));
      const pool = new CodecPool({
        lanes: 1,
        memoryBytes: 64 * 2 ** 20,
        timeLimitMs: 20_000,
        signal: new AbortController().signal,
        onOutput: () => {},
        workerFile: worker,
      });
      try {
        const error = await pool
          .run({
            file,
            heif: false,
            maxPixels: 1,
            maxSide: 0,
            keep: 'icc',
            encoder: { format: 'jpg', lossless: false, quality: 90 },
          })
          .catch((e: unknown) => e);
        expect(error, message).toBeInstanceOf(CodecError);
        expect((error as CodecError).message, message).toContain(message);
        found.push(`${message}: ${(error as CodecError).reason}`);
      } finally {
        await pool.close();
      }
    }
    expect(found).toEqual(cases.map(([, , message, reason]) => `${message}: ${reason}`));
  });

  it('refuse an image once closed, whether or not they had started, and start none', async () => {
    const job = {
      file: path.join(FIXTURES, 'portrait-rotated.jpg'),
      heif: false,
      maxPixels: 220e6,
      maxSide: 2048,
      keep: 'icc' as const,
      encoder: { format: 'jpg' as const, lossless: false, quality: 90 },
    };
    const never = new LazyCodec({ signal: new AbortController().signal }, []);
    await never.close();
    await expect(never.run(job)).rejects.toThrow(/the codec threads were closed/);
    expect(never.threadsStarted).toBe(0);

    const used = new LazyCodec({ signal: new AbortController().signal }, []);
    try {
      await used.run(job);
      await used.close();
      await expect(used.run(job)).rejects.toThrow(/the codec threads were closed/);
      expect(used.threadsStarted).toBe(1);
    } finally {
      await used.close();
    }

    // Closed in the moment between taking a thread and handing it the image: the closing is the
    // reason, not the thread's exit read as a failed decode.
    const pool = new CodecPool({
      lanes: 1,
      memoryBytes: 512 * 2 ** 20,
      timeLimitMs: 60_000,
      signal: new AbortController().signal,
      onOutput: () => {},
    });
    const running = pool.run(job).catch((e: unknown) => e);
    await pool.close();
    expect(String(await running)).toMatch(/^Error: the codec threads were closed/);
  });

  it('name the image whose thread crashed, not another one in flight beside it', async () => {
    const dir = await temp();
    // Two codec threads: one holds its image without answering, the other crashes once the first
    // has its image, so both are in flight when the crash comes. They tell each other over a
    // BroadcastChannel (it reaches every thread of the process), whichever gets its image first.
    const worker = path.join(dir, 'crashing-worker.mjs');
    await writeFile(
      worker,
      `import { parentPort } from 'node:worker_threads';
      const channel = new BroadcastChannel('codec-crash-test');
      let job;
      channel.onmessage = ({ data }) => {
        if (job?.file.endsWith('held.jpg') && data === 'crash has its image') {
          channel.postMessage('held has its image');
        }
        if (job?.file.endsWith('crash.jpg') && data === 'held has its image') {
          throw new Error('the codec broke');
        }
      };
      parentPort.on('message', (received) => {
        job = received;
        const name = job.file.endsWith('held.jpg') ? 'held' : 'crash';
        channel.postMessage(name + ' has its image');
      });`,
    );
    const turned = jpegFile({ before: [exifSegment(6)] });
    await writeFile(path.join(dir, 'a-held.jpg'), turned);
    await writeFile(path.join(dir, 'b-crash.jpg'), turned);
    const images = await datasetImages(dir, ['a-held.jpg', 'b-crash.jpg']);
    const error = await fitImages(images, DEFAULT, path.join(dir, 'out'), undefined, {
      lanes: 2,
      workerFile: worker,
      // Should the threads never get both images, the test ends instead of waiting a minute.
      timeLimitMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toMatch(
      /^dataset\/b-crash\.jpg could not be decoded to fit it: the codec failed: the codec broke/,
    );
  });

  it('start no thread when the run was cancelled before the first image reached them', async () => {
    const dir = await temp();
    await writeFile(path.join(dir, 'slow.jpg'), progressiveJpeg(12000, 12000, 100));
    const images = await datasetImages(dir, ['slow.jpg']);
    const controller = new AbortController();
    controller.abort(new CancelledError('SIGINT'));
    const codec = new LazyCodec({ signal: controller.signal }, images);
    try {
      const error = await fitImages(images, DEFAULT, path.join(dir, 'out'), undefined, {
        codec,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect(codec.busy).toBe(0);
    } finally {
      await codec.close();
    }
  });

  it('an image that needs more memory than its share is fitted alone, with all of it', async () => {
    const dir = await temp();
    await writeFile(path.join(dir, 'big.jpg'), baselineJpeg(8000, 6000, [exifSegment(6)]));
    const images = await datasetImages(dir, ['big.jpg']);
    const wide = { maxSide: 0, strip: true };
    // Turned upright at full size: 144 MB of pixels decoded, as many turned, more than a
    // quarter of 512 MiB.
    const { images: fitted } = await fitImages(images, wide, await temp(), undefined, {
      lanes: 4,
      memoryBytes: 512 * 2 ** 20,
    });
    expect([fitted[0]!.width, fitted[0]!.height]).toEqual([6000, 8000]);
    const error = await fitImages(images, wide, await temp(), undefined, {
      lanes: 1,
      memoryBytes: 128 * 2 ** 20,
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/dataset\/big\.jpg could not be fitted: .*memory/);
  });
});

describe('what the codec prints', () => {
  it('goes through the log, named by its image, never as a workflow command', async () => {
    const dir = await temp();
    // A codec thread that prints what a library might (hostile text included), then fails.
    const worker = path.join(dir, 'printing-worker.mjs');
    await writeFile(
      worker,
      `import { parentPort } from 'node:worker_threads';
      parentPort.on('message', (job) => {
        process.stdout.write(
          'VIPS-WARNING: read gave 2 warnings\\n::error::INJECTED from the codec\\n##[set-env name=X;]y\\n',
          () => parentPort.postMessage({ id: job.id, ok: false, message: 'no pixels' }),
        );
      });`,
    );
    await writeFile(path.join(dir, 'turned.jpg'), jpegFile({ before: [exifSegment(6)] }));
    const images = await datasetImages(dir, ['turned.jpg']);
    const { error, stdout } = await withStdout(() =>
      fitImages(images, DEFAULT, path.join(dir, 'out'), undefined, { workerFile: worker }),
    );
    expect(String(error)).toMatch(/dataset\/turned\.jpg could not be decoded to fit it: no pixels/);
    const lines = stdout.split('\n');
    expect(lines).toContain('Codec (dataset/turned.jpg): VIPS-WARNING: read gave 2 warnings');
    expect(lines).toContain('Codec (dataset/turned.jpg): ::error::INJECTED from the codec');
    expect(lines).toContain('Codec (dataset/turned.jpg): ##\u200b[set-env name=X;]y');
    expect(lines.filter((l) => /^\s*::error::INJECTED|##\[/.test(l))).toEqual([]);
  });
});

describe('names', () => {
  it('fits an image whose name is 255 bytes long, as long as a file name can be', async () => {
    const name = `${'é'.repeat(124)}abc.jpg`;
    expect(Buffer.byteLength(name)).toBe(255);
    const bytes = jpegFile({ before: [exifSegment()] });
    const dir = await workspaceOf({
      [name]: bytes,
      'b.png': pngFile([pngChunk('eXIf', tiffWithOrientation(1))]),
    });
    const dataset = await collectDataset(['dataset/**'], dir);
    const { images } = await fitImages(dataset.images, DEFAULT, await temp());
    expect(images.map((i) => i.entryName).sort()).toEqual(['b.png', name].sort());
    expect(images.every((i) => path.basename(i.path).length < 16)).toBe(true);
  });
});
