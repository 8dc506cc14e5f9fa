/**
 * The receive path for large answers (the model download): one GET whose body is handed to the
 * caller piece by piece, with back-pressure, as send.ts promises for every request: it settles
 * (an answer cut short, a reset, an idle timeout, a cancellation each reject with the one error
 * mapping of send.ts), it names the request while it is under way, and proxies are used as the
 * toolkit's client picks them.
 *
 * Why a path of its own: Node's `http` and `undici` hand every 16 KiB TLS record to JavaScript in
 * a freshly allocated buffer, through two layers of streams. For a file of hundreds of MB that
 * allocation is most of the CPU time (2.5x the whole receive of the same bytes into one reused
 * buffer, measured on 300 MB over TLS) and makes the peak RSS grow with the file, as the garbage
 * collector falls behind the buffers. Here a direct connection reads every byte into one fixed
 * buffer (the socket's `onread` option), and `http-parser-js` frames the answer (status, headers,
 * Content-Length or chunked, or a body that ends with the connection). Through a proxy the
 * toolkit's own agents carry the request as before (sendStreaming), behind the same interface.
 * docs/http.md and docs/performance.md have the measurements.
 */
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { HTTPParser } from 'http-parser-js';
import { cancelSignal, CancelledError } from '../shared/cancellation.js';
import {
  announceProxy,
  cutShort,
  idleTimeout,
  Interrupted,
  PaceWatch,
  proxyFor,
  sendStreaming,
  trackInFlight,
  transportError,
  USER_AGENT,
  type HttpCall,
} from './send.js';

/**
 * The one buffer a direct connection reads into. TLS hands over one record, at most 16 KiB, at a
 * time: a buffer of that size is filled whole by a full record and handed on as it is, where a
 * larger one needed a view of its first 16 KiB made for every record (1.5 MB of garbage per
 * 300 MB, whose collections grew the peak RSS; docs/performance.md).
 */
const READ_BUFFER_BYTES = 16 * 1024;

/** Status line and headers, and any single line of chunked framing, are cut off beyond this. */
const MAX_HEADER_BYTES = 64 * 1024;

/** Interim (1xx) answers skipped before the final one; a host sending them without end fails. */
const MAX_INTERIM_ANSWERS = 10;

export interface ReceiveCall {
  /** Names the request in messages: 'Download of the model from host:port'. */
  what: string;
  url: string;
  headers?: Record<string, string>;
  /** Idle timeout: the request fails when no byte arrives for this long. */
  timeoutMs: number;
  /** Who answers, for the hint of a network failure; default the host. */
  peer?: string;
  /** Default: the run's cancellation. */
  signal?: AbortSignal;
}

export interface Receiving {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: IncomingHttpHeaders;
  /**
   * Reads the body to its end. `onPiece` gets each piece, a view that is valid only during the
   * call (copy what must be kept); returning false asks for no further reads until `resume()`
   * (pieces already read may still arrive, at most one read buffer's worth). Resolves with
   * `framed` true when the answer said where its body ends (Content-Length or chunked) and it
   * ended there, false when it said neither and the closing connection ended it (which a cut
   * connection does too). Rejects with an HttpError or the CancelledError.
   */
  read(onPiece: (piece: Buffer) => boolean): Promise<{ framed: boolean }>;
  resume(): void;
  /** Up to `max` bytes of the body as text (an error answer); then the exchange ends. */
  text(max: number): Promise<string>;
  /** Ends the exchange now, read or not. */
  close(): void;
}

/** One GET; resolves when the answer's headers arrived. */
export async function receive(call: ReceiveCall): Promise<Receiving> {
  const signal = call.signal ?? cancelSignal;
  if (signal.aborted) throw signal.reason;
  const url = new URL(call.url);
  const head = requestHead(call, url);
  if (proxyFor(call.url)) {
    announceProxy(call.url);
    return viaToolkit(call);
  }
  return direct(call, url, head, signal);
}

/** The request as sent on a direct connection; refuses a header that could split it. */
function requestHead(call: ReceiveCall, url: URL): string {
  const headers: Record<string, string> = {
    host: url.host,
    'user-agent': USER_AGENT,
    accept: '*/*',
    connection: 'close',
  };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    // eslint-disable-next-line no-control-regex
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name) || /[\u0000\r\n]/.test(value)) {
      throw new TypeError(`the header ${JSON.stringify(name)} is not one HTTP can carry`);
    }
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}

