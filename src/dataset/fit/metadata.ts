import { inspectImageBytes } from '../image-header.js';
import { metadataOf, type ImageMetadata } from './plan.js';

/**
 * Removing image metadata without decoding a pixel: JPEG segments, PNG chunks and WebP chunks
 * are walked in plain JavaScript. Stripping copies the image data byte for byte, so an image
 * that needs no other change keeps its exact pixels (and its compression). What an image
 * carries is read by image-header.ts, the one reader of image structure; what it counts as
 * metadata is what this file removes, and a test holds the two to one answer.
 */

export type ImageFormat = 'jpg' | 'png' | 'webp';

const NONE: ImageMetadata = { orientation: 1, gps: false, strippable: false, lossless: false };

/** The metadata of an image in memory; never throws (what cannot be read reads as none). */
export function readMetadata(input: Buffer): ImageMetadata {
  const found = inspectImageBytes(input);
  return found.kind === 'image' ? metadataOf(found.header) : NONE;
}

export interface Stripped {
  /** The image without EXIF, XMP, IPTC and comments; `input` itself when nothing was removed. */
  bytes: Buffer;
  changed: boolean;
}

/**
 * Removes EXIF (GPS, camera, owner), XMP, IPTC and comments; keeps colour profiles (ICC, sRGB,
 * gAMA, cHRM), JFIF and Adobe segments and every pixel byte. A layout it does not understand is
 * returned unchanged rather than guessed at.
 */
export function stripMetadata(input: Buffer, format: ImageFormat): Stripped {
  const kept =
    format === 'jpg' ? stripJpeg(input) : format === 'png' ? stripPng(input) : stripWebp(input);
  if (!kept || kept.length === input.length) return { bytes: input, changed: false };
  return { bytes: kept, changed: true };
}

// ---------------------------------------------------------------------------------------------
// JPEG: a marker stream. Metadata sits in APPn and COM segments before the first scan.

interface Segment {
  marker: number;
  /** Offset of the 0xFF that starts the marker. */
  start: number;
  /** Offset just past the segment. */
  end: number;
  /** Offset of the payload (after marker and length). */
  data: number;
}

/** The segments before the first SOS; the last one returned is the SOS itself. */
function jpegSegments(input: Buffer): Segment[] | undefined {
  if (input.length < 4 || input[0] !== 0xff || input[1] !== 0xd8) return undefined;
  const segments: Segment[] = [];
  let at = 2;
  // The walk is image-header.ts's readJpeg, step for step: what one sees, the other strips.
  while (at + 4 <= input.length) {
    if (input[at] !== 0xff) {
      // Extraneous bytes before a marker: libjpeg warns and skips to the next FF (they are
      // dropped with the stripped segments).
      const next = input.subarray(at, at + 4096).indexOf(0xff);
      if (next <= 0) return undefined;
      at += next;
      continue;
    }
    let marker = input[at + 1]!;
    // Fill bytes (0xFF 0xFF ...) may pad between segments.
    while (marker === 0xff && at + 2 < input.length) {
      at++;
      marker = input[at + 1]!;
    }
    if (marker === 0xd9) return undefined; // EOI before any scan
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // standalone markers
      continue;
    }
    const length = input.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > input.length) return undefined;
    segments.push({ marker, start: at, end: at + 2 + length, data: at + 4 });
    if (marker === 0xda) return segments;
    at += 2 + length;
  }
  return undefined;
}

function startsWith(input: Buffer, at: number, prefix: Buffer | string): boolean {
  const bytes = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : prefix;
  return input.length >= at + bytes.length && input.subarray(at, at + bytes.length).equals(bytes);
}

/** Whether a segment is metadata that stripping removes. */
function isJpegMetadata(input: Buffer, s: Segment): boolean {
  // APP1: Exif and XMP (also extended XMP); APP13: IPTC and Photoshop resources; COM: comments.
  if (s.marker === 0xe1 || s.marker === 0xed || s.marker === 0xfe) return true;
  // APP2 holds ICC profiles (kept) and also MPF, the index of images appended after the main
  // one (a phone's preview or depth map, with their own EXIF): that tail is dropped below.
  return s.marker === 0xe2 && startsWith(input, s.data, 'MPF\0');
}

