import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator/segmind-simulator.js';
import {
  API_KEY,
  apiRequests,
  failureOf,
  run as runPlain,
  sampleDataset,
  simulator as plainSimulator,
  visible,
  workspace,
} from './helpers/e2e.js';
import { hostsFile, startProxy, type LoopbackProxy } from './helpers/proxy.js';

// How @actions/http-client decides (node_modules/@actions/http-client/lib/proxy.js): HTTPS_PROXY
// for https URLs, HTTP_PROXY for http ones (lower case first), unless NO_PROXY lists the host
// (exactly, as a domain suffix, with or without the port, or `*`). Loopback names (localhost,
// 127.*, [::1]) always go direct, whatever the variables say: so the action is pointed at
// `segmind.test`, a name only the proxy can resolve (to the simulator). A request that reaches the
// simulator under that name came through the proxy, or (in the NO_PROXY tests) straight from a
// process that resolves the name itself, like a hosts-file entry would.
//
// The action refuses plain http to a host that is not loopback (the key would travel in clear),
// so the simulator's API serves https here, with a certificate for segmind.test that the action
// trusts through NODE_EXTRA_CA_CERTS; HTTPS_PROXY is the variable that counts. The storage host's
// pre-signed URL is on 127.0.0.1, a loopback address, so the upload goes direct in every test (and
// is checked to).

const HOST = 'segmind.test';
const CERT = path.join(import.meta.dirname, 'fixtures/tls/proxy-cert.pem');
const KEY = path.join(import.meta.dirname, 'fixtures/tls/proxy-key.pem');

async function simulator(): Promise<Simulator> {
  return plainSimulator({
    tls: { key: await readFile(KEY), cert: await readFile(CERT) },
    apiTls: true,
  });
}

/** Runs the action trusting the simulator's certificate. */
const run: typeof runPlain = (sim, ws, inputs, extra = {}) =>
  runPlain(sim, ws, inputs, { ...extra, env: { NODE_EXTRA_CA_CERTS: CERT, ...extra.env } });

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function proxy(options: Parameters<typeof startProxy>[0] = {}): Promise<LoopbackProxy> {
  const started = await startProxy({ hosts: { [HOST]: '127.0.0.1' }, ...options });
  stops.push(() => started.close());
  return started;
}

function apiUrlOf(sim: Simulator): string {
  return `https://${HOST}:${new URL(sim.url).port}`;
}

