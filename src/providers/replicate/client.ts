/**
 * Replicate's HTTP API, as far as training needs it: the account, models (the trainer and the
 * destination), the Files API (the dataset upload) and trainings (create, get, list, cancel).
 * Every answer is checked against the shape Replicate documents; docs/replicate.md says which
 * points are confirmed and which inferred, and where this client is lenient because of it.
 *
 * The token goes in `Authorization: Bearer <token>` to Replicate's API (`api-url` when it is set)
 * and, for the trained weights, to Replicate's own hosts only (`authorizationFor`). Every URL a
 * request is sent to is built here from `api-url` and a path: a `next` page link or a training's
 * `urls` in an answer never decide where the token goes.
 */
import { randomBytes } from 'node:crypto';
import type { DatasetZip } from '../provider.js';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { callApi, malformed, type ApiCall } from '../../http/api.js';
import { answerMessage } from '../../http/message.js';
import {
  HttpError,
  INVALID_JSON,
  oneLine,
  parseJson,
  statusError,
  withoutQueries,
  type HttpAnswer,
} from '../../http/send.js';
import type { RetryPolicy } from '../../http/retry.js';
import { progressLines } from '../../transfer/progress.js';
import { isObject, stringField } from '../../shared/json.js';
import { isHttpsOrLoopback } from '../../shared/urls.js';

const REPLICATE_API = 'https://api.replicate.com';

/** A model: the trainer, or the destination a training writes a version to. */
export interface ReplicateModel {
  owner: string;
  name: string;
  visibility?: string;
  /** The version object (`{id, ...}`), or null for a model with none yet. */
  latest_version?: unknown;
  [field: string]: unknown;
}

/** A training as Replicate reports it (create, get and list answers). */
export interface Training {
  id: string;
  /** The trainer, `owner/name`. */
  model?: string;
  /** The trainer's version id. */
  version?: string;
  status: string;
  input?: Record<string, unknown> | null;
  output?: unknown;
  error?: unknown;
  logs?: unknown;
  created_at?: string;
  [field: string]: unknown;
}

/** A file of the Files API. */
export interface ReplicateFile {
  id: string;
  name?: string;
  size?: number;
  checksums?: { sha256?: string; [kind: string]: unknown };
  created_at?: string;
  expires_at?: string | null;
  urls: { get: string; [kind: string]: unknown };
  [field: string]: unknown;
}

export interface Page<T> {
  results: T[];
  /** The query of the next page (`?cursor=...`), to be asked of `api-url`; none at the end. */
  next?: string;
}

/** What `POST /v1/models` takes. */
export interface NewModel {
  owner: string;
  name: string;
  visibility: 'public' | 'private';
  hardware: string;
  description?: string;
}

/** A trainings list page of 100 with their inputs is well under this; past it is not Replicate. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** Fields of a 422 shown one a line; the rest are counted. */
const FIELDS_SHOWN = 10;
/** Hosts of Replicate's own that serve output files (and ask for the token, as its API says). */
const REPLICATE_HOSTS = /(^|\.)(replicate\.com|replicate\.delivery)$/i;

export class ReplicateClient {
  private readonly base: string;

  constructor(
    apiUrl: string,
    private readonly token: string,
    private readonly retry: RetryPolicy,
  ) {
    this.base = (apiUrl || REPLICATE_API).replace(/\/+$/, '');
  }

  /** The account the token belongs to: the default owner of a destination model. */
  async account(): Promise<{ username: string; type?: string }> {
    return this.call('GET', '/v1/account', undefined, (answer, what) => {
      const value = parseJson(answer.body);
      const username = isObject(value) ? stringField(value, 'username') : undefined;
      if (!isObject(value) || !username)
        throw malformed(what, answer, 'an answer with no username');
      return { username, type: stringField(value, 'type') };
    });
  }