function stripJpeg(input: Buffer): Buffer | undefined {
  const segments = jpegSegments(input);
  if (!segments) return undefined;
  const parts: Buffer[] = [input.subarray(0, 2)];
  let removed = false;
  for (const s of segments.slice(0, -1)) {
    if (isJpegMetadata(input, s)) removed = true;
    else parts.push(input.subarray(s.start, s.end));
  }
  if (!removed) return undefined;
  const scanStart = segments[segments.length - 1]!.start;
  // Images appended after the end-of-image marker (MPF) go too: they carry their own EXIF.
  parts.push(input.subarray(scanStart, endOfImage(input, scanStart)));
  return Buffer.concat(parts);
}

/** Offset just past the EOI marker that ends the image whose scans start at `from`. */
function endOfImage(input: Buffer, from: number): number {
  let at = from;
  while (at + 1 < input.length) {
    if (input[at] !== 0xff) {
      at++;
      continue;
    }
    const marker = input[at + 1]!;
    if (marker === 0xd9) return at + 2;
    if (marker === 0x00 || marker === 0xff || (marker >= 0xd0 && marker <= 0xd7)) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    // A segment between scans (DHT, SOS, DQT ...): skip its payload, which may hold 0xFF bytes.
    if (at + 4 > input.length) break;
    at += 2 + input.readUInt16BE(at + 2);
  }
  return input.length;
}

// ---------------------------------------------------------------------------------------------
// PNG: chunks of length, type, data, CRC.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunks that hold text, EXIF or dates; colour chunks (iCCP, sRGB, gAMA, cHRM) stay. */
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function pngChunks(input: Buffer): { type: string; start: number; end: number }[] | undefined {
  if (!startsWith(input, 0, PNG_SIGNATURE)) return undefined;
  const chunks = [];
  let at = 8;
  while (at + 12 <= input.length) {
    const length = input.readUInt32BE(at);
    const type = input.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > input.length) return undefined;
    chunks.push({ type, start: at, end });
    at = end;
    if (type === 'IEND') break;
  }
  return chunks;
}

function stripPng(input: Buffer): Buffer | undefined {
  const chunks = pngChunks(input);
  if (!chunks || !chunks.some((c) => PNG_METADATA.has(c.type))) return undefined;
  const kept = chunks.filter((c) => !PNG_METADATA.has(c.type));
  const last = chunks[chunks.length - 1]!;
  return Buffer.concat([
    input.subarray(0, 8),
    ...kept.map((c) => input.subarray(c.start, c.end)),
    // Whatever follows IEND is no part of the image.
    ...(last.type === 'IEND' ? [] : [input.subarray(last.end)]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// WebP: a RIFF container; the extended layout (VP8X) flags EXIF and XMP chunks.

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function webpChunks(input: Buffer): { type: string; start: number; end: number }[] | undefined {
  if (!startsWith(input, 0, 'RIFF') || !startsWith(input, 8, 'WEBP')) return undefined;
  const chunks = [];
  let at = 12;
  while (at + 8 <= input.length) {
    const size = input.readUInt32LE(at + 4);
    if (at + 8 + size > input.length) return undefined;
    // The pad byte after an odd-sized chunk may be missing at the very end (readWebp allows it).
    const end = Math.min(at + 8 + size + (size & 1), input.length);
    chunks.push({ type: input.toString('latin1', at, at + 4), start: at, end });
    at = end;
  }
  return chunks;
}

function stripWebp(input: Buffer): Buffer | undefined {
  const chunks = webpChunks(input);
  if (!chunks || !chunks.some((c) => c.type === 'EXIF' || c.type === 'XMP ')) return undefined;
  const parts = chunks
    .filter((c) => c.type !== 'EXIF' && c.type !== 'XMP ')
    .map((c) => {
      const bytes = Buffer.from(input.subarray(c.start, c.end));
      // The VP8X flags must no longer announce what is gone.
      if (c.type === 'VP8X' && bytes.length > 8) bytes[8] = bytes[8]! & ~(VP8X_EXIF | VP8X_XMP);
      return bytes;
    });
  const header = Buffer.from(input.subarray(0, 12));
  const body = Buffer.concat(parts);
  header.writeUInt32LE(4 + body.length, 4);
  return Buffer.concat([header, body]);
}
