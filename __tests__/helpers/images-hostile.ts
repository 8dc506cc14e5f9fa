// Generators of the images a hostile pull request can hold, and of the large photos people take,
// small enough to build in a test: every case is made here from a few bytes of structure, never
// stored as a large fixture. Each is a valid file of its kind as far as the decoders go.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { encodePng } from '../../scripts/png.js';
import {
  box,
  fullBox,
  jpegFile,
  pngChunk,
  pngFile,
  riffChunk,
  segment,
  u16be,
  u32be,
  vp8l,
  vp8x,
  webpFile,
} from './image-kinds.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'images');

// ---------------------------------------------------------------------------------------------
// HEIF grids

interface Tile {
  /** The hvcC box, whole. */
  hvcC: Buffer;
  /** The coded image (HEVC NAL units with their 4-byte lengths). */
  data: Buffer;
  width: number;
  height: number;
}

let tile: Tile | undefined;

/**
 * The 512×512 HEVC tile of fixtures/images/tile-512.heic (1.9 KB, written by heif-enc), the size
 * an iPhone cuts its photos into.
 */
function heifTile(): Tile {
  if (tile) return tile;
  const file = readFileSync(path.join(FIXTURES, 'tile-512.heic'));
  const top = boxesOf(file, 0, file.length);
  const meta = top.find((b) => b.type === 'meta')!;
  const inMeta = boxesOf(file, meta.start + 4, meta.end);
  const iprp = inMeta.find((b) => b.type === 'iprp')!;
  const ipco = boxesOf(file, iprp.start, iprp.end).find((b) => b.type === 'ipco')!;
  const hvcC = boxesOf(file, ipco.start, ipco.end).find((b) => b.type === 'hvcC')!;
  const iloc = inMeta.find((b) => b.type === 'iloc')!;
  // iloc version 0, offset and length sizes 4, base offset size 4: one item, one extent.
  const at = iloc.start + 4 + 2 + 2;
  const base = file.readUInt32BE(at + 4);
  const offset = file.readUInt32BE(at + 10);
  const length = file.readUInt32BE(at + 14);
  tile = {
    hvcC: file.subarray(hvcC.start - 8, hvcC.end),
    data: file.subarray(base + offset, base + offset + length),
    width: 512,
    height: 512,
  };
  return tile;
}

function boxesOf(bytes: Buffer, start: number, end: number) {
  const out: { type: string; start: number; end: number }[] = [];
  for (let at = start; at + 8 <= end;) {
    const size = bytes.readUInt32BE(at);
    out.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at + 8, end: at + size });
    at += size;
  }
  return out;
}

/**
 * A HEIC whose primary image is a grid of `columns` × `rows` 512-pixel tiles, `width` × `height`
 * after cropping (an iPhone's 48-megapixel photo is 8064×6048 from 16 × 12 tiles). The tiles all
 * hold the same coded picture. `oneItem`: every cell of the grid names one and the same tile item
 * (the grid bomb: a few kilobytes that declare billions of pixels); otherwise each cell is an
 * item of its own, as cameras write them, pointing at the same bytes. `irot`: a rotation.
 */
