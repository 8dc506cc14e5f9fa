import { randomBytes } from 'node:crypto';
import {
  HttpError,
  INVALID_JSON,
  malformedAnswer,
  oneLine,
  parseJson,
  send,
  statusError,
  type HttpAnswer,
} from '../../http/send.js';
import { answerMessage } from '../../http/message.js';
import { isObject, stringField } from '../../shared/json.js';
import { isHttpsOrLoopback, isHttpUrl } from '../../shared/urls.js';
import {
  requestTimeoutMs,
  withRetry,
  type AttemptFailure,
  type RetryPolicy,
} from '../../http/retry.js';

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

const ENDPOINTS = {
  submit: { method: 'POST', path: '/finetune/request/submit' },
  details: { method: 'GET', path: '/finetune/request/details' },
  list: { method: 'GET', path: '/finetune/request/list' },
  presign: { method: 'GET', path: '/finetune/request/upload/pre-signed-url' },
  access: { method: 'PUT', path: '/finetune/request/access-update' },
  download: { method: 'GET', path: '/finetune/request/file/download' },
} as const satisfies Record<string, Endpoint>;

type Body =
  | { json: unknown }
  | { form: Record<string, string> }
  | { urlencoded: Record<string, string> }
  | undefined;

const NOT_FOUND_HINT =
  'No fine-tune with this id exists for this API key. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the key belongs to the same Segmind account.';

/** How a request to Segmind is named in messages: `Segmind GET /finetune/request/list`. */
function endpointName(endpoint: Endpoint): string {
  return `Segmind ${endpoint.method} ${endpoint.path}`;
}

/**
 * Segmind's fine-tune API, through the HTTP layer (src/http/send.ts): a GET can carry the JSON body
 * two documented endpoints want (fetch refuses to send one), the runner's HTTPS_PROXY/NO_PROXY
 * are honoured, and every request settles. Each answer is checked against the shape Segmind
 * documents; one that does not fit is retried like a 5xx on the read-only endpoints and is a lost
 * answer on submit.
 */
