import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FILE_LIFETIME_MS,
  LORA_MEMBER,
  TRAINER,
  TRAINER_VERSION,
  tarArchive,
  type ReplicateSimulator,
} from '../simulator/replicate-simulator.js';
import { modelFile } from '../simulator/segmind-simulator.js';
import { datasetZip, replicateSimulator, sevenZip, TOKEN } from './helpers/replicate.js';

// The simulator must refuse what Replicate refuses and answer as Replicate answers (Replicate's
// HTTP contract, docs/replicate.md): a client that passes against it should pass against
// Replicate. These tests hold it to that.

interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  body: Buffer;
}

async function call(
  sim: ReplicateSimulator,
  method: string,
  path: string,
  options: { json?: unknown; body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}`, ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  }
  const answer = await fetch(path.startsWith('http') ? path : `${sim.url}${path}`, {
    method,
    headers,
    body,
  });
  const bytes = Buffer.from(await answer.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: answer.status, headers: answer.headers, json, body: bytes };
}

function multipart(
  parts: { name: string; data: Buffer | string; filename?: string; type?: string }[],
): { body: Buffer; contentType: string } {
  const boundary = 'sim-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
      ),
      Buffer.from(part.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(sim: ReplicateSimulator, name: string, data: Buffer): Promise<Reply> {
  const form = multipart([{ name: 'content', data, filename: name, type: 'application/zip' }]);
  return call(sim, 'POST', '/v1/files', {
    body: form.body,
    headers: { 'Content-Type': form.contentType },
  });
}

async function train(
  sim: ReplicateSimulator,
  input: Record<string, unknown>,
  destination = `${sim.username}/flux`,
  version = TRAINER_VERSION,
): Promise<Reply> {
  return call(sim, 'POST', `/v1/models/${TRAINER}/versions/${version}/trainings`, {
    json: { destination, input },
  });
}

/** A destination model and an uploaded dataset, ready to train. */
async function ready(sim: ReplicateSimulator): Promise<string> {
  sim.addModel(`${sim.username}/flux`);
  const file = await upload(sim, 'job.zip', await datasetZip());
  return file.json.urls.get as string;
}

async function walk(sim: ReplicateSimulator, id: string, until: string[]): Promise<Reply> {
  for (let i = 0; i < 10; i++) {
    const got = await call(sim, 'GET', `/v1/trainings/${id}`);
    if (until.includes(got.json.status as string)) return got;
  }
  throw new Error(`training ${id} never reached ${until.join(' or ')}`);
}

describe('the Replicate simulator', () => {
  it('wants the token as Bearer or Token, and answers 401 problem+json otherwise', async () => {
    const sim = await replicateSimulator();
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN]) {
      const reply = await call(sim, 'GET', '/v1/account', {
        headers: authorization ? { Authorization: authorization } : { Authorization: '' },
      });
      expect(reply.status, String(authorization)).toBe(401);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.json).toEqual({
        title: 'Unauthenticated',
        detail: 'You did not pass a valid authentication token',
        status: 401,
      });
    }
    for (const scheme of ['Bearer', 'Token']) {
      const reply = await call(sim, 'GET', '/v1/account', {
        headers: { Authorization: `${scheme} ${TOKEN}` },
      });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ type: 'user', username: 'sim-user' });
      expect(reply.headers.get('ratelimit-remaining')).toBe('2999');
    }
  });

  it('answers unknown paths 404 and wrong methods 405, as problem+json', async () => {
    const sim = await replicateSimulator();
    const missing = await call(sim, 'GET', '/v1/nothing');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: 'Not found.', status: 404 });
    const wrong = await call(sim, 'PUT', '/v1/trainings');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  describe('models', () => {
    it('shows the trainer with its latest version, and 404 for a model that does not exist', async () => {
      const sim = await replicateSimulator({ olderTrainerVersions: ['0'.repeat(64)] });
      const trainer = await call(sim, 'GET', `/v1/models/${TRAINER}`);
      expect(trainer.status).toBe(200);
      expect(trainer.json.latest_version.id).toBe(TRAINER_VERSION);
      expect(trainer.json).not.toHaveProperty('hardware');
      const none = await call(sim, 'GET', '/v1/models/sim-user/none');
      expect(none.status).toBe(404);
    });

    it('creates a model (201), refuses a second of that name (409), a bad body (422) and another owner (403)', async () => {
      const sim = await replicateSimulator();
      const body = {
        owner: 'sim-user',
        name: 'my-lora',
        visibility: 'private',
        hardware: 'gpu-t4',
      };
      const created = await call(sim, 'POST', '/v1/models', { json: body });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        owner: 'sim-user',
        name: 'my-lora',
        visibility: 'private',
        latest_version: null,
        url: 'https://replicate.com/sim-user/my-lora',
      });
      const again = await call(sim, 'POST', '/v1/models', { json: body });
      expect(again.status).toBe(409);
      expect(again.json.detail).toBe('A model with that name and owner already exists.');

      const bad = await call(sim, 'POST', '/v1/models', {
        json: { owner: 'sim-user', name: 'My Lora', visibility: 'secret', colour: 'red' },
      });
      expect(bad.status).toBe(422);
      expect(bad.json.title).toBe('Input validation failed');
      expect(bad.json.invalid_fields.map((f: { field: string }) => f.field).sort()).toEqual([
        '(root)',
        'colour',
        'name',
        'visibility',
      ]);
      const other = await call(sim, 'POST', '/v1/models', {
        json: { ...body, owner: 'someone-else' },
      });
      expect(other.status).toBe(403);
      expect(sim.models.has('someone-else/my-lora')).toBe(false);
    });
  });

  describe('files', () => {
    it('stores a multipart upload with its checksums for 24 hours, on a clock the test moves', async () => {
      const sim = await replicateSimulator();
      const zip = await datasetZip();
      const reply = await upload(sim, 'job-1.zip', zip);
      expect(reply.status).toBe(201);
      const file = reply.json;
      expect(file).toMatchObject({
        name: 'job-1.zip',
        content_type: 'application/zip',
        size: zip.length,
        checksums: {
          sha256: createHash('sha256').update(zip).digest('hex'),
          md5: createHash('md5').update(zip).digest('hex'),
        },
        urls: { get: `${sim.url}/v1/files/${file.id}` },
      });
      expect(Date.parse(file.expires_at) - Date.parse(file.created_at)).toBe(FILE_LIFETIME_MS);
      const listed = await call(sim, 'GET', '/v1/files');
      expect(listed.json.results.map((f: { id: string }) => f.id)).toEqual([file.id]);

      sim.advanceClock(FILE_LIFETIME_MS - 1000);
      expect((await call(sim, 'GET', `/v1/files/${file.id}`)).status).toBe(200);
      sim.advanceClock(2000);
      expect((await call(sim, 'GET', `/v1/files/${file.id}`)).status).toBe(404);
      expect((await call(sim, 'GET', '/v1/files')).json.results).toEqual([]);
    });

    it('refuses an upload that is not multipart, has no content, or unknown parts', async () => {
      const sim = await replicateSimulator();
      const json = await call(sim, 'POST', '/v1/files', { json: { content: 'x' } });
      expect(json.status).toBe(415);
      const empty = multipart([{ name: 'filename', data: 'a.zip' }]);
      const none = await call(sim, 'POST', '/v1/files', {
        body: empty.body,
        headers: { 'Content-Type': empty.contentType },
      });
      expect(none.status).toBe(422);
      expect(none.json.invalid_fields[0]).toMatchObject({ type: 'required' });
      const broken = await call(sim, 'POST', '/v1/files', {
        body: Buffer.from('--b\r\nno headers end'),
        headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
      });
      expect(broken.status).toBe(400);
      expect(sim.files.size).toBe(0);
    });

    it('keeps the bytes of a file exactly (binary parts survive)', async () => {
      const sim = await replicateSimulator();
      const bytes = Buffer.from([0, 13, 10, 45, 45, 255, 0, 13, 10]);
      const reply = await upload(sim, 'b.bin', bytes);
      expect(sim.files.get(reply.json.id)!.data).toEqual(bytes);
    });
  });

  describe('trainings', () => {
    it('creates a training answered with /v1/predictions/ URLs, then walks it to succeeded with a new version', async () => {
      const sim = await replicateSimulator();
      const zipUrl = await ready(sim);
      const created = await train(sim, {
        input_images: zipUrl,
        trigger_word: 'ZQX',
        steps: 1000,
        lora_rank: 16,
        learning_rate: 0.0004,
        autocaption: true,
      });
      expect(created.status).toBe(201);
      const t = created.json;
      expect(t).toMatchObject({ model: TRAINER, version: TRAINER_VERSION, status: 'starting' });
      expect(t.id).toMatch(/^[a-z0-9]{26}$/);
      expect(t.urls.get).toBe(`${sim.url}/v1/predictions/${t.id}`);
      expect(t.urls.cancel).toBe(`${sim.url}/v1/predictions/${t.id}/cancel`);
      expect(t).not.toHaveProperty('destination');

      const processing = await call(sim, 'GET', `/v1/trainings/${t.id}`);
      expect(processing.json.status).toBe('processing');
      expect(processing.json.urls.get).toBe(`${sim.url}/v1/trainings/${t.id}`);
      const done = await call(sim, 'GET', `/v1/predictions/${t.id}`);
      expect(done.json.status).toBe('succeeded');
      const version = sim.models.get('sim-user/flux')!.versions[0]!.id;
      expect(done.json.output).toEqual({
        version: `sim-user/flux:${version}`,
        weights: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/delivery\/.+\/trained_model\.tar$/,
        ),
      });
      expect(done.json.metrics.predict_time).toBeGreaterThanOrEqual(0);
      expect(done.json).not.toHaveProperty('destination');
    });

    it('refuses an unknown trainer version (422), a missing destination (404) and bad input (422, field by field)', async () => {
      const sim = await replicateSimulator();
      const zipUrl = await ready(sim);
      const version = await train(sim, { input_images: zipUrl }, undefined, 'f'.repeat(64));
      expect(version.status).toBe(422);
      expect(version.json.title).toBe('Invalid version or not permitted');

      const nowhere = await train(sim, { input_images: zipUrl }, 'sim-user/none');
      expect(nowhere.status).toBe(404);
      expect(nowhere.json).toEqual({
        detail: 'The specified training destination does not exist',
        status: 404,
      });

      const bad = await train(sim, {
        input_images: zipUrl,
        steps: 7000,
        lora_rank: 0,
        autocaption: 'yes',
        prompt: 'x',
      });
      expect(bad.status).toBe(422);
      expect(bad.json.invalid_fields).toEqual(
        expect.arrayContaining([
          {
            type: 'number_lte',
            field: 'input.steps',
            description: 'Must be less than or equal to 6000',
          },
          {
            type: 'number_gte',
            field: 'input.lora_rank',
            description: 'Must be greater than or equal to 1',
          },
          expect.objectContaining({ type: 'invalid_type', field: 'input.autocaption' }),
          expect.objectContaining({
            type: 'additional_property_not_allowed',
            field: 'input.prompt',
          }),
        ]),
      );
      expect(bad.json.detail).toContain('- input.steps: Must be less than or equal to 6000\n');
      const missing = await train(sim, { trigger_word: 'TOK' });
      expect(missing.json.invalid_fields[0]).toMatchObject({ type: 'required', field: 'input' });
      expect(sim.trainings.size).toBe(0);
    });

    it('fails a training whose dataset is no ZIP, has no image, or expired before it started', async () => {
      const sim = await replicateSimulator();
      sim.addModel('sim-user/flux');
      const notZip = (await upload(sim, 'a.zip', Buffer.from('not a zip'))).json.urls.get;
      const noImage = (await upload(sim, 'b.zip', await datasetZip({ 'a.txt': 'TOK' }))).json.urls
        .get;
      const expiring = (await upload(sim, 'c.zip', await datasetZip())).json.urls.get;
      const ids = [];
      for (const input_images of [notZip, noImage, expiring]) {
        ids.push((await train(sim, { input_images })).json.id as string);
      }
      const errors = [];
      for (const id of ids.slice(0, 2)) {
        errors.push((await walk(sim, id, ['failed', 'succeeded'])).json.error);
      }
      // The third starts only now, a day after its upload.
      sim.advanceClock(FILE_LIFETIME_MS);
      errors.push((await walk(sim, ids[2]!, ['failed', 'succeeded'])).json.error);
      expect(errors[0]).toBe('input_images must be a zip file');
      expect(errors[1]).toBe('No image files found in input_images');
      expect(errors[2]).toMatch(/^input_images: could not download .*: 404 Not Found$/);
    });

    it('can take invalid input at create and fail the training as it starts', async () => {
      const sim = await replicateSimulator({ validateAtCreate: false });
      const zipUrl = await ready(sim);
      const created = await train(sim, { input_images: zipUrl, steps: 1 });
      expect(created.status).toBe(201);
      const failed = await walk(sim, created.json.id, ['failed']);
      expect(failed.json.error).toMatch(/^Prediction input failed validation: .*input\.steps/);
    });

    it('lists trainings newest first in pages with absolute next URLs, and refuses a bad cursor', async () => {
      const sim = await replicateSimulator({ pageSize: 2 });
      const seeded = [];
      for (let i = 0; i < 5; i++) seeded.push(sim.addTraining({ status: 'succeeded' }).id);
      const seen: string[] = [];
      let next: string | null = '/v1/trainings';
      let pages = 0;
      while (next) {
        const page: Reply = await call(sim, 'GET', next);
        expect(page.status).toBe(200);
        for (const item of page.json.results) {
          expect(item).not.toHaveProperty('logs');
          seen.push(item.id);
        }
        next = page.json.next;
        if (next) expect(next).toMatch(new RegExp(`^${sim.url}/v1/trainings\\?cursor=`));
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...seeded].reverse());
      expect((await call(sim, 'GET', '/v1/trainings?cursor=%%%')).status).toBe(400);
    });

    it('cancels a running training; a finished one stays as it is, or is refused', async () => {
      const sim = await replicateSimulator();
      const running = sim.addTraining({ status: 'processing' });
      const cancelled = await call(sim, 'POST', `/v1/trainings/${running.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.status).toBe('canceled');
      expect(cancelled.json.completed_at).toBeTruthy();
      const again = await call(sim, 'POST', `/v1/trainings/${running.id}/cancel`);
      expect(again.json.status).toBe('canceled');

      const strict = await replicateSimulator({ cancelTerminal: 'refuse' });
      const done = strict.addTraining({ status: 'succeeded' });
      const refused = await call(strict, 'POST', `/v1/trainings/${done.id}/cancel`);
      expect(refused.status).toBe(409);
      expect(strict.trainingShape(done.id)!.status).toBe('succeeded');
      expect((await call(sim, 'POST', '/v1/trainings/nope/cancel')).status).toBe(404);
    });

    it('creates the training and then loses the answer with afterCommit', async () => {
      const sim = await replicateSimulator();
      const zipUrl = await ready(sim);
      sim.injectFault('submit', { afterCommit: true, status: 502 });
      const lost = await train(sim, { input_images: zipUrl });
      expect(lost.status).toBe(502);
      expect(sim.trainings.size).toBe(1);
      const list = await call(sim, 'GET', '/v1/trainings');
      expect(list.json.results).toHaveLength(1);
      // A refused request is refused whatever the fault: nothing is created.
      sim.injectFault('submit', { afterCommit: true, reset: true });
      expect((await train(sim, { input_images: zipUrl, steps: 1 })).status).toBe(422);
      expect(sim.trainings.size).toBe(1);
    });

    it('answers a 429 with Retry-After and Replicate’s text, and creates nothing', async () => {
      const sim = await replicateSimulator();
      const zipUrl = await ready(sim);
      sim.injectFault('submit', { status: 429, retryAfter: '2' });
      const throttled = await train(sim, { input_images: zipUrl });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('2');
      expect(throttled.headers.get('content-type')).toBe('application/problem+json');
      expect(throttled.json.detail).toBe('Request was throttled. Expected available in 2 second.');
      expect(sim.trainings.size).toBe(0);
    });
  });

  describe('weights', () => {
    it('serves a real tar with the LoRA in it, to the token only, with Range', async () => {
      const sim = await replicateSimulator({ modelBytes: 200_000 });
      const zipUrl = await ready(sim);
      const id = (await train(sim, { input_images: zipUrl, trigger_word: 'ZQX' })).json.id;
      const done = await walk(sim, id, ['succeeded']);
      const weights = done.json.output.weights as string;

      const anonymous = await fetch(weights);
      expect(anonymous.status).toBe(401);
      const whole = await call(sim, 'GET', weights);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('application/x-tar');
      expect(whole.body.length % 10_240).toBe(0);
      const expected = sim.weights(id);
      expect(createHash('sha256').update(whole.body).digest('hex')).toBe(expected.tar.sha256);

      const part = await call(sim, 'GET', weights, { headers: { Range: 'bytes=1000-' } });
      expect(part.status).toBe(206);
      expect(part.body).toEqual(whole.body.subarray(1000));

      const read = await sevenZip(whole.body, LORA_MEMBER);
      if (!read) throw new Error('7-Zip (7zip-bin) could not run here, so the tar was not read');
      expect(read.names).toEqual(
        expect.arrayContaining([
          'output/flux_train_replicate/config.yaml',
          'output/flux_train_replicate/captions/a.txt',
          LORA_MEMBER,
        ]),
      );
      expect(read.names.filter((n) => n.endsWith('.safetensors'))).toEqual([LORA_MEMBER]);
      expect(createHash('sha256').update(read.data!).digest('hex')).toBe(expected.lora.sha256);
      expect(expected.lora.sha256).toBe(modelFile(id, 200_000).sha256());
    });

    it('writes ustar headers that a tar reader accepts for long names, and pads to whole records', async () => {
      const long = `${'d'.repeat(120)}/${'f'.repeat(90)}.txt`;
      const tar = tarArchive([
        { name: 'x/', folder: true },
        { name: long, data: Buffer.from('hello') },
        { name: 'x/big.bin', file: modelFile('t', 70_000) },
      ]);
      const bytes = Buffer.concat([...tar.chunks()]);
      expect(bytes.length).toBe(tar.size);
      expect(tar.size % 10_240).toBe(0);
      expect(Buffer.concat([...tar.chunks(600, 1700)])).toEqual(bytes.subarray(600, 1700));
      const read = await sevenZip(bytes, long);
      if (!read) throw new Error('7-Zip (7zip-bin) could not run here, so the tar was not read');
      expect(read.names).toEqual(['x', long, 'x/big.bin']);
      expect(read.data!.toString()).toBe('hello');
    });
  });
});
