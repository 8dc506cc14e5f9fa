import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import { randomBytes } from 'node:crypto';
import { unlessCancelled } from './cancellation.js';
import { ActionError } from './errors.js';
import { parseRetryAfter, withRetry, type AttemptFailure, type RetryPolicy } from './retry.js';

export const USER_AGENT = 'segmind-flux-finetune-action';

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

type Body = { json: unknown } | { form: Record<string, string> } | undefined;

/**
 * Segmind's fine-tune API. Built on @actions/http-client because two documented GET endpoints
 * carry a JSON body, which fetch refuses to send, and because it honours the runner's
 * HTTPS_PROXY/NO_PROXY like the rest of the toolkit.
 */
export class SegmindClient {
  private readonly http: HttpClient;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly retry: RetryPolicy,
  ) {
    this.http = new HttpClient(USER_AGENT, [], { allowRetries: false, socketTimeout: 60_000 });
  }

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
    }
    let response: HttpClientResponse;
    let text: string;
    try {
      response = await this.http.request(
        endpoint.method,
        this.baseUrl + endpoint.path,
        data ?? null,
        headers,
      );
      text = await response.readBody();
    } catch (error) {
      throw new SegmindApiError(
        endpoint,
        undefined,
        `${(error as Error).message || String(error)} (no answer from ${new URL(this.baseUrl).host})`,
        'This looks like a network problem between the runner and Segmind. Re-run the job; behind a proxy, check HTTPS_PROXY and NO_PROXY.',
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
  } else if (status === 404 && endpoint.path === ENDPOINTS.details.path) {
    hint =
      'No fine-tune with this id exists for this API key. Check the `finetune-id` input (the `finetune-id` output of the step that trained it) and that the key belongs to the same Segmind account.';
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

/** Segmind's message from an error body: JSON `message`/`error`/`detail`, or the text itself. */
export function segmindMessage(text: string): string {
  const trimmed = text.trim();
  try {
    const body: unknown = JSON.parse(trimmed);
    if (isObject(body)) {
      for (const key of ['message', 'error', 'detail', 'msg']) {
        const value = body[key];
        if (typeof value === 'string' && value) return value;
        if (value !== undefined && value !== null) return JSON.stringify(value);
      }
    }
  } catch {
    // not JSON: the text is the message
  }
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
