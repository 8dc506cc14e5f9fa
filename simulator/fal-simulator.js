#!/usr/bin/env node
/**
 * A stand-in for fal: its queue (submit, status, result, cancel), its storage (upload initiate,
 * the signed PUT, the multipart variant), its platform API's request history, and the CDN that
 * serves uploads and trained LoRA files, as three real HTTP servers on loopback.
 *
 * Built from fal's documented contract (the action's docs/fal.md lists each point and whether it
 * is confirmed or inferred). Where fal is lenient the simulator is strict on purpose, so that a
 * client mistake shows in a test rather than in a paid training: fields a trainer does not know
 * are refused (fal would ignore them, and the setting would silently be lost); a dataset below a
 * trainer's floor fails the request as fal's trainer would. Like fal, bad input does not fail the
 * submit: the request is accepted, and ends `COMPLETED` with an `error` when it runs.
 *
 * Node built-ins only: `npm run demo` must work on a fresh clone with nothing installed.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  createKit,
  DEFAULT_MODEL_BYTES,
  describe,
  inspectZip,
  isPlainObject,
  jsonReply,
  mediaType,
  modelFile,
  parseJsonBody,
  randomAlnum,
  runAsProgram,
  closeAll,
  listenAll,
  parseFlags,
} from './kit.js';

// The trained files are generated as the Segmind simulator's are; tests read them back with it.
export { modelFile };

/** The trainers, as their queue OpenAPI documents their input. */
export const TRAINERS = Object.freeze({
  'fal-ai/flux-lora-fast-training': {
    dataField: 'images_data_url',
    minImages: 4,
    fields: {
      images_data_url: ['required', isUrlString, 'a URL string'],
      trigger_word: ['optional', (v) => v === null || typeof v === 'string', 'a string or null'],
      create_masks: ['optional', (v) => typeof v === 'boolean', 'a boolean'],
      steps: [
        'optional',
        (v) => Number.isInteger(v) && v >= 1 && v <= 10000,
        'an integer from 1 to 10000',
      ],
      is_style: ['optional', (v) => typeof v === 'boolean', 'a boolean'],
      is_input_format_already_preprocessed: [
        'optional',
        (v) => typeof v === 'boolean',
        'a boolean',
      ],
      data_archive_format: [
        'optional',
        (v) => v === null || typeof v === 'string',
        'a string or null',
      ],
    },
  },
  'fal-ai/flux-2-trainer': {
    dataField: 'image_data_url',
    minImages: 10,
    captionsOrDefault: true,
    fields: {
      image_data_url: ['required', isUrlString, 'a URL string'],
      steps: [
        'optional',
        (v) => Number.isInteger(v) && v >= 100 && v <= 10000 && v % 100 === 0,
        'an integer from 100 to 10000, a multiple of 100',
      ],
      learning_rate: ['optional', (v) => typeof v === 'number' && Number.isFinite(v), 'a number'],
      default_caption: ['optional', (v) => v === null || typeof v === 'string', 'a string or null'],
      output_lora_format: ['optional', (v) => v === 'fal' || v === 'comfy', '"fal" or "comfy"'],
    },
  },
});

const ENDPOINT_KEYS = Object.freeze([
  'submit',
  'status',
  'result',
  'cancel',
  'history',
  'initiate',
  'upload',
  'complete',
  'file',
]);

const IMAGE_ENTRY = /\.(jpe?g|png|webp)$/i;
/** fal keeps a result this long after the request completes (docs: one hour). */
const RESULT_TTL_MS = 3_600_000;
/** The first folder of fal's CDN paths, an animal's name (`/files/zebra/...`). */
const CDN_WORDS = Object.freeze(['zebra', 'lion', 'elephant', 'panda', 'rabbit', 'koala']);
const API_BODY_CAP = 1_048_576;
const STORAGE_BODY_CAP = 110 * 1024 * 1024;
/** S3-style multipart: every part but the last must be at least this large. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

function isUrlString(value) {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** FastAPI's validation answer: `{"detail": [{"loc", "msg", "type"}]}`. */
function validationDetail(loc, msg, type) {
  return [{ loc: ['body', ...loc], msg, type }];
}

function detailReply(status, detail, headers = {}) {
  return jsonReply(status, { detail }, headers);
}

