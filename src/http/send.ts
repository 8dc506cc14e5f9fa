/**
 * The one HTTP layer every request of the action goes through: the Segmind API, the storage PUT,
 * the `dataset-url` HEAD (and the model download). What it guarantees, whatever the other end or
 * the network in between does:
 *
 * - every request settles: an answer cut short (fewer bytes than its Content-Length, a chunked
 *   answer without its end), a reset, a refused connection, an idle timeout, a body over its cap
 *   or a proxy that refuses the tunnel rejects with an HttpError, and a cancelled run rejects with
 *   the CancelledError; nothing waits forever on an event that never comes;
 * - one error type, HttpError, and one mapping of network and proxy failures to a message and a
 *   hint; server text shown in messages is one line, short, and holds no URL query;
 * - proxies as the toolkit's client picks them (HTTPS_PROXY, HTTP_PROXY, NO_PROXY): through a
 *   proxy, the agent of @actions/http-client carries the request (it opens the tunnel); direct, a
 *   plain Node agent does, so the toolkit client is never loaded. Either way the request is Node's
 *   own, so a GET can carry a body as Segmind wants.
 *
 * See docs/http.md.
 */
import type { HttpClient } from '@actions/http-client';
import * as log from '../shared/log.js';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import * as core from '@actions/core';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { cancelSignal, CancelledError } from '../shared/cancellation.js';
import { ActionError } from '../shared/errors.js';
import { redact } from '../shared/secrets.js';
import { isTransientStatus, parseRetryAfter } from './retry.js';

/** What every request of the action says it is, direct, through a proxy or on the receive path. */
export const USER_AGENT = 'segmind-flux-finetune-action';

/** Answers read into memory are capped at this unless a call says otherwise. */
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpCall {
  /** Names the request in messages, e.g. 'Segmind GET /finetune/request/list', 'Upload to host:port'. */
  what: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A factory for a stream: each attempt gets a fresh one. Send its Content-Length in `headers`. */
  body?: string | Buffer | (() => NodeJS.ReadableStream);
  /** Idle timeout: the request fails when no byte moves either way for this long. */
  timeoutMs: number;
  /** Cap on the answer body read into memory (send); default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Who answers, for the hint of a network failure: 'Segmind', 'the storage host'; default the host. */
  peer?: string;
  /** The run's cancellation; default the one of the whole run (SIGINT, SIGTERM). */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StreamingAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Errors (never hangs) on a premature close, an idle timeout or a cancellation. */
  body: Readable;
}

export interface HttpErrorInit {
  what: string;
  /** The HTTP status of the answer; undefined when none came (a transport failure). */
  status?: number;
  transient: boolean;
  retryAfterMs?: number;
  /** What the server (or the network) said, one line, already safe to show. */
  serverMessage: string;
  hint?: string;
  /** The whole message, when `what answered HTTP n: serverMessage` does not fit. */
  message?: string;
  /** The answer's headers, when one began (a status, or a body cut short after its headers). */
  headers?: IncomingHttpHeaders;
  /** True only when the request surely never reached the server (no connection was made). */
  notDelivered?: boolean;
}

/**
 * A failed request: names it (`what`), the HTTP status if an answer came, whether another attempt
 * may help (`transient`: network failures, 429, 5xx, malformed answers of read-only endpoints),
 * the Retry-After asked for, and the server's own message. The hint says what to do.
 */
export class HttpError extends ActionError {
  readonly what: string;
  readonly status: number | undefined;
  readonly transient: boolean;
  readonly retryAfterMs: number | undefined;
  readonly serverMessage: string;
  /**
   * The headers of the answer, when one began: a provider may name the job it created in a
   * header of an answer whose body was then lost (fal's `x-fal-request-id`).
   */
  readonly headers: IncomingHttpHeaders | undefined;
  /**
   * True only when the request surely never reached the server: the connection could not be
   * made (refused, no such host, no route, a proxy that refused the tunnel). A submit that failed
   * so created nothing, and may be sent again.
   */
  readonly notDelivered: boolean;

