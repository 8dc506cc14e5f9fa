import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetImage } from '../src/dataset/collect.js';
import { ActionError } from '../src/shared/errors.js';
import { readImageHeader } from '../src/dataset/image-header.js';
import { loadSharp } from '../src/dataset/fit/codec.js';
import { fitDataset, fitImages } from '../src/dataset/fit/fit-dataset.js';
import { fitImage, fittedSize } from '../src/dataset/fit/fit-image.js';
import { readMetadata, stripMetadata, type ImageFormat } from '../src/dataset/fit/metadata.js';
import { describeFitting, fittingLines } from '../src/dataset/fit/record.js';
import { metadataOf, type FitOptions, type Size } from '../src/dataset/fit/plan.js';
import { CodecPool } from '../src/dataset/fit/pool.js';
import { CODEC_MEMORY_BYTES, IMAGE_TIME_LIMIT_MS } from '../src/dataset/limits.js';
import { predictZipSize, writeZip, zipEntriesOf } from '../src/dataset/zip.js';
import { jpeg } from './helpers/images.js';
import {
  jpegFile,
  pngChunk,
  pngFile,
  riffChunk,
  segment,
  tiffWithOrientation,
  vp8l,
  vp8x,
  webpFile,
} from './helpers/image-kinds.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'images');
const fixture = (name: string) => readFile(path.join(FIXTURES, name));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const DEFAULT = { maxSide: 2048, strip: true };

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function temp(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'images-test-'));
  temps.push(dir);
  return dir;
}

async function datasetImage(name: string): Promise<DatasetImage> {
  const file = path.join(FIXTURES, name);
  const bytes = (await readFile(file)).length;
  const header = name.endsWith('.heic')
    ? { type: 'heic', width: 640, height: 480 }
    : (await readImageHeader(file, bytes))!;
  return { path: file, relative: `dataset/${name}`, entryName: name, bytes, ...header };
}

/** What a viewer would see: decoded size, and whether any orientation or EXIF is left. */
async function decoded(bytes: Buffer) {
  const m = await loadSharp()(bytes).metadata();
  return {
    format: m.format,
    width: m.width,
    height: m.height,
    orientation: m.orientation,
    exif: m.exif !== undefined,
    xmp: m.xmp !== undefined,
    iptc: m.iptc !== undefined,
    icc: m.icc !== undefined,
  };
}

/** Metadata markers that must not survive stripping, as bytes anywhere in the file. */
function leftovers(bytes: Buffer): string[] {
  const markers = [
    'Exif\0\0',
    'http://ns.adobe.com/xap',
    'Photoshop 3.0',
    'Jane Owner',
    'Rue Example',
  ];
  return markers.filter((m) => bytes.includes(Buffer.from(m, 'latin1')));
}

