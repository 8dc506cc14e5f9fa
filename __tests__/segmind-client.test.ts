import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RetryPolicy } from '../src/http/retry.js';
import { HttpError, proxyFor, proxyRefusal, withoutQuery } from '../src/http/send.js';
import { SegmindClient } from '../src/providers/segmind/client.js';
import { answerMessage as segmindMessage } from '../src/http/message.js';
import { parseMultipart, startSimulator, type Simulator } from '../simulator/segmind-simulator.js';

const KEY = 'unit-key-3f9a';
const QUICK: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 };

describe('segmindMessage', () => {
  it.each([
    ['{"message":"Invalid theme"}', 'Invalid theme'],
    ['{"error":"Unauthorized"}', 'Unauthorized'],
    ['{"detail":"Not Found"}', 'Not Found'],
    ['{"msg":"slow down"}', 'slow down'],
    ['{"error_message":"queue full"}', 'queue full'],
    ['{"message":"","error":"the real one"}', 'the real one'],
    ['{"error":{"message":"nested","code":7}}', 'nested'],
    ['{"error":{"code":7}}', '{"code":7}'],
    [
      '{"detail":[{"loc":["body","name"],"msg":"field required"},{"loc":["body","theme"],"msg":"bad value"}]}',
      'body.name: field required; body.theme: bad value',
    ],
    ['{"status":"error"}', '{"status":"error"}'],
    ['"just a string"', 'just a string'],
    ['Internal Server Error', 'Internal Server Error'],
    ['  line one\n  line two  ', 'line one line two'],
    ['', ''],
  ])('%s -> %j', (body, message) => {
    expect(segmindMessage(body)).toBe(message);
  });

  it('takes the title of an HTML error page, or its text without markup', () => {
    expect(
      segmindMessage(
        '<html><head><title>504 Gateway Time-out</title></head><body><h1>504</h1></body></html>',
      ),
    ).toBe('504 Gateway Time-out');
    expect(
      segmindMessage(
        '<!DOCTYPE html><html><body><script>x()</script><p>Service <b>down</b></p></body></html>',
      ),
    ).toBe('Service down');
  });

  it('keeps at most 300 characters', () => {
    const message = segmindMessage(JSON.stringify({ message: 'x'.repeat(1000) }));
    expect(message).toBe(`${'x'.repeat(300)}…`);
  });
});

describe('withoutQuery', () => {
  const url =
    'https://bucket.s3.amazonaws.com/uploads/u/f-job.zip?X-Amz-Credential=AKIA%2F2025&X-Amz-Signature=abc123';

  it('takes the signed query out of whatever quotes the URL or its path', () => {
    expect(withoutQuery(`PUT ${url} failed`, url)).toBe(
      'PUT https://bucket.s3.amazonaws.com/uploads/u/f-job.zip failed',
    );
    expect(
      withoutQuery(
        'Request timeout: /uploads/u/f-job.zip?X-Amz-Credential=AKIA%2F2025&X-Amz-Signature=abc123',
        url,
      ),
    ).toBe('Request timeout: /uploads/u/f-job.zip');
    expect(withoutQuery('nothing to hide', url)).toBe('nothing to hide');
  });
});