  constructor(init: HttpErrorInit) {
    super(
      init.message ??
        (init.status === undefined
          ? `${init.what} failed: ${init.serverMessage}`
          : `${init.what} answered HTTP ${init.status}: ${init.serverMessage}`),
      init.hint,
    );
    this.name = 'HttpError';
    this.what = init.what;
    this.status = init.status;
    this.transient = init.transient;
    this.retryAfterMs = init.transient ? init.retryAfterMs : undefined;
    this.serverMessage = init.serverMessage;
    this.headers = init.headers;
    this.notDelivered = init.notDelivered ?? false;
  }
}

let module: Promise<typeof import('@actions/http-client')> | undefined;

/**
 * The toolkit's HTTP client, loaded on first use. Only requests that go through a proxy need it
 * (its agents open the CONNECT tunnels); it brings undici, about 85 ms of start-up, which a
 * direct run never pays. (@actions/core's own copy is replaced by a stand-in, see
 * shims/core-http-client, for the same reason.)
 */
function loadHttpClient(): Promise<typeof import('@actions/http-client')> {
  module ??= import('@actions/http-client');
  return module;
}

/**
 * Starts loading the toolkit's client without waiting for it when a proxy variable is set, so a
 * train run behind a proxy loads it while the ZIP is written. Without one, nothing to load.
 */
export function preloadHttpClient(): void {
  const env = process.env;
  if (env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY) {
    void loadHttpClient().catch(() => undefined);
  }
}

const directAgents = new Map<boolean, Promise<import('node:http').Agent>>();

/**
 * The agent of requests that go direct: what the toolkit client made for them (a fresh agent, no
 * keep-alive, at most 100 sockets), without loading the client. No keep-alive, because a run
 * makes few requests minutes apart and an idle socket kept open would hold the process.
 */
function directAgent(secure: boolean): Promise<import('node:http').Agent> {
  let agent = directAgents.get(secure);
  if (!agent) {
    agent = (secure ? import('node:https') : import('node:http')).then(
      ({ Agent }) => new Agent({ keepAlive: false, maxSockets: 100 }),
    );
    directAgents.set(secure, agent);
  }
  return agent;
}

const clients = new Map<string, Promise<HttpClient>>();

/**
 * The toolkit client whose agents (direct, or tunnelling through the proxy) carry requests to
 * `url`. One per protocol: a client keeps the first direct agent it made, http or https.
 */
function toolkitClient(url: URL): Promise<HttpClient> {
  let client = clients.get(url.protocol);
  if (!client) {
    client = loadHttpClient().then(
      // No redirects: one to another host would take the x-api-key along, a public ZIP must
      // answer HEAD with 200 itself, and an upload stream cannot be sent twice. A 3xx is an
      // answer like any other status, for the caller to judge.
      ({ HttpClient }) =>
        new HttpClient(USER_AGENT, [], { allowRedirects: false, allowRetries: false }),
    );
    clients.set(url.protocol, client);
  }
  return client;
}

// ---------------------------------------------------------------------------------------------
// Text shown to users
// ---------------------------------------------------------------------------------------------

/**
 * `text` on one line: every line separator (CR, LF, U+0085, U+2028, U+2029), every other control
 * character and runs of white space become one space, so server text can never start a new line
 * (or a workflow command) in the log. Cut to `max` characters with an ellipsis.
 */
export function oneLine(text: string, max = 300): string {
  // Redacted before it is cut: a secret cut in two is no longer one that later redaction finds.
  const redacted = redact(text);
  // eslint-disable-next-line no-control-regex
  const line = redacted.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Every URL's query string in `text` left out: a signed URL's query is its credential. */
export function withoutQueries(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi, '$1?…');
}

/**
 * `text` with every trace of `url` beyond its host and path taken out: error messages of the HTTP
 * stack quote the request path, and a pre-signed URL's query is its signature.
 */
