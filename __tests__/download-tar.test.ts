import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { downloadFile, type ModelSource } from '../src/transfer/download.js';
import type { RetryPolicy } from '../src/http/retry.js';
import { ActionError } from '../src/shared/errors.js';
import { generated, storageHost } from './helpers/storage-host.js';
import { tempDir } from './helpers/temp.js';

// `ModelSource.tar` (Replicate's trained weights come as a tar): the one `.safetensors` inside
// lands at the target, streamed, resumed, hashed, capped; archives made by node-tar (a tar
// writer independent of the reader the action uses), and hostile ones made by hand.

const RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 5,
  maxTotalMs: 10_000,
  timeoutMs: 2000,
};
const MODEL = 'output/flux_train_replicate/lora.safetensors';

const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

/** A tar of `files` (Buffer: a file; 'dir': a folder; { link }: a symbolic link), by node-tar. */
async function makeTar(files: Record<string, Buffer | 'dir' | { link: string }>): Promise<Buffer> {
  const src = await tempDir('tar-src-');
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(src, name);
    if (content === 'dir') {
      await mkdir(full, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(full), { recursive: true });
    if (Buffer.isBuffer(content)) await writeFile(full, content);
    else await symlink(content.link, full);
  }
  const out = path.join(await tempDir('tar-out-'), 'model.tar');
  await tar.create({ cwd: src, file: out, portable: true }, Object.keys(files));
  return readFile(out);
}

/** Serves `body` with its Content-Length; `cutAt` (first request only) drops the connection. */
async function serve(body: Buffer, cutAt?: number) {
  return storageHost((req, res, n) => {
    const start = Number(/bytes=(\d+)-/.exec(String(req.headers.range ?? ''))?.[1] ?? 0);
    const headers: Record<string, string> = {
      'content-length': String(body.length - start),
      etag: '"t1"',
    };
    if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    if (n === 1 && cutAt !== undefined) {
      res.write(body.subarray(0, cutAt), () => res.socket?.destroy());
    } else res.end(body.subarray(start));
  });
}

function replicate(url: string, extra: Partial<ModelSource> = {}): ModelSource {
  return {
    provider: 'Replicate',
    refreshable: false,
    tar: true,
    link: () => Promise.resolve({ url, headers: { Authorization: 'Bearer r8_test' } }),
    ...extra,
  };
}

async function fetchFrom(source: ModelSource, extra: { maxBytes?: number } = {}) {
  const ws = await tempDir('tar-ws-');
  const result = await downloadFile({
    source,
    workspace: ws,
    relative: 'models/lora.safetensors',
    retry: RETRY,
    ...extra,
  }).catch((error: unknown) => error);
  return { ws, result, left: (await readdir(ws, { recursive: true })).map(String).sort() };
}

