/**
 * What the simulators (Segmind's, fal's, Replicate's) share: small HTTP helpers, a strict ZIP
 * reader, generated model files, and the fault injection that models the network and the
 * gateways in front of a service (delays, resets, answers cut short, malformed or gateway
 * pages, a job created and its answer lost). Node built-ins only: `npm run demo` must work on a
 * fresh clone with nothing installed.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

/** Timestamps without milliseconds, the way the documented records show them. */
export function isoNow() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Error messages quote what was sent, but short: a 1 MB prompt must not flood a test log. */
export function describe(value) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Only the media type counts; `application/json; charset=utf-8` is still JSON. */
export function mediaType(header) {
  return String(header ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

export function xmlEscape(text) {
  return String(text).replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c],
  );
}

export function randomAlnum(length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = crypto.randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** A reply is computed first and written later, so a fault can replace it after the fact. */
export function jsonReply(status, value, headers = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

/** S3 speaks XML errors; a client that parses them (or shows them) must cope with that. */
export function xmlReply(status, code, message, extra = {}) {
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
export function readBody(req, cap) {
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

export function parseJsonBody(body) {
  if (body.length === 0) return { ok: false, message: 'Request body is required (JSON)' };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (err) {
    return { ok: false, message: `Request body is not valid JSON: ${err.message}` };
  }
}

/**
 * A multipart/form-data reader, strict enough to catch a client that builds the form by hand and
 * gets the framing wrong (missing CRLFs, no closing delimiter, no field name). Each part keeps
 * its bytes, its file name and its Content-Type (a file upload's).
 * @returns {Map<string, { data: Buffer, filename?: string, contentType?: string }>}
 */
export function parseMultipartParts(body, contentType) {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(contentType ?? ''));
  if (!match) throw new Error('multipart/form-data without a boundary parameter');
  const boundary = match[1] ?? match[2];
  const delimiter = Buffer.from(`--${boundary}`);
  const partEnd = Buffer.from(`\r\n--${boundary}`);
  const parts = new Map();
  // Anything before the first delimiter is preamble, which the format allows and ignores.
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart body does not contain its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing delimiter "--"
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
    if (parts.has(name)) throw new Error(`form field "${name}" is given more than once`);
    const type = headerLines.find((line) => /^content-type:/i.test(line));
    parts.set(name, {
      data: body.subarray(headerEnd + 4, next),
      filename: /;\s*filename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: type?.replace(/^content-type:\s*/i, '').trim(),
    });
    pos = next + 2;
  }
}

/**
 * The fields of a multipart/form-data body as text (see parseMultipartParts).
 * @returns {Map<string, string>}
 */
export function parseMultipart(body, contentType) {
  const fields = new Map();
  for (const [name, part] of parseMultipartParts(body, contentType)) {
    fields.set(name, part.data.toString('utf8'));
  }
  return fields;
}

/** A JSON answer of the plain `{"message": ...}` kind. */
export function messageReply(status, message) {
  return jsonReply(status, { message });
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
export const DEFAULT_MODEL_BYTES = 65_536;
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
// Faults and plumbing
// ---------------------------------------------------------------------------------------------

/**
 * A simulator's fault queue and HTTP plumbing. `endpointKeys` names the endpoints faults can be
 * injected into; `commitKeys` are those whose `afterCommit` fault does the work first (a submit
 * creates its job) and loses the answer after; `errorBody` is the service's JSON error shape
 * (`{message}` for Segmind, `{detail}` for fal, problem+json for Replicate), served as
 * `errorType`. `isClosed` says when the simulator is closing, so nothing answers after.
 */
export function createKit({
  log,
  requests,
  endpointKeys,
  commitKeys = ['submit'],
  errorBody = (message) => ({ message }),
  errorType = 'application/json',
  isClosed,
}) {
  const faults = new Map(endpointKeys.map((key) => [key, []]));
  const timers = new Set();

  /** The service's JSON error answer. */
  function jsonError(status, message, headers = {}) {
    return {
      status,
      headers: { 'content-type': errorType, ...headers },
      body: Buffer.from(JSON.stringify(errorBody(message, status))),
    };
  }

  function sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function takeFault(key) {
    const queue = faults.get(key);
    const entry = queue?.[0];
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) queue.shift();
    return entry.fault;
  }

  function faultReply(fault, flavour) {
    // A fault's own headers (fal's x-fal-request-id on an answer that still names the request).
    const headers = { ...fault.headers };
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
    return jsonError(status, fault.message ?? `Simulated fault (HTTP ${status})`, headers);
  }

  /**
   * Runs a fault: waits, then hangs up or answers (whole, malformed, or cut short). Returns false
   * when the fault was a pure delay and the request should now be served normally. `real` is the
   * endpoint's own reply when the fault comes after the work was done (afterCommit, or a
   * truncation of the real answer): then the job, the upload, exists.
   */
  async function runFault(fault, req, res, flavour, label, real = null) {
    if (fault.delayMs) await sleep(fault.delayMs);
    if (isClosed()) return true;
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
    if (commitKeys.includes(key)) return Boolean(fault.afterCommit);
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
            : jsonError(413, message),
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
            : jsonError(500, `Simulator error: ${err?.stack ?? err}`),
        );
      }
    };
  }

  /**
   * Serves a (generated) file as a storage host serves an object: streamed, `Range` honoured
   * (206 with Content-Range, 416 when nothing of the file is in it, answered with
   * `unsatisfiable(size)`), Accept-Ranges, the caller's headers (content type, ETag). A fault may
   * make it `ignoreRange` (a whole 200 to a Range request), drop the connection after
   * `resetAfterBytes` bytes of the body, or go silent after `stallAfterBytes`.
   */
  async function serveFile(req, res, label, file, { headers = {}, fault = null, unsatisfiable }) {
    const all = { 'accept-ranges': 'bytes', ...headers };
    const range = fault?.ignoreRange ? null : parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      const reply = unsatisfiable(file.size);
      writeReply(res, {
        ...reply,
        headers: { ...reply.headers, 'content-range': `bytes */${file.size}` },
      });
      return;
    }
    const start = range ? range.start : 0;
    const end = range ? range.end : file.size;
    if (range) all['content-range'] = `bytes ${start}-${end - 1}/${file.size}`;
    all['content-length'] = String(end - start);
    res.writeHead(range ? 206 : 200, all);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const cut = fault?.resetAfterBytes ?? fault?.stallAfterBytes;
    let sent = 0;
    for (const chunk of file.chunks(start, end)) {
      if (res.destroyed || isClosed()) return;
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

  function injectFault(endpoint, fault) {
    if (!faults.has(endpoint)) {
      throw new Error(
        `Unknown endpoint key ${describe(endpoint)}; one of ${endpointKeys.join(', ')}`,
      );
    }
    const times = fault.times ?? 1;
    if (times > 0) faults.get(endpoint).push({ fault: { ...fault }, remaining: times });
  }

  /** Whether faults are waiting for `key`. */
  function faultsPending(key) {
    return (faults.get(key)?.length ?? 0) > 0;
  }

  function clearTimers() {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  }

  return {
    sleep,
    takeFault,
    injectFault,
    faultsPending,
    runFault,
    actsAfterWork,
    writeReply,
    writeTruncated,
    handler,
    jsonError,
    serveFile,
    clearTimers,
  };
}

