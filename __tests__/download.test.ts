import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkTarget,
  downloadFile,
  parseContentRange,
  PartFile,
} from '../src/transfer/download.js';
import { ActionError } from '../src/shared/errors.js';
import { downloadPathProblem, readConfig } from '../src/inputs.js';
import type { RetryPolicy } from '../src/http/retry.js';
import { readerWith } from './helpers/inputs.js';

const RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'download-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A storage host whose answers the test writes, on loopback; records each request's Range. */
async function storage(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
): Promise<{ url: string; ranges: (string | undefined)[] }> {
  const ranges: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    handler(req, res, ranges.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/models/m.safetensors?X-Amz-Signature=abc123`, ranges };
}

const FILE = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 9)) & 0xff));
const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

describe('download-model, the input', () => {
  it.each([
    ['model.safetensors', undefined],
    ['models/flux/model.safetensors', undefined],
    ['a/../model.safetensors', undefined],
    ['./model.safetensors', undefined],
    ['/tmp/model.safetensors', /relative to the workspace/],
    ['C:\\models\\m.safetensors', /relative to the workspace/],
    ['~/model.safetensors', /relative to the workspace/],
    ['../model.safetensors', /leads out of it/],
    ['models/../../model.safetensors', /leads out of it/],
    ['models\\..\\..\\model.safetensors', /leads out of it/],
    ['.git/hooks/pre-commit', /outside `\.git`/],
    ['models/', /not a folder/],
    ['.', /not a folder/],
    ['models/a\nb', /control characters/],
  ])('%j', (value, problem) => {
    const found = downloadPathProblem(value);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  async function config(values: Record<string, string>) {
    return readConfig(await readerWith({ 'api-key': 'k-1', ...values }));
  }

  it('defaults to model.safetensors for command: download, to nothing for train', async () => {
    expect((await config({ command: 'download', 'finetune-id': 'x' })).downloadModel).toBe(
      'model.safetensors',
    );
    expect((await config({})).downloadModel).toBe('');
    expect(
      (await config({ 'download-model': ' m/x.safetensors ', 'wait-for': 'AVAILABLE' }))
        .downloadModel,
    ).toBe('m/x.safetensors');
  });

  it.each([
    [{ 'download-model': 'm.safetensors' }, /needs `wait-for: TRAINING_COMPLETED`/],
    [
      { 'download-model': 'm.safetensors', 'wait-for': 'AVAILABLE', 'dry-run': 'true' },
      /a dry run trains nothing/,
    ],
    [
      { command: 'list', 'download-model': 'm.safetensors' },
      /for `command: train` and `command: download`, not `command: list`/,
    ],
    [{ command: 'download' }, /`command: download` needs the id of a fine-tune job/],
  ])('refuses %j', async (values, message) => {
    await expect(config(values)).rejects.toThrow(message);
  });
});

describe('checkTarget', () => {
  it('accepts new folders, refuses links leading out, files in the way and folders as targets', async () => {
    const ws = await tempDir();
    const away = await tempDir();
    await mkdir(path.join(ws, 'inside'));
    await symlink(away, path.join(ws, 'out'));
    await symlink(path.join(ws, 'inside'), path.join(ws, 'in'));
    await writeFile(path.join(ws, 'file'), 'x');
    expect(await checkTarget(ws, 'new/deeper/m.safetensors')).toBe(
      path.join(ws, 'new/deeper/m.safetensors'),
    );
    expect(await checkTarget(ws, 'in/m.safetensors')).toBe(path.join(ws, 'in/m.safetensors'));
    await expect(checkTarget(ws, 'out/sub/m.safetensors')).rejects.toThrow(
      /the folder out is a symbolic link leading out of the workspace/,
    );
    await expect(checkTarget(ws, 'file/m.safetensors')).rejects.toThrow(/file is a file/);
    await expect(checkTarget(ws, 'inside')).rejects.toThrow(/that is a folder/);
    expect(await readdir(away)).toEqual([]);
  });
});

describe('downloadFile against a storage host written by hand', () => {
  const source = (url: string) => ({
    provider: 'Segmind',
    refreshable: true,
    link: () => Promise.resolve({ url }),
  });

  async function fetchTo(url: string) {
    const ws = await tempDir();
    const result = await downloadFile({
      source: source(url),
      workspace: ws,
      relative: 'out/m.safetensors',
      retry: RETRY,
    });
    return { ws, result };
  }

  it('starts over when a resume is answered from another offset', async () => {
    const host = await storage((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': FILE.length });
        res.write(FILE.subarray(0, 50_000), () => res.socket?.destroy());
      } else if (n === 2) {
        // Asked for bytes=50000-, answers from 10: splicing that would corrupt the file.
        res.writeHead(206, {
          'content-range': `bytes 10-${FILE.length - 1}/${FILE.length}`,
          'content-length': FILE.length - 10,
        });
        res.end(FILE.subarray(10));
      } else {
        res.writeHead(200, { 'content-length': FILE.length });
        res.end(FILE);
      }
    });
    const { ws, result } = await fetchTo(host.url);
    expect(result).toEqual({ path: 'out/m.safetensors', bytes: FILE.length, sha256: sha(FILE) });
    expect((await readFile(path.join(ws, 'out/m.safetensors'))).equals(FILE)).toBe(true);
    expect(host.ranges[1]).toMatch(/^bytes=[1-9]\d*-$/);
    expect(host.ranges[2]).toBeUndefined();
    expect(await readdir(path.join(ws, 'out'))).toEqual(['m.safetensors']);
  });

  it('takes a file without Content-Length (chunked) as it comes', async () => {
    const host = await storage((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(FILE.subarray(0, 1000));
      res.end(FILE.subarray(1000));
    });
    const { result } = await fetchTo(host.url);
    expect(result.sha256).toBe(sha(FILE));
  });

  it('refuses a download link that is not https, without showing it', async () => {
    const ws = await tempDir();
    const error = await downloadFile({
      source: source('http://storage.example/m.safetensors?X-Amz-Signature=s3cr3t'),
      workspace: ws,
      relative: 'm.safetensors',
      retry: RETRY,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toMatch(
      /Segmind gave a http: URL for the model file, where an https download link/,
    );
    expect(String(error)).not.toContain('s3cr3t');
    expect(await readdir(ws)).toEqual([]);
  });

  it('fails on a 404 at once, removing the part file and the folder it made', async () => {
    const host = await storage((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(
        '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      );
    });
    const ws = await tempDir();
    await expect(
      downloadFile({
        source: source(host.url),
        workspace: ws,
        relative: 'a/b/m.safetensors',
        retry: RETRY,
      }),
    ).rejects.toThrow(/answered HTTP 404: NoSuchKey: The specified key does not exist\./);
    expect(host.ranges).toHaveLength(1);
    expect(await readdir(ws)).toEqual([]);
    // Folders that were there before stay, however deep the ones made below them.
    await mkdir(path.join(ws, 'keep/empty'), { recursive: true });
    for (const relative of ['keep/a/b/c/m.safetensors', 'keep/empty/m.safetensors']) {
      await expect(
        downloadFile({ source: source(host.url), workspace: ws, relative, retry: RETRY }),
      ).rejects.toThrow(/answered HTTP 404/);
      expect(await readdir(ws)).toEqual(['keep']);
      expect(await readdir(path.join(ws, 'keep'))).toEqual(['empty']);
      expect(await readdir(path.join(ws, 'keep/empty'))).toEqual([]);
    }
  });
});

describe('parseContentRange', () => {
  it.each([
    ['bytes 0-99/200', { start: 0, end: 100, total: 200 }],
    ['bytes 100-199/*', { start: 100, end: 200, total: undefined }],
    ['bytes */200', { start: 200, end: 200, total: 200 }],
    ['bytes 100-99/200', undefined],
    ['bytes 0-200/200', undefined],
    ['items 0-1/2', undefined],
    [undefined, undefined],
  ])('%j', (value, expected) => {
    expect(parseContentRange(value)).toEqual(expected);
  });
});

describe('PartFile', () => {
  // A disk that refuses a write: the download must end with that error (never resumed), and no
  // more pieces are asked for. /dev/full refuses every write as a full disk does (ENOSPC).
  it.skipIf(!existsSync('/dev/full'))(
    'keeps the first failed write for flush, and asks for no more pieces after it',
    async () => {
      const { open } = await import('node:fs/promises');
      const handle = await open('/dev/full', 'w');
      try {
        const part = new PartFile(handle);
        let failed = 0;
        part.onError = () => failed++;
        const piece = Buffer.alloc(1 << 20, 1);
        expect(part.take(piece)).toBe(true);
        part.take(piece);
        await expect(part.flush()).rejects.toThrow(/ENOSPC/);
        expect(failed).toBe(1);
        expect(part.take(Buffer.alloc(10))).toBe(false);
      } finally {
        await handle.close();
      }
    },
  );

  // The part file writes to the handle's descriptor, which the handle's close does not wait
  // for: idle() is what the download awaits before closing it.
  it('is idle only once every write it started has finished', async () => {
    const { createRequire, syncBuiltinESMExports } = await import('node:module');
    // The CommonJS object: what ESM imports of node:fs read once synced.
    const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
    const ws = await tempDir();
    const { open } = await import('node:fs/promises');
    const handle = await open(path.join(ws, 'f'), 'w');
    const held: (() => void)[] = [];
    const write = fs.write;
    // Each write's answer is held back until the test lets it through.
    (fs as { write: unknown }).write = (...args: unknown[]) => {
      const callback = args.pop() as (...result: unknown[]) => void;
      (write as (...a: unknown[]) => void)(...args, (...result: unknown[]) =>
        held.push(() => callback(...result)),
      );
    };
    syncBuiltinESMExports();
    try {
      const part = new PartFile(handle);
      // Two full buffers: two writes under way at once.
      part.take(Buffer.alloc(2 << 20, 7));
      let idle = false;
      const waiting = part.idle().then(() => (idle = true));
      await vi.waitFor(() => expect(held.length).toBe(2));
      await new Promise((resolve) => setImmediate(resolve));
      expect(idle).toBe(false);
      held.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
      expect(idle).toBe(false);
      held.shift()!();
      await waiting;
      expect(idle).toBe(true);
      expect((await readFile(path.join(ws, 'f'))).length).toBe(2 << 20);
    } finally {
      (fs as { write: unknown }).write = write;
      syncBuiltinESMExports();
      await handle.close();
    }
  });

  it('writes what it took, in order, whatever the size of the pieces', async () => {
    const ws = await tempDir();
    const { open } = await import('node:fs/promises');
    const handle = await open(path.join(ws, 'f'), 'w');
    const part = new PartFile(handle);
    const bytes = Buffer.alloc(5 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
    let offset = 0;
    for (const size of [1, 100, 65_536, 1 << 20, 3 << 20, 7]) {
      part.take(bytes.subarray(offset, offset + size));
      offset += size;
    }
    await part.flush();
    await handle.close();
    const written = await readFile(path.join(ws, 'f'));
    expect(written.equals(bytes.subarray(0, offset))).toBe(true);
    expect(sha(written)).toBe(part.hash.digest('hex'));
  });
});