export function heifGrid(options: {
  columns: number;
  rows: number;
  width?: number;
  height?: number;
  oneItem?: boolean;
  irot?: number;
}): Buffer {
  const t = heifTile();
  const { columns, rows } = options;
  const width = options.width ?? columns * t.width;
  const height = options.height ?? rows * t.height;
  const cells = columns * rows;
  const tiles = options.oneItem ? 1 : cells;
  const gridId = 1;
  const tileIds = Array.from({ length: tiles }, (_, i) => i + 2);
  const wide = width > 0xffff || height > 0xffff;
  const gridData = Buffer.concat([
    Buffer.from([0, wide ? 1 : 0, rows - 1, columns - 1]),
    wide
      ? Buffer.concat([u32be(width), u32be(height)])
      : Buffer.concat([u16be(width), u16be(height)]),
  ]);
  const infe = (id: number, type: string, hidden: boolean) =>
    fullBox('infe', 2, hidden ? 1 : 0, u16be(id), u16be(0), Buffer.from(type), Buffer.from('\0'));
  const iinf = fullBox(
    'iinf',
    0,
    0,
    u16be(1 + tiles),
    infe(gridId, 'grid', false),
    ...tileIds.map((id) => infe(id, 'hvc1', true)),
  );
  const dimg = box(
    'dimg',
    u16be(gridId),
    u16be(cells),
    ...Array.from({ length: cells }, (_, i) => u16be(tileIds[options.oneItem ? 0 : i]!)),
  );
  const iref = fullBox('iref', 0, 0, dimg);
  const properties = [
    t.hvcC, // 1
    fullBox('ispe', 0, 0, u32be(t.width), u32be(t.height)), // 2
    fullBox('ispe', 0, 0, u32be(width), u32be(height)), // 3
  ];
  const gridProps = [3];
  if (options.irot !== undefined) {
    properties.push(box('irot', Buffer.from([options.irot])));
    gridProps.push(properties.length);
  }
  const association = (id: number, props: number[], essential: number[]) =>
    Buffer.concat([
      u16be(id),
      Buffer.from([props.length]),
      Buffer.from(props.map((p) => (essential.includes(p) ? 0x80 : 0) | p)),
    ]);
  const ipma = fullBox(
    'ipma',
    0,
    0,
    u32be(1 + tiles),
    association(gridId, gridProps, gridProps.slice(1)),
    ...tileIds.map((id) => association(id, [1, 2], [1])),
  );
  const iprp = box('iprp', box('ipco', ...properties), ipma);
  // iloc is written last, once the offsets into mdat are known: its size does not depend on them.
  const ilocFor = (mdatStart: number) =>
    fullBox(
      'iloc',
      0,
      0,
      Buffer.from([0x44, 0x00]), // offset size 4, length size 4, base offset size 0
      u16be(1 + tiles),
      u16be(gridId),
      u16be(0),
      u16be(1),
      u32be(mdatStart),
      u32be(gridData.length),
      ...tileIds.flatMap((id) => [
        u16be(id),
        u16be(0),
        u16be(1),
        u32be(mdatStart + gridData.length),
        u32be(t.data.length),
      ]),
    );
  const ftyp = box('ftyp', Buffer.from('heic'), u32be(0), Buffer.from('mif1heicmiaf'));
  const hdlr = fullBox('hdlr', 0, 0, u32be(0), Buffer.from('pict'), Buffer.alloc(13));
  const pitm = fullBox('pitm', 0, 0, u16be(gridId));
  const metaWith = (iloc: Buffer) => fullBox('meta', 0, 0, hdlr, pitm, iloc, iinf, iref, iprp);
  const metaLength = metaWith(ilocFor(0)).length;
  const mdatStart = ftyp.length + metaLength + 8;
  const meta = metaWith(ilocFor(mdatStart));
  return Buffer.concat([ftyp, meta, box('mdat', gridData, t.data)]);
}

// ---------------------------------------------------------------------------------------------
// JPEG

/** Bits written most significant first, with FF bytes stuffed as an entropy coder writes them. */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0);
    this.current = 0;
    this.count = 0;
  }

  /** Pads the last byte with ones, as encoders do. */
  done(): Buffer {
    if (this.count > 0) this.write(0x7f, 8 - this.count);
    return Buffer.from(this.bytes);
  }
}

/**
 * A greyscale progressive JPEG of `width` × `height` whose every block is flat grey, coded in
 * `scans` scans: one DC scan (a 1-bit code per block), then AC scans that are nothing but
 * end-of-block runs of up to 32,767 blocks (a few hundred bytes each), band by band, each band
 * refined from bit 13 down. libjpeg passes over every block of the image in every scan and holds
 * 128 bytes of coefficients per block: 16000 × 16000 in 883 scans is the scan bomb (about
 * 800 KB, minutes of decoding); with fewer scans it is a valid, slow image.
 */