describe('the model out of a tar', () => {
  it('writes the one .safetensors, not the archive, with its own sha256', async () => {
    const weights = generated(700_000);
    const archive = await makeTar({
      'output/flux_train_replicate/config.yaml': Buffer.from('rank: 16\n'),
      [MODEL]: weights,
      'output/samples/a.png': generated(3000),
    });
    const host = await serve(archive);
    const { ws, result } = await fetchFrom(replicate(host.url));
    expect(result).toEqual({
      path: 'models/lora.safetensors',
      bytes: weights.length,
      sha256: sha(weights),
    });
    expect((await readFile(path.join(ws, 'models/lora.safetensors'))).equals(weights)).toBe(true);
    expect(await readdir(path.join(ws, 'models'))).toEqual(['lora.safetensors']);
    expect(host.seen[0]!.headers.authorization).toBe('Bearer r8_test');
  });

  it('resumes a broken-off archive from its offset, the reader carrying on', async () => {
    const weights = generated(2_000_000);
    const archive = await makeTar({ [MODEL]: weights, 'output/after.txt': Buffer.from('x') });
    const host = await serve(archive, 777_777);
    const { result } = await fetchFrom(replicate(host.url));
    expect(result).toMatchObject({ bytes: weights.length, sha256: sha(weights) });
    expect(host.seen.map((r) => r.headers.range)).toEqual([undefined, 'bytes=777777-']);
    expect(host.seen[1]!.headers['if-range']).toBe('"t1"');
  });

  it.each([
    [
      'none',
      { 'output/config.yaml': Buffer.from('x'), 'output/weights.bin': generated(10) },
      /holds no \.safetensors file \(it has output\/config\.yaml \(file\), output\/weights\.bin \(file\)\)/,
    ],
    [
      'two',
      { 'a/one.safetensors': generated(10), 'b/two.safetensors': generated(20) },
      /holds more than one \.safetensors file \(a\/one\.safetensors and b\/two\.safetensors\)/,
    ],
    [
      'a link',
      { 'out/real.bin': generated(10), 'out/lora.safetensors': { link: 'real.bin' } },
      /has out\/lora\.safetensors as a symbolic link, where the model must be a file/,
    ],
    [
      'a folder',
      { 'out/lora.safetensors': 'dir' },
      /has out\/lora\.safetensors\/ as a folder, where the model must be a file/,
    ],
  ] as const)(
    'fails clearly for an archive with %s, naming what it holds and leaving nothing',
    async (_what, files, message) => {
      const host = await serve(await makeTar(files as Parameters<typeof makeTar>[0]));
      const { result, left } = await fetchFrom(replicate(host.url));
      expect(result).toBeInstanceOf(ActionError);
      expect(String(result)).toMatch(/^The model archive from Replicate /);
      expect(String(result)).toMatch(message);
      expect(left).toEqual([]);
      // Not retried: a bad archive stays bad.
      expect(host.seen).toHaveLength(1);
    },
  );

  it('caps the model at the provider’s size and at the bound', async () => {
    const archive = await makeTar({ [MODEL]: generated(50_000) });
    const host = await serve(archive);
    const sized = await fetchFrom(replicate(host.url, { size: 40_000 }));
    expect(String(sized.result)).toMatch(
      /has output\/flux_train_replicate\/lora\.safetensors of 50000 bytes, where Replicate said the model has 40000/,
    );
    expect(sized.left).toEqual([]);
    const bounded = await fetchFrom(replicate(host.url), { maxBytes: 30_000 });
    expect(String(bounded.result)).toMatch(/more than the 30000 bytes a download may have/);
    expect(bounded.left).toEqual([]);
  });
});

describe('hostile archives', () => {
  /** A 512-byte ustar header with a valid checksum. */
  function header(name: string, size: number, type: string): Buffer {
    const block = Buffer.alloc(512);
    block.write(name, 0, 'utf8');
    block.write('0000644\0', 100);
    block.write('0000000\0', 108);
    block.write('0000000\0', 116);
    block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    block.write('00000000000\0', 136);
    block.write('        ', 148);
    block.write(type, 156);
    block.write('ustar\0', 257);
    block.write('00', 263);
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    return block;
  }

  it('fails on a truncated archive (a member larger than the bytes that follow it)', async () => {
    const archive = Buffer.concat([header('lora.safetensors', 100_000, '0'), generated(30_000)]);
    const host = await serve(archive);
    const { result, left } = await fetchFrom(replicate(host.url));
    expect(String(result)).toMatch(
      /The model archive from Replicate is not a readable tar archive \(Unexpected end of data\)/,
    );
    expect(left).toEqual([]);
  });

  it('fails on a pax header bomb at once, without reading it whole', async () => {
    const bomb = 1_000_000_000;
    const head = header('PaxHeader/lora', bomb, 'x');
    const host = await storageHost((_req, res) => {
      res.writeHead(200, { 'content-length': String(512 + bomb) });
      res.write(head);
      const pump = (): void => {
        while (!res.destroyed && res.write(Buffer.alloc(65_536, 0x61)));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const { result, left } = await fetchFrom(replicate(host.url));
    expect(String(result)).toMatch(/is not a readable tar archive \(Header exceeds max size\)/);
    expect(left).toEqual([]);
  });

  it('fails on bytes that are not a tar at all', async () => {
    const host = await serve(Buffer.from('<html>not an archive</html>'.padEnd(2048, ' ')));
    const { result, left } = await fetchFrom(replicate(host.url));
    expect(String(result)).toMatch(/is not a readable tar archive \(Invalid tar header/);
    expect(left).toEqual([]);
  });
});
