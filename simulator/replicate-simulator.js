#!/usr/bin/env node
/**
 * A stand-in for Replicate's HTTP API as far as FLUX LoRA training goes (the account, models,
 * the Files API, trainings of ostris/flux-dev-lora-trainer and their weights), and a public host
 * for `dataset-url` ZIPs, as real HTTP servers on loopback.
 *
 * It is built from Replicate's HTTP contract (docs/replicate.md sums it up, with sources):
 * every check mirrors a documented rule or an observed answer, so that a client which passes
 * here has a good chance of passing against Replicate. Where Replicate would accept a request and
 * fail the training later (a ZIP that is not one, an upload that expired), so does this.
 *
 * - Auth: `Authorization: Bearer <token>` (or `Token <token>`, as older docs write it) on every
 *   API request and on the weights; anything else is a 401 problem+json.
 * - Errors are `application/problem+json` (`title`, `detail`, `status`; a 422 lists
 *   `invalid_fields`), the 429s carry Retry-After, every answer `ratelimit-*` headers.
 * - Lists page by 100 (`pageSize`), newest first, with an absolute `next` URL (`?cursor=`).
 * - A created training's answer points its `urls` at `/v1/predictions/`, as Replicate's does;
 *   a training has no `destination` field, only `output.version` once it has succeeded.
 * - Files expire 24 hours after upload, on a clock the tests can move (`advanceClock`).
 * - The weights are a real tar, made here (ustar headers), holding
 *   `output/flux_train_replicate/lora.safetensors`, served with Range and only to the token.
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
  parseMultipartParts,
  runAsProgram,
  closeAll,
  listenAll,
  parseFlags,
} from './kit.js';

export const TRAINER = 'ostris/flux-dev-lora-trainer';
/** The trainer's latest version unless a test says otherwise (one seen in the wild). */
export const TRAINER_VERSION = 'c6e78d2501e8088876e99ef21e4460d0dc121af7a4b786b9a4c2d75c620e300d';
/** Where the trainer puts the LoRA inside the weights tar. */
export const LORA_MEMBER = 'output/flux_train_replicate/lora.safetensors';
/** Uploaded files live this long. */
export const FILE_LIFETIME_MS = 24 * 3_600_000;
/** The Files API's limit (the docs say uploads work up to 100 MB; the answer past it is inferred). */
export const FILE_SIZE_LIMIT = 100 * 1024 * 1024;

const ENDPOINT_KEYS = Object.freeze([
  'account',
  'model',
  'createModel',
  'upload',
  'files',
  'submit',
  'training',
  'list',
  'cancel',
  'weights',
  'head',
]);

const HARDWARE = ['cpu', 'gpu-t4', 'gpu-l40s', 'gpu-l40s-2x', 'gpu-a100-large', 'gpu-h100'];
const OPTIMIZERS = [
  'prodigy',
  'adam8bit',
  'adamw8bit',
  'lion8bit',
  'adam',
  'adamw',
  'lion',
  'adagrad',
  'adafactor',
];
const IMAGE_EXTENSIONS = /\.(png|jpe?g|bmp|gif|webp)$/i;
/** Replicate's ids: 26 lowercase letters and digits. */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** JSON bodies past this are refused, whatever the server's cap for uploads. */
const JSON_BODY_CAP = 1_048_576;

// ---------------------------------------------------------------------------------------------
// The trainer's input (its Cog `train()` signature)
// ---------------------------------------------------------------------------------------------

const isString = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v) => Number.isInteger(v);

/** name -> [check, what is expected, range]; range gives number_gte / number_lte answers. */
const TRAINER_INPUT = {
  input_images: [isString, 'a string (a URL)'],
  trigger_word: [isString, 'a string'],
  autocaption: [isBool, 'a boolean'],
  autocaption_prefix: [isString, 'a string'],
  autocaption_suffix: [isString, 'a string'],
  steps: [isInteger, 'an integer', [3, 6000]],
  learning_rate: [isNumber, 'a number'],
  batch_size: [isInteger, 'an integer', [1, undefined]],
  resolution: [(v) => isString(v) && /^\d+(,\d+)*$/.test(v), 'comma-separated integers'],
  lora_rank: [isInteger, 'an integer', [1, 128]],
  caption_dropout_rate: [isNumber, 'a number', [0, 1]],
  optimizer: [(v) => OPTIMIZERS.includes(v), `one of ${OPTIMIZERS.join(', ')}`],
  cache_latents_to_disk: [isBool, 'a boolean'],
  layers_to_optimize_regex: [isString, 'a string'],
  gradient_checkpointing: [isBool, 'a boolean'],
  hf_repo_id: [isString, 'a string'],
  hf_token: [isString, 'a string'],
  wandb_api_key: [isString, 'a string'],
  wandb_project: [isString, 'a string'],
  wandb_run: [isString, 'a string'],
  wandb_entity: [isString, 'a string'],
  wandb_sample_prompts: [isString, 'a string'],
  wandb_sample_interval: [isInteger, 'an integer', [1, undefined]],
  wandb_save_interval: [isInteger, 'an integer', [1, undefined]],
  skip_training_and_use_pretrained_hf_lora_url: [isString, 'a string'],
};

