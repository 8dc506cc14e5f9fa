import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { compare, type Dataset } from './dataset.js';
import { ActionError } from './errors.js';

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

/**
 * The exact size of the ZIP the entries give. Exact because every entry is stored: images are
 * already compressed (deflate gains a percent or two on JPEG and costs CPU time), and captions are
 * a few bytes. Files streamed from disk get a data descriptor after their data, buffers none.
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
  return entries.sort((a, b) => compare(a.name, b.name));
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
 * Writes a deterministic ZIP: entries in the order given (sorted by name), each at the root,
 * stored, with the DOS epoch as its date and mode 0644, so the same files give the same bytes on
 * every OS whatever their mtimes or order on disk. The layout is the one archiver writes (a
 * test compares the bytes), written here directly because archiver's stream pipeline and
 * JavaScript CRC made the step three times slower than `zip -0`: this writer reads each file
 * once in 1 MiB pieces, with the next read in flight while the current piece goes through the
 * native CRC-32, the ZIP's sha256 and the write. With `destination` null nothing is written and
 * only the size and hashes are computed (a dry run needs no file). A half-written file is
 * removed again when anything fails.
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
  const entryHashes = new Map<string, string>();
  const central: CentralRecord[] = [];
  try {
    for (const entry of entries) {
      const name = Buffer.from(entry.name, 'utf8');
      const utf8Flag = name.length !== entry.name.length ? FLAG_UTF8 : 0;
      const offset = sink.offset;
      if ('buffer' in entry.source) {
        // In memory: CRC and sizes go in the local header, no data descriptor (version 1.0).
        const data = entry.source.buffer;
        const crc = crc32(data) >>> 0;
        sink.push(localHeader(name, 10, utf8Flag, crc, data.length));
        sink.push(data);
        central.push({ name, version: 10, flags: utf8Flag, crc, size: data.length, offset });
      } else {
        // Streamed: zeros in the local header, CRC and sizes in a data descriptor after the data.
        const flags = utf8Flag | FLAG_DATA_DESCRIPTOR;
        sink.push(localHeader(name, 20, flags, 0, 0));
        const entryHash = hashEntries.has(entry.name) ? createHash('sha256') : undefined;
        const { crc, size } = await sink.copyFile(entry.source.file, entryHash);
        if (entryHash) entryHashes.set(entry.name, entryHash.digest('hex'));
        sink.push(dataDescriptor(crc, size));
        central.push({ name, version: 20, flags, crc, size, offset });
      }
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
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
/** 1980-01-01 in DOS date format; the time field is 00:00:00. */
const DOS_DATE = 0x0021;
/** Made by: Unix (3), spec version 4.5, as archiver writes it. */
const MADE_BY = (3 << 8) | 45;
/** A regular file with mode 0644 in the high half, the MS-DOS archive bit in the low half. */
const EXTERNAL_ATTRIBUTES = ((0o100644 << 16) | 0x20) >>> 0;

interface CentralRecord {
  name: Buffer;
  version: number;
  flags: number;
  crc: number;
  size: number;
  offset: number;
}

/**
 * Where the ZIP's bytes go: hashed at once, appended to the file in order. Writes are chained,
 * so hashing the next piece overlaps writing this one; a buffer is not reused before its write.
 */
class ZipSink {
  offset = 0;
  private readonly hash = createHash('sha256');
  private writing: Promise<unknown> = Promise.resolve();
  private readonly buffers = [
    Buffer.allocUnsafe(CHUNK),
    Buffer.allocUnsafe(CHUNK),
    Buffer.allocUnsafe(CHUNK),
  ];

  constructor(private readonly out: FileHandle | null) {}

  /** Queues `bytes`; resolves once they are on disk. `bytes` must not change until then. */
  push(bytes: Buffer): Promise<unknown> {
    this.hash.update(bytes);
    this.offset += bytes.length;
    const out = this.out;
    if (out) this.writing = this.writing.then(() => out.write(bytes, 0, bytes.length, null));
    return this.writing;
  }

  /** Streams a file through, returning its CRC-32 and size. */
  async copyFile(
    file: string,
    entryHash: Hash | undefined,
  ): Promise<{ crc: number; size: number }> {
    const input = await open(file, 'r');
    try {
      const written: Promise<unknown>[] = [Promise.resolve(), Promise.resolve(), Promise.resolve()];
      let crc = 0;
      let size = 0;
      let reading = input.read(this.buffers[0]!, 0, CHUNK, null);
      for (let i = 0; ; i++) {
        const { bytesRead } = await reading;
        if (bytesRead === 0) break;
        const chunk = this.buffers[i % 3]!.subarray(0, bytesRead);
        const next = (i + 1) % 3;
        await written[next]; // that buffer's bytes are on disk: it may be read into again
        reading = input.read(this.buffers[next]!, 0, CHUNK, null);
        crc = crc32(chunk, crc);
        entryHash?.update(chunk);
        size += bytesRead;
        written[i % 3] = this.push(chunk);
      }
      await Promise.all(written);
      return { crc: crc >>> 0, size };
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

function localHeader(
  name: Buffer,
  version: number,
  flags: number,
  crc: number,
  size: number,
): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER + name.length);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(version, 4);
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

function dataDescriptor(crc: number, size: number): Buffer {
  const descriptor = Buffer.alloc(DATA_DESCRIPTOR);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc, 4);
  descriptor.writeUInt32LE(size, 8);
  descriptor.writeUInt32LE(size, 12);
  return descriptor;
}

function centralHeader(record: CentralRecord): Buffer {
  const header = Buffer.alloc(CENTRAL_HEADER + record.name.length);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  header.writeUInt16LE(record.version, 6);
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
