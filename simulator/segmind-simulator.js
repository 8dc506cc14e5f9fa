#!/usr/bin/env node
/**
 * A stand-in for Segmind's Flux Pro fine-tune API, its pre-signed upload storage and a public ZIP
 * host, as three real HTTP servers on loopback.
 *
 * Why it exists: the action can only be trusted if it is tested against something that refuses
 * what the real service refuses. Every check here mirrors a documented rule (or a rule of the S3
 * storage behind the pre-signed URLs) so that a client which passes against the simulator has a
 * good chance of passing against Segmind. Where the real service would accept a request and fail
 * the job later (a broken ZIP), the simulator refuses early so that tests see the mistake at once.
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
  isoNow,
  isPlainObject,
  jsonReply,
  mediaType,
  messageReply,
  modelFile,
  parseJsonBody,
  parseMultipart,
  parseRange,
  randomAlnum,
  runAsProgram,
  xmlReply,
  closeAll,
  listenAll,
  parseFlags,
} from './kit.js';

// The simulators' shared readers, where the tests and the bench have always found them.
export { inspectZip, modelFile, parseMultipart, parseRange };

/** The documented order of a job's life; INFERENCE_QUEUED is also called DEPLOYING elsewhere. */
export const STATUS_ORDER = Object.freeze([
  'REQUESTED',
  'DATA_PROCESSING',
  'TRAINING_INITIATED',
  'TRAINING_COMPLETED',
  'INFERENCE_QUEUED',
  'AVAILABLE',
]);

/** From TRAINING_COMPLETED on the trained weights exist, so the record carries their URL. */
const MODEL_READY = new Set(['TRAINING_COMPLETED', 'INFERENCE_QUEUED', 'AVAILABLE']);

const THEMES = ['CHARACTER', 'PRODUCT', 'STYLE', 'GENERAL'];
const PRIORITIES = ['SPEED', 'QUALITY', 'HIGH_RES_ONLY'];
const FINETUNE_TYPES = ['FULL', 'LORA'];
const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp)$/i;

/** Segmind's rule: the ZIP must be under 100 MB, and 1 MB is 1,000,000 bytes here. */
export const ZIP_SIZE_LIMIT = 100_000_000;

/**
 * Bodies are read in full so that every request can be recorded, but never buffered beyond these
 * caps: a runaway client must not exhaust the test process's memory.
 */
const API_BODY_CAP = 1_048_576;
const STORAGE_BODY_CAP = 110_000_000;

/** Pre-signed URLs are issued for an hour, as Segmind's are. */
const PRESIGN_TTL_SECONDS = 3600;

const ENDPOINT_KEYS = Object.freeze([
  'submit',
  'details',
  'list',
  'presign',
  'access',
  'download',
  'upload',
  'head',
  'model',
]);

/** Method and exact path of each documented endpoint; the real gateway does not forgive typos. */
const API_ROUTES = new Map([
  ['POST /finetune/request/submit', 'submit'],
  ['GET /finetune/request/details', 'details'],
  ['GET /finetune/request/list', 'list'],
  ['GET /finetune/request/upload/pre-signed-url', 'presign'],
  ['PUT /finetune/request/access-update', 'access'],
  ['GET /finetune/request/file/download', 'download'],
]);

// ---------------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------------

/** Submit fields in documented order; each check returns true or is described by `expected`. */
const SUBMIT_FIELDS = [
  ['name', (v) => typeof v === 'string' && v.trim() !== '', 'a non-empty string'],
  ['data_source_path', (v) => typeof v === 'string' && v !== '', 'a non-empty URL string'],
  ['instance_prompt', (v) => typeof v === 'string', 'a string'],
  ['trigger_word', (v) => typeof v === 'string', 'a string'],
  ['base_model', (v) => v === 'FLUX_PRO', '"FLUX_PRO"'],
  ['theme', (v) => THEMES.includes(v), `one of ${THEMES.join(', ')}`],
  ['segmind_public', (v) => typeof v === 'boolean', 'a JSON boolean'],
  ['advance_parameters', isPlainObject, 'an object'],
];