/** The fields of a model Replicate lets a client set. */
const MODEL_FIELDS = {
  owner: [isString, 'a string'],
  name: [isString, 'a string'],
  visibility: [(v) => v === 'public' || v === 'private', 'one of public, private'],
  hardware: [(v) => HARDWARE.includes(v), `one of ${HARDWARE.join(', ')}`],
  description: [isString, 'a string'],
  github_url: [isString, 'a string'],
  paper_url: [isString, 'a string'],
  license_url: [isString, 'a string'],
  cover_image_url: [isString, 'a string'],
};

/** Checks `value` against `spec` as a JSON schema would: [{type, field, description}]. */
function schemaProblems(value, spec, prefix, required = []) {
  const problems = [];
  for (const name of required) {
    if (!(name in value)) {
      problems.push({
        type: 'required',
        field: prefix || '(root)',
        description: `${name} is required`,
      });
    }
  }
  for (const [name, v] of Object.entries(value)) {
    const field = prefix ? `${prefix}.${name}` : name;
    const rule = spec[name];
    if (!rule) {
      problems.push({
        type: 'additional_property_not_allowed',
        field,
        description: `Additional property ${name} is not allowed`,
      });
      continue;
    }
    const [check, expected, range] = rule;
    if (!check(v)) {
      problems.push({
        type: 'invalid_type',
        field,
        description: `Invalid type. Expected: ${expected}, given: ${describe(v)}`,
      });
      continue;
    }
    if (range && range[0] !== undefined && v < range[0]) {
      problems.push({
        type: 'number_gte',
        field,
        description: `Must be greater than or equal to ${range[0]}`,
      });
    } else if (range && range[1] !== undefined && v > range[1]) {
      problems.push({
        type: 'number_lte',
        field,
        description: `Must be less than or equal to ${range[1]}`,
      });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// A tar, as `tar -cvf` writes it (ustar headers, 512-byte blocks, 10,240-byte records)
// ---------------------------------------------------------------------------------------------

const BLOCK = 512;
const RECORD = 10_240;

function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** One ustar header: a file ('0') or a folder ('5'). Long names go to the prefix field. */
function tarHeader(name, size, type, mtime) {
  const header = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`tar member name too long for ustar: ${name}`);
    }
  }
  header.write(base, 0, 100, 'utf8');
  header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  header.write(octal(size, 12), 124, 'latin1');
  header.write(octal(mtime, 12), 136, 'latin1');
  header.fill(0x20, 148, 156);
  header.write(type, 156, 'latin1');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  header.write('root', 265, 'latin1');
  header.write('root', 297, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

/**
 * A tar of `members` ({name, data: Buffer} or {name, file: a generated file with size and
 * chunks}, or {name, folder: true}), generated as it is read: a member of hundreds of MB costs
 * no memory. Same interface as modelFile: size, chunks(start, end), sha256().
 */
export function tarArchive(members, mtime = 1_700_000_000) {
  const segments = [];
  let offset = 0;
  const add = (length, chunks) => {
    segments.push({ start: offset, end: offset + length, chunks });
    offset += length;
  };
  const buffer = (buf) => (from, to) => [buf.subarray(from, to)];
  for (const member of members) {
    const size = member.folder ? 0 : member.data ? member.data.length : member.file.size;
    add(BLOCK, buffer(tarHeader(member.name, size, member.folder ? '5' : '0', mtime)));
    if (size === 0) continue;
    add(size, member.data ? buffer(member.data) : (from, to) => member.file.chunks(from, to));
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) add(pad, buffer(Buffer.alloc(pad)));
  }
  const end = offset + 2 * BLOCK;
  const total = Math.ceil(end / RECORD) * RECORD;
  add(total - offset, buffer(Buffer.alloc(total - offset)));
  return {
    size: total,
    *chunks(start = 0, stop = total) {
      for (const segment of segments) {
        if (segment.end <= start || segment.start >= stop) continue;
        const from = Math.max(start, segment.start) - segment.start;
        const to = Math.min(stop, segment.end) - segment.start;
        yield* segment.chunks(from, to);
      }
    },
    sha256() {
      const hash = crypto.createHash('sha256');
      for (const chunk of this.chunks()) hash.update(chunk);
      return hash.digest('hex');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------------

/**
 * @param {import('./replicate-simulator').ReplicateSimulatorOptions} [options]
 * @returns {Promise<import('./replicate-simulator').ReplicateSimulator>}
 */
export async function startReplicateSimulator(options = {}) {
  const token = options.apiKey ?? 'r8_simulatorTokenNotARealOne0000000000';
  const username = options.username ?? 'sim-user';
  const host = options.host ?? '127.0.0.1';
  const pollsPerStatus = Math.max(1, Math.floor(options.pollsPerStatus ?? 1));
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 100));
  const defaultModelBytes = options.modelBytes ?? DEFAULT_MODEL_BYTES;
  const cancelTerminal = options.cancelTerminal ?? 'unchanged';
  const validateAtCreate = options.validateAtCreate ?? true;
  const log = options.log ?? (() => {});
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  /** @type {import('./replicate-simulator').RecordedRequest[]} */
  const requests = [];
  const models = new Map();
  const files = new Map();
  const trainings = new Map();
  const publicFiles = new Map();
  let behaviour = {};
  let clockOffset = 0;
  let sequence = 0;
  let tokenLeakedToPublic = false;
  let tokenSentElsewhere = false;
  let closed = false;
  let url = '';
  let publicUrl = '';

  const { takeFault, runFault, actsAfterWork, writeReply, handler, clearTimers, ...kit } =
    createKit({
      log,
      requests,
      endpointKeys: ENDPOINT_KEYS,
      commitKeys: ['submit', 'upload', 'createModel', 'cancel'],
      errorBody: (message, status) => ({
        title: http.STATUS_CODES[status] ?? 'Error',
        detail: message,
        status,
      }),
      errorType: 'application/problem+json',
      isClosed: () => closed,
    });

  const now = () => Date.now() + clockOffset;
  const iso = (ms = now()) => new Date(ms).toISOString();

  function newId() {
    const bytes = crypto.randomBytes(26);
    return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
  }

  /** Every API answer carries the rate-limit headers Replicate sends. */
  function withRateHeaders(reply) {
    return {
      ...reply,
      headers: { 'ratelimit-remaining': '2999', 'ratelimit-reset': '1', ...reply.headers },
    };
  }

  function problem(status, detail, extra = {}) {
    return withRateHeaders({
      status,
      headers: { 'content-type': 'application/problem+json' },
      body: Buffer.from(JSON.stringify({ detail, status, ...extra })),
    });
  }

  function invalid(problems, title = 'Input validation failed') {
    const detail = problems.map((p) => `- ${p.field}: ${p.description}\n`).join('');
    return problem(422, detail, { title, invalid_fields: problems });
  }

  function ok(status, value) {
    return withRateHeaders(jsonReply(status, value));
  }

  function notFound() {
    return problem(404, 'Not found.');
  }

  // ----- models -------------------------------------------------------------------------------

  function addModel(owner, name, fields = {}) {
    const model = {
      url: `https://replicate.com/${owner}/${name}`,
      owner,
      name,
      description: fields.description ?? null,
      visibility: fields.visibility ?? 'private',
      github_url: fields.github_url ?? null,
      paper_url: fields.paper_url ?? null,
      license_url: fields.license_url ?? null,
      run_count: 0,
      cover_image_url: fields.cover_image_url ?? null,
      default_example: null,
      is_official: false,
      hardware: fields.hardware ?? 'gpu-t4',
      versions: fields.versions ?? [],
    };
    models.set(`${owner}/${name}`, model);
    return model;
  }

  function modelShape(model) {
    // The hardware a model was created with is not part of what Replicate shows of it.
    const shown = { ...model };
    delete shown.versions;
    delete shown.hardware;
    return { ...shown, latest_version: model.versions.at(-1) ?? null };
  }

  function newVersion(id = crypto.randomBytes(32).toString('hex')) {
    return { id, created_at: iso(), cog_version: '0.9.4', openapi_schema: {} };
  }

  const trainerVersions = [
    ...(options.olderTrainerVersions ?? []),
    options.trainerVersion ?? TRAINER_VERSION,
  ].map((id) => newVersion(id));
  const [trainerOwner, trainerName] = TRAINER.split('/');
  addModel(trainerOwner, trainerName, {
    visibility: 'public',
    description: 'Fine-tune FLUX.1-dev using ai-toolkit',
    versions: trainerVersions,
  });

  // ----- files --------------------------------------------------------------------------------

  function fileAlive(file) {
    return !file.deleted && Date.parse(file.record.expires_at) > now();
  }

  function storeFile(name, contentType, data, metadata = {}, createdAt = now()) {
    const id = Buffer.from(crypto.randomUUID()).toString('base64').replace(/=+$/, '');
    const md5 = crypto.createHash('md5').update(data).digest('hex');
    const record = {
      id,
      name,
      content_type: contentType,
      size: data.length,
      etag: md5,
      checksums: { sha256: crypto.createHash('sha256').update(data).digest('hex'), md5 },
      metadata,
      created_at: iso(createdAt),
      expires_at: iso(createdAt + FILE_LIFETIME_MS),
      urls: { get: `${url}/v1/files/${id}` },
    };
    const file = { record, data, deleted: false, seq: ++sequence };
    files.set(id, file);
    return file;
  }

  // ----- trainings ----------------------------------------------------------------------------

  function trainingUrls(id, kind) {
    return {
      web: `https://replicate.com/p/${id}`,
      get: `${url}/v1/${kind}/${id}`,
      cancel: `${url}/v1/${kind}/${id}/cancel`,
    };
  }

  /**
   * What Replicate shows of a training: no destination, `logs` left out of lists, and `input` too
   * with `listOmitsInput` (the contract says list items may leave both out).
   */
  function trainingShape(training, { list = false, created = false } = {}) {
    const shown = {
      id: training.id,
      model: training.model,
      version: training.version,
      ...(list && options.listOmitsInput ? {} : { input: training.input }),
      ...(list ? {} : { logs: training.logs }),
      output: training.output,
      error: training.error,
      status: training.status,
      source: 'api',
      created_at: training.created_at,
      started_at: training.started_at,
      completed_at: training.completed_at,
      metrics: training.metrics,
      urls: trainingUrls(training.id, created ? 'predictions' : 'trainings'),
    };
    if (created) {
      delete shown.started_at;
      delete shown.completed_at;
      delete shown.metrics;
      delete shown.output;
    }
    return shown;
  }

  function createTraining(fields) {
    const id = fields.id ?? newId();
    const walk = fields.walk ?? { ...behaviour };
    const training = {
      id,
      model: fields.model ?? TRAINER,
      version: fields.version ?? trainerVersions.at(-1).id,
      input: fields.input ?? {},
      destination: fields.destination,
      logs: '',
      output: null,
      error: null,
      status: fields.status ?? 'starting',
      created_at: fields.created_at ?? iso(),
      started_at: null,
      completed_at: null,
      metrics: {},
      walk,
      polls: 0,
      gets: 0,
      seq: ++sequence,
      modelBytes: walk.modelBytes ?? defaultModelBytes,
      submitted: fields.submitted ?? null,
      weightsPath: `/delivery/${crypto.randomBytes(16).toString('hex')}/${id}/trained_model.tar`,
      images: [],
    };
    trainings.set(id, training);
    if (training.status === 'succeeded') succeed(training);
    else if (training.status === 'failed') finish(training, 'failed', fields.error ?? 'failed');
    else if (training.status === 'canceled') finish(training, 'canceled', null);
    return training;
  }

  function finish(training, status, error) {
    training.status = status;
    training.error = error;
    training.completed_at = iso();
    training.started_at ??= training.created_at;
    const predict = (Date.parse(training.completed_at) - Date.parse(training.started_at)) / 1000;
    training.metrics = { predict_time: predict, total_time: predict + 0.5 };
  }

  /** The dataset the trainer downloads: an own file, the public host, or a data: URI. */
  function fetchDataset(value) {
    const own = /\/v1\/files\/([^/?#]+)/.exec(value);
    if (value.startsWith(`${url}/`) && own) {
      const file = files.get(own[1]);
      if (!file || !fileAlive(file)) return { error: `could not download ${value}: 404 Not Found` };
      return { data: file.data };
    }
    if (value.startsWith('data:')) {
      const comma = value.indexOf(',');
      const meta = value.slice(5, comma);
      const text = value.slice(comma + 1);
      return {
        data: meta.endsWith(';base64')
          ? Buffer.from(text, 'base64')
          : Buffer.from(decodeURIComponent(text)),
      };
    }
    const shared = publicFiles.get(value);
    if (shared) return { data: shared.body };
    return { error: `could not download ${value}: the host could not be reached` };
  }

  /** `starting` to `processing`: the worker fetched the dataset and opened the ZIP (train.py). */
  function start(training) {
    training.status = 'processing';
    training.started_at = iso();
    training.logs = `Extracting input_images\n`;
    const input = training.input;
    if (training.invalidInput) {
      finish(training, 'failed', `Prediction input failed validation: ${training.invalidInput}`);
      return;
    }
    const fetched = fetchDataset(String(input.input_images ?? ''));
    if (fetched.error) {
      finish(training, 'failed', `input_images: ${fetched.error}`);
      return;
    }
    let entries;
    try {
      entries = inspectZip(fetched.data);
    } catch {
      finish(training, 'failed', 'input_images must be a zip file');
      return;
    }
    training.images = entries.filter((e) => IMAGE_EXTENSIONS.test(e.name)).map((e) => e.name);
    if (training.images.length === 0) {
      finish(training, 'failed', 'No image files found in input_images');
      return;
    }
    training.logs += `Found ${training.images.length} images\nflux_train_replicate: 0/${input.steps ?? 1000} steps\n`;
  }

  function succeed(training) {
    training.started_at ??= training.created_at;
    const version = newVersion();
    const destination = training.destination ?? `${username}/unknown`;
    const model = models.get(destination);
    if (model) model.versions.push(version);
    training.versionId = version.id;
    finish(training, 'succeeded', null);
    training.logs += `flux_train_replicate: ${training.input.steps ?? 1000}/${training.input.steps ?? 1000} steps\nSaved LoRA\n`;
    const late =
      training.walk.weightsAfterPolls !== undefined &&
      training.gets < training.walk.weightsAfterPolls;
    training.output = late
      ? { version: `${destination}:${version.id}`, weights: null }
      : { version: `${destination}:${version.id}`, weights: `${url}${training.weightsPath}` };
  }

  /** One GET of a training is one poll: after `pollsPerStatus` of them it moves on. */
  function poll(training) {
    training.gets += 1;
    if (training.status === 'succeeded' && training.output && !training.output.weights) {
      if (training.gets >= (training.walk.weightsAfterPolls ?? 0)) {
        training.output.weights = `${url}${training.weightsPath}`;
      }
      return;
    }
    if (!['starting', 'processing'].includes(training.status)) return;
    training.polls += 1;
    if (training.polls < pollsPerStatus) return;
    training.polls = 0;
    const walk = training.walk;
    if (training.status === 'starting') {
      if (walk.stayStarting) return;
      start(training);
      return;
    }
    if (walk.neverFinish) {
      training.logs += `flux_train_replicate: ${Math.min(training.gets * 10, 990)} steps\n`;
      return;
    }
    if (walk.failWith !== undefined) {
      finish(training, 'failed', walk.failWith);
      return;
    }
    succeed(training);
  }

  /** The tar `weights` points at, as the trainer makes it (`tar -cvf ... output/flux_train_replicate`). */
  function weightsOf(training) {
    const dir = 'output/flux_train_replicate';
    const lora = modelFile(training.id, training.modelBytes);
    const trigger = String(training.input.trigger_word ?? 'TOK');
    const captions = (training.images.length > 0 ? training.images : ['image.jpg']).map((name) => ({
      name: `${dir}/captions/${name.replace(/\.[^.]+$/, '')}.txt`,
      data: Buffer.from(`a photo of ${trigger}`),
    }));
    const config = Buffer.from(
      `job: extension\nconfig:\n  name: flux_train_replicate\n  process:\n    - type: sd_trainer\n      network:\n        linear: ${training.input.lora_rank ?? 16}\n      train:\n        steps: ${training.input.steps ?? 1000}\n        lr: ${training.input.learning_rate ?? 0.0004}\n`,
    );
    const loras = {
      one: [{ name: LORA_MEMBER, file: lora }],
      none: [],
      two: [
        { name: LORA_MEMBER, file: lora },
        { name: `${dir}/lora_000000500.safetensors`, file: modelFile(`${training.id}-500`, 4096) },
      ],
    }[training.walk.loras ?? 'one'];
    return tarArchive([
      { name: 'output/', folder: true },
      { name: `${dir}/`, folder: true },
      { name: `${dir}/captions/`, folder: true },
      ...captions,
      { name: `${dir}/config.yaml`, data: config },
      ...loras,
    ]);
  }

  // ----- the API ------------------------------------------------------------------------------

  function authorized(req) {
    const match = /^(Bearer|Token) (.+)$/.exec(String(req.headers.authorization ?? ''));
    return match !== null && match[2] === token;
  }

  function unauthenticated() {
    return problem(401, 'You did not pass a valid authentication token', {
      title: 'Unauthenticated',
    });
  }

  /** The route's endpoint key (for faults) and its handler, or a 404/405. */
  function route(method, pathname) {
    const parts = pathname.split('/').slice(1);
    const is = (...shape) =>
      parts.length === shape.length && shape.every((s, i) => s === '*' || s === parts[i]);
    const routes = [
      ['GET', ['v1', 'account'], 'account', getAccount],
      ['POST', ['v1', 'models'], 'createModel', postModel],
      ['GET', ['v1', 'models', '*', '*'], 'model', getModel],
      ['GET', ['v1', 'models', '*', '*', 'versions'], 'model', getVersions],
      ['POST', ['v1', 'models', '*', '*', 'versions', '*', 'trainings'], 'submit', postTraining],
      ['POST', ['v1', 'files'], 'upload', postFile],
      ['GET', ['v1', 'files'], 'files', listFiles],
      ['GET', ['v1', 'files', '*'], 'files', getFile],
      ['DELETE', ['v1', 'files', '*'], 'files', deleteFile],
      ['GET', ['v1', 'trainings'], 'list', listTrainings],
      ['GET', ['v1', 'trainings', '*'], 'training', getTraining],
      ['GET', ['v1', 'predictions', '*'], 'training', getTraining],
      ['POST', ['v1', 'trainings', '*', 'cancel'], 'cancel', cancelTraining],
      ['POST', ['v1', 'predictions', '*', 'cancel'], 'cancel', cancelTraining],
      ['GET', ['v1', 'webhooks', 'default', 'secret'], 'account', webhookSecret],
    ];
    const matching = routes.filter(([, shape]) => is(...shape));
    if (matching.length === 0) return { reply: notFound() };
    const found = matching.find(([m]) => m === method);
    if (!found) {
      return {
        reply: withRateHeaders({
          ...problem(405, `Method "${method}" not allowed.`),
          headers: {
            'content-type': 'application/problem+json',
            allow: matching.map(([m]) => m).join(', '),
          },
        }),
      };
    }
    return { key: found[2], serve: found[3], parts };
  }

  function getAccount() {
    return ok(200, {
      type: options.accountType ?? 'user',
      username,
      name: options.accountName ?? 'Simulated User',
      github_url: null,
    });
  }

  function webhookSecret() {
    return ok(200, { key: `whsec_${crypto.randomBytes(24).toString('base64')}` });
  }

  function getModel(_req, _body, parts) {
    const model = models.get(`${parts[2]}/${parts[3]}`);
    if (!model || (model.visibility === 'private' && model.owner !== username)) return notFound();
    return ok(200, modelShape(model));
  }

  function getVersions(_req, _body, parts) {
    const model = models.get(`${parts[2]}/${parts[3]}`);
    if (!model || (model.visibility === 'private' && model.owner !== username)) return notFound();
    return ok(200, { next: null, previous: null, results: [...model.versions].reverse() });
  }

  function jsonBody(req, body) {
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      return { reply: problem(415, 'Content-Type must be application/json.') };
    }
    if (body.length > JSON_BODY_CAP) {
      return { reply: problem(413, `Request body of ${body.length} bytes is too large.`) };
    }
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return { reply: problem(400, parsed.message) };
    if (!isPlainObject(parsed.value)) {
      return { reply: problem(400, 'The request body must be a JSON object.') };
    }
    return { value: parsed.value };
  }

  function postModel(req, body) {
    const { reply, value } = jsonBody(req, body);
    if (reply) return { reply };
    const problems = schemaProblems(value, MODEL_FIELDS, '', [
      'owner',
      'name',
      'visibility',
      'hardware',
    ]);
    if (isString(value.name) && !/^[a-z0-9][a-z0-9._-]{0,99}$/.test(value.name)) {
      problems.push({
        type: 'pattern',
        field: 'name',
        description:
          'Model names may contain only lowercase letters, numbers, dashes, underscores and periods, and must start with a letter or number',
      });
    }
    if (problems.length > 0) return { reply: invalid(problems) };
    if (value.owner !== username) {
      return {
        reply: problem(403, `You do not have permission to create models for ${value.owner}.`, {
          title: 'Forbidden',
        }),
      };
    }
    const key = `${value.owner}/${value.name}`;
    if (models.has(key)) {
      return {
        reply: problem(409, 'A model with that name and owner already exists.', {
          title: 'Conflict',
        }),
      };
    }
    const model = addModel(value.owner, value.name, value);
    return { reply: ok(201, modelShape(model)), commit: true };
  }

  function postFile(req, body) {
    if (mediaType(req.headers['content-type']) !== 'multipart/form-data') {
      return { reply: problem(415, 'Content-Type must be multipart/form-data.') };
    }
    if (body.length > FILE_SIZE_LIMIT + 64 * 1024) {
      return { reply: problem(413, `File too large: the limit is ${FILE_SIZE_LIMIT} bytes.`) };
    }
    let parts;
    try {
      parts = parseMultipartParts(body, req.headers['content-type']);
    } catch (err) {
      return { reply: problem(400, `Malformed multipart body: ${err.message}`) };
    }
    const problems = [];
    for (const name of parts.keys()) {
      if (!['content', 'filename', 'type', 'metadata'].includes(name)) {
        problems.push({
          type: 'additional_property_not_allowed',
          field: name,
          description: `Additional property ${name} is not allowed`,
        });
      }
    }
    const content = parts.get('content');
    if (!content) {
      problems.push({ type: 'required', field: '(root)', description: 'content is required' });
    }
    const name = parts.get('filename')?.data.toString('utf8') ?? content?.filename ?? 'file';
    if (Buffer.byteLength(name) > 255) {
      problems.push({
        type: 'string_lte',
        field: 'filename',
        description: 'Must be at most 255 bytes',
      });
    }
    let metadata = {};
    if (parts.has('metadata')) {
      try {
        metadata = JSON.parse(parts.get('metadata').data.toString('utf8'));
      } catch {
        problems.push({ type: 'invalid_type', field: 'metadata', description: 'Must be JSON' });
      }
    }
    if (problems.length > 0) return { reply: invalid(problems) };
    if (content.data.length > FILE_SIZE_LIMIT) {
      return { reply: problem(413, `File too large: the limit is ${FILE_SIZE_LIMIT} bytes.`) };
    }
    const type =
      parts.get('type')?.data.toString('utf8') ?? content.contentType ?? 'application/octet-stream';
    const file = storeFile(name, type, Buffer.from(content.data), metadata);
    return { reply: ok(201, file.record), commit: true };
  }

  /** A page of `items` (newest first) at the cursor in `req`'s query. */
  function page(req, path, items) {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    let offset = 0;
    const cursor = query.get('cursor');
    if (cursor !== null) {
      try {
        offset = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).o;
      } catch {
        offset = NaN;
      }
      if (!Number.isSafeInteger(offset) || offset < 0) return problem(400, 'Invalid cursor.');
    }
    const results = items.slice(offset, offset + pageSize);
    const after = offset + pageSize;
    const cursorOf = (o) => Buffer.from(JSON.stringify({ o })).toString('base64url');
    return ok(200, {
      next: after < items.length ? `${url}${path}?cursor=${cursorOf(after)}` : null,
      previous:
        offset > 0 ? `${url}${path}?cursor=${cursorOf(Math.max(0, offset - pageSize))}` : null,
      results,
    });
  }

  function listFiles(req) {
    const alive = [...files.values()].filter(fileAlive).sort((a, b) => b.seq - a.seq);
    return page(
      req,
      '/v1/files',
      alive.map((f) => f.record),
    );
  }

  function getFile(_req, _body, parts) {
    const file = files.get(parts[2]);
    return file && fileAlive(file) ? ok(200, file.record) : notFound();
  }

  function deleteFile(_req, _body, parts) {
    const file = files.get(parts[2]);
    if (!file || !fileAlive(file)) return notFound();
    file.deleted = true;
    // Gone for good: a long session (the demo, a bench) must not hold every upload.
    file.data = Buffer.alloc(0);
    return withRateHeaders({ status: 204, headers: {}, body: Buffer.alloc(0) });
  }

  function postTraining(req, body, parts) {
    // Only the trainer trains here; any other model is one Replicate would not find trainable.
    if (`${parts[2]}/${parts[3]}` !== TRAINER) return { reply: notFound() };
    if (!trainerVersions.some((v) => v.id === parts[5])) {
      return {
        reply: problem(
          422,
          "The specified version does not exist (or perhaps you don't have permission to use it?)",
          { title: 'Invalid version or not permitted' },
        ),
      };
    }
    const { reply, value } = jsonBody(req, body);
    if (reply) return { reply };
    const problems = [];
    for (const key of Object.keys(value)) {
      if (!['destination', 'input', 'webhook', 'webhook_events_filter'].includes(key)) {
        problems.push({
          type: 'additional_property_not_allowed',
          field: key,
          description: `Additional property ${key} is not allowed`,
        });
      }
    }
    if (!isString(value.destination)) {
      problems.push({
        type: 'required',
        field: 'destination',
        description: 'destination is required (owner/name)',
      });
    }
    if (!isPlainObject(value.input)) {
      problems.push({ type: 'required', field: 'input', description: 'input is required' });
    }
    if (
      value.webhook !== undefined &&
      !(isString(value.webhook) && /^https:\/\//.test(value.webhook))
    ) {
      problems.push({ type: 'format', field: 'webhook', description: 'Must be an HTTPS URL' });
    }
    if (
      value.webhook_events_filter !== undefined &&
      !(
        Array.isArray(value.webhook_events_filter) &&
        value.webhook_events_filter.every((e) =>
          ['start', 'output', 'logs', 'completed'].includes(e),
        )
      )
    ) {
      problems.push({
        type: 'enum',
        field: 'webhook_events_filter',
        description: 'Each must be one of start, output, logs, completed',
      });
    }
    if (problems.length > 0) return { reply: invalid(problems) };
    const inputProblems = schemaProblems(value.input, TRAINER_INPUT, 'input', ['input_images']);
    if (inputProblems.length > 0 && validateAtCreate) return { reply: invalid(inputProblems) };
    const destination = models.get(value.destination);
    if (!destination || destination.owner !== username || value.destination === TRAINER) {
      return {
        reply: problem(404, 'The specified training destination does not exist'),
      };
    }
    const training = createTraining({
      version: parts[5],
      input: value.input,
      destination: value.destination,
      submitted: value,
    });
    if (inputProblems.length > 0) {
      training.invalidInput = JSON.stringify(
        Object.fromEntries(inputProblems.map((p) => [p.field, p.description])),
      );
    }
    return { reply: ok(201, trainingShape(training, { created: true })), commit: true };
  }

  function getTraining(_req, _body, parts) {
    const training = trainings.get(parts[2]);
    if (!training) return notFound();
    poll(training);
    return ok(200, trainingShape(training));
  }

  function listTrainings(req) {
    const all = [...trainings.values()].sort((a, b) => b.seq - a.seq);
    return page(
      req,
      '/v1/trainings',
      all.map((t) => trainingShape(t, { list: true })),
    );
  }

  function cancelTraining(_req, _body, parts) {
    const training = trainings.get(parts[2]);
    if (!training) return { reply: notFound() };
    if (['starting', 'processing'].includes(training.status)) {
      finish(training, 'canceled', null);
      return { reply: ok(200, trainingShape(training)), commit: true };
    }
    if (cancelTerminal === 'refuse') {
      return {
        reply: problem(409, `Cannot cancel a training that has already ${training.status}.`, {
          title: 'Conflict',
        }),
      };
    }
    return { reply: ok(200, trainingShape(training)) };
  }

  /** GET of the weights tar: only with the token, Range honoured, faults under 'weights'. */
  async function serveWeights(req, res, label) {
    const training = [...trainings.values()].find(
      (t) =>
        t.output?.weights && new URL(t.output.weights).pathname === new URL(req.url, url).pathname,
    );
    if (!authorized(req)) {
      writeReply(res, unauthenticated());
      return;
    }
    const fault = takeFault('weights');
    if (
      fault &&
      fault.resetAfterBytes === undefined &&
      fault.stallAfterBytes === undefined &&
      !fault.ignoreRange
    ) {
      if (await runFault(fault, req, res, 'json', label)) return;
    }
    if (closed) return;
    if (!training) {
      writeReply(res, {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('Not Found'),
      });
      return;
    }
    const tar = weightsOf(training);
    await kit.serveFile(req, res, label, tar, {
      headers: {
        'content-type': 'application/x-tar',
        etag: `"${crypto.createHash('md5').update(`${training.id}:${tar.size}`).digest('hex')}"`,
        'last-modified': new Date(training.completed_at ?? training.created_at).toUTCString(),
      },
      fault,
      unsatisfiable: () => ({
        status: 416,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('Requested Range Not Satisfiable'),
      }),
    });
  }

  /** Creates waiting for the next trainings list (the `commitAfterNextList` fault). */
  const lateCommits = [];

  async function apiRoute(req, res, body, label) {
    const pathname = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && pathname.startsWith('/delivery/')) {
      await serveWeights(req, res, label);
      return;
    }
    if (!authorized(req)) {
      writeReply(res, unauthenticated());
      return;
    }
    const found = route(req.method ?? '', pathname);
    if (found.reply) {
      writeReply(res, found.reply);
      return;
    }
    let fault = takeFault(found.key);
    if (fault?.commitAfterNextList && found.key === 'submit') {
      // The answer is lost now; the training comes into being once the next list was answered.
      await runFault({ ...fault, status: fault.status ?? 502 }, req, res, 'json', label);
      lateCommits.push(() => found.serve(req, body, found.parts));
      return;
    }
    if (fault && !actsAfterWork(fault, found.key)) {
      if (await runFault(fault, req, res, 'json', label)) return;
      fault = null;
    }
    if (closed) return;
    const result = found.serve(req, body, found.parts);
    const reply = result.reply ?? result;
    // afterCommit: the work is done (the training, file or model exists), the answer is lost.
    if (
      fault &&
      (result.commit || !['submit', 'upload', 'createModel', 'cancel'].includes(found.key))
    ) {
      await runFault(fault, req, res, 'json', label, reply);
      return;
    }
    writeReply(res, reply);
    if (found.key === 'list') for (const commit of lateCommits.splice(0)) commit();
  }

  async function publicRoute(req, res, _body, label) {
    if (req.headers.authorization !== undefined) {
      tokenSentElsewhere = true;
      if (String(req.headers.authorization).includes(token)) tokenLeakedToPublic = true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      writeReply(res, { status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.alloc(0) });
      return;
    }
    if (req.method === 'HEAD') {
      const fault = takeFault('head');
      if (fault && (await runFault(fault, req, res, 'json', label))) return;
      if (closed) return;
    }
    const file = publicFiles.get(`${publicUrl}${new URL(req.url ?? '/', 'http://x').pathname}`);
    if (!file) {
      writeReply(res, {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('Not Found'),
      });
      return;
    }
    const headers = {
      'content-type': 'application/zip',
      'content-length': String(file.body.length),
      etag: `"${crypto.createHash('md5').update(file.body).digest('hex')}"`,
      'last-modified': file.modified,
    };
    writeReply(res, {
      status: 200,
      headers,
      body: req.method === 'HEAD' ? Buffer.alloc(0) : file.body,
    });
  }

  // ----- servers ------------------------------------------------------------------------------

  const apiServer = http.createServer(
    handler('api', FILE_SIZE_LIMIT + 1024 * 1024, 'json', apiRoute),
  );
  const publicHandler = handler('public', JSON_BODY_CAP, 'json', publicRoute);
  const publicServer = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, publicHandler)
    : http.createServer(publicHandler);
  const servers = [apiServer, publicServer];

  const ports = await listenAll(servers, host, options.port ?? 0);
  url = `http://${hostForUrl}:${ports[0]}`;
  publicUrl = `${options.tls ? 'https' : 'http'}://${hostForUrl}:${ports[1]}`;

  return {
    url,
    publicUrl,
    token,
    username,
    requests,
    models,
    files,
    trainings,
    get tokenLeakedToPublic() {
      return tokenLeakedToPublic;
    },
    get authorizationSentToPublic() {
      return tokenSentElsewhere;
    },

    addModel(fullName, fields = {}) {
      const [owner, name] = fullName.split('/');
      return addModel(owner, name, fields);
    },

    addTraining(fields = {}) {
      const training = createTraining({
        destination: `${username}/seeded`,
        input: { input_images: `${url}/v1/files/seeded`, trigger_word: 'TOK', steps: 1000 },
        ...fields,
      });
      if (fields.created_at === undefined) training.created_at = iso(now() - 60_000);
      return trainingShape(training);
    },

    addFile(name, data, fields = {}) {
      return storeFile(
        name,
        fields.contentType ?? 'application/zip',
        Buffer.from(data),
        {},
        fields.createdAt ?? now(),
      ).record;
    },

    addPublicFile(path, body) {
      const pathname = new URL(path.startsWith('/') ? path : `/${path}`, publicUrl).pathname;
      const fileUrl = `${publicUrl}${pathname}`;
      publicFiles.set(fileUrl, {
        body: Buffer.from(body),
        modified: new Date(now()).toUTCString(),
      });
      return fileUrl;
    },

    trainingShape(id) {
      const training = trainings.get(id);
      return training && trainingShape(training);
    },

    weights(id) {
      const training = trainings.get(id);
      if (!training) throw new Error(`no training ${id}`);
      const tar = weightsOf(training);
      const lora = modelFile(training.id, training.modelBytes);
      return {
        tar: {
          size: tar.size,
          sha256: tar.sha256(),
          bytes: () => Buffer.concat([...tar.chunks()]),
        },
        lora: { size: lora.size, sha256: lora.sha256() },
      };
    },

    injectFault(endpoint, fault) {
      // A 429 says what Replicate's says, with a Retry-After, unless the test says otherwise.
      const throttled =
        fault.status === 429 && fault.message === undefined && fault.body === undefined
          ? {
              retryAfter: '1',
              ...fault,
              message: `Request was throttled. Expected available in ${Math.max(1, Math.ceil(Number(fault.retryAfter ?? 1)))} second.`,
            }
          : fault;
      kit.injectFault(endpoint, throttled);
    },

    setTrainingBehaviour(b) {
      behaviour = { ...(b ?? {}) };
    },

    advanceClock(ms) {
      clockOffset += ms;
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
  return parseFlags(argv, 'replicate-sim', { '--username': 'username' });
}

runAsProgram(import.meta.url, {
  parse: parseArgs,
  start: startReplicateSimulator,
  urls: (sim) => ({ url: sim.url, publicUrl: sim.publicUrl, token: sim.token }),
  usage:
    'replicate-simulator.js [--port N] [--api-key T] [--username U] [--host H] [--polls-per-status N] [--model-bytes N] [--verbose]',
});