  /** The model `owner/name`; undefined when Replicate has none (404). */
  async model(owner: string, name: string): Promise<ReplicateModel | undefined> {
    const what = 'Replicate GET /v1/models/{owner}/{name}';
    return callApi(
      this.request(
        'GET',
        `/v1/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
        what,
      ),
      this.retry,
      (answer) => {
        if (answer.status === 404) return undefined;
        const value = parseJson(answer.body);
        if (!isObject(value) || typeof value.name !== 'string') {
          throw malformed(what, answer, 'an answer that is not a model');
        }
        return { ...value, owner: String(value.owner ?? owner), name: value.name };
      },
      (answer) => this.errorFor(what, answer),
      { accepts: (answer) => answer.status === 404 },
    );
  }

  /**
   * Creates a model. A 409 means one of that name exists (made since it was looked up, by another
   * run): that is what was wanted. Sending it again after a lost answer is safe for the same
   * reason, so it is retried like a read.
   */
  async createModel(model: NewModel, hint403: string): Promise<'created' | 'exists'> {
    const what = 'Replicate POST /v1/models';
    return callApi(
      this.request('POST', '/v1/models', what, model),
      this.retry,
      (answer) => {
        if (answer.status === 409) return 'exists';
        const value = parseJson(answer.body);
        if (!isObject(value) || typeof value.name !== 'string') {
          throw malformed(what, answer, 'an answer that is not a model');
        }
        return 'created';
      },
      (answer) => this.errorFor(what, answer, answer.status === 403 ? hint403 : undefined),
      { accepts: (answer) => answer.status === 409 },
    );
  }

  /**
   * Uploads the ZIP to the Files API as `multipart/form-data`, streamed from disk with its
   * Content-Length: an answer whose sha256 is not the ZIP's (as built) is a failed upload
   * (retried). Every attempt is a new file; one a lost answer left behind is never used
   * and expires.
   */
  async uploadFile(zip: DatasetZip): Promise<ReplicateFile> {
    const what = 'Replicate POST /v1/files';
    const boundary = `----replicate-upload-${randomBytes(12).toString('hex')}`;
    const head = Buffer.from(
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="filename"',
        '',
        zip.fileName,
        `--${boundary}`,
        'Content-Disposition: form-data; name="type"',
        '',
        'application/zip',
        `--${boundary}`,
        `Content-Disposition: form-data; name="content"; filename="${zip.fileName}"`,
        'Content-Type: application/zip',
        '',
        '',
      ].join('\r\n'),
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = (): NodeJS.ReadableStream => {
      const progress = progressLines('Uploading', zip.bytes);
      async function* parts(): AsyncGenerator<Buffer> {
        yield head;
        let sent = 0;
        const file = createReadStream(zip.path, { highWaterMark: 1024 * 1024 });
        for await (const chunk of file as AsyncIterable<Buffer>) {
          sent += chunk.length;
          progress(sent);
          yield chunk;
        }
        yield tail;
      }
      return Readable.from(parts(), { objectMode: false });
    };
    // One attempt of a 100 MB upload on a slow link can take minutes by itself.
    const policy = { ...this.retry, maxTotalMs: Math.max(this.retry.maxTotalMs, 15 * 60_000) };
    return callApi(
      {
        ...this.request('POST', '/v1/files', what),
        headers: {
          Authorization: `Bearer ${this.token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(head.length + zip.bytes + tail.length),
        },
        body,
      },
      policy,
      (answer) => {
        const file = readFile(parseJson(answer.body));
        if (!file) throw malformed(what, answer, 'an answer with no file id and urls.get');
        if (file.size !== undefined && file.size !== zip.bytes) {
          throw malformed(
            what,
            answer,
            `a file of ${file.size} bytes where ${zip.bytes} were sent`,
            false,
          );
        }
        const theirs = file.checksums?.sha256;
        if (typeof theirs === 'string' && theirs.toLowerCase() !== zip.sha256) {
          throw malformed(
            what,
            answer,
            `a file whose sha256 (${theirs}) is not the ZIP's (${zip.sha256})`,
            false,
          );
        }
        return file;
      },
      (answer) => this.errorFor(what, answer),
    );
  }

  /** One page of the account's files, newest first; `next` from the page before. */
  async files(next?: string): Promise<Page<ReplicateFile>> {
    return this.page('/v1/files', next, (item) => readFile(item));
  }

  /**
   * Creates a training, once (never retried here: a lost answer may mean it exists, and the
   * caller settles that). The answer's `urls` point at `/v1/predictions/`; they are not used.
   */
  async createTraining(
    trainer: { owner: string; name: string; version: string },
    destination: string,
    input: Record<string, unknown>,
  ): Promise<Training> {
    const path = `/v1/models/${trainer.owner}/${trainer.name}/versions/${encodeURIComponent(trainer.version)}/trainings`;
    const what = `Replicate POST /v1/models/${trainer.owner}/${trainer.name}/versions/{version}/trainings`;
    // A 403 or 404 here is about the destination (the trainer was read a moment ago): a model
    // the token may not write to, though anyone may read it.
    const destinationHint = `Replicate would not train into ${destination} with this token. A token trains into models of its own account or of an organization it belongs to: set \`destination\` to one of those (the default, \`<account>/<repository name>\`, is created for you).`;
    return callApi(
      this.request('POST', path, what, { destination, input }),
      this.retry,
      (answer) => {
        const training = readTraining(parseJson(answer.body));
        if (!training) throw malformed(what, answer, 'an answer with no training id');
        return training;
      },
      (answer) =>
        this.errorFor(
          what,
          answer,
          answer.status === 403 || answer.status === 404 ? destinationHint : undefined,
        ),
      { retry: false },
    );
  }

