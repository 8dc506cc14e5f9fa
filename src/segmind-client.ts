import * as core from '@actions/core';
import type { HttpClient, HttpClientResponse } from '@actions/http-client';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import { createHttpClient } from './http.js';
import { randomBytes } from 'node:crypto';
import { unlessCancelled } from './cancellation.js';
import { ActionError } from './errors.js';
import {
  parseRetryAfter,
  requestTimeoutMs,
  withRetry,
  type AttemptFailure,
  type RetryPolicy,
} from './retry.js';

/** The submit body, exactly as Segmind documents it. */
export interface SubmitRequest {
  name: string;
  data_source_path: string;
  instance_prompt: string;
  trigger_word: string;
  base_model: string;
  theme: string;
  segmind_public: boolean;
  advance_parameters: {
    iterations: number;
    captioning: boolean;
    priority: string;
    finetune_type: string;
    lora_rank: number;
    learning_rate: number;
  };
}

/** A fine-tune record, as details and list return it; only the fields the action reads are typed. */
export interface FinetuneRecord {
  id?: string;
  finetune_id?: string;
  name?: string;
  status?: string;
  error_message?: string | null;
  cloud_storage_url?: string | null;
  slug?: string | null;
  [field: string]: unknown;
}

export interface SubmitAnswer {
  finetuneId: string;
  status?: string;
  name?: string;
}

export interface PresignedUpload {
  presignedUrl: string;
  s3Url: string;
}

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
}

export const ENDPOINTS = {
  submit: { method: 'POST', path: '/finetune/request/submit' },
  details: { method: 'GET', path: '/finetune/request/details' },
  list: { method: 'GET', path: '/finetune/request/list' },
  presign: { method: 'GET', path: '/finetune/request/upload/pre-signed-url' },
  access: { method: 'PUT', path: '/finetune/request/access-update' },
  download: { method: 'GET', path: '/finetune/request/file/download' },
} as const satisfies Record<string, Endpoint>;

/**
 * A failed call to Segmind. Names the endpoint, the HTTP status and Segmind's own message, which
 * is what a user needs to tell a typo from an outage.
 */
export class SegmindApiError extends ActionError {
  constructor(
    readonly endpoint: Endpoint,
    readonly status: number | undefined,
    readonly segmindMessage: string,
    hint: string | undefined,
    /** Worth another attempt: a network error, 429 or 5xx. */
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(
      status === undefined
        ? `Segmind ${endpoint.method} ${endpoint.path} failed: ${segmindMessage}`
        : `Segmind ${endpoint.method} ${endpoint.path} answered HTTP ${status}: ${segmindMessage}`,
      hint,
    );
    this.name = 'SegmindApiError';
  }
}

type Body =
  | { json: unknown }
  | { form: Record<string, string> }
  | { urlencoded: Record<string, string> }
  | undefined;

const NOT_FOUND_HINT =
  'No fine-tune with this id exists for this API key. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the key belongs to the same Segmind account.';

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
    core.info(
      `Requests to ${host} go through the proxy ${proxy} (${variable}; list ${host} in NO_PROXY to bypass it).`,
    );
  }
  return proxy;
}

/** host[:port] of a URL, never its path or query (a pre-signed URL's query is a credential). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
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

export function proxyRefusalHint(status: number, host: string): string {
  if (status === 407) {
    return 'The proxy wants credentials: put them in the proxy URL, as in HTTPS_PROXY=http://user:password@proxy:port (URL-encode special characters).';
  }
  if (status >= 500)
    return `The proxy could not reach ${host}. Re-run the job; if it persists, ask whoever runs the proxy.`;
  return `Ask whoever runs the proxy to allow ${host}, or list ${host} in NO_PROXY if the runner reaches it directly.`;
}

/** What to say when no answer came back from `host`. */
export function networkHint(host: string, proxy: string | undefined, who: string): string {
  return proxy
    ? `No answer came through the proxy ${proxy}. Check that the proxy is up and lets ${host} through, or list ${host} in NO_PROXY if the runner reaches it directly.`
    : `This looks like a network problem between the runner and ${who}. Re-run the job; behind a proxy, set HTTPS_PROXY (and NO_PROXY for hosts to reach directly).`;
}

/**
 * Segmind's fine-tune API. Built on @actions/http-client because two documented GET endpoints
 * carry a JSON body, which fetch refuses to send, and because it honours the runner's
 * HTTPS_PROXY/NO_PROXY like the rest of the toolkit.
 */