export function progressiveJpeg(width: number, height: number, scans: number): Buffer {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
  const sof = segment(
    0xc2,
    Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([1, 1, 0x11, 0])]),
  );
  // DC table 0: one code, '0', for a difference of 0 (category 0).
  const dcCounts = Buffer.alloc(16);
  dcCounts[0] = 1;
  const dht = (tableClass: number, counts: Buffer, symbols: number[]) =>
    segment(0xc4, Buffer.concat([Buffer.from([tableClass << 4]), counts, Buffer.from(symbols)]));
  // AC table 0: the fifteen end-of-block-run symbols EOB0..EOB14 (0x00, 0x10, ... 0xE0), 4 bits each.
  const acCounts = Buffer.alloc(16);
  acCounts[3] = 15;
  const eobSymbols = Array.from({ length: 15 }, (_, n) => n << 4);
  const sos = (ss: number, se: number, ah: number, al: number, table: number) =>
    segment(0xda, Buffer.from([1, 1, table, ss, se, (ah << 4) | al]));
  const dcData = () => {
    const bits = new BitWriter();
    for (let i = 0; i < blocks; i++) bits.write(0, 1);
    return bits.done();
  };
  const eobRuns = () => {
    const bits = new BitWriter();
    for (let left = blocks; left > 0;) {
      const run = Math.min(left, 32767);
      const n = 31 - Math.clz32(run);
      bits.write(n, 4); // code of EOBn is n (canonical codes in symbol order)
      if (n > 0) bits.write(run - (1 << n), n);
      left -= run;
    }
    return bits.done();
  };
  const runs = eobRuns();
  const parts: Buffer[] = [
    Buffer.from([0xff, 0xd8]),
    dqt,
    sof,
    dht(0, dcCounts, [0]),
    dht(1, acCounts, eobSymbols),
    sos(0, 0, 0, 0, 0x00),
    dcData(),
  ];
  let made = 1;
  for (let band = 1; band <= 63 && made < scans; band++) {
    for (let al = 13; al >= 0 && made < scans; al--, made++) {
      parts.push(sos(band, band, al === 13 ? 0 : al + 1, al, 0x00), runs);
    }
  }
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

/**
 * The segment flood: a JPEG whose header holds `count` empty APP3 segments (4 bytes each: 15
 * million make a 60 MB file) after one comment.
 */
export function segmentFlood(count: number): Buffer {
  const flood = Buffer.alloc(count * 4);
  for (let i = 0; i < flood.length; i += 4) flood.writeUInt32BE(0xffe30002, i);
  return jpegWith([segment(0xfe, Buffer.from('a comment')), flood]);
}

/** A JPEG with `bytes` of FF fill before its frame header (libjpeg skips them one by one). */
export function fillBytes(bytes: number): Buffer {
  return jpegWith([Buffer.alloc(bytes, 0xff)]);
}

function jpegWith(before: Buffer[]): Buffer {
  return jpegFile({ before, width: 64, height: 48 });
}

// ---------------------------------------------------------------------------------------------
// PNG and WebP

/** A PNG of `count` empty chunks of an unknown, ancillary type before its image data. */
export function pngChunkFlood(count: number): Buffer {
  const empty = pngChunk('zzZz', Buffer.alloc(0));
  return pngFile([Buffer.concat(Array.from({ length: count }, () => empty))]);
}

/** A WebP of `count` empty chunks of an unknown type after its image. */
export function webpChunkFlood(count: number): Buffer {
  const empty = riffChunk('zzzz', Buffer.alloc(0));
  return webpFile([
    vp8x(0, 40, 30),
    vp8l(40, 30),
    Buffer.concat(Array.from({ length: count }, () => empty)),
  ]);
}