export function withoutQuery(text: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text.split(url).join('<the pre-signed URL>');
  }
  const bare = `${parsed.origin}${parsed.pathname}`;
  let out = text.split(url).join(bare);
  if (parsed.search) {
    out = out.split(`${parsed.pathname}${parsed.search}`).join(parsed.pathname);
    out = out.split(parsed.search).join('');
    out = out.split(parsed.search.slice(1)).join('');
  }
  return out;
}

/** A short (at most 200 characters), single-line, query-free excerpt of an answer body. */
export function excerpt(body: Buffer | string, max = 200): string {
  const text = typeof body === 'string' ? body : body.subarray(0, 4 * max).toString('utf8');
  return oneLine(withoutQueries(text), max);
}

/** host[:port] of a URL, never its path or query (a pre-signed URL's query is a credential). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

// ---------------------------------------------------------------------------------------------
// Proxies
// ---------------------------------------------------------------------------------------------

/**
 * The proxy @actions/http-client sends a request for `url` through, without its credentials;
 * undefined when it goes direct. The client follows HTTPS_PROXY (https URLs) or HTTP_PROXY (http
 * URLs), lower case first, and NO_PROXY; loopback hosts (localhost, 127.*, [::1]) always go direct,
 * whatever the variables say.
 */
export function proxyFor(url: string): string | undefined {
  let proxy: string;
  try {
    proxy = getProxyUrl(new URL(url))?.href ?? '';
  } catch {
    return undefined;
  }
  if (!proxy) return undefined;
  try {
    const parsed = new URL(proxy);
    // A proxy password is a credential: masked, and never part of what is shown.
    if (parsed.password) core.setSecret(decodeURIComponent(parsed.password));
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return 'a proxy';
  }
}

const announced = new Set<string>();

/** Says once per host which proxy its requests go through; returns that proxy. */
export function announceProxy(url: string): string | undefined {
  const proxy = proxyFor(url);
  const host = hostOf(url);
  if (proxy && !announced.has(host)) {
    announced.add(host);
    const variable = url.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    log.info(
      `Requests to ${host} go through the proxy ${proxy} (${variable}; list ${host} in NO_PROXY to bypass it).`,
    );
  }
  return proxy;
}

/**
 * The status a proxy answered a CONNECT with, when that is why the request failed: the tunnel
 * agent of @actions/http-client reports it as "tunneling socket could not be established,
 * statusCode=407".
 */
export function proxyRefusal(error: unknown): number | undefined {
  const match = /tunneling socket could not be established, statusCode=(\d{3})/.exec(
    error instanceof Error ? error.message : String(error),
  );
  return match ? Number(match[1]) : undefined;
}

function proxyRefusalHint(status: number, host: string): string {
  if (status === 407) {
    return 'The proxy wants credentials: put them in the proxy URL, as in HTTPS_PROXY=http://user:password@proxy:port (URL-encode special characters).';
  }
  if (status >= 500)
    return `The proxy could not reach ${host}. Re-run the job; if it persists, ask whoever runs the proxy.`;
  return `Ask whoever runs the proxy to allow ${host}, or list ${host} in NO_PROXY if the runner reaches it directly.`;
}

/** What to say when no (whole) answer came back from `host`. */
function networkHint(host: string, proxy: string | undefined, who: string): string {
  return proxy
    ? `No answer came through the proxy ${proxy}. Check that the proxy is up and lets ${host} through, or list ${host} in NO_PROXY if the runner reaches it directly.`
    : `This looks like a network problem between the runner and ${who}. Re-run the job; behind a proxy, set HTTPS_PROXY (and NO_PROXY for hosts to reach directly).`;
}

/** An error of the HTTP stack, as text; its code when the message is empty. */
function networkErrorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message || code || error.name;
  }
  return String(error);
}

/**
 * THE mapping of a transport failure (no answer, or an answer cut short) to an HttpError. A
 * cancellation is passed through as it is.
 */