export class SegmindClient {
  private http: Promise<HttpClient> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly retry: RetryPolicy,
  ) {}

  /** Submits a job. Never retried here: a lost answer may mean the job exists (see train). */
  async submit(request: SubmitRequest): Promise<SubmitAnswer> {
    const answer = await this.call(ENDPOINTS.submit, { json: request }, false);
    const record = isObject(answer) ? answer : {};
    // Some of Segmind's pages answer with request_id instead of finetune_id.
    const finetuneId = stringField(record, 'finetune_id') ?? stringField(record, 'request_id');
    if (!finetuneId) {
      throw unexpected(ENDPOINTS.submit, 'no finetune_id or request_id', answer);
    }
    return { finetuneId, status: stringField(record, 'status'), name: stringField(record, 'name') };
  }

  async details(finetuneId: string): Promise<FinetuneRecord> {
    const answer = await this.call(ENDPOINTS.details, { json: { request_id: finetuneId } });
    if (isObject(answer) && (answer.finetune === null || isEmptyObject(answer.finetune))) {
      // An unknown id may come back as an empty record rather than a 404.
      throw new SegmindApiError(
        ENDPOINTS.details,
        200,
        `no fine-tune ${finetuneId} (the answer's "finetune" record is empty)`,
        NOT_FOUND_HINT,
        false,
      );
    }
    const record = isObject(answer) && isObject(answer.finetune) ? answer.finetune : undefined;
    if (!record) throw unexpected(ENDPOINTS.details, 'no "finetune" record', answer);
    return record as FinetuneRecord;
  }

  async list(): Promise<FinetuneRecord[]> {
    const answer = await this.call(ENDPOINTS.list, undefined);
    if (!Array.isArray(answer)) throw unexpected(ENDPOINTS.list, 'not a JSON array', answer);
    return answer.filter(isObject) as FinetuneRecord[];
  }

  async presign(fileName: string): Promise<PresignedUpload> {
    const answer = await this.call(ENDPOINTS.presign, { json: { name: fileName } });
    const record = isObject(answer) ? answer : {};
    const presignedUrl = stringField(record, 'presigned_url');
    const s3Url = stringField(record, 's3_url');
    if (!presignedUrl || !s3Url) {
      // The answer holds a credential: say what is missing, never print it.
      throw unexpected(ENDPOINTS.presign, 'no presigned_url and s3_url', undefined);
    }
    return { presignedUrl, s3Url };
  }

  async setAccess(finetuneId: string, isPublic: boolean): Promise<void> {
    await this.call(ENDPOINTS.access, {
      form: { request_id: finetuneId, segmind_public: isPublic ? 'True' : 'False' },
    });
  }

  /**
   * A pre-signed download URL for a record's `cloud_storage_url`: a GET with an urlencoded form
   * body (as Segmind's SDK sends it), answered as plain text. The answer is a credential: it is
   * never quoted in an error.
   */
  async downloadUrl(cloudStorageUrl: string): Promise<string> {
    const answer = await this.call(ENDPOINTS.download, {
      urlencoded: { cloud_storage_url: cloudStorageUrl },
    });
    const url = typeof answer === 'string' ? answer.trim() : '';
    if (!url) throw unexpected(ENDPOINTS.download, 'no download URL as plain text', undefined);
    return url;
  }

  private async call(endpoint: Endpoint, body: Body, retry = true): Promise<unknown> {
    const policy = retry ? this.retry : { ...this.retry, attempts: 1 };
    return withRetry(
      `Segmind ${endpoint.method} ${endpoint.path}`,
      policy,
      () => unlessCancelled(this.once(endpoint, body)),
      classify,
    );
  }

  private async once(endpoint: Endpoint, body: Body): Promise<unknown> {
    const headers: Record<string, string> = {
      'x-api-key': this.apiKey,
      Accept: 'application/json',
    };
    let data: string | undefined;
    if (body && 'json' in body) {
      data = JSON.stringify(body.json);
      headers['Content-Type'] = 'application/json';
    } else if (body && 'form' in body) {
      const boundary = `----segmind-action-${randomBytes(12).toString('hex')}`;
      data = multipart(body.form, boundary);
      headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
    } else if (body && 'urlencoded' in body) {
      data = new URLSearchParams(body.urlencoded).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const url = this.baseUrl + endpoint.path;
    const proxy = announceProxy(url);
    let response: HttpClientResponse;
    let text: string;
    try {
      this.http ??= createHttpClient({
        allowRetries: false,
        socketTimeout: requestTimeoutMs(60_000),
      });
      response = await (await this.http).request(endpoint.method, url, data ?? null, headers);
      text = await response.readBody();
    } catch (error) {
      const host = hostOf(url);
      const refused = proxyRefusal(error);
      if (proxy && refused !== undefined) {
        throw new SegmindApiError(
          endpoint,
          undefined,
          `the proxy ${proxy} refused to connect to ${host} (HTTP ${refused})`,
          proxyRefusalHint(refused, host),
          refused >= 500,
        );
      }
      throw new SegmindApiError(
        endpoint,
        undefined,
        `${networkErrorText(error)} (no answer from ${host}${proxy ? ` through the proxy ${proxy}` : ''})`,
        networkHint(host, proxy, 'Segmind'),
        true,
      );
    }
    const status = response.message.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text);
      } catch {
        // access-update documents a bare `200`, other answers might be plain text too.
        return text;
      }
    }
    throw errorFor(endpoint, status, text, response.message.headers['retry-after']);
  }
}