const ADVANCE_FIELDS = [
  ['iterations', (v) => Number.isInteger(v) && v >= 100, 'a JSON integer of at least 100'],
  ['captioning', (v) => typeof v === 'boolean', 'a JSON boolean'],
  ['priority', (v) => PRIORITIES.includes(v), `one of ${PRIORITIES.join(', ')}`],
  ['finetune_type', (v) => FINETUNE_TYPES.includes(v), `one of ${FINETUNE_TYPES.join(', ')}`],
  ['lora_rank', (v) => v === 16 || v === 32, 'the JSON number 16 or 32'],
  [
    'learning_rate',
    (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
    'a JSON number greater than 0',
  ],
];

/** Checks exact field sets: an unexpected field is as much a client bug as a missing one. */
function checkFields(value, spec, prefix) {
  const known = new Set(spec.map(([name]) => name));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) return `Unknown field '${prefix}${key}'`;
  }
  for (const [name, ok, expected] of spec) {
    if (!(name in value)) return `Field '${prefix}${name}' is required`;
    if (!ok(value[name])) {
      return `Invalid '${prefix}${name}': expected ${expected}, got ${describe(value[name])}`;
    }
  }
  return null;
}

/**
 * @param {import('./segmind-simulator').SimulatorOptions} [options]
 * @returns {Promise<import('./segmind-simulator').Simulator>}
 */