/**
 * The text bomb: a flat `width` × `height` PNG with `chunks` zTXt chunks of `inflated` bytes
 * each (7.9 MB of zeros deflate to 8 KB), a few hundred kilobytes that the decoder inflates to
 * gigabytes.
 */
export function pngTextBomb(
  chunks = 100,
  inflated = 7_900_000,
  width = 3000,
  height = 3000,
): Buffer {
  const compressed = deflateSync(Buffer.alloc(inflated), { level: 9 });
  const ztxt = pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), compressed]));
  const flat = encodePng(width, height, () => [200, 120, 40], 9);
  const afterIhdr = 8 + 12 + 13;
  return Buffer.concat([
    flat.subarray(0, afterIhdr),
    ...Array.from({ length: chunks }, () => ztxt),
    flat.subarray(afterIhdr),
  ]);
}

/**
 * A baseline JPEG of `width` × `height`, YCbCr 4:2:0 as phones write it, every block flat
 * grey: each block is a 1-bit DC code and a 1-bit end-of-block, all zero bits, so a
 * 200-megapixel photo (16320 × 12240) is a megabyte of zeros made in an instant. `before`:
 * segments after SOI (an EXIF with an orientation, say).
 */
export function baselineJpeg(width: number, height: number, before: Buffer[] = []): Buffer {
  const mcus = Math.ceil(width / 16) * Math.ceil(height / 16);
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
  const sof = segment(
    0xc0,
    Buffer.concat([
      Buffer.from([8]),
      u16be(height),
      u16be(width),
      Buffer.from([3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]),
    ]),
  );
  const counts = Buffer.alloc(16);
  counts[0] = 1;
  // DC table 0: '0' is a difference of 0; AC table 0: '0' is end-of-block.
  const dht = segment(
    0xc4,
    Buffer.concat([
      Buffer.from([0x00]),
      counts,
      Buffer.from([0]),
      Buffer.from([0x10]),
      counts,
      Buffer.from([0]),
    ]),
  );
  const sos = segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]));
  // Six blocks an MCU, two bits a block.
  const data = Buffer.alloc(Math.ceil((mcus * 6 * 2) / 8));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    ...before,
    dqt,
    sof,
    dht,
    sos,
    data,
    Buffer.from([0xff, 0xd9]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Metadata in places a stripper may miss

/** A string planted in every layout below: it must not reach the ZIP. */
export const MARKER = 'PLANTED-MARKER-5c1e';

/**
 * An EXIF block (TIFF, big-endian) whose IFD0 holds the marker as ImageDescription and a GPS
 * position (48°51'29.8" N) that exiftool reads as GPSLatitude; `orientation` adds that tag.
 */
export function exifWithGps(orientation?: number): Buffer {
  const text = Buffer.from(`${MARKER}\0`, 'latin1');
  const entries0 = orientation ? 3 : 2;
  const ifd0 = 8;
  const ifd0Size = 2 + entries0 * 12 + 4;
  const gpsIfd = ifd0 + ifd0Size;
  const gpsSize = 2 + 2 * 12 + 4;
  const textAt = gpsIfd + gpsSize;
  const rationalsAt = textAt + text.length;
  const out = Buffer.alloc(rationalsAt + 24);
  out.write('MM', 0, 'latin1');
  out.writeUInt16BE(42, 2);
  out.writeUInt32BE(ifd0, 4);
  out.writeUInt16BE(entries0, ifd0);
  let at = ifd0 + 2;
  const entry = (tag: number, type: number, count: number, value: (at: number) => void) => {
    out.writeUInt16BE(tag, at);
    out.writeUInt16BE(type, at + 2);
    out.writeUInt32BE(count, at + 4);
    value(at + 8);
    at += 12;
  };
  entry(0x010e, 2, text.length, (v) => out.writeUInt32BE(textAt, v));
  if (orientation) entry(0x0112, 3, 1, (v) => out.writeUInt16BE(orientation, v));
  entry(0x8825, 4, 1, (v) => out.writeUInt32BE(gpsIfd, v));
  out.writeUInt16BE(2, gpsIfd);
  at = gpsIfd + 2;
  entry(0x0001, 2, 2, (v) => out.write('N\0', v, 'latin1'));
  entry(0x0002, 5, 3, (v) => out.writeUInt32BE(rationalsAt, v));
  text.copy(out, textAt);
  [48, 1, 51, 1, 2980, 100].forEach((n, i) => out.writeUInt32BE(n, rationalsAt + i * 4));
  return out;
}

/** An APP1 Exif segment with the marker and a GPS position. */
export function exifSegment(orientation?: number): Buffer {
  return segment(
    0xe1,
    Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifWithGps(orientation)]),
  );
}

