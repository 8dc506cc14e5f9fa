import { closeSync, openSync, readSync } from 'node:fs';

/** The image kinds the action trains on (HEIF is converted to JPEG before it is zipped). */
export type ImageKind = 'jpg' | 'png' | 'webp' | 'heif';

export interface ImageHeader {
  /**
   * What the bytes are: `jpg`, `png`, `webp` or `heif` for the kinds we train on, else the name
   * image-size gives (`gif`, `tiff`, ...) or `avif` for an AV1 image in a HEIF container.
   */
  type: string;
  /** The stored size, before any orientation is applied. */
  width: number;
  height: number;
  /**
   * How the stored pixels must be turned to look as a viewer shows them, as an EXIF orientation
   * (1 to 8). JPEG: its APP1 Exif; PNG: its eXIf chunk; WebP: its EXIF chunk. HEIF: the `irot`
   * and `imir` properties of the primary image, expressed as the same 1 to 8, which HEIF decoders
   * (libheif) already apply when they decode (the EXIF tag inside a HEIF is informational and
   * ignored). Undefined when the file has none, which means 1.
   */
  orientation?: number;
  /**
   * The file holds metadata that `strip-metadata` removes, exactly what stripMetadata
   * (fit/metadata.ts) takes out: JPEG APP1 (EXIF, XMP), APP13 (IPTC), COM, and APP2 MPF (the
   * index of the images a phone appends after the main one, each with its own EXIF); PNG eXIf,
   * tEXt, zTXt, iTXt and tIME; WebP EXIF and XMP chunks. HEIF: Exif or XMP items (a HEIF is
   * always re-encoded, which leaves them behind). A test holds the two readers to one answer.
   */
  hasMetadata?: boolean;
  /** The EXIF holds a GPS position (a GPS IFD with entries). */
  gps?: boolean;
  /** An ICC colour profile is present (JPEG APP2 ICC_PROFILE, PNG iCCP, WebP ICCP, HEIF colr). */
  hasIccProfile?: boolean;
  /** More than one frame: animated WebP (VP8X animation flag, ANIM), APNG (acTL), HEIF sequences. */
  animated?: boolean;
  /** A JPEG with four colour components (CMYK or YCCK, usually with an Adobe APP14 segment). */
  cmyk?: boolean;
  /** A progressive JPEG (SOF2), for the re-encoder's choice of output. */
  progressive?: boolean;
  /** A WebP whose image is lossless (VP8L): it stays lossless when it is re-encoded. */
  lossless?: boolean;
  /**
   * Set when the file is cut short or its structure runs past its end: what is wrong, as a phrase
   * ("no end-of-image marker after its image data"). Such a file must not be uploaded.
   */
  broken?: string;
}

/** What a file with an image extension turned out to be. */
export type FileInspection =
  | { kind: 'image'; header: ImageHeader }
  | { kind: 'lfs-pointer' }
  | { kind: 'empty' }
  /**
   * No image we train on. `unnamed`: what it is could not be said because image-size is not
   * loaded yet; loadImageSizer(), then inspect again (collect.ts does).
   */
  | { kind: 'unknown'; unnamed?: true };

/** The first read: the whole of a small file, the headers of almost every image. */
const FIRST_READ = 64 * 1024;
/** The backward search for a JPEG's end-of-image marker reads this much at a time. */
const TAIL_READ = 64 * 1024;
/** A HEIF `meta` box (item list, properties) is read whole; it is a few KiB in real files. */
const MAX_META_BOX = 4 * 1024 * 1024;
/** A chunk or segment of metadata is read only up to this many bytes (orientation sits early). */
const MAX_EXIF_READ = 256 * 1024;

const LFS_POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1';

/**
 * Reads an image's type, size and the facts the fitting step needs from its header, never
 * decoding it, and checks that the file is complete: a 10 MB photo costs one 64 KiB read at its
 * start, one at its end, and a few small reads where the format keeps its structure behind large
 * blocks (JPEG segments, PNG chunks, WebP chunks). Returns undefined for bytes that are no image
 * image-size knows (and for Git LFS pointers: use inspectImageFile to tell those apart).
 */
