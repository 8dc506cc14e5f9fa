import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../src/shared/cancellation.js';
import {
  excerpt,
  HttpError,
  inFlightRequests,
  malformedAnswer,
  oneLine,
  send,
  sendStreaming,
  transportError,
  withoutQueries,
  type HttpCall,
} from '../src/http/send.js';

/** What the test server does with the next request. */
type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

let server: http.Server;
let base: string;
let behaviour: Behaviour;
const sockets = new Set<Socket>();
let stdout: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => behaviour(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stdout.mockRestore();
  // Whatever a test left hanging on the server side goes with it.
  for (const socket of sockets) socket.destroy();
});

const call = (extra: Partial<HttpCall> = {}): HttpCall => ({
  what: 'Test GET /thing',
  method: 'GET',
  url: `${base}/thing`,
  timeoutMs: 2000,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

/** Headers promising `promised` bytes, `sent` of them, then the connection is destroyed. */
const cutShort =
  (promised: number, sent: string): Behaviour =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(promised) });
    res.write(sent, () => res.socket?.destroy());
  };

describe('send', () => {
  it('resolves with any status, its headers and its whole body', async () => {
    behaviour = (_req, res) => res.writeHead(404, { 'x-thing': 'a' }).end('{"message":"no"}');
    const answer = await send(call());
    expect(answer.status).toBe(404);
    expect(answer.headers['x-thing']).toBe('a');
    expect(answer.body.toString()).toBe('{"message":"no"}');
    expect(inFlightRequests()).toEqual([]);
  });

  it('sends a GET with a body, its Content-Length and the given headers', async () => {
    let seen: { method?: string; headers?: http.IncomingHttpHeaders; body?: string } = {};
    behaviour = (req, res, body) => {
      seen = { method: req.method, headers: req.headers, body: body.toString() };
      res.end('ok');
    };
    await send(call({ body: '{"request_id":"x"}', headers: { 'X-Api-Key': 'k' } }));
    expect(seen.method).toBe('GET');
    expect(seen.body).toBe('{"request_id":"x"}');
    expect(seen.headers!['content-length']).toBe('18');
    expect(seen.headers!['x-api-key']).toBe('k');
    expect(seen.headers!['user-agent']).toBe('segmind-flux-finetune-action');
  });

  it('rejects an answer cut short (fewer bytes than Content-Length) as a transient network error', async () => {
    behaviour = cutShort(400, '{"finetune": {"id": "');
    const error = await failure(send(call()));
    expect(error.transient).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toBe(
      `Test GET /thing failed: the connection closed after 21 of the 400 bytes the answer announced (answer cut short) (from 127.0.0.1:${new URL(base).port})`,
    );
    expect(error.hint).toMatch(/network problem/);
    expect(inFlightRequests()).toEqual([]);
  });

  it('rejects a chunked answer whose connection drops before its end', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":', () => res.socket?.destroy());
    };
    const error = await failure(send(call()));
    expect(error.message).toMatch(/closed after 7 bytes of the answer, before its end/);
  });

  it('rejects a reset before any answer', async () => {
    behaviour = (req) => req.socket.destroy();
    const error = await failure(send(call()));
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    expect(error.message).toMatch(/no answer from 127\.0\.0\.1/);
  });

  it('times out when no answer comes, and when the body stalls half-way', async () => {
    behaviour = () => undefined;
    let error = await failure(send(call({ timeoutMs: 150 })));
    expect(error.message).toMatch(/no data for 0\.15 s \(timeout while waiting for the answer\)/);
    expect(error.transient).toBe(true);

    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"a":');
    };
    error = await failure(send(call({ timeoutMs: 150 })));
    expect(error.message).toMatch(/timeout while reading the answer/);
  });

  it('ends an answer that trickles in faster than the idle timeout but too slowly to ever end', async () => {
    // 10 bytes every 20 ms: the idle timer (1 s) never fires, the pace watch does.
    const drips = new Set<NodeJS.Timeout>();
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000000' });
      const drip = setInterval(() => res.write('x'.repeat(10)), 20);
      drips.add(drip);
      res.on('close', () => clearInterval(drip));
    };
    try {
      const error = await failure(send(call({ timeoutMs: 1000 })));
      expect(error.message).toMatch(/the answer came at under 16 KiB in 1 s, twice in a row/);
      expect(error.transient).toBe(true);
    } finally {
      for (const drip of drips) clearInterval(drip);
    }
  });

  it('refuses a body over its cap, announced or not', async () => {
    behaviour = (_req, res) => res.end('x'.repeat(100));
    let error = await failure(send(call({ maxBodyBytes: 10 })));
    expect(error.message).toMatch(/announced 100 bytes, more than the 10 read/);
    behaviour = (_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(50));
      res.end('x'.repeat(50));
    };
    error = await failure(send(call({ maxBodyBytes: 10 })));
    expect(error.message).toMatch(/ran past 10 bytes/);
  });

  it('rejects with the CancelledError when the run is cancelled, mid-answer', async () => {
    const controller = new AbortController();
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"a":', () => controller.abort(new CancelledError('SIGINT')));
    };
    const error = await send(call({ signal: controller.signal })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    // Already cancelled: nothing is sent.
    let requests = 0;
    behaviour = (_req, res) => {
      requests++;
      res.end();
    };
    await expect(send(call({ signal: controller.signal }))).rejects.toBeInstanceOf(CancelledError);
    expect(requests).toBe(0);
  });

  it('gives every attempt a fresh stream from the factory, and fails fast when it cannot be read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'http-test-'));
    try {
      const file = path.join(dir, 'a.bin');
      await writeFile(file, 'abcdef');
      let received = '';
      behaviour = (_req, res, body) => {
        received = body.toString();
        res.end('ok');
      };
      const factory = () => createReadStream(file);
      const headers = { 'Content-Length': '6' };
      for (let i = 0; i < 2; i++) {
        received = '';
        await send(call({ method: 'PUT', body: factory, headers }));
        expect(received).toBe('abcdef');
      }
      behaviour = () => undefined;
      const started = Date.now();
      const error = await failure(
        send(
          call({
            method: 'PUT',
            headers,
            timeoutMs: 10_000,
            body: () =>
              new Readable({
                read() {
                  this.destroy(new Error('EIO: the disk went away'));
                },
              }),
          }),
        ),
      );
      expect(error.message).toMatch(/EIO: the disk went away/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never quotes a URL query (a pre-signed signature) in its messages', async () => {
    const error = await failure(
      send(call({ url: `http://127.0.0.1:1/up?X-Amz-Signature=s3cr3t`, timeoutMs: 500 })),
    );
    expect(`${error.message}${error.hint}`).not.toContain('s3cr3t');
  });
});

