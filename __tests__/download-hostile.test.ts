import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadFile, partFileName, type ModelSource } from '../src/transfer/download.js';
import { downloadPathProblem } from '../src/inputs.js';
import type { RetryPolicy } from '../src/http/retry.js';
import { byteAt, generated, sendGenerated, storageHost } from './helpers/storage-host.js';

// The download against storage hosts that misbehave on purpose (each one a way a host could stretch or poison a download):
// each case is rebuilt from a small generator and must end, within seconds, in a clear error or
// the right file, with nothing left behind.

const RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 5,
  maxTotalMs: 10_000,
  timeoutMs: 2000,
};

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hostile-ws-'));
  dirs.push(dir);
  return dir;
}

const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

function source(url: string, extra: Partial<ModelSource> = {}): ModelSource {
  return { provider: 'fal', refreshable: false, link: () => Promise.resolve({ url }), ...extra };
}

/** Every file and folder under `dir`, relative. */
async function everything(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('a storage host that sends without end', () => {
  it('stops at the size the provider gave, with a clear error, leaving nothing', async () => {
    let sent = 0;
    const host = await storageHost((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // Chunked, never ending: only the cap can stop it.
      const pump = (): void => {
        while (!res.destroyed) {
          sent += 65_536;
          if (!res.write(Buffer.alloc(65_536, 1))) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const ws = await workspace();
    await expect(
      downloadFile({
        source: source(host.url, { size: 100_000 }),
        workspace: ws,
        relative: 'models/m.safetensors',
        retry: RETRY,
      }),
    ).rejects.toThrow(/it sent more than the 100000 bytes fal said the model has/);
    expect(await everything(ws)).toEqual([]);
    // Refused for good: one request, and it was cut off soon after the cap.
    expect(host.seen).toHaveLength(1);
    expect(sent).toBeLessThan(20_000_000);
  });

  it('stops at the bound when the provider gives no size, and refuses an announced size over it at once', async () => {
    const host = await storageHost((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': String(10_000_000_000) });
        res.write(Buffer.alloc(1000));
        return;
      }
      res.writeHead(200);
      sendGenerated(res, 0, 50_000_000, byteAt);
    });
    const ws = await workspace();
    const options = { workspace: ws, relative: 'm.safetensors', retry: RETRY, maxBytes: 2_000_000 };
    await expect(downloadFile({ source: source(host.url), ...options })).rejects.toThrow(
      /it announced 10000000000 bytes, more than the 2000000 bytes a download may have when the provider does not say the size/,
    );
    await expect(downloadFile({ source: source(host.url), ...options })).rejects.toThrow(
      /it sent more than the 2000000 bytes/,
    );
    expect(host.seen).toHaveLength(2);
    expect(await everything(ws)).toEqual([]);
  });
});

describe('a storage host whose error answer has no end', () => {
  it('reads a bounded prefix of it for the message, on every attempt', async () => {
    const sent: number[] = [];
    const host = await storageHost((_req, res, n) => {
      res.writeHead(n < 3 ? 500 : 404, { 'content-type': 'application/xml' });
      sent.push(0);
      const piece = Buffer.from(`<Error><Code>Broken${n}</Code><Message>`.padEnd(65_536, 'x'));
      // Chunked, never ending: only the reader can stop it, by closing the connection.
      const pump = (): void => {
        while (!res.destroyed) {
          sent[n - 1]! += piece.length;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const ws = await workspace();
    const error = await downloadFile({
      source: source(host.url),
      workspace: ws,
      relative: 'm.safetensors',
      retry: { ...RETRY, attempts: 5 },
    }).catch((e: unknown) => e);
    // Two 5xx retried, then the 404 ends it, its message from the body's first bytes.
    expect(String(error)).toMatch(/answered HTTP 404: Broken3\n/);
    expect(host.seen).toHaveLength(3);
    // What the socket buffers on both sides hold (a few MB on loopback), not the endless body.
    for (const bytes of sent) expect(bytes).toBeLessThan(20_000_000);
    expect(await everything(ws)).toEqual([]);
  }, 15_000);
});

describe('resuming', () => {
  it('never splices a resume whose file size differs from the first answer', async () => {
    const FIRST = generated(1000);
    const host = await storageHost((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': '1000' });
        res.write(FIRST.subarray(0, 600), () => res.socket?.destroy());
      } else if (n === 2) {
        // Asked for bytes=600-: answers from a file of 100,000 bytes.
        res.writeHead(206, {
          'content-range': 'bytes 600-99999/100000',
          'content-length': '99400',
        });
        sendGenerated(res, 600, 100_000, byteAt);
      } else {
        expect(req.headers.range).toBeUndefined();
        res.writeHead(200, { 'content-length': '1000' });
        res.end(FIRST);
      }
    });
    const ws = await workspace();
    const result = await downloadFile({
      source: source(host.url),
      workspace: ws,
      relative: 'm.safetensors',
      retry: RETRY,
    });
    expect(result).toEqual({ path: 'm.safetensors', bytes: 1000, sha256: sha(FIRST) });
    expect(host.seen.map((r) => r.headers.range)).toEqual([undefined, 'bytes=600-', undefined]);
    expect(await everything(ws)).toEqual(['m.safetensors']);
  });

  it('sends the ETag in If-Range and starts over when the resumed answer has another', async () => {
    const FILE = generated(300_000);
    const host = await storageHost((req, res, n) => {
      const etag = n === 2 ? '"v2"' : '"v1"';
      if (n === 1) {
        res.writeHead(200, { 'content-length': '300000', etag });
        sendGenerated(res, 0, 300_000, byteAt, 100_000);
      } else if (n === 2) {
        const start = Number(/bytes=(\d+)-/.exec(String(req.headers.range))![1]);
        res.writeHead(206, {
          'content-range': `bytes ${start}-299999/300000`,
          'content-length': String(300_000 - start),
          etag,
        });
        sendGenerated(res, start, 300_000, byteAt);
      } else {
        res.writeHead(200, { 'content-length': '300000', etag });
        res.end(FILE);
      }
    });
    const ws = await workspace();
    const result = await downloadFile({
      source: source(host.url),
      workspace: ws,
      relative: 'm.safetensors',
      retry: RETRY,
    });
    expect(result.sha256).toBe(sha(FILE));
    expect(host.seen[1]!.headers['if-range']).toBe('"v1"');
    expect(host.seen[2]!.headers.range).toBeUndefined();
  });

  it('does not resume a file whose size the first answer did not say', async () => {
    const FILE = generated(200_000);
    const host = await storageHost((_req, res, n) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      if (n === 1) sendGenerated(res, 0, 200_000, byteAt, 70_000);
      else res.end(FILE);
    });
    const ws = await workspace();
    const result = await downloadFile({
      source: source(host.url),
      workspace: ws,
      relative: 'm.safetensors',
      retry: RETRY,
    });
    expect(result.sha256).toBe(sha(FILE));
    expect(host.seen.map((r) => r.headers.range)).toEqual([undefined, undefined]);
  });
});

describe('a body the closing connection ends', () => {
  // No Content-Length, no chunked framing: HTTP/1.0 style. A cut looks exactly the same.
  const closeDelimited = (body: Buffer) =>
    storageHost((req, res) => {
      res.socket!.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n');
      res.socket!.end(body);
    });

  it('is never taken as complete when the size is not known', async () => {
    const host = await closeDelimited(generated(50_000));
    const ws = await workspace();
    await expect(
      downloadFile({
        source: source(host.url),
        workspace: ws,
        relative: 'm.safetensors',
        retry: RETRY,
      }),
    ).rejects.toThrow(
      /sent 50000 bytes without saying how many were due, then closed the connection.*gave up after 3 attempts/,
    );
    expect(await everything(ws)).toEqual([]);
  });

  it('is complete when it has the size the provider gave, and not when it is shorter', async () => {
    const FILE = generated(50_000);
    const host = await closeDelimited(FILE);
    const ws = await workspace();
    const result = await downloadFile({
      source: source(host.url, { size: 50_000 }),
      workspace: ws,
      relative: 'm.safetensors',
      retry: RETRY,
    });
    expect(result.sha256).toBe(sha(FILE));
    await expect(
      downloadFile({
        source: source(host.url, { size: 60_000 }),
        workspace: ws,
        relative: 'n.safetensors',
        retry: RETRY,
      }),
    ).rejects.toThrow(/sent 50000 bytes without saying how many were due/);
    expect(await everything(ws)).toEqual(['m.safetensors']);
  });
});

describe('the link’s headers', () => {
  it('go to the link’s origin only: a redirect to another host is not followed', async () => {
    const other = await storageHost((_req, res) => {
      res.writeHead(200, { 'content-length': '3' });
      res.end('bad');
    });
    const host = await storageHost((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/elsewhere` });
      res.end();
    });
    const ws = await workspace();
    const error = await downloadFile({
      source: {
        provider: 'Replicate',
        refreshable: false,
        link: () =>
          Promise.resolve({ url: host.url, headers: { Authorization: 'Bearer r8_secret' } }),
      },
      workspace: ws,
      relative: 'm.safetensors',
      retry: RETRY,
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/answered HTTP 302/);
    expect(String((error as { hint?: string }).hint)).toMatch(/redirect, which is not followed/);
    expect(host.seen[0]!.headers.authorization).toBe('Bearer r8_secret');
    expect(other.seen).toEqual([]);
    expect(await everything(ws)).toEqual([]);
  });
});

describe('where the file may land', () => {
  it.each([
    ['models', '.git/hooks', /leads into `\.git`/],
    ['models', '.github/workflows', /leads into `\.github`/],
    ['deep/er', '../.git', /leads into `\.git`/],
  ])(
    'refuses %s -> %s, a link a pull request could add, before any request',
    async (name, target, message) => {
      const ws = await workspace();
      await mkdir(path.join(ws, '.git', 'hooks'), { recursive: true });
      await mkdir(path.join(ws, '.github', 'workflows'), { recursive: true });
      await mkdir(path.dirname(path.join(ws, name)), { recursive: true });
      await symlink(target, path.join(ws, name));
      const host = await storageHost((_req, res) => res.end('x'));
      await expect(
        downloadFile({
          source: source(host.url),
          workspace: ws,
          relative: `${name}/pre-commit`,
          retry: RETRY,
        }),
      ).rejects.toThrow(message);
      expect(host.seen).toEqual([]);
      expect(await readdir(path.join(ws, '.git', 'hooks'))).toEqual([]);
      expect(await readdir(path.join(ws, '.github', 'workflows'))).toEqual([]);
    },
  );

  it('says a name is too long as an input error, and keeps part names within the limit', async () => {
    expect(downloadPathProblem(`models/${'a'.repeat(250)}.safetensors`)).toMatch(
      /the name "a+…a+\.safetensors" is 262 bytes long, more than the 255 a file system allows/,
    );
    expect(downloadPathProblem(`${'é'.repeat(130)}`)).toMatch(/260 bytes long/);
    expect(downloadPathProblem(`models/${'a'.repeat(243)}.safetensors`)).toBeUndefined();
    const part = path.basename(partFileName(`/w/models/${'a'.repeat(243)}.safetensors`));
    expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
    expect(part).toMatch(/^\.a+\.[0-9a-f]{12}\.part$/);

    const FILE = generated(5000);
    const host = await storageHost((_req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.end(FILE);
    });
    const ws = await workspace();
    const name = `${'a'.repeat(243)}.safetensors`;
    const result = await downloadFile({
      source: source(host.url),
      workspace: ws,
      relative: name,
      retry: RETRY,
    });
    expect(result.bytes).toBe(5000);
    expect((await readFile(path.join(ws, name))).equals(FILE)).toBe(true);
  });
});