export function transportError(
  call: HttpCall,
  error: unknown,
  headers?: IncomingHttpHeaders,
): unknown {
  if (error instanceof CancelledError || error instanceof HttpError) return error;
  const host = hostOf(call.url);
  const proxy = proxyFor(call.url);
  const refused = proxyRefusal(error);
  if (proxy && refused !== undefined) {
    return new HttpError({
      what: call.what,
      transient: refused >= 500,
      serverMessage: `the proxy ${proxy} refused to connect to ${host} (HTTP ${refused})`,
      hint: proxyRefusalHint(refused, host),
      notDelivered: true,
    });
  }
  const text = oneLine(withoutQueries(withoutQuery(networkErrorText(error), call.url)));
  const from = error instanceof Interrupted && error.answered ? 'from' : 'no answer from';
  return new HttpError({
    what: call.what,
    transient: true,
    serverMessage: `${text} (${from} ${host}${proxy ? ` through the proxy ${proxy}` : ''})`,
    hint: networkHint(host, proxy, call.peer ?? host),
    headers,
    notDelivered: neverConnected(error),
  });
}

/**
 * Failures that happen before a connection exists, so the request cannot have reached the
 * server: refused, no such host, no route, or an idle timeout while still connecting.
 */
function neverConnected(error: unknown): boolean {
  if (error instanceof Interrupted) return error.whileConnecting;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ENETUNREACH' ||
    code === 'EHOSTUNREACH' ||
    code === 'EADDRNOTAVAIL'
  );
}

/** Why a request ended early, as an Error the mapping above turns into a message. */
export class Interrupted extends Error {
  constructor(
    message: string,
    /** Part of an answer had come (its headers at least). */
    readonly answered = false,
    /** No connection had been made yet. */
    readonly whileConnecting = false,
  ) {
    super(message);
    this.name = 'Interrupted';
  }
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

const inFlight = new Map<object, string>();

/** The requests under way (their `what`), for a message when a run stops unfinished. */
export function inFlightRequests(): string[] {
  return [...new Set(inFlight.values())];
}

/** Counts a request as under way until the returned function is called (receive.ts). */
export function trackInFlight(what: string): () => void {
  const token = {};
  inFlight.set(token, what);
  return () => inFlight.delete(token);
}

interface Exchange {
  response: IncomingMessage;
  /** Rejects (never resolves) once the exchange failed; already handled, never unhandled. */
  failed: Promise<never>;
  /** Re-arms the idle timer: bytes moved. */
  poke(): void;
  /** `n` bytes of the answer's body came: re-arms the idle timer and counts for its pace. */
  took(n: number): void;
  /** Ends the exchange with this reason (destroys the request and the answer); first one wins. */
  abort(reason: unknown): void;
  /** The exchange is over: stops the timer and the cancellation listener. */
  close(): void;
}

/**
 * Starts one attempt and resolves when the answer's headers arrive; rejects with the mapped error
 * (or the CancelledError) on any failure before that. Afterwards `failed` rejects on a later
 * failure (an idle timeout, a cancellation, a cut-off body) so that body readers can race it.
 */
async function open(call: HttpCall): Promise<Exchange> {
  const signal = call.signal ?? cancelSignal;
  if (signal.aborted) throw signal.reason;
  const url = new URL(call.url);
  const secure = url.protocol === 'https:';
  const agent = announceProxy(call.url)
    ? (await toolkitClient(url)).getAgent(call.url)
    : await directAgent(secure);
  if (signal.aborted) throw signal.reason;
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  let source: Readable | undefined;
  let payload: Buffer | undefined;
  if (typeof call.body === 'string' || Buffer.isBuffer(call.body)) {
    payload = Buffer.isBuffer(call.body) ? call.body : Buffer.from(call.body, 'utf8');
    headers['content-length'] = String(payload.length);
  } else if (call.body) {
    source = call.body() as Readable;
  }

  // Loaded here, not at start-up: a dry run sends nothing.
  const { request: start } = secure ? await import('node:https') : await import('node:http');
  if (signal.aborted) throw signal.reason;
  const request = start({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    method: call.method,
    headers,
    agent,
  });

  let reason: unknown;
  let responded = false;
  let answerHeaders: IncomingHttpHeaders | undefined;
  let rejectFailed: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const pace = new PaceWatch(call.timeoutMs, (slow) => abort(slow));
  const token = {};
  inFlight.set(token, call.what);
  const onAbort = (): void => abort(signal.reason);
  const close = (): void => {
    inFlight.delete(token);
    if (timer) clearTimeout(timer);
    timer = undefined;
    pace.stop();
    signal.removeEventListener('abort', onAbort);
  };
  const abort = (why: unknown): void => {
    if (reason !== undefined) return;
    reason = transportError(call, why, answerHeaders);
    close();
    rejectFailed(reason);
    request.destroy();
    source?.destroy();
  };
  const poke = (): void => {
    if (reason !== undefined) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const stage = !request.socket
        ? ' while connecting'
        : !request.writableFinished
          ? ' while sending the request'
          : responded
            ? ' while reading the answer'
            : ' while waiting for the answer';
      abort(
        idleTimeout(call.timeoutMs, stage, responded, !request.socket || request.socket.connecting),
      );
    }, call.timeoutMs);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  poke();

