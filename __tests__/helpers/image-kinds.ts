// Images of the kinds the dataset checks know, built byte by byte with real structures (JPEG
// segments and scan, PNG chunks with CRCs, WebP RIFF chunks, HEIF boxes), so that a test can cut,
// pad or extend them exactly. Used by the header, dataset and end-to-end tests.
import { crc32 } from 'node:zlib';
import { encodePng } from '../../scripts/png.js';

export function u16be(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
export function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
export function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

export function segment(marker: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, marker]), u16be(body.length + 2), body]);
}

/** A TIFF block with IFD0 holding one Orientation tag. */
export function tiffWithOrientation(orientation: number, little = true): Buffer {
  const b = Buffer.alloc(8 + 2 + 12 + 4);
  if (little) {
    b.write('II', 0, 'latin1');
    b.writeUInt16LE(42, 2);
    b.writeUInt32LE(8, 4);
    b.writeUInt16LE(1, 8);
    b.writeUInt16LE(0x0112, 10);
    b.writeUInt16LE(3, 12);
    b.writeUInt32LE(1, 14);
    b.writeUInt16LE(orientation, 18);
  } else {
    b.write('MM', 0, 'latin1');
    b.writeUInt16BE(42, 2);
    b.writeUInt32BE(8, 4);
    b.writeUInt16BE(1, 8);
    b.writeUInt16BE(0x0112, 10);
    b.writeUInt16BE(3, 12);
    b.writeUInt32BE(1, 14);
    b.writeUInt16BE(orientation, 18);
  }
  return b;
}

/**
 * Scan data as an encoder writes it: no FF D9 anywhere (an FF in entropy-coded data is always
 * followed by 00), here bytes 0x00-0xFE from a fixed sequence.
 */
export function scanData(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 131 + 7) % 255;
  return b;
}

export function jpegFile(
  options: {
    width?: number;
    height?: number;
    components?: 3 | 4;
    sof?: number;
    before?: Buffer[];
    scanBytes?: number;
    end?: boolean;
  } = {},
): Buffer {
  const { width = 640, height = 480, components = 3, sof = 0xc0, before = [] } = options;
  const sofBody = Buffer.concat([
    Buffer.from([8]),
    u16be(height),
    u16be(width),
    Buffer.from([components]),
    ...Array.from({ length: components }, (_, i) => Buffer.from([i + 1, 0x11, 0])),
  ]);
  const sosBody = Buffer.concat([
    Buffer.from([components]),
    ...Array.from({ length: components }, (_, i) => Buffer.from([i + 1, 0])),
    Buffer.from([0, 0x3f, 0]),
  ]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    ...before,
    segment(sof, sofBody),
    segment(0xda, sosBody),
    scanData(options.scanBytes ?? 3000),
    options.end === false ? Buffer.alloc(0) : Buffer.from([0xff, 0xd9]),
  ]);
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), typeAndData, u32be(crc32(typeAndData))]);
}

/** A real PNG with extra chunks inserted right after IHDR. */
export function pngFile(extra: Buffer[] = [], width = 40, height = 30): Buffer {
  const png = encodePng(width, height, (x: number, y: number) => [x, y, 0], 0);
  const afterIhdr = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, afterIhdr), ...extra, png.subarray(afterIhdr)]);
}

export function riffChunk(type: string, data: Buffer): Buffer {
  const pad = data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from(type, 'latin1'), u32le(data.length), data, pad]);
}
export function webpFile(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP'), ...chunks]);
  return Buffer.concat([Buffer.from('RIFF'), u32le(body.length), body]);
}
export function vp8l(width: number, height: number): Buffer {
  const b = Buffer.alloc(15);
  b[0] = 0x2f;
  b.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
  return riffChunk('VP8L', b);
}
export function vp8x(flags: number, width: number, height: number): Buffer {
  const b = Buffer.alloc(10);
  b[0] = flags;
  b.writeUIntLE(width - 1, 4, 3);
  b.writeUIntLE(height - 1, 7, 3);
  return riffChunk('VP8X', b);
}

export function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([u32be(body.length + 8), Buffer.from(type, 'latin1'), body]);
}
export function fullBox(
  type: string,
  version: number,
  flags: number,
  ...content: Buffer[]
): Buffer {
  return box(
    type,
    Buffer.from([version, flags >> 16, (flags >> 8) & 255, flags & 255]),
    ...content,
  );
}

/**
 * A HEIF file: item 1 is the primary hvc1 image (ispe, optional irot/imir), item 2 its Exif
 * when asked for; a tile-sized ispe comes first in ipco, as in an iPhone's grid images, so only
 * the primary item's association gives the right size.
 */
export function heifFile(
  options: {
    brand?: string;
    compatible?: string[];
    width?: number;
    height?: number;
    irot?: number;
    imir?: number;
    exif?: boolean;
    mdat?: number;
  } = {},
): Buffer {
  const { brand = 'heic', compatible = ['mif1', 'heic'], width = 4032, height = 3024 } = options;
  const ftyp = box('ftyp', Buffer.from(brand), u32be(0), ...compatible.map((b) => Buffer.from(b)));
  const infe = (id: number, type: string) =>
    fullBox('infe', 2, 0, u16be(id), u16be(0), Buffer.from(type), Buffer.from('\0'));
  const items = [infe(1, 'hvc1'), ...(options.exif ? [infe(2, 'Exif')] : [])];
  const properties = [
    fullBox('ispe', 0, 0, u32be(512), u32be(512)), // 1: a tile's size
    fullBox('ispe', 0, 0, u32be(width), u32be(height)), // 2: the primary image's size
  ];
  const mine = [2];
  if (options.irot !== undefined) {
    properties.push(box('irot', Buffer.from([options.irot])));
    mine.push(properties.length);
  }
  if (options.imir !== undefined) {
    properties.push(box('imir', Buffer.from([options.imir])));
    mine.push(properties.length);
  }
  const ipma = fullBox(
    'ipma',
    0,
    0,
    u32be(1),
    u16be(1),
    Buffer.from([mine.length]),
    Buffer.from(mine.map((i) => 0x80 | i)),
  );
  const meta = fullBox(
    'meta',
    0,
    0,
    fullBox('hdlr', 0, 0, u32be(0), Buffer.from('pict'), Buffer.alloc(13)),
    fullBox('pitm', 0, 0, u16be(1)),
    fullBox('iinf', 0, 0, u16be(items.length), ...items),
    box('iprp', box('ipco', ...properties), ipma),
  );
  return Buffer.concat([ftyp, meta, box('mdat', scanData(options.mdat ?? 2000))]);
}