export class SegmindClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly retry: RetryPolicy,
  ) {}

  /**
   * Submits a job. Never retried here: a lost answer (network error, 5xx, 429, or a 200 that is
   * not the documented JSON) may mean the job exists, and train settles that (list, adopt).
   */
  async submit(request: SubmitRequest): Promise<SubmitAnswer> {
    return this.call(
      ENDPOINTS.submit,
      { json: request },
      (answer) => {
        const value = parseJson(answer.body);
        const record = isObject(value) ? value : {};
        // Some of Segmind's pages answer with request_id instead of finetune_id.
        const finetuneId = stringField(record, 'finetune_id') ?? stringField(record, 'request_id');
        if (!finetuneId) {
          // A 200 that says fine-tuning is over created nothing: no lost answer to settle.
          const said = answerMessage(answer.body);
          if (said && GONE_WORDS.test(said)) {
            throw serviceGone(endpointName(ENDPOINTS.submit), answer.status, said);
          }
          throw unexpected(ENDPOINTS.submit, answer, 'an answer with no finetune_id or request_id');
        }
        return {
          finetuneId,
          status: stringField(record, 'status'),
          name: stringField(record, 'name'),
        };
      },
      false,
    );
  }

  async details(finetuneId: string): Promise<FinetuneRecord> {
    return this.call(ENDPOINTS.details, { json: { request_id: finetuneId } }, (answer) => {
      const value = parseJson(answer.body);
      if (
        isObject(value) &&
        'finetune' in value &&
        (value.finetune === null || isEmptyObject(value.finetune))
      ) {
        // An unknown id may come back as an empty record rather than a 404.
        throw new HttpError({
          what: endpointName(ENDPOINTS.details),
          status: answer.status,
          serverMessage: `no fine-tune ${oneLine(finetuneId, 100)} (the answer's "finetune" record is empty)`,
          hint: NOT_FOUND_HINT,
          transient: false,
        });
      }
      const record = isObject(value) && isObject(value.finetune) ? value.finetune : undefined;
      if (!record)
        throw unexpected(ENDPOINTS.details, answer, 'an answer with no "finetune" record');
      return record as FinetuneRecord;
    });
  }

  async list(): Promise<FinetuneRecord[]> {
    return this.call(ENDPOINTS.list, undefined, (answer) => {
      const value = parseJson(answer.body);
      if (!Array.isArray(value)) {
        throw unexpected(ENDPOINTS.list, answer, 'an answer that is not a JSON array');
      }
      return value.filter(isObject) as FinetuneRecord[];
    });
  }

  async presign(fileName: string): Promise<PresignedUpload> {
    return this.call(ENDPOINTS.presign, { json: { name: fileName } }, (answer) => {
      const value = parseJson(answer.body);
      const record = isObject(value) ? value : {};
      const presignedUrl = stringField(record, 'presigned_url');
      const s3Url = stringField(record, 's3_url');
      if (!presignedUrl || !s3Url || !isHttpUrl(presignedUrl) || !isHttpUrl(s3Url)) {
        // The answer may hold a credential: say what is missing, never quote it.
        throw unexpected(
          ENDPOINTS.presign,
          answer,
          'an answer with no presigned_url and s3_url',
          false,
        );
      }
      if (!isHttpsOrLoopback(presignedUrl)) {
        // Asking again would get the same answer: not retried.
        throw malformedAnswer(
          endpointName(ENDPOINTS.presign),
          answer.status,
          'a presigned_url that is not https (the dataset would travel in clear)',
          answer.body,
          {
            quote: false,
            transient: false,
            hint: 'Nothing was uploaded. Check that no proxy rewrites Segmind’s answers; if none does, contact Segmind support.',
          },
        );
      }
      return { presignedUrl, s3Url };
    });
  }

  async setAccess(finetuneId: string, isPublic: boolean): Promise<void> {
    // Documented answer: a bare `200`; any 2xx body will do.
    await this.call(
      ENDPOINTS.access,
      { form: { request_id: finetuneId, segmind_public: isPublic ? 'True' : 'False' } },
      () => undefined,
    );
  }

  /**
   * A pre-signed download URL for a record's `cloud_storage_url`: a GET with an urlencoded form
   * body (as Segmind's SDK sends it, with `requests`' `data=`), answered as plain text (a JSON
   * string will do too). The answer is a credential: it is never quoted in an error.
   */
  async downloadUrl(cloudStorageUrl: string): Promise<string> {
    return this.call(
      ENDPOINTS.download,
      { urlencoded: { cloud_storage_url: cloudStorageUrl } },
      (answer) => {
        const value = parseJson(answer.body);
        const url = (
          typeof value === 'string'
            ? value
            : value === INVALID_JSON
              ? answer.body.toString('utf8')
              : ''
        ).trim();
        if (!isHttpUrl(url)) {
          throw unexpected(
            ENDPOINTS.download,
            answer,
            'an answer that is not a download URL as plain text',
            false,
          );
        }
        return url;
      },
    );
  }

  /**
   * One request with its retries; `read` turns a 2xx answer into the result or throws (a
   * malformed answer is a transient HttpError, so it is retried like a 5xx).
   */
  private async call<T>(
    endpoint: Endpoint,
    body: Body,
    read: (answer: HttpAnswer) => T,
    retry = true,
  ): Promise<T> {
    const policy = retry ? this.retry : { ...this.retry, attempts: 1 };
    return withRetry(
      endpointName(endpoint),
      policy,
      async () => {
        const answer = await this.once(endpoint, body);
        if (answer.status >= 200 && answer.status < 300) return read(answer);
        throw errorFor(endpoint, answer);
      },
      classify,
    );
  }

  private once(endpoint: Endpoint, body: Body): Promise<HttpAnswer> {
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
    return send({
      what: endpointName(endpoint),
      method: endpoint.method,
      url: this.baseUrl + endpoint.path,
      headers,
      body: data,
      timeoutMs: requestTimeoutMs(60_000, this.retry),
      maxBodyBytes: MAX_ANSWER_BYTES,
      peer: 'Segmind',
    });
  }
}

