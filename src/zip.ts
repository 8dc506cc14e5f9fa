import { ZipArchive } from 'archiver';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dataset } from './dataset.js';
import { ActionError } from './errors.js';

/** The DOS epoch: every entry carries it, so a file's mtime never changes the ZIP. */
const FIXED_DATE = new Date('1980-01-01T00:00:00Z');
const FILE_MODE = 0o644;

// ZIP record sizes (APPNOTE 4.3): local header, data descriptor, central header, end record.
const LOCAL_HEADER = 30;
const DATA_DESCRIPTOR = 16;
const CENTRAL_HEADER = 46;
const END_OF_CENTRAL_DIRECTORY = 22;

export interface ZipEntry {
  name: string;
  /** A file streamed from disk, or bytes already in memory (captions, after their rewrite). */
  source: { file: string; bytes: number } | { buffer: Buffer };
}

export interface ZipResult {
  path: string;
  bytes: number;
  sha256: string;
  imageCount: number;
  captionCount: number;
}

/**
 * The exact size of the ZIP the entries give. Exact because every entry is stored: images are
 * already compressed (deflate gains a percent or two on JPEG and costs CPU time), and captions are
 * a few bytes. archiver writes a data descriptor after entries it streams, none after buffers.
 */
export function predictZipSize(entries: ZipEntry[]): number {
  let total = END_OF_CENTRAL_DIRECTORY;
  for (const entry of entries) {
    const nameBytes = Buffer.byteLength(entry.name, 'utf8');
    const streamed = 'file' in entry.source;
    const dataBytes = 'file' in entry.source ? entry.source.bytes : entry.source.buffer.length;
    total += LOCAL_HEADER + nameBytes + dataBytes + (streamed ? DATA_DESCRIPTOR : 0);
    total += CENTRAL_HEADER + nameBytes;
  }
  return total;
}

/**
 * The ZIP entries of a dataset, sorted by name; captions come from memory, already rewritten.
 */
export function zipEntriesOf(dataset: Dataset): ZipEntry[] {
  const entries: ZipEntry[] = dataset.images.map((image) => ({
    name: image.entryName,
    source: { file: image.path, bytes: image.bytes },
  }));
  for (const caption of dataset.captions) {
    entries.push({
      name: caption.entryName,
      source: { buffer: Buffer.from(caption.text, 'utf8') },
    });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function formatMb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** Fails before anything is written when the predicted ZIP is not under the limit. */
export function checkZipSize(bytes: number, maxBytes: number): void {
  if (bytes >= maxBytes) {
    throw new ActionError(
      `The dataset ZIP would be ${formatMb(bytes)} (${bytes} bytes); it must be under ${formatMb(maxBytes)} (max-zip-mb).`,
      'Use fewer or smaller images: 10 to 30 images of about 1024 px on the long side, saved as JPEG at quality 90, are plenty for a fine-tune and fit easily. Segmind refuses ZIPs of 100 MB or more.',
    );
  }
}

/**
 * Writes a deterministic ZIP: entries in the order given (sorted by name), each at the root with a
 * fixed date and mode, stored. The same files give the same bytes on every OS, whatever their
 * mtimes or order on disk. The sha256 is computed as the bytes go to disk, so nothing is read
 * twice. The file is removed again when anything fails.
 */
export async function writeZip(
  entries: ZipEntry[],
  destination: string,
  /** Entries whose own sha256 is wanted too (to find duplicates), taken as they stream by. */
  hashEntries: ReadonlySet<string> = new Set(),
): Promise<{ bytes: number; sha256: string; entryHashes: Map<string, string> }> {
  const entryHashes = new Map<string, string>();
  const archive = new ZipArchive({ store: true, zlib: { level: 0 } });
  const hash = createHash('sha256');
  let bytes = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  // archiver only skips a vanished file with a 'warning'; here that is an error like any other.
  archive.on('warning', (warning) => archive.destroy(warning));
  const written = pipeline(archive, hasher, createWriteStream(destination));
  try {
    // One entry at a time: archiver stats `.file()` sources concurrently and so may reorder
    // them, and appending streams all at once would open every file together.
    for (const entry of entries) {
      const data = { name: entry.name, date: FIXED_DATE, mode: FILE_MODE, store: true };
      const appended = once(archive, 'entry');
      if ('file' in entry.source) {
        // archiver does not watch its sources' errors: a vanished file would hang the ZIP.
        const source = createReadStream(entry.source.file);
        source.once('error', (error) => archive.destroy(error));
        archive.append(
          hashEntries.has(entry.name) ? source.pipe(hashing(entry.name, entryHashes)) : source,
          data,
        );
      } else {
        archive.append(entry.source.buffer, data);
      }
      await Promise.race([appended, written]);
    }
    await Promise.all([archive.finalize(), written]);
  } catch (error) {
    archive.destroy();
    await written.catch(() => undefined);
    await rm(destination, { force: true });
    throw error;
  }
  return { bytes, sha256: hash.digest('hex'), entryHashes };
}

/** A pass-through that records the sha256 of what went by under `name` when it ends. */
function hashing(name: string, into: Map<string, string>): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      into.set(name, hash.digest('hex'));
      callback();
    },
  });
}
