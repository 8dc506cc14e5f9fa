import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { inspectImageBytes, layoutOf, Reader, type Piece } from '../image-header.js';
import { metadataOf, type ImageMetadata } from './plan.js';

/**
 * Removing metadata without decoding a pixel, by allow-list: what an image needs is kept byte
 * for byte, everything else goes (image-header.ts says what each format needs, layoutOf). The
 * cut comes from the very walk that read the header while the dataset was checked, so what the
 * header counted as metadata is what goes, wherever it sits: between a progressive JPEG's scans,
 * after the image's end, in a chunk no specification names.
 */

export type ImageFormat = 'jpg' | 'png' | 'webp';

const NONE: ImageMetadata = { orientation: 1, gps: false, strippable: false, lossless: false };

/** The metadata of an image in memory; never throws (what cannot be read reads as none). */
export function readMetadata(input: Buffer): ImageMetadata {
  const found = inspectImageBytes(input);
  return found.kind === 'image' ? metadataOf(found.header) : NONE;
}

export interface Stripped {
  /** The image with only what it needs; `input` itself when nothing was removed. */
  bytes: Buffer;
  changed: boolean;
  /** Removed parts the walk does not know ("JPEG APP6 segment"), for a warning. */
  unknown: string[];
}

/**
 * Keeps what the image needs (see image-header.ts: JPEG's JFIF, ICC and Adobe segments, frame,
 * tables and scans; PNG's critical, transparency, colour and animation chunks; WebP's image,
 * alpha, ICC and animation chunks) and removes everything else, nothing after the image's end.
 * A layout it cannot walk is returned unchanged rather than guessed at.
 */
export function stripMetadata(input: Buffer, _format?: ImageFormat): Stripped {
  const layout = layoutOf(Reader.fromBytes(input));
  if (!layout?.cut.removed) return { bytes: input, changed: false, unknown: [] };
  const parts = layout.cut.pieces.map((piece) =>
    'bytes' in piece ? piece.bytes : input.subarray(piece.start, piece.end),
  );
  return { bytes: Buffer.concat(parts), changed: true, unknown: [...layout.cut.unknown] };
}

/** What stripFile wrote: the size and the removed parts the walk does not know. */
export interface StrippedFile {
  changed: boolean;
  bytes: number;
  unknown: string[];
}

/** Pieces are copied through this much memory at a time, whatever the image's size. */
const COPY_BUFFER = 1024 * 1024;

/**
 * stripMetadata from one file into another, through one reused megabyte: memory stays the same
 * for a 100 KB and a 1 GB image. Writes nothing when nothing is removed.
 */
export function stripFile(source: string, size: number, target: string): StrippedFile {
  const fd = openSync(source, 'r');
  try {
    const layout = layoutOf(Reader.open(fd, size));
    if (!layout?.cut.removed) return { changed: false, bytes: size, unknown: [] };
    const out = openSync(target, 'wx');
    try {
      const buffer = (copyBuffer ??= Buffer.allocUnsafe(COPY_BUFFER));
      let written = 0;
      for (const piece of layout.cut.pieces) written += copyPiece(fd, out, piece, buffer);
      return { changed: true, bytes: written, unknown: [...layout.cut.unknown] };
    } finally {
      closeSync(out);
    }
  } finally {
    closeSync(fd);
  }
}

let copyBuffer: Buffer | undefined;

function copyPiece(from: number, to: number, piece: Piece, buffer: Buffer): number {
  if ('bytes' in piece) return writeAll(to, piece.bytes);
  let written = 0;
  for (let at = piece.start; at < piece.end;) {
    const read = readSync(from, buffer, 0, Math.min(buffer.length, piece.end - at), at);
    if (read === 0) throw new Error('the file changed while it was being stripped');
    written += writeAll(to, buffer.subarray(0, read));
    at += read;
  }
  return written;
}

function writeAll(fd: number, bytes: Uint8Array): number {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
  return bytes.length;
}