describe('proxyFor (how @actions/http-client picks a proxy)', () => {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
  let saved: Record<string, string | undefined>;
  let stdout: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    for (const n of names) delete process.env[n];
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  });

  it('is undefined without proxy variables', () => {
    expect(proxyFor('https://api.segmind.com/finetune/request/list')).toBeUndefined();
  });

  it('uses HTTPS_PROXY for https URLs and HTTP_PROXY for http ones', () => {
    process.env.HTTPS_PROXY = 'http://secure-proxy:3128';
    process.env.HTTP_PROXY = 'http://plain-proxy:3128';
    expect(proxyFor('https://api.segmind.com/x')).toBe('http://secure-proxy:3128');
    expect(proxyFor('http://api.example.test/x')).toBe('http://plain-proxy:3128');
  });

  it('prefers the lower-case variable', () => {
    process.env.HTTPS_PROXY = 'http://upper:1';
    process.env.https_proxy = 'http://lower:2';
    expect(proxyFor('https://api.segmind.com/x')).toBe('http://lower:2');
  });

  it('never shows the credentials, and masks the password', () => {
    process.env.HTTPS_PROXY = 'http://ci:s%40cret@proxy.corp:8080';
    expect(proxyFor('https://api.segmind.com/x')).toBe('http://proxy.corp:8080');
    const written = stdout.mock.calls.map((call: unknown[]) => String(call[0])).join('');
    expect(written).toContain('::add-mask::s@cret');
  });

  it.each([
    ['the exact host', 'api.segmind.com'],
    ['a parent domain', 'segmind.com'],
    ['a dotted suffix', '.segmind.com'],
    ['host and port', 'api.segmind.com:443'],
    ['any case, among others', 'example.org, API.SEGMIND.COM'],
    ['a star', '*'],
  ])('goes direct when NO_PROXY lists %s', (_what, noProxy) => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:8080';
    process.env.NO_PROXY = noProxy;
    expect(proxyFor('https://api.segmind.com/x')).toBeUndefined();
  });

  it.each([['other.com'], ['api.segmind.com:8443'], ['pi.segmind.com']])(
    'still uses the proxy when NO_PROXY lists only %s',
    (noProxy) => {
      process.env.HTTPS_PROXY = 'http://proxy.corp:8080';
      process.env.NO_PROXY = noProxy;
      expect(proxyFor('https://api.segmind.com/x')).toBe('http://proxy.corp:8080');
    },
  );

  it('always sends loopback hosts direct, whatever the variables say', () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:8080';
    process.env.HTTP_PROXY = 'http://proxy.corp:8080';
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost:9/x',
      'http://[::1]:9/x',
      'http://127.8.9.10/x',
    ]) {
      expect(proxyFor(url), url).toBeUndefined();
    }
  });

  it('reads the status of a refused CONNECT from the tunnel agent’s error', () => {
    expect(
      proxyRefusal(new Error('tunneling socket could not be established, statusCode=407')),
    ).toBe(407);
    expect(proxyRefusal(new Error('connect ECONNREFUSED 127.0.0.1:9'))).toBeUndefined();
  });
});