  const headersArrived = new Promise<IncomingMessage>((resolve, reject) => {
    failed.catch(reject);
    request.on('response', (response) => {
      responded = true;
      answerHeaders = response.headers;
      poke();
      pace.add(0);
      resolve(response);
    });
    request.on('socket', poke);
    request.on('error', (error) => abort(error));
    // A request that closes without an answer and without an error must not hang either.
    request.on('close', () => {
      setImmediate(() => {
        if (!responded) abort(new Interrupted('the connection closed without an answer'));
      });
    });
  });

  if (payload) {
    request.end(payload);
  } else if (source) {
    source.on('data', poke);
    // A read error (the file went away) ends the request at once instead of leaving the server
    // waiting for the bytes Content-Length promised.
    pipeline(source, request, (error) => {
      if (error && !responded) abort(error);
    });
  } else {
    request.end();
  }

  try {
    const response = await headersArrived;
    const took = (n: number): void => {
      poke();
      pace.add(n);
    };
    return { response, failed, poke, took, abort, close };
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * The idle timeout, for send.ts and receive.ts alike: `stage` says what was under way
 * (' while connecting'), `answered` whether headers had come.
 */
export function idleTimeout(
  ms: number,
  stage: string,
  answered: boolean,
  whileConnecting: boolean,
): Interrupted {
  const seconds = Number((ms / 1000).toFixed(2));
  return new Interrupted(`no data for ${seconds} s (timeout${stage})`, answered, whileConnecting);
}

/**
 * The slowest answer taken: once an answer has begun, fewer bytes than this in an idle-timeout
 * period, two periods in a row, end the attempt (then retried, a download resumed, like any
 * network error). The idle timeout alone restarts with every byte, so a host that sent one byte a
 * minute could hold a step until the job's own timeout. A stall (no byte at all) is the idle
 * timeout's, which comes first.
 */
export const MIN_ANSWER_BYTES_PER_PERIOD = 16 * 1024;

/** Watches an answer's pace (see MIN_ANSWER_BYTES_PER_PERIOD); `stop` when the answer ends. */
export class PaceWatch {
  private bytes = 0;
  private slow = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly onSlow: (error: Interrupted) => void,
  ) {}

  /** `n` bytes of the answer came; the first call starts the watch. */
  add(n: number): void {
    this.bytes += n;
    this.timer ??= setInterval(() => this.check(), this.periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.slow = this.bytes < MIN_ANSWER_BYTES_PER_PERIOD ? this.slow + 1 : 0;
    this.bytes = 0;
    if (this.slow < 2) return;
    this.stop();
    const seconds = Number((this.periodMs / 1000).toFixed(2));
    this.onSlow(
      new Interrupted(
        `the answer came at under ${MIN_ANSWER_BYTES_PER_PERIOD / 1024} KiB in ${seconds} s, twice in a row (a host that holds the connection with a trickle)`,
        true,
      ),
    );
  }
}

/** What Content-Length promised, when it did (HEAD and 204/304 answers carry no body). */
function promisedLength(call: HttpCall, response: IncomingMessage): number | undefined {
  if (call.method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) {
    return undefined;
  }
  const header = response.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** An answer whose connection closed before its end (send.ts and receive.ts alike). */
export function cutShort(received: number, promised: number | undefined): Interrupted {
  return new Interrupted(
    promised === undefined
      ? `the connection closed after ${received} bytes of the answer, before its end (answer cut short)`
      : `the connection closed after ${received} of the ${promised} bytes the answer announced (answer cut short)`,
    true,
  );
}

/**
 * Follows an answer's body to its end: `onChunk` for each chunk, `onEnd` once it ended whole
 * (as long as Content-Length said). Anything else (a close before the end, an error, fewer or
 * more bytes than announced) aborts the exchange with a message saying so.
 */
function followBody(
  call: HttpCall,
  exchange: Exchange,
  onChunk: (chunk: Buffer) => void,
  onEnd: () => void,
): void {
  const { response, took, abort } = exchange;
  const promised = promisedLength(call, response);
  let size = 0;
  let ended = false;
  response.on('data', (chunk: Buffer) => {
    took(chunk.length);
    size += chunk.length;
    onChunk(chunk);
  });
  response.on('end', () => {
    ended = true;
    if (promised !== undefined && size !== promised) abort(cutShort(size, promised));
    else onEnd();
  });
  // Node reports a connection lost mid-body as 'aborted'/ECONNRESET: say what it means.
  response.on('error', () => abort(cutShort(size, promised)));
  response.on('close', () => {
    if (!ended) abort(cutShort(size, promised));
  });
}

/** The exchange's headers, or the failure to get them said as an HttpError. */
async function openOrFail(call: HttpCall): Promise<Exchange> {
  try {
    return await open(call);
  } catch (error) {
    throw transportError(call, error);
  }
}

/**
 * One attempt. Always settles: resolves with ANY HTTP status and the whole body (at most
 * `maxBodyBytes`); rejects with an HttpError (transient, no status) for every transport failure:
 * a reset, a premature close or a body shorter than its Content-Length, a timeout, an over-long
 * body, a refusing proxy; and with the CancelledError when the run is cancelled.
 */
export async function send(call: HttpCall): Promise<HttpAnswer> {
  const exchange = await openOrFail(call);
  const { response, failed, abort, close } = exchange;
  const cap = call.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const promised = promisedLength(call, response);
    if (promised !== undefined && promised > cap) {
      abort(
        new Interrupted(`the answer announced ${promised} bytes, more than the ${cap} read`, true),
      );
      return;
    }
    followBody(
      call,
      exchange,
      (chunk) => {
        size += chunk.length;
        if (size > cap)
          abort(new Interrupted(`the answer ran past ${cap} bytes, more than is read`, true));
        else chunks.push(chunk);
      },
      () => resolve(Buffer.concat(chunks)),
    );
  });
  try {
    const whole = await Promise.race([body, failed]);
    return { status: response.statusCode ?? 0, headers: response.headers, body: whole };
  } finally {
    close();
  }
}

/**
 * Like send, but resolves when the headers arrive, with the body as a Readable that errors (with
 * the mapped HttpError, or the CancelledError) on a premature close, a body shorter than its
 * Content-Length, an idle timeout or a cancellation. It never hangs. Read it to its end or
 * destroy it.
 */
export async function sendStreaming(call: HttpCall): Promise<StreamingAnswer> {
  const exchange = await openOrFail(call);
  const { response, failed, poke, abort, close } = exchange;
  const body = new PassThrough();
  let done = false;
  failed.catch((error: unknown) => {
    done = true;
    body.destroy(error as Error);
  });
  // Back-pressure: the answer waits while the reader is behind; its catching up is activity.
  body.on('drain', () => {
    poke();
    response.resume();
  });
  body.on('close', () => {
    if (!done) abort(new Interrupted('the reader stopped before the end of the answer', true));
  });
  followBody(
    call,
    exchange,
    (chunk) => {
      if (!body.write(chunk)) response.pause();
    },
    () => {
      done = true;
      close();
      body.end();
    },
  );
  return { status: response.statusCode ?? 0, headers: response.headers, body };
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/** Retry-After of an answer, in milliseconds; undefined when absent or unreadable. */
export function retryAfterOf(answer: { headers: IncomingHttpHeaders }): number | undefined {
  return parseRetryAfter(answer.headers['retry-after']);
}

/**
 * The ONE place answers are parsed as JSON. Returns the parsed value, or `undefined` when the
 * body is empty; `invalid` when it is not JSON (an HTML gateway page, a cut-off body).
 */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

/** What parseJson returns for a body that is not JSON. */
export const INVALID_JSON: unique symbol = Symbol('invalid JSON');

/** A short description of what a body held, for the message of an answer of the wrong shape. */
function describeBody(body: Buffer, quote = true): string {
  const parsed = parseJson(body);
  const kind =
    parsed === undefined
      ? 'an empty body'
      : parsed === INVALID_JSON
        ? /^\s*</.test(body.toString('utf8', 0, 64))
          ? 'an HTML or XML page, not JSON'
          : 'text that is not JSON'
        : parsed === null
          ? 'JSON null'
          : Array.isArray(parsed)
            ? parsed.length === 0
              ? 'an empty JSON array'
              : 'a JSON array'
            : typeof parsed === 'object'
              ? Object.keys(parsed).length === 0
                ? 'an empty JSON object'
                : 'a JSON object'
              : `a JSON ${typeof parsed}`;
  // `null`, `{}` and `[]` say it all; anything longer is quoted (short, one line, no queries).
  const bare = parsed === null || (typeof parsed === 'object' && Object.keys(parsed).length === 0);
  if (!quote || parsed === undefined || bare) return kind;
  return `${kind}: "${excerpt(body)}"`;
}

/**
 * An answer of status 2xx whose body is not what the endpoint documents (`problem` says how):
 * transient unless told otherwise, so retried like a 5xx (a gateway answering for a server that
 * was down is the usual cause; on submit it is a lost answer). The message names the request and
 * quotes a short, single-line, query-free excerpt unless `quote` is false.
 */
export function malformedAnswer(
  what: string,
  status: number,
  problem: string,
  body: Buffer,
  options: { quote?: boolean; transient?: boolean; hint?: string } = {},
): HttpError {
  return new HttpError({
    what,
    status,
    transient: options.transient ?? true,
    serverMessage: `${problem} (${describeBody(body, options.quote ?? true)})`,
    hint:
      options.hint ??
      'The server answered in a shape this action does not know (often a gateway or proxy answering in its place). Re-run; if it persists, please open an issue with this message.',
  });
}

/**
 * A status a provider's API answered with, as an HttpError: asked again when the status is worth
 * it (isTransientStatus), after the server's Retry-After. `message` replaces the usual
 * "<what> answered HTTP <status>: <serverMessage>" where the provider's body says more.
 */
export function statusError(
  what: string,
  answer: HttpAnswer,
  serverMessage: string,
  hint: string | undefined,
  message?: string,
): HttpError {
  const transient = isTransientStatus(answer.status);
  return new HttpError({
    what,
    status: answer.status,
    serverMessage,
    message,
    hint,
    transient,
    retryAfterMs: transient ? retryAfterOf(answer) : undefined,
    headers: answer.headers,
  });
}