export async function readImageHeader(
  file: string,
  fileSize: number,
): Promise<ImageHeader | undefined> {
  let result = inspectImageFileSync(file, fileSize);
  if (result.kind === 'unknown' && result.unnamed) {
    await loadImageSizer();
    result = inspectImageFileSync(file, fileSize);
  }
  return result.kind === 'image' ? result.header : undefined;
}

type ImageSizer = (bytes: Uint8Array) => { type?: string; width?: number; height?: number };
let sizer: ImageSizer | undefined;

/**
 * Loads image-size, which names the images we do not train on (`a GIF image`) and sizes a HEIF
 * whose own boxes give no size. Only such files need it, so it is not in the start-up chunk:
 * parsing and running its 16 KB cost every run about 7 million instructions (valgrind), a
 * twentieth of the action's start-up.
 */
export async function loadImageSizer(): Promise<void> {
  sizer ??= (await import('image-size')).imageSize;
}

/** Thrown inside an inspection that needs image-size before it is loaded. */
class SizerNotLoaded extends Error {}

/**
 * inspectImageFile with synchronous reads: for a dataset of thousands of small files in the page
 * cache, open/read/close on the main thread costs a fifth of the same calls through libuv's
 * thread pool (measured on 50,000 files: 1.6 s against 9.1 s with 16 in flight).
 */
export function inspectImageFileSync(file: string, fileSize: number): FileInspection {
  if (fileSize === 0) return { kind: 'empty' };
  const fd = openSync(file, 'r');
  try {
    return inspect(Reader.open(fd, fileSize));
  } finally {
    closeSync(fd);
  }
}

/** Inspects bytes already in memory (tests, and callers that hold a whole file). */
export function inspectImageBytes(bytes: Uint8Array): FileInspection {
  if (bytes.length === 0) return { kind: 'empty' };
  return inspect(Reader.fromBytes(bytes));
}

function inspect(reader: Reader): FileInspection {
  const head = reader.head;
  if (startsWith(head, 0, LFS_POINTER_PREFIX)) return { kind: 'lfs-pointer' };
  let header: ImageHeader | undefined;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) header = readJpeg(reader);
  else if (startsWith(head, 0, '\x89PNG\r\n\x1a\n')) header = readPng(reader);
  else if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP')) header = readWebp(reader);
  else {
    try {
      header = startsWith(head, 4, 'ftyp') ? readIsoBmff(reader) : otherImage(head);
    } catch (error) {
      if (error instanceof SizerNotLoaded) return { kind: 'unknown', unnamed: true };
      throw error;
    }
  }
  return header ? { kind: 'image', header } : { kind: 'unknown' };
}