function errorFor(
  endpoint: Endpoint,
  status: number,
  text: string,
  retryAfter: string | string[] | undefined,
): SegmindApiError {
  const message = segmindMessage(text) || '(no message)';
  const transient = status === 429 || status >= 500;
  let hint: string | undefined;
  if (status === 401 || status === 403) {
    hint =
      'Segmind rejected the API key. Check that the `api-key` secret holds a current key from the Segmind console (Settings, API keys), with no extra spaces or quotes.';
  } else if (status === 429) {
    hint =
      'Segmind is rate-limiting this key. Wait a while and re-run, or run fewer jobs at once (a `concurrency` group, or `max-parallel` in a matrix).';
  } else if (status >= 500) {
    hint =
      'Segmind had a server error. Re-run the job later; if it persists, check https://status.segmind.com or contact Segmind support.';
  } else if (
    status === 404 &&
    (endpoint.path === ENDPOINTS.details.path || endpoint.path === ENDPOINTS.access.path)
  ) {
    hint = NOT_FOUND_HINT;
  } else if (status === 407) {
    hint =
      'The proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port) in HTTPS_PROXY.';
  }
  return new SegmindApiError(
    endpoint,
    status,
    message,
    hint,
    transient,
    transient ? parseRetryAfter(retryAfter) : undefined,
  );
}

function classify(error: unknown): AttemptFailure {
  if (error instanceof SegmindApiError) {
    return { retryable: error.transient, retryAfterMs: error.retryAfterMs, error };
  }
  return { retryable: false, error };
}

/**
 * Segmind's message from an error body, on one line and at most 300 characters: JSON `message`,
 * `error`, `detail` (a validation list of `{loc, msg}` too), `msg` or `error_message`; a JSON
 * string; an HTML error page's title or text (a gateway or proxy in between); else the text.
 */
export function segmindMessage(text: string): string {
  const trimmed = text.trim();
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    body = undefined;
  }
  let message: string | undefined;
  if (isObject(body)) {
    for (const key of ['message', 'error', 'detail', 'msg', 'error_message']) {
      message = messageOf(body[key]);
      if (message) break;
    }
    message ??= trimmed;
  } else if (typeof body === 'string') {
    message = body;
  } else if (/^<(!doctype html|html)\b/i.test(trimmed) || /<\/(html|body)>/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    message =
      title || trimmed.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  } else {
    message = trimmed;
  }
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value
      .map((item) => {
        if (isObject(item) && typeof item.msg === 'string') {
          return Array.isArray(item.loc) ? `${item.loc.join('.')}: ${item.msg}` : item.msg;
        }
        return typeof item === 'string' ? item : JSON.stringify(item);
      })
      .filter(Boolean);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (isObject(value)) return messageOf(value.message) ?? JSON.stringify(value);
  return undefined;
}

/** An error thrown by the HTTP client, as text; its code when the message is empty. */
export function networkErrorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message || code || error.name;
  }
  return String(error);
}

function unexpected(endpoint: Endpoint, what: string, answer: unknown): SegmindApiError {
  const shown = answer === undefined ? '' : `: ${JSON.stringify(answer).slice(0, 300)}`;
  return new SegmindApiError(
    endpoint,
    200,
    `an answer with ${what}${shown}`,
    'Segmind answered in a shape this action does not know. Re-run; if it persists, please open an issue with this message.',
    false,
  );
}

function multipart(fields: Record<string, string>, boundary: string): string {
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}

function isEmptyObject(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 0;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