  async training(id: string): Promise<Training> {
    return this.call(
      'GET',
      `/v1/trainings/${encodeURIComponent(id)}`,
      undefined,
      (answer, what) => {
        const training = readTraining(parseJson(answer.body));
        if (!training) throw malformed(what, answer, 'an answer that is not a training');
        return training;
      },
    );
  }

  /** One page of the account's trainings (every model's), newest first. */
  async trainings(next?: string): Promise<Page<Training>> {
    return this.page('/v1/trainings', next, (item) => readTraining(item));
  }

  /**
   * Asks Replicate to stop a training. A refusal that is an answer rather than an error (a
   * training that has finished already, whatever status Replicate says that with) comes back as
   * `refused` with Replicate's message; the caller reads the training as it stands.
   */
  async cancel(id: string): Promise<{ training?: Training; refused?: string; status: number }> {
    const what = 'Replicate POST /v1/trainings/{id}/cancel';
    return callApi(
      this.request('POST', `/v1/trainings/${encodeURIComponent(id)}/cancel`, what),
      this.retry,
      (answer) => {
        if (answer.status >= 300) {
          return { refused: replicateMessage(answer.body), status: answer.status };
        }
        return { training: readTraining(parseJson(answer.body)), status: answer.status };
      },
      (answer) => this.errorFor(what, answer),
      { accepts: (answer) => [400, 409, 422].includes(answer.status) },
    );
  }

  /**
   * The header that fetches a Replicate output file (Replicate asks for the token on them), for
   * a URL on `api-url`'s origin or on Replicate's own hosts over https; undefined for any other
   * host, which never gets the token.
   */
  authorizationFor(url: string): Record<string, string> | undefined {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return undefined;
    }
    const own = target.origin === new URL(this.base).origin;
    const replicate = target.protocol === 'https:' && REPLICATE_HOSTS.test(target.hostname);
    return own || replicate ? { Authorization: `Bearer ${this.token}` } : undefined;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /**
   * A page of a list. The `next` link Replicate gives is absolute (`https://api.replicate.com/
   * v1/trainings?cursor=...`): only its query is kept, and asked of `api-url`, so that neither a
   * proxy in `api-url` nor a link in an answer can send the token elsewhere.
   */
  private async page<T>(
    path: string,
    next: string | undefined,
    read: (item: unknown) => T | undefined,
  ): Promise<Page<T>> {
    return this.call('GET', `${path}${next ?? ''}`, undefined, (answer, what) => {
      const value = parseJson(answer.body);
      if (!isObject(value) || !Array.isArray(value.results)) {
        throw malformed(what, answer, 'an answer with no "results" list');
      }
      const results = value.results
        .map((item) => read(item))
        .filter((item): item is T => item !== undefined);
      return { results, next: nextQuery(value.next) };
    });
  }

  private request(method: ApiCall['method'], path: string, what: string, json?: unknown): ApiCall {
    return {
      what,
      method,
      url: this.base + path,
      headers: { Authorization: `Bearer ${this.token}` },
      json,
      peer: 'Replicate',
      maxBodyBytes: MAX_ANSWER_BYTES,
    };
  }

  private call<T>(
    method: ApiCall['method'],
    path: string,
    json: unknown,
    read: (answer: HttpAnswer, what: string) => T,
  ): Promise<T> {
    // Named without its query or the id: `Replicate GET /v1/trainings/{id}`.
    const bare = path.split('?')[0]!.replace(/^(\/v1\/trainings)\/[^/]+/, '$1/{id}');
    const what = `Replicate ${method} ${bare}`;
    return callApi(
      this.request(method, path, what, json),
      this.retry,
      (answer) => read(answer, what),
      (answer) => this.errorFor(what, answer),
    );
  }

