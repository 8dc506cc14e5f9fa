// fal's client and provider against a server whose answers the test writes: the variants fal's
// contract leaves open (docs/fal.md marks them inferred) must all be understood. Real HTTP on
// loopback; the multipart upload against the fal simulator.
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withStdout } from './helpers/stdout.js';
import { FalClient, falHosts, falMessage, requestIdHeader } from '../src/providers/fal/client.js';
import { FalProvider } from '../src/providers/fal/provider.js';
import { falInput } from '../src/providers/fal/mapping.js';
import { uploadToFal } from '../src/providers/fal/upload.js';
import { HttpError } from '../src/http/send.js';
import type { RetryPolicy } from '../src/http/retry.js';
import type { TrainingSettings } from '../src/inputs.js';
import { FAL_KEY, falSimulator } from './helpers/fal.js';

const RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 };
const SETTINGS: TrainingSettings = {
  provider: 'fal',
  instancePrompt: 'photo of TOK',
  triggerWord: 'TOK',
  captioning: true,
  baseModel: 'FLUX_DEV',
  theme: 'GENERAL',
  isPublic: false,
  iterations: 1000,
};

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A fal API whose answers the test scripts by `METHOD path` (no query); records the queries. */
async function scripted(routes: Record<string, Answer | Answer[]>) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${req.method} ${url.pathname}`;
    seen.push(`${key}${url.search}`);
    let answer = routes[key];
    if (Array.isArray(answer)) answer = answer.length > 1 ? answer.shift() : answer[0];
    req.resume();
    req.on('end', () => {
      if (!answer) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Not found' }));
        return;
      }
      const body =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen };
}

const provider = (url: string, settings: Partial<TrainingSettings> = {}) =>
  new FalProvider({
    apiUrl: url,
    apiKey: FAL_KEY,
    retry: RETRY,
    settings: { ...SETTINGS, ...settings },
  });

const ID = '5b3a64f0-0000-4000-8000-000000000001';
const FAST = '/fal-ai/flux-lora-fast-training';

describe('fal client', () => {
  it('takes the request id from the header when the submit answer’s body lacks it', async () => {
    const api = await scripted({
      [`POST ${FAST}`]: {
        status: 200,
        body: { status: 'IN_QUEUE' },
        headers: { 'x-fal-request-id': ID },
      },
    });
    const answer = await new FalClient(falHosts(api.url), FAL_KEY, RETRY).submit(
      'fal-ai/flux-lora-fast-training',
      {},
    );
    expect(answer).toMatchObject({ request_id: ID, status: 'IN_QUEUE' });
  });

  it('takes a submit answer naming no request, in its body or a header, for a lost answer (transient), sent once', async () => {
    const api = await scripted({ [`POST ${FAST}`]: { status: 200, body: '<html>ok</html>' } });
    const error = await new FalClient(falHosts(api.url), FAL_KEY, RETRY)
      .submit('fal-ai/flux-lora-fast-training', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).transient).toBe(true);
    expect(api.seen).toHaveLength(1);
  });

  it('reads fal’s messages: a string detail, a validation list, an error_type', () => {
    expect(falMessage(Buffer.from('{"detail":"Request not found"}'))).toBe('Request not found');
    expect(falMessage(Buffer.from('{"detail":[{"loc":["body","steps"],"msg":"too big"}]}'))).toBe(
      'body.steps: too big',
    );
    expect(falMessage(Buffer.from('{"detail":"Timed out","error_type":"request_timeout"}'))).toBe(
      'Timed out (request_timeout)',
    );
  });

  it('accepts a request id header of an id’s characters only', () => {
    expect(requestIdHeader({ 'x-fal-request-id': ID })).toBe(ID);
    expect(requestIdHeader({ 'x-fal-request-id': 'a b' })).toBeUndefined();
    expect(requestIdHeader({})).toBeUndefined();
  });

  it('ends the history on has_more false, or on a cursor that repeats', async () => {
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': [
        {
          status: 200,
          body: { items: [{ request_id: 'a' }], next_cursor: 'Mg==', has_more: true },
        },
        { status: 200, body: { items: [{ request_id: 'b' }], next_cursor: 'Mg==' } },
      ],
    });
    const list = await provider(api.url).list();
    expect(list.jobs.map((j) => j.id)).toEqual(['a', 'b']);
    expect(api.seen).toHaveLength(2);
    expect(api.seen[0]).toContain('expand=payloads');
    expect(api.seen[0]).toMatch(/start=\d{4}-\d\d-\d\dT/);
  });
});

describe('fal provider', () => {
  it('reads a completed request’s output from its result; an error status from the status', async () => {
    const lora = {
      url: 'https://v3.fal.media/files/x/pytorch_lora_weights.safetensors',
      file_size: 123,
    };
    const api = await scripted({
      [`GET ${FAST}/requests/${ID}/status`]: {
        status: 200,
        body: { status: 'COMPLETED', request_id: ID },
      },
      [`GET ${FAST}/requests/${ID}`]: {
        status: 200,
        body: { diffusers_lora_file: lora, config_file: { url: 'https://v3.fal.media/c.json' } },
      },
    });
    const job = await provider(api.url).get(ID);
    expect(job).toMatchObject({
      id: ID,
      status: 'COMPLETED',
      stage: 'ready',
      modelUrl: lora.url,
      slug: 'fal-ai/flux-lora',
    });
    const source = provider(api.url).modelSource(job);
    expect(source).toMatchObject({ provider: 'fal', refreshable: false, size: 123 });
    expect(await source.link()).toEqual({ url: lora.url });
  });

  it('takes a cancelled request as cancelled, and other errors as failed, with fal’s words', async () => {
    const api = await scripted({
      [`GET ${FAST}/requests/${ID}/status`]: [
        {
          status: 200,
          body: {
            status: 'COMPLETED',
            error: 'Request was cancelled',
            error_type: 'request_cancelled',
          },
        },
        { status: 200, body: { status: 'COMPLETED', error: 'CUDA out of memory' } },
      ],
      [`GET ${FAST}/requests/${ID}`]: [
        { status: 499, body: { detail: 'Request was cancelled' } },
        { status: 500, body: { detail: 'CUDA out of memory' } },
      ],
    });
    const p = provider(api.url);
    expect(await p.get(ID)).toMatchObject({ stage: 'cancelled', error: 'Request was cancelled' });
    expect(await p.get(ID)).toMatchObject({ stage: 'failed', error: 'CUDA out of memory' });
  });

  it('waits on a result that says “still in progress” a moment after the status said COMPLETED', async () => {
    const api = await scripted({
      [`GET ${FAST}/requests/${ID}/status`]: { status: 200, body: { status: 'COMPLETED' } },
      [`GET ${FAST}/requests/${ID}`]: {
        status: 400,
        body: { detail: 'Request is still in progress' },
      },
    });
    expect(await provider(api.url).get(ID)).toMatchObject({
      status: 'COMPLETED',
      stage: 'training',
    });
  });

  it('after a lost answer: a 500 without a request id is looked up in the history, and not resent when absent', async () => {
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': { status: 200, body: { items: [] } },
    });
    const lost = new HttpError({ what: 'x', status: 500, transient: true, serverMessage: 'boom' });
    const after = await provider(api.url).afterLostSubmit(
      { name: 'n', dataUrl: 'https://x/n.zip', uploaded: true, settings: SETTINGS },
      lost,
    );
    expect(after.found).toBe('unknown');
  });

  it('after a lost answer: adopts only a request of this data and settings that was not there before', async () => {
    const data = 'https://example.com/shared/dataset.zip';
    const input = falInput({ ...SETTINGS } as TrainingSettings);
    const item = (
      id: string,
      extra: Record<string, unknown>,
      code = 200,
      sentAt = '2026-12-01T10:00:00Z',
    ) => ({
      request_id: id,
      endpoint_id: 'fal-ai/flux-lora-fast-training',
      sent_at: sentAt,
      ended_at: sentAt,
      status_code: code,
      json_input: { images_data_url: data, ...input, ...extra },
      json_output:
        code === 200 ? { diffusers_lora_file: { url: `https://v3.fal.media/${id}` } } : {},
    });
    // Before the submit: an earlier failed run of the same data and settings, and a finished one
    // of the same data with other settings.
    const before = [item('old-failed', {}, 422), item('old-other', { steps: 5 })];
    // Another run's request of the same URL and settings, still training when this run looked
    // (so not in the history then), finished since: sent before this run's submit, not its own.
    const theirs = item('theirs', {}, 200, new Date(Date.now() - 3_600_000).toISOString());
    const mine = item('mine', {}, 200, new Date().toISOString());
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': [
        { status: 200, body: { items: before } },
        { status: 200, body: { items: [...before, theirs] } },
        { status: 200, body: { items: [...before, theirs, mine] } },
      ],
    });
    const p = provider(api.url);
    expect(
      await p.findReusable({ name: 'n', settings: SETTINGS, datasetUrl: data }),
    ).toBeUndefined();
    const plan = { name: 'n', dataUrl: data, uploaded: false, settings: SETTINGS };
    const lost = new HttpError({ what: 'x', status: 500, transient: true, serverMessage: 'boom' });
    const first = await p.afterLostSubmit(plan, lost);
    expect(first.found).toBe('unknown');
    if (first.found === 'unknown')
      expect(first.hint).toMatch(/found by its dataset URL and settings/);
    expect(await p.afterLostSubmit(plan, lost)).toMatchObject({ found: { id: 'mine', name: 'n' } });
  });

  it('after a lost answer: a 504 without a request id is looked up, a 502 or 503 is not', async () => {
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': { status: 200, body: { items: [] } },
    });
    const plan = { name: 'n', dataUrl: 'https://x/n.zip', uploaded: true, settings: SETTINGS };
    const lost = (status: number) =>
      new HttpError({ what: 'x', status, transient: true, serverMessage: 'gateway' });
    const p = provider(api.url);
    expect((await p.afterLostSubmit(plan, lost(503))).found).toBe('none');
    expect((await p.afterLostSubmit(plan, lost(502))).found).toBe('none');
    expect(api.seen).toEqual([]);
    expect((await p.afterLostSubmit(plan, lost(504))).found).toBe('unknown');
    expect(api.seen).toHaveLength(1);
  });

  it('after a lost answer: a request fal named is adopted even when asking about it fails', async () => {
    const api = await scripted({
      [`GET ${FAST}/requests/${ID}/status`]: { status: 401, body: { detail: 'no' } },
    });
    const lost = new HttpError({
      what: 'x',
      status: 500,
      transient: true,
      serverMessage: 'boom',
      headers: { 'x-fal-request-id': ID },
    });
    const after = await provider(api.url).afterLostSubmit(
      { name: 'n', dataUrl: 'https://x/n.zip', uploaded: true, settings: SETTINGS },
      lost,
    );
    expect(after.found).toMatchObject({ id: ID, name: 'n', stage: 'unknown' });
  });

  it('after a lost answer: a request fal named but does not have (404) is not adopted', async () => {
    // The status is asked on each trainer: 404 on both means fal has no such request.
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': { status: 200, body: { items: [] } },
    });
    const lost = (status: number) =>
      new HttpError({
        what: 'x',
        status,
        transient: true,
        serverMessage: 'busy',
        headers: { 'x-fal-request-id': ID },
      });
    const plan = { name: 'n', dataUrl: 'https://x/n.zip', uploaded: true, settings: SETTINGS };
    // A 503 refusal that carries an id: nothing was queued, a resend is safe.
    const refused = await provider(api.url).afterLostSubmit(plan, lost(503));
    expect(refused).toMatchObject({ found: 'none' });
    expect(refused.found === 'none' && refused.log).toMatch(
      /HTTP 503 naming request .+, which fal does not have, so nothing was queued/,
    );
    // A 500 with an unknown id: the history cannot show a queued request, so nothing is resent.
    expect((await provider(api.url).afterLostSubmit(plan, lost(500))).found).toBe('unknown');
  });

  it('reuse: warns that requests whose input fal does not show could not be compared', async () => {
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': {
        status: 200,
        body: {
          items: [
            {
              request_id: 'blind',
              endpoint_id: 'fal-ai/flux-lora-fast-training',
              sent_at: '2026-11-30T09:00:00Z',
              ended_at: '2026-11-30T10:00:00Z',
              status_code: 200,
            },
          ],
        },
      },
    });
    const { value, error, stdout } = await withStdout(() =>
      provider(api.url).findReusable({ name: 'j', settings: SETTINGS }),
    );
    expect(error).toBeUndefined();
    expect(value).toBeUndefined();
    expect(stdout).toMatch(
      /::warning::fal's history holds 1 request of fal-ai\/flux-lora-fast-training without its input/,
    );
  });

  it('reuse: matches its own upload by the file’s name, and a dataset-url by the whole input', async () => {
    const item = (id: string, input: Record<string, unknown>, code = 200) => ({
      request_id: id,
      endpoint_id: 'fal-ai/flux-lora-fast-training',
      sent_at: '2026-11-30T09:00:00Z',
      ended_at: '2026-11-30T10:00:00Z',
      status_code: code,
      json_input: input,
      json_output:
        code === 200
          ? { diffusers_lora_file: { url: `https://v3.fal.media/${id}.safetensors` } }
          : { detail: 'bad' },
    });
    const api = await scripted({
      'GET /v1/models/requests/by-endpoint': {
        status: 200,
        body: {
          items: [
            item(
              'failed',
              {
                images_data_url: 'https://v3.fal.media/files/a/job-1.zip',
                trigger_word: 'TOK',
                steps: 1000,
              },
              422,
            ),
            item('other', {
              images_data_url: 'https://v3.fal.media/files/b/my-job-1.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            item('mine', {
              images_data_url: 'https://v3.fal.media/files/c/job-1.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            // fal's CDN shape: the upload's name after a 21-character id and '_'.
            item('cdn', {
              images_data_url: 'https://v3.fal.media/files/zebra/wTM2HIdYkQ_l0q5q-TDl9_job-3.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            item('cdn-other', {
              images_data_url:
                'https://v3.fal.media/files/zebra/wTM2HIdYkQ_l0q5q-TDl9_my-job-4.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            item('underscored-name', {
              images_data_url:
                'https://v3.fal.media/files/zebra/stable_diffusion_lora_experiments-0a1b.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            item('not-an-id', {
              images_data_url: 'https://v3.fal.media/files/zebra/short_job-5.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            item('public', {
              images_data_url: 'https://data.example/d.zip',
              trigger_word: 'TOK',
              steps: 1000,
            }),
            item('public-other-steps', {
              images_data_url: 'https://data.example/d.zip',
              trigger_word: 'TOK',
              steps: 900,
            }),
          ],
        },
      },
    });
    const p = provider(api.url);
    expect((await p.findReusable({ name: 'job-1', settings: SETTINGS }))?.id).toBe('mine');
    expect((await p.findReusable({ name: 'job-2', settings: SETTINGS }))?.id).toBeUndefined();
    expect((await p.findReusable({ name: 'job-3', settings: SETTINGS }))?.id).toBe('cdn');
    // Neither a longer name that ends in the same one, nor a prefix that is no id of fal's.
    expect((await p.findReusable({ name: 'job-4', settings: SETTINGS }))?.id).toBeUndefined();
    expect((await p.findReusable({ name: 'job-5', settings: SETTINGS }))?.id).toBeUndefined();
    // The list names each request by its upload, fal's id left out; a name whose first 21
    // characters and an underscore look like one (no capital, no digit) keeps them.
    expect((await p.list()).jobs.map((j) => j.name)).toEqual(
      expect.arrayContaining([
        'job-1',
        'my-job-1',
        'job-3',
        'my-job-4',
        'short_job-5',
        'stable_diffusion_lora_experiments-0a1b',
      ]),
    );
    const byUrl = await p.findReusable({
      name: 'x',
      settings: SETTINGS,
      datasetUrl: 'https://data.example/d.zip',
    });
    expect(byUrl).toMatchObject({
      id: 'public',
      stage: 'ready',
      modelUrl: 'https://v3.fal.media/public.safetensors',
    });
    // The same file behind a link signed anew (S3's query): the same request.
    const resigned = await p.findReusable({
      name: 'x',
      settings: SETTINGS,
      datasetUrl: 'https://data.example/d.zip?X-Amz-Expires=600&X-Amz-Signature=0ddba11',
    });
    expect(resigned?.id).toBe('public');
    expect(
      await p.findReusable({
        name: 'x',
        settings: SETTINGS,
        datasetUrl: 'https://data.example/d.zip?version=2',
      }),
    ).toBeUndefined();
    // The ZIP at that URL changed after the request was sent: that request trained other bytes.
    const byUrlLater = (modified: string) =>
      p.findReusable({
        name: 'x',
        settings: SETTINGS,
        datasetUrl: 'https://data.example/d.zip',
        datasetModifiedAt: Date.parse(modified),
      });
    expect(await byUrlLater('2026-11-30T09:30:00Z')).toBeUndefined();
    expect((await byUrlLater('2026-11-30T08:59:59Z'))?.id).toBe('public');
  });

  it('uploads in parts above the threshold, as fal’s clients do, the upload URL’s query never shown', async () => {
    const sim = await falSimulator();
    const dir = await mkdtemp(path.join(tmpdir(), 'fal-multipart-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'big.zip');
    const bytes = Buffer.alloc(11 * 1024 * 1024 + 17, 7);
    await writeFile(file, bytes);
    const client = new FalClient(falHosts(sim.url), FAL_KEY, RETRY);
    const url = await uploadToFal(
      client,
      { path: file, bytes: bytes.length, fileName: 'big.zip' },
      RETRY,
      {
        threshold: 1024 * 1024,
        part: 5 * 1024 * 1024,
      },
    );
    expect(url).toMatch(/\/files\/[a-z]+\/[\w-]{21}_big\.zip$/);
    const stored = sim.files.get(new URL(url).pathname)!.body!;
    expect(stored.equals(bytes)).toBe(true);
    const storage = sim.requests
      .filter((r) => r.server === 'storage')
      .map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\/upload\/\w+/, '/upload/{id}')}`);
    expect(storage).toEqual([
      'PUT /upload/{id}/1',
      'PUT /upload/{id}/2',
      'PUT /upload/{id}/3',
      'POST /upload/{id}/complete',
    ]);
  });
});
