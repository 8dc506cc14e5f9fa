import { describe, expect, it } from 'vitest';
import { readZip } from './helpers/zip.js';
import { loadSharp } from '../src/dataset/fit/codec.js';
import { readMetadata } from '../src/dataset/fit/metadata.js';
import { failureOf, run, simulator, workspace } from './helpers/e2e.js';
import { png } from './helpers/images.js';

// Phone-like photos: 4032×3024 JPEGs at quality 92 with camera noise (about 5 MB each), EXIF with
// a GPS position, two of them stored sideways (orientation 6). Made with the codec from seeded
// pixels, so every run of this file sees the same bytes.
const SEED = 20261129;
const PHOTOS = 6;
const SIDEWAYS = new Set([1, 4]);

async function phonePhotos(): Promise<Record<string, Buffer | string>> {
  console.log(`photo seed ${SEED}`);
  const sharp = loadSharp();
  const width = 4032;
  const height = 3024;
  const files: Record<string, Buffer | string> = {};
  let s = SEED;
  for (let n = 0; n < PHOTOS; n++) {
    const pixels = Buffer.alloc(width * height * 3);
    const across = Float64Array.from({ length: width }, (_, x) => Math.sin(x / (150 + n * 20)));
    const down = Float64Array.from({ length: height }, (_, y) => 60 * Math.cos(y / 210));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const grain = (s >>> 26) - 32;
        const i = (y * width + x) * 3;
        const base = 128 + across[x]! * down[y]!;
        pixels[i] = base + grain;
        pixels[i + 1] = base * 0.8 + grain;
        pixels[i + 2] = 255 - base + grain;
      }
    }
    let image = sharp(pixels, { raw: { width, height, channels: 3 } }).withExif({
      IFD0: { Make: 'PhoneMaker', Copyright: 'Jane Owner' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2980/100' },
    });
    if (SIDEWAYS.has(n)) image = image.withMetadata({ orientation: 6 });
    files[`dataset/IMG_${1000 + n}.jpg`] = await image.jpeg({ quality: 92 }).toBuffer();
    files[`dataset/IMG_${1000 + n}.txt`] = `photo of [trigger], shot ${n}`;
  }
  return files;
}

let photos: Promise<Record<string, Buffer | string>> | undefined;
const dataset = () => (photos ??= phonePhotos());
/** Two of the photos (one sideways) with their captions: about 2 MB fitted to 2048 px, 1 at 1536. */
const pair = async () =>
  Object.fromEntries(
    Object.entries(await dataset()).filter(([name]) => /IMG_100[01]\./.test(name)),
  );

