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
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

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
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Timestamps without milliseconds, the way the documented records show them. */
function isoNow() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Error messages quote what was sent, but short: a 1 MB prompt must not flood a test log. */
function describe(value) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Only the media type counts; `application/json; charset=utf-8` is still JSON. */
function mediaType(header) {
  return String(header ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

function xmlEscape(text) {
  return String(text).replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c],
  );
}

function randomAlnum(length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = crypto.randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** A reply is computed first and written later, so a fault can replace it after the fact. */
function jsonReply(status, value, headers = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

function messageReply(status, message) {
  return jsonReply(status, { message });
}

/** S3 speaks XML errors; a client that parses them (or shows them) must cope with that. */
function xmlReply(status, code, message, extra = {}) {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}` +
    `<RequestId>${randomAlnum(16)}</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml' }, body: Buffer.from(body) };
}

/**
 * Reads the whole body (so it can be recorded) but keeps at most `cap` bytes; the caller answers
 * 413 when `over` is set. Draining instead of hanging up lets the client read that answer.
 */
function readBody(req, cap) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), size, over: size > cap }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('client went away before the body ended'));
    });
  });
}

function parseJsonBody(body) {
  if (body.length === 0) return { ok: false, message: 'Request body is required (JSON)' };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (err) {
    return { ok: false, message: `Request body is not valid JSON: ${err.message}` };
  }
}

/**
 * A multipart/form-data reader, strict enough to catch a client that builds the form by hand and
 * gets the framing wrong (missing CRLFs, no closing delimiter, no field name).
 * @returns {Map<string, string>}
 */
export function parseMultipart(body, contentType) {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(contentType ?? ''));
  if (!match) throw new Error('multipart/form-data without a boundary parameter');
  const boundary = match[1] ?? match[2];
  const delimiter = Buffer.from(`--${boundary}`);
  const partEnd = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map();
  // Anything before the first delimiter is preamble, which the format allows and ignores.
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart body does not contain its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return fields; // closing delimiter "--"
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) {
      throw new Error('multipart boundary is not followed by CRLF');
    }
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('multipart part has no end of headers (CRLF CRLF)');
    const headerLines = body.toString('utf8', pos, headerEnd).split('\r\n');
    const next = body.indexOf(partEnd, headerEnd + 4);
    if (next < 0) throw new Error('multipart part is not closed by a boundary');
    const disposition = headerLines.find((line) => /^content-disposition:/i.test(line));
    const nameMatch = disposition && /;\s*name="([^"]*)"/i.exec(disposition);
    if (!nameMatch) throw new Error('multipart part without Content-Disposition name');
    const name = nameMatch[1];
    if (fields.has(name)) throw new Error(`form field "${name}" is given more than once`);
    fields.set(name, body.toString('utf8', headerEnd + 4, next));
    pos = next + 2;
  }
}

// ---------------------------------------------------------------------------------------------
// ZIP reader
// ---------------------------------------------------------------------------------------------

/**
 * Reads a ZIP's End Of Central Directory record and central directory, and checks every entry's
 * local header, bounds and CRC. It exists so that a client producing a subtly broken archive (bad
 * offsets, data descriptors gone wrong, a truncated stream) fails in tests, not at Segmind days
 * later. ZIP64 records are understood because large archives legitimately use them.
 * @param {Buffer} buf
 * @returns {{ name: string, method: number, compressedSize: number, size: number, crc32: number }[]}
 */