  private errorFor(what: string, answer: HttpAnswer, hint?: string): HttpError {
    const { status } = answer;
    const fields = invalidFields(answer.body);
    const message = replicateMessage(answer.body) || '(no message)';
    let fallback: string | undefined;
    if (status === 401 || status === 403) {
      fallback =
        'Replicate rejected the API token. Check that the `api-key` secret holds a current token from replicate.com (Account settings, API tokens), whole, with no extra spaces or quotes.';
    } else if (status === 404 && what.includes('/v1/trainings/{id}')) {
      fallback =
        'Replicate has no training with this id for this token. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the token belongs to the same Replicate account.';
    } else if (status === 422) {
      fallback =
        'Replicate refused the request as it was sent; the fields above say why. Check the inputs they name; if they are the action’s own, please open an issue with this message.';
    } else if (status === 429) {
      fallback =
        'Replicate is rate-limiting this token. Wait a while and re-run, or run fewer jobs at once.';
    } else if (status >= 500) {
      fallback =
        'Replicate had a server error. Re-run the job later; if it persists, check Replicate’s status page or contact its support.';
    }
    return statusError(
      what,
      answer,
      message,
      hint ?? fallback,
      fields ? `${what} answered HTTP ${status}: ${fields}` : undefined,
    );
  }
}

/**
 * Replicate's message from a problem+json body: its `detail` (with `title` when the detail does
 * not say it), a 422's fields one by one, or an `errors` list's first `detail` (some clients
 * read that); anything else as the other providers' messages are read.
 */
export function replicateMessage(body: Buffer): string {
  const parsed = parseJson(body);
  if (parsed !== INVALID_JSON && isObject(parsed)) {
    const detail = stringField(parsed, 'detail');
    const title = stringField(parsed, 'title');
    const fromList =
      Array.isArray(parsed.errors) && isObject(parsed.errors[0])
        ? stringField(parsed.errors[0], 'detail')
        : undefined;
    const text = detail ?? fromList;
    if (text) {
      const titled = title && !text.toLowerCase().includes(title.toLowerCase());
      return oneLine(withoutQueries(titled ? `${title}: ${text}` : text), 300);
    }
    if (title) return oneLine(withoutQueries(title), 300);
  }
  return answerMessage(body);
}

/**
 * A 422's `invalid_fields`, one a line (`- input.steps: Must be less than or equal to 6000`),
 * after its title; undefined when the body has none. Each field's text is one line and short:
 * it is the server's, and must not start a line of its own in the log.
 */
export function invalidFields(body: Buffer): string | undefined {
  const parsed = parseJson(body);
  if (parsed === INVALID_JSON || !isObject(parsed) || !Array.isArray(parsed.invalid_fields)) {
    return undefined;
  }
  const fields = parsed.invalid_fields.filter(isObject);
  if (fields.length === 0) return undefined;
  const lines = fields.slice(0, FIELDS_SHOWN).map((f) => {
    const field = typeof f.field === 'string' && f.field ? f.field : '(request)';
    const text =
      (typeof f.description === 'string' && f.description) ||
      (typeof f.type === 'string' && f.type) ||
      'invalid';
    return `- ${oneLine(withoutQueries(`${field}: ${text}`), 200)}`;
  });
  if (fields.length > FIELDS_SHOWN) lines.push(`- and ${fields.length - FIELDS_SHOWN} more`);
  const title = stringField(parsed, 'title') ?? 'Input validation failed';
  return `${oneLine(title, 100)}:\n${lines.join('\n')}`;
}

/** A training from an answer, or undefined when it has no id (or is no object at all). */
export function readTraining(value: unknown): Training | undefined {
  if (!isObject(value)) return undefined;
  const id = stringField(value, 'id');
  if (!id || !/^[A-Za-z0-9._-]{1,200}$/.test(id)) return undefined;
  const input = isObject(value.input) ? value.input : null;
  return { ...value, id, status: typeof value.status === 'string' ? value.status : '', input };
}

/** A file from an answer: it needs an id and a URL to train from. */
export function readFile(value: unknown): ReplicateFile | undefined {
  if (!isObject(value) || !isObject(value.urls)) return undefined;
  const id = stringField(value, 'id');
  const get = stringField(value.urls, 'get');
  if (!id || !get || !isHttpsOrLoopback(get)) return undefined;
  const size = typeof value.size === 'number' ? value.size : undefined;
  const checksums = isObject(value.checksums) ? value.checksums : undefined;
  return { ...value, id, size, checksums, urls: { ...value.urls, get } } as ReplicateFile;
}

/** The query of a `next` link (a link that comes round again is the reader's to stop). */
function nextQuery(next: unknown): string | undefined {
  if (typeof next !== 'string' || next === '') return undefined;
  let query: string;
  try {
    query = new URL(next, 'https://api.replicate.com').search;
  } catch {
    return undefined;
  }
  return query || undefined;
}
