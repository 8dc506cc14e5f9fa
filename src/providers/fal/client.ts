/**
 * fal's HTTP API, as far as training needs it: storage (the dataset upload), the queue (submit,
 * status, result, cancel) and the platform API's request history (reuse, list). Every answer is
 * checked against the shape fal documents; docs/providers.md says which points are confirmed and
 * which are inferred, and where this client is lenient because of it.
 *
 * The key goes in `Authorization: Key <key>` to fal's own API hosts only (`api-url` when it is
 * set): never to the storage URL an upload is sent to, nor to the CDN the LoRA is fetched from.
 * Status, result and cancel URLs are built here from the endpoint and the id, never taken from an
 * answer, so that no answer can send the key anywhere else.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { callApi, malformed, type ApiCall } from '../../http/api.js';
import { answerMessage } from '../../http/message.js';
import {
  HttpError,
  INVALID_JSON,
  parseJson,
  statusError,
  type HttpAnswer,
} from '../../http/send.js';
import type { RetryPolicy } from '../../http/retry.js';
import { isObject, stringField } from '../../shared/json.js';
import { isHttpsOrLoopback } from '../../shared/urls.js';

/** fal's hosts: the queue, the REST API (storage), and the platform API (request history). */
export interface FalHosts {
  queue: string;
  rest: string;
  api: string;
}

/** `api-url` empty means fal's real hosts; set, it replaces the origin of every one of them. */
export function falHosts(apiUrl: string): FalHosts {
  if (!apiUrl) {
    return {
      queue: 'https://queue.fal.run',
      rest: 'https://rest.fal.ai',
      api: 'https://api.fal.ai',
    };
  }
  return { queue: apiUrl, rest: apiUrl, api: apiUrl };
}

/** What the queue says of a request (submit and status answers). */
export interface QueueStatus {
  request_id?: string;
  status: string;
  queue_position?: number;
  /** A request that ended in failure: fal's message and its machine code. */
  error?: string;
  error_type?: string;
  [field: string]: unknown;
}

/** One request of the history (`GET /v1/models/requests/by-endpoint`). */
export interface HistoryItem {
  request_id: string;
  endpoint_id?: string;
  sent_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  status_code?: number | null;
  json_input?: Record<string, unknown> | null;
  json_output?: Record<string, unknown> | null;
  [field: string]: unknown;
}

export interface HistoryQuery {
  endpoints: string[];
  /** ISO 8601; fal's default is 24 hours ago. */
  start?: string;
  requestId?: string;
  cursor?: string;
}

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor?: string;
}