export function inspectZip(buf) {
  if (buf.length < 22)
    throw new Error('not a ZIP file: too short to hold an End Of Central Directory record');
  let eocd = -1;
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    // The comment length must reach exactly to the end, else this is a signature inside data.
    if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) === buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file: no End Of Central Directory record');
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) {
    throw new Error('multi-disk (split) ZIP archives are not supported');
  }
  let total = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 8) !== total) {
    throw new Error('multi-disk (split) ZIP archives are not supported');
  }
  let cdEnd = eocd;
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== 0x07064b50) {
      throw new Error('ZIP64 End Of Central Directory locator is missing');
    }
    const record = Number(buf.readBigUInt64LE(locator + 8));
    if (record + 56 > locator || buf.readUInt32LE(record) !== 0x06064b50) {
      throw new Error('ZIP64 End Of Central Directory record is missing or corrupt');
    }
    total = Number(buf.readBigUInt64LE(record + 32));
    cdSize = Number(buf.readBigUInt64LE(record + 40));
    cdOffset = Number(buf.readBigUInt64LE(record + 48));
    cdEnd = record;
  }
  if (cdOffset + cdSize !== cdEnd) {
    throw new Error(
      `central directory (offset ${cdOffset}, ${cdSize} bytes) does not end where the End Of Central Directory record begins (${cdEnd})`,
    );
  }
  if (total === 0) throw new Error('the ZIP has no entries');

  const entries = [];
  const seen = new Set();
  let p = cdOffset;
  for (let i = 0; i < total; i++) {
    if (p + 46 > cdEnd || buf.readUInt32LE(p) !== 0x02014b50) {
      throw new Error(`central directory entry ${i + 1} of ${total} is missing or corrupt`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength + commentLength > cdEnd) {
      throw new Error(`central directory entry ${i + 1} runs past the central directory`);
    }
    const name = buf.toString('utf8', p + 46, nameEnd);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // ZIP64 extended information: only the fields that overflowed are present, in this order.
      let x = nameEnd;
      const extraEnd = nameEnd + extraLength;
      let found = false;
      while (x + 4 <= extraEnd) {
        const id = buf.readUInt16LE(x);
        const len = buf.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          const take = () => {
            if (q + 8 > x + 4 + len) throw new Error(`ZIP64 extra field of "${name}" is too short`);
            const v = Number(buf.readBigUInt64LE(q));
            q += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localOffset === 0xffffffff) localOffset = take();
          found = true;
          break;
        }
        x += 4 + len;
      }
      if (!found) throw new Error(`entry "${name}" needs a ZIP64 extra field and has none`);
    }
    p = nameEnd + extraLength + commentLength;

    if (name === '') throw new Error(`entry ${i + 1} has an empty name`);
    if (name.includes('/') || name.includes('\\')) {
      throw new Error(`entry "${name}" is not at the ZIP root (Segmind reads only root entries)`);
    }
    if (seen.has(name)) throw new Error(`entry "${name}" appears more than once`);
    seen.add(name);
    if (flags & 0x0001) throw new Error(`entry "${name}" is encrypted`);
    if (method !== 0 && method !== 8) {
      throw new Error(
        `entry "${name}" uses compression method ${method}; only stored (0) and deflate (8) are read`,
      );
    }

    if (localOffset + 30 > cdOffset || buf.readUInt32LE(localOffset) !== 0x04034b50) {
      throw new Error(`local header of "${name}" is not at offset ${localOffset}`);
    }
    const localNameLength = buf.readUInt16LE(localOffset + 26);
    const localExtraLength = buf.readUInt16LE(localOffset + 28);
    const localName = buf.toString('utf8', localOffset + 30, localOffset + 30 + localNameLength);
    if (localName !== name) {
      throw new Error(
        `local header name "${localName}" differs from central directory name "${name}"`,
      );
    }
    const dataStart = localOffset + 30 + localNameLength + localExtraLength;
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > cdOffset) throw new Error(`data of "${name}" runs past the central directory`);
    const data = buf.subarray(dataStart, dataEnd);
    let content;
    if (method === 0) {
      if (compressedSize !== size) {
        throw new Error(
          `stored entry "${name}" has compressed size ${compressedSize} but size ${size}`,
        );
      }
      content = data;
    } else {
      try {
        content = zlib.inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
      } catch (err) {
        throw new Error(`deflated data of "${name}" is corrupt: ${err.message}`);
      }
      if (content.length !== size) {
        throw new Error(`entry "${name}" inflates to ${content.length} bytes, not ${size}`);
      }
    }
    if (zlib.crc32(content) !== crc) throw new Error(`CRC-32 of "${name}" does not match`);
    entries.push({ name, method, compressedSize, size, crc32: crc });
  }
  if (p !== cdEnd) throw new Error('central directory size does not match its entries');
  return entries;
}

