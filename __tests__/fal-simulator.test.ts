// The fal simulator refuses what fal refuses, so that the client's tests mean something.
import { describe, expect, it } from 'vitest';
import { falDataset, falSimulator, FAL_KEY } from './helpers/fal.js';
import { writeZip, zipEntriesOf } from '../src/dataset/zip.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const AUTH = { Authorization: `Key ${FAL_KEY}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const FAST = 'fal-ai/flux-lora-fast-training';
const FLUX2 = 'fal-ai/flux-2-trainer';

/** A ZIP of the given dataset files (images and captions at its root). */
async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fal-sim-zip-'));
  try {
    const entries = [];
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, path.basename(name));
      await writeFile(file, content);
      entries.push({ name: path.basename(name), path: file, bytes: Buffer.byteLength(content) });
    }
    const images = entries.filter((e) => !e.name.endsWith('.txt'));
    const captions = entries.filter((e) => e.name.endsWith('.txt'));
    const out = path.join(dir, 'd.zip');
    await writeZip(
      zipEntriesOf({
        images: images.map((e) => ({ ...e, relative: e.name, entryName: e.name }) as never),
        captions: await Promise.all(
          captions.map(async (e) => ({
            ...e,
            relative: e.name,
            entryName: e.name,
            image: '',
            text: await readFile(e.path, 'utf8'),
          })),
        ),
        skipped: [],
        problems: [],
      }),
      out,
    );
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = JSON_AUTH) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function get(url: string, headers: Record<string, string> = AUTH) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Polls a request's status until it has ended. */
async function settle(url: string, endpoint: string, id: string) {
  for (let i = 0; i < 10; i++) {
    const status = await get(`${url}/${endpoint}/requests/${id}/status`);
    if (status.body.status === 'COMPLETED') return status;
  }
  throw new Error('never completed');
}

