import { createHash } from 'node:crypto';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { receive, type Receiving } from '../src/http/receive.js';
import { HttpError, inFlightRequests } from '../src/http/send.js';
import { CancelledError } from '../src/shared/cancellation.js';
import { startProxy } from './helpers/proxy.js';
import { until } from './helpers/until.js';

// The direct receive path: after the headers of an answer with a Content-Length, body bytes are
// counted against the length without the HTTP parser. These cases pin what that must keep: the
// bytes, whatever the packets, the end at the length, a cut-short answer, and answers that have
// no body whatever their Content-Length says.

const servers: net.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
    await once(server, 'close');
  }
});

/**
 * A TCP server that answers every connection with `pieces`, written one at a time, then ends;
 * `onSent` is called once all of it is handed to the kernel (on loopback: in the reader's socket).
 */
async function rawHost(pieces: Buffer[], end = true, onSent?: () => void): Promise<string> {
  const server = net.createServer((socket) => {
    socket.once('data', async () => {
      for (const piece of pieces) {
        if (!socket.write(piece)) await once(socket, 'drain');
        // Each piece is its own read on the other side as far as TCP allows: wait until sent.
        await new Promise<void>((resolve) => socket.write('', () => resolve()));
      }
      if (end) socket.end(onSent);
      else onSent?.();
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}/model`;
}

function body(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

async function readAll(answer: Receiving): Promise<{ bytes: Buffer; framed: boolean }> {
  const pieces: Buffer[] = [];
  const { framed } = await answer.read((piece) => {
    pieces.push(Buffer.from(piece));
    return true;
  });
  return { bytes: Buffer.concat(pieces), framed };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const call = (url: string) => ({ what: 'Download of the model', url, timeoutMs: 5000 });

describe('receive (direct)', () => {
  it('gives every body byte once, whether the headers come with part of the body or alone', async () => {
    const data = body(300_000);
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`);
    for (const pieces of [
      [
        Buffer.concat([head, data.subarray(0, 1000)]),
        data.subarray(1000, 70_000),
        data.subarray(70_000),
      ],
      [head, data],
      [head.subarray(0, 10), head.subarray(10), data.subarray(0, 1), data.subarray(1)],
    ]) {
      const answer = await receive(call(await rawHost(pieces)));
      expect(answer.status).toBe(200);
      const got = await readAll(answer);
      expect(got.framed).toBe(true);
      expect(got.bytes.length).toBe(data.length);
      expect(sha(got.bytes)).toBe(sha(data));
    }
  });

  it('ends at the Content-Length: bytes sent after it are not part of the body', async () => {
    const data = body(100_000);
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`);
    const url = await rawHost(
      [head, data.subarray(0, 50_000), data.subarray(50_000), Buffer.from('trailing junk')],
      false,
    );
    const got = await readAll(await receive(call(url)));
    expect(sha(got.bytes)).toBe(sha(data));
  });

  it('ends without waiting for the connection to close once the length is reached', async () => {
    const data = body(10_000);
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`);
    // The host never closes: the read must still resolve, by the length alone.
    const got = await readAll(await receive(call(await rawHost([head, data], false))));
    expect(got.bytes.length).toBe(data.length);
  });

  it('says how many of the announced bytes came when the connection closes early', async () => {
    const data = body(200_000);
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 500000\r\n\r\n`);
    const answer = await receive(
      call(await rawHost([head, data.subarray(0, 100_000), data.subarray(100_000)])),
    );
    await expect(readAll(answer)).rejects.toThrow(
      /closed after 200000 of the 500000 bytes the answer announced \(answer cut short\)/,
    );
  });

  it('keeps reading body bytes that arrived before read() was called', async () => {
    const data = body(5000);
    const chunked = Buffer.concat([
      Buffer.from(`${data.length.toString(16)}\r\n`),
      data,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const sized = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`);
    const unsized = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    for (const pieces of [
      // The body with the headers (it waits in the receiver), and after them (in the socket).
      [Buffer.concat([sized, data])],
      [sized, data.subarray(0, 10), data.subarray(10)],
      [Buffer.concat([unsized, chunked])],
      [unsized, chunked],
    ]) {
      let sent!: () => void;
      const allSent = new Promise<void>((resolve) => (sent = resolve));
      const answer = await receive(call(await rawHost(pieces, true, sent)));
      // The whole answer, its end included, is on this side before anything reads it.
      await allSent;
      const got = await readAll(answer);
      expect(sha(got.bytes)).toBe(sha(data));
    }
  });

  it('skips interim answers (100 Continue, 103 Early Hints) and reads the final one', async () => {
    const data = body(20_000);
    const interim = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n',
    );
    const final = (framing: string) =>
      Buffer.from(`HTTP/1.1 200 OK\r\nETag: "final"\r\n${framing}\r\n`);
    const chunked = Buffer.concat([
      Buffer.from(`${data.length.toString(16)}\r\n`),
      data,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    for (const pieces of [
      // All in one read, and each interim answer in a read of its own.
      [Buffer.concat([interim, final(`Content-Length: ${data.length}\r\n`), data])],
      [
        interim.subarray(0, 25),
        interim.subarray(25),
        final(`Content-Length: ${data.length}\r\n`),
        data,
      ],
      [interim, final('Transfer-Encoding: chunked\r\n'), chunked],
    ]) {
      const answer = await receive(call(await rawHost(pieces)));
      expect(answer.status).toBe(200);
      expect(answer.headers.etag).toBe('"final"');
      expect(answer.headers.link).toBeUndefined();
      const got = await readAll(answer);
      expect(got.framed).toBe(true);
      expect(sha(got.bytes)).toBe(sha(data));
    }
    // Interim answers without end are no way to hold the connection forever.
    const many = Buffer.from('HTTP/1.1 103 Early Hints\r\n\r\n'.repeat(11));
    await expect(receive(call(await rawHost([many], false)))).rejects.toThrow(
      /more than 10 interim \(1xx\) answers/,
    );
    // 101 is no interim answer: what follows it is another protocol.
    const upgraded = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n');
    await expect(receive(call(await rawHost([upgraded], false)))).rejects.toThrow(
      /switched protocols \(HTTP 101\), which was not asked for \(from 127\.0\.0\.1:\d+\)/,
    );
  });

  it('reads a chunked body with its trailers, and refuses trailers without end', async () => {
    const data = body(5000);
    const head = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data]);
    const trailed = Buffer.from('\r\n0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n');
    const answer = await receive(call(await rawHost([head, chunk, trailed])));
    const got = await readAll(answer);
    expect(got.framed).toBe(true);
    expect(sha(got.bytes)).toBe(sha(data));
    // A host that sends short trailer lines for ever: the parser would keep every one of them.
    const endless = [head, chunk, Buffer.from('\r\n0\r\n')];
    for (let i = 0; i < 12; i++) endless.push(Buffer.from('a:b\r\n'.repeat(2000)));
    const hostile = await receive(call(await rawHost(endless, false)));
    await expect(readAll(hostile)).rejects.toThrow(/more than 64 KiB of trailers/);
  });

  it('ends an answer that trickles in faster than the idle timeout but too slowly to ever end', async () => {
    const drips = new Set<NodeJS.Timeout>();
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n');
        const drip = setInterval(() => socket.write('x'.repeat(10)), 20);
        drips.add(drip);
        socket.on('close', () => clearInterval(drip));
      });
      socket.on('error', () => undefined);
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    try {
      // 10 bytes every 20 ms: the idle timer (1 s) never fires, the pace watch does.
      const answer = await receive({ ...call(`http://127.0.0.1:${port}/m`), timeoutMs: 1000 });
      await expect(readAll(answer)).rejects.toThrow(
        /the answer came at under 16 KiB in 1 s, twice in a row/,
      );
    } finally {
      for (const drip of drips) clearInterval(drip);
    }
  });

  it('reads no body for 304 and 204 whatever their Content-Length says', async () => {
    for (const status of ['304 Not Modified', '204 No Content']) {
      const head = Buffer.from(`HTTP/1.1 ${status}\r\nContent-Length: 1234\r\n\r\n`);
      const answer = await receive(call(await rawHost([head], false)));
      const got = await readAll(answer);
      expect(got.bytes.length).toBe(0);
    }
  });
});

