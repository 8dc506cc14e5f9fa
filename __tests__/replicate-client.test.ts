import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../src/http/retry.js';
import { HttpError } from '../src/http/send.js';
import {
  invalidFields,
  readTraining,
  replicateMessage,
  ReplicateClient,
} from '../src/providers/replicate/client.js';
import { TRAINER_VERSION } from '../simulator/replicate-simulator.js';
import { datasetZip, replicateSimulator, TOKEN } from './helpers/replicate.js';

const QUICK: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 };
const TRAINER = { owner: 'ostris', name: 'flux-dev-lora-trainer', version: TRAINER_VERSION };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Seen {
  method: string;
  url: string;
  host: string;
  authorization?: string;
}

/**
 * A server answering as a variant of Replicate might (what docs/replicate.md marks as inferred): each
 * request is recorded, and `answer` says what comes back.
 */
async function variant(
  answer: (
    req: Seen,
    n: number,
  ) => { status: number; body?: unknown; headers?: Record<string, string> },
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const record = {
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host ?? '',
        authorization: req.headers.authorization,
      };
      seen.push(record);
      const reply = answer(record, seen.length);
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function zipFile(data: Buffer): Promise<{ path: string; bytes: number; sha256: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'replicate-client-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'dataset.zip');
  await writeFile(file, data);
  return {
    path: file,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

describe('replicateMessage and invalidFields', () => {
  it.each([
    [
      '{"title":"Unauthenticated","detail":"You did not pass a valid authentication token","status":401}',
      'Unauthenticated: You did not pass a valid authentication token',
    ],
    [
      '{"detail":"The specified training destination does not exist","status":404}',
      'The specified training destination does not exist',
    ],
    [
      '{"title":"Conflict","errors":[{"detail":"A model with that name and owner already exists."}]}',
      'Conflict: A model with that name and owner already exists.',
    ],
    ['{"title":"Not Found"}', 'Not Found'],
    ['{"detail":"Not found: Not found."}', 'Not found: Not found.'],
    ['<html><head><title>502 Bad Gateway</title></head></html>', '502 Bad Gateway'],
  ])('%s -> %j', (body, message) => {
    expect(replicateMessage(Buffer.from(body))).toBe(message);
  });

  it('lists a 422’s fields one a line, each kept to one line, at most ten', () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({
      type: 'number_lte',
      field: `input.f${i}`,
      description: i === 0 ? 'Must be\n::error::less' : 'Must be less',
    }));
    const text = invalidFields(
      Buffer.from(JSON.stringify({ title: 'Input validation failed', invalid_fields: fields })),
    )!;
    const lines = text.split('\n');
    expect(lines[0]).toBe('Input validation failed:');
    expect(lines[1]).toBe('- input.f0: Must be ::error::less');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toBe('- and 2 more');
    expect(invalidFields(Buffer.from('{"detail":"x"}'))).toBeUndefined();
  });
});

describe('ReplicateClient against the simulator', () => {
  it('reads the account, the trainer, and creates a model once (a 409 is "exists")', async () => {
    const sim = await replicateSimulator();
    const client = new ReplicateClient(sim.url, TOKEN, QUICK);
    expect(await client.account()).toEqual({ username: 'sim-user', type: 'user' });
    const trainer = await client.model('ostris', 'flux-dev-lora-trainer');
    expect((trainer!.latest_version as { id: string }).id).toBe(TRAINER_VERSION);
    expect(await client.model('sim-user', 'none')).toBeUndefined();
    const model = {
      owner: 'sim-user',
      name: 'lora',
      visibility: 'private',
      hardware: 'gpu-t4',
    } as const;
    expect(await client.createModel(model, 'hint')).toBe('created');
    expect(await client.createModel(model, 'hint')).toBe('exists');
    const refused = await client
      .createModel({ ...model, owner: 'other' }, 'not your owner')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(403);
    expect((refused as HttpError).hint).toBe('not your owner');
  });

  it('uploads a file as multipart with its name, and the sha256 Replicate reports is the ZIP’s', async () => {
    const sim = await replicateSimulator();
    const client = new ReplicateClient(sim.url, TOKEN, QUICK);
    const zip = await datasetZip();
    const file = await client.uploadFile({ ...(await zipFile(zip)), fileName: 'job-abc.zip' });
    expect(file.name).toBe('job-abc.zip');
    expect(file.checksums!.sha256).toBe(createHash('sha256').update(zip).digest('hex'));
    expect(sim.files.get(file.id)!.data).toEqual(zip);
    expect(sim.files.get(file.id)!.record.content_type).toBe('application/zip');
    const post = sim.requests.find((r) => r.method === 'POST')!;
    expect(post.headers['content-length']).toBe(String(post.body.length));
    expect(post.headers['transfer-encoding']).toBeUndefined();
    // Read by a multipart parser that is not the simulator's own (undici's, behind fetch's
    // Response), as any server's framework would read it.
    const form = await new Response(new Uint8Array(post.body), {
      headers: { 'content-type': String(post.headers['content-type']) },
    }).formData();
    expect([...form.keys()]).toEqual(['filename', 'type', 'content']);
    expect(form.get('filename')).toBe('job-abc.zip');
    expect(form.get('type')).toBe('application/zip');
    const content = form.get('content') as File;
    expect(content.name).toBe('job-abc.zip');
    expect(content.type).toBe('application/zip');
    expect(Buffer.from(await content.arrayBuffer())).toEqual(zip);
  });

  it('refuses an upload answer whose sha256 is not the ZIP’s (and tries again)', async () => {
    const server = await variant(() => ({
      status: 201,
      body: {
        id: 'f1',
        name: 'x.zip',
        size: 3,
        checksums: { sha256: '0'.repeat(64) },
        urls: { get: 'https://api.replicate.com/v1/files/f1' },
      },
    }));
    const client = new ReplicateClient(server.url, TOKEN, QUICK);
    const error = await client
      .uploadFile({ ...(await zipFile(Buffer.from('abc'))), fileName: 'x.zip' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(/sha256 \(0{64}\) is not the ZIP's/);
    expect(server.seen).toHaveLength(3);
  });

  it('creates a training once, never retried, and shows a 422 field by field', async () => {
    const sim = await replicateSimulator();
    sim.addModel('sim-user/lora');
    const client = new ReplicateClient(sim.url, TOKEN, QUICK);
    const error = await client
      .createTraining(TRAINER, 'sim-user/lora', { input_images: 'x', steps: 9000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).transient).toBe(false);
    expect((error as HttpError).message).toBe(
      'Replicate POST /v1/models/ostris/flux-dev-lora-trainer/versions/{version}/trainings answered HTTP 422: Input validation failed:\n- input.steps: Must be less than or equal to 6000',
    );
    sim.injectFault('submit', { status: 503 });
    const lost = await client
      .createTraining(TRAINER, 'sim-user/lora', { input_images: 'x' })
      .catch((e: unknown) => e);
    expect((lost as HttpError).transient).toBe(true);
    expect(sim.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('honours Retry-After on a 429 and tries again', async () => {
    const sim = await replicateSimulator();
    const client = new ReplicateClient(sim.url, TOKEN, QUICK);
    sim.injectFault('account', { status: 429, retryAfter: '0.2' });
    const started = Date.now();
    expect((await client.account()).username).toBe('sim-user');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(sim.requests).toHaveLength(2);
  });
});

describe('ReplicateClient with answers Replicate might give (inferred, docs/replicate.md)', () => {
  it('asks the next page of its own api-url, whatever host the next link names', async () => {
    const server = await variant((req) =>
      req.url.includes('cursor=')
        ? { status: 200, body: { results: [{ id: 'b', status: 'succeeded' }], next: null } }
        : {
            status: 200,
            body: {
              results: [{ id: 'a', status: 'starting' }, { status: 'no id' }],
              next: 'https://evil.example/v1/trainings?cursor=abc',
            },
          },
    );
    const client = new ReplicateClient(server.url, TOKEN, QUICK);
    const first = await client.trainings();
    expect(first.results.map((t) => t.id)).toEqual(['a']);
    expect(first.next).toBe('?cursor=abc');
    const second = await client.trainings(first.next);
    expect(second.results.map((t) => t.id)).toEqual(['b']);
    expect(second.next).toBeUndefined();
    expect(server.seen.map((s) => s.url)).toEqual(['/v1/trainings', '/v1/trainings?cursor=abc']);
    expect(server.seen.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('takes a refused cancel (a training that finished) as an answer, not an error', async () => {
    const server = await variant(() => ({
      status: 400,
      body: { detail: 'Training has already succeeded', status: 400 },
    }));
    const client = new ReplicateClient(server.url, TOKEN, QUICK);
    expect(await client.cancel('abc')).toEqual({
      refused: 'Training has already succeeded',
      status: 400,
    });
    expect(server.seen).toHaveLength(1);
  });

  it('reads a training whose fields come in other shapes, and refuses one without an id', () => {
    expect(readTraining({ id: 'x', status: 'processing', input: 'oops' })).toEqual({
      id: 'x',
      status: 'processing',
      input: null,
    });
    expect(readTraining({ id: 'x' })!.status).toBe('');
    expect(readTraining({ id: '../x', status: 'succeeded' })).toBeUndefined();
    expect(readTraining(null)).toBeUndefined();
  });

  it('gives the token to api-url’s origin and Replicate’s https hosts only', () => {
    const client = new ReplicateClient('http://127.0.0.1:8080', TOKEN, QUICK);
    const bearer = { Authorization: `Bearer ${TOKEN}` };
    expect(client.authorizationFor('http://127.0.0.1:8080/delivery/x.tar')).toEqual(bearer);
    expect(client.authorizationFor('https://replicate.delivery/pbxt/x/trained_model.tar')).toEqual(
      bearer,
    );
    expect(client.authorizationFor('https://api.replicate.com/v1/files/x')).toEqual(bearer);
    for (const url of [
      'http://127.0.0.1:8081/delivery/x.tar',
      'http://replicate.delivery/pbxt/x.tar',
      'https://replicate.delivery.evil.example/x.tar',
      'https://notreplicate.com/x.tar',
      'https://storage.googleapis.com/replicate/x.tar',
      'not a url',
    ]) {
      expect(client.authorizationFor(url), url).toBeUndefined();
    }
    const real = new ReplicateClient('', TOKEN, QUICK);
    expect(real.authorizationFor('https://api.replicate.com/v1/x')).toEqual(bearer);
  });
});