export async function startSimulator(options = {}) {
  const apiKey = options.apiKey ?? 'sim-key';
  const host = options.host ?? '127.0.0.1';
  const pollsPerStatus = Math.max(1, Math.floor(options.pollsPerStatus ?? 1));
  const defaultModelBytes = options.modelBytes ?? DEFAULT_MODEL_BYTES;
  const log = options.log ?? (() => {});
  const userId = crypto.randomBytes(12).toString('hex');

  /** @type {import('./segmind-simulator').RecordedRequest[]} */
  const requests = [];
  const jobs = new Map();
  const uploads = new Map();
  /** Per-job walk state kept off the record, so tests see only what Segmind would show. */
  const walks = new Map();
  /** signature -> what it was issued for; S3 would recompute, we remember. */
  const grants = new Map();
  /** s3_url values handed out, to tell "never uploaded" apart from "made up". */
  const issuedS3Urls = new Set();
  const publicFiles = new Map();
  let behaviour = {};
  let apiKeyLeakedToStorage = false;
  let apiKeyLeakedToPublic = false;
  let closed = false;

  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  let storageUrl = '';
  const { takeFault, runFault, actsAfterWork, writeReply, handler, clearTimers, ...kit } =
    createKit({ log, requests, endpointKeys: ENDPOINT_KEYS, isClosed: () => closed });

  // ----- jobs ---------------------------------------------------------------------------------

  function walkFor(b) {
    let statuses = [
      'REQUESTED',
      'DATA_PROCESSING',
      ...(b.unknownStatuses ?? []),
      'TRAINING_INITIATED',
      'TRAINING_COMPLETED',
      'INFERENCE_QUEUED',
      'AVAILABLE',
    ];
    if (b.neverFinish) statuses = statuses.slice(0, statuses.indexOf('TRAINING_INITIATED') + 1);
    const errorAt = b.errorAtStatus ?? 'TRAINING_INITIATED';
    const late =
      b.modelUrlAfterPolls === undefined ? {} : { modelUrlAfterPolls: b.modelUrlAfterPolls };
    if (b.failStatus) {
      const at = statuses.indexOf(errorAt);
      const cut = at < 0 ? statuses.length : Math.max(at, 1);
      return {
        statuses: [...statuses.slice(0, cut), b.failStatus],
        errorOn: b.failStatus,
        errorMessage: b.errorMessage ?? `Fine-tune failed during ${errorAt}`,
        ...late,
      };
    }
    if (b.errorMessage) {
      return { statuses, errorOn: errorAt, errorMessage: b.errorMessage, ...late };
    }
    return { statuses, errorOn: null, errorMessage: null, ...late };
  }

  /** Applies what the job's (new) status implies: model URL, slug, and a scheduled error. */
  function settle(job) {
    const walk = walks.get(job.finetune_id);
    if (walk && walk.errorOn === job.status && job.error_message == null) {
      job.error_message = walk.errorMessage;
    }
    const urlLate =
      walk?.modelUrlAfterPolls !== undefined && job.detailsCalls < walk.modelUrlAfterPolls;
    if (MODEL_READY.has(job.status) && !urlLate) {
      job.cloud_storage_url ??= `${storageUrl}/models/${userId}/${job.finetune_id}/model.safetensors`;
      job.slug ??= `${job.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${job.finetune_id.slice(0, 8)}`;
    }
  }

  /**
   * One details call is one poll. A job with an error, or in a status outside its walk (a test
   * may set one by hand), stays put: the real service does not recover failed jobs.
   */
  function poll(job) {
    const walk = walks.get(job.finetune_id);
    job.detailsCalls += 1;
    if (!walk || job.error_message != null) return;
    if (walk.status !== job.status) {
      walk.status = job.status;
      walk.polls = 0;
    }
    const index = walk.statuses.indexOf(job.status);
    if (index < 0 || index === walk.statuses.length - 1) return;
    walk.polls += 1;
    if (walk.polls >= pollsPerStatus) {
      job.status = walk.statuses[index + 1];
      job.updated_ts = isoNow();
      walk.status = job.status;
      walk.polls = 0;
      settle(job);
    }
  }

  function createJob(fields, walk, submitted) {
    const now = isoNow();
    const finetuneId = fields.finetune_id ?? crypto.randomUUID();
    const advance = fields.advance_parameters ?? {
      iterations: 300,
      captioning: true,
      priority: 'QUALITY',
      finetune_type: 'FULL',
      lora_rank: 32,
      learning_rate: 0.00001,
    };
    const job = {
      // `id` is deliberately not the finetune_id: details takes the finetune_id, and a client
      // that confuses the two must fail here rather than in production.
      id: fields.id ?? crypto.randomUUID(),
      finetune_id: finetuneId,
      name: fields.name,
      data_source_path: fields.data_source_path ?? `https://example.invalid/${finetuneId}.zip`,
      instance_prompt: fields.instance_prompt ?? 'photo of TOK',
      trigger_word: fields.trigger_word ?? 'TOK',
      base_model: fields.base_model ?? 'FLUX_PRO',
      theme: fields.theme ?? 'GENERAL',
      segmind_public: fields.segmind_public ?? false,
      advance_parameters: advance,
      source_type:
        fields.source_type ?? (issuedS3Urls.has(fields.data_source_path) ? 'AWS_S3' : 'PUBLIC_URL'),
      status: fields.status ?? 'REQUESTED',
      error_message: fields.error_message ?? null,
      cloud_storage_url: fields.cloud_storage_url ?? null,
      slug: fields.slug ?? null,
      created_ts: fields.created_ts ?? now,
      updated_ts: fields.updated_ts ?? now,
      submitted: submitted ?? null,
      detailsCalls: 0,
      statuses: walk.statuses,
      modelBytes: fields.modelBytes ?? defaultModelBytes,
    };
    jobs.set(finetuneId, job);
    walks.set(finetuneId, { ...walk, status: job.status, polls: 0 });
    settle(job);
    return job;
  }

  function detailsShape(job) {
    return {
      id: job.id,
      finetune_id: job.finetune_id,
      name: job.name,
      data_source_path: job.data_source_path,
      instance_prompt: job.instance_prompt,
      status: job.status,
      source_type: job.source_type,
      base_model: job.base_model,
      slug: job.slug,
      public_model: job.segmind_public,
      error_message: job.error_message,
      cloud_storage_url: job.cloud_storage_url,
      created_ts: job.created_ts,
      updated_ts: job.updated_ts,
    };
  }

  function listShape(job) {
    return {
      id: job.id,
      data_source_path: job.data_source_path,
      name: job.name,
      status: job.status,
      error_message: job.error_message,
      segmind_model_path: job.status === 'AVAILABLE' ? job.slug : null,
      // The documented list shows training settings mixed with prompt and theme; mirror that.
      advance_parameters: {
        ...job.advance_parameters,
        steps: job.advance_parameters.iterations,
        prompt: job.instance_prompt,
        theme: job.theme,
      },
      segmind_public_model: job.segmind_public,
      train_type: job.advance_parameters.finetune_type ?? 'FULL',
      source_type: job.source_type,
      base_model: job.base_model,
      theme: job.theme,
      cloud_storage_url: job.cloud_storage_url,
      finetune_id: job.finetune_id,
      model_information: {},
    };
  }

  // ----- pre-signed URLs ----------------------------------------------------------------------

  function presign(method, pathname) {
    const now = new Date();
    const amzDate = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
    const signature = crypto.randomBytes(32).toString('hex');
    const params = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `AKIA${randomAlnum(16)}/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(PRESIGN_TTL_SECONDS),
      'X-Amz-SignedHeaders': method === 'PUT' ? 'content-type;host' : 'host',
      'X-Amz-Signature': signature,
    });
    grants.set(signature, {
      method,
      pathname,
      params: Object.fromEntries(params),
      expiresAt: now.getTime() + PRESIGN_TTL_SECONDS * 1000,
      expired: false,
    });
    return `${storageUrl}${pathname}?${params}`;
  }

  /** Mirrors S3's query-string authentication: the URL must be exactly one that was issued. */
  function checkGrant(req, url) {
    const signature = url.searchParams.get('X-Amz-Signature');
    if (!signature) {
      return xmlReply(403, 'AccessDenied', 'Access Denied (no X-Amz-Signature in the query)');
    }
    const grant = grants.get(signature);
    const mismatch = xmlReply(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    if (!grant || grant.method !== req.method || grant.pathname !== url.pathname) return mismatch;
    for (const [key, value] of Object.entries(grant.params)) {
      if (url.searchParams.get(key) !== value) return mismatch;
    }
    if (req.headers.host !== new URL(storageUrl).host) return mismatch;
    if (grant.expired || Date.now() > grant.expiresAt) {
      return xmlReply(403, 'AccessDenied', 'Request has expired', {
        Expires: new Date(grant.expiresAt).toISOString(),
        ServerTime: new Date().toISOString(),
      });
    }
    return null;
  }

  // ----- API handlers -------------------------------------------------------------------------

  function dataSourceProblem(path) {
    if (uploads.has(path)) return null;
    if (issuedS3Urls.has(path)) {
      return `data_source_path ${path} not found: nothing has been uploaded to it`;
    }
    const file = publicFiles.get(path);
    if (!file) return `data_source_path ${describe(path)} not found or not accessible`;
    if (file.headStatus !== 200) {
      return `data_source_path ${path} is not accessible: HEAD answered ${file.headStatus}`;
    }
    if (file.omitContentLength) {
      return `data_source_path ${path} is not accessible: HEAD gave no Content-Length`;
    }
    if (file.body.length >= ZIP_SIZE_LIMIT) {
      return `data_source_path ${path} is too large: ${file.body.length} bytes (limit ${ZIP_SIZE_LIMIT})`;
    }
    return null;
  }

  function handleSubmit(req, body) {
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      return messageReply(415, 'Content-Type must be application/json');
    }
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return messageReply(400, parsed.message);
    const value = parsed.value;
    if (!isPlainObject(value)) return messageReply(400, 'Request body must be a JSON object');
    const problem =
      checkFields(value, SUBMIT_FIELDS, '') ??
      checkFields(value.advance_parameters, ADVANCE_FIELDS, 'advance_parameters.') ??
      dataSourceProblem(value.data_source_path);
    if (problem) return messageReply(400, problem);
    const job = createJob(
      {
        name: value.name,
        data_source_path: value.data_source_path,
        instance_prompt: value.instance_prompt,
        trigger_word: value.trigger_word,
        base_model: value.base_model,
        theme: value.theme,
        segmind_public: value.segmind_public,
        advance_parameters: { ...value.advance_parameters },
      },
      walkFor(behaviour),
      structuredClone(value),
    );
    // Some Segmind pages document `request_id` here instead; tests can ask for that variant.
    const idField = options.submitIdField === 'request_id' ? 'request_id' : 'finetune_id';
    return jsonReply(200, { status: 'REQUESTED', [idField]: job.finetune_id, name: job.name });
  }

  /** The GETs that carry a JSON body take it as the docs send it, with its Content-Type. */
  function jsonGetRefused(req, body) {
    return body.length === 0 || mediaType(req.headers['content-type']) === 'application/json'
      ? null
      : messageReply(415, 'Content-Type must be application/json (this GET carries a JSON body)');
  }

  function handleDetails(req, body) {
    const refused = jsonGetRefused(req, body);
    if (refused) return refused;
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return messageReply(400, `${parsed.message}; send {"request_id": "<id>"}`);
    if (!isPlainObject(parsed.value))
      return messageReply(400, 'Request body must be a JSON object');
    const id = parsed.value.request_id;
    if (typeof id !== 'string' || id === '') {
      return messageReply(400, "Field 'request_id' is required (a non-empty string)");
    }
    const job = jobs.get(id);
    if (!job) return messageReply(404, 'Finetune request not found');
    poll(job);
    // A model URL that comes some polls after the status (modelUrlAfterPolls) appears here.
    settle(job);
    return jsonReply(200, { finetune: detailsShape(job) });
  }

  function handleList() {
    // Newest first, like most consoles; clients must not rely on the order anyway.
    return jsonReply(200, [...jobs.values()].reverse().map(listShape));
  }

  function handlePresign(req, body) {
    const refused = jsonGetRefused(req, body);
    if (refused) return refused;
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return messageReply(400, `${parsed.message}; send {"name": "<file>.zip"}`);
    if (!isPlainObject(parsed.value))
      return messageReply(400, 'Request body must be a JSON object');
    const name = parsed.value.name;
    if (typeof name !== 'string' || !/^[^/\\]+\.zip$/i.test(name)) {
      return messageReply(
        400,
        `Invalid 'name': expected a file name ending in .zip, got ${describe(name)}`,
      );
    }
    const pathname = `/uploads/${userId}/${crypto.randomUUID()}-${encodeURIComponent(name)}`;
    const s3Url = `${storageUrl}${pathname}`;
    issuedS3Urls.add(s3Url);
    return jsonReply(200, { presigned_url: presign('PUT', pathname), s3_url: s3Url });
  }

  function handleAccess(req, body) {
    if (mediaType(req.headers['content-type']) !== 'multipart/form-data') {
      return messageReply(415, 'Content-Type must be multipart/form-data');
    }
    let fields;
    try {
      fields = parseMultipart(body, req.headers['content-type']);
    } catch (err) {
      return messageReply(400, `Malformed multipart body: ${err.message}`);
    }
    for (const key of fields.keys()) {
      if (key !== 'request_id' && key !== 'segmind_public') {
        return messageReply(400, `Unknown form field '${key}'`);
      }
    }
    const id = fields.get('request_id');
    if (!id) return messageReply(400, "Form field 'request_id' is required");
    const flag = fields.get('segmind_public');
    if (flag !== 'True' && flag !== 'False') {
      return messageReply(
        400,
        `Invalid 'segmind_public': expected "True" or "False", got ${describe(flag)}`,
      );
    }
    const job = jobs.get(id);
    if (!job) return messageReply(404, 'Finetune request not found');
    job.segmind_public = flag === 'True';
    job.updated_ts = isoNow();
    return jsonReply(200, 200);
  }

  function handleDownload(req, body) {
    const type = mediaType(req.headers['content-type']);
    let fields;
    try {
      if (type === 'application/x-www-form-urlencoded') {
        fields = new Map(new URLSearchParams(body.toString('utf8')));
      } else if (type === 'multipart/form-data') {
        fields = parseMultipart(body, req.headers['content-type']);
      } else {
        return messageReply(
          400,
          "Form field 'cloud_storage_url' is required (multipart or urlencoded form)",
        );
      }
    } catch (err) {
      return messageReply(400, `Malformed form body: ${err.message}`);
    }
    const target = fields.get('cloud_storage_url');
    if (!target) return messageReply(400, "Form field 'cloud_storage_url' is required");
    const job = [...jobs.values()].find((j) => j.cloud_storage_url === target);
    if (!job || !target.startsWith(storageUrl)) return messageReply(404, 'File not found');
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: Buffer.from(presign('GET', new URL(target).pathname)),
    };
  }

  const apiHandlers = {
    submit: handleSubmit,
    details: handleDetails,
    list: handleList,
    presign: handlePresign,
    access: handleAccess,
    download: handleDownload,
  };

  async function apiRoute(req, res, body, label) {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const key = API_ROUTES.get(`${req.method} ${pathname}`);
    // Faults model the gateway and network in front of Segmind, so they come before auth.
    const fault = key ? takeFault(key) : null;
    const lostAnswer = actsAfterWork(fault, key);
    if (fault && !lostAnswer && (await runFault(fault, req, res, 'json', label))) return;
    if (closed) return;
    if (req.headers['x-api-key'] !== apiKey) {
      writeReply(res, messageReply(401, 'Unauthorized: invalid or missing API key'));
      return;
    }
    if (!key) {
      writeReply(res, messageReply(404, `Not Found: ${req.method} ${pathname}`));
      return;
    }
    const reply = apiHandlers[key](req, body);
    if (lostAnswer && reply.status === 200) {
      // The job exists now (or the answer was ready); the client just never hears it whole.
      await runFault(fault, req, res, 'json', label, reply);
      return;
    }
    writeReply(res, reply);
  }

  async function storageRoute(req, res, body, label) {
    const url = new URL(req.url ?? '/', storageUrl);
    if (req.headers['x-api-key'] !== undefined) apiKeyLeakedToStorage = true;
    let fault = null;
    if (req.method === 'PUT') {
      fault = takeFault('upload');
      if (fault && !actsAfterWork(fault, 'upload')) {
        if (await runFault(fault, req, res, 'xml', label)) return;
        fault = null;
      }
      if (closed) return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/models/')) {
      await serveModel(req, res, url, label);
      return;
    }
    const reply = storageReply(req, url, body);
    // A truncated answer to an upload that was stored: the bytes are there, the client cannot know.
    if (fault && reply.status === 200) await runFault(fault, req, res, 'xml', label, reply);
    else writeReply(res, reply);
  }

  /**
   * GET of a trained model through its pre-signed URL, as S3 serves an object: streamed from the
   * generator (a 300 MB file costs no memory), `Range` honoured (206 with Content-Range, 416 when
   * nothing of the file is in it), Accept-Ranges and an ETag. Faults (key 'model'), after the
   * URL's checks as S3 would fail: `expire` (the URL expires now: 403 AccessDenied, and every
   * later use too), `resetAfterBytes` (the connection drops after that many bytes of the body),
   * `stallAfterBytes` (nothing more after that many bytes, until the client gives up),
   * `ignoreRange` (a full 200 answer to a Range request), and the common status, reset and delay.
   */
  async function serveModel(req, res, url, label) {
    const refused = storageReply(req, url, null);
    if (refused) {
      writeReply(res, refused);
      return;
    }
    const signature = url.searchParams.get('X-Amz-Signature');
    const fault = takeFault('model');
    if (fault?.expire) {
      const grant = grants.get(signature);
      if (grant) grant.expired = true;
      writeReply(res, storageReply(req, url, null));
      return;
    }
    if (fault && fault.status === 403 && fault.body === undefined) {
      writeReply(res, xmlReply(403, 'AccessDenied', 'Access Denied'));
      return;
    }
    if (
      fault &&
      fault.resetAfterBytes === undefined &&
      fault.stallAfterBytes === undefined &&
      !fault.ignoreRange
    ) {
      if (await runFault(fault, req, res, 'xml', label)) return;
    }
    if (closed) return;
    const job = [...jobs.values()].find(
      (j) => j.cloud_storage_url && new URL(j.cloud_storage_url).pathname === url.pathname,
    );
    if (!job) {
      writeReply(res, xmlReply(404, 'NoSuchKey', 'The specified key does not exist.'));
      return;
    }
    const file = modelFile(job.finetune_id, job.modelBytes);
    await kit.serveFile(req, res, label, file, {
      headers: {
        'content-type': 'application/octet-stream',
        etag: `"${crypto.createHash('md5').update(`${job.finetune_id}:${file.size}`).digest('hex')}"`,
        'last-modified': new Date(job.updated_ts).toUTCString(),
      },
      fault,
      unsatisfiable: (size) =>
        xmlReply(416, 'InvalidRange', 'The requested range is not satisfiable', {
          RangeRequested: req.headers.range,
          ActualObjectSize: size,
        }),
    });
  }

  /**
   * S3 refuses an oversized upload from its Content-Length, before the body: answering early
   * spares the client (and the tests) the transfer of 100 MB that would be thrown away. The body
   * is still drained, not cut off, so that the client reads this answer instead of a reset.
   */
  function storageEarly(req) {
    if (req.method !== 'PUT' || kit.faultsPending('upload')) return null;
    if (!(Number(req.headers['content-length']) >= ZIP_SIZE_LIMIT)) return null;
    if (req.headers['x-api-key'] !== undefined) apiKeyLeakedToStorage = true;
    return storageReply(req, new URL(req.url ?? '/', storageUrl), null);
  }

  /** With `body` null only the header checks run, which is all S3 does before reading. */
  function storageReply(req, url, body) {
    if (req.headers['x-api-key'] !== undefined) {
      return xmlReply(
        400,
        'InvalidArgument',
        'Unexpected x-api-key header: the Segmind API key must never be sent to storage',
      );
    }
    if (req.headers.authorization !== undefined) {
      return xmlReply(400, 'InvalidArgument', 'Only one auth mechanism allowed');
    }
    if (req.method === 'GET' && url.pathname.startsWith('/models/')) {
      return checkGrant(req, url);
    }
    if (req.method !== 'PUT') {
      return xmlReply(405, 'MethodNotAllowed', 'The specified method is not allowed');
    }
    const transferEncoding = String(req.headers['transfer-encoding'] ?? '').toLowerCase();
    if (transferEncoding.includes('chunked')) {
      return xmlReply(
        501,
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
        { Header: 'Transfer-Encoding' },
      );
    }
    if (req.headers['content-length'] === undefined) {
      return xmlReply(
        411,
        'MissingContentLength',
        'You must provide the Content-Length HTTP header.',
      );
    }
    const denied = checkGrant(req, url);
    if (denied) return denied;
    if (req.headers['content-type'] !== 'application/zip') {
      // content-type is a signed header: any other value breaks the signature.
      return xmlReply(
        403,
        'SignatureDoesNotMatch',
        `The request signature we calculated does not match the signature you provided (Content-Type ${describe(req.headers['content-type'])} was not signed; application/zip was).`,
      );
    }
    const size = body ? body.length : Number(req.headers['content-length']);
    if (size >= ZIP_SIZE_LIMIT) {
      return xmlReply(
        400,
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size',
        {
          ProposedSize: size,
          MaxSizeAllowed: ZIP_SIZE_LIMIT - 1,
        },
      );
    }
    if (!body) return null;
    let entries;
    try {
      entries = inspectZip(body);
    } catch (err) {
      return xmlReply(400, 'InvalidZip', `Invalid dataset ZIP: ${err.message}`);
    }
    if (!entries.some((e) => IMAGE_EXTENSIONS.test(e.name))) {
      return xmlReply(
        400,
        'InvalidZip',
        'Invalid dataset ZIP: no .jpg, .jpeg, .png or .webp entry at its root',
      );
    }
    uploads.set(`${storageUrl}${url.pathname}`, body);
    const etag = `"${crypto.createHash('md5').update(body).digest('hex')}"`;
    return { status: 200, headers: { etag, 'x-amz-request-id': randomAlnum(16) } };
  }

  async function publicRoute(req, res, _body, label) {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers['x-api-key'] !== undefined) apiKeyLeakedToPublic = true;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      writeReply(res, { status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.from('') });
      return;
    }
    if (req.method === 'HEAD') {
      const fault = takeFault('head');
      if (fault && (await runFault(fault, req, res, 'json', label))) return;
      if (closed) return;
    }
    const file = [...publicFiles.values()].find((f) => f.pathname === url.pathname);
    if (!file) {
      writeReply(res, {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('Not Found'),
      });
      return;
    }
    const headers = { 'content-type': 'application/zip', 'accept-ranges': 'bytes' };
    if (req.method === 'HEAD') {
      if (file.headStatus !== 200) {
        writeReply(res, { status: file.headStatus, headers: {}, chunked: true });
        return;
      }
      if (!file.omitContentLength) headers['content-length'] = String(file.body.length);
      writeReply(res, { status: 200, headers, chunked: true });
      return;
    }
    writeReply(res, { status: 200, headers, body: file.body, chunked: file.omitContentLength });
  }

  // ----- servers ------------------------------------------------------------------------------

  // `apiTls` serves the API over https too, for a client that refuses plain http to a host that
  // is not loopback (a test that reaches the API under a made-up name, through a proxy).
  const apiHandler = handler('api', API_BODY_CAP, 'json', apiRoute);
  const apiServer =
    options.tls && options.apiTls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, apiHandler)
      : http.createServer(apiHandler);
  const storageServer = http.createServer(
    handler('storage', STORAGE_BODY_CAP, 'xml', storageRoute, storageEarly),
  );
  const publicHandler = handler('public', API_BODY_CAP, 'json', publicRoute);
  const publicServer = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, publicHandler)
    : http.createServer(publicHandler);
  const servers = [apiServer, storageServer, publicServer];

  const ports = await listenAll(servers, host, options.port ?? 0);
  const url = `${options.tls && options.apiTls ? 'https' : 'http'}://${hostForUrl}:${ports[0]}`;
  storageUrl = `http://${hostForUrl}:${ports[1]}`;
  const publicUrl = `${options.tls ? 'https' : 'http'}://${hostForUrl}:${ports[2]}`;

  return {
    url,
    storageUrl,
    publicUrl,
    requests,
    jobs,
    uploads,
    get apiKeyLeakedToStorage() {
      return apiKeyLeakedToStorage;
    },
    get apiKeyLeakedToPublic() {
      return apiKeyLeakedToPublic;
    },

    addJob(partial) {
      if (!partial || typeof partial.name !== 'string') throw new Error('addJob needs a name');
      // Seeded jobs default to AVAILABLE: they stand for models trained in an earlier run.
      return createJob(
        { status: 'AVAILABLE', ...partial },
        walkFor({ modelUrlAfterPolls: partial.modelUrlAfterPolls }),
        partial.submitted ?? null,
      );
    },

    addPublicFile(path, body, opts = {}) {
      const file = {
        pathname: new URL(path.startsWith('/') ? path : `/${path}`, publicUrl).pathname,
        body: Buffer.from(body),
        omitContentLength: opts.omitContentLength ?? false,
        headStatus: opts.headStatus ?? 200,
      };
      const fileUrl = `${publicUrl}${file.pathname}`;
      publicFiles.set(fileUrl, file);
      return fileUrl;
    },

    injectFault(endpoint, fault) {
      kit.injectFault(endpoint, fault);
    },

    setJobBehaviour(b) {
      behaviour = { ...(b ?? {}) };
    },

    expirePresignedUrls() {
      for (const grant of grants.values()) grant.expired = true;
    },

    async close() {
      if (closed) return;
      closed = true;
      clearTimers();
      await closeAll(servers);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  return parseFlags(argv, 'segmind-sim', { '--submit-id-field': 'submitIdField' });
}

runAsProgram(import.meta.url, {
  parse: parseArgs,
  start: startSimulator,
  urls: (sim) => ({ url: sim.url, storageUrl: sim.storageUrl, publicUrl: sim.publicUrl }),
  usage:
    'segmind-simulator.js [--port N] [--api-key K] [--host H] [--polls-per-status N] [--submit-id-field request_id] [--model-bytes N] [--verbose]',
});