/**
 * @param {import('./fal-simulator').FalSimulatorOptions} [options]
 * @returns {Promise<import('./fal-simulator').FalSimulator>}
 */
export async function startFalSimulator(options = {}) {
  const apiKey = options.apiKey ?? 'fal-sim-key';
  const host = options.host ?? '127.0.0.1';
  const pollsPerStatus = Math.max(1, Math.floor(options.pollsPerStatus ?? 1));
  const defaultModelBytes = options.modelBytes ?? DEFAULT_MODEL_BYTES;
  const log = options.log ?? (() => {});
  // With `tls` every server speaks https, and URLs name `hostName` (a name only a test's proxy
  // or hosts file resolves): fal's hosts as the runner sees them, not loopback.
  const hostForUrl = options.hostName ?? (host.includes(':') ? `[${host}]` : host);
  const scheme = options.tls ? 'https' : 'http';

  /** @type {import('./fal-simulator').RecordedRequest[]} */
  const requests = [];
  /** request_id -> the request as fal keeps it */
  const queue = new Map();
  /** upload id -> { fileName, contentType, signature, multipart, parts } */
  const uploads = new Map();
  /** CDN path -> { body, contentType } */
  const files = new Map();
  let behaviour = {};
  let now = () => Date.now();
  let keyLeaked = false;
  let closed = false;
  let storageUrl = '';
  let cdnUrl = '';

  const kit = createKit({
    log,
    requests,
    endpointKeys: ENDPOINT_KEYS,
    errorBody: (message) => ({ detail: message }),
    isClosed: () => closed,
  });

  const keyOk = (req) => req.headers.authorization === `Key ${apiKey}`;
  const noteLeak = (req) => {
    if (String(req.headers.authorization ?? '').includes(apiKey)) keyLeaked = true;
  };

  // ----- requests -----------------------------------------------------------------------------

  function createRequest(endpoint, input, extra = {}) {
    const id = extra.request_id ?? crypto.randomUUID();
    const at = extra.sent_at ?? new Date(now()).toISOString();
    const request = {
      request_id: id,
      endpoint_id: endpoint,
      input,
      status: extra.status ?? 'IN_QUEUE',
      sent_at: at,
      started_at: extra.started_at ?? null,
      ended_at: extra.ended_at ?? null,
      status_code: extra.status_code ?? null,
      output: extra.output ?? null,
      error: extra.error ?? null,
      error_type: extra.error_type ?? null,
      errorStatus: extra.errorStatus ?? null,
      errorDetail: extra.errorDetail ?? null,
      completedAt: extra.ended_at ? Date.parse(extra.ended_at) : null,
      polls: 0,
      statusCalls: 0,
      cancelRequested: false,
      behaviour: { ...behaviour, ...(extra.behaviour ?? {}) },
      modelBytes: extra.modelBytes ?? defaultModelBytes,
      logs: [],
    };
    queue.set(id, request);
    if (request.status === 'COMPLETED' && !request.output && !request.error) complete(request);
    return request;
  }

  /** Where a request's files live on the CDN. */
  function outputFor(request) {
    const base = `/files/${request.request_id.slice(0, 8)}/${request.request_id}`;
    const lora = `${base}/pytorch_lora_weights.safetensors`;
    const config = `${base}/config.json`;
    const configBody = Buffer.from(
      JSON.stringify({ endpoint: request.endpoint_id, input: request.input }),
    );
    files.set(config, { body: configBody, contentType: 'application/json' });
    files.set(lora, { model: request.request_id, size: request.modelBytes });
    return {
      diffusers_lora_file: {
        url: `${cdnUrl}${lora}`,
        content_type: 'application/octet-stream',
        file_name: 'pytorch_lora_weights.safetensors',
        file_size: modelFile(request.request_id, request.modelBytes).size,
      },
      config_file: {
        url: `${cdnUrl}${config}`,
        content_type: 'application/octet-stream',
        file_name: 'config.json',
        file_size: configBody.length,
      },
    };
  }

  function fail(request, { status = 500, error, errorType, detail }) {
    request.status = 'COMPLETED';
    request.error = error;
    request.error_type = errorType;
    request.errorStatus = status;
    request.errorDetail = detail ?? error;
    request.status_code = status;
    request.ended_at = new Date(now()).toISOString();
    request.completedAt = now();
  }

  function complete(request) {
    request.status = 'COMPLETED';
    request.output = outputFor(request);
    request.status_code = 200;
    request.ended_at = new Date(now()).toISOString();
    request.completedAt = now();
    request.logs.push(logLine(`Training finished; LoRA saved`));
  }

  function logLine(message) {
    return { message, level: 'INFO', source: 'USER', timestamp: new Date(now()).toISOString() };
  }

  /** What a trainer says of its input when it starts: the schema, then the dataset itself. */
  function checkInput(request) {
    const trainer = TRAINERS[request.endpoint_id];
    const input = request.input;
    if (!isPlainObject(input)) {
      return { detail: validationDetail([], 'Input should be an object', 'dict_type') };
    }
    for (const key of Object.keys(input)) {
      if (!(key in trainer.fields)) {
        return {
          detail: validationDetail(
            [key],
            `Extra inputs are not permitted (this trainer has no field '${key}')`,
            'extra_forbidden',
          ),
        };
      }
    }
    for (const [name, [presence, ok, expected]] of Object.entries(trainer.fields)) {
      if (!(name in input)) {
        if (presence === 'required')
          return { detail: validationDetail([name], 'Field required', 'missing') };
        continue;
      }
      if (!ok(input[name])) {
        return {
          detail: validationDetail(
            [name],
            `Input should be ${expected}, got ${describe(input[name])}`,
            'value_error',
          ),
        };
      }
    }
    const url = input[trainer.dataField];
    const zip = zipAt(url);
    if (!zip) {
      return {
        detail: validationDetail(
          [trainer.dataField],
          `Could not download the archive at ${url}`,
          'file_download_error',
        ),
      };
    }
    let entries;
    try {
      entries = inspectZip(zip);
    } catch (err) {
      return { error: `Invalid training archive: ${err.message}`, errorType: 'invalid_archive' };
    }
    const images = entries.filter((e) => IMAGE_ENTRY.test(e.name));
    if (images.length < trainer.minImages) {
      return {
        error: `At least ${trainer.minImages} images are required to train; the archive has ${images.length}.`,
        errorType: 'not_enough_images',
      };
    }
    if (trainer.captionsOrDefault && !input.default_caption) {
      const names = new Set(entries.map((e) => e.name));
      const bare = images.find((e) => !names.has(e.name.replace(/\.[^.]+$/, '.txt')));
      if (bare) {
        return {
          error: `Image ${bare.name} has no caption file and no default_caption was given.`,
          errorType: 'missing_caption',
        };
      }
    }
    return null;
  }

  /** The ZIP behind a URL the trainer would download: an upload or a public file of the CDN. */
  function zipAt(url) {
    if (typeof url !== 'string' || !url.startsWith(`${cdnUrl}/`)) return null;
    const file = files.get(new URL(url).pathname);
    return file?.body ?? null;
  }

  /**
   * One status call is one poll: after `pollsPerStatus` polls a queued request starts (its input
   * is checked then, as fal's runner does) and after as many more it completes.
   */
  function advance(request) {
    request.statusCalls += 1;
    if (request.status === 'COMPLETED') return;
    const b = request.behaviour;
    request.polls += 1;
    if (request.cancelRequested && !(request.status === 'IN_PROGRESS' && b.finishesDespiteCancel)) {
      fail(request, {
        status: 499,
        error: 'Request was cancelled',
        errorType: 'request_cancelled',
      });
      return;
    }
    if (request.polls < pollsPerStatus) return;
    request.polls = 0;
    if (request.status === 'IN_QUEUE') {
      request.status = 'IN_PROGRESS';
      request.started_at = new Date(now()).toISOString();
      request.logs.push(logLine('Training started'));
      const problem = checkInput(request);
      if (problem?.detail) {
        const [first] = problem.detail;
        fail(request, {
          status: 422,
          error: `Invalid input: ${first.loc.slice(1).join('.') || 'body'}: ${first.msg}`,
          errorType: 'validation_error',
          detail: problem.detail,
        });
      } else if (problem) {
        fail(request, { status: 400, error: problem.error, errorType: problem.errorType });
      }
      return;
    }
    if (request.status === 'IN_PROGRESS') {
      if (b.neverFinish) return;
      if (b.errorMessage) {
        fail(request, {
          status: 500,
          error: b.errorMessage,
          errorType: b.errorType ?? 'internal_error',
        });
        return;
      }
      complete(request);
    }
  }

  function urlsOf(request) {
    // Owner and alias only, whatever sub-path the submit had (fal's clients build them so).
    const base = `${queueBase()}/${request.endpoint_id}/requests/${request.request_id}`;
    return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  }

  function statusShape(request, withLogs) {
    const body = {
      status: request.status,
      request_id: request.request_id,
      ...urlsOf(request),
    };
    if (request.status === 'IN_QUEUE') {
      const ahead = [...queue.values()].filter(
        (r) => r.status === 'IN_QUEUE' && r.sent_at < request.sent_at,
      ).length;
      body.queue_position = ahead;
    } else {
      body.logs = withLogs ? request.logs : null;
    }
    if (request.status === 'COMPLETED') {
      body.metrics = { inference_time: request.error ? null : 412.7 };
      if (request.error) {
        body.error = request.error;
        body.error_type = request.error_type;
      }
    }
    return body;
  }

  function historyItem(request, payloads) {
    const item = {
      request_id: request.request_id,
      endpoint_id: request.endpoint_id,
      sent_at: request.sent_at,
      started_at: request.started_at,
      ended_at: request.ended_at,
      status_code: request.status_code,
      duration:
        request.ended_at && request.started_at
          ? (Date.parse(request.ended_at) - Date.parse(request.started_at)) / 1000
          : null,
    };
    if (payloads) {
      item.json_input = request.input;
      item.json_output =
        request.output ?? (request.errorDetail ? { detail: request.errorDetail } : null);
    }
    return item;
  }

  // ----- signed storage URLs ------------------------------------------------------------------

  function initiate(body, multipart) {
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return detailReply(400, parsed.message);
    const value = parsed.value;
    if (!isPlainObject(value)) return detailReply(400, 'Request body must be a JSON object');
    const fileName = value.file_name;
    const contentType = value.content_type;
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    if (typeof fileName !== 'string' || !/^[^/\\\u0000-\u001f]{1,255}$/.test(fileName)) {
      return detailReply(422, validationDetail(['file_name'], 'Invalid file name', 'value_error'));
    }
    if (typeof contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(contentType)) {
      return detailReply(
        422,
        validationDetail(['content_type'], 'Invalid content type', 'value_error'),
      );
    }
    const id = randomAlnum(20).toLowerCase();
    const token = crypto.randomBytes(24).toString('base64url');
    uploads.set(id, {
      fileName,
      path: cdnPath(fileName),
      contentType,
      token,
      multipart,
      parts: new Map(),
      expiresAt: now() + 3_600_000,
      done: false,
    });
    const expires = Math.floor((now() + 3_600_000) / 1000);
    return jsonReply(200, {
      upload_url: `${storageUrl}/upload/${id}?token=${token}&expires=${expires}`,
      file_url: `${cdnUrl}${uploads.get(id).path}`,
    });
  }

  /**
   * Where an upload named `fileName` is served. fal's CDN URLs, wherever they are seen, are
   * `/files/<word>/<21-character id>_<file name>`, or the id and an extension alone for files
   * made without a name; the contract's one upload example shows only `…/dataset.zip`. The first
   * is the default; `uploadUrlShape` picks another.
   */
  function cdnPath(fileName) {
    const name = encodeURIComponent(fileName);
    const word = CDN_WORDS[crypto.randomInt(CDN_WORDS.length)];
    // fal's ids are nanoids: 21 characters of A-Z, a-z, 0-9, '_' and '-'.
    const id = crypto.randomBytes(16).toString('base64url').slice(0, 21);
    switch (options.uploadUrlShape ?? 'id-prefixed') {
      case 'name':
        return `/files/${word}/${name}`;
      case 'id-only':
        return `/files/${word}/${id}${/\.[A-Za-z0-9]+$/.exec(fileName)?.[0] ?? ''}`;
      default:
        return `/files/${word}/${id}_${name}`;
    }
  }

  /** The upload a storage request is for, or the refusal of a signature that does not match. */
  function uploadFor(url) {
    const match = /^\/upload\/([a-z0-9]+)(?:\/(\d+|complete))?$/.exec(url.pathname);
    const upload = match && uploads.get(match[1]);
    if (!upload || url.searchParams.get('token') !== upload.token) {
      return { refused: detailReply(403, 'Invalid or missing upload signature') };
    }
    if (now() > upload.expiresAt) return { refused: detailReply(403, 'Upload URL has expired') };
    return { id: match[1], upload, suffix: match[2] };
  }

  // ----- routes -------------------------------------------------------------------------------

  function queueBase() {
    return apiUrl;
  }

  /** `/owner/alias[/path]/requests/<id>[/status|/cancel]` -> the trainer and the request. */
  function requestPath(pathname) {
    const match = /^\/(.+?)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(pathname);
    if (!match) return null;
    const endpoint = Object.keys(TRAINERS).find(
      (e) => match[1] === e || match[1].startsWith(`${e}/`),
    );
    return { endpoint, id: decodeURIComponent(match[2]), action: match[3] ?? '' };
  }

  async function apiRoute(req, res, body, label) {
    const url = new URL(req.url ?? '/', 'http://x');
    const { pathname } = url;
    let key = null;
    if (req.method === 'POST' && pathname.startsWith('/storage/upload/initiate')) key = 'initiate';
    else if (pathname === '/v1/models/requests/by-endpoint') key = 'history';
    else if (requestPath(pathname)) {
      const action = requestPath(pathname).action;
      key = action === '/status' ? 'status' : action === '/cancel' ? 'cancel' : 'result';
    } else if (req.method === 'POST') key = 'submit';
    const fault = key ? kit.takeFault(key) : null;
    const lostAnswer = kit.actsAfterWork(fault, key);
    if (fault && !lostAnswer && (await kit.runFault(fault, req, res, 'json', label))) return;
    if (closed) return;
    if (!keyOk(req)) {
      kit.writeReply(
        res,
        detailReply(
          401,
          req.headers.authorization ? 'Invalid authentication credentials' : 'Missing credentials',
        ),
      );
      return;
    }
    const reply = route(req, url, body, key);
    if (lostAnswer && reply.status < 300) {
      // The work is done (a request queued, an answer ready); the client never hears it whole.
      const id = reply.headers['x-fal-request-id'];
      const cut =
        fault.requestIdHeader && id ? { ...fault, headers: { 'x-fal-request-id': id } } : fault;
      await kit.runFault(cut, req, res, 'json', label, reply);
      return;
    }
    kit.writeReply(res, reply);
  }

  function route(req, url, body, key) {
    const { pathname } = url;
    switch (key) {
      case 'initiate': {
        if (url.searchParams.get('storage_type') !== 'fal-cdn-v3') {
          return detailReply(400, 'Unsupported storage_type; use fal-cdn-v3');
        }
        if (pathname === '/storage/upload/initiate') return initiate(body, false);
        if (pathname === '/storage/upload/initiate-multipart') return initiate(body, true);
        return detailReply(404, 'Not Found');
      }
      case 'history':
        return req.method === 'GET' ? history(url) : detailReply(405, 'Method Not Allowed');
      case 'status':
      case 'result':
      case 'cancel':
        return requestRoute(req, url, key);
      case 'submit':
        return submit(req, pathname, body);
      default:
        return detailReply(404, 'Not Found');
    }
  }

  function submit(req, pathname, body) {
    const endpoint = pathname.slice(1);
    if (!(endpoint in TRAINERS)) {
      return detailReply(404, `Application '${endpoint}' not found`);
    }
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      return detailReply(415, 'Content-Type must be application/json');
    }
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return detailReply(400, parsed.message);
    if (!isPlainObject(parsed.value)) {
      return detailReply(422, validationDetail([], 'Input should be an object', 'dict_type'));
    }
    const request = createRequest(endpoint, parsed.value);
    return jsonReply(
      200,
      { ...statusShape(request, false) },
      {
        'x-fal-request-id': request.request_id,
      },
    );
  }

  function requestRoute(req, url, key) {
    const target = requestPath(url.pathname);
    const request = queue.get(target.id);
    const headers = request ? { 'x-fal-request-id': request.request_id } : {};
    if (!request || request.endpoint_id !== target.endpoint) {
      if (key === 'cancel') return jsonReply(404, { status: 'NOT_FOUND' });
      return detailReply(404, 'Request not found');
    }
    if (key === 'status') {
      if (req.method !== 'GET') return detailReply(405, 'Method Not Allowed');
      const logs = url.searchParams.get('logs');
      if (logs !== null && !['0', '1', 'true', 'false'].includes(logs)) {
        return detailReply(
          422,
          validationDetail(['logs'], 'Input should be a valid boolean', 'bool_parsing'),
        );
      }
      advance(request);
      const body = statusShape(request, logs === '1' || logs === 'true');
      return jsonReply(request.status === 'COMPLETED' ? 200 : 202, body, headers);
    }
    if (key === 'cancel') {
      if (req.method !== 'PUT') return detailReply(405, 'Method Not Allowed');
      if (request.status === 'COMPLETED') {
        return jsonReply(400, { status: 'ALREADY_COMPLETED' }, headers);
      }
      request.cancelRequested = true;
      if (request.status === 'IN_QUEUE') {
        fail(request, {
          status: 499,
          error: 'Request was cancelled',
          errorType: 'request_cancelled',
        });
      }
      return jsonReply(202, { status: 'CANCELLATION_REQUESTED' }, headers);
    }
    // The result.
    if (req.method !== 'GET') return detailReply(405, 'Method Not Allowed');
    if (request.status !== 'COMPLETED') {
      return detailReply(400, 'Request is still in progress', headers);
    }
    const ttl = request.behaviour.resultTtlMs ?? options.resultTtlMs ?? RESULT_TTL_MS;
    if (now() - request.completedAt > ttl) return detailReply(404, 'Request not found');
    if (request.error) {
      return detailReply(request.errorStatus ?? 500, request.errorDetail ?? request.error, headers);
    }
    return jsonReply(200, request.output, headers);
  }

  function history(url) {
    const q = url.searchParams;
    const endpoints = q
      .getAll('endpoint_id')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    if (endpoints.length === 0 || endpoints.length > 50) {
      return detailReply(
        422,
        validationDetail(
          ['query', 'endpoint_id'],
          'Between 1 and 50 endpoint ids are required',
          'value_error',
        ),
      );
    }
    const limit = q.has('limit') ? Number(q.get('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return detailReply(
        422,
        validationDetail(['query', 'limit'], 'Input should be between 1 and 100', 'value_error'),
      );
    }
    const requestId = q.get('request_id');
    const day = 86_400_000;
    let start = now() - (requestId ? 90 : 1) * day;
    if (q.has('start')) {
      start = Date.parse(q.get('start'));
      if (Number.isNaN(start)) {
        return detailReply(
          422,
          validationDetail(['query', 'start'], 'Input should be an ISO 8601 date', 'value_error'),
        );
      }
      const limitDays = options.historyStartLimitDays;
      if (limitDays !== undefined && now() - start > limitDays * day) {
        return detailReply(400, `start must be within the last ${limitDays} days`);
      }
    }
    const end = q.has('end') ? Date.parse(q.get('end')) : Infinity;
    const status = q.get('status');
    if (status !== null && !['success', 'error', 'user_error'].includes(status)) {
      return detailReply(
        422,
        validationDetail(
          ['query', 'status'],
          "Input should be 'success', 'error' or 'user_error'",
          'enum',
        ),
      );
    }
    const payloads = q
      .getAll('expand')
      .flatMap((v) => v.split(','))
      .includes('payloads');
    const retention = 90 * day;
    const listed = [...queue.values()]
      .filter((r) => endpoints.includes(r.endpoint_id))
      .filter((r) => (requestId ? r.request_id === requestId : true))
      // fal's history is of requests that ended; a test may ask for pending ones too.
      .filter((r) => r.ended_at || options.historyShowsPending)
      .filter((r) => {
        const at = Date.parse(r.ended_at ?? r.sent_at);
        return at >= start && at < end && now() - at <= retention;
      })
      .filter((r) => {
        if (!status) return true;
        if (status === 'success') return r.status_code === 200;
        if (status === 'user_error') return r.status_code >= 400 && r.status_code < 500;
        return r.status_code >= 500;
      })
      .sort((a, b) => Date.parse(b.ended_at ?? b.sent_at) - Date.parse(a.ended_at ?? a.sent_at));
    const page = q.has('cursor') ? Number(Buffer.from(q.get('cursor'), 'base64').toString()) : 1;
    if (!Number.isInteger(page) || page < 1) {
      return detailReply(
        422,
        validationDetail(['query', 'cursor'], 'Invalid cursor', 'value_error'),
      );
    }
    const items = listed.slice((page - 1) * limit, page * limit);
    const more = page * limit < listed.length;
    return jsonReply(200, {
      items: items.map((r) => historyItem(r, payloads)),
      next_cursor: more ? Buffer.from(String(page + 1)).toString('base64') : null,
      has_more: more,
    });
  }

  // ----- storage and CDN ----------------------------------------------------------------------

  async function storageRoute(req, res, body, label) {
    noteLeak(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.pathname.endsWith('/complete') ? 'complete' : 'upload';
    let fault = kit.takeFault(key);
    if (fault && !kit.actsAfterWork(fault, key)) {
      if (await kit.runFault(fault, req, res, 'json', label)) return;
      fault = null;
    }
    if (closed) return;
    const reply = storageReply(req, url, body);
    if (fault && reply.status < 300) await kit.runFault(fault, req, res, 'json', label, reply);
    else kit.writeReply(res, reply);
  }

  function storageReply(req, url, body) {
    if (req.headers.authorization !== undefined) {
      return detailReply(400, 'The upload URL is signed: send no Authorization header to storage');
    }
    const found = uploadFor(url);
    if (found.refused) return found.refused;
    const { upload, suffix } = found;
    if (upload.done) return detailReply(409, 'This upload is complete already');
    if (req.method === 'PUT') {
      if (String(req.headers['transfer-encoding'] ?? '').includes('chunked')) {
        return detailReply(411, 'Chunked uploads are not accepted: send a Content-Length');
      }
      if (req.headers['content-length'] === undefined) {
        return detailReply(411, 'Content-Length is required');
      }
      if (upload.multipart !== (suffix !== undefined)) {
        return detailReply(
          400,
          upload.multipart
            ? 'This is a multipart upload: PUT its parts to <upload URL>/<part number>'
            : 'This upload takes one PUT of the whole file',
        );
      }
      if (!upload.multipart) {
        if (mediaType(req.headers['content-type']) !== upload.contentType) {
          return detailReply(
            400,
            `Content-Type ${describe(req.headers['content-type'])} does not match the ${upload.contentType} the upload was initiated with`,
          );
        }
        files.set(upload.path, {
          body,
          contentType: upload.contentType,
        });
        upload.done = true;
        return jsonReply(200, {});
      }
      const n = Number(suffix);
      if (!Number.isInteger(n) || n < 1 || n > 10000) {
        return detailReply(400, `Invalid part number ${describe(suffix)}`);
      }
      const etag = crypto.createHash('md5').update(body).digest('hex');
      upload.parts.set(n, { body, etag });
      return jsonReply(200, { partNumber: n, etag }, { etag: `"${etag}"` });
    }
    if (req.method === 'POST' && suffix === 'complete') {
      if (!upload.multipart) return detailReply(400, 'Not a multipart upload');
      const parsed = parseJsonBody(body);
      const parts = parsed.ok && isPlainObject(parsed.value) ? parsed.value.parts : undefined;
      if (!Array.isArray(parts) || parts.length === 0) {
        return detailReply(400, 'Body must be {"parts": [{"partNumber", "etag"}, ...]}');
      }
      const chunks = [];
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        const stored = upload.parts.get(part?.partNumber);
        if (part?.partNumber !== i + 1 || !stored) {
          return detailReply(400, `Part ${i + 1} is missing or out of order`);
        }
        if (String(part.etag).replace(/"/g, '') !== stored.etag) {
          return detailReply(400, `The ETag of part ${i + 1} does not match the part stored`);
        }
        if (i < parts.length - 1 && stored.body.length < MIN_PART_BYTES) {
          return detailReply(400, `Part ${i + 1} is smaller than 5 MiB and not the last`);
        }
        chunks.push(stored.body);
      }
      files.set(upload.path, {
        body: Buffer.concat(chunks),
        contentType: upload.contentType,
      });
      upload.done = true;
      return jsonReply(200, {
        file_url: `${cdnUrl}${upload.path}`,
      });
    }
    return detailReply(405, 'Method Not Allowed');
  }

  async function cdnRoute(req, res, _body, label) {
    noteLeak(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      kit.writeReply(res, detailReply(405, 'Method Not Allowed'));
      return;
    }
    const fault = kit.takeFault('file');
    if (
      fault &&
      fault.resetAfterBytes === undefined &&
      fault.stallAfterBytes === undefined &&
      !fault.ignoreRange
    ) {
      if (await kit.runFault(fault, req, res, 'json', label)) return;
    }
    if (closed) return;
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const file = files.get(pathname);
    if (!file) {
      kit.writeReply(res, {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('Not Found'),
      });
      return;
    }
    const served = file.model
      ? modelFile(file.model, file.size)
      : {
          size: file.body.length,
          *chunks(start = 0, end = file.body.length) {
            yield file.body.subarray(start, end);
          },
        };
    await kit.serveFile(req, res, label, served, {
      headers: {
        'content-type': file.model ? 'application/octet-stream' : file.contentType,
        etag: `"${crypto.createHash('md5').update(`${pathname}:${served.size}`).digest('hex')}"`,
      },
      fault,
      unsatisfiable: () => detailReply(416, 'Requested range not satisfiable'),
    });
  }

  // ----- servers ------------------------------------------------------------------------------

  const serve = (handler) =>
    options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : http.createServer(handler);
  const servers = [
    serve(kit.handler('api', API_BODY_CAP, 'json', apiRoute)),
    serve(kit.handler('storage', STORAGE_BODY_CAP, 'json', storageRoute)),
    serve(kit.handler('cdn', API_BODY_CAP, 'json', cdnRoute)),
  ];

  const ports = await listenAll(servers, host, options.port ?? 0);
  const apiUrl = `${scheme}://${hostForUrl}:${ports[0]}`;
  storageUrl = `${scheme}://${hostForUrl}:${ports[1]}`;
  cdnUrl = `${scheme}://${hostForUrl}:${ports[2]}`;

  return {
    url: apiUrl,
    storageUrl,
    cdnUrl,
    requests,
    queue,
    files,
    get keyLeaked() {
      return keyLeaked;
    },

    /** Submits (or seeds) a request directly, as if sent earlier; returns it. */
    addRequest(endpoint, input, extra = {}) {
      if (!(endpoint in TRAINERS)) throw new Error(`unknown trainer ${endpoint}`);
      return createRequest(endpoint, input, extra);
    },

    /** A file on the CDN (a public dataset ZIP, say); returns its URL. */
    addFile(path, body, contentType = 'application/zip') {
      const pathname = path.startsWith('/') ? path : `/${path}`;
      files.set(pathname, { body: Buffer.from(body), contentType });
      return `${cdnUrl}${pathname}`;
    },

    injectFault(endpoint, fault) {
      kit.injectFault(endpoint, fault);
    },

    setBehaviour(b) {
      behaviour = { ...(b ?? {}) };
    },

    /** Runs every request that has not ended to its end, as time passing would. */
    finishAll() {
      for (const request of queue.values()) {
        for (let i = 0; request.status !== 'COMPLETED' && i < 4 * pollsPerStatus + 4; i++) {
          advance(request);
        }
      }
    },

    /** Moves the simulator's clock: results expire, history windows move. */
    advanceClock(ms) {
      const base = now;
      now = () => base() + ms;
    },

    async close() {
      if (closed) return;
      closed = true;
      kit.clearTimers();
      await closeAll(servers);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  return parseFlags(argv, 'fal-sim');
}

runAsProgram(import.meta.url, {
  parse: parseArgs,
  start: startFalSimulator,
  urls: (sim) => ({ url: sim.url, storageUrl: sim.storageUrl, cdnUrl: sim.cdnUrl }),
  usage:
    'fal-simulator.js [--port N] [--api-key K] [--polls-per-status N] [--model-bytes N] [--verbose]',
});