function headerMap(flat: string[]): IncomingHttpHeaders {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    const value = flat[i + 1]!.trim();
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

type Settle<T> = { resolve: (value: T) => void; reject: (error: unknown) => void };

function direct(
  call: ReceiveCall,
  url: URL,
  head: string,
  signal: AbortSignal,
): Promise<Receiving> {
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  const httpCall: HttpCall = { ...call, method: 'GET' };
  const parser = new HTTPParser(HTTPParser.RESPONSE);
  parser.maxHeaderSize = MAX_HEADER_BYTES;

  let failure: unknown;
  let connected = false;
  let headersDone = false;
  /** Between the headers and the end of a 1xx answer, which is skipped. */
  let interim = false;
  let interims = 0;
  /** Bytes read while the parser was in a chunked body's trailers (see onread). */
  let trailerBytes = 0;
  let complete = false;
  let framed = true;
  let status = 0;
  let headers: IncomingHttpHeaders = {};
  let received = 0;
  let promised: number | undefined;
  /** Body bytes are counted against `promised` without the parser (see onread). */
  let sized = false;
  let onPiece: ((piece: Buffer) => boolean) | undefined;
  let paused = false;
  const early: Buffer[] = [];
  let atHeaders: Settle<Receiving> | undefined;
  let atEnd: Settle<{ framed: boolean }> | undefined;

  const untrack = trackInFlight(call.what);
  const onAbort = (): void => fail(signal.reason);
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    pace.stop();
    signal.removeEventListener('abort', onAbort);
    untrack();
  };
  const fail = (why: unknown): void => {
    if (failure !== undefined || complete) return;
    failure = why instanceof CancelledError ? why : transportError(httpCall, why);
    finish();
    socket.destroy();
    atHeaders?.reject(failure);
    atEnd?.reject(failure);
  };
  const done = (): void => {
    if (failure !== undefined || complete) return;
    complete = true;
    finish();
    socket.destroy();
    atEnd?.resolve({ framed });
  };
  // Once the answer has begun, a trickle that keeps the idle timer alive is no answer either.
  const pace = new PaceWatch(call.timeoutMs, (slow) => fail(slow));
  const timer = setTimeout(() => {
    const stage = !connected
      ? ' while connecting'
      : headersDone
        ? ' while reading the answer'
        : ' while waiting for the answer';
    fail(idleTimeout(call.timeoutMs, stage, headersDone, !connected));
  }, call.timeoutMs);

  parser[HTTPParser.kOnHeadersComplete] = (info) => {
    if (failure !== undefined) return 2;
    if (info.statusCode === 101) {
      // Nothing asked to switch protocols: what follows is not HTTP this side can read.
      fail(
        new Interrupted('the answer switched protocols (HTTP 101), which was not asked for', true),
      );
      return 2;
    }
    if (info.statusCode < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the final one follows on the same
      // connection, and the parser reads it once this one is skipped as bodyless.
      if (++interims > MAX_INTERIM_ANSWERS) {
        fail(new Interrupted(`more than ${MAX_INTERIM_ANSWERS} interim (1xx) answers`, true));
        return 2;
      }
      interim = true;
      return 1;
    }
    headersDone = true;
    status = info.statusCode;
    headers = headerMap(info.headers);
    const chunked = /(^|,)\s*chunked\s*$/i.test(String(headers['transfer-encoding'] ?? ''));
    const lengths = String(headers['content-length'] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (!chunked && lengths.length > 0) {
      // One length, in digits: anything else would let the two ends disagree on the body's end.
      if (!lengths.every((v) => /^\d+$/.test(v) && v === lengths[0])) {
        fail(
          new Interrupted(`the answer's Content-Length is not one number (${lengths[0]})`, true),
        );
        return 2;
      }
      promised = Number(lengths[0]);
    }
    framed = chunked || promised !== undefined;
    // 204 and 304 have no body whatever their headers say (RFC 9112, 6.3); the parser would
    // otherwise wait for the bytes a Content-Length promised.
    const bodyless = status === 204 || status === 304;
    sized = !bodyless && !chunked && promised !== undefined;
    atHeaders?.resolve(receiving);
    return bodyless ? 1 : 0;
  };
  parser[HTTPParser.kOnBody] = (chunk, offset, length) => {
    if (failure !== undefined || complete || length <= 0) return;
    const piece =
      offset === 0 && length === chunk.length ? chunk : chunk.subarray(offset, offset + length);
    received += length;
    if (onPiece) {
      if (!onPiece(piece)) paused = true;
    } else early.push(Buffer.from(piece));
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (interim) {
      interim = false;
      return;
    }
    if (!headersDone) return;
    if (onPiece) done();
    else complete = true; // read() resolves at once
  };

  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const onread = {
    buffer,
    callback: (n: number): boolean => {
      timer.refresh();
      pace.add(n);
      if (failure !== undefined || complete) return false;
      // Past the headers of an answer with a Content-Length, there is nothing left to parse: the
      // bytes are the body's, up to the length. Counting them here keeps the parser, a large
      // function, off the hot path (V8 optimising it cost the download about 5 MB of peak RSS).
      if (sized) {
        const length = Math.min(n, promised! - received);
        const piece = length === buffer.length ? buffer : buffer.subarray(0, length);
        received += length;
        if (onPiece) {
          if (!onPiece(piece)) paused = true;
        } else early.push(Buffer.from(piece));
        if (received === promised) {
          if (onPiece) done();
          else complete = true; // read() resolves at once
          return false;
        }
        return onPiece !== undefined && !paused;
      }
      const result = parser.execute(buffer, 0, n);
      if (result instanceof Error) {
        fail(new Interrupted(`the answer is not valid HTTP (${result.message})`, headersDone));
        return false;
      }
      const state = parser as unknown as { line?: string; state?: string };
      // A line of chunked framing has no size limit of its own in the parser.
      if ((state.line?.length ?? 0) > MAX_HEADER_BYTES) {
        fail(new Interrupted('the answer has a line of chunked framing longer than 64 KiB', true));
        return false;
      }
      // Nor have the trailers after the last chunk: the parser keeps every line of them, so an
      // endless run of short ones would grow the heap until the process died without a word.
      if (state.state === 'BODY_CHUNKTRAILERS' && (trailerBytes += n) > MAX_HEADER_BYTES) {
        fail(
          new Interrupted('the answer has more than 64 KiB of trailers after its last chunk', true),
        );
        return false;
      }
      if (complete) {
        if (onPiece) done();
        return false;
      }
      // Until the caller reads, the body waits in the socket (what came with the headers is kept).
      return headersDone ? onPiece !== undefined && !paused : true;
    },
  };
  const options = { host, port, onread } as net.NetConnectOpts & tls.ConnectionOptions;
  const socket: net.Socket = secure
    ? tls.connect({
        ...options,
        servername: net.isIP(host) ? undefined : host,
        ALPNProtocols: ['http/1.1'],
      })
    : net.connect(options);
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    connected = true;
    timer.refresh();
  });
  socket.on('error', (error) => fail(error));
  const onEnd = (): void => {
    if (failure !== undefined || complete) return;
    if (!headersDone) {
      fail(new Interrupted('the connection closed without an answer'));
      return;
    }
    // Only a body without Content-Length or chunked framing may end with the connection.
    const result = parser.finish();
    if (result instanceof Error || !complete) fail(cutShort(received, promised));
    else if (onPiece) done();
  };
  socket.on('end', onEnd);
  socket.on('close', onEnd);
  socket.setNoDelay(true);
  socket.write(head);
  signal.addEventListener('abort', onAbort, { once: true });

  const receiving: Receiving = {
    get status() {
      return status;
    },
    get headers() {
      return headers;
    },
    read(consumer) {
      return new Promise((resolve, reject) => {
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        atEnd = { resolve, reject };
        for (const piece of early.splice(0)) if (!consumer(piece)) paused = true;
        onPiece = consumer;
        if (complete) {
          complete = false;
          done();
        } else if (!paused) socket.resume();
      });
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (failure === undefined && !complete) socket.resume();
    },
    async text(max) {
      const pieces: Buffer[] = [];
      let size = 0;
      await receiving
        .read((piece) => {
          if (size < max) pieces.push(Buffer.from(piece.subarray(0, max - size)));
          size += piece.length;
          if (size >= max) receiving.close();
          return true;
        })
        .catch(() => undefined);
      return Buffer.concat(pieces).toString('utf8');
    },
    close() {
      if (failure === undefined && !complete) {
        failure = new Interrupted('the reader stopped before the end of the answer', true);
        atEnd?.resolve({ framed });
      }
      finish();
      socket.destroy();
    },
  };

  return new Promise<Receiving>((resolve, reject) => {
    if (failure !== undefined) reject(failure);
    else atHeaders = { resolve, reject };
  });
}