/** A list of many fine-tunes is a few hundred kB; anything past this is not Segmind's answer. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** Where new models are trained, said by every error that ends in Segmind training no more. */
const TRAIN_ELSEWHERE =
  'To train new models, set `provider: fal` or `provider: replicate` (FLUX [dev] LoRAs; see “Where new models are trained today” in the README), with that provider’s key in `api-key`.';

/** How Segmind words that fine-tuning is over: deprecated, discontinued, no longer taking jobs. */
const GONE_WORDS =
  /deprecat|discontinu|sunset|no longer (accept|avail|offer|support|tak)|not (accepting|taking) (new )?(jobs|requests|fine)|fine-?tun\w* (is|are|has been) (disabled|retired|removed|closed)/i;

/**
 * What Segmind says, on an endpoint that starts a training (the upload link, the submit), when it
 * no longer takes them: a 410 Gone, or an error whose message says so (a 5xx too: it is not a
 * failure that a retry would get past).
 */
function isServiceGone(status: number, message: string): boolean {
  return status === 410 || (status >= 400 && GONE_WORDS.test(message));
}

function serviceGone(what: string, status: number, message: string): HttpError {
  return new HttpError({
    what,
    status,
    transient: false,
    serverMessage: message,
    message: `Segmind refused new fine-tunes for this key (${what} answered HTTP ${status}): "${message}"`,
    hint: `Segmind says its fine-tuning service no longer takes new jobs, so retrying will not help. Models trained before still work: \`command: status\`, \`command: list\`, \`command: set-access\` and \`command: download\` serve them (with their \`finetune-id\`). ${TRAIN_ELSEWHERE}`,
  });
}

/**
 * A 410 from an endpoint that serves an existing model: Segmind answers 410 Gone for a model it
 * has retired (since 2026-06-14, providers/README.md), which no command brings back.
 */
const RETIRED_HINT = `Segmind answers 410 Gone for a model it has retired: it no longer serves that model, its details or its weights, and retrying will not help. Keep a copy of the weights you have. ${TRAIN_ELSEWHERE}`;

function errorFor(endpoint: Endpoint, answer: HttpAnswer): HttpError {
  const { status } = answer;
  const message = answerMessage(answer.body) || '(no message)';
  const what = endpointName(endpoint);
  const starts = endpoint === ENDPOINTS.submit || endpoint === ENDPOINTS.presign;
  if (starts && isServiceGone(status, message)) return serviceGone(what, status, message);
  let hint: string | undefined;
  if (status === 410 && endpoint === ENDPOINTS.list) {
    // No one model is named: the fine-tune API itself is gone for this key.
    hint = `Segmind answers 410 Gone for its list of fine-tunes: its fine-tuning API is gone for this key, and retrying will not help. ${TRAIN_ELSEWHERE}`;
  } else if (status === 410) {
    hint = RETIRED_HINT;
  } else if (status === 401 || status === 403) {
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
  return statusError(what, answer, message, hint);
}

function classify(error: unknown): AttemptFailure {
  if (error instanceof HttpError) {
    return { retryable: error.transient, retryAfterMs: error.retryAfterMs, error };
  }
  return { retryable: false, error };
}

/**
 * A 2xx answer that is not what the endpoint documents: transient, so retried like a 5xx on the
 * read-only endpoints and taken as a lost answer on submit. `quote: false` for answers that may
 * hold a credential (the pre-signed URL).
 */
function unexpected(
  endpoint: Endpoint,
  answer: HttpAnswer,
  problem: string,
  quote = true,
): HttpError {
  return malformedAnswer(endpointName(endpoint), answer.status, problem, answer.body, { quote });
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