/**
 * The layouts an adversarial review found kept after "location removed", each with the marker
 * (and GPS where the layout holds EXIF), on images that need nothing but stripping. `jpeg`,
 * `progressive`, `png` and `webp` are real small images to build on (the codec makes them).
 */
export function metadataLayouts(base: {
  jpeg: Buffer;
  progressive: Buffer;
  png: Buffer;
  webp: Buffer;
}): Record<string, Buffer> {
  const marker = Buffer.from(MARKER, 'latin1');
  const sos = (b: Buffer, nth: number) => {
    let at = -1;
    for (let i = 0; i < nth; i++) at = b.indexOf(Buffer.from([0xff, 0xda]), at + 1);
    return at;
  };
  const eoi = (b: Buffer) => b.lastIndexOf(Buffer.from([0xff, 0xd9]));
  const insert = (b: Buffer, at: number, part: Buffer) =>
    Buffer.concat([b.subarray(0, at), part, b.subarray(at)]);
  const pngEnd = (b: Buffer) => b.length - 12; // IEND is the last chunk
  const webp = (chunks: Buffer[]) => {
    const body = Buffer.concat([base.webp.subarray(12), ...chunks]);
    const header = Buffer.from(base.webp.subarray(0, 12));
    header.writeUInt32LE(body.length + 4, 4);
    return Buffer.concat([header, body]);
  };
  return {
    // A JPEG's EXIF after the first scan of a progressive image.
    'exif-between-scans.jpg': insert(base.progressive, sos(base.progressive, 2), exifSegment()),
    // An APP1 right before the end-of-image marker.
    'exif-before-end.jpg': insert(base.jpeg, eoi(base.jpeg), exifSegment()),
    // A second JPEG, with its EXIF and GPS, after the first one's end.
    'appended-jpeg.jpg': Buffer.concat([base.jpeg, insert(base.jpeg, 2, exifSegment())]),
    // APP3 "Meta", APP6 and APP11 (C2PA's JUMBF boxes).
    'app3-app6-app11.jpg': insert(
      base.jpeg,
      2,
      Buffer.concat([
        segment(0xe3, Buffer.concat([Buffer.from('Meta\0\0', 'latin1'), exifWithGps()])),
        segment(0xe6, Buffer.concat([Buffer.from('NITF\0', 'latin1'), marker])),
        segment(0xeb, Buffer.concat([Buffer.from('JP\0\0\0\0\0\x01jumbc2pa', 'latin1'), marker])),
      ]),
    ),
    // PNG: an `exIf` chunk (not eXIf) that exiftool still reads, `eXIf` after IEND, and the C2PA
    // chunk caBX with a made-up zxIf.
    'exif-lowercase.png': insert(base.png, 33, pngChunk('exIf', exifWithGps())),
    'exif-after-end.png': Buffer.concat([base.png, pngChunk('eXIf', exifWithGps())]),
    'cabx-zxif.png': insert(
      base.png,
      pngEnd(base.png),
      Buffer.concat([pngChunk('caBX', marker), pngChunk('zxIf', exifWithGps())]),
    ),
    // WebP: a C2PA chunk and a lowercase `exif` chunk.
    'c2pa-exif.webp': webp([riffChunk('C2PA', marker), riffChunk('exif', exifWithGps())]),
  };
}