/** Any other image image-size knows, only to name it in the error (`a GIF image`). */
function otherImage(head: Uint8Array): ImageHeader | undefined {
  if (!sizer) throw new SizerNotLoaded();
  try {
    const { type, width = 0, height = 0 } = sizer(head);
    if (!type || !(width > 0) || !(height > 0)) return undefined;
    return { type, width, height };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// JPEG
// ---------------------------------------------------------------------------------------------

function readJpeg(reader: Reader): ImageHeader | undefined {
  const header: ImageHeader = { type: 'jpg', width: 0, height: 0 };
  let pos = 2;
  let scanStart = -1;
  let components = 0;
  let sawExif = false;
  // Walk the marker segments up to the first scan (SOS). Each step reads 4 bytes unless they sit
  // in the first read already; segment contents are read only where they matter.
  while (pos + 4 <= reader.size) {
    const mark = reader.bytes(pos, 4);
    if (mark.length < 4) break;
    if (mark[0] !== 0xff) {
      // Extraneous bytes before a marker: libjpeg warns and skips to the next FF; so do we.
      const next = reader.bytes(pos, 4096).indexOf(0xff);
      if (next <= 0) break;
      pos += next;
      continue;
    }
    const marker = mark[1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // standalone markers
      continue;
    }
    if (marker === 0xd9) break; // end of image before any scan
    const length = (mark[2]! << 8) | mark[3]!;
    if (length < 2) break;
    const body = pos + 4;
    const end = pos + 2 + length;
    if (marker === 0xda) {
      scanStart = end;
      break;
    }
    if (end > reader.size) {
      header.broken = `its ${markerName(marker)} segment runs past the end of the file`;
      break;
    }
    if (isSof(marker)) {
      const sof = reader.bytes(body, 6);
      header.height = (sof[1]! << 8) | sof[2]!;
      header.width = (sof[3]! << 8) | sof[4]!;
      components = sof[5]!;
      if (marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce)
        header.progressive = true;
    } else if (marker === 0xe1) {
      // APP1: EXIF, XMP, extended XMP; only the first EXIF counts, as for libexif.
      header.hasMetadata = true;
      if (!sawExif && startsWith(reader.bytes(body, 6), 0, 'Exif\0\0')) {
        sawExif = true;
        useExif(header, reader.bytes(body + 6, Math.min(length - 8, MAX_EXIF_READ)));
      }
    } else if (marker === 0xed || marker === 0xfe) {
      header.hasMetadata = true; // APP13 (Photoshop IRB, IPTC), COM
    } else if (marker === 0xe2) {
      const id = reader.bytes(body, 12);
      if (startsWith(id, 0, 'ICC_PROFILE\0')) header.hasIccProfile = true;
      else if (startsWith(id, 0, 'MPF\0')) header.hasMetadata = true;
    }
    pos = end;
  }
  if (!(header.width > 0 && header.height > 0)) {
    // No frame header in a JPEG that starts like one: cut short inside its headers, or no JPEG.
    if (!header.broken && scanStart < 0 && pos + 4 > reader.size) {
      header.broken = 'it ends inside its headers, before the image size';
    }
    return header.broken ? header : undefined;
  }
  if (components === 4) header.cmyk = true;
  if (!header.broken) {
    if (scanStart < 0) header.broken = 'it ends before its image data';
    else if (!hasEndOfImage(reader, scanStart))
      header.broken = 'no end-of-image marker (FFD9) after its image data';
  }
  return header;
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function markerName(marker: number): string {
  if (marker >= 0xe0 && marker <= 0xef) return `APP${marker - 0xe0}`;
  if (isSof(marker)) return 'frame header (SOF)';
  return `0xFF${marker.toString(16).toUpperCase()}`;
}

/**
 * Whether an end-of-image marker (FF D9) follows the scan data that starts at `scanStart`. The
 * entropy-coded data cannot hold FF D9 (an FF there is always followed by 00 or a restart marker
 * D0-D7), so any FF D9 after the first scan is the image's end, wherever it sits: at the very end
 * (most files), before trailing zeros or padding that some cameras write, or before data other
 * software appends (Samsung's SEFT trailer, the MP4 of a Google or Samsung motion photo, which
 * libjpeg and every viewer ignore). The search runs backwards from the end of the file, 64 KiB at
 * a time: one read for a complete file, and the whole scan only for a file cut short, which has
 * no FF D9 at all. This is libjpeg's own criterion: it decodes until it meets EOI and calls a
 * file whose data runs out first "Premature end of JPEG file".
 */
function hasEndOfImage(reader: Reader, scanStart: number): boolean {
  let end = reader.size;
  while (end - scanStart >= 2) {
    const start = Math.max(scanStart, end - TAIL_READ);
    const window = reader.bytes(start, end - start);
    for (let i = window.length - 2; i >= 0; i--) {
      if (window[i] === 0xff && window[i + 1] === 0xd9) return true;
    }
    if (start === scanStart) return false;
    end = start + 1; // an FF D9 may straddle the two windows
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------

/** Text, EXIF and the last-modified date; colour chunks (iCCP, sRGB, gAMA, cHRM) are kept. */
const PNG_METADATA_CHUNKS = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function readPng(reader: Reader): ImageHeader | undefined {
  const header: ImageHeader = { type: 'png', width: 0, height: 0 };
  let pos = 8;
  let sawEnd = false;
  let sawExif = false;
  // Walk the whole chunk list, 8 bytes of each chunk's header (the first 64 KiB are in memory):
  // a chunk that runs past the end, or no IEND, is a file cut short.
  while (pos + 8 <= reader.size) {
    const chunk = reader.bytes(pos, 8);
    const length = readU32BE(chunk, 0);
    const type = ascii(chunk, 4, 8);
    const end = pos + 12 + length;
    if (end > reader.size) {
      header.broken = `its ${printableType(type)} chunk runs past the end of the file`;
      break;
    }
    if (type === 'IHDR' && length >= 13) {
      const ihdr = reader.bytes(pos + 8, 8);
      header.width = readU32BE(ihdr, 0);
      header.height = readU32BE(ihdr, 4);
    } else if (type === 'acTL') {
      header.animated = true;
    } else if (type === 'iCCP') {
      header.hasIccProfile = true;
    } else if (PNG_METADATA_CHUNKS.has(type)) {
      header.hasMetadata = true;
      if (type === 'eXIf' && !sawExif) {
        sawExif = true;
        useExif(header, reader.bytes(pos + 8, Math.min(length, MAX_EXIF_READ)));
      }
    } else if (type === 'IEND') {
      sawEnd = true;
      break; // data after IEND is ignored by every decoder
    }
    pos = end;
  }
  if (!(header.width > 0 && header.height > 0)) {
    if (reader.size >= 8 + 8 + 13) return header.broken ? header : undefined;
    header.broken ??= 'it ends inside its headers, before the image size';
    return header;
  }
  if (!sawEnd) header.broken ??= 'no IEND chunk at its end';
  return header;
}

function printableType(type: string): string {
  return /^[A-Za-z]{4}$/.test(type) ? type : 'last';
}

// ---------------------------------------------------------------------------------------------
// WebP
// ---------------------------------------------------------------------------------------------

function readWebp(reader: Reader): ImageHeader | undefined {
  const header: ImageHeader = { type: 'webp', width: 0, height: 0 };
  const riffEnd = readU32LE(reader.head, 4) + 8;
  if (riffEnd !== reader.size) {
    header.broken =
      riffEnd > reader.size
        ? `its RIFF header says ${riffEnd} bytes but the file has ${reader.size}`
        : `its RIFF header says ${riffEnd} bytes but the file has ${reader.size} (data after the image)`;
  }
  const end = Math.min(riffEnd, reader.size);
  let pos = 12;
  let sawImage = false;
  let sawExif = false;
  while (pos + 8 <= end) {
    const chunk = reader.bytes(pos, 8);
    const type = ascii(chunk, 0, 4);
    const length = readU32LE(chunk, 4);
    const data = pos + 8;
    const next = data + length + (length & 1);
    if (data + length > end) {
      header.broken ??= `its ${printableType(type.trim())} chunk runs past the end of the file`;
    }
    if (type === 'VP8X' && length >= 10) {
      const x = reader.bytes(data, 10);
      const flags = x[0]!;
      // The EXIF and XMP flags (0x08, 0x04) are not trusted: only the chunks are removed.
      if (flags & 0x02) header.animated = true;
      if (flags & 0x20) header.hasIccProfile = true;
      header.width = (x[4]! | (x[5]! << 8) | (x[6]! << 16)) + 1;
      header.height = (x[7]! | (x[8]! << 8) | (x[9]! << 16)) + 1;
    } else if (type === 'VP8 ' && length >= 10) {
      sawImage = true;
      const v = reader.bytes(data, 10);
      if (header.width === 0 && v[3] === 0x9d && v[4] === 0x01 && v[5] === 0x2a) {
        header.width = readU16LE(v, 6) & 0x3fff;
        header.height = readU16LE(v, 8) & 0x3fff;
      }
    } else if (type === 'VP8L' && length >= 5) {
      sawImage = true;
      header.lossless = true;
      const v = reader.bytes(data, 5);
      if (header.width === 0 && v[0] === 0x2f) {
        const bits = readU32LE(v, 1);
        header.width = (bits & 0x3fff) + 1;
        header.height = ((bits >>> 14) & 0x3fff) + 1;
      }
    } else if (type === 'ANIM' || type === 'ANMF') {
      header.animated = true;
      sawImage = true;
    } else if (type === 'ICCP') {
      header.hasIccProfile = true;
    } else if (type === 'EXIF') {
      header.hasMetadata = true;
      let exif = reader.bytes(data, Math.min(length, MAX_EXIF_READ));
      // Some writers keep JPEG's "Exif\0\0" prefix in the chunk.
      if (startsWith(exif, 0, 'Exif\0\0')) exif = exif.subarray(6);
      if (!sawExif) useExif(header, exif);
      sawExif = true;
    } else if (type === 'XMP ') {
      header.hasMetadata = true;
    }
    if (data + length > end) break;
    pos = next;
  }
  if (!(header.width > 0 && header.height > 0)) {
    if (!header.broken) return undefined;
    return header;
  }
  if (!sawImage) header.broken ??= 'it has no image data';
  return header;
}

// ---------------------------------------------------------------------------------------------
// HEIF (ISO base media file format): HEIC, and AVIF to name it
// ---------------------------------------------------------------------------------------------

const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
  'mif2',
]);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const SEQUENCE_BRANDS = new Set(['msf1', 'hevc', 'hevx', 'hevs', 'hevm', 'avis']);

interface Box {
  type: string;
  /** Offset of the box's content (after size, type and any 64-bit size). */
  start: number;
  end: number;
}

function readIsoBmff(reader: Reader): ImageHeader | undefined {
  const boxes: Box[] = [];
  let broken: string | undefined;
  let pos = 0;
  // Top-level boxes (ftyp, meta, mdat, ...): a box that runs past the end is a file cut short.
  while (pos + 8 <= reader.size && boxes.length < 1000) {
    const b = reader.bytes(pos, 16);
    let size = readU32BE(b, 0);
    const type = ascii(b, 4, 8);
    let start = pos + 8;
    if (size === 1) {
      if (b.length < 16) break;
      size = readU32BE(b, 8) * 2 ** 32 + readU32BE(b, 12);
      start += 8;
    } else if (size === 0) {
      size = reader.size - pos;
    }
    if (size < start - pos) {
      broken = `its ${printableType(type)} box has an impossible size`;
      break;
    }
    if (pos + size > reader.size) {
      broken = `its ${printableType(type)} box runs past the end of the file`;
      boxes.push({ type, start, end: reader.size });
      break;
    }
    boxes.push({ type, start, end: pos + size });
    pos += size;
  }
  const ftyp = boxes.find((b) => b.type === 'ftyp');
  if (!ftyp || boxes[0] !== ftyp) return undefined;
  const ftypBytes = reader.bytes(ftyp.start, Math.min(ftyp.end - ftyp.start, 256));
  const brands = new Set<string>();
  const major = ascii(ftypBytes, 0, 4);
  brands.add(major);
  for (let i = 8; i + 4 <= ftypBytes.length; i += 4) brands.add(ascii(ftypBytes, i, i + 4));
  const isAvif =
    AVIF_BRANDS.has(major) ||
    ([...brands].some((b) => AVIF_BRANDS.has(b)) &&
      ![...brands].some((b) => b.startsWith('he') || b === 'mif2'));
  const isHeif = !isAvif && [...brands].some((b) => HEIF_BRANDS.has(b));
  if (!isAvif && !isHeif) return otherImage(reader.head);

  const header: ImageHeader = { type: isAvif ? 'avif' : 'heif', width: 0, height: 0 };
  if (broken) header.broken = broken;
  if (boxes.some((b) => b.type === 'moov') || SEQUENCE_BRANDS.has(major)) header.animated = true;
  const meta = boxes.find((b) => b.type === 'meta');
  if (meta && meta.end - meta.start <= MAX_META_BOX) {
    const bytes = reader.bytes(meta.start, meta.end - meta.start);
    if (bytes.length === meta.end - meta.start) readHeifMeta(bytes, header);
  }
  if (!(header.width > 0 && header.height > 0)) {
    if (header.broken) return header;
    // A container image-size may still size (it reads the first image's size).
    const other = otherImage(reader.head);
    if (!other) return undefined;
    return { ...header, width: other.width, height: other.height };
  }
  if (!boxes.some((b) => b.type === 'mdat') && !header.broken) {
    header.broken = 'it has no image data (no mdat box)';
  }
  return header;
}

/** Reads the primary image's size, rotation and mirroring, and whether Exif/XMP items exist. */
function readHeifMeta(meta: Uint8Array, header: ImageHeader): void {
  // `meta` is a full box: 4 bytes of version and flags, then child boxes.
  const children = childBoxes(meta, 4, meta.length);
  let primary = -1;
  const pitm = children.find((b) => b.type === 'pitm');
  if (pitm)
    primary =
      meta[pitm.start] === 0 ? readU16BE(meta, pitm.start + 4) : readU32BE(meta, pitm.start + 4);

  const iinf = children.find((b) => b.type === 'iinf');
  if (iinf) {
    const version = meta[iinf.start]!;
    const first = iinf.start + 4 + (version === 0 ? 2 : 4);
    for (const infe of childBoxes(meta, first, iinf.end)) {
      if (infe.type !== 'infe') continue;
      const v = meta[infe.start]!;
      if (v < 2) continue;
      const typeAt = infe.start + 4 + (v === 2 ? 2 : 4) + 2;
      const itemType = ascii(meta, typeAt, typeAt + 4);
      if (itemType === 'Exif' || itemType === 'mime') header.hasMetadata = true;
    }
  }

  const iprp = children.find((b) => b.type === 'iprp');
  if (!iprp) return;
  const iprpChildren = childBoxes(meta, iprp.start, iprp.end);
  const ipco = iprpChildren.find((b) => b.type === 'ipco');
  if (!ipco) return;
  const properties = childBoxes(meta, ipco.start, ipco.end);
  if (properties.some((p) => p.type === 'colr')) header.hasIccProfile = true;
  // Which properties belong to the primary item (1-based indexes into ipco).
  const mine: number[] = [];
  for (const ipma of iprpChildren.filter((b) => b.type === 'ipma')) {
    const version = meta[ipma.start]!;
    const wide = (meta[ipma.start + 3]! & 1) === 1;
    let p = ipma.start + 4;
    const count = readU32BE(meta, p);
    p += 4;
    for (let i = 0; i < count && p < ipma.end; i++) {
      const item = version < 1 ? readU16BE(meta, p) : readU32BE(meta, p);
      p += version < 1 ? 2 : 4;
      const n = meta[p++]!;
      for (let j = 0; j < n; j++) {
        const index = wide ? readU16BE(meta, p) & 0x7fff : meta[p]! & 0x7f;
        p += wide ? 2 : 1;
        if (item === primary || primary < 0) mine.push(index);
      }
      if (primary < 0) break;
    }
  }
  let rotation = 0;
  let mirror: number | undefined;
  for (const index of mine) {
    const box = properties[index - 1];
    if (!box) continue;
    if (box.type === 'ispe' && box.end - box.start >= 12) {
      header.width = readU32BE(meta, box.start + 4);
      header.height = readU32BE(meta, box.start + 8);
    } else if (box.type === 'irot') {
      rotation = meta[box.start]! & 3; // anticlockwise, in quarter turns
    } else if (box.type === 'imir') {
      mirror = meta[box.start]! & 1; // 0: vertical axis (left-right), 1: horizontal axis
    }
  }
  const orientation = heifOrientation(rotation, mirror);
  if (orientation !== 1) header.orientation = orientation;
}

/**
 * The EXIF orientation that does what HEIF's `irot` (anticlockwise quarter turns, applied first)
 * and `imir` (applied after) do. EXIF names the transform a viewer applies to the stored pixels:
 * 6 = turn 90° clockwise, 8 = 90° anticlockwise, 3 = 180°; 2 = mirror left-right, 4 = top-bottom,
 * 5 = transpose, 7 = transverse.
 */
function heifOrientation(rotation: number, mirror: number | undefined): number {
  const rotate = [1, 8, 3, 6][rotation]!;
  if (mirror === undefined) return rotate;
  // Mirroring after a rotation: left-right (axis vertical, imir 0) or top-bottom (imir 1).
  const leftRight: Record<number, number> = { 1: 2, 8: 7, 3: 4, 6: 5 };
  const topBottom: Record<number, number> = { 1: 4, 8: 5, 3: 2, 6: 7 };
  return (mirror === 0 ? leftRight : topBottom)[rotate]!;
}

function childBoxes(bytes: Uint8Array, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let pos = start;
  while (pos + 8 <= end && boxes.length < 10_000) {
    let size = readU32BE(bytes, pos);
    const type = ascii(bytes, pos + 4, pos + 8);
    let content = pos + 8;
    if (size === 1) {
      if (pos + 16 > end) break;
      size = readU32BE(bytes, pos + 8) * 2 ** 32 + readU32BE(bytes, pos + 12);
      content += 8;
    } else if (size === 0) size = end - pos;
    if (size < content - pos || pos + size > end) break;
    boxes.push({ type, start: content, end: pos + size });
    pos += size;
  }
  return boxes;
}

// ---------------------------------------------------------------------------------------------
// EXIF (TIFF structure): the orientation tag of IFD0
// ---------------------------------------------------------------------------------------------

/** The orientation (1-8) in a TIFF-structured EXIF block, or undefined. */
export function exifOrientation(tiff: Uint8Array): number | undefined {
  return readExif(tiff).orientation;
}

/** Orientation and GPS from the first EXIF block of an image. */
function useExif(header: ImageHeader, tiff: Uint8Array): void {
  const { orientation, gps } = readExif(tiff);
  if (orientation !== undefined) header.orientation = orientation;
  if (gps) header.gps = true;
}

/**
 * What IFD0 of a TIFF-structured EXIF block says: the orientation (tag 0x0112: 1 to 8, else
 * undefined) and whether a GPS IFD (pointer tag 0x8825) with entries is there.
 */
function readExif(tiff: Uint8Array): { orientation?: number; gps: boolean } {
  const found: { orientation?: number; gps: boolean } = { gps: false };
  if (tiff.length < 8) return found;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return found;
  const u16 = (at: number) => (little ? readU16LE(tiff, at) : readU16BE(tiff, at));
  const u32 = (at: number) => (little ? readU32LE(tiff, at) : readU32BE(tiff, at));
  if (u16(2) !== 42) return found;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return found;
  const count = u16(ifd);
  let sawOrientation = false;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const tag = u16(entry);
    if (tag === 0x0112 && !sawOrientation) {
      sawOrientation = true;
      const type = u16(entry + 2);
      const value = type === 3 ? u16(entry + 8) : type === 4 ? u32(entry + 8) : 0;
      if (value >= 1 && value <= 8) found.orientation = value;
    } else if (tag === 0x8825) {
      const gpsIfd = u32(entry + 8);
      found.gps ||= gpsIfd + 2 <= tiff.length && u16(gpsIfd) > 0;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/**
 * Positional reads of one file: the first 64 KiB are read once and served from memory; anything
 * else is a read of just the bytes asked for (a segment or chunk header, the tail).
 */
class Reader {
  private static scratch: Uint8Array | undefined;

  private constructor(
    readonly head: Uint8Array,
    readonly size: number,
    private readonly fd: number | null,
  ) {}

  static open(fd: number, size: number): Reader {
    // One buffer serves every file: a reader lives only within one synchronous inspection, and
    // what it finds is copied out as numbers and flags. A fresh 64 KiB per file was garbage that
    // grew the heap of a large dataset by megabytes.
    const buffer = (Reader.scratch ??= new Uint8Array(FIRST_READ)).subarray(
      0,
      Math.min(FIRST_READ, size),
    );
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    // A file that shrank since its size was taken is as long as what could be read.
    const head = buffer.subarray(0, bytesRead);
    return new Reader(head, bytesRead < buffer.length ? bytesRead : size, fd);
  }

  static fromBytes(bytes: Uint8Array): Reader {
    return new Reader(bytes, bytes.length, null);
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  bytes(position: number, length: number): Uint8Array {
    const end = Math.min(position + length, this.size);
    if (position >= end) return new Uint8Array(0);
    if (end <= this.head.length) return this.head.subarray(position, end);
    if (this.fd === null) return new Uint8Array(0);
    const buffer = new Uint8Array(end - position);
    const bytesRead = readSync(this.fd, buffer, 0, buffer.length, position);
    return buffer.subarray(0, bytesRead);
  }
}

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end && i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

function readU16BE(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
function readU16LE(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function readU32BE(b: Uint8Array, at: number): number {
  return (
    (((b[at] ?? 0) << 24) |
      ((b[at + 1] ?? 0) << 16) |
      ((b[at + 2] ?? 0) << 8) |
      (b[at + 3] ?? 0)) >>>
    0
  );
}
function readU32LE(b: Uint8Array, at: number): number {
  return (
    ((b[at] ?? 0) |
      ((b[at + 1] ?? 0) << 8) |
      ((b[at + 2] ?? 0) << 16) |
      ((b[at + 3] ?? 0) << 24)) >>>
    0
  );
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** The image kind an extension promises, for the extensions we train on. */
export function kindOfExtension(ext: string): ImageKind | undefined {
  switch (ext.toLowerCase()) {
    case '.jpg':
    case '.jpeg':
      return 'jpg';
    case '.png':
      return 'png';
    case '.webp':
      return 'webp';
    case '.heic':
    case '.heif':
      return 'heif';
    default:
      return undefined;
  }
}

/** The kinds we train on, by the name users know them by. */
export const KIND_NAMES: Record<string, string> = {
  jpg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  heif: 'HEIF',
};

const OTHER_NAMES: Record<string, string> = {
  avif: 'AVIF',
  jxl: 'JPEG XL',
  'jxl-stream': 'JPEG XL',
  jp2: 'JPEG 2000',
  j2c: 'JPEG 2000',
  tiff: 'TIFF',
  svg: 'SVG',
  icns: 'ICNS',
  ico: 'ICO',
  cur: 'CUR',
};
/** Names read letter by letter or as a word starting with a vowel sound take "an". */
const AN = new Set(['AVIF', 'SVG', 'ICNS', 'ICO']);

/** "a JPEG image", "an AVIF image", "a GIF image": what a file's bytes are, for messages. */
export function describeKind(type: string): string {
  const name = KIND_NAMES[type] ?? OTHER_NAMES[type] ?? type.toUpperCase();
  return `${AN.has(name) ? 'an' : 'a'} ${name} image`;
}

/** The extension a kind is best named with (a PNG named .jpg is told to be .png). */
export function extensionOfKind(type: string): string {
  return type === 'heif' ? '.heic' : `.${type}`;
}
