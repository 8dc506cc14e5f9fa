import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tar from 'tar';
import { expect, it, vi } from 'vitest';
import { downloadFile, type ModelSource } from '../src/transfer/download.js';
import type { RetryPolicy } from '../src/http/retry.js';
import { generated, storageHost } from './helpers/storage-host.js';
import { tempDir } from './helpers/temp.js';

// Its own file: vitest gives each file a fresh module graph, so nothing else has loaded the tar
// reader. tar-stream is for Replicate's weights only; every other download starts without it.
const loads = vi.hoisted(() => ({ tarModel: 0 }));
vi.mock('../src/transfer/tar-model.js', async (importOriginal) => {
  loads.tarModel++;
  return importOriginal();
});

const RETRY: RetryPolicy = {
  attempts: 1,
  baseDelayMs: 1,
  maxDelayMs: 1,
  maxTotalMs: 10_000,
  timeoutMs: 2000,
};

const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

async function fetch(body: Buffer, tarred: boolean) {
  const host = await storageHost((_req, res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    res.end(body);
  });
  const source: ModelSource = {
    provider: tarred ? 'Replicate' : 'fal',
    refreshable: false,
    tar: tarred,
    link: () => Promise.resolve({ url: host.url, headers: {} }),
  };
  return downloadFile({
    source,
    workspace: await tempDir('lazy-ws-'),
    relative: 'lora.safetensors',
    retry: RETRY,
  });
}

it('loads the tar reader only for a model that comes as a tar', async () => {
  const weights = generated(300_000);
  expect(await fetch(weights, false)).toMatchObject({ sha256: sha(weights) });
  expect(loads.tarModel).toBe(0);

  const src = await tempDir('lazy-tar-src-');
  await writeFile(path.join(src, 'lora.safetensors'), weights);
  const archive = path.join(src, 'out.tar');
  await tar.create({ cwd: src, file: archive, portable: true }, ['lora.safetensors']);
  expect(await fetch(await readFile(archive), true)).toMatchObject({ sha256: sha(weights) });
  expect(loads.tarModel).toBe(1);
});
