import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { Dataset } from './collect.js';
import { compare, formatMb } from '../shared/format.js';
import { ActionError } from '../shared/errors.js';

// ZIP record sizes (APPNOTE 4.3): local header, central header, end record.
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_OF_CENTRAL_DIRECTORY = 22;

export interface ZipEntry {
  name: string;
  /** A file streamed from disk, or bytes already in memory (captions, after their rewrite). */
  source: { file: string; bytes: number } | { buffer: Buffer };
}

/**
 * The exact size of the ZIP the entries give. Exact because every entry is stored: images are
 * already compressed (deflate gains a percent or two on JPEG and costs CPU time), and captions are
 * a few bytes. No entry has a data descriptor: its CRC-32 and sizes sit in its local header.
 */
export function predictZipSize(entries: ZipEntry[]): number {
  let total = END_OF_CENTRAL_DIRECTORY;
  for (const entry of entries) {
    const nameBytes = Buffer.byteLength(entry.name, 'utf8');
    const dataBytes = 'file' in entry.source ? entry.source.bytes : entry.source.buffer.length;
    total += LOCAL_HEADER + nameBytes + dataBytes;
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
  return entries.sort((a, b) => compare(a.name, b.name));
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
 * Writes a deterministic ZIP: entries in the order given (sorted by name), each at the root,
 * stored, with the DOS epoch as its date and mode 0644, so the same files give the same bytes on
 * every OS whatever their mtimes or order on disk. Every local header carries the entry's CRC-32
 * and sizes and no entry has a data descriptor (general-purpose flag bit 3 is never set), so a
 * reader that goes through the local headers front to back, without the central directory
 * (java.util.zip.ZipInputStream, `cat z | jar x`, unzip-stream), opens it as well as one that
 * reads the central directory first.
 *
 * The CRC must be known before the header is written, and the ZIP's sha256 is taken over its
 * bytes in order. A file of up to 8 MiB (every fitted image, most photos) is therefore read once,
 * whole, synchronously, into a buffer that is reused for the next file (WholeFiles): its CRC,
 * then the hashes and the write, from memory. A larger file is read twice in 1 MiB pieces, once
 * for its CRC (and its own sha256 when asked for), once to copy it; the second read comes from
 * the page cache. A dry run has no file to seek back into, and seeking back in a real one would
 * mean reading the written ZIP again for its sha256: the same second read, on two code paths
 * (the figures are in docs/dataset-checks.md and docs/performance.md). With `destination` null
 * nothing is written and only the size and hashes are computed (a dry run needs no file). A
 * half-written file is removed again when anything fails.
 */
export async function writeZip(
  entries: ZipEntry[],
  destination: string | null,
  /** Entries whose own sha256 is wanted too (to find duplicates), taken in the same pass. */
  hashEntries: ReadonlySet<string> = new Set(),
): Promise<{ bytes: number; sha256: string; entryHashes: Map<string, string> }> {
  if (entries.length > MAX_ENTRIES) {
    throw new ActionError(
      `The dataset has ${entries.length} files; a ZIP without the ZIP64 extension holds at most ${MAX_ENTRIES}.`,
      'Use fewer images: a fine-tune needs tens of images, not thousands.',
    );
  }
  const sink = new ZipSink(destination === null ? null : await open(destination, 'w'));
  // A dry run holds no file's bytes past its hashing; a real one may still be writing the last.
  const whole = new WholeFiles(entries, destination === null ? 1 : 2);
  const entryHashes = new Map<string, string>();
  const central: CentralRecord[] = [];
  // The write of the previous whole entry: one may be queued while the next is prepared.
  let lastWrite: Promise<unknown> = Promise.resolve();
  try {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const name = Buffer.from(entry.name, 'utf8');
      const flags = name.length !== entry.name.length ? FLAG_UTF8 : 0;
      const offset = sink.offset;
      const entryHash = hashEntries.has(entry.name) ? createHash('sha256') : undefined;
      if (i % YIELD_EVERY === YIELD_EVERY - 1)
        await new Promise((resolve) => setImmediate(resolve));
      // In memory already (captions), or a file read whole: one pass.
      const source = entry.source;
      const data =
        'buffer' in source ? source.buffer : whole.read(source.file, source.bytes, entry.name);
      let crc: number;
      let size: number;
      if (data) {
        crc = crc32(data) >>> 0;
        size = data.length;
        entryHash?.update(data);
        sink.push(localHeader(name, flags, crc, size));
        const written = sink.push(data);
        // Writes run in order: once the previous entry's has settled, every earlier one has, so
        // the buffer WholeFiles hands out next is no longer being written from.
        await lastWrite;
        lastWrite = written;
      } else {
        const file = (entry.source as { file: string }).file;
        ({ crc, size } = await sink.checksum(file, entryHash));
        sink.push(localHeader(name, flags, crc, size));
        const copied = await sink.copyFile(file);
        if (copied !== size) {
          throw new ActionError(
            `${entry.name} changed while it was being zipped (${size} bytes, then ${copied}).`,
            'Make sure no other step writes to the dataset folder while this one runs, then re-run.',
          );
        }
      }
      if (entryHash) entryHashes.set(entry.name, entryHash.digest('hex'));
      central.push({ name, flags, crc, size, offset });
    }
    const centralStart = sink.offset;
    for (const record of central) sink.push(centralHeader(record));
    sink.push(endOfCentralDirectory(central.length, sink.offset - centralStart, centralStart));
    await sink.close();
  } catch (error) {
    await sink.abort();
    if (destination !== null) await rm(destination, { force: true });
    throw error;
  }
  return { bytes: sink.offset, sha256: sink.digest(), entryHashes };
}

const MAX_ENTRIES = 0xffff;
const CHUNK = 1024 * 1024;
const FLAG_UTF8 = 0x0800;
/** Stored entries need version 1.0 to extract. */
const VERSION_NEEDED = 10;
/** Entries written between two turns of the event loop (small files are read synchronously). */
const YIELD_EVERY = 256;
/** 1980-01-01 in DOS date format; the time field is 00:00:00. */
const DOS_DATE = 0x0021;
/** Made by: Unix (3), spec version 4.5. */
const MADE_BY = (3 << 8) | 45;
/** A regular file with mode 0644 in the high half, the MS-DOS archive bit in the low half. */
const EXTERNAL_ATTRIBUTES = ((0o100644 << 16) | 0x20) >>> 0;

interface CentralRecord {
  name: Buffer;
  flags: number;
  crc: number;
  size: number;
  offset: number;
}

/** Files up to this size are read whole, once; larger ones in pieces, twice (see writeZip). */
const WHOLE_FILE_MAX = 8 * 1024 * 1024;

/**
 * Files read whole, synchronously, into `slots` buffers that take turns and are reused for the
 * whole ZIP, sized once for the largest such file: for thousands of small files in the page
 * cache, open/read/close on the main thread is several times faster than through libuv's thread
 * pool, and for photos one read instead of two saves about a third of the ZIP's time (the kernel
 * copies every byte read; docs/performance.md). Reused buffers matter as much: a fresh one per
 * file costs the kernel a page fault for every 4 KiB of it. The caller must be done with a
 * buffer (its write settled) before asking for `slots` more files.
 */
class WholeFiles {
  private readonly buffers: Buffer[] = [];
  private next = 0;
  private readonly size: number;

  constructor(
    entries: ZipEntry[],
    private readonly slots: number,
  ) {
    let largest = 0;
    for (const { source } of entries) {
      if ('file' in source && source.bytes <= WHOLE_FILE_MAX)
        largest = Math.max(largest, source.bytes);
    }
    // One byte more than expected tells a file that grew from one that did not.
    this.size = largest + 1;
  }

  /** The file's bytes, valid until `slots` more files are read; undefined when it is too large. */
  read(file: string, expected: number, name: string): Buffer | undefined {
    if (expected > WHOLE_FILE_MAX) return undefined;
    const slot = this.next;
    this.next = (this.next + 1) % this.slots;
    const buffer = (this.buffers[slot] ??= Buffer.allocUnsafe(this.size));
    const fd = openSync(file, 'r');
    try {
      let length = 0;
      while (length < expected + 1) {
        const bytesRead = readSync(fd, buffer, length, expected + 1 - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length !== expected) {
        throw new ActionError(
          `${name} changed while it was being zipped (${expected} bytes, then ${length}${length > expected ? ' or more' : ''}).`,
          'Make sure no other step writes to the dataset folder while this one runs, then re-run.',
        );
      }
      return buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Where the ZIP's bytes go: hashed at once, appended to the file in order. Writes are chained,
 * so hashing the next piece overlaps writing this one; a buffer is not reused before its write.
 */
class ZipSink {
  offset = 0;
  private readonly hash = createHash('sha256');
  private writing: Promise<unknown> = Promise.resolve();
  /** For files too large to read whole; only allocated when there is one. */
  private buffersMade?: Buffer[];
  private get buffers(): Buffer[] {
    return (this.buffersMade ??= [
      Buffer.allocUnsafe(CHUNK),
      Buffer.allocUnsafe(CHUNK),
      Buffer.allocUnsafe(CHUNK),
    ]);
  }

  constructor(private readonly out: FileHandle | null) {}

  /** Queues `bytes`; resolves once they are on disk. `bytes` must not change until then. */
  push(bytes: Buffer): Promise<unknown> {
    this.hash.update(bytes);
    this.offset += bytes.length;
    const out = this.out;
    if (out) this.writing = this.writing.then(() => out.write(bytes, 0, bytes.length, null));
    return this.writing;
  }

  /** The first pass over a large file: its CRC-32 and size (and its sha256 when asked for). */
  async checksum(
    file: string,
    entryHash: Hash | undefined,
  ): Promise<{ crc: number; size: number }> {
    // Nothing may be queued for writing from these buffers while they are read into.
    await this.writing;
    let crc = 0;
    let size = 0;
    await this.readThrough(file, 2, (chunk) => {
      crc = crc32(chunk, crc);
      entryHash?.update(chunk);
      size += chunk.length;
      return undefined;
    });
    return { crc: crc >>> 0, size };
  }

  /** The second pass: the file's bytes into the ZIP. Returns how many were copied. */
  async copyFile(file: string): Promise<number> {
    let size = 0;
    await this.readThrough(file, 3, (chunk) => {
      size += chunk.length;
      return this.push(chunk);
    });
    return size;
  }

  /**
   * Reads `file` through the rotating buffers in 1 MiB pieces, the next read in flight while
   * `use` handles the current piece; `use` may return a promise that must settle before that
   * piece's buffer is read into again (a queued write).
   */
  private async readThrough(
    file: string,
    rotation: number,
    use: (chunk: Buffer) => Promise<unknown> | undefined,
  ): Promise<void> {
    const input = await open(file, 'r');
    try {
      const busy: (Promise<unknown> | undefined)[] = new Array(rotation).fill(undefined);
      let reading = input.read(this.buffers[0]!, 0, CHUNK, null);
      for (let i = 0; ; i++) {
        const { bytesRead } = await reading;
        if (bytesRead === 0) break;
        const chunk = this.buffers[i % rotation]!.subarray(0, bytesRead);
        const next = (i + 1) % rotation;
        await busy[next]; // that buffer's bytes are used up: it may be read into again
        reading = input.read(this.buffers[next]!, 0, CHUNK, null);
        busy[i % rotation] = use(chunk);
      }
      await Promise.all(busy);
    } finally {
      await input.close();
    }
  }

  async close(): Promise<void> {
    await this.writing;
    await this.out?.close();
  }

  async abort(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.out?.close().catch(() => undefined);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

function localHeader(name: Buffer, flags: number, crc: number, size: number): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER + name.length);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(flags, 6);
  header.writeUInt16LE(0, 8); // stored
  header.writeUInt16LE(0, 10); // time 00:00:00
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(size, 18); // compressed size
  header.writeUInt32LE(size, 22); // uncompressed size
  header.writeUInt16LE(name.length, 26);
  name.copy(header, LOCAL_HEADER);
  return header;
}

function centralHeader(record: CentralRecord): Buffer {
  const header = Buffer.alloc(CENTRAL_HEADER + record.name.length);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(record.flags, 8);
  header.writeUInt16LE(0, 10); // stored
  header.writeUInt16LE(0, 12); // time
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(record.crc, 16);
  header.writeUInt32LE(record.size, 20);
  header.writeUInt32LE(record.size, 24);
  header.writeUInt16LE(record.name.length, 28);
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  header.writeUInt32LE(record.offset, 42);
  record.name.copy(header, CENTRAL_HEADER);
  return header;
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}
