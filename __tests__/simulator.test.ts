import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inspectZip,
  modelFile,
  startSimulator,
  type EndpointKey,
  type MalformedKind,
  type Simulator,
  type SimulatorOptions,
} from '../simulator/segmind-simulator.js';

const KEY = 'sim-key';
const SIMULATOR_JS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'simulator',
  'segmind-simulator.js',
);

// A self-signed certificate for 127.0.0.1, valid 2000-2100, used only by these tests.
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2xrSSdeSxhH+pOX/
wAHRKEi4w8gjs7MSCPquWQrsHIahRANCAASu42ZSLHOTOInt2UA3/VY8HotaXGrY
SR508iRbGroM+uNRKZuRpnkzHgheGKU1jxBm/UWCVk6cdxjSt+Bypuai
-----END PRIVATE KEY-----
`;
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU2gAwIBAgIBATAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhzaW11bGF0
b3IgdGVzdCAxMjcuMC4wLjEwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAw
MDBaMCMxITAfBgNVBAMMGHNpbXVsYXRvciB0ZXN0IDEyNy4wLjAuMTBZMBMGByqG
SM49AgEGCCqGSM49AwEHA0IABK7jZlIsc5M4ie3ZQDf9Vjwei1pcathJHnTyJFsa
ugz641Epm5GmeTMeCF4YpTWPEGb9RYJWTpx3GNK34HKm5qKjcDBuMA8GA1UdEwEB
/wQFMAMBAf8wGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MAsGA1UdDwQEAwIC
hDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQUD/oGlhsaT2KJa8DFSuy2
9MQx/2wwCgYIKoZIzj0EAwIDSQAwRgIhAOqhAaYepJD9QlmBeJ5QZ1sIixu8LutW
egwmZ63nzwAoAiEA8WyaVrbbu/yrhKCgRKdXIFqNULTQgZnHLtopy7cHP9A=
-----END CERTIFICATE-----
`;

// ---------------------------------------------------------------------------------------------
// HTTP and ZIP helpers
// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: () => any;
}

interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
  ca?: string;
  agent?: http.Agent;
}

/** node:http, not fetch: two documented GET endpoints carry a body, which fetch refuses. */
function call(url: string, opts: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...opts.headers };
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    if (body && !opts.chunked) headers['content-length'] = String(body.length);
    const req = lib.request(
      target,
      { method: opts.method ?? 'GET', headers, ca: opts.ca, agent: opts.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: buf,
            text: buf.toString('utf8'),
            json: () => JSON.parse(buf.toString('utf8')),
          });
        });
      },
    );
    req.on('error', reject);
    if (body && opts.chunked) {
      req.write(body.subarray(0, 10));
      req.write(body.subarray(10));
      req.end();
    } else {
      req.end(body);
    }
  });
}