describe('fal simulator', () => {
  it('answers 401 without the key, and 404 for a trainer it does not know', async () => {
    const sim = await falSimulator();
    expect(
      (await post(`${sim.url}/${FAST}`, {}, { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect(
      (
        await post(
          `${sim.url}/${FAST}`,
          {},
          { Authorization: 'Key wrong', 'content-type': 'application/json' },
        )
      ).status,
    ).toBe(401);
    expect((await post(`${sim.url}/fal-ai/flux-pro-trainer`, {})).status).toBe(404);
  });

  it('accepts any JSON object at submit and fails a bad input when it runs, with a 422 result', async () => {
    const sim = await falSimulator();
    const submit = await post(`${sim.url}/${FAST}`, {
      images_data_url: 'https://x.example/d.zip',
      steps: 0,
      lora_rank: 16,
    });
    expect(submit.status).toBe(200);
    expect(submit.headers.get('x-fal-request-id')).toBe(submit.body.request_id);
    expect(submit.body).toMatchObject({ status: 'IN_QUEUE', queue_position: 0 });
    expect(submit.body.status_url).toBe(
      `${sim.url}/${FAST}/requests/${submit.body.request_id}/status`,
    );
    const ended = await settle(sim.url, FAST, String(submit.body.request_id));
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ error_type: 'validation_error' });
    expect(String(ended.body.error)).toContain('lora_rank: Extra inputs are not permitted');
    const result = await get(`${sim.url}/${FAST}/requests/${submit.body.request_id}`);
    expect(result.status).toBe(422);
    expect(result.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'lora_rank'], type: 'extra_forbidden' }),
    ]);
  });

  it('answers 202 while queued or running and 200 once completed; a result before then is a 400', async () => {
    const sim = await falSimulator({ pollsPerStatus: 2 });
    const zip = sim.addFile('/files/p/d.zip', await zipOf(falDataset(4)));
    const { body } = await post(`${sim.url}/${FAST}`, { images_data_url: zip });
    const id = String(body.request_id);
    const codes: [number, unknown][] = [];
    for (let i = 0; i < 5; i++) {
      const s = await get(`${sim.url}/${FAST}/requests/${id}/status?logs=1`);
      codes.push([s.status, s.body.status]);
      if (i === 0) expect((await get(`${sim.url}/${FAST}/requests/${id}`)).status).toBe(400);
    }
    expect(codes).toEqual([
      [202, 'IN_QUEUE'],
      [202, 'IN_PROGRESS'],
      [202, 'IN_PROGRESS'],
      [200, 'COMPLETED'],
      [200, 'COMPLETED'],
    ]);
    const result = await get(`${sim.url}/${FAST}/requests/${id}`);
    expect(result.status).toBe(200);
    expect(result.body.diffusers_lora_file).toMatchObject({
      file_name: 'pytorch_lora_weights.safetensors',
    });
    // Status, result and cancel on another trainer than the request's: not found.
    expect((await get(`${sim.url}/${FLUX2}/requests/${id}/status`)).status).toBe(404);
  });

  it('fails a dataset under the trainer’s floor, and a FLUX.2 image without caption or default', async () => {
    const sim = await falSimulator();
    const three = sim.addFile('/files/a/three.zip', await zipOf(falDataset(3)));
    const fast = await post(`${sim.url}/${FAST}`, { images_data_url: three });
    expect((await settle(sim.url, FAST, String(fast.body.request_id))).body).toMatchObject({
      error_type: 'not_enough_images',
    });
    const ten = sim.addFile('/files/b/ten.zip', await zipOf(falDataset(10)));
    const bare = await post(`${sim.url}/${FLUX2}`, { image_data_url: ten });
    expect((await settle(sim.url, FLUX2, String(bare.body.request_id))).body).toMatchObject({
      error_type: 'missing_caption',
    });
    const withDefault = await post(`${sim.url}/${FLUX2}`, {
      image_data_url: ten,
      default_caption: 'photo of TOK',
      steps: 200,
    });
    const ok = await settle(sim.url, FLUX2, String(withDefault.body.request_id));
    expect(ok.body.error).toBeUndefined();
    const steps = await post(`${sim.url}/${FLUX2}`, {
      image_data_url: ten,
      default_caption: 'x',
      steps: 150,
    });
    expect(
      String((await settle(sim.url, FLUX2, String(steps.body.request_id))).body.error),
    ).toMatch(/multiple of 100/);
  });

  it('storage: signed uploads only, the initiated content type, a Content-Length, no key', async () => {
    const sim = await falSimulator();
    const { body } = await post(`${sim.url}/storage/upload/initiate?storage_type=fal-cdn-v3`, {
      content_type: 'application/zip',
      file_name: 'd.zip',
    });
    const upload = String(body.upload_url);
    const put = (url: string, headers: Record<string, string>, data: Buffer | string = 'PK') =>
      fetch(url, { method: 'PUT', headers, body: data }).then((r) => r.status);
    expect(
      await put(upload.replace(/token=[^&]+/, 'token=forged'), {
        'content-type': 'application/zip',
      }),
    ).toBe(403);
    expect(await put(upload, { 'content-type': 'application/octet-stream' })).toBe(400);
    expect(await put(upload, { 'content-type': 'application/zip', ...AUTH })).toBe(400);
    expect(sim.keyLeaked).toBe(true);
    expect(await put(upload, { 'content-type': 'application/zip' }, 'PK zip bytes')).toBe(200);
    expect(await put(upload, { 'content-type': 'application/zip' })).toBe(409);
    const file = await fetch(String(body.file_url));
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('PK zip bytes');
    expect(
      (
        await post(`${sim.url}/storage/upload/initiate?storage_type=gcs`, {
          content_type: 'application/zip',
          file_name: 'd.zip',
        })
      ).status,
    ).toBe(400);
  });

  it('storage: a multipart upload needs its parts in order, their ETags, and parts of 5 MiB but the last', async () => {
    const sim = await falSimulator();
    const { body } = await post(
      `${sim.url}/storage/upload/initiate-multipart?storage_type=fal-cdn-v3`,
      {
        content_type: 'application/zip',
        file_name: 'big.zip',
      },
    );
    const url = new URL(String(body.upload_url));
    const at = (s: string) => `${url.origin}${url.pathname}/${s}${url.search}`;
    const part = async (n: number, data: Buffer) => {
      const res = await fetch(at(String(n)), { method: 'PUT', body: data });
      return (await res.json()) as { partNumber: number; etag: string };
    };
    const small = await part(1, Buffer.alloc(1000, 1));
    const last = await part(2, Buffer.alloc(10, 2));
    const complete = (parts: unknown) =>
      fetch(at('complete'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ parts }),
      }).then((r) => r.status);
    expect(await complete([small, last])).toBe(400);
    const big = await part(1, Buffer.alloc(5 * 1024 * 1024, 1));
    expect(await complete([last, big])).toBe(400);
    expect(await complete([big, { ...last, etag: 'x' }])).toBe(400);
    expect(await complete([big, last])).toBe(200);
    const file = Buffer.from(await (await fetch(String(body.file_url))).arrayBuffer());
    expect(file.length).toBe(5 * 1024 * 1024 + 10);
  });

  it('history: ended requests only (unless asked), newest first, pages by cursor, payloads on request', async () => {
    const sim = await falSimulator();
    for (let i = 0; i < 3; i++) {
      sim.addRequest(
        FAST,
        { images_data_url: `https://x.example/${i}.zip` },
        {
          status: 'COMPLETED',
          sent_at: new Date(Date.now() - (10 - i) * 60_000).toISOString(),
        },
      );
    }
    sim.addRequest(FAST, { images_data_url: 'https://x.example/pending.zip' });
    const base = `${sim.url}/v1/models/requests/by-endpoint?endpoint_id=${FAST}`;
    const first = await get(`${base}&limit=2&expand=payloads`);
    expect(first.status).toBe(200);
    const items = first.body.items as { json_input: { images_data_url: string } }[];
    expect(items).toHaveLength(2);
    expect(first.body.has_more).toBe(true);
    const second = await get(`${base}&limit=2&cursor=${String(first.body.next_cursor)}`);
    expect((second.body.items as unknown[]).length).toBe(1);
    expect(second.body.next_cursor).toBeNull();
    expect((second.body.items as Record<string, unknown>[])[0]!.json_input).toBeUndefined();
    expect((await get(`${sim.url}/v1/models/requests/by-endpoint`)).status).toBe(422);
    expect((await get(`${base}&limit=101`)).status).toBe(422);
    expect((await get(base, {})).status).toBe(401);
  });

  it('cancel: queued requests end cancelled, running ones on their next poll, finished ones refuse', async () => {
    const sim = await falSimulator({ pollsPerStatus: 3 });
    const put = (id: string) =>
      fetch(`${sim.url}/${FAST}/requests/${id}/cancel`, { method: 'PUT', headers: AUTH }).then(
        async (r) => [r.status, (await r.json()) as { status: string }] as const,
      );
    const queued = sim.addRequest(FAST, { images_data_url: 'https://x.example/a.zip' });
    expect(await put(queued.request_id)).toEqual([202, { status: 'CANCELLATION_REQUESTED' }]);
    expect(sim.queue.get(queued.request_id)).toMatchObject({
      status: 'COMPLETED',
      error: 'Request was cancelled',
    });
    expect(await put(queued.request_id)).toEqual([400, { status: 'ALREADY_COMPLETED' }]);
    expect(await put('00000000-0000-4000-8000-000000000000')).toEqual([
      404,
      { status: 'NOT_FOUND' },
    ]);
  });
});