describe('reading metadata (no decoding)', () => {
  it('finds GPS, strippable metadata, the orientation and lossless WebP in each format', async () => {
    expect(readMetadata(await fixture('landscape.jpg'))).toEqual({
      orientation: 1,
      gps: true,
      strippable: true,
      lossless: false,
    });
    expect(readMetadata(await fixture('portrait-rotated.jpg'))).toMatchObject({
      orientation: 6,
      gps: true,
    });
    expect(readMetadata(await fixture('graphic.png'))).toMatchObject({ strippable: true });
    expect(readMetadata(await fixture('lossless.webp'))).toMatchObject({
      gps: true,
      strippable: true,
      lossless: true,
    });
  });

  // The header reader (image-header.ts) decides, without the fitting code, whether an image
  // needs anything; stripping (metadata.ts) walks the same structures to remove. A disagreement
  // would zip a photo with its GPS, or load the codec for nothing.
  it('counts as metadata exactly what stripping removes: every fixture and crafted layouts', async () => {
    const gpsTiff = (orientation: number) => {
      const t = Buffer.alloc(8 + 2 + 24 + 4 + 2 + 12 + 4);
      t.write('MM', 0, 'latin1');
      t.writeUInt16BE(42, 2);
      t.writeUInt32BE(8, 4);
      t.writeUInt16BE(2, 8);
      t.writeUInt16BE(0x0112, 10); // orientation, SHORT, 1
      t.writeUInt16BE(3, 12);
      t.writeUInt32BE(1, 14);
      t.writeUInt16BE(orientation, 18);
      t.writeUInt16BE(0x8825, 22); // GPS IFD pointer, LONG, 1
      t.writeUInt16BE(4, 24);
      t.writeUInt32BE(1, 26);
      t.writeUInt32BE(38, 30);
      t.writeUInt16BE(1, 38); // the GPS IFD: one entry
      t.writeUInt16BE(0x0001, 40);
      return t;
    };
    const exif = (o: number) => Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), gpsTiff(o)]);
    const cases: [string, ImageFormat, Buffer, Partial<ReturnType<typeof readMetadata>>][] = [
      ['plain JPEG', 'jpg', jpegFile(), { strippable: false, orientation: 1 }],
      [
        'EXIF with GPS',
        'jpg',
        jpegFile({ before: [segment(0xe1, exif(6))] }),
        { gps: true, orientation: 6 },
      ],
      [
        'first EXIF counts',
        'jpg',
        jpegFile({ before: [segment(0xe1, exif(3)), segment(0xe1, exif(6))] }),
        { orientation: 3 },
      ],
      [
        'APP1 of no known kind',
        'jpg',
        jpegFile({ before: [segment(0xe1, Buffer.from('Foo\0bar'))] }),
        { strippable: true, gps: false },
      ],
      [
        'MPF index',
        'jpg',
        jpegFile({ before: [segment(0xe2, Buffer.from('MPF\0\x4d\x4d\0\x2a'))] }),
        { strippable: true },
      ],
      [
        'ICC profile only',
        'jpg',
        jpegFile({ before: [segment(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01'))] }),
        { strippable: false },
      ],
      [
        'comment',
        'jpg',
        jpegFile({ before: [segment(0xfe, Buffer.from('hi'))] }),
        { strippable: true },
      ],
      [
        'IPTC',
        'jpg',
        jpegFile({ before: [segment(0xed, Buffer.from('Photoshop 3.0\0'))] }),
        { strippable: true },
      ],
      ['plain PNG', 'png', pngFile(), { strippable: false }],
      [
        'PNG tIME only',
        'png',
        pngFile([pngChunk('tIME', Buffer.from([7, 234, 1, 2, 3, 4, 5]))]),
        { strippable: true },
      ],
      [
        'PNG eXIf',
        'png',
        pngFile([pngChunk('eXIf', gpsTiff(8))]),
        { strippable: true, orientation: 8, gps: true },
      ],
      [
        // After the image data the decoder does not read it: stripped, but no turn.
        'PNG eXIf after IDAT',
        'png',
        (() => {
          const png = pngFile();
          const end = png.length - 12;
          return Buffer.concat([
            png.subarray(0, end),
            pngChunk('eXIf', gpsTiff(6)),
            png.subarray(end),
          ]);
        })(),
        { strippable: true, orientation: 1, gps: true },
      ],
      [
        'PNG iCCP only',
        'png',
        pngFile([pngChunk('iCCP', Buffer.from('icc\0\0x'))]),
        { strippable: false },
      ],
      ['lossless WebP', 'webp', webpFile([vp8l(40, 30)]), { strippable: false, lossless: true }],
      [
        'WebP flags without chunks',
        'webp',
        webpFile([riffChunk('VP8X', vp8x(0x0c, 40, 30)), riffChunk('VP8L', vp8l(40, 30))]),
        { strippable: false },
      ],
      [
        'WebP XMP',
        'webp',
        webpFile([
          riffChunk('VP8X', vp8x(0x04, 40, 30)),
          riffChunk('VP8L', vp8l(40, 30)),
          riffChunk('XMP ', Buffer.from('<x/>')),
        ]),
        { strippable: true },
      ],
      [
        'WebP EXIF',
        'webp',
        webpFile([
          riffChunk('VP8X', vp8x(0x08, 40, 30)),
          riffChunk('VP8L', vp8l(40, 30)),
          riffChunk('EXIF', gpsTiff(5)),
        ]),
        { strippable: true, orientation: 5, gps: true },
      ],
    ];
    // Layouts where a stricter walker once gave up while the header reader went on (libjpeg
    // skips stray bytes before a marker; a last odd-sized WebP chunk may lack its pad byte).
    const stray = jpegFile({ before: [Buffer.from([0, 0, 0]), segment(0xe1, exif(1))] });
    const secondSoi = jpegFile({ before: [Buffer.from([0xff, 0xd8]), segment(0xe1, exif(1))] });
    const unpadded = Buffer.from(
      webpFile([
        riffChunk('VP8X', vp8x(0x04, 40, 30)),
        riffChunk('VP8L', vp8l(40, 30)),
        riffChunk('XMP ', Buffer.from('<x/>!')),
      ]).subarray(0, -1),
    );
    unpadded.writeUInt32LE(unpadded.length - 8, 4);
    cases.push(
      ['stray bytes before an EXIF', 'jpg', stray, { strippable: true, gps: true }],
      ['a second start-of-image marker', 'jpg', secondSoi, { strippable: true, gps: true }],
      ['WebP without its last pad byte', 'webp', unpadded, { strippable: true }],
    );
    for (const name of await readdir(FIXTURES)) {
      const format = ({ jpg: 'jpg', png: 'png', webp: 'webp' } as const)[
        path.extname(name).slice(1)
      ];
      if (format) cases.push([name, format, await fixture(name), {}]);
    }
    expect(cases.length).toBeGreaterThan(20);
    const dir = await temp();
    for (const [name, format, bytes, expected] of cases) {
      const meta = readMetadata(bytes);
      expect(meta, name).toMatchObject(expected);
      const stripped = stripMetadata(bytes, format);
      expect(meta.strippable, name).toBe(stripped.changed);
      // What stripping leaves, the reader finds nothing more to strip in.
      if (stripped.changed) {
        expect(readMetadata(stripped.bytes), name).toMatchObject({ strippable: false, gps: false });
      }
      // The dataset reads files, not buffers: the same answer from disk.
      const file = path.join(dir, `case.${format}`);
      await writeFile(file, bytes);
      const header = await readImageHeader(file, bytes.length);
      expect(header && metadataOf(header), name).toEqual(meta);
    }
  });
});

describe('lossless stripping', () => {
  it('JPEG: removes APP1 (Exif, XMP), APP13 and COM; keeps JFIF/ICC and every scan byte', async () => {
    const input = await fixture('upright-small.jpg');
    const { bytes, changed } = stripMetadata(input, 'jpg');
    expect(changed).toBe(true);
    expect(leftovers(input).length).toBeGreaterThan(0);
    expect(leftovers(bytes)).toEqual([]);
    expect(bytes.includes(Buffer.from('ICC_PROFILE\0', 'latin1'))).toBe(true);
    const scan = (b: Buffer) => b.subarray(b.indexOf(Buffer.from([0xff, 0xda])));
    expect(scan(bytes).equals(scan(input))).toBe(true);
    expect(await decoded(bytes)).toMatchObject({ exif: false, xmp: false, iptc: false, icc: true });
  });

  it('PNG: removes tEXt and tIME; keeps IHDR, IDAT and IEND as they were', async () => {
    const input = await fixture('graphic.png');
    const { bytes } = stripMetadata(input, 'png');
    expect(bytes.includes(Buffer.from('tEXt'))).toBe(false);
    expect(bytes.includes(Buffer.from('tIME'))).toBe(false);
    const idat = (b: Buffer) => b.subarray(b.indexOf(Buffer.from('IDAT')) - 4);
    expect(idat(bytes).subarray(0, 1000).equals(idat(input).subarray(0, 1000))).toBe(true);
    expect(bytes.length).toBeLessThan(input.length);
    expect((await decoded(bytes)).width).toBe(320);
  });

  it('WebP: removes the EXIF chunk, clears its VP8X flag and fixes the RIFF size', async () => {
    const input = await fixture('lossless.webp');
    expect(input[20]! & 0x08).toBe(0x08);
    const { bytes } = stripMetadata(input, 'webp');
    expect(bytes.includes(Buffer.from('EXIF'))).toBe(false);
    expect(bytes[20]! & 0x0c).toBe(0);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(
      bytes.includes(input.subarray(input.indexOf(Buffer.from('VP8L'))).subarray(0, 500)),
    ).toBe(true);
    expect(await decoded(bytes)).toMatchObject({ format: 'webp', width: 256, exif: false });
  });

  it('leaves an image with nothing but what it needs as it is (the same buffer)', async () => {
    const input = pngFile([pngChunk('sRGB', Buffer.from([0])), pngChunk('tRNS', Buffer.alloc(6))]);
    expect(stripMetadata(input, 'png')).toEqual({ bytes: input, changed: false, unknown: [] });
    // How its pixels are shown is part of the image: pHYs (their aspect ratio) stays.
    const wide = await fixture('wide.png');
    expect(stripMetadata(wide, 'png')).toMatchObject({ changed: false, unknown: [] });
  });
});

/** Fits a fixture into a temp folder with a codec pool of its own; `data` is what goes in the ZIP. */
async function fit(name: string, options: FitOptions = DEFAULT) {
  const image = await datasetImage(name);
  return fitAt(image, options, path.join(await temp(), `fitted${path.extname(name)}`));
}

/** Fits `image` to `target` with a codec pool of its own; `data` is what goes in the ZIP. */
async function fitAt(image: DatasetImage, options: FitOptions, target: string) {
  const pool = new CodecPool({
    lanes: 1,
    memoryBytes: CODEC_MEMORY_BYTES,
    timeLimitMs: IMAGE_TIME_LIMIT_MS,
    signal: new AbortController().signal,
    onOutput: () => {},
  });
  try {
    const result = await fitImage(image, options, pool, target);
    return { ...result, data: await readFile(result.changed ? target : image.path) };
  } finally {
    await pool.close();
  }
}

describe('fitImage', () => {
  it('downscales a JPEG over 2048 px to 2048 on its longer side, aspect kept, without EXIF', async () => {
    const result = await fit('landscape.jpg', DEFAULT);
    expect(result).toMatchObject({
      downscaled: true,
      reencoded: true,
      locationRemoved: true,
      format: 'jpg',
    });
    expect(result.to).toEqual({ width: 2048, height: 1365 });
    expect(await decoded(result.data)).toMatchObject({
      format: 'jpeg',
      width: 2048,
      height: 1365,
      exif: false,
      xmp: false,
      iptc: false,
    });
    expect(leftovers(result.data)).toEqual([]);
  });

  it('turns a sideways photo upright, drops the tag and keeps its colour profile', async () => {
    const result = await fit('portrait-rotated.jpg', DEFAULT);
    expect(result).toMatchObject({ turned: true, downscaled: false, reencoded: true });
    expect(result.from).toEqual({ width: 400, height: 600 });
    expect(await decoded(result.data)).toMatchObject({
      width: 400,
      height: 600,
      orientation: undefined,
      exif: false,
      icc: true,
    });
  });

  it('sizes a PNG as the decoder turns it: an eXIf after the image data turns nothing', async () => {
    // libvips reads a PNG's eXIf before IDAT only; sized for a turn, the image would be squashed.
    const tiff = tiffWithOrientation(6, false);
    const plain = pngFile([], 1200, 600);
    const end = plain.length - 12;
    const layouts = {
      before: pngFile([pngChunk('eXIf', tiff)], 1200, 600),
      after: Buffer.concat([plain.subarray(0, end), pngChunk('eXIf', tiff), plain.subarray(end)]),
    };
    const dir = await temp();
    const sizes: Record<string, unknown> = {};
    for (const [name, bytes] of Object.entries(layouts)) {
      const file = path.join(dir, `${name}.png`);
      await writeFile(file, bytes);
      const header = (await readImageHeader(file, bytes.length))!;
      const image = { path: file, relative: name, entryName: name, bytes: bytes.length, ...header };
      const { data } = await fitAt(image, { maxSide: 600, strip: true }, `${file}.fitted.png`);
      const { width, height } = await decoded(data);
      sizes[name] = [width, height];
    }
    expect(sizes).toEqual({ before: [300, 600], after: [600, 300] });
  });

  it('keeps PNG lossless and WebP in its own kind when downscaling', async () => {
    const png = await fit('wide.png', DEFAULT);
    expect(await decoded(png.data)).toMatchObject({ format: 'png', width: 2048, height: 112 });
    const webp = await fit('photo.webp', DEFAULT);
    expect(await decoded(webp.data)).toMatchObject({
      format: 'webp',
      width: 2048,
      height: 1303,
      exif: false,
    });
  });

  it('converts HEIC to JPEG', async () => {
    const result = await fit('phone.heic', DEFAULT);
    expect(result).toMatchObject({ fromHeic: true, format: 'jpg', reencoded: true });
    expect(await decoded(result.data)).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
  });

  it('with max-image-side 0 never resizes (metadata is still stripped, losslessly)', async () => {
    const result = await fit('landscape.jpg', { maxSide: 0, strip: true });
    expect(result).toMatchObject({
      downscaled: false,
      reencoded: false,
      changed: true,
      locationRemoved: true,
    });
    expect(await decoded(result.data)).toMatchObject({ width: 2100, height: 1400, exif: false });
  });

  it('with strip-metadata false leaves an upright, small image byte for byte', async () => {
    const input = await fixture('upright-small.jpg');
    const result = await fit('upright-small.jpg', { maxSide: 2048, strip: false });
    expect(result.changed).toBe(false);
    expect(result.data.equals(input)).toBe(true);
  });

  it('with strip-metadata false keeps EXIF on a turned image, its orientation reset', async () => {
    const result = await fit('portrait-rotated.jpg', { maxSide: 2048, strip: false });
    const meta = await decoded(result.data);
    expect(meta).toMatchObject({ width: 400, height: 600, exif: true, icc: true });
    expect(meta.orientation ?? 1).toBe(1);
    expect(readMetadata(result.data)).toMatchObject({ orientation: 1, gps: true });
  });

  it('computes fitted sizes for both orientations and never enlarges', () => {
    expect(fittedSize({ width: 4032, height: 3024 }, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fittedSize({ width: 3024, height: 4032 }, 1536)).toEqual({ width: 1152, height: 1536 });
    expect(fittedSize({ width: 1000, height: 800 }, 2048)).toEqual({ width: 1000, height: 800 });
    expect(fittedSize({ width: 9000, height: 10 }, 512)).toEqual({ width: 512, height: 1 });
  });
});

const NAMES = [
  'graphic.png',
  'landscape.jpg',
  'lossless.webp',
  'phone.heic',
  'photo.webp',
  'portrait-rotated.jpg',
  'upright-small.jpg',
  'wide.png',
];

describe('the fitted ZIP', () => {
  // Pinned: WebAssembly gives these bytes on every machine, OS and Node version (CI runs this
  // file under Node 20 and 24). A change here changes every user's fingerprint: only on purpose.
  // Stripping by allow-list keeps what these images need, pHYs included: the same bytes as
  // before it.
  const PINNED = '2600a61f9f35ca223300f8bda7239c7f690417603b40f708158ad01eb1874e55';
  // Each fitted image on its own too (first 12 hex of its sha256), apart from the ZIP's layout.
  const IMAGES: Record<string, string> = {
    'graphic.png': '8f40f75daa3f',
    'landscape.jpg': '41810d9beed6',
    'lossless.webp': 'ec564901a5ee',
    'phone.jpg': '24d53c364b95',
    'photo.webp': 'd0e95be23b0f',
    'portrait-rotated.jpg': '3843aa8ee65f',
    'upright-small.jpg': '81dc4aa5a9e9',
    'wide.png': 'ce72f62057fc',
  };

  it('is byte-identical to the pinned hash, every image fitted and without metadata', async () => {
    const images = await Promise.all(NAMES.map(datasetImage));
    const { images: fitted } = await fitImages(images, DEFAULT, await temp());
    const entries = zipEntriesOf({ images: fitted, captions: [], skipped: [], problems: [] });
    expect(entries.map((e) => e.name)).toEqual([
      'graphic.png',
      'landscape.jpg',
      'lossless.webp',
      'phone.jpg',
      'photo.webp',
      'portrait-rotated.jpg',
      'upright-small.jpg',
      'wide.png',
    ]);
    for (const image of fitted) {
      const bytes = await readFile(image.path);
      expect(leftovers(bytes), image.entryName).toEqual([]);
      console.log(
        `${image.entryName}: ${image.width}x${image.height}, ${bytes.length} bytes, ${sha(bytes)}`,
      );
      expect(sha(bytes).slice(0, 12), image.entryName).toBe(IMAGES[image.entryName]);
    }
    const { sha256, bytes } = await writeZip(entries, null);
    console.log(`Node ${process.version}: fitted ZIP ${bytes} bytes, sha256 ${sha256}`);
    expect(sha256).toBe(PINNED);
  });

  it('steps the side down to 1536, then 1024, to fit max-zip-mb, then fails naming the largest', async () => {
    const images = await Promise.all(NAMES.map(datasetImage));
    const zipSize = (list: DatasetImage[]) =>
      predictZipSize(zipEntriesOf({ images: list, captions: [], skipped: [], problems: [] }));
    const at2048 = await fitDataset(
      images,
      { ...DEFAULT, maxZipBytes: 100_000_000 },
      await temp(),
      zipSize,
    );
    expect(at2048.record.side).toBe(2048);
    const bytes2048 = zipSize(at2048.images);
    // Just under what 2048 px needs: 1536 px fits.
    const stepped = await fitDataset(
      images,
      { ...DEFAULT, maxZipBytes: bytes2048 - 1 },
      await temp(),
      zipSize,
    );
    expect(stepped.record).toMatchObject({ side: 1536, steppedDownFrom: 2048 });
    expect(describeFitting(stepped.record)).toMatch(/stepped down from 2048 to 1536 px/);
    await expect(
      fitDataset(images, { ...DEFAULT, maxZipBytes: 50_000 }, await temp(), zipSize),
    ).rejects.toThrow(
      /even with every image fitted to 1024 px.*The largest images: dataset\/wide.png \(0\.07 MB\), dataset\/graphic.png/s,
    );
  });
});

describe('fitImages', () => {
  it('names an image it cannot decode, and starts no other image after it', async () => {
    const dir = await temp();
    const broken = path.join(dir, 'broken.jpg');
    // A JPEG header saying 4000×3000 over random bytes: it must be decoded to fit, and cannot be.
    await writeFile(broken, jpeg(4000, 3000));
    const image: DatasetImage = {
      path: broken,
      relative: 'dataset/broken.jpg',
      entryName: 'broken.jpg',
      bytes: jpeg(4000, 3000).length,
      type: 'jpg',
      width: 4000,
      height: 3000,
    };
    const error = await fitImages([image], DEFAULT, path.join(dir, 'out')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toMatch(/dataset\/broken\.jpg could not be decoded to fit it/);
    expect(await readdir(path.join(dir, 'out'))).toEqual([]);
  });

  it('converts an image the header reader calls heif, naming its entry .jpg', async () => {
    const image = { ...(await datasetImage('phone.heic')), type: 'heif' };
    const { images } = await fitImages([image], DEFAULT, await temp());
    expect(images[0]).toMatchObject({
      entryName: 'phone.jpg',
      type: 'jpg',
      width: 640,
      height: 480,
    });
  });
});

describe('describeFitting', () => {
  it('says what was changed, grouped by size', () => {
    const from = { width: 4032, height: 3024 };
    const to = { width: 2048, height: 1536 };
    expect(
      describeFitting({
        side: 2048,
        downscaled: Array.from({ length: 12 }, (_, i) => ({ file: `p${i}.jpg`, from, to })),
        upright: ['a', 'b', 'c'],
        heic: [],
        locationRemoved: 25,
        metadataRemoved: 25,
        reencoded: 13,
      }),
    ).toBe('12 downscaled from 4032×3024 to 2048×1536, 3 turned upright, location removed from 25');
  });

  it('names sizes as a viewer sees them, before and after: a sideways photo stands upright', () => {
    const record = (downscaled: { file: string; from: Size; to: Size }[]) => ({
      side: 2048,
      downscaled,
      upright: [],
      heic: [],
      locationRemoved: 0,
      metadataRemoved: 0,
      reencoded: downscaled.length,
    });
    const landscape = { from: { width: 4032, height: 3024 }, to: { width: 2048, height: 1536 } };
    const portrait = { from: { width: 3024, height: 4032 }, to: { width: 1536, height: 2048 } };
    expect(describeFitting(record([{ file: 'a.jpg', ...portrait }]))).toBe(
      '1 downscaled from 3024×4032 to 1536×2048',
    );
    expect(
      describeFitting(
        record([
          { file: 'a.jpg', ...landscape },
          { file: 'b.jpg', ...portrait },
          { file: 'c.jpg', ...landscape },
        ]),
      ),
    ).toBe('3 downscaled from 4032×3024 to 2048×1536 (1 of them from 3024×4032 to 1536×2048)');
    expect(fittingLines(record([{ file: 'b.jpg', ...portrait }]))).toEqual([
      'b.jpg: downscaled from 3024×4032 to 1536×2048 (longer side over 2048 px)',
    ]);
  });
});