describe('transportError (the one mapping of network and proxy failures)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('names a refusing proxy, with its hint, for every caller alike (the dataset-url HEAD too)', () => {
    process.env.https_proxy = 'http://ci:pw@proxy.corp:3128';
    delete process.env.no_proxy;
    delete process.env.NO_PROXY;
    const refused = new Error('tunneling socket could not be established, statusCode=407');
    const head = transportError(
      call({
        what: 'HEAD https://data.example.test/d.zip',
        url: 'https://data.example.test/d.zip',
      }),
      refused,
    ) as HttpError;
    expect(head.message).toBe(
      'HEAD https://data.example.test/d.zip failed: the proxy http://proxy.corp:3128 refused to connect to data.example.test (HTTP 407)',
    );
    expect(head.transient).toBe(false);
    expect(head.hint).toMatch(/The proxy wants credentials/);
    const gateway = transportError(
      call({ url: 'https://api.example.test/x' }),
      new Error('tunneling socket could not be established, statusCode=502'),
    ) as HttpError;
    expect(gateway.transient).toBe(true);
    expect(gateway.hint).toMatch(/could not reach api\.example\.test/);
  });

  it('says where no answer came from, and through which proxy', () => {
    process.env.https_proxy = 'http://proxy.corp:3128';
    const error = transportError(
      call({ url: 'https://api.example.test/x?sig=abc', peer: 'Segmind' }),
      Object.assign(new Error(''), { code: 'ECONNRESET' }),
    ) as HttpError;
    expect(error.message).toBe(
      'Test GET /thing failed: ECONNRESET (no answer from api.example.test through the proxy http://proxy.corp:3128)',
    );
    expect(error.transient).toBe(true);
    expect(error.hint).toMatch(/^No answer came through the proxy http:\/\/proxy\.corp:3128/);
  });

  it('passes a cancellation through as it is', () => {
    const cancelled = new CancelledError('SIGTERM');
    expect(transportError(call(), cancelled)).toBe(cancelled);
  });
});

