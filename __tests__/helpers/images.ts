import { encodePng } from '../../scripts/png.js';
import { randomBytes } from 'node:crypto';

/** A real PNG of the given size: noise pixels, stored, so it does not compress (like a photo). */
export function png(width: number, height: number, seed = 0): Buffer {
  let x = seed * 2654435761 + 1;
  const next = (): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x >>> 24;
  };
  return encodePng(width, height, () => [next(), next(), next()], 0);
}

/**
 * A JPEG whose structure is whole: SOI, an APP0 (JFIF) segment, a SOF0 with the size, a scan of
 * random bytes standing for the entropy-coded data, EOI. The random bytes hold no FF (in real
 * scan data an FF is always followed by 00 or a restart marker), so the walk sees one scan; the
 * pixels cannot be decoded, which only tests that decode care about.
 */
export function jpeg(width: number, height: number, payloadBytes = 2000): Buffer {
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00,
  ]);
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ]);
  // SOS: one scan of all three components; the entropy-coded data follows it.
  const sos = Buffer.from([
    0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
  ]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    app0,
    sof,
    sos,
    randomBytes(payloadBytes).map((b) => (b === 0xff ? 0xfe : b)),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A minimal lossless WebP (VP8L) header of the given size. */
export function webp(width: number, height: number): Buffer {
  const vp8l = Buffer.alloc(5);
  vp8l[0] = 0x2f;
  const bits = (width - 1) | ((height - 1) << 14);
  vp8l.writeUInt32LE(bits >>> 0, 1);
  const data = Buffer.concat([Buffer.from('VP8L'), le32(vp8l.length + 10), vp8l, Buffer.alloc(10)]);
  return Buffer.concat([Buffer.from('RIFF'), le32(data.length + 4), Buffer.from('WEBP'), data]);
}

function le32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

export const GIF = Buffer.from(
  'GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;',
  'latin1',
);