/** The size of a trained model's file unless a job or the simulator says otherwise. */
const DEFAULT_MODEL_BYTES = 65_536;
/**
 * The weights after the header repeat a seeded pattern of this many bytes: a prime, so that a
 * client resuming at the wrong offset gets other bytes (and another sha256) in all but freak cases.
 */
const MODEL_PATTERN_BYTES = 1_048_573;

/**
 * The header of a well-formed .safetensors file of `size` bytes in all: an 8-byte little-endian
 * length, then JSON naming one U8 tensor that fills the rest, padded with spaces to a multiple of
 * 8 as the format asks. A size too small for the header gets a tensor of 0 bytes.
 */
function safetensorsHeader(finetuneId, size) {
  let tensorBytes = Math.max(0, size - 8);
  for (;;) {
    let json = JSON.stringify({
      __metadata__: { format: 'pt', finetune_id: finetuneId },
      'lora.weight': { dtype: 'U8', shape: [tensorBytes], data_offsets: [0, tensorBytes] },
    });
    json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
    const fits = Math.max(0, size - 8 - json.length);
    if (fits === tensorBytes) {
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(json.length));
      return Buffer.concat([length, Buffer.from(json)]);
    }
    tensorBytes = fits;
  }
}

/**
 * A trained model's file, generated on the fly so that a file of hundreds of MB costs no memory:
 * a safetensors header, then a pattern seeded by the job's id (xorshift32), the same bytes at the
 * same offsets on every request, as a real stored object.
 */
export function modelFile(finetuneId, size = DEFAULT_MODEL_BYTES) {
  const header = safetensorsHeader(finetuneId, size);
  const total = Math.max(size, header.length);
  let pattern;
  const patternOf = () => {
    if (pattern) return pattern;
    pattern = Buffer.allocUnsafe(MODEL_PATTERN_BYTES + 3);
    let x = crypto.createHash('sha256').update(finetuneId).digest().readUInt32LE(0) || 1;
    for (let i = 0; i < pattern.length; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      pattern.writeUInt32LE(x >>> 0, i);
    }
    pattern = pattern.subarray(0, MODEL_PATTERN_BYTES);
    return pattern;
  };
  return {
    size: total,
    /** The bytes [start, end) in chunks of at most `chunkBytes`, each a view, never a copy. */
    *chunks(start = 0, end = total, chunkBytes = 1 << 20) {
      let p = start;
      while (p < end) {
        if (p < header.length) {
          const stop = Math.min(end, header.length);
          yield header.subarray(p, stop);
          p = stop;
          continue;
        }
        const at = (p - header.length) % MODEL_PATTERN_BYTES;
        const n = Math.min(end - p, chunkBytes, MODEL_PATTERN_BYTES - at);
        yield patternOf().subarray(at, at + n);
        p += n;
      }
    },
    sha256() {
      const hash = crypto.createHash('sha256');
      for (const chunk of this.chunks()) hash.update(chunk);
      return hash.digest('hex');
    },
  };
}

/**
 * A `Range` header against a file of `size` bytes: { start, end } (end exclusive), 'unsatisfiable'
 * (answer 416), or null to serve the whole file (no header, or one S3 ignores: several ranges or
 * a malformed one).
 */