describe('sendStreaming', () => {
  const readAll = async (body: Readable): Promise<string> => {
    let text = '';
    for await (const chunk of body) text += String(chunk);
    return text;
  };

  it('streams a whole answer', async () => {
    behaviour = (_req, res) => res.end('x'.repeat(100_000));
    const answer = await sendStreaming(call());
    expect(answer.status).toBe(200);
    expect(await readAll(answer.body)).toHaveLength(100_000);
  });

  it('errors the body (never hangs) when the answer is cut short or stalls', async () => {
    behaviour = cutShort(1000, 'x'.repeat(300));
    let answer = await sendStreaming(call());
    let error = (await readAll(answer.body).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toMatch(/300 of the 1000 bytes .*answer cut short/);

    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x');
    };
    // Long enough that a loaded machine still delivers the headers in time: the stall under test
    // is the one after them.
    answer = await sendStreaming(call({ timeoutMs: 1000 }));
    error = (await readAll(answer.body).catch((e: unknown) => e)) as HttpError;
    expect(error.message).toMatch(/timeout while reading the answer/);
  });
});

describe('text shown to users', () => {
  it('collapses every line separator and control character into one line', () => {
    expect(oneLine('a\rb\nc\r\nd\u2028e\u2029f\u0085g\u0000h\u001b[31mi\tj')).toBe(
      'a b c d e f g h [31mi j',
    );
    expect(oneLine('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('takes query strings out of URLs', () => {
    expect(withoutQueries('put https://s3.test/a.zip?X-Amz-Signature=abc&b=c failed')).toBe(
      'put https://s3.test/a.zip?… failed',
    );
  });

  it('quotes at most 200 characters of a body, on one line, without URL queries', () => {
    const body = Buffer.from(
      `<html>\r<title>oops</title>\u2028 https://h/p?sig=zzz ${'y'.repeat(1000)}</html>`,
    );
    const text = excerpt(body);
    expect(text.length).toBeLessThanOrEqual(201);
    expect(text).not.toMatch(/[\r\n\u2028]/);
    expect(text).not.toContain('zzz');
  });

  it('says what a malformed answer held and names the request', () => {
    const kinds: [string, string][] = [
      ['', 'an empty body'],
      ['null', 'JSON null'],
      ['{}', 'an empty JSON object'],
      ['[]', 'an empty JSON array'],
      ['<html><title>Just a moment</title></html>', 'an HTML or XML page, not JSON'],
      ['Service overloaded', 'text that is not JSON'],
    ];
    for (const [body, kind] of kinds) {
      const error = malformedAnswer(
        'Segmind GET /x',
        200,
        'an answer with no "y"',
        Buffer.from(body),
      );
      expect(error.message).toContain(
        `Segmind GET /x answered HTTP 200: an answer with no "y" (${kind}`,
      );
      expect(error.transient).toBe(true);
    }
    expect(
      malformedAnswer('P', 200, 'no url', Buffer.from('{"presigned_url":"https://a/b?sig=1"}'), {
        quote: false,
      }).message,
    ).toBe('P answered HTTP 200: no url (a JSON object)');
  });
});