describe('fitting phone photos, end to end (dist/index.js against the simulator)', () => {
  it('trains on them fitted, upright and without EXIF, byte-identical across two runs', async () => {
    const files = await dataset();
    const original = Object.values(files)
      .filter((f): f is Buffer => typeof f !== 'string')
      .reduce((n, f) => n + f.length, 0);
    const zips: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const sim = await simulator();
      const ws = await workspace(files);
      const result = await run(sim, ws);
      expect(result.code, result.stdout).toBe(0);
      expect(result.outputs['reencoded-count']).toBe(String(PHOTOS));
      expect(result.stdout).toContain(
        `Images made ready: ${PHOTOS} downscaled from 4032×3024 to 2048×1536 (2 of them from 3024×4032 to 1536×2048), 2 turned upright, location removed from ${PHOTOS}.`,
      );
      expect(result.summary).toContain(
        '| Made ready | 6 downscaled from 4032×3024 to 2048×1536 (2 of them from 3024×4032 to 1536×2048)',
      );
      expect(result.tempLeft).toEqual([]);
      zips.push(sim.uploads.get(result.outputs['dataset-url']!)!);
    }
    expect(zips[0]!.equals(zips[1]!)).toBe(true);
    const zip = zips[0]!;
    expect(zip.length).toBeLessThan(original / 2);

    const entries = await readZip(zip);
    const sharp = loadSharp();
    for (let n = 0; n < PHOTOS; n++) {
      const bytes = entries.get(`IMG_${1000 + n}.jpg`)!.data;
      const meta = await sharp(bytes).metadata();
      const upright = SIDEWAYS.has(n) ? [1536, 2048] : [2048, 1536];
      expect([meta.width, meta.height], `IMG_${1000 + n}.jpg`).toEqual(upright);
      expect(meta.orientation).toBeUndefined();
      expect(meta.exif).toBeUndefined();
      expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
      expect(bytes.includes(Buffer.from('http://ns.adobe.com/xap', 'latin1'))).toBe(false);
      expect(bytes.includes(Buffer.from('Jane Owner'))).toBe(false);
      expect(readMetadata(bytes)).toEqual({
        orientation: 1,
        gps: false,
        strippable: false,
        lossless: false,
      });
    }
    expect(entries.get('IMG_1000.txt')!.data.toString()).toBe('photo of TOK, shot 0');
  }, 180_000);

  it('names a sideways photo as it stands, before and after, in the log and the summary', async () => {
    const sideways = Object.fromEntries(
      Object.entries(await dataset()).filter(([name]) => /IMG_1001\./.test(name)),
    );
    const result = await run(undefined, await workspace(sideways), { 'dry-run': 'true' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      'Images made ready: 1 downscaled from 3024×4032 to 1536×2048, 1 turned upright',
    );
    expect(result.stdout).toContain(
      'dataset/IMG_1001.jpg: downscaled from 3024×4032 to 1536×2048 (longer side over 2048 px), turned upright',
    );
    for (const row of ['Smallest image', 'Median image', 'Largest image'])
      expect(result.summary).toContain(`| ${row} | 3024×4032 (`);
    expect(result.summary).not.toContain('4032×3024');
  }, 180_000);

  it('with max-image-side 0 never resizes (sideways photos are still turned upright)', async () => {
    const ws = await workspace(await dataset());
    const result = await run(undefined, ws, { 'dry-run': 'true', 'max-image-side': '0' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs['reencoded-count']).toBe('2');
    expect(result.stdout).toContain(
      'Images made ready: 2 turned upright, location removed from 6.',
    );
    expect(result.tempLeft).toEqual([]);
  }, 180_000);

  it('steps the side down with a warning when the ZIP would reach max-zip-mb', async () => {
    const ws = await workspace(await pair());
    const result = await run(undefined, ws, { 'dry-run': 'true', 'max-zip-mb': '1.5' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      /::warning title=Dataset::The dataset ZIP would be [\d.]+ MB with images fitted to 2048 px, not under the 1\.50 MB limit \(max-zip-mb\): fitting them to 1536 px instead/,
    );
    expect(result.stdout).toContain(
      '2 downscaled from 4032×3024 to 1536×1152 (1 of them from 3024×4032 to 1152×1536), longer side stepped down from 2048 to 1536 px',
    );
    expect(Number(result.outputs['zip-bytes'])).toBeLessThan(1_500_000);
    expect(result.tempLeft).toEqual([]);
  }, 180_000);

  it('fails naming the largest images when the smallest side does not fit', async () => {
    const sim = await simulator();
    // Noise PNGs stay large however they are scaled (PNG is lossless).
    const ws = await workspace({
      'dataset/noise-a.png': png(1100, 800, 1),
      'dataset/noise-b.png': png(1200, 900, 2),
    });
    const result = await run(sim, ws, { 'max-zip-mb': '1', 'max-image-side': '1024' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /even with every image fitted to 1024 px; it must be under 1\.00 MB \(max-zip-mb\)\. The largest images: dataset\/noise-b\.png \([\d.]+ MB\), dataset\/noise-a\.png/,
    );
    expect(sim.requests).toEqual([]);
    expect(result.tempLeft).toEqual([]);
  }, 180_000);

  it('refuses bad values of max-image-side and strip-metadata before reading any file', async () => {
    const ws = await workspace({ 'dataset/a.jpg': 'not read' });
    for (const [inputs, message] of [
      [
        { 'max-image-side': '300' },
        /`max-image-side` is "300": expected a whole number of pixels from 512 to 8192, or 0 to never resize/,
      ],
      [{ 'strip-metadata': 'maybe' }, /`strip-metadata` is "maybe": expected a YAML boolean/],
    ] as const) {
      const result = await run(undefined, ws, { 'dry-run': 'true', ...inputs });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(message);
    }
  });
});