describe('receive (through a proxy)', () => {
  // Through a proxy the toolkit's client carries the request, and the body is a stream: an error
  // of that stream before read() is called (the caller still busy with its disk) must wait for
  // read(), never be an 'error' event nobody listens to, which ends the process.
  const variables = ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
  const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of variables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  /** `rawHost`'s URL under a name only the proxy resolves, with HTTP_PROXY pointing at it. */
  async function throughProxy(pieces: Buffer[], end: boolean): Promise<string> {
    const proxy = await startProxy({ hosts: { 'storage.test': '127.0.0.1' } });
    stops.push(() => proxy.close());
    for (const name of variables) delete process.env[name];
    process.env.HTTP_PROXY = proxy.url;
    return (await rawHost(pieces, end)).replace('127.0.0.1', 'storage.test');
  }
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  const head = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');

  it('rejects read() with the cut-short error when the answer broke off before read()', async () => {
    const answer = await receive(call(await throughProxy([head, body(1000)], true)));
    expect(answer.status).toBe(200);
    // The exchange is over (its error has reached the body) before anything reads it.
    await until('the exchange failed', () => inFlightRequests().length === 0, 5000);
    const error = await readAll(answer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(String(error)).toMatch(/closed after 1000 of the 100000 bytes .*answer cut short/);
  }, 10_000);

  it('rejects read() with the CancelledError when the run was cancelled before read()', async () => {
    const url = await throughProxy([head, body(1000)], false);
    const controller = new AbortController();
    const answer = await receive({ ...call(url), signal: controller.signal });
    controller.abort(new CancelledError('SIGTERM'));
    // The cancellation reaches the body through promise callbacks and process.nextTick, all of
    // which run before the next turn of the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await expect(readAll(answer)).rejects.toBeInstanceOf(CancelledError);
  }, 10_000);
});
