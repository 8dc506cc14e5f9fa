import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeKind,
  exifOrientation,
  inspectImageBytes,
  kindOfExtension,
  loadImageSizer,
  type ImageHeader,
} from '../src/dataset/image-header.js';
import { GIF } from './helpers/images.js';
import {
  u32be,
  u32le,
  segment,
  tiffWithOrientation,
  jpegFile,
  pngChunk,
  pngFile,
  riffChunk,
  webpFile,
  vp8l,
  vp8x,
  box,
  heifFile,
} from './helpers/image-kinds.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'images');

async function header(bytes: Buffer): Promise<ImageHeader> {
  const result = inspectImageBytes(bytes);
  if (result.kind !== 'image') throw new Error(`expected an image, got ${result.kind}`);
  return result.header;
}

// ---------------------------------------------------------------------------------------------

describe('JPEG', () => {
  it('reads size, and finds a complete file complete', async () => {
    expect(await header(jpegFile({ width: 1200, height: 800 }))).toEqual({
      type: 'jpg',
      width: 1200,
      height: 800,
    });
  });

  it('finds a JPEG cut short: no end-of-image marker after the scan', async () => {
    const whole = jpegFile();
    const h = await header(whole.subarray(0, whole.length - 1000));
    expect(h.broken).toMatch(/no end-of-image marker \(FFD9\)/);
    expect((await header(jpegFile({ end: false }))).broken).toMatch(/end-of-image/);
  });

  it('skips extraneous bytes between segments, as libjpeg does (stripping drops them)', async () => {
    const padded = jpegFile({ before: [Buffer.from([0, 0, 0])] });
    expect(await header(padded)).toEqual({
      type: 'jpg',
      width: 640,
      height: 480,
      hasMetadata: true,
    });
  });

  it('finds a JPEG cut inside its headers', async () => {
    const whole = jpegFile();
    expect((await header(whole.subarray(0, 40))).broken).toMatch(/ends/);
  });

  it('accepts what real cameras and phones write after the end-of-image marker', async () => {
    // Zero padding (some cameras round files up), FF fill, and appended data: a motion
    // photo's MP4, Samsung's SEFT trailer. libjpeg stops at EOI and ignores all of it.
    const zeros = Buffer.concat([jpegFile(), Buffer.alloc(4096)]);
    const fill = Buffer.concat([jpegFile(), Buffer.alloc(7, 0xff)]);
    const mp4 = Buffer.concat([
      jpegFile(),
      box('ftyp', Buffer.from('mp42'), u32be(0)),
      box('mdat', Buffer.alloc(300_000, 0x11)), // larger than one tail read, with no FF D9
    ]);
    const seft = Buffer.concat([
      jpegFile(),
      Buffer.from('SEFHxxxx'),
      u32le(8),
      Buffer.from('SEFT'),
    ]);
    for (const file of [zeros, fill, mp4, seft])
      expect((await header(file)).broken).toBeUndefined();
  });

  it('does not count an FF D9 before the scan (an EXIF thumbnail) as the image end', async () => {
    const thumbnail = Buffer.concat([
      Buffer.from('Exif\0\0'),
      Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    ]);
    const whole = jpegFile({ before: [segment(0xe1, thumbnail)] });
    expect((await header(whole.subarray(0, whole.length - 500))).broken).toMatch(/end-of-image/);
  });

  it('treats a file cut short and zero-filled (an interrupted write) as cut short', async () => {
    const whole = jpegFile();
    const zeroFilled = Buffer.concat([whole.subarray(0, 2000), Buffer.alloc(whole.length - 2000)]);
    expect((await header(zeroFilled)).broken).toMatch(/end-of-image/);
  });

  it('reads the EXIF orientation in either byte order, and notes the metadata', async () => {
    for (const little of [true, false]) {
      const exif = segment(
        0xe1,
        Buffer.concat([Buffer.from('Exif\0\0'), tiffWithOrientation(6, little)]),
      );
      expect(await header(jpegFile({ before: [exif] }))).toEqual({
        type: 'jpg',
        width: 640,
        height: 480,
        orientation: 6,
        hasMetadata: true,
      });
    }
  });

  it('notes XMP, IPTC and comments as metadata, and an ICC profile apart', async () => {
    const xmp = segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>'));
    const iptc = segment(0xed, Buffer.from('Photoshop 3.0\0'));
    const com = segment(0xfe, Buffer.from('a comment'));
    const icc = segment(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01'));
    for (const s of [xmp, iptc, com])
      expect((await header(jpegFile({ before: [s] }))).hasMetadata).toBe(true);
    const h = await header(jpegFile({ before: [icc] }));
    expect([h.hasMetadata, h.hasIccProfile]).toEqual([undefined, true]);
  });

  it('finds the frame header behind large APP segments (one small read per segment)', async () => {
    const big = segment(0xe1, Buffer.concat([Buffer.from('XMP-ish'), Buffer.alloc(65_000)]));
    expect(await header(jpegFile({ before: [big, big], width: 300, height: 200 }))).toMatchObject({
      width: 300,
      height: 200,
    });
  });

  it('marks CMYK (four components, Adobe APP14) and progressive JPEGs', async () => {
    const adobe = segment(0xee, Buffer.from('Adobe\0\x64\0\0\0\0\x02', 'latin1'));
    expect(await header(jpegFile({ components: 4, before: [adobe] }))).toMatchObject({
      cmyk: true,
    });
    expect(await header(jpegFile({ sof: 0xc2 }))).toMatchObject({ progressive: true });
  });

  it('reads real files: a CMYK and a progressive JPEG written by ImageMagick', async () => {
    const cmyk = await readFile(path.join(FIXTURES, 'cmyk-64x48.jpg'));
    expect(await header(cmyk)).toEqual({ type: 'jpg', width: 64, height: 48, cmyk: true });
    const progressive = await readFile(path.join(FIXTURES, 'progressive-64x48.jpg'));
    expect(await header(progressive)).toMatchObject({ width: 64, height: 48, progressive: true });
    expect((await header(progressive.subarray(0, 500))).broken).toMatch(/end-of-image/);
  });
});

describe('PNG', () => {
  it('reads size; complete with IEND', async () => {
    expect(await header(pngFile())).toEqual({ type: 'png', width: 40, height: 30 });
  });

  it('finds a PNG cut short: a chunk that runs past the end, or no IEND', async () => {
    const whole = pngFile([], 200, 100);
    expect((await header(whole.subarray(0, whole.length - 2000))).broken).toMatch(
      /IDAT chunk runs past the end/,
    );
    expect((await header(whole.subarray(0, whole.length - 12))).broken).toMatch(/no IEND/);
  });

  it('ignores data after IEND, as decoders do', async () => {
    expect((await header(Buffer.concat([pngFile(), Buffer.alloc(100)]))).broken).toBeUndefined();
  });

  it('marks APNG (acTL) as animated, and reads eXIf orientation and text chunks as metadata', async () => {
    const actl = pngChunk('acTL', Buffer.concat([u32be(2), u32be(0)]));
    expect(await header(pngFile([actl]))).toMatchObject({ animated: true });
    const exif = pngChunk('eXIf', tiffWithOrientation(8, false));
    expect(await header(pngFile([exif]))).toMatchObject({ orientation: 8, hasMetadata: true });
    const text = pngChunk('tEXt', Buffer.from('Comment\0hello'));
    expect(await header(pngFile([text]))).toMatchObject({ hasMetadata: true });
  });
});

describe('WebP', () => {
  it('reads size; complete when the RIFF size is the file size', async () => {
    expect(await header(webpFile([vp8l(300, 200)]))).toEqual({
      type: 'webp',
      width: 300,
      height: 200,
      lossless: true,
    });
  });

  it('finds a WebP whose RIFF size is not the file size', async () => {
    const whole = webpFile([vp8l(300, 200), riffChunk('XMP ', Buffer.alloc(500))]);
    expect((await header(whole.subarray(0, whole.length - 100))).broken).toMatch(
      /RIFF header says \d+ bytes but the file has \d+/,
    );
    expect((await header(Buffer.concat([whole, Buffer.alloc(10)]))).broken).toMatch(
      /data after the image/,
    );
  });

  it('marks animation (VP8X flag, ANIM), reads EXIF orientation, notes XMP', async () => {
    const animated = webpFile([vp8x(0x02, 64, 48), riffChunk('ANIM', Buffer.alloc(6))]);
    expect(await header(animated)).toMatchObject({ width: 64, height: 48, animated: true });
    const withExif = webpFile([
      vp8x(0x08, 64, 48),
      vp8l(64, 48),
      riffChunk('EXIF', tiffWithOrientation(3)),
    ]);
    expect(await header(withExif)).toMatchObject({ orientation: 3, hasMetadata: true });
  });

  it('reads a real animated WebP written by ImageMagick', async () => {
    const file = await readFile(path.join(FIXTURES, 'animated-64x48.webp'));
    expect(await header(file)).toMatchObject({
      type: 'webp',
      width: 64,
      height: 48,
      animated: true,
    });
    expect((await header(file)).broken).toBeUndefined();
  });
});

describe('HEIF and AVIF', () => {
  it("reads the primary image's size (not a tile's) and its metadata items", async () => {
    expect(await header(heifFile({ exif: true }))).toEqual({
      type: 'heif',
      width: 4032,
      height: 3024,
      hasMetadata: true,
    });
  });

  it('gives irot and imir as the EXIF orientation a viewer would apply', async () => {
    expect((await header(heifFile({ irot: 3 }))).orientation).toBe(6); // 270° anticlockwise
    expect((await header(heifFile({ irot: 1 }))).orientation).toBe(8);
    expect((await header(heifFile({ irot: 2 }))).orientation).toBe(3);
    expect((await header(heifFile({ imir: 0 }))).orientation).toBe(2);
    expect((await header(heifFile({ irot: 0 }))).orientation).toBeUndefined();
  });

  it('finds a HEIF cut short (its mdat box runs past the end)', async () => {
    const whole = heifFile();
    expect((await header(whole.subarray(0, whole.length - 100))).broken).toMatch(
      /mdat box runs past the end/,
    );
  });

  it('tells AVIF from HEIF by its brands', async () => {
    expect((await header(heifFile({ brand: 'avif', compatible: ['mif1', 'avif'] }))).type).toBe(
      'avif',
    );
    expect((await header(heifFile({ brand: 'mif1', compatible: ['mif1', 'heic'] }))).type).toBe(
      'heif',
    );
  });

  it('reads real files: a HEIC and an AVIF written by ImageMagick (libheif)', async () => {
    const heic = await readFile(path.join(FIXTURES, 'gradient-64x48.heic'));
    expect(await header(heic)).toMatchObject({ type: 'heif', width: 64, height: 48 });
    expect((await header(heic)).broken).toBeUndefined();
    const avif = await readFile(path.join(FIXTURES, 'gradient-64x48.avif'));
    expect(await header(avif)).toMatchObject({ type: 'avif', width: 64, height: 48 });
  });
});

describe('other files', () => {
  it('tells a Git LFS pointer, an empty file and text apart', async () => {
    const pointer = Buffer.from(
      'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n',
    );
    expect(inspectImageBytes(pointer)).toEqual({ kind: 'lfs-pointer' });
    expect(inspectImageBytes(Buffer.alloc(0))).toEqual({ kind: 'empty' });
    // What other bytes are is image-size's to say, and it is loaded only when asked.
    expect(inspectImageBytes(Buffer.from('hello'))).toEqual({ kind: 'unknown', unnamed: true });
    expect(inspectImageBytes(GIF)).toEqual({ kind: 'unknown', unnamed: true });
    await loadImageSizer();
    expect(inspectImageBytes(Buffer.from('hello'))).toEqual({ kind: 'unknown' });
    expect(inspectImageBytes(GIF)).toEqual({
      kind: 'image',
      header: { type: 'gif', width: 1, height: 1 },
    });
  });

  it('reads orientation only from a well-formed TIFF block', () => {
    expect(exifOrientation(tiffWithOrientation(5))).toBe(5);
    expect(exifOrientation(tiffWithOrientation(9))).toBeUndefined();
    expect(exifOrientation(Buffer.from('not a tiff block'))).toBeUndefined();
  });

  it('knows the extensions and names kinds with the right article', () => {
    expect(
      ['.JPG', '.jpeg', '.png', '.webp', '.HEIC', '.heif', '.avif'].map(kindOfExtension),
    ).toEqual(['jpg', 'jpg', 'png', 'webp', 'heif', 'heif', undefined]);
    expect(['avif', 'png', 'gif', 'svg', 'heif', 'jpg'].map(describeKind)).toEqual([
      'an AVIF image',
      'a PNG image',
      'a GIF image',
      'an SVG image',
      'a HEIF image',
      'a JPEG image',
    ]);
  });
});
