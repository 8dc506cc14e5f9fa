import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readFile, utimes, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import yauzl from 'yauzl';
import { predictZipSize, writeZip, checkZipSize, type ZipEntry } from '../src/zip.js';
import { ActionError } from '../src/errors.js';
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

function readBack(
  file: string,
): Promise<Map<string, { data: Buffer; method: number; date: Date }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, { data: Buffer; method: number; date: Date }>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, {
              data: Buffer.concat(chunks),
              method: entry.compressionMethod,
              date: entry.getLastModDate(),
            });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
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
    const read = await readBack(out);
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
  it('writes the same bytes as archiver (store, fixed date, mode 0644) for the same entries', async () => {
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
      const { createReadStream } = await import('node:fs');
      archive.append(
        'file' in entry.source ? createReadStream(entry.source.file) : entry.source.buffer,
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

  it('streams files larger than its read buffer intact', async () => {
    const big = path.join(dir, 'big.png');
    await writeFile(big, png(1200, 1000, 9)); // about 3.6 MB: several 1 MiB pieces
    const list: ZipEntry[] = [
      { name: 'big.png', source: { file: big, bytes: (await stat(big)).size } },
    ];
    await writeZip(list, path.join(dir, 'big.zip'));
    const read = await readBack(path.join(dir, 'big.zip'));
    expect(read.get('big.png')!.data.equals(await readFile(big))).toBe(true);
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