function api(sim: Simulator, method: string, route: string, body?: unknown, key = KEY) {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return call(`${sim.url}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * A request whose answer may be cut short: resolves (never rejects on a cut) with what arrived,
 * what Content-Length promised and whether the body ended.
 */
function partial(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; promised?: number; received: number; ended: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    const data =
      body === undefined
        ? undefined
        : Buffer.isBuffer(body)
          ? body
          : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        headers: {
          // Storage must never see the API key.
          ...(method === 'PUT' ? {} : { 'x-api-key': KEY }),
          ...(data
            ? { 'content-type': 'application/json', 'content-length': String(data.length) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let ended = false;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (ended = true));
        res.on('error', () => undefined);
        res.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const length = res.headers['content-length'];
          resolve({
            status: res.statusCode ?? 0,
            promised: length === undefined ? undefined : Number(length),
            received: Buffer.byteLength(text),
            ended,
            text,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const details = (sim: Simulator, id: string) =>
  api(sim, 'GET', '/finetune/request/details', { request_id: id });

/**
 * A hand-written request: node:http never sends a PUT with neither Content-Length nor
 * Transfer-Encoding, nor headers that promise a body it does not send. Resolves once a whole
 * answer (by its Content-Length) has arrived, then hangs up.
 */
function rawRequest(url: string, head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const socket = net.connect(Number(target.port), target.hostname, () => {
      socket.write(`${head}\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`);
    });
    let received = Buffer.alloc(0);
    const finish = () => {
      const text = received.toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), text });
      socket.destroy();
    };
    socket.on('data', (c: Buffer) => {
      received = Buffer.concat([received, c]);
      const headEnd = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(received.toString('latin1'));
      if (headEnd >= 0 && length && received.length >= headEnd + 4 + Number(length[1])) finish();
    });
    socket.on('error', reject);
    socket.on('end', finish);
  });
}

interface ZipInput {
  name: string;
  data: Buffer;
  deflate?: boolean;
  badCrc?: boolean;
}

/** A tiny ZIP writer (stored or deflated entries), so the tests need no archive library. */
function buildZip(entries: ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const payload = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const crc = (zlib.crc32(e.data) ^ (e.badCrc ? 1 : 0)) >>> 0;
    const method = e.deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(payload.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, payload);
    centrals.push(central, name);
    offset += 30 + name.length + payload.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
  'hex',
);
const GOOD_ZIP = buildZip([
  { name: 'a.png', data: PNG },
  { name: 'a.txt', data: Buffer.from('photo of TOK, smiling '.repeat(5)), deflate: true },
]);

async function presign(sim: Simulator, name = 'job.zip') {
  const res = await api(sim, 'GET', '/finetune/request/upload/pre-signed-url', { name });
  expect(res.status).toBe(200);
  return res.json() as { presigned_url: string; s3_url: string };
}

function put(url: string, body: Buffer, headers: Record<string, string> = {}, chunked = false) {
  return call(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/zip', ...headers },
    body,
    chunked,
  });
}

async function uploadedUrl(sim: Simulator, zip = GOOD_ZIP) {
  const { presigned_url, s3_url } = await presign(sim);
  const res = await put(presigned_url, zip);
  expect(res.status).toBe(200);
  return s3_url;
}

function submitBody(dataSourcePath: string) {
  return {
    name: 'fluxprotest',
    data_source_path: dataSourcePath,
    instance_prompt: 'photo of TOK',
    trigger_word: 'TOK',
    base_model: 'FLUX_PRO',
    theme: 'GENERAL',
    segmind_public: false,
    advance_parameters: {
      iterations: 300,
      captioning: true,
      priority: 'QUALITY',
      finetune_type: 'FULL',
      lora_rank: 32,
      learning_rate: 0.00001,
    },
  };
}

async function submitted(sim: Simulator, name = 'fluxprotest') {
  const res = await api(sim, 'POST', '/finetune/request/submit', {
    ...submitBody(await uploadedUrl(sim)),
    name,
  });
  expect(res.status).toBe(200);
  return res.json().finetune_id as string;
}

function multipart(fields: Record<string, string>, boundary = 'sim-boundary-123') {
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

function accessUpdate(sim: Simulator, fields: Record<string, string>) {
  const form = multipart(fields);
  return call(`${sim.url}/finetune/request/access-update`, {
    method: 'PUT',
    headers: { 'x-api-key': KEY, 'content-type': form.type },
    body: form.body,
  });
}

async function withSim<T>(options: SimulatorOptions, fn: (sim: Simulator) => Promise<T>) {
  const sim = await startSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe('authentication and routing', () => {
  const endpoints: [string, string][] = [
    ['POST', '/finetune/request/submit'],
    ['GET', '/finetune/request/details'],
    ['GET', '/finetune/request/list'],
    ['GET', '/finetune/request/upload/pre-signed-url'],
    ['PUT', '/finetune/request/access-update'],
    ['GET', '/finetune/request/file/download'],
  ];

  it.each(endpoints)('%s %s without or with a wrong x-api-key is 401', async (method, route) => {
    for (const key of ['', 'wrong-key']) {
      const res = await api(sim, method, route, undefined, key);
      expect(res.status).toBe(401);
      expect(res.json().message).toMatch(/Unauthorized/);
    }
  });

  it('answers 404 JSON for unknown paths and for known paths with the wrong method', async () => {
    const unknown = await api(sim, 'GET', '/finetune/request/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json().message).toMatch(/Not Found/);
    expect((await api(sim, 'POST', '/finetune/request/list')).status).toBe(404);
    expect((await api(sim, 'GET', '/finetune/request/submit')).status).toBe(404);
  });

  it('answers 413 to an API body over 1 MB', async () => {
    const res = await api(sim, 'POST', '/finetune/request/submit', 'x'.repeat(1_100_000));
    expect(res.status).toBe(413);
  });
});

describe('submit', () => {
  let s3Url: string;
  beforeAll(async () => {
    s3Url = await uploadedUrl(sim);
  });

  it('accepts the documented body and stores it on the job', async () => {
    const body = submitBody(s3Url);
    const res = await api(sim, 'POST', '/finetune/request/submit', body);
    expect(res.status).toBe(200);
    const answer = res.json();
    expect(answer).toEqual({
      status: 'REQUESTED',
      finetune_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'fluxprotest',
    });
    const job = sim.jobs.get(answer.finetune_id);
    expect(job?.submitted).toEqual(body);
    expect(job?.status).toBe('REQUESTED');
    expect(job?.source_type).toBe('AWS_S3');
    expect(job?.id).not.toBe(answer.finetune_id);
  });

  it('accepts charset parameters on the JSON content type', async () => {
    const res = await call(`${sim.url}/finetune/request/submit`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(submitBody(s3Url)),
    });
    expect(res.status).toBe(200);
  });

  it('answers with request_id instead when configured so', async () => {
    await withSim({ submitIdField: 'request_id' }, async (s) => {
      const res = await api(
        s,
        'POST',
        '/finetune/request/submit',
        submitBody(await uploadedUrl(s)),
      );
      const answer = res.json();
      expect(Object.keys(answer).sort()).toEqual(['name', 'request_id', 'status']);
      expect(s.jobs.has(answer.request_id)).toBe(true);
    });
  });

  it('answers 415 to a body that is not application/json', async () => {
    const res = await call(`${sim.url}/finetune/request/submit`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'text/plain' },
      body: JSON.stringify(submitBody(s3Url)),
    });
    expect(res.status).toBe(415);
  });

  it.each([
    ['empty body', ''],
    ['invalid JSON', '{"name":'],
    ['an array', '[]'],
    ['null', 'null'],
  ])('answers 400 to %s', async (_label, raw) => {
    const res = await api(sim, 'POST', '/finetune/request/submit', raw);
    expect(res.status).toBe(400);
    expect(typeof res.json().message).toBe('string');
  });

  type Body = ReturnType<typeof submitBody> & Record<string, unknown>;
  const cases: [string, (b: Body) => void, RegExp][] = [
    ['missing name', (b) => delete (b as Partial<Body>).name, /'name' is required/],
    ['empty name', (b) => (b.name = '  '), /'name'/],
    ['numeric name', (b) => Object.assign(b, { name: 5 }), /'name'/],
    [
      'missing data_source_path',
      (b) => delete (b as Partial<Body>).data_source_path,
      /data_source_path/,
    ],
    ['numeric instance_prompt', (b) => Object.assign(b, { instance_prompt: 1 }), /instance_prompt/],
    ['missing trigger_word', (b) => delete (b as Partial<Body>).trigger_word, /trigger_word/],
    ['another base_model', (b) => (b.base_model = 'FLUX_DEV'), /base_model/],
    ['a lower-case theme', (b) => (b.theme = 'general'), /theme/],
    [
      'segmind_public as a string',
      (b) => Object.assign(b, { segmind_public: 'false' }),
      /segmind_public/,
    ],
    ['an unknown top-level field', (b) => (b.webhook = 'x'), /Unknown field 'webhook'/],
    [
      'missing advance_parameters',
      (b) => delete (b as Partial<Body>).advance_parameters,
      /advance_parameters/,
    ],
    [
      'advance_parameters as an array',
      (b) => Object.assign(b, { advance_parameters: [] }),
      /advance_parameters/,
    ],
    ['iterations below 100', (b) => (b.advance_parameters.iterations = 99), /iterations/],
    ['fractional iterations', (b) => (b.advance_parameters.iterations = 150.5), /iterations/],
    [
      'iterations as a string',
      (b) => Object.assign(b.advance_parameters, { iterations: '300' }),
      /iterations/,
    ],
    [
      'captioning as a string',
      (b) => Object.assign(b.advance_parameters, { captioning: 'true' }),
      /captioning/,
    ],
    ['an unknown priority', (b) => (b.advance_parameters.priority = 'FAST'), /priority/],
    [
      'an unknown finetune_type',
      (b) => (b.advance_parameters.finetune_type = 'lora'),
      /finetune_type/,
    ],
    ['lora_rank 8', (b) => (b.advance_parameters.lora_rank = 8), /lora_rank/],
    [
      'lora_rank as a string',
      (b) => Object.assign(b.advance_parameters, { lora_rank: '32' }),
      /lora_rank/,
    ],
    ['learning_rate 0', (b) => (b.advance_parameters.learning_rate = 0), /learning_rate/],
    [
      'learning_rate as a string',
      (b) => Object.assign(b.advance_parameters, { learning_rate: '1e-5' }),
      /learning_rate/,
    ],
    [
      'a missing advance field',
      (b) => delete (b.advance_parameters as Partial<Body['advance_parameters']>).captioning,
      /advance_parameters.captioning' is required/,
    ],
    [
      'an unknown advance field',
      (b) => Object.assign(b.advance_parameters, { steps: 10 }),
      /Unknown field 'advance_parameters.steps'/,
    ],
    [
      'a made-up data_source_path',
      (b) => (b.data_source_path = 'https://example.com/x.zip'),
      /data_source_path .* not found/,
    ],
  ];

  it.each(cases)('answers 400 naming the field for %s', async (_label, mutate, message) => {
    const body = structuredClone(submitBody(s3Url)) as Body;
    mutate(body);
    const before = sim.jobs.size;
    const res = await api(sim, 'POST', '/finetune/request/submit', body);
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(message);
    expect(sim.jobs.size).toBe(before);
  });

  it('refuses an s3_url that was issued but never uploaded to', async () => {
    const { s3_url } = await presign(sim);
    const res = await api(sim, 'POST', '/finetune/request/submit', submitBody(s3_url));
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(/data_source_path .* not found/);
  });

  it('accepts a registered public ZIP only when its HEAD answers 200 with a length', async () => {
    const ok = sim.addPublicFile('/data/ok.zip', GOOD_ZIP);
    const res = await api(sim, 'POST', '/finetune/request/submit', submitBody(ok));
    expect(res.status).toBe(200);
    expect(sim.jobs.get(res.json().finetune_id)?.source_type).toBe('PUBLIC_URL');

    const noLength = sim.addPublicFile('/data/nolen.zip', GOOD_ZIP, { omitContentLength: true });
    const forbidden = sim.addPublicFile('/data/forbidden.zip', GOOD_ZIP, { headStatus: 403 });
    for (const url of [noLength, forbidden]) {
      const bad = await api(sim, 'POST', '/finetune/request/submit', submitBody(url));
      expect(bad.status).toBe(400);
      expect(bad.json().message).toMatch(/not accessible/);
    }
  });
});

describe('details and the status walk', () => {
  it.each([
    ['no body', undefined],
    ['invalid JSON', '{'],
    ['no request_id', {}],
    ['a numeric request_id', { request_id: 7 }],
  ])('answers 400 to %s', async (_label, body) => {
    const res = await api(sim, 'GET', '/finetune/request/details', body);
    expect(res.status).toBe(400);
  });

  it.each(['/finetune/request/details', '/finetune/request/upload/pre-signed-url'])(
    'answers 415 to a JSON body on %s sent without its Content-Type',
    async (route) => {
      const res = await call(`${sim.url}${route}`, {
        method: 'GET',
        headers: { 'x-api-key': KEY, 'content-type': 'text/plain' },
        body: JSON.stringify({ request_id: 'x', name: 'a.zip' }),
      });
      expect(res.status).toBe(415);
    },
  );

  it('answers 404 to an unknown id', async () => {
    const res = await details(sim, '00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'Finetune request not found' });
  });

  it('walks one status per poll and sets the model URL from TRAINING_COMPLETED on', async () => {
    const id = await submitted(sim, 'walk-test');
    const seen: { status: string; url: string | null; slug: string | null }[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await details(sim, id);
      expect(res.status).toBe(200);
      const f = res.json().finetune;
      seen.push({ status: f.status, url: f.cloud_storage_url, slug: f.slug });
    }
    expect(seen.map((s) => s.status)).toEqual([
      'DATA_PROCESSING',
      'TRAINING_INITIATED',
      'TRAINING_COMPLETED',
      'INFERENCE_QUEUED',
      'AVAILABLE',
      'AVAILABLE',
    ]);
    expect(seen[1]?.url).toBeNull();
    expect(seen[2]?.url).toMatch(new RegExp(`^${sim.storageUrl}/.*\\.safetensors$`));
    expect(seen[2]?.slug).toMatch(/^walk-test-/);
    expect(sim.jobs.get(id)?.detailsCalls).toBe(6);
  });

  it('answers the documented record shape', async () => {
    const id = await submitted(sim);
    const f = (await details(sim, id)).json().finetune;
    expect(Object.keys(f).sort()).toEqual(
      [
        'id',
        'finetune_id',
        'name',
        'data_source_path',
        'instance_prompt',
        'status',
        'source_type',
        'base_model',
        'slug',
        'public_model',
        'error_message',
        'cloud_storage_url',
        'created_ts',
        'updated_ts',
      ].sort(),
    );
    expect(f).toMatchObject({
      finetune_id: id,
      base_model: 'FLUX_PRO',
      public_model: false,
      error_message: null,
      created_ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it('keeps a job in each status for pollsPerStatus polls', async () => {
    await withSim({ pollsPerStatus: 2 }, async (s) => {
      const id = await submitted(s);
      const statuses: string[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await details(s, id)).json().finetune.status);
      expect(statuses).toEqual([
        'REQUESTED',
        'DATA_PROCESSING',
        'DATA_PROCESSING',
        'TRAINING_INITIATED',
      ]);
    });
  });

  async function walk(s: Simulator, polls: number) {
    const id = await submitted(s);
    const out: { status: string; error: string | null }[] = [];
    for (let i = 0; i < polls; i++) {
      const f = (await details(s, id)).json().finetune;
      out.push({ status: f.status, error: f.error_message });
    }
    return out;
  }

  it('applies job behaviours to jobs submitted afterwards', async () => {
    await withSim({}, async (s) => {
      s.setJobBehaviour({ neverFinish: true });
      expect((await walk(s, 5)).map((x) => x.status).slice(-3)).toEqual([
        'TRAINING_INITIATED',
        'TRAINING_INITIATED',
        'TRAINING_INITIATED',
      ]);

      s.setJobBehaviour({ errorMessage: 'Not enough images' });
      const errored = await walk(s, 4);
      expect(errored[1]).toEqual({ status: 'TRAINING_INITIATED', error: 'Not enough images' });
      expect(errored[3]).toEqual({ status: 'TRAINING_INITIATED', error: 'Not enough images' });

      s.setJobBehaviour({ errorMessage: 'bad data', errorAtStatus: 'DATA_PROCESSING' });
      expect((await walk(s, 2))[0]).toEqual({ status: 'DATA_PROCESSING', error: 'bad data' });

      s.setJobBehaviour({ failStatus: 'FAILED', errorMessage: 'GPU on fire' });
      expect((await walk(s, 3)).map((x) => `${x.status}:${x.error}`)).toEqual([
        'DATA_PROCESSING:null',
        'FAILED:GPU on fire',
        'FAILED:GPU on fire',
      ]);

      s.setJobBehaviour({ unknownStatuses: ['QUEUED_FOR_GPU'] });
      expect((await walk(s, 3)).map((x) => x.status)).toEqual([
        'DATA_PROCESSING',
        'QUEUED_FOR_GPU',
        'TRAINING_INITIATED',
      ]);

      s.setJobBehaviour({});
      expect((await walk(s, 5)).at(-1)?.status).toBe('AVAILABLE');
    });
  });

  it('lets tests seed jobs with addJob', async () => {
    const job = sim.addJob({ name: 'seeded' });
    expect(job.status).toBe('AVAILABLE');
    expect(job.cloud_storage_url).toMatch(/\.safetensors$/);
    const running = sim.addJob({ name: 'seeded-running', status: 'TRAINING_INITIATED' });
    expect((await details(sim, running.finetune_id)).json().finetune.status).toBe(
      'TRAINING_COMPLETED',
    );
    const failed = sim.addJob({ name: 'seeded-failed', status: 'FAILED', error_message: 'x' });
    expect((await details(sim, failed.finetune_id)).json().finetune.status).toBe('FAILED');
  });
});

describe('list', () => {
  it('answers every job in the documented list shape without advancing any', async () => {
    await withSim({}, async (s) => {
      const id = await submitted(s, 'listed');
      s.addJob({ name: 'older' });
      const res = await api(s, 'GET', '/finetune/request/list');
      expect(res.status).toBe(200);
      const list = res.json();
      expect(Array.isArray(list)).toBe(true);
      expect(list).toHaveLength(2);
      const entry = list.find((e: { finetune_id: string }) => e.finetune_id === id);
      expect(Object.keys(entry).sort()).toEqual(
        [
          'id',
          'data_source_path',
          'name',
          'status',
          'error_message',
          'segmind_model_path',
          'advance_parameters',
          'segmind_public_model',
          'train_type',
          'source_type',
          'base_model',
          'theme',
          'cloud_storage_url',
          'finetune_id',
          'model_information',
        ].sort(),
      );
      expect(entry).toMatchObject({ name: 'listed', status: 'REQUESTED', train_type: 'FULL' });
      await api(s, 'GET', '/finetune/request/list');
      expect(s.jobs.get(id)?.status).toBe('REQUESTED');
    });
  });
});

describe('pre-signed upload', () => {
  it.each([
    ['no body', undefined],
    ['invalid JSON', '{'],
    ['no name', {}],
    ['a name without .zip', { name: 'data.tar' }],
    ['a numeric name', { name: 12 }],
    ['a name with a slash', { name: 'a/b.zip' }],
  ])('answers 400 to %s', async (_label, body) => {
    const res = await api(sim, 'GET', '/finetune/request/upload/pre-signed-url', body);
    expect(res.status).toBe(400);
  });

  it('issues an S3-style URL on the storage host', async () => {
    const { presigned_url, s3_url } = await presign(sim, 'my job.zip');
    expect(s3_url.startsWith(`${sim.storageUrl}/uploads/`)).toBe(true);
    expect(s3_url).toMatch(/\/[0-9a-f-]{36}-my%20job\.zip$/);
    expect(presigned_url.startsWith(`${s3_url}?`)).toBe(true);
    expect(presigned_url).toMatch(
      /\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA[A-Z0-9]{16}%2F\d{8}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=[0-9a-f]{64}$/,
    );
  });

  it('stores a valid upload and answers an ETag', async () => {
    const { presigned_url, s3_url } = await presign(sim);
    const res = await put(presigned_url, GOOD_ZIP);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(sim.uploads.get(s3_url)?.equals(GOOD_ZIP)).toBe(true);
    const recorded = sim.requests.filter((r) => r.server === 'storage').at(-1);
    expect(recorded?.method).toBe('PUT');
    expect(recorded?.body.equals(GOOD_ZIP)).toBe(true);
  });

  it('refuses a chunked upload with 501 NotImplemented', async () => {
    const { presigned_url } = await presign(sim);
    const res = await put(presigned_url, GOOD_ZIP, {}, true);
    expect(res.status).toBe(501);
    expect(res.text).toContain('<Code>NotImplemented</Code>');
  });

  it('refuses an upload without Content-Length with 411', async () => {
    const { presigned_url } = await presign(sim);
    const target = new URL(presigned_url);
    const res = await rawRequest(
      presigned_url,
      `PUT ${target.pathname}${target.search} HTTP/1.1\r\nContent-Type: application/zip`,
    );
    expect(res.status).toBe(411);
    expect(res.text).toContain('<Code>MissingContentLength</Code>');
  });

  it('refuses and remembers an x-api-key sent to storage', async () => {
    await withSim({}, async (s) => {
      const { presigned_url } = await presign(s);
      expect(s.apiKeyLeakedToStorage).toBe(false);
      const res = await put(presigned_url, GOOD_ZIP, { 'x-api-key': KEY });
      expect(res.status).toBe(400);
      expect(s.apiKeyLeakedToStorage).toBe(true);
      expect(s.uploads.size).toBe(0);
    });
  });

  it('refuses another Content-Type, a tampered signature and a foreign path with 403', async () => {
    const { presigned_url } = await presign(sim);
    const wrongType = await put(presigned_url, GOOD_ZIP, {
      'content-type': 'application/octet-stream',
    });
    expect(wrongType.status).toBe(403);
    expect(wrongType.text).toContain('SignatureDoesNotMatch');

    const tampered = presigned_url.replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000');
    const bad = await put(tampered, GOOD_ZIP);
    expect(bad.status).toBe(403);
    expect(bad.text).toContain('SignatureDoesNotMatch');

    const moved = presigned_url.replace('/uploads/', '/uploads/x');
    expect((await put(moved, GOOD_ZIP)).status).toBe(403);
    expect((await put(presigned_url.split('?')[0] ?? '', GOOD_ZIP)).status).toBe(403);
  });

  it('answers 403 Request has expired once URLs are expired', async () => {
    await withSim({}, async (s) => {
      const { presigned_url } = await presign(s);
      s.expirePresignedUrls();
      const res = await put(presigned_url, GOOD_ZIP);
      expect(res.status).toBe(403);
      expect(res.text).toContain('<Code>AccessDenied</Code>');
      expect(res.text).toContain('Request has expired');
      const fresh = await presign(s);
      expect((await put(fresh.presigned_url, GOOD_ZIP)).status).toBe(200);
    });
  });

  const badZips: [string, Buffer, RegExp][] = [
    ['not a ZIP', Buffer.from('hello, not a zip at all'), /End Of Central Directory/],
    [
      'a ZIP with a folder',
      buildZip([{ name: 'dataset/a.png', data: PNG }]),
      /not at the ZIP root/,
    ],
    ['a ZIP without images', buildZip([{ name: 'a.txt', data: Buffer.from('x') }]), /no \.jpg/],
    ['a ZIP with a bad CRC', buildZip([{ name: 'a.png', data: PNG, badCrc: true }]), /CRC/],
    ['a truncated ZIP', GOOD_ZIP.subarray(0, GOOD_ZIP.length - 5), /End Of Central Directory/],
    [
      'a ZIP with duplicate names',
      buildZip([
        { name: 'a.png', data: PNG },
        { name: 'a.png', data: PNG },
      ]),
      /more than once/,
    ],
  ];

  it.each(badZips)('refuses %s with 400', async (_label, zip, message) => {
    const { presigned_url, s3_url } = await presign(sim);
    const res = await put(presigned_url, zip);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(message);
    expect(sim.uploads.has(s3_url)).toBe(false);
  });

  it('refuses a ZIP of 100,000,000 bytes with EntityTooLarge from its Content-Length', async () => {
    const { presigned_url } = await presign(sim);
    const target = new URL(presigned_url);
    const res = await rawRequest(
      presigned_url,
      `PUT ${target.pathname}${target.search} HTTP/1.1\r\nContent-Type: application/zip\r\nContent-Length: 100000000`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooLarge</Code>');
    expect(res.text).toContain('<ProposedSize>100000000</ProposedSize>');
  });

  it('answers EntityTooLarge before a streaming client has sent the body', async () => {
    const { presigned_url } = await presign(sim);
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(presigned_url, {
        method: 'PUT',
        headers: { 'content-type': 'application/zip', 'content-length': '100000001' },
      });
      req.on('response', (r) => {
        resolve(r.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write(Buffer.alloc(65536));
    });
    expect(res).toBe(400);
  });

  it('reads deflated entries and reports them', () => {
    const entries = inspectZip(GOOD_ZIP);
    expect(entries.map((e) => [e.name, e.method])).toEqual([
      ['a.png', 0],
      ['a.txt', 8],
    ]);
  });
});

describe('access-update', () => {
  it('parses the multipart form and changes the public flag', async () => {
    const id = await submitted(sim);
    const res = await accessUpdate(sim, { request_id: id, segmind_public: 'True' });
    expect(res.status).toBe(200);
    expect(sim.jobs.get(id)?.segmind_public).toBe(true);
    expect((await details(sim, id)).json().finetune.public_model).toBe(true);
    expect((await accessUpdate(sim, { request_id: id, segmind_public: 'False' })).status).toBe(200);
    expect(sim.jobs.get(id)?.segmind_public).toBe(false);
  });

  it.each([
    ['lower-case true', { segmind_public: 'true' }],
    ['a JSON boolean spelling', { segmind_public: '1' }],
    ['no segmind_public', {}],
    ['an unknown field', { segmind_public: 'True', extra: 'x' }],
  ])('answers 400 to %s', async (_label, extra) => {
    const id = await submitted(sim);
    const res = await accessUpdate(sim, { request_id: id, ...extra });
    expect(res.status).toBe(400);
    expect(sim.jobs.get(id)?.segmind_public).toBe(false);
  });

  it('answers 400 without request_id, 404 for an unknown id', async () => {
    expect((await accessUpdate(sim, { segmind_public: 'True' })).status).toBe(400);
    const res = await accessUpdate(sim, { request_id: 'nope', segmind_public: 'True' });
    expect(res.status).toBe(404);
  });

  it('answers 415 to JSON and 400 to a broken multipart body', async () => {
    const json = await api(sim, 'PUT', '/finetune/request/access-update', {
      request_id: 'x',
      segmind_public: 'True',
    });
    expect(json.status).toBe(415);
    const broken = await call(`${sim.url}/finetune/request/access-update`, {
      method: 'PUT',
      headers: { 'x-api-key': KEY, 'content-type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="request_id"\r\n\r\nx',
    });
    expect(broken.status).toBe(400);
    expect(broken.json().message).toMatch(/multipart/);
  });
});

describe('file download', () => {
  it('answers a plain-text pre-signed URL that serves the weights', async () => {
    const job = sim.addJob({ name: 'downloadable' });
    const res = await call(`${sim.url}/finetune/request/file/download`, {
      headers: { 'x-api-key': KEY, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cloud_storage_url: job.cloud_storage_url ?? '' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text.startsWith(`${job.cloud_storage_url}?X-Amz-Algorithm=`)).toBe(true);
    const weights = await call(res.text);
    expect(weights.status).toBe(200);
    expect(weights.body.readBigUInt64LE(0)).toBeGreaterThan(0n);

    const form = multipart({ cloud_storage_url: job.cloud_storage_url ?? '' });
    const viaMultipart = await call(`${sim.url}/finetune/request/file/download`, {
      headers: { 'x-api-key': KEY, 'content-type': form.type },
      body: form.body,
    });
    expect(viaMultipart.status).toBe(200);
  });

  it('answers 400 without the field and 404 for an unknown URL', async () => {
    const none = await call(`${sim.url}/finetune/request/file/download`, {
      headers: { 'x-api-key': KEY },
    });
    expect(none.status).toBe(400);
    const unknown = await call(`${sim.url}/finetune/request/file/download`, {
      headers: { 'x-api-key': KEY, 'content-type': 'application/x-www-form-urlencoded' },
      body: `cloud_storage_url=${encodeURIComponent(`${sim.storageUrl}/models/x.safetensors`)}`,
    });
    expect(unknown.status).toBe(404);
  });
});

describe('model storage', () => {
  /** A fresh download URL for the job's model. */
  async function downloadUrl(s: Simulator, job: { cloud_storage_url: string | null }) {
    const res = await call(`${s.url}/finetune/request/file/download`, {
      headers: { 'x-api-key': KEY, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cloud_storage_url: job.cloud_storage_url ?? '' }).toString(),
    });
    expect(res.status).toBe(200);
    return res.text;
  }

  it('serves a generated safetensors file of the configured size, the same bytes every time', async () => {
    await withSim({ modelBytes: 100_000 }, async (s) => {
      const job = s.addJob({ name: 'weights' });
      const other = s.addJob({ name: 'bigger', modelBytes: 2_500_000 });
      expect(job.modelBytes).toBe(100_000);
      const url = await downloadUrl(s, job);
      const first = await call(url);
      expect(first.status).toBe(200);
      expect(first.headers['content-length']).toBe('100000');
      expect(first.headers['accept-ranges']).toBe('bytes');
      expect(first.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(first.body.length).toBe(100_000);
      // A valid safetensors layout: the header's one tensor fills the rest of the file exactly.
      const headerLength = Number(first.body.readBigUInt64LE(0));
      expect(headerLength % 8).toBe(0);
      const header = JSON.parse(first.body.subarray(8, 8 + headerLength).toString());
      expect(header.__metadata__.finetune_id).toBe(job.finetune_id);
      expect(8 + headerLength + header['lora.weight'].data_offsets[1]).toBe(100_000);
      const again = await call(await downloadUrl(s, job));
      expect(again.body.equals(first.body)).toBe(true);
      expect(modelFile(job.finetune_id, 100_000).sha256()).toBe(
        crypto.createHash('sha256').update(first.body).digest('hex'),
      );
      const big = await call(await downloadUrl(s, other));
      expect(big.body.length).toBe(2_500_000);
      expect(
        big.body
          .subarray(headerLength + 8, headerLength + 1000)
          .equals(first.body.subarray(headerLength + 8, headerLength + 1000)),
      ).toBe(false);
    });
  });

  it('generates any size from one pattern buffer, never the whole file', () => {
    const file = modelFile('id-1', 300_000_000);
    expect(file.size).toBe(300_000_000);
    let total = 0;
    const buffers = new Set<ArrayBufferLike>();
    for (const chunk of file.chunks(1000)) {
      total += chunk.length;
      expect(chunk.length).toBeLessThanOrEqual(1 << 20);
      buffers.add(chunk.buffer);
    }
    expect(total).toBe(300_000_000 - 1000);
    expect(buffers.size).toBe(1);
  });

  it('honours Range: 206 with Content-Range, 416 past the end, the whole file for other forms', async () => {
    const job = sim.addJob({ name: 'ranges', modelBytes: 5000 });
    const url = await downloadUrl(sim, job);
    const whole = (await call(url)).body;
    const ask = (range: string) => call(url, { headers: { range } });
    for (const [range, start, end] of [
      ['bytes=100-199', 100, 200],
      ['bytes=4990-', 4990, 5000],
      ['bytes=-10', 4990, 5000],
      ['bytes=4000-9999', 4000, 5000],
    ] as const) {
      const res = await ask(range);
      expect(res.status, range).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end - 1}/5000`);
      expect(res.headers['content-length']).toBe(String(end - start));
      expect(res.body.equals(whole.subarray(start, end))).toBe(true);
    }
    const past = await ask('bytes=5000-');
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */5000');
    expect(past.text).toContain('<Code>InvalidRange</Code>');
    for (const range of ['bytes=0-10,20-30', 'pages=1-2', 'bytes=9-3']) {
      const res = await ask(range);
      expect(res.status, range).toBe(200);
      expect(res.body.equals(whole)).toBe(true);
    }
  });

  it('refuses an API key, a tampered signature and an expired URL', async () => {
    await withSim({}, async (s) => {
      const job = s.addJob({ name: 'guarded' });
      const url = await downloadUrl(s, job);
      const keyed = await call(url, { headers: { 'x-api-key': KEY } });
      expect(keyed.status).toBe(400);
      expect(s.apiKeyLeakedToStorage).toBe(true);
      const tampered = await call(url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'));
      expect(tampered.status).toBe(403);
      s.expirePresignedUrls();
      const expired = await call(url);
      expect(expired.status).toBe(403);
      expect(expired.text).toContain('Request has expired');
      expect((await call(await downloadUrl(s, job))).status).toBe(200);
    });
  });

  it("faults the model GET (key 'model'): cut off, expired, ranges ignored, 5xx", async () => {
    await withSim({}, async (s) => {
      const job = s.addJob({ name: 'faulty', modelBytes: 50_000 });
      const url = await downloadUrl(s, job);

      s.injectFault('model', { resetAfterBytes: 12_345 });
      const cut = await new Promise<{
        status: number;
        promised: number;
        received: number;
        ended: boolean;
      }>((resolve, reject) => {
        http
          .get(url, (res) => {
            let received = 0;
            let ended = false;
            res.on('data', (c: Buffer) => (received += c.length));
            res.on('end', () => (ended = true));
            res.on('error', () => undefined);
            res.on('close', () =>
              resolve({
                status: res.statusCode ?? 0,
                promised: Number(res.headers['content-length']),
                received,
                ended,
              }),
            );
          })
          .on('error', reject);
      });
      expect(cut).toMatchObject({ status: 200, promised: 50_000, ended: false });
      expect(cut.received).toBeLessThanOrEqual(12_345);

      s.injectFault('model', { ignoreRange: true });
      const ignored = await call(url, { headers: { range: 'bytes=10-' } });
      expect(ignored.status).toBe(200);
      expect(ignored.body.length).toBe(50_000);
      expect((await call(url, { headers: { range: 'bytes=10-' } })).status).toBe(206);

      s.injectFault('model', { status: 503, times: 2 });
      expect((await call(url)).status).toBe(503);
      const second = await call(url);
      expect(second.status).toBe(503);
      expect(second.text).toContain('<Error>');
      expect((await call(url)).status).toBe(200);

      s.injectFault('model', { expire: true });
      for (let i = 0; i < 2; i++) {
        const expired = await call(url);
        expect(expired.status).toBe(403);
        expect(expired.text).toContain('<Code>AccessDenied</Code><Message>Request has expired');
      }
      expect((await call(await downloadUrl(s, job))).status).toBe(200);
    });
  });

  it('stalls the body after some bytes until the client gives up', async () => {
    await withSim({}, async (s) => {
      const job = s.addJob({ name: 'stalled', modelBytes: 50_000 });
      const url = await downloadUrl(s, job);
      s.injectFault('model', { stallAfterBytes: 1000 });
      const got = await new Promise<{ received: number; status: number }>((resolve, reject) => {
        const req = http.get(url, (res) => {
          let received = 0;
          res.on('data', (c: Buffer) => {
            received += c.length;
            // What arrived is all that comes: the client hangs up once it has it.
            if (received >= 1000) setImmediate(() => req.destroy());
          });
          res.on('error', () => undefined);
          res.on('close', () => resolve({ received, status: res.statusCode ?? 0 }));
        });
        req.on('error', () => undefined);
        req.on('close', () => undefined);
        req.setTimeout(10_000, () => reject(new Error('no bytes came')));
      });
      expect(got).toEqual({ received: 1000, status: 200 });
    });
  });

  it('gives a record its cloud_storage_url only after modelUrlAfterPolls details calls', async () => {
    await withSim({}, async (s) => {
      const job = s.addJob({ name: 'late', status: 'AVAILABLE', modelUrlAfterPolls: 2 });
      expect(job.cloud_storage_url).toBeNull();
      expect((await details(s, job.finetune_id)).json().finetune.cloud_storage_url).toBeNull();
      expect((await details(s, job.finetune_id)).json().finetune.cloud_storage_url).toMatch(
        /\/models\/.*\/model\.safetensors$/,
      );
    });
  });
});

