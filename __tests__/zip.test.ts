import { describe, expect, it, beforeAll, afterAll, type TestContext } from 'vitest';
import { chmod, copyFile, mkdtemp, rm, writeFile, readFile, utimes, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readZip } from './helpers/zip.js';
import { predictZipSize, writeZip, checkZipSize, type ZipEntry } from '../src/dataset/zip.js';
import { ActionError } from '../src/shared/errors.js';
import { jpeg, png } from './helpers/images.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zip-test-'));
  await writeFile(path.join(dir, 'a.jpg'), jpeg(600, 800));
  await writeFile(path.join(dir, 'b.png'), png(32, 32, 1));
  await writeFile(path.join(dir, 'c.png'), png(16, 16, 2));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function entries(): Promise<ZipEntry[]> {
  const list: ZipEntry[] = [];
  for (const name of ['a.jpg', 'b.png', 'c.png']) {
    const file = path.join(dir, name);
    list.push({ name, source: { file, bytes: (await stat(file)).size } });
  }
  list.splice(1, 0, { name: 'a.txt', source: { buffer: Buffer.from('a photo of TOK, smiling') } });
  return list;
}

describe('writeZip', () => {
  it('writes exactly the predicted number of bytes, hashed as written', async () => {
    const list = await entries();
    const out = path.join(dir, 'one.zip');
    const result = await writeZip(list, out);
    const bytes = await readFile(out);
    expect(result.bytes).toBe(bytes.length);
    expect(predictZipSize(list)).toBe(bytes.length);
    const { createHash } = await import('node:crypto');
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('is read back by an independent reader: root entries, stored, the same bytes', async () => {
    const list = await entries();
    const out = path.join(dir, 'two.zip');
    await writeZip(list, out);
    const read = await readZip(out);
    expect([...read.keys()]).toEqual(['a.jpg', 'a.txt', 'b.png', 'c.png']);
    for (const entry of list) {
      const expected =
        'file' in entry.source ? await readFile(entry.source.file) : entry.source.buffer;
      const got = read.get(entry.name)!;
      expect(got.data.equals(expected)).toBe(true);
      expect(got.method).toBe(0);
    }
  });

  it('gives byte-identical ZIPs whatever the mtimes and the order files were found in', async () => {
    const first = await writeZip(await entries(), path.join(dir, 'x.zip'));
    await utimes(path.join(dir, 'b.png'), new Date('2001-02-03'), new Date('2001-02-03'));
    await utimes(path.join(dir, 'a.jpg'), new Date(), new Date());
    const second = await writeZip(await entries(), path.join(dir, 'y.zip'));
    expect(second.sha256).toBe(first.sha256);
    expect(
      (await readFile(path.join(dir, 'x.zip'))).equals(await readFile(path.join(dir, 'y.zip'))),
    ).toBe(true);
  });

  it('removes a half-written file when a source disappears', async () => {
    const list = await entries();
    list.push({ name: 'gone.png', source: { file: path.join(dir, 'gone.png'), bytes: 10 } });
    const out = path.join(dir, 'broken.zip');
    await expect(writeZip(list, out)).rejects.toThrow();
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('writeZip, compared with other ZIP tools', () => {
  // archiver writes a data descriptor after every entry it streams (it cannot know the CRC before
  // the data), so it no longer writes our layout from files; given the same bytes as Buffers, it
  // knows CRC and size up front and writes them in the local header, as we now do for every
  // entry. An independent writer giving the same bytes pins every field we do not vary.
  it('writes the same bytes as archiver given each entry as a Buffer (store, fixed date, mode 0644)', async () => {
    const { ZipArchive } = await import('archiver');
    const list = await entries();
    list.push({
      name: 'café-ünïcode.png',
      source: { file: path.join(dir, 'c.png'), bytes: (await stat(path.join(dir, 'c.png'))).size },
    });
    list.sort((a, b) => (a.name < b.name ? -1 : 1));
    const ours = await writeZip(list, path.join(dir, 'ours.zip'));
    const archive = new ZipArchive({ store: true });
    const chunks: Buffer[] = [];
    archive.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => archive.on('end', resolve));
    for (const entry of list) {
      const data = {
        name: entry.name,
        date: new Date('1980-01-01T00:00:00Z'),
        mode: 0o644,
        store: true,
      };
      archive.append(
        'file' in entry.source ? await readFile(entry.source.file) : entry.source.buffer,
        data,
      );
      await new Promise((resolve) => archive.once('entry', resolve));
    }
    await archive.finalize();
    await done;
    const theirs = Buffer.concat(chunks);
    expect(ours.bytes).toBe(theirs.length);
    expect((await readFile(path.join(dir, 'ours.zip'))).equals(theirs)).toBe(true);
  });

  it('puts CRC-32 and sizes in every local header, with no data descriptor (walked front to back)', async () => {
    const list = await entries();
    const out = path.join(dir, 'walk.zip');
    await writeZip(list, out);
    const zip = await readFile(out);
    const walked = walkLocalHeaders(zip);
    expect(walked.map((e) => e.name)).toEqual(list.map((e) => e.name));
    for (const [i, e] of walked.entries()) {
      const source = list[i]!.source;
      const data = 'file' in source ? await readFile(source.file) : source.buffer;
      expect(e.flags & 0x0008, `${e.name}: data-descriptor flag`).toBe(0);
      expect(e.method).toBe(0);
      expect(e.version).toBe(10);
      expect(e.size).toBe(data.length);
      expect(e.crc).toBe(crc32(data) >>> 0);
      expect(e.data.equals(data)).toBe(true);
    }
    // Right after the last entry's data comes the central directory: no descriptor in between.
    expect(zip.readUInt32LE(walked.at(-1)!.end)).toBe(0x02014b50);
  });

  it('keeps one byte layout: the sha256 of a ZIP of fixed entries is pinned', async () => {
    // Any change to the layout (flags, versions, dates, attributes, order) changes every
    // fingerprint and so every default job name: it must be deliberate, and this test says so.
    const fixed = path.join(dir, 'fixed.png');
    await writeFile(fixed, png(20, 10, 7));
    const list: ZipEntry[] = [
      { name: 'a.png', source: { file: fixed, bytes: (await stat(fixed)).size } },
      { name: 'a.txt', source: { buffer: Buffer.from('photo of TOK') } },
      { name: 'é.png', source: { file: fixed, bytes: (await stat(fixed)).size } },
    ];
    const { sha256, bytes } = await writeZip(list, null);
    expect(bytes).toBe(predictZipSize(list));
    expect(sha256).toBe(PINNED_SHA256);
  });

  it('is read by unzip-stream, which reads local headers only, front to back', async () => {
    const list = await entries();
    const out = path.join(dir, 'stream.zip');
    await writeZip(list, out);
    const read = await readStreaming(out);
    expect([...read.keys()]).toEqual(list.map((e) => e.name));
    for (const entry of list) {
      const expected =
        'file' in entry.source ? await readFile(entry.source.file) : entry.source.buffer;
      expect(read.get(entry.name)!.equals(expected), entry.name).toBe(true);
    }
  });

  it("is read from a pipe by Java's ZipInputStream (`cat z | jar x`), which refused data descriptors", async (context) => {
    if (!tool('jar', ['--version'])) return missing(context, 'jar (a Java JDK)');
    const list = await entries();
    const out = path.join(dir, 'java.zip');
    await writeZip(list, out);
    const target = await mkdtemp(path.join(dir, 'jar-'));
    const jar = spawnSync('jar', ['x'], { cwd: target, input: await readFile(out) });
    expect(jar.stderr.toString() + jar.stdout.toString()).toBe('');
    expect(jar.status).toBe(0);
    for (const entry of list) {
      const expected =
        'file' in entry.source ? await readFile(entry.source.file) : entry.source.buffer;
      expect((await readFile(path.join(target, entry.name))).equals(expected)).toBe(true);
    }
    // The control: the same ZIP with a data descriptor on a stored entry, as it used to be
    // written, is refused by the same reader, so this test can tell the two apart.
    const control = await mkdtemp(path.join(dir, 'jar-control-'));
    const old = spawnSync('jar', ['x'], {
      cwd: control,
      input: withDataDescriptor(await readFile(out)),
    });
    expect(old.stderr.toString()).toMatch(/only DEFLATED entries can have EXT descriptor/);
  });

  it('passes the integrity test of 7-Zip (7zip-bin)', async (context) => {
    const { path7za } = (await import('7zip-bin')) as { path7za: string };
    // The npm package ships the binary without its execute bit: run a copy that has it.
    const bin = path.join(dir, '7za');
    await copyFile(path7za, bin).catch(() => undefined);
    await chmod(bin, 0o755).catch(() => undefined);
    if (!tool(bin, ['i'])) return missing(context, `7-Zip (${path7za})`);
    const out = path.join(dir, '7z.zip');
    await writeZip(await entries(), out);
    const result = spawnSync(bin, ['t', out]);
    expect(result.stdout.toString()).toMatch(/Everything is Ok/);
    expect(result.stdout.toString()).toMatch(/Files: 4/);
  });

  it.skipIf(!hasUnzip())("passes Info-ZIP's own integrity test (unzip -t)", async () => {
    const { execFileSync } = await import('node:child_process');
    await writeZip(await entries(), path.join(dir, 'tested.zip'));
    const out = execFileSync('unzip', ['-t', path.join(dir, 'tested.zip')]).toString();
    expect(out).toMatch(/No errors detected/);
    expect(out).toMatch(/testing: a\.txt +OK/);
  });

  it('computes the same size and hash without writing a file (a dry run)', async () => {
    const list = await entries();
    const written = await writeZip(list, path.join(dir, 'w.zip'), new Set(['b.png']));
    const dry = await writeZip(list, null, new Set(['b.png']));
    expect(dry).toEqual(written);
    const { createHash } = await import('node:crypto');
    expect(dry.entryHashes.get('b.png')).toBe(
      createHash('sha256')
        .update(await readFile(path.join(dir, 'b.png')))
        .digest('hex'),
    );
    expect([...dry.entryHashes.keys()]).toEqual(['b.png']);
  });

  it('streams a file too large to read whole (over 8 MiB) intact', async () => {
    const big = path.join(dir, 'big.png');
    await writeFile(big, Buffer.concat([png(1200, 1000, 9), randomBytes(6 << 20)])); // ~9.6 MB
    const list: ZipEntry[] = [
      { name: 'big.png', source: { file: big, bytes: (await stat(big)).size } },
    ];
    const written = await writeZip(list, path.join(dir, 'big.zip'), new Set(['big.png']));
    const read = await readZip(path.join(dir, 'big.zip'));
    expect(read.get('big.png')!.data.equals(await readFile(big))).toBe(true);
    // Read twice (CRC first, then the copy): the entry's own hash and the local header agree.
    const { createHash } = await import('node:crypto');
    expect(written.entryHashes.get('big.png')).toBe(
      createHash('sha256')
        .update(await readFile(big))
        .digest('hex'),
    );
    const [entry] = walkLocalHeaders(await readFile(path.join(dir, 'big.zip')));
    expect(entry!.crc).toBe(crc32(await readFile(big)) >>> 0);
    expect(await writeZip(list, null, new Set(['big.png']))).toEqual(written);
  });

  it('gives every entry its own bytes when whole files, captions and a streamed file alternate (reused buffers, queued writes)', async () => {
    // Files read whole share two buffers in turn while the previous one is still being written:
    // a buffer handed out again too early would put one file's bytes under another's name.
    const list: ZipEntry[] = [];
    const sizes = [2_400_000, 70_000, 1_900_000, 2_450_000, 9 << 20, 5, 3_000_000];
    for (const [i, bytes] of sizes.entries()) {
      const file = path.join(dir, `mix-${i}.bin`);
      await writeFile(file, randomBytes(bytes));
      list.push({ name: `mix-${i}.bin`, source: { file, bytes } });
      if (i % 2 === 1)
        list.push({ name: `mix-${i}.txt`, source: { buffer: Buffer.from(`caption ${i}`) } });
    }
    const out = path.join(dir, 'mix.zip');
    const written = await writeZip(list, out, new Set(list.map((e) => e.name)));
    const read = await readZip(out);
    const { createHash } = await import('node:crypto');
    for (const entry of list) {
      const expected =
        'file' in entry.source ? await readFile(entry.source.file) : entry.source.buffer;
      expect(read.get(entry.name)!.data.equals(expected), entry.name).toBe(true);
      expect(written.entryHashes.get(entry.name), entry.name).toBe(
        createHash('sha256').update(expected).digest('hex'),
      );
    }
    const crcs = walkLocalHeaders(await readFile(out)).map((e) => e.crc);
    expect(crcs).toEqual(
      await Promise.all(
        list.map(async (e) =>
          'file' in e.source
            ? crc32(await readFile(e.source.file)) >>> 0
            : crc32(e.source.buffer) >>> 0,
        ),
      ),
    );
    expect(await writeZip(list, null, new Set(list.map((e) => e.name)))).toEqual(written);
  });

  it('refuses a file whose size changed since it was collected, and leaves no ZIP behind', async () => {
    const file = path.join(dir, 'moving.png');
    await writeFile(file, randomBytes(100_000));
    const out = path.join(dir, 'moving.zip');
    for (const recorded of [99_999, 100_001]) {
      const list: ZipEntry[] = [{ name: 'moving.png', source: { file, bytes: recorded } }];
      await expect(writeZip(list, out)).rejects.toThrow(
        new RegExp(
          `moving\\.png changed while it was being zipped \\(${recorded} bytes, then 100000`,
        ),
      );
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
    }
  });
});

describe('checkZipSize', () => {
  it('accepts a ZIP under the limit and refuses one at or over it, with the figures and what to do', () => {
    expect(() => checkZipSize(999_999, 1_000_000)).not.toThrow();
    let error: unknown;
    try {
      checkZipSize(1_000_000, 1_000_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toMatch(/1\.00 MB \(1000000 bytes\).*under 1\.00 MB/);
    expect(String(error)).toMatch(/fewer or smaller images/);
  });
});

/** Info-ZIP's unzip, where installed: the test that uses it says it was skipped otherwise. */
function hasUnzip(): boolean {
  return spawnSync('unzip', ['-v']).status === 0;
}

/**
 * The fingerprint of ZIP bytes written from fixed entries (see the test that pins it). Changing it
 * means every user's default job name changes once: say so in the CHANGELOG.
 */
const PINNED_SHA256 = 'bb6c4fa34efdd40c37d78ff9148f3e5490480422c6f23a7ccaf1b72e7bd00596';

/** The local headers of a ZIP, walked from the first byte as a streaming reader walks them. */
function walkLocalHeaders(zip: Buffer): {
  name: string;
  version: number;
  flags: number;
  method: number;
  crc: number;
  size: number;
  data: Buffer;
  end: number;
}[] {
  const out = [];
  let pos = 0;
  while (zip.readUInt32LE(pos) === 0x04034b50) {
    const nameLength = zip.readUInt16LE(pos + 26);
    const extraLength = zip.readUInt16LE(pos + 28);
    const size = zip.readUInt32LE(pos + 18);
    const start = pos + 30 + nameLength + extraLength;
    out.push({
      name: zip.subarray(pos + 30, pos + 30 + nameLength).toString('utf8'),
      version: zip.readUInt16LE(pos + 4),
      flags: zip.readUInt16LE(pos + 6),
      method: zip.readUInt16LE(pos + 8),
      crc: zip.readUInt32LE(pos + 14),
      size,
      data: zip.subarray(start, start + size),
      end: start + size,
    });
    pos = start + size;
  }
  return out;
}

/**
 * The same ZIP as written before this layout: the first entry gets flag bit 3 and a data
 * descriptor after its data (offsets in the central directory are not fixed: a streaming reader
 * never looks at them).
 */
function withDataDescriptor(zip: Buffer): Buffer {
  const [first] = walkLocalHeaders(zip);
  const header = Buffer.from(zip.subarray(0, first!.end - first!.size));
  header.writeUInt16LE(header.readUInt16LE(6) | 0x0008, 6);
  header.writeUInt32LE(0, 14);
  header.writeUInt32LE(0, 18);
  header.writeUInt32LE(0, 22);
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(first!.crc, 4);
  descriptor.writeUInt32LE(first!.size, 8);
  descriptor.writeUInt32LE(first!.size, 12);
  return Buffer.concat([header, first!.data, descriptor, zip.subarray(first!.end)]);
}

interface StreamEntry extends NodeJS.ReadableStream {
  path: string;
}
const unzipStream = createRequire(import.meta.url)('unzip-stream') as {
  Parse(): NodeJS.ReadWriteStream;
};

/** Every entry as unzip-stream reads it from a plain stream of the file, in order. */
function readStreaming(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    const parser = unzipStream.Parse();
    parser.on('entry', (entry: StreamEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => out.set(entry.path, Buffer.concat(chunks)));
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(out));
    createReadStream(file).on('error', reject).pipe(parser);
  });
}

function tool(command: string, args: string[]): boolean {
  const result = spawnSync(command, args);
  return !result.error && result.status === 0;
}

/**
 * A reader the test needs is not installed. That is a failure, loudly, unless
 * ZIP_READERS_OPTIONAL=1 says this machine may go without it; then the test is skipped with the
 * reason, never silently passed.
 */
function missing(context: TestContext, what: string): void {
  const message = `${what} is not installed, so this ZIP reader was not tried. Install it, or set ZIP_READERS_OPTIONAL=1 to skip this test on this machine.`;
  if (process.env.ZIP_READERS_OPTIONAL !== '1') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  context.skip(message);
}
