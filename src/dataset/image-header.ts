import { closeSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import {
  MAX_CHUNKS,
  MAX_HEIF_PIXELS,
  MAX_JPEG_SCANS,
  MAX_JPEG_SEGMENTS,
  MAX_METADATA_BYTES,
  MAX_PIXELS,
  megapixels,
} from './limits.js';

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
   * Stripping would remove something: anything but what the image needs (see layoutOf), or
   * bytes after the image's end. JPEG keeps JFIF APP0 (its header, without a thumbnail), ICC
   * APP2, Adobe APP14, the frame, tables and scans; PNG its critical, transparency, colour and
   * animation chunks; WebP its image, alpha, ICC and animation chunks. HEIF: Exif or XMP items
   * (a HEIF is always re-encoded, which leaves them behind). The stripper (fit/metadata.ts) cuts
   * by the very same walk.
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
  /**
   * Set when the file is beyond what the action decodes (src/dataset/limits.ts): which bound, as
   * a phrase ("it declares 15872×15872 pixels, over the limit of 64 megapixels for HEIC").
   */
  overLimit?: string;
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
/** Beyond the first read, a walk reads this much at a time. */
const WINDOW = 128 * 1024;
/** A HEIF `meta` box (item list, properties) is read whole; it is a few KiB in real files. */
const MAX_META_BOX = 4 * 1024 * 1024;
/** A chunk or segment of metadata is read only up to this many bytes (orientation sits early). */
const MAX_EXIF_READ = 256 * 1024;

const LFS_POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1';

/**
 * Reads an image's type, size and the facts the fitting step needs from its structure, never
 * decoding it, and checks that the file is complete and within the bounds of limits.ts. JPEG,
 * PNG and WebP are walked marker by marker or chunk by chunk to their end (a JPEG's scans
 * included: metadata can sit between them), in windows of 128 KiB, never byte by byte and never
 * holding more than a window. Returns undefined for bytes that are no image image-size knows
 * (and for Git LFS pointers: use inspectImageFile to tell those apart).
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
  const walked = walk(reader, new Cut());
  if (walked) header = walked.header;
  else {
    try {
      header = startsWith(head, 4, 'ftyp') ? readIsoBmff(reader) : otherImage(head);
    } catch (error) {
      if (error instanceof SizerNotLoaded) return { kind: 'unknown', unnamed: true };
      throw error;
    }
  }
  if (header && header.width > 0 && header.height > 0) checkPixels(header);
  return header ? { kind: 'image', header } : { kind: 'unknown' };
}

/** JPEG, PNG and WebP: their facts, and what stripping keeps, from one walk. */
function walk(reader: Reader, cut: Cut): { header: ImageHeader | undefined } | undefined {
  const head = reader.head;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { header: readJpeg(reader, cut) };
  if (startsWith(head, 0, '\x89PNG\r\n\x1a\n')) return { header: readPng(reader, cut) };
  if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP'))
    return { header: readWebp(reader, cut) };
  return undefined;
}

function checkPixels(header: ImageHeader): void {
  const pixels = header.width * header.height;
  const heif = header.type === 'heif';
  const limit = heif ? MAX_HEIF_PIXELS : MAX_PIXELS;
  if (pixels > limit) {
    header.overLimit ??= `it declares ${header.width}×${header.height} pixels, over the limit of ${megapixels(limit)}${heif ? ' for HEIC/HEIF' : ''}`;
  }
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
// What stripping keeps
// ---------------------------------------------------------------------------------------------

/** A part of the stripped image: bytes of the original, or bytes made anew (a WebP header). */
export type Piece = { start: number; end: number } | { bytes: Uint8Array };

/**
 * The walk's record of what an image needs: the byte ranges kept (adjacent ones merged), what
 * was removed, and the names of removed parts the walk does not know.
 */
export class Cut {
  pieces: Piece[] = [];
  removed = false;
  readonly unknown = new Set<string>();

  keep(start: number, end: number): void {
    if (end <= start) return;
    const last = this.pieces[this.pieces.length - 1];
    if (last && 'start' in last && last.end === start) last.end = end;
    else this.pieces.push({ start, end });
  }

  drop(start: number, end: number, unknownName?: string): void {
    if (end <= start) return;
    this.removed = true;
    if (unknownName) this.unknown.add(unknownName);
  }

  insert(bytes: Uint8Array): void {
    this.pieces.push({ bytes });
  }
}

/**
 * What stripping an image keeps, from the same walk that reads its header: undefined for a
 * layout that is not walked (HEIF, other kinds) or a file that is cut short or over a bound.
 */
export function layoutOf(reader: Reader): { cut: Cut; header: ImageHeader } | undefined {
  const cut = new Cut();
  const walked = walk(reader, cut);
  const header = walked?.header;
  if (!header || header.broken || !(header.width > 0)) return undefined;
  checkPixels(header);
  if (header.overLimit) return undefined;
  return { cut, header };
}

// ---------------------------------------------------------------------------------------------
// JPEG
// ---------------------------------------------------------------------------------------------

function readJpeg(reader: Reader, cut: Cut): ImageHeader | undefined {
  const header: ImageHeader = { type: 'jpg', width: 0, height: 0 };
  cut.keep(0, 2);
  let pos = 2;
  let scans = 0;
  let segments = 0;
  let components = 0;
  let sawExif = false;
  let sawFrame = false;
  let metadata = 0;
  let end = -1;
  // Marker by marker to the end-of-image marker: segments before the first scan, the scans,
  // and whatever sits between them. libjpeg reads the same way (it skips stray bytes before a
  // marker and fill bytes, and stops at the first EOI after a scan).
  while (pos + 2 <= reader.size) {
    if (++segments > MAX_JPEG_SEGMENTS) {
      header.overLimit = `it has more than ${thousands(MAX_JPEG_SEGMENTS)} segments`;
      break;
    }
    if (reader.byte(pos) !== 0xff) {
      const next = reader.indexOf(0xff, pos + 1);
      if (next < 0) break;
      cut.drop(pos, next);
      pos = next;
      continue;
    }
    // Fill bytes (FF FF ... FF xx): the marker is the last FF of the run.
    const after = reader.indexOfNot(0xff, pos + 1);
    if (after < 0) break;
    cut.drop(pos, after - 1);
    pos = after - 1;
    const marker = reader.byte(after);
    if (marker === 0xd9) {
      if (scans === 0) break; // an end-of-image marker before any scan
      end = pos + 2;
      cut.keep(pos, end);
      break;
    }
    if (
      marker === 0xd8 ||
      marker === 0x01 ||
      marker === 0x00 ||
      (marker >= 0xd0 && marker <= 0xd7)
    ) {
      cut.drop(pos, pos + 2); // standalone markers out of place: nothing an image needs
      pos += 2;
      continue;
    }
    if (pos + 4 > reader.size) break;
    const length = reader.u16(pos + 2);
    if (length < 2) break;
    const body = pos + 4;
    const next = pos + 2 + length;
    if (next > reader.size) {
      header.broken = `its ${markerName(marker)} segment runs past the end of the file`;
      break;
    }
    if (marker === 0xda) {
      cut.keep(pos, next);
      if (++scans > MAX_JPEG_SCANS) {
        header.overLimit = `it has more than ${MAX_JPEG_SCANS} scans`;
        break;
      }
      // The entropy-coded data runs to the next marker: an FF there is always followed by 00
      // (a stuffed FF), a restart marker D0-D7, or more FF fill.
      const marker = nextMarker(reader, next);
      if (marker < 0) break;
      cut.keep(next, marker);
      pos = marker;
      continue;
    }
    if (isSof(marker)) {
      if (!sawFrame) {
        sawFrame = true;
        const sof = reader.bytes(body, 6);
        header.height = (sof[1]! << 8) | sof[2]!;
        header.width = (sof[3]! << 8) | sof[4]!;
        components = sof[5]!;
        if (marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce)
          header.progressive = true;
      }
      cut.keep(pos, next);
    } else if (JPEG_TABLES.has(marker)) {
      cut.keep(pos, next);
    } else if (marker === 0xe0 && startsWith(reader.bytes(body, 5), 0, 'JFIF\0')) {
      keepJfif(reader, cut, pos, length);
    } else if (marker === 0xe2 && startsWith(reader.bytes(body, 12), 0, 'ICC_PROFILE\0')) {
      header.hasIccProfile = true;
      metadata += length;
      cut.keep(pos, next);
    } else if (marker === 0xee && startsWith(reader.bytes(body, 5), 0, 'Adobe')) {
      cut.keep(pos, next);
    } else {
      metadata += length;
      if (marker === 0xe1 && startsWith(reader.bytes(body, 6), 0, 'Exif\0\0')) {
        // Decoders read the orientation from the first EXIF before the scans; a GPS position
        // counts wherever it is.
        const exif = readExif(reader.bytes(body + 6, Math.min(length - 8, MAX_EXIF_READ)));
        if (!sawExif && scans === 0 && exif.orientation !== undefined)
          header.orientation = exif.orientation;
        if (scans === 0) sawExif = true;
        if (exif.gps) header.gps = true;
      }
      cut.drop(
        pos,
        next,
        KNOWN_JPEG.has(marker) ? undefined : `JPEG ${markerName(marker)} segment`,
      );
    }
    pos = next;
  }
  if (metadata > MAX_METADATA_BYTES) header.overLimit ??= metadataOver();
  // Whatever follows the image's end is no part of it: a phone's appended preview or depth
  // map (MPF), a motion photo's video, padding.
  if (end > 0) cut.drop(end, reader.size);
  if (!(header.width > 0 && header.height > 0)) {
    // No frame header in a JPEG that starts like one: cut short inside its headers, or no JPEG.
    if (!header.broken && scans === 0 && pos + 4 > reader.size) {
      header.broken = 'it ends inside its headers, before the image size';
    }
    return header.broken || header.overLimit ? header : undefined;
  }
  if (components === 4) header.cmyk = true;
  if (!header.broken && !header.overLimit && end < 0) {
    header.broken =
      scans === 0
        ? 'it ends before its image data'
        : 'no end-of-image marker (FFD9) after its image data';
  }
  if (cut.removed) header.hasMetadata = true;
  return header;
}

/** A JFIF APP0's length with nothing after its header: no thumbnail. */
const JFIF_LENGTH = 16;

/**
 * Keeps a JFIF APP0 as its header alone. The header says how to read the pixels (version, pixel
 * density); a thumbnail after it is a small copy of the original photo, which must not outlive
 * the fitting. A segment that is exactly a header with a 0 × 0 thumbnail is kept byte for byte,
 * so such images (almost all) keep their bytes; any other is written anew with its header and
 * the thumbnail's size set to 0 × 0.
 */
function keepJfif(reader: Reader, cut: Cut, pos: number, length: number): void {
  const next = pos + 2 + length;
  if (length < JFIF_LENGTH) {
    // Too short to hold a thumbnail: as it is, as libjpeg reads it.
    cut.keep(pos, next);
    return;
  }
  const segment = reader.bytes(pos, 2 + JFIF_LENGTH);
  if (length === JFIF_LENGTH && segment[16] === 0 && segment[17] === 0) {
    cut.keep(pos, next);
    return;
  }
  const header = Buffer.from(segment);
  header.writeUInt16BE(JFIF_LENGTH, 2);
  header[16] = 0;
  header[17] = 0;
  cut.insert(header);
  cut.drop(pos, next);
}

/** DHT, DAC, DQT, DNL, DRI: tables and markers the image data needs. */
const JPEG_TABLES = new Set([0xc4, 0xcc, 0xdb, 0xdc, 0xdd]);
/**
 * Segments known to hold metadata, removed without a word: APP0 other than JFIF (JFXX
 * thumbnails; a JFIF's own thumbnail goes too, keepJfif), APP1 (EXIF, XMP, extended XMP), APP2
 * other than ICC (MPF, FlashPix), APP11 (JUMBF: C2PA), APP12 (Ducky, picture info), APP13
 * (Photoshop, IPTC) and COM.
 */
const KNOWN_JPEG = new Set([0xe0, 0xe1, 0xe2, 0xeb, 0xec, 0xed, 0xfe]);

/** The offset of the next marker's FF at or after `from` in entropy-coded data, or -1. */
function nextMarker(reader: Reader, from: number): number {
  let at = from;
  for (;;) {
    const ff = reader.indexOf(0xff, at);
    if (ff < 0) return -1;
    const after = reader.indexOfNot(0xff, ff + 1);
    if (after < 0) return -1;
    const marker = reader.byte(after);
    if (marker !== 0x00 && !(marker >= 0xd0 && marker <= 0xd7)) return after - 1;
    at = after + 1;
  }
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function markerName(marker: number): string {
  if (marker >= 0xe0 && marker <= 0xef) return `APP${marker - 0xe0}`;
  if (isSof(marker)) return 'frame header (SOF)';
  if (marker === 0xfe) return 'COM';
  return `0xFF${marker.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** 10000 as "10,000" (toLocaleString would load ICU's locale data: 25 ms of start-up). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function metadataOver(): string {
  return `its metadata comes to more than ${MAX_METADATA_BYTES / 2 ** 20} MiB, the limit (text and colour profiles counted inflated)`;
}

// ---------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------

/**
 * What a PNG needs: its critical chunks, transparency, colour (profile, sRGB, gamma,
 * chromaticities, significant bits, CICP, HDR mastering and light level), how its pixels are
 * shown (their aspect ratio, `pHYs`, and the background, `bKGD`: neither says anything about who
 * took the picture or where, and stripping them would change the bytes, and so the fingerprint
 * and the job name, of every such PNG trained before) and APNG's animation.
 */
const PNG_KEPT = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'pHYs',
  'bKGD',
  'iCCP',
  'sRGB',
  'gAMA',
  'cHRM',
  'sBIT',
  'cICP',
  'mDCv',
  'cLLi',
  'mDCV',
  'cLLI',
  'acTL',
  'fcTL',
  'fdAT',
]);
/** Chunks known to hold metadata or display hints, removed without a word. */
const PNG_KNOWN = new Set([
  'tEXt',
  'zTXt',
  'iTXt',
  'eXIf',
  'tIME',
  'hIST',
  'sPLT',
  'oFFs',
  'pCAL',
  'sCAL',
  'sTER',
  'dSIG',
  'caBX',
  'iDOT',
  'vpAg',
]);

function readPng(reader: Reader, cut: Cut): ImageHeader | undefined {
  const header: ImageHeader = { type: 'png', width: 0, height: 0 };
  cut.keep(0, 8);
  let pos = 8;
  let sawEnd = false;
  let sawExif = false;
  let sawImageData = false;
  let chunks = 0;
  let metadata = 0;
  // Chunk by chunk to IEND, reading 8 bytes of each: a chunk that runs past the end, or no IEND,
  // is a file cut short.
  while (pos + 8 <= reader.size) {
    if (++chunks > MAX_CHUNKS) {
      header.overLimit = `it has more than ${thousands(MAX_CHUNKS)} chunks`;
      break;
    }
    const length = reader.u32(pos);
    const type = reader.ascii(pos + 4, 4);
    const data = pos + 8;
    const end = pos + 12 + length;
    if (end > reader.size) {
      header.broken = `its ${printableType(type)} chunk runs past the end of the file`;
      break;
    }
    if (type === 'IHDR' && length >= 13) {
      header.width = reader.u32(data);
      header.height = reader.u32(data + 4);
    } else if (type === 'acTL') {
      header.animated = true;
    } else if (type === 'iCCP') {
      header.hasIccProfile = true;
    } else if (type === 'eXIf' && !sawExif) {
      sawExif = true;
      const exif = readExif(reader.bytes(data, Math.min(length, MAX_EXIF_READ)));
      // The decoder (libvips, libspng) reads an eXIf only before the image data, where PNG puts
      // it: one after IDAT is metadata to strip, but it does not turn the pixels, and reading
      // its orientation here would size the image for a turn that never comes.
      if (exif.orientation !== undefined && !sawImageData) header.orientation = exif.orientation;
      if (exif.gps) header.gps = true;
    } else if (type === 'IDAT') {
      sawImageData = true;
    }
    // Text and profiles as the decoder holds them: inflated.
    if (type === 'zTXt' || type === 'iTXt' || type === 'iCCP') {
      metadata += inflatedSize(reader, data, length, type, MAX_METADATA_BYTES - metadata);
    } else if (!PNG_KEPT.has(type)) {
      metadata += length;
    }
    if (PNG_KEPT.has(type)) cut.keep(pos, end);
    else cut.drop(pos, end, PNG_KNOWN.has(type) ? undefined : `PNG ${printableType(type)} chunk`);
    if (metadata > MAX_METADATA_BYTES) {
      header.overLimit = metadataOver();
      break;
    }
    pos = end;
    if (type === 'IEND') {
      sawEnd = true;
      break;
    }
  }
  // Data after IEND is no part of the image (decoders ignore it).
  if (sawEnd) cut.drop(pos, reader.size);
  if (!(header.width > 0 && header.height > 0)) {
    if (header.overLimit) return header;
    if (reader.size >= 8 + 8 + 13) return header.broken ? header : undefined;
    header.broken ??= 'it ends inside its headers, before the image size';
    return header;
  }
  if (!sawEnd && !header.overLimit) header.broken ??= 'no IEND chunk at its end';
  if (cut.removed) header.hasMetadata = true;
  return header;
}

/**
 * The size a compressed PNG chunk (zTXt, compressed iTXt, iCCP) inflates to, inflating at most
 * `budget` bytes and one more: a few kilobytes can inflate to gigabytes, which the decoder would
 * hold. Data that does not inflate counts as its own length (the decoder fails on it).
 */
function inflatedSize(
  reader: Reader,
  data: number,
  length: number,
  type: string,
  budget: number,
): number {
  // Deflate never shrinks data by more than a few bytes in 64 KiB: a stream much longer than
  // the budget inflates past it.
  if (length > budget + budget / 1000 + 1024) return length;
  const bytes = reader.copy(data, length);
  let at = bytes.indexOf(0) + 1; // after the keyword
  if (at <= 0) return length;
  if (type === 'iTXt') {
    if (bytes[at] !== 1) return length; // not compressed
    at += 2;
    for (let i = 0; i < 2; i++) {
      const zero = bytes.indexOf(0, at); // language tag, translated keyword
      if (zero < 0) return length;
      at = zero + 1;
    }
  } else {
    at += 1; // compression method
  }
  try {
    return inflateSync(bytes.subarray(at), { maxOutputLength: Math.max(1, budget + 1) }).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return budget + 1;
    return length;
  }
}

function printableType(type: string): string {
  return /^[A-Za-z0-9 ]{4}$/.test(type) ? type.trim() : 'last';
}

// ---------------------------------------------------------------------------------------------
// WebP
// ---------------------------------------------------------------------------------------------

/** What a WebP needs: the extended header, the image (lossy, lossless, alpha), ICC, animation. */
const WEBP_KEPT = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ICCP', 'ANIM', 'ANMF']);
/** EXIF and XMP: known metadata, removed without a word. */
const WEBP_KNOWN = new Set(['EXIF', 'XMP ']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function readWebp(reader: Reader, cut: Cut): ImageHeader | undefined {
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
  let chunks = 0;
  let metadata = 0;
  let kept = 0;
  // The RIFF header is written anew (its size changes when chunks go); it is the first piece.
  const riff = new Uint8Array(12);
  cut.insert(riff);
  while (pos + 8 <= end) {
    if (++chunks > MAX_CHUNKS) {
      header.overLimit = `it has more than ${thousands(MAX_CHUNKS)} chunks`;
      break;
    }
    const type = reader.ascii(pos, 4);
    const length = reader.u32le(pos + 4);
    const data = pos + 8;
    // The pad byte after an odd-sized chunk may be missing at the very end.
    const next = Math.min(data + length + (length & 1), end);
    if (data + length > end) {
      header.broken ??= `its ${printableType(type.trim())} chunk runs past the end of the file`;
    }
    if (type === 'VP8X' && length >= 10) {
      const x = reader.bytes(data, 10);
      const flags = x[0]!;
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
      metadata += length;
    } else if (type === 'EXIF') {
      let exif = reader.bytes(data, Math.min(length, MAX_EXIF_READ));
      // Some writers keep JPEG's "Exif\0\0" prefix in the chunk.
      if (startsWith(exif, 0, 'Exif\0\0')) exif = exif.subarray(6);
      const found = readExif(exif);
      if (!sawExif && found.orientation !== undefined) header.orientation = found.orientation;
      if (found.gps) header.gps = true;
      sawExif = true;
    }
    if (WEBP_KEPT.has(type)) {
      kept += next - pos;
      if (type === 'VP8X' && next - pos >= 9) {
        // The VP8X flags must not announce chunks that are gone.
        const copy = reader.copy(pos, next - pos);
        copy[8] = copy[8]! & ~(VP8X_EXIF | VP8X_XMP);
        cut.insert(copy);
      } else {
        cut.keep(pos, next);
      }
    } else {
      if (type !== 'ICCP') metadata += length;
      cut.drop(
        pos,
        next,
        WEBP_KNOWN.has(type) ? undefined : `WebP ${printableType(type.trim())} chunk`,
      );
    }
    if (metadata > MAX_METADATA_BYTES) {
      header.overLimit = metadataOver();
      break;
    }
    if (data + length > end) break;
    pos = next;
  }
  riff.set([0x52, 0x49, 0x46, 0x46]); // RIFF
  new DataView(riff.buffer).setUint32(4, 4 + kept, true);
  riff.set([0x57, 0x45, 0x42, 0x50], 8); // WEBP
  if (!(header.width > 0 && header.height > 0)) {
    if (!header.broken && !header.overLimit) return undefined;
    return header;
  }
  if (!sawImage && !header.overLimit) header.broken ??= 'it has no image data';
  if (cut.removed) header.hasMetadata = true;
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
 * Positional reads of one file: the first 64 KiB are read once and served from memory, and a
 * walk past them reads a window of 128 KiB at a time, so a million small chunks cost a few
 * dozen reads, not a million. The buffers are shared by every reader (a reader lives only within
 * one synchronous inspection, and what it finds is copied out as numbers and flags): what
 * bytes() returns is valid until the next call; copy() is a copy of one's own.
 */
export class Reader {
  /** Bytes read from files by every reader so far (a test holds a walk to one read per byte). */
  static bytesRead = 0;
  private static scratch: Buffer | undefined;
  private static windowBuffer: Buffer | undefined;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  private constructor(
    readonly head: Buffer,
    readonly size: number,
    private readonly fd: number | null,
  ) {}

  static open(fd: number, size: number): Reader {
    // A fresh 64 KiB per file was garbage that grew the heap of a large dataset by megabytes.
    const buffer = (Reader.scratch ??= Buffer.allocUnsafe(FIRST_READ)).subarray(
      0,
      Math.min(FIRST_READ, size),
    );
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    Reader.bytesRead += bytesRead;
    // A file that shrank since its size was taken is as long as what could be read.
    const head = buffer.subarray(0, bytesRead);
    return new Reader(head, bytesRead < buffer.length ? bytesRead : size, fd);
  }

  static fromBytes(bytes: Uint8Array): Reader {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return new Reader(buffer, buffer.length, null);
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file); valid until the next call. */
  bytes(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.size);
    if (position >= end) return Buffer.alloc(0);
    if (end <= this.head.length) return this.head.subarray(position, end);
    if (this.fd === null) return Buffer.alloc(0);
    if (end - position > WINDOW) return this.copy(position, end - position);
    if (position < this.windowStart || end > this.windowStart + this.window.length) {
      this.load(position);
    }
    return this.window.subarray(position - this.windowStart, end - this.windowStart);
  }

  /**
   * The bytes from `position` to the end of what is in memory there: the rest of the first read
   * or of the current window, or a new window read at `position`. Empty at the end of the file.
   */
  private span(position: number): Buffer {
    if (position >= this.size) return Buffer.alloc(0);
    if (position < this.head.length) return this.head.subarray(position);
    if (this.fd === null) return Buffer.alloc(0);
    const inWindow = position - this.windowStart;
    if (inWindow < 0 || inWindow >= this.window.length) this.load(position);
    return this.window.subarray(position - this.windowStart);
  }

  private load(position: number): void {
    const buffer = (Reader.windowBuffer ??= Buffer.allocUnsafe(WINDOW));
    const bytesRead = readSync(
      this.fd!,
      buffer,
      0,
      Math.min(WINDOW, this.size - position),
      position,
    );
    Reader.bytesRead += bytesRead;
    this.window = buffer.subarray(0, bytesRead);
    this.windowStart = position;
  }

  /** `length` bytes at `position` in a buffer of their own (fewer at the end of the file). */
  copy(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.size);
    if (position >= end) return Buffer.alloc(0);
    if (end <= this.head.length || this.fd === null) {
      return Buffer.from(this.head.subarray(position, Math.min(end, this.head.length)));
    }
    const buffer = Buffer.allocUnsafe(end - position);
    const bytesRead = readSync(this.fd, buffer, 0, buffer.length, position);
    Reader.bytesRead += bytesRead;
    return buffer.subarray(0, bytesRead);
  }

  byte(position: number): number {
    return this.bytes(position, 1)[0] ?? -1;
  }

  u16(position: number): number {
    return readU16BE(this.bytes(position, 2), 0);
  }

  u32(position: number): number {
    return readU32BE(this.bytes(position, 4), 0);
  }

  u32le(position: number): number {
    return readU32LE(this.bytes(position, 4), 0);
  }

  ascii(position: number, length: number): string {
    return ascii(this.bytes(position, length), 0, length);
  }

  /** The first offset at or after `from` that holds `value`, or -1. */
  indexOf(value: number, from: number): number {
    for (let at = from; at < this.size;) {
      const chunk = this.span(at);
      if (chunk.length === 0) return -1;
      const found = chunk.indexOf(value);
      if (found >= 0) return at + found;
      at += chunk.length;
    }
    return -1;
  }

  /** The first offset at or after `from` that does not hold `value`, or -1. */
  indexOfNot(value: number, from: number): number {
    for (let at = from; at < this.size;) {
      const chunk = this.span(at);
      if (chunk.length === 0) return -1;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== value) return at + i;
      at += chunk.length;
    }
    return -1;
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