/** Through a proxy: the toolkit's agent carries the request (CONNECT tunnels), as for send(). */
async function viaToolkit(call: ReceiveCall): Promise<Receiving> {
  const httpCall: HttpCall = { ...call, method: 'GET' };
  const answer = await sendStreaming(httpCall);
  const { body } = answer;
  const chunked = /chunked/i.test(String(answer.headers['transfer-encoding'] ?? ''));
  const framed = chunked || answer.headers['content-length'] !== undefined;
  // Listened to from the start: the body can fail (a cut, the idle timeout, a cancellation)
  // before read() is called, while the caller is still busy with its disk, and an 'error' event
  // nobody listens to ends the process. read() then rejects with what happened.
  let failure: unknown;
  body.on('error', (error) => {
    failure ??= transportError(httpCall, error);
  });
  const receiving: Receiving = {
    status: answer.status,
    headers: answer.headers,
    read(onPiece) {
      return new Promise((resolve, reject) => {
        // `errored` is set as the stream is destroyed, its 'error' event only on the next tick.
        const before = failure ?? body.errored;
        if (before) {
          reject(transportError(httpCall, before));
          return;
        }
        // Closed by close(): as on a direct connection, the read ends there.
        if (body.closed) {
          resolve({ framed });
          return;
        }
        body.on('data', (chunk: Buffer) => {
          if (!onPiece(chunk)) body.pause();
        });
        body.once('end', () => resolve({ framed }));
        body.once('error', () => reject(failure));
        body.once('close', () => {
          if (!body.readableEnded) resolve({ framed });
        });
      });
    },
    resume() {
      body.resume();
    },
    async text(max) {
      const pieces: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          pieces.push(chunk);
          size += chunk.length;
          if (size >= max) break;
        }
      } catch {
        // an error body cut short is still worth what arrived
      } finally {
        body.destroy();
      }
      return Buffer.concat(pieces).subarray(0, max).toString('utf8');
    },
    close() {
      body.destroy();
    },
  };
  return receiving;
}