export function parseRange(header, size) {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(String(header).trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(match[1]);
  const last = match[2] === '' ? size - 1 : Number(match[2]);
  if (start >= size) return 'unsatisfiable';
  if (last < start) return null;
  return { start, end: Math.min(last, size - 1) + 1 };
}

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
  const faults = new Map(ENDPOINT_KEYS.map((key) => [key, []]));
  const timers = new Set();
  let behaviour = {};
  let apiKeyLeakedToStorage = false;
  let apiKeyLeakedToPublic = false;
  let closed = false;

  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  let storageUrl = '';

  function sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

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

  function handleDetails(_req, body) {
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

  function handlePresign(_req, body) {
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

  // ----- faults -------------------------------------------------------------------------------

  function takeFault(key) {
    const queue = faults.get(key);
    const entry = queue?.[0];
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) queue.shift();
    return entry.fault;
  }

  function faultReply(fault, flavour) {
    const headers = {};
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const status = fault.status ?? 502;
    if (fault.body !== undefined) {
      const isRaw = typeof fault.body === 'string' || Buffer.isBuffer(fault.body);
      return {
        status,
        headers: {
          'content-type': isRaw ? 'text/plain; charset=utf-8' : 'application/json',
          ...headers,
        },
        body: isRaw ? Buffer.from(fault.body) : Buffer.from(JSON.stringify(fault.body)),
      };
    }
    if (flavour === 'xml') {
      const reply = xmlReply(
        status,
        'ServiceUnavailable',
        fault.message ?? `Simulated fault (HTTP ${status})`,
      );
      return { ...reply, headers: { ...reply.headers, ...headers } };
    }
    return jsonReply(
      status,
      { message: fault.message ?? `Simulated fault (HTTP ${status})` },
      headers,
    );
  }

  /**
   * Runs a fault: waits, then hangs up or answers (whole, malformed, or cut short). Returns false
   * when the fault was a pure delay and the request should now be served normally. `real` is the
   * endpoint's own reply when the fault comes after the work was done (afterCommit, or a
   * truncation of the real answer): then the job, the upload, exists.
   */
  async function runFault(fault, req, res, flavour, label, real = null) {
    if (fault.delayMs) await sleep(fault.delayMs);
    if (closed) return true;
    if (fault.reset) {
      log(`${label} -> connection reset (fault)`);
      req.socket.destroy();
      return true;
    }
    let reply;
    if (fault.malformed) reply = malformedReply(fault.malformed, fault.status ?? 200);
    else if (fault.gatewayPage) reply = gatewayReply(fault.status ?? 502, fault.retryAfter);
    else if (fault.status !== undefined || fault.body !== undefined || fault.message !== undefined)
      reply = faultReply(fault, flavour);
    else if (real && fault.truncate) reply = real;
    else if (fault.afterCommit || fault.truncate) reply = faultReply(fault, flavour);
    else return false;
    if (fault.truncate !== undefined && fault.truncate !== false) {
      log(`${label} -> ${reply.status}, answer cut short (fault)`);
      writeTruncated(req, res, reply, fault.truncate);
    } else {
      writeReply(res, reply);
    }
    return true;
  }

  /** Whether a fault acts on the endpoint's real answer, so the request is served first. */
  function actsAfterWork(fault, key) {
    if (!fault) return false;
    if (key === 'submit') return Boolean(fault.afterCommit);
    // A cut-off answer of a read-only endpoint (or of a stored upload) is its real answer, cut.
    return (
      Boolean(fault.truncate) &&
      fault.status === undefined &&
      fault.body === undefined &&
      fault.message === undefined &&
      !fault.malformed &&
      !fault.gatewayPage &&
      !fault.reset
    );
  }

  /** A 200 (or `status`) answer that is not the JSON the endpoint documents. */
  function malformedReply(kind, status) {
    const bodies = {
      'not-json': ['application/json', 'Service temporarily overloaded, please try again'],
      null: ['application/json', 'null'],
      'empty-object': ['application/json', '{}'],
      'empty-array': ['application/json', '[]'],
      html:
        // A login or bot-check page served by something in front of the API, with status 200.
        [
          'text/html; charset=utf-8',
          '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><h1>Checking your browser</h1><script>var x = 1;</script></body></html>',
        ],
    };
    const entry = bodies[kind];
    if (!entry) throw new Error(`Unknown malformed answer kind: ${kind}`);
    return { status, headers: { 'content-type': entry[0] }, body: Buffer.from(entry[1]) };
  }

  /** The HTML error page a gateway (nginx, a load balancer) serves when the API behind it is down. */
  function gatewayReply(status, retryAfter) {
    const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
    const headers = { 'content-type': 'text/html' };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    return {
      status,
      headers,
      body: Buffer.from(
        `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
      ),
    };
  }

  /**
   * Writes `reply` cut short: the headers promise the whole body (Content-Length), only part of
   * it is sent, then the connection is destroyed, as a proxy or load balancer that drops a
   * connection does. `keep` is how many body bytes get through (true: a third). An empty body
   * is replaced by a short text to cut; a HEAD answer, which has no body, is cut in its headers.
   */
  function writeTruncated(req, res, reply, keep) {
    if (res.destroyed || res.headersSent) return;
    const socket = res.socket;
    if (req.method === 'HEAD') {
      socket.end(`HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status] ?? ''}\r\nContent-Ty`);
      socket.destroySoon();
      return;
    }
    let body = reply.body ?? Buffer.alloc(0);
    const headers = { ...reply.headers };
    if (body.length < 2) {
      body = Buffer.from(JSON.stringify({ message: 'An answer that will not arrive whole.' }));
      headers['content-type'] = 'application/json';
    }
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-length') delete headers[name];
    }
    headers['content-length'] = String(body.length);
    const sent =
      typeof keep === 'number'
        ? Math.max(0, Math.min(keep, body.length - 1))
        : Math.max(1, Math.floor(body.length / 3));
    res.writeHead(reply.status, headers);
    res.write(body.subarray(0, sent), () => socket.destroy());
  }

  // ----- HTTP plumbing ------------------------------------------------------------------------

  function writeReply(res, reply) {
    if (res.destroyed || res.headersSent) return;
    const headers = { ...reply.headers };
    const body = reply.body ?? Buffer.alloc(0);
    if (reply.chunked) {
      res.writeHead(reply.status, headers);
      if (body.length > 0) res.write(body);
      res.end();
      return;
    }
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(body.length);
    }
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  /** Wraps a server's router: read, record, route, and never let a bug hang the client. */
  function handler(server, cap, flavour, route, early = () => null) {
    return async (req, res) => {
      const pathname = (req.url ?? '').split('?')[0];
      // Paths only: query strings of pre-signed URLs are credentials and stay out of logs.
      const label = `${server} ${req.method} ${pathname}`;
      res.on('finish', () => log(`${label} -> ${res.statusCode}`));
      // Recorded on arrival, so the order is the order requests came in, even if one is aborted.
      const record = {
        server,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        body: Buffer.alloc(0),
      };
      requests.push(record);
      const earlyReply = early(req);
      if (earlyReply) writeReply(res, earlyReply);
      let read;
      try {
        read = await readBody(req, cap);
      } catch {
        return;
      }
      record.body = read.body;
      if (earlyReply) return;
      if (read.over) {
        const message = `Request body of ${read.size} bytes exceeds the ${cap}-byte limit`;
        writeReply(
          res,
          flavour === 'xml'
            ? xmlReply(413, 'RequestEntityTooLarge', message)
            : messageReply(413, message),
        );
        return;
      }
      try {
        await route(req, res, read.body, label);
      } catch (err) {
        writeReply(
          res,
          flavour === 'xml'
            ? xmlReply(500, 'InternalError', String(err?.stack ?? err))
            : messageReply(500, `Simulator error: ${err?.stack ?? err}`),
        );
      }
    };
  }

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
    const headers = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      etag: `"${crypto.createHash('md5').update(`${job.finetune_id}:${file.size}`).digest('hex')}"`,
      'last-modified': new Date(job.updated_ts).toUTCString(),
    };
    const range = fault?.ignoreRange ? null : parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      const reply = xmlReply(416, 'InvalidRange', 'The requested range is not satisfiable', {
        RangeRequested: req.headers.range,
        ActualObjectSize: file.size,
      });
      writeReply(res, {
        ...reply,
        headers: { ...reply.headers, 'content-range': `bytes */${file.size}` },
      });
      return;
    }
    const start = range ? range.start : 0;
    const end = range ? range.end : file.size;
    if (range) headers['content-range'] = `bytes ${start}-${end - 1}/${file.size}`;
    headers['content-length'] = String(end - start);
    res.writeHead(range ? 206 : 200, headers);
    const cut = fault?.resetAfterBytes ?? fault?.stallAfterBytes;
    let sent = 0;
    for (const chunk of file.chunks(start, end)) {
      if (res.destroyed || closed) return;
      const piece =
        cut !== undefined && sent + chunk.length >= cut ? chunk.subarray(0, cut - sent) : chunk;
      sent += piece.length;
      if (cut !== undefined && sent >= cut) {
        // What was written reaches the client; then the connection drops, or goes silent.
        await new Promise((resolve) => res.write(piece, () => resolve()));
        if (fault.stallAfterBytes !== undefined) {
          log(`${label} -> stalled after ${sent} bytes of the body (fault)`);
          return;
        }
        log(`${label} -> connection dropped after ${sent} bytes of the body (fault)`);
        req.socket.destroy();
        return;
      }
      if (!res.write(piece)) {
        await new Promise((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    res.end();
  }

  /**
   * S3 refuses an oversized upload from its Content-Length, before the body: answering early
   * spares the client (and the tests) the transfer of 100 MB that would be thrown away. The body
   * is still drained, not cut off, so that the client reads this answer instead of a reset.
   */
  function storageEarly(req) {
    if (req.method !== 'PUT' || (faults.get('upload')?.length ?? 0) > 0) return null;
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

  function listen(server, port) {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address().port);
      });
    });
  }

  let ports;
  try {
    ports = [
      await listen(apiServer, options.port ?? 0),
      await listen(storageServer, 0),
      await listen(publicServer, 0),
    ];
  } catch (err) {
    for (const server of servers) if (server.listening) server.close();
    throw err;
  }
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
      if (!faults.has(endpoint)) {
        throw new Error(
          `Unknown endpoint key ${describe(endpoint)}; one of ${ENDPOINT_KEYS.join(', ')}`,
        );
      }
      const times = fault.times ?? 1;
      if (times > 0) faults.get(endpoint).push({ fault: { ...fault }, remaining: times });
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
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--port') out.port = Number(value());
    else if (arg === '--api-key') out.apiKey = value();
    else if (arg === '--host') out.host = value();
    else if (arg === '--polls-per-status') out.pollsPerStatus = Number(value());
    else if (arg === '--submit-id-field') out.submitIdField = value();
    else if (arg === '--model-bytes') out.modelBytes = Number(value());
    else if (arg === '--verbose')
      out.log = (line) => process.stderr.write(`[segmind-sim] ${line}\n`);
    else throw new Error(`Unknown argument ${arg}`);
  }
  if (
    out.port !== undefined &&
    !(Number.isInteger(out.port) && out.port >= 0 && out.port < 65536)
  ) {
    throw new Error('--port must be an integer from 0 to 65535');
  }
  if (
    out.modelBytes !== undefined &&
    !(Number.isSafeInteger(out.modelBytes) && out.modelBytes >= 0)
  ) {
    throw new Error('--model-bytes must be a whole number of bytes');
  }
  return out;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `${err.message}\nusage: segmind-simulator.js [--port N] [--api-key K] [--host H] [--polls-per-status N] [--submit-id-field request_id] [--model-bytes N] [--verbose]\n`,
    );
    process.exit(2);
  }
  const sim = await startSimulator(options);
  process.stdout.write(
    `${JSON.stringify({ url: sim.url, storageUrl: sim.storageUrl, publicUrl: sim.publicUrl })}\n`,
  );
  const stop = () => {
    sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