/** A few hundred requests with their payloads is a few hundred kB; past this is not fal's answer. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export class FalClient {
  constructor(
    private readonly hosts: FalHosts,
    private readonly key: string,
    private readonly retry: RetryPolicy,
  ) {}

  /**
   * A place to upload a file to: `upload_url` (a signed URL, a credential) and `file_url` (where
   * it is read from once uploaded). `multipart` asks for the variant whose parts go to
   * `upload_url` + `/<n>`.
   */
  async initiateUpload(
    fileName: string,
    contentType: string,
    multipart: boolean,
  ): Promise<{ uploadUrl: string; fileUrl: string }> {
    const path = multipart ? '/storage/upload/initiate-multipart' : '/storage/upload/initiate';
    return this.call(
      'POST',
      this.hosts.rest,
      `${path}?storage_type=fal-cdn-v3`,
      { content_type: contentType, file_name: fileName },
      (answer, what) => {
        const value = parseJson(answer.body);
        const record = isObject(value) ? value : {};
        const uploadUrl = stringField(record, 'upload_url');
        const fileUrl = stringField(record, 'file_url');
        if (
          !uploadUrl ||
          !fileUrl ||
          !isHttpsOrLoopback(uploadUrl) ||
          !isHttpsOrLoopback(fileUrl)
        ) {
          // The answer holds a credential: say what is missing, never quote it.
          throw malformed(what, answer, 'an answer with no upload_url and file_url', false);
        }
        return { uploadUrl, fileUrl };
      },
    );
  }

  /**
   * Sends a request to a trainer, once (never retried here: a lost answer may mean it was
   * queued, and the caller settles that). The id is read from the answer's body, or from its
   * `x-fal-request-id` header where the body is not what fal documents.
   */
  async submit(endpoint: string, input: Record<string, unknown>): Promise<QueueStatus> {
    return this.call(
      'POST',
      this.hosts.queue,
      `/${endpoint}`,
      input,
      (answer, what) => {
        const value = parseJson(answer.body);
        const record = isObject(value) ? value : {};
        const id = stringField(record, 'request_id') ?? requestIdHeader(answer.headers);
        if (!id) throw malformed(what, answer, 'an answer with no request_id');
        return { ...record, request_id: id, status: stringField(record, 'status') ?? 'IN_QUEUE' };
      },
      false,
    );
  }

  /** Where the request stands: 202 while queued or running, 200 once completed (any 2xx will do). */
  async status(endpoint: string, id: string): Promise<QueueStatus> {
    return this.call(
      'GET',
      this.hosts.queue,
      `/${endpoint}/requests/${encodeURIComponent(id)}/status?logs=0`,
      undefined,
      (answer, what) => {
        const value = parseJson(answer.body);
        const status = isObject(value) ? stringField(value, 'status') : undefined;
        if (!isObject(value) || !status) throw malformed(what, answer, 'an answer with no status');
        return { ...value, status } as QueueStatus;
      },
    );
  }

  /**
   * A completed request's result, whatever its status: 200 with the trainer's output, or the
   * status and body the trainer failed with (a 422 of invalid input, a 500), or a 404 for a
   * result fal no longer keeps. Only 429 and the gateway's 502 to 504 are retried.
   */
  async result(
    endpoint: string,
    id: string,
  ): Promise<{ status: number; body: unknown; message: string }> {
    const what = `fal GET /${endpoint}/requests/{id}`;
    return callApi(
      this.request(
        'GET',
        this.hosts.queue,
        `/${endpoint}/requests/${encodeURIComponent(id)}`,
        what,
      ),
      this.retry,
      (answer) => ({
        status: answer.status,
        body: parseJson(answer.body),
        message: answer.status < 300 ? '' : falMessage(answer.body),
      }),
      (answer) => this.errorFor(what, answer),
      {
        accepts: (answer) =>
          !isGatewayFailure(answer.status) && answer.status !== 401 && answer.status !== 403,
      },
    );
  }

  /**
   * Asks fal to stop a request. A request fal cannot stop is an answer too, its reason in
   * `status` (`ALREADY_COMPLETED`, `NOT_FOUND`).
   */
  async cancel(endpoint: string, id: string): Promise<{ httpStatus: number; status: string }> {
    const what = `fal PUT /${endpoint}/requests/{id}/cancel`;
    return callApi(
      this.request(
        'PUT',
        this.hosts.queue,
        `/${endpoint}/requests/${encodeURIComponent(id)}/cancel`,
        what,
      ),
      this.retry,
      (answer) => ({ httpStatus: answer.status, status: statusWord(answer) ?? 'OK' }),
      (answer) => this.errorFor(what, answer),
      {
        accepts: (answer) =>
          (answer.status === 400 || answer.status === 404 || answer.status === 409) &&
          statusWord(answer) !== undefined,
      },
    );
  }

  /** One page of the request history of `endpoints`, with the requests' input and output. */
  async history(query: HistoryQuery): Promise<HistoryPage> {
    const params = new URLSearchParams();
    params.set('endpoint_id', query.endpoints.join(','));
    params.set('expand', 'payloads');
    params.set('limit', '100');
    if (query.start) params.set('start', query.start);
    if (query.requestId) params.set('request_id', query.requestId);
    if (query.cursor) params.set('cursor', query.cursor);
    return this.call(
      'GET',
      this.hosts.api,
      `/v1/models/requests/by-endpoint?${params.toString()}`,
      undefined,
      (answer, what) => {
        const value = parseJson(answer.body);
        if (!isObject(value) || !Array.isArray(value.items)) {
          throw malformed(what, answer, 'an answer with no "items" list');
        }
        const items = value.items.filter(
          (item): item is HistoryItem => isObject(item) && typeof item.request_id === 'string',
        );
        const next = stringField(value, 'next_cursor');
        // has_more is derived from next_cursor; either saying "no more" ends the list.
        return { items, nextCursor: value.has_more === false ? undefined : next };
      },
    );
  }

  private request(
    method: ApiCall['method'],
    host: string,
    path: string,
    what: string,
    json?: unknown,
  ): ApiCall {
    return {
      what,
      method,
      url: host + path,
      headers: { Authorization: `Key ${this.key}` },
      json,
      peer: 'fal',
      maxBodyBytes: MAX_ANSWER_BYTES,
    };
  }

  private call<T>(
    method: ApiCall['method'],
    host: string,
    path: string,
    json: unknown,
    read: (answer: HttpAnswer, what: string) => T,
    retry = true,
  ): Promise<T> {
    // Named without its query or the request's id: `fal GET /v1/models/requests/by-endpoint`.
    const bare = path.split('?')[0]!;
    const queue = !bare.startsWith('/v1/') && !bare.startsWith('/storage/');
    const what = `fal ${method} ${queue ? bare.replace(/\/requests\/[^/]+/, '/requests/{id}') : bare}`;
    return callApi(
      this.request(method, host, path, what, json),
      this.retry,
      (answer) => read(answer, what),
      (answer) => this.errorFor(what, answer),
      { retry },
    );
  }

  private errorFor(what: string, answer: HttpAnswer): HttpError {
    const { status } = answer;
    const message = falMessage(answer.body) || '(no message)';
    if (status === 404 && what.includes('/requests/{id}')) {
      return new HttpError({
        what,
        status,
        serverMessage: message,
        transient: false,
        headers: answer.headers,
        hint: 'fal has no request with this id on this trainer for this key. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the key belongs to the same fal account.',
      });
    }
    let hint: string | undefined;
    if ((status === 401 || status === 403) && /\blocked\b|balance|billing|credit/i.test(message)) {
      // "User is locked. Reason: Exhausted balance": the key is fine, the account has no credit.
      hint =
        'fal locked the account behind this key, most likely because its balance is used up: a new key will not help. Add credit (fal dashboard, Billing), then re-run.';
    } else if (status === 401 || status === 403) {
      hint =
        'fal rejected the API key. Check that the `api-key` secret holds a current key from the fal dashboard (API keys), whole (a key_id:key_secret key with both halves), with no extra spaces or quotes.';
    } else if (status === 429) {
      hint = 'fal is rate-limiting this key. Wait a while and re-run, or run fewer jobs at once.';
    } else if (status >= 500) {
      hint =
        'fal had a server error. Re-run the job later; if it persists, check https://status.fal.ai or contact fal support.';
    }
    return statusError(what, answer, message, hint);
  }
}

/** The gateway in front of the queue failing (or a rate limit): worth another attempt. */
function isGatewayFailure(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** fal's message: `detail` (a string, or FastAPI's list of `{loc, msg}`), with its `error_type`. */
export function falMessage(body: Buffer): string {
  const message = answerMessage(body);
  const parsed = parseJson(body);
  const type =
    parsed !== INVALID_JSON && isObject(parsed) ? stringField(parsed, 'error_type') : undefined;
  return type && !message.includes(type) ? `${message} (${type})` : message;
}

/** The request id fal puts in a header of its queue answers. */
export function requestIdHeader(headers: IncomingHttpHeaders | undefined): string | undefined {
  const value = headers?.['x-fal-request-id'];
  const id = (Array.isArray(value) ? value[0] : value)?.trim();
  return id && /^[A-Za-z0-9._:-]{1,200}$/.test(id) ? id : undefined;
}

function statusWord(answer: HttpAnswer): string | undefined {
  const value = parseJson(answer.body);
  return isObject(value) ? stringField(value, 'status') : undefined;
}
