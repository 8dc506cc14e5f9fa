// fal through a proxy: every request of a training (history, storage, queue), the upload to the
// signed URL and the LoRA's download from the CDN, each through HTTPS_PROXY when the hosts are not
// loopback. The simulator serves https under `fal.test`, a name only the proxy resolves, with a
// certificate the action trusts through NODE_EXTRA_CA_CERTS; so a request that arrives at all
// came through the proxy.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelFile } from '../simulator/fal-simulator.js';
import { visible, workspace } from './helpers/e2e.js';
import { falDataset, falSimulator, runFal } from './helpers/fal.js';
import { startProxy, type LoopbackProxy } from './helpers/proxy.js';

const HOST = 'fal.test';
const CERT = path.join(import.meta.dirname, 'fixtures/tls/providers-cert.pem');
const KEY = path.join(import.meta.dirname, 'fixtures/tls/providers-key.pem');

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function proxy(): Promise<LoopbackProxy> {
  const started = await startProxy({
    hosts: { [HOST]: '127.0.0.1' },
    credentials: { user: 'ci', password: 'pr0xy-s3cret' },
  });
  stops.push(() => started.close());
  return started;
}

describe('fal through a proxy, end to end', () => {
  it('trains and downloads the LoRA with every request through HTTPS_PROXY', async () => {
    const sim = await falSimulator({
      tls: { key: await readFile(KEY), cert: await readFile(CERT) },
      hostName: HOST,
      modelBytes: 3_000_000,
    });
    const through = await proxy();
    const proxyUrl = through.url.replace('//', '//ci:pr0xy-s3cret@');
    const ws = await workspace(falDataset(5));
    const result = await runFal(
      sim,
      ws,
      {
        'wait-for': 'AVAILABLE',
        'poll-interval-seconds': '1',
        'download-model': 'lora.safetensors',
      },
      { env: { HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: CERT } },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const ports = [sim.url, sim.storageUrl, sim.cdnUrl].map((u) => new URL(u).port);
    // Each server was reached, and only ever by its name through a tunnel of the proxy.
    for (const port of ports) expect(through.seen).toContain(`CONNECT ${HOST}:${port}`);
    expect(through.seen.every((s) => s.startsWith(`CONNECT ${HOST}:`))).toBe(true);
    expect(sim.requests.filter((r) => r.server === 'cdn')).not.toHaveLength(0);
    for (const r of sim.requests) expect(r.headers.host).toMatch(new RegExp(`^${HOST}:`));
    // The LoRA arrived whole through the tunnel.
    const request = [...sim.queue.values()][0]!;
    const file = await readFile(path.join(ws, 'lora.safetensors'));
    expect(createHash('sha256').update(file).digest('hex')).toBe(
      modelFile(request.request_id, 3_000_000).sha256(),
    );
    expect(visible(result)).not.toContain('pr0xy-s3cret');
    expect(sim.keyLeaked).toBe(false);
  });
});