// ---------------------------------------------------------------------------------------------
// Servers, and running a simulator from the command line
// ---------------------------------------------------------------------------------------------

/**
 * Starts `servers` on `host`, the first on `port` (0: any free one), the others on any free port;
 * resolves with their ports. Should one fail to start, those started are closed again.
 */
export async function listenAll(servers, host, port = 0) {
  const listen = (server, at) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, host, () => {
        server.off('error', reject);
        resolve(server.address().port);
      });
    });
  const ports = [];
  try {
    for (const [i, server] of servers.entries())
      ports.push(await listen(server, i === 0 ? port : 0));
  } catch (err) {
    for (const server of servers) if (server.listening) server.close();
    throw err;
  }
  return ports;
}

/** Closes `servers` and every connection still open to them. */
export function closeAll(servers) {
  return Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}

/**
 * A simulator's command-line flags: `--port`, `--host`, `--api-key`, `--polls-per-status`,
 * `--model-bytes`, `--verbose` (its log on stderr, each line prefixed with `[name]`), and the
 * simulator's own (`more`: flag -> option name, taking a string). Throws on anything else.
 */
export function parseFlags(argv, name, more = {}) {
  const strings = { '--api-key': 'apiKey', '--host': 'host', ...more };
  const numbers = {
    '--port': 'port',
    '--polls-per-status': 'pollsPerStatus',
    '--model-bytes': 'modelBytes',
  };
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg in strings) out[strings[arg]] = value();
    else if (arg in numbers) out[numbers[arg]] = Number(value());
    else if (arg === '--verbose') out.log = (line) => process.stderr.write(`[${name}] ${line}\n`);
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

/**
 * Runs a simulator as a program when `moduleUrl` is the script Node was started with: parses the
 * arguments (`parse` throws on a bad one, and the usage is printed), starts it, prints its URLs
 * as one JSON line (`urls(sim)`), and closes it on SIGINT or SIGTERM.
 */
export function runAsProgram(moduleUrl, { parse, start, urls, usage }) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const main = async () => {
    let options;
    try {
      options = parse(process.argv.slice(2));
    } catch (err) {
      process.stderr.write(`${err.message}\nusage: ${usage}\n`);
      process.exit(2);
    }
    const sim = await start(options);
    process.stdout.write(`${JSON.stringify(urls(sim))}\n`);
    const stop = () => {
      sim.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  };
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