describe('proxies, end to end', () => {
  it('sends every Segmind request through HTTPS_PROXY/HTTP_PROXY, with its credentials, never printing them', async () => {
    const sim = await simulator();
    const through = await proxy({ credentials: { user: 'ci', password: 'pr0xy-s3cret' } });
    const proxyUrl = through.url.replace('//', '//ci:pr0xy-s3cret@');
    const result = await run(
      sim,
      await workspace(sampleDataset()),
      {
        'api-url': apiUrlOf(sim),
        'wait-for': 'TRAINING_COMPLETED',
        'poll-interval-seconds': '1',
      },
      { env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl } },
    );
    expect(result.code, result.stdout).toBe(0);
    expect(sim.jobs.size).toBe(1);

    const api = sim.requests.filter((r) => r.server === 'api');
    expect(apiRequests(sim)).toEqual([
      'GET /finetune/request/list',
      'GET /finetune/request/upload/pre-signed-url',
      'POST /finetune/request/submit',
      'GET /finetune/request/details',
      'GET /finetune/request/details',
      'GET /finetune/request/details',
    ]);
    // One tunnel a request (the client does not keep connections alive), each authenticated.
    const port = new URL(sim.url).port;
    expect(through.seen).toEqual(api.map(() => `CONNECT ${HOST}:${port}`));
    expect(new Set(through.authorizations)).toEqual(
      new Set([`Basic ${Buffer.from('ci:pr0xy-s3cret').toString('base64')}`]),
    );
    for (const r of api) {
      expect(r.headers.host).toBe(`${HOST}:${port}`);
      expect(r.headers['x-api-key']).toBe(API_KEY);
      expect(r.headers['proxy-authorization']).toBeUndefined();
    }
    // The upload goes to a loopback address, which the client never proxies.
    expect(sim.requests.filter((r) => r.server === 'storage')).toHaveLength(1);
    expect(through.seen.some((s) => s.includes(new URL(sim.storageUrl).port))).toBe(false);

    // Said once, without the password, which is masked.
    expect(visible(result)).toContain(
      `Requests to ${HOST}:${port} go through the proxy ${through.url} (HTTPS_PROXY; list ${HOST}:${port} in NO_PROXY to bypass it).`,
    );
    expect(result.stdout).toContain('::add-mask::pr0xy-s3cret');
    expect(visible(result)).not.toContain('pr0xy-s3cret');
    expect(result.summary).not.toContain('pr0xy-s3cret');
  });

  it.each([
    ['the host', HOST],
    ['a domain suffix', '.test'],
    ['host and port, among others', 'localhost,SEGMIND.TEST:{port}'],
  ])('bypasses the proxy for a host NO_PROXY lists (%s)', async (_what, noProxy) => {
    const sim = await simulator();
    const through = await proxy();
    const hosts = await hostsFile([HOST]);
    stops.push(hosts.remove);
    const result = await run(
      sim,
      await workspace(),
      { 'api-url': apiUrlOf(sim), command: 'list' },
      {
        env: {
          HTTPS_PROXY: through.url,
          HTTP_PROXY: through.url,
          NO_PROXY: noProxy.replace('{port}', new URL(sim.url).port),
          NODE_OPTIONS: `--import=${hosts.file}`,
        },
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(apiRequests(sim)).toEqual(['GET /finetune/request/list']);
    expect(through.seen).toEqual([]);
    expect(result.stdout).not.toMatch(/go through the proxy/);
  });

  it('uses the proxy when NO_PROXY lists only other hosts (the bypass test’s control)', async () => {
    const sim = await simulator();
    const through = await proxy();
    const hosts = await hostsFile([HOST]);
    stops.push(hosts.remove);
    const result = await run(
      sim,
      await workspace(),
      { 'api-url': apiUrlOf(sim), command: 'list' },
      {
        env: {
          HTTPS_PROXY: through.url,
          NO_PROXY: 'api.segmind.com,segmind.test.example',
          NODE_OPTIONS: `--import=${hosts.file}`,
        },
      },
    );
    expect(result.code, result.stdout).toBe(0);
    expect(through.seen).toEqual([`CONNECT ${HOST}:${new URL(sim.url).port}`]);
  });

  it('fails after bounded attempts naming the proxy when it is down', async () => {
    const sim = await simulator();
    const down = await proxy();
    await down.close();
    const result = await run(
      sim,
      await workspace(),
      { 'api-url': apiUrlOf(sim), command: 'list' },
      { env: { HTTPS_PROXY: down.url } },
    );
    expect(result.code).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(failureOf(result)).toMatch(
      new RegExp(
        `Segmind GET /finetune/request/list failed: .*\\(no answer from ${HOST}:\\d+ through the proxy ${down.url.replace(/\./g, '\\.')}\\) \\(gave up after 5 attempts\\)\\nNo answer came through the proxy`,
      ),
    );
  });

  it('says what to do when the proxy wants credentials it was not given', async () => {
    const sim = await simulator();
    const strict = await proxy({ credentials: { user: 'ci', password: 'x' } });
    const result = await run(
      sim,
      await workspace(),
      { 'api-url': apiUrlOf(sim), command: 'list' },
      { env: { HTTPS_PROXY: strict.url } },
    );
    expect(result.code).toBe(1);
    expect(sim.requests).toEqual([]);
    // A refusal is not retried: the same request would be refused again.
    expect(strict.seen).toHaveLength(1);
    expect(failureOf(result)).toMatch(
      new RegExp(
        `Segmind GET /finetune/request/list failed: the proxy ${strict.url.replace(/\./g, '\\.')} refused to connect to ${HOST}:\\d+ \\(HTTP 407\\)\\nThe proxy wants credentials: put them in the proxy URL`,
      ),
    );
  });

  it('leaves when it is done, though a proxy never answered its CONNECT and holds the socket', async () => {
    // Accepts every connection and says nothing: the toolkit's tunnel has no timeout of its own.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => {
      held.push(socket);
      socket.on('error', () => undefined);
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    stops.push(async () => {
      for (const socket of held) socket.destroy();
      silent.close();
      await once(silent, 'close');
    });
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const result = await run(
      undefined,
      await workspace(),
      { 'api-url': `https://${HOST}:1`, 'api-key': API_KEY, command: 'list' },
      { env: { HTTPS_PROXY: url, SEGMIND_ACTION_TIMEOUT_MS: '300' } },
    );
    // It failed (no answer), said so, and exited while the proxy still held every socket.
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/no answer/i);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((socket) => !socket.destroyed)).toBe(true);
  });
});