describe('SegmindClient against the simulator', () => {
  let sim: Simulator;
  let stdout: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    sim = await startSimulator({ apiKey: KEY });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.requests.length = 0;
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());

  const client = (key = KEY, url = sim.url) => new SegmindClient(url, key, QUICK);

  it('sends details as a GET with a JSON body and the key, and returns the record', async () => {
    const job = sim.addJob({ name: 'unit-a', status: 'AVAILABLE' });
    const record = await client().details(job.finetune_id);
    expect(record).toMatchObject({ finetune_id: job.finetune_id, status: 'AVAILABLE' });
    const [request] = sim.requests;
    expect(request!.method).toBe('GET');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-api-key']).toBe(KEY);
    expect(JSON.parse(request!.body.toString())).toEqual({ request_id: job.finetune_id });
  });

  it('retries a 5xx and a reset, then succeeds', async () => {
    sim.injectFault('list', { status: 503 });
    sim.injectFault('list', { reset: true });
    const list = await client().list();
    expect(Array.isArray(list)).toBe(true);
    expect(sim.requests).toHaveLength(3);
  });

  it('stops after the policy’s attempts, with a transient error naming endpoint and status', async () => {
    sim.injectFault('list', { status: 502, times: 3, body: { message: 'upstream down' } });
    const error = (await client()
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(502);
    expect(error.transient).toBe(true);
    expect(error.message).toBe(
      'Segmind GET /finetune/request/list answered HTTP 502: upstream down (gave up after 3 attempts)',
    );
    expect(sim.requests).toHaveLength(3);
  });

  it('makes one request on a 401 and says the key was rejected, never quoting it', async () => {
    const error = (await client('wrong-key')
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(sim.requests).toHaveLength(1);
    expect(error.status).toBe(401);
    expect(error.transient).toBe(false);
    expect(error.hint).toMatch(/rejected the API key/);
    expect(`${error.message}${error.hint}`).not.toContain('wrong-key');
  });

  it('never retries a submit itself: a lost answer is train’s to settle', async () => {
    sim.injectFault('submit', { status: 503 });
    const error = (await client()
      .submit({} as never)
      .catch((e: unknown) => e)) as HttpError;
    expect(error.transient).toBe(true);
    expect(sim.requests).toHaveLength(1);
  });

  it('answers an unknown id with what to check', async () => {
    const error = (await client()
      .details('no-such-id')
      .catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(404);
    expect(error.hint).toMatch(/No fine-tune with this id exists for this API key/);
  });

  it('sends set-access as a multipart form with True/False', async () => {
    const job = sim.addJob({ name: 'unit-b' });
    await client().setAccess(job.finetune_id, true);
    const put = sim.requests[0]!;
    expect(put.method).toBe('PUT');
    expect(
      Object.fromEntries(parseMultipart(put.body, put.headers['content-type'] as string)),
    ).toEqual({
      request_id: job.finetune_id,
      segmind_public: 'True',
    });
    // The same fields as a parser that is not the simulator's reads them (undici's, behind
    // fetch's Response), as any server's form parser would.
    const form = await new Response(new Uint8Array(put.body), {
      headers: { 'content-type': String(put.headers['content-type']) },
    }).formData();
    expect(Object.fromEntries(form)).toEqual({
      request_id: job.finetune_id,
      segmind_public: 'True',
    });
    expect(job.segmind_public).toBe(true);
  });

  it('calls a network failure transient and says where no answer came from', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = (await client(KEY, `http://127.0.0.1:${port}`)
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(error.transient).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(
      new RegExp(
        `ECONNREFUSED.*\\(no answer from 127\\.0\\.0\\.1:${port}\\) \\(gave up after 3 attempts\\)`,
      ),
    );
  });
});

describe('SegmindClient against answers of unexpected shapes', () => {
  let server: http.Server;
  let url: string;
  let answer: { status: number; body: string; headers?: Record<string, string> };
  let stdout: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());

  it('does not follow a redirect, which would take the API key to another host', async () => {
    let elsewhere = 0;
    const other = http.createServer((_req, res) => {
      elsewhere++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const location = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
      answer = { status: 307, body: '', headers: { location } };
      const error = (await new SegmindClient(url, KEY, QUICK)
        .list()
        .catch((e: unknown) => e)) as HttpError;
      expect(error.message).toMatch(/answered HTTP 307/);
      expect(elsewhere).toBe(0);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('takes an empty "finetune" record for an unknown id', async () => {
    for (const body of ['{"finetune":null}', '{"finetune":{}}']) {
      answer = { status: 200, body };
      const error = (await new SegmindClient(url, KEY, QUICK)
        .details('ghost')
        .catch((e: unknown) => e)) as HttpError;
      expect(error.message).toMatch(/no fine-tune ghost/);
      expect(error.hint).toMatch(/No fine-tune with this id exists/);
      expect(error.transient).toBe(false);
    }
  });

  it('names what is missing from a submit answer', async () => {
    answer = { status: 200, body: '{"status":"REQUESTED"}' };
    await expect(new SegmindClient(url, KEY, QUICK).submit({} as never)).rejects.toThrow(
      /answered HTTP 200: an answer with no finetune_id or request_id/,
    );
  });

  it('never prints a pre-signed answer it cannot use', async () => {
    answer = { status: 200, body: '{"presigned_url":"https://s3/x?X-Amz-Signature=sekret"}' };
    const error = (await new SegmindClient(url, KEY, QUICK)
      .presign('a.zip')
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/no presigned_url and s3_url/);
    expect(error.message).not.toContain('sekret');
  });

  it('refuses a plain-http upload URL off loopback, without quoting it', async () => {
    answer = {
      status: 200,
      body: '{"presigned_url":"http://s3.example/x?X-Amz-Signature=sekret","s3_url":"http://s3.example/x"}',
    };
    const error = (await new SegmindClient(url, KEY, QUICK)
      .presign('a.zip')
      .catch((e: unknown) => e)) as HttpError;
    expect(error.message).toMatch(/a presigned_url that is not https/);
    expect(error.message).not.toContain('sekret');
    expect(error.transient).toBe(false);
  });

  it('says a list that is not an array is not what it expected', async () => {
    answer = { status: 200, body: '{"items":[]}' };
    await expect(new SegmindClient(url, KEY, QUICK).list()).rejects.toThrow(/not a JSON array/);
  });
});

describe('SegmindClient against truncated, malformed and hostile answers (simulator)', () => {
  let sim: Simulator;
  let stdout: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    sim = await startSimulator({ apiKey: KEY });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.requests.length = 0;
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());
  const client = () => new SegmindClient(sim.url, KEY, QUICK);

  it.each(['not-json', 'null', 'empty-object', 'html'] as const)(
    'retries a 200 list answer that is %s like a 5xx, then succeeds',
    async (kind) => {
      sim.injectFault('list', { malformed: kind });
      expect(Array.isArray(await client().list())).toBe(true);
      expect(sim.requests).toHaveLength(2);
    },
  );

  it('retries cut-off and malformed answers of details and presign', async () => {
    const job = sim.addJob({ name: 'unit-cut' });
    sim.injectFault('details', { truncate: true });
    sim.injectFault('details', { malformed: 'empty-array' });
    expect((await client().details(job.finetune_id)).finetune_id).toBe(job.finetune_id);
    sim.injectFault('presign', { truncate: 4 });
    sim.injectFault('presign', { malformed: 'null' });
    expect((await client().presign('a.zip')).s3Url).toMatch(/^http/);
    expect(sim.requests).toHaveLength(6);
  });

  it('when retries run out, names the endpoint and quotes a short single-line excerpt', async () => {
    sim.injectFault('list', { malformed: 'html', times: 3 });
    const error = (await client()
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(error.transient).toBe(true);
    expect(error.status).toBe(200);
    expect(error.message).toMatch(
      /^Segmind GET \/finetune\/request\/list answered HTTP 200: an answer that is not a JSON array \(an HTML or XML page, not JSON: "<!DOCTYPE html>.{1,200}"\) \(gave up after 3 attempts\)$/,
    );
  });

  it('takes a malformed submit answer for a lost one: transient, and tried once', async () => {
    sim.injectFault('submit', { malformed: 'null' });
    const error = (await client()
      .submit({} as never)
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/no finetune_id or request_id \(JSON null\)/);
    expect(sim.requests).toHaveLength(1);
  });

  it('never shows a lone CR, U+2028 or a control character of Segmind’s text as a line break', async () => {
    sim.injectFault('list', { status: 400, message: 'bad\rrequest\u2028::error::x\u0085y\u001b' });
    const error = (await client()
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(error.message).toBe(
      'Segmind GET /finetune/request/list answered HTTP 400: bad request ::error::x y',
    );
    expect(error.serverMessage).not.toMatch(/[\r\n\u2028\u0085]/);
  });

  it.each([
    [410, 'Gone'],
    [400, 'Fine-tuning is deprecated and no longer accepts new jobs'],
    [403, 'This API no longer accepts fine-tuning requests'],
  ])(
    'does not retry a %i saying fine-tuning is gone, and says what still works',
    async (status, message) => {
      sim.injectFault('submit', { status, message });
      const error = (await client()
        .submit({} as never)
        .catch((e: unknown) => e)) as HttpError;
      expect(error.transient).toBe(false);
      expect(error.message).toBe(
        `Segmind refused new fine-tunes for this key (Segmind POST /finetune/request/submit answered HTTP ${status}): "${message}"`,
      );
      expect(error.hint).toMatch(
        /`command: status`, `command: list`, `command: set-access` and `command: download`.*`provider: fal` or `provider: replicate`/,
      );
      sim.injectFault('presign', { status, message });
      await expect(client().presign('a.zip')).rejects.toThrow(/refused new fine-tunes/);
      expect(sim.requests).toHaveLength(2);
    },
  );

  it('takes a 5xx or a 200 saying fine-tuning is over, on submit, as the service gone: no retry, no lost answer', async () => {
    sim.injectFault('submit', { status: 503, message: 'Fine-tuning has been discontinued' });
    const fivexx = (await client()
      .submit({} as never)
      .catch((e: unknown) => e)) as HttpError;
    expect(fivexx.transient).toBe(false);
    expect(fivexx.message).toMatch(/^Segmind refused new fine-tunes for this key .*HTTP 503/);
    sim.injectFault('submit', {
      status: 200,
      body: { message: 'Fine-tuning is no longer offered for new jobs' },
    });
    const ok = (await client()
      .submit({} as never)
      .catch((e: unknown) => e)) as HttpError;
    expect(ok.transient).toBe(false);
    expect(ok.hint).toMatch(/`provider: fal` or `provider: replicate`/);
    expect(sim.requests).toHaveLength(2);
    // A 200 without an id that says nothing of the kind stays a lost answer.
    sim.injectFault('submit', { status: 200, body: { message: 'queued' } });
    const lost = (await client()
      .submit({} as never)
      .catch((e: unknown) => e)) as HttpError;
    expect(lost.transient).toBe(true);
  });

  it('reads a 410 on a model’s own endpoints as a retired model, not as the end of training', async () => {
    sim.injectFault('details', { status: 410, message: 'This model has been retired' });
    const error = (await client()
      .details('ft-1')
      .catch((e: unknown) => e)) as HttpError;
    expect(error.transient).toBe(false);
    expect(error.message).not.toMatch(/refused new fine-tunes/);
    expect(error.message).toMatch(/HTTP 410/);
    expect(error.hint).toMatch(/retired: it no longer serves that model/);
    expect(error.hint).not.toMatch(/`command: status`/);
    expect(sim.requests).toHaveLength(1);
  });

  it('reads a 410 on the list as the fine-tune API gone, not as one retired model', async () => {
    sim.injectFault('list', { status: 410, message: 'Gone' });
    const error = (await client()
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(error.transient).toBe(false);
    expect(error.hint).toMatch(/its list of fine-tunes: its fine-tuning API is gone/);
    expect(error.hint).not.toMatch(/retired/);
  });

  it('keeps an ordinary 403 a rejected key', async () => {
    sim.injectFault('list', { status: 403, message: 'Forbidden' });
    const error = (await client()
      .list()
      .catch((e: unknown) => e)) as HttpError;
    expect(error.hint).toMatch(/rejected the API key/);
  });
});
