// Writes the small images under __tests__/fixtures/images/ that the fitting tests use: photo-like
// pictures in every format the action reads, with EXIF orientation, GPS, XMP, IPTC, comments,
// text chunks and colour profiles where the tests need them. Deterministic (seeded pixels), but
// the files are committed: the tests pin hashes of what the action makes of these exact bytes.
// `heif-enc` (libheif-examples) makes the HEIC; without it the committed HEIC is kept.
//
//   node scripts/make-image-fixtures.js
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { ROOT } from './action-runner.js';

const OUT = path.join(ROOT, '__tests__', 'fixtures', 'images');

/** Smooth, photo-like RGB pixels (gradients and soft waves, a little seeded noise). */
function pixels(width, height, seed, grain = 0) {
  let s = seed >>> 0;
  const noise = () =>
    grain
      ? (((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24) % (2 * grain + 1)) - grain
      : 0;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const wave = 40 * Math.sin((x + seed * 37) / 97) * Math.cos(y / 71);
      data[i] = 90 + (120 * x) / width + wave + noise();
      data[i + 1] = 60 + (150 * y) / height - wave / 2 + noise();
      data[i + 2] = 170 - (80 * (x + y)) / (width + height) + wave / 3 + noise();
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

const EXIF = {
  IFD0: { Make: 'PhoneMaker', Model: 'Phone 15', Copyright: 'Jane Owner', Artist: 'Jane Owner' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2980/100', GPSLongitudeRef: 'E' },
};

/** Adds JPEG segments (COM, APP13 IPTC, APP1 XMP) right after SOI. */
function withJpegSegments(jpeg) {
  const segment = (marker, payload) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  return Buffer.concat([
    jpeg.subarray(0, 2),
    segment(0xfe, Buffer.from('Shot at 12 Rue Example, Paris')),
    segment(
      0xed,
      Buffer.from('Photoshop 3.0\0' + '8BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x50\0\x08J. Owner'),
    ),
    segment(
      0xe1,
      Buffer.from(
        'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description dc:creator="Jane Owner"/></rdf:RDF></x:xmpmeta>',
      ),
    ),
    jpeg.subarray(2),
  ]);
}

/** Adds PNG chunks (tEXt, tIME) before IEND. */
function withPngChunks(png) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return out;
  };
  const iend = png.length - 12;
  return Buffer.concat([
    png.subarray(0, iend),
    chunk('tEXt', Buffer.from('Author\0Jane Owner')),
    chunk('tIME', Buffer.from([0x07, 0xe8, 6, 1, 12, 0, 0])),
    png.subarray(iend),
  ]);
}

await mkdir(OUT, { recursive: true });
const files = {
  // Larger than 2048 px: downscaled; orientation 1; EXIF with GPS, a comment, IPTC and XMP.
  'landscape.jpg': withJpegSegments(
    await pixels(2100, 1400, 1, 2).withExif(EXIF).jpeg({ quality: 92 }).toBuffer(),
  ),
  // Stored sideways (orientation 6), small: turned upright only; a Display P3 profile to keep.
  'portrait-rotated.jpg': await pixels(600, 400, 2, 2)
    .withExif(EXIF)
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .jpeg({ quality: 92 })
    .toBuffer(),
  // Small and upright: stripped losslessly (EXIF, GPS, comment go; the ICC profile stays).
  'upright-small.jpg': withJpegSegments(
    await pixels(480, 360, 3, 2)
      .withExif(EXIF)
      .withIccProfile('p3')
      .jpeg({ quality: 90 })
      .toBuffer(),
  ),
  // A PNG with text and time chunks: stripped losslessly.
  'graphic.png': withPngChunks(await pixels(320, 240, 4).png({ compressionLevel: 9 }).toBuffer()),
  // A wide PNG over 2048 px: downscaled, still PNG, lossless.
  'wide.png': await pixels(2200, 120, 5).png({ compressionLevel: 9 }).toBuffer(),
  // WebP, lossless, with EXIF: stripped losslessly (chunks removed, VP8X flags fixed).
  'lossless.webp': await pixels(256, 192, 6).withExif(EXIF).webp({ lossless: true }).toBuffer(),
  // WebP, lossy, over 2048 px, with EXIF: downscaled, still lossy WebP.
  'photo.webp': await pixels(2200, 1400, 7).withExif(EXIF).webp({ quality: 80 }).toBuffer(),
};
for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(OUT, name), bytes);

const heifEnc = spawnSync('heif-enc', ['--version'], { encoding: 'utf8' });
if (heifEnc.error) {
  console.log('heif-enc not found (apt-get install libheif-examples): phone.heic kept as it is');
} else {
  const work = path.join(tmpdir(), `fixtures-${process.pid}`);
  await mkdir(work, { recursive: true });
  try {
    const source = path.join(work, 'phone.png');
    await writeFile(source, await pixels(640, 480, 8).png().toBuffer());
    const made = spawnSync('heif-enc', ['-q', '50', '-o', path.join(OUT, 'phone.heic'), source], {
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new Error(`heif-enc failed: ${made.stderr}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
let total = 0;
for (const name of [...Object.keys(files), 'phone.heic']) {
  const size = (await readFile(path.join(OUT, name))).length;
  total += size;
  console.log(`${name}: ${size} bytes`);
}
console.log(`total: ${total} bytes`);