describe('faults', () => {
  it('answers the fault status with Retry-After and body for `times` calls, and records them', async () => {
    await withSim({}, async (s) => {
      s.injectFault('list', {
        status: 429,
        retryAfter: '2',
        body: { message: 'slow down' },
        times: 2,
      });
      const first = await api(s, 'GET', '/finetune/request/list');
      expect(first.status).toBe(429);
      expect(first.headers['retry-after']).toBe('2');
      expect(first.json()).toEqual({ message: 'slow down' });
      expect((await api(s, 'GET', '/finetune/request/list')).status).toBe(429);
      expect((await api(s, 'GET', '/finetune/request/list')).status).toBe(200);
      expect(s.requests.filter((r) => r.path === '/finetune/request/list')).toHaveLength(3);
    });
  });

  it('resets the connection without an answer', async () => {
    await withSim({}, async (s) => {
      s.injectFault('details', { reset: true });
      await expect(details(s, 'x')).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(s.requests).toHaveLength(1);
      expect((await details(s, 'x')).status).toBe(404);
    });
  });

  it('delays and then answers normally', async () => {
    await withSim({}, async (s) => {
      s.injectFault('list', { delayMs: 150 });
      const started = Date.now();
      const res = await api(s, 'GET', '/finetune/request/list');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  it('creates the job and then loses the answer with afterCommit', async () => {
    await withSim({}, async (s) => {
      const url = await uploadedUrl(s);
      s.injectFault('submit', { afterCommit: true, status: 504 });
      const res = await api(s, 'POST', '/finetune/request/submit', {
        ...submitBody(url),
        name: 'lost',
      });
      expect(res.status).toBe(504);
      const list = (await api(s, 'GET', '/finetune/request/list')).json();
      expect(list.map((j: { name: string }) => j.name)).toEqual(['lost']);

      s.injectFault('submit', { afterCommit: true, reset: true });
      await expect(
        api(s, 'POST', '/finetune/request/submit', { ...submitBody(url), name: 'reset' }),
      ).rejects.toThrow();
      expect([...s.jobs.values()].map((j) => j.name)).toEqual(['lost', 'reset']);
    });
  });

  it('applies plain faults before validation: a faulted submit creates nothing', async () => {
    await withSim({}, async (s) => {
      const url = await uploadedUrl(s);
      s.injectFault('submit', { status: 500 });
      expect((await api(s, 'POST', '/finetune/request/submit', submitBody(url))).status).toBe(500);
      expect(s.jobs.size).toBe(0);
    });
  });

  it('faults storage PUTs with XML and public HEADs', async () => {
    await withSim({}, async (s) => {
      const { presigned_url } = await presign(s);
      s.injectFault('upload', { status: 503 });
      const res = await put(presigned_url, GOOD_ZIP);
      expect(res.status).toBe(503);
      expect(res.text).toContain('<Error>');
      expect((await put(presigned_url, GOOD_ZIP)).status).toBe(200);

      const file = s.addPublicFile('d.zip', GOOD_ZIP);
      s.injectFault('head', { status: 429, retryAfter: '1' });
      const head = await call(file, { method: 'HEAD' });
      expect(head.status).toBe(429);
      expect(head.headers['retry-after']).toBe('1');
      expect((await call(file, { method: 'HEAD' })).status).toBe(200);
    });
  });

  it('cuts answers short on every API route: fewer bytes than Content-Length, then a hang-up', async () => {
    await withSim({}, async (s) => {
      const job = s.addJob({ name: 'cut', status: 'AVAILABLE' });
      const url = await uploadedUrl(s);
      const routes: [EndpointKey, string, string, unknown][] = [
        ['list', 'GET', '/finetune/request/list', undefined],
        ['details', 'GET', '/finetune/request/details', { request_id: job.finetune_id }],
        ['presign', 'GET', '/finetune/request/upload/pre-signed-url', { name: 'a.zip' }],
        ['submit', 'POST', '/finetune/request/submit', { ...submitBody(url), name: 'cut-submit' }],
      ];
      for (const [key, method, route, body] of routes) {
        s.injectFault(key, { truncate: 5 });
        const answer = await partial(s.url + route, method, body);
        expect(answer, key).toMatchObject({ ended: false, received: 5 });
        expect(answer.promised, key).toBeGreaterThan(5);
      }
      // Without afterCommit a cut-off submit created nothing; every other route works again.
      expect([...s.jobs.values()].map((j) => j.name)).toEqual(['cut']);
      expect((await api(s, 'GET', '/finetune/request/list')).status).toBe(200);
    });
  });

  it('cuts the real answer of a read-only route, and the submit answer after creating the job', async () => {
    await withSim({}, async (s) => {
      for (let i = 0; i < 20; i++) s.addJob({ name: `job-${i}` });
      s.injectFault('list', { truncate: 20 });
      const list = await partial(`${s.url}/finetune/request/list`, 'GET');
      expect(list.received).toBe(20);
      expect(list.promised).toBeGreaterThan(400);
      expect(list.text).toBe(
        JSON.stringify(JSON.parse((await api(s, 'GET', '/finetune/request/list')).text)).slice(
          0,
          20,
        ),
      );

      const url = await uploadedUrl(s);
      s.injectFault('submit', { afterCommit: true, truncate: true });
      const cut = await partial(`${s.url}/finetune/request/submit`, 'POST', {
        ...submitBody(url),
        name: 'paid',
      });
      expect(cut).toMatchObject({ status: 200, ended: false });
      expect(cut.received).toBeLessThan(cut.promised!);
      expect([...s.jobs.values()].filter((j) => j.name === 'paid')).toHaveLength(1);
    });
  });

  it('cuts an upload answer after storing it, and a HEAD answer inside its headers', async () => {
    await withSim({}, async (s) => {
      const { presigned_url, s3_url } = await presign(s);
      s.injectFault('upload', { truncate: true });
      const cut = await partial(presigned_url, 'PUT', GOOD_ZIP, {
        'content-type': 'application/zip',
      });
      expect(cut).toMatchObject({ status: 200, ended: false });
      expect(s.uploads.has(s3_url)).toBe(true);

      const file = s.addPublicFile('cut.zip', GOOD_ZIP);
      s.injectFault('head', { truncate: true });
      await expect(call(file, { method: 'HEAD' })).rejects.toThrow(
        /Parse Error|socket hang up|ECONNRESET/,
      );
      expect((await call(file, { method: 'HEAD' })).status).toBe(200);
    });
  });

  it('answers 200 with bodies that are not the documented JSON', async () => {
    await withSim({}, async (s) => {
      const kinds: [MalformedKind, RegExp][] = [
        ['not-json', /^Service temporarily overloaded/],
        ['null', /^null$/],
        ['empty-object', /^\{\}$/],
        ['empty-array', /^\[\]$/],
        ['html', /^<!DOCTYPE html>.*<\/html>$/],
      ];
      for (const [kind, body] of kinds) {
        s.injectFault('details', { malformed: kind });
        const res = await details(s, 'x');
        expect(res.status, kind).toBe(200);
        expect(res.text, kind).toMatch(body);
      }
      const url = await uploadedUrl(s);
      s.injectFault('submit', { afterCommit: true, malformed: 'null' });
      const lost = await api(s, 'POST', '/finetune/request/submit', submitBody(url));
      expect(lost.text).toBe('null');
      expect(s.jobs.size).toBe(1);
      s.injectFault('submit', { malformed: 'html' });
      expect((await api(s, 'POST', '/finetune/request/submit', submitBody(url))).status).toBe(200);
      expect(s.jobs.size).toBe(1);
    });
  });

  it('serves gateway HTML error pages and error text with a lone carriage return', async () => {
    await withSim({}, async (s) => {
      s.injectFault('presign', { gatewayPage: true, status: 503, retryAfter: '1' });
      const page = await api(s, 'GET', '/finetune/request/upload/pre-signed-url', {
        name: 'a.zip',
      });
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toBe('text/html');
      expect(page.headers['retry-after']).toBe('1');
      expect(page.text).toContain('<title>503 Service Unavailable</title>');
      s.injectFault('list', { gatewayPage: true });
      expect((await api(s, 'GET', '/finetune/request/list')).status).toBe(502);

      s.injectFault('list', { status: 400, message: 'bad\rrequest\u2028::error::x' });
      expect((await api(s, 'GET', '/finetune/request/list')).json()).toEqual({
        message: 'bad\rrequest\u2028::error::x',
      });
    });
  });

  it('rejects unknown endpoint keys', () => {
    expect(() => sim.injectFault('nope' as never, { status: 500 })).toThrow(/Unknown endpoint/);
  });
});

describe('public ZIP host', () => {
  it('answers HEAD and GET with Content-Length', async () => {
    const url = sim.addPublicFile('/zips/data.zip', GOOD_ZIP);
    expect(url).toBe(`${sim.publicUrl}/zips/data.zip`);
    const head = await call(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(GOOD_ZIP.length));
    expect(head.body.length).toBe(0);
    const get = await call(url);
    expect(get.status).toBe(200);
    expect(get.body.equals(GOOD_ZIP)).toBe(true);
    expect((await call(`${sim.publicUrl}/zips/missing.zip`, { method: 'HEAD' })).status).toBe(404);
  });

  it('omits Content-Length (chunked GET) and overrides the HEAD status on request', async () => {
    const url = sim.addPublicFile('/zips/nolen.zip', GOOD_ZIP, { omitContentLength: true });
    const head = await call(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBeUndefined();
    const get = await call(url);
    expect(get.headers['content-length']).toBeUndefined();
    expect(get.headers['transfer-encoding']).toBe('chunked');
    expect(get.body.equals(GOOD_ZIP)).toBe(true);

    const denied = sim.addPublicFile('/zips/denied.zip', GOOD_ZIP, { headStatus: 405 });
    expect((await call(denied, { method: 'HEAD' })).status).toBe(405);
    expect((await call(denied)).status).toBe(200);
  });

  it('serves https when given a certificate', async () => {
    await withSim({ tls: { key: TLS_KEY, cert: TLS_CERT } }, async (s) => {
      expect(s.publicUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const url = s.addPublicFile('/data.zip', GOOD_ZIP);
      const head = await call(url, { method: 'HEAD', ca: TLS_CERT });
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(GOOD_ZIP.length));
      expect(s.url).toMatch(/^http:/);
    });
  });

  it('notices an API key sent to the public host', async () => {
    await withSim({}, async (s) => {
      const url = s.addPublicFile('/a.zip', GOOD_ZIP);
      await call(url, { method: 'HEAD' });
      expect(s.apiKeyLeakedToPublic).toBe(false);
      await call(url, { method: 'HEAD', headers: { 'x-api-key': KEY } });
      expect(s.apiKeyLeakedToPublic).toBe(true);
    });
  });
});

describe('lifecycle', () => {
  it('logs requests without query strings', async () => {
    const lines: string[] = [];
    await withSim({ log: (l) => lines.push(l) }, async (s) => {
      const { presigned_url } = await presign(s);
      await put(presigned_url, GOOD_ZIP);
    });
    expect(lines).toEqual([
      'api GET /finetune/request/upload/pre-signed-url -> 200',
      expect.stringMatching(/^storage PUT \/uploads\/.*\.zip -> 200$/),
    ]);
    expect(lines.join('\n')).not.toContain('X-Amz-Signature');
  });

  it('closes promptly even with keep-alive connections open', async () => {
    const s = await startSimulator({ apiKey: 'other' });
    const agent = new http.Agent({ keepAlive: true });
    const res = await call(`${s.url}/finetune/request/list`, {
      headers: { 'x-api-key': 'other' },
      agent,
    });
    expect(res.status).toBe(200);
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  it('refuses a --model-bytes that is not a whole number of bytes', async () => {
    const child = spawn(process.execPath, [SIMULATOR_JS, '--model-bytes', '1e3.5'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--model-bytes must be a whole number of bytes');
  });

  it('runs as a CLI, prints its URLs and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [SIMULATOR_JS, '--port', '0', '--api-key', 'cli-key'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.on('exit', () => reject(new Error(`exited before printing: ${out}`)));
    });
    const urls = JSON.parse(line);
    expect(Object.keys(urls)).toEqual(['url', 'storageUrl', 'publicUrl']);
    const res = await call(`${urls.url}/finetune/request/list`, {
      headers: { 'x-api-key': 'cli-key' },
      agent: new http.Agent({ keepAlive: false }),
    });
    expect(res.json()).toEqual([]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
