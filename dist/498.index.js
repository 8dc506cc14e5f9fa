export const id = 498;
export const ids = [498];
export const modules = {

/***/ 7498:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkTarget: () => (/* binding */ checkTarget),
  downloadFile: () => (/* binding */ downloadFile),
  partFileName: () => (/* binding */ partFileName),
  removeEmptyFolders: () => (/* binding */ removeEmptyFolders)
});

// UNUSED EXPORTS: PartFile, parseContentRange

// EXTERNAL MODULE: ./src/shared/log.ts
var log = __webpack_require__(1827);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/shared/cancellation.ts
var cancellation = __webpack_require__(1010);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
// EXTERNAL MODULE: ./src/http/send.ts
var send = __webpack_require__(5616);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
var external_node_net_default = /*#__PURE__*/__webpack_require__.n(external_node_net_);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
// EXTERNAL MODULE: ./node_modules/http-parser-js/http-parser.js
var http_parser = __webpack_require__(9460);
;// CONCATENATED MODULE: ./src/http/receive.ts





/**
 * The one buffer a direct connection reads into. TLS hands over one record, at most 16 KiB, at a
 * time: a buffer of that size is filled whole by a full record and handed on as it is, where a
 * larger one needed a view of its first 16 KiB made for every record (1.5 MB of garbage per
 * 300 MB, whose collections grew the peak RSS; docs/performance.md).
 */
const READ_BUFFER_BYTES = 16 * 1024;
/** Status line and headers, and any single line of chunked framing, are cut off beyond this. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Interim (1xx) answers skipped before the final one; a host sending them without end fails. */
const MAX_INTERIM_ANSWERS = 10;
/** One GET; resolves when the answer's headers arrived. */
async function receive(call) {
    const signal = call.signal ?? cancellation/* cancelSignal */.Bj;
    if (signal.aborted)
        throw signal.reason;
    const url = new URL(call.url);
    const head = requestHead(call, url);
    if ((0,send/* proxyFor */.iJ)(call.url)) {
        (0,send/* announceProxy */._v)(call.url);
        return viaToolkit(call);
    }
    return direct(call, url, head, signal);
}
/** The request as sent on a direct connection; refuses a header that could split it. */
function requestHead(call, url) {
    const headers = {
        host: url.host,
        'user-agent': send/* USER_AGENT */._O,
        accept: '*/*',
        connection: 'close',
    };
    for (const [name, value] of Object.entries(call.headers ?? {})) {
        headers[name.toLowerCase()] = value;
    }
    let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(headers)) {
        // eslint-disable-next-line no-control-regex
        if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name) || /[\u0000\r\n]/.test(value)) {
            throw new TypeError(`the header ${JSON.stringify(name)} is not one HTTP can carry`);
        }
        head += `${name}: ${value}\r\n`;
    }
    return `${head}\r\n`;
}
function headerMap(flat) {
    const out = {};
    for (let i = 0; i + 1 < flat.length; i += 2) {
        const name = flat[i].toLowerCase();
        const value = flat[i + 1].trim();
        out[name] = name in out ? `${out[name]}, ${value}` : value;
    }
    return out;
}
function direct(call, url, head, signal) {
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port ? Number(url.port) : secure ? 443 : 80;
    const httpCall = { ...call, method: 'GET' };
    const parser = new http_parser/* HTTPParser */.e(http_parser/* HTTPParser */.e.RESPONSE);
    parser.maxHeaderSize = MAX_HEADER_BYTES;
    let failure;
    let connected = false;
    let headersDone = false;
    /** Between the headers and the end of a 1xx answer, which is skipped. */
    let interim = false;
    let interims = 0;
    let complete = false;
    let framed = true;
    let status = 0;
    let headers = {};
    let received = 0;
    let promised;
    /** Body bytes are counted against `promised` without the parser (see onread). */
    let sized = false;
    let onPiece;
    let paused = false;
    const early = [];
    let atHeaders;
    let atEnd;
    const untrack = (0,send/* trackInFlight */.li)(call.what);
    const onAbort = () => fail(signal.reason);
    let finished = false;
    const finish = () => {
        if (finished)
            return;
        finished = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        untrack();
    };
    const fail = (why) => {
        if (failure !== undefined || complete)
            return;
        failure = why instanceof cancellation/* CancelledError */.cc ? why : (0,send/* transportError */.WQ)(httpCall, why);
        finish();
        socket.destroy();
        atHeaders?.reject(failure);
        atEnd?.reject(failure);
    };
    const done = () => {
        if (failure !== undefined || complete)
            return;
        complete = true;
        finish();
        socket.destroy();
        atEnd?.resolve({ framed });
    };
    const timer = setTimeout(() => {
        const stage = !connected
            ? ' while connecting'
            : headersDone
                ? ' while reading the answer'
                : ' while waiting for the answer';
        fail((0,send/* idleTimeout */.QG)(call.timeoutMs, stage, headersDone, !connected));
    }, call.timeoutMs);
    parser[http_parser/* HTTPParser */.e.kOnHeadersComplete] = (info) => {
        if (failure !== undefined)
            return 2;
        if (info.statusCode === 101) {
            // Nothing asked to switch protocols: what follows is not HTTP this side can read.
            fail(new send/* Interrupted */.Cw('the answer switched protocols (HTTP 101), which was not asked for', true));
            return 2;
        }
        if (info.statusCode < 200) {
            // An interim answer (100 Continue, 103 Early Hints): the final one follows on the same
            // connection, and the parser reads it once this one is skipped as bodyless.
            if (++interims > MAX_INTERIM_ANSWERS) {
                fail(new send/* Interrupted */.Cw(`more than ${MAX_INTERIM_ANSWERS} interim (1xx) answers`, true));
                return 2;
            }
            interim = true;
            return 1;
        }
        headersDone = true;
        status = info.statusCode;
        headers = headerMap(info.headers);
        const chunked = /(^|,)\s*chunked\s*$/i.test(String(headers['transfer-encoding'] ?? ''));
        const lengths = String(headers['content-length'] ?? '')
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean);
        if (!chunked && lengths.length > 0) {
            // One length, in digits: anything else would let the two ends disagree on the body's end.
            if (!lengths.every((v) => /^\d+$/.test(v) && v === lengths[0])) {
                fail(new send/* Interrupted */.Cw(`the answer's Content-Length is not one number (${lengths[0]})`, true));
                return 2;
            }
            promised = Number(lengths[0]);
        }
        framed = chunked || promised !== undefined;
        // 204 and 304 have no body whatever their headers say (RFC 9112, 6.3); the parser would
        // otherwise wait for the bytes a Content-Length promised.
        const bodyless = status === 204 || status === 304;
        sized = !bodyless && !chunked && promised !== undefined;
        atHeaders?.resolve(receiving);
        return bodyless ? 1 : 0;
    };
    parser[http_parser/* HTTPParser */.e.kOnBody] = (chunk, offset, length) => {
        if (failure !== undefined || complete || length <= 0)
            return;
        const piece = offset === 0 && length === chunk.length ? chunk : chunk.subarray(offset, offset + length);
        received += length;
        if (onPiece) {
            if (!onPiece(piece))
                paused = true;
        }
        else
            early.push(Buffer.from(piece));
    };
    parser[http_parser/* HTTPParser */.e.kOnMessageComplete] = () => {
        if (interim) {
            interim = false;
            return;
        }
        if (!headersDone)
            return;
        if (onPiece)
            done();
        else
            complete = true; // read() resolves at once
    };
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const onread = {
        buffer,
        callback: (n) => {
            timer.refresh();
            if (failure !== undefined || complete)
                return false;
            // Past the headers of an answer with a Content-Length, there is nothing left to parse: the
            // bytes are the body's, up to the length. Counting them here keeps the parser, a large
            // function, off the hot path (V8 optimising it cost the download about 5 MB of peak RSS).
            if (sized) {
                const length = Math.min(n, promised - received);
                const piece = length === buffer.length ? buffer : buffer.subarray(0, length);
                received += length;
                if (onPiece) {
                    if (!onPiece(piece))
                        paused = true;
                }
                else
                    early.push(Buffer.from(piece));
                if (received === promised) {
                    if (onPiece)
                        done();
                    else
                        complete = true; // read() resolves at once
                    return false;
                }
                return onPiece !== undefined && !paused;
            }
            const result = parser.execute(buffer, 0, n);
            if (result instanceof Error) {
                fail(new send/* Interrupted */.Cw(`the answer is not valid HTTP (${result.message})`, headersDone));
                return false;
            }
            // A line of chunked framing has no size limit of its own in the parser.
            if ((parser.line?.length ?? 0) > MAX_HEADER_BYTES) {
                fail(new send/* Interrupted */.Cw('the answer has a line of chunked framing longer than 64 KiB', true));
                return false;
            }
            if (complete) {
                if (onPiece)
                    done();
                return false;
            }
            // Until the caller reads, the body waits in the socket (what came with the headers is kept).
            return headersDone ? onPiece !== undefined && !paused : true;
        },
    };
    const options = { host, port, onread };
    const socket = secure
        ? external_node_tls_default().connect({
            ...options,
            servername: external_node_net_default().isIP(host) ? undefined : host,
            ALPNProtocols: ['http/1.1'],
        })
        : external_node_net_default().connect(options);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
        connected = true;
        timer.refresh();
    });
    socket.on('error', (error) => fail(error));
    const onEnd = () => {
        if (failure !== undefined || complete)
            return;
        if (!headersDone) {
            fail(new send/* Interrupted */.Cw('the connection closed without an answer'));
            return;
        }
        // Only a body without Content-Length or chunked framing may end with the connection.
        const result = parser.finish();
        if (result instanceof Error || !complete)
            fail((0,send/* cutShort */.VV)(received, promised));
        else if (onPiece)
            done();
    };
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.setNoDelay(true);
    socket.write(head);
    signal.addEventListener('abort', onAbort, { once: true });
    const receiving = {
        get status() {
            return status;
        },
        get headers() {
            return headers;
        },
        read(consumer) {
            return new Promise((resolve, reject) => {
                if (failure !== undefined) {
                    reject(failure);
                    return;
                }
                atEnd = { resolve, reject };
                for (const piece of early.splice(0))
                    if (!consumer(piece))
                        paused = true;
                onPiece = consumer;
                if (complete) {
                    complete = false;
                    done();
                }
                else if (!paused)
                    socket.resume();
            });
        },
        resume() {
            if (!paused)
                return;
            paused = false;
            if (failure === undefined && !complete)
                socket.resume();
        },
        async text(max) {
            const pieces = [];
            let size = 0;
            await receiving
                .read((piece) => {
                if (size < max)
                    pieces.push(Buffer.from(piece.subarray(0, max - size)));
                size += piece.length;
                if (size >= max)
                    receiving.close();
                return true;
            })
                .catch(() => undefined);
            return Buffer.concat(pieces).toString('utf8');
        },
        close() {
            if (failure === undefined && !complete) {
                failure = new send/* Interrupted */.Cw('the reader stopped before the end of the answer', true);
                atEnd?.resolve({ framed });
            }
            finish();
            socket.destroy();
        },
    };
    return new Promise((resolve, reject) => {
        if (failure !== undefined)
            reject(failure);
        else
            atHeaders = { resolve, reject };
    });
}
/** Through a proxy: the toolkit's agent carries the request (CONNECT tunnels), as for send(). */
async function viaToolkit(call) {
    const httpCall = { ...call, method: 'GET' };
    const answer = await (0,send/* sendStreaming */.xw)(httpCall);
    const { body } = answer;
    const chunked = /chunked/i.test(String(answer.headers['transfer-encoding'] ?? ''));
    const framed = chunked || answer.headers['content-length'] !== undefined;
    // Listened to from the start: the body can fail (a cut, the idle timeout, a cancellation)
    // before read() is called, while the caller is still busy with its disk, and an 'error' event
    // nobody listens to ends the process. read() then rejects with what happened.
    let failure;
    body.on('error', (error) => {
        failure ??= (0,send/* transportError */.WQ)(httpCall, error);
    });
    const receiving = {
        status: answer.status,
        headers: answer.headers,
        read(onPiece) {
            return new Promise((resolve, reject) => {
                // `errored` is set as the stream is destroyed, its 'error' event only on the next tick.
                const before = failure ?? body.errored;
                if (before) {
                    reject((0,send/* transportError */.WQ)(httpCall, before));
                    return;
                }
                // Closed by close(): as on a direct connection, the read ends there.
                if (body.closed) {
                    resolve({ framed });
                    return;
                }
                body.on('data', (chunk) => {
                    if (!onPiece(chunk))
                        body.pause();
                });
                body.once('end', () => resolve({ framed }));
                body.once('error', () => reject(failure));
                body.once('close', () => {
                    if (!body.readableEnded)
                        resolve({ framed });
                });
            });
        },
        resume() {
            body.resume();
        },
        async text(max) {
            const pieces = [];
            let size = 0;
            try {
                for await (const chunk of body) {
                    pieces.push(chunk);
                    size += chunk.length;
                    if (size >= max)
                        break;
                }
            }
            catch {
                // an error body cut short is still worth what arrived
            }
            finally {
                body.destroy();
            }
            return Buffer.concat(pieces).subarray(0, max).toString('utf8');
        },
        close() {
            body.destroy();
        },
    };
    return receiving;
}

// EXTERNAL MODULE: ./src/http/retry.ts
var http_retry = __webpack_require__(8902);
// EXTERNAL MODULE: ./src/shared/secrets.ts
var secrets = __webpack_require__(3260);
// EXTERNAL MODULE: ./src/shared/urls.ts
var urls = __webpack_require__(3047);
// EXTERNAL MODULE: ./src/transfer/storage.ts
var storage = __webpack_require__(2910);
// EXTERNAL MODULE: ./src/shared/format.ts
var format = __webpack_require__(6338);
// EXTERNAL MODULE: ./src/transfer/progress.ts
var progress = __webpack_require__(484);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
;// CONCATENATED MODULE: ./src/transfer/tar-model.ts
/**
 * The model out of a tar (Replicate hands its trained weights out as a tar archive): the body is
 * read through tar-stream's extractor as it arrives, and the one `.safetensors` member, not the
 * archive, goes to the part file; the archive itself is never stored. Resuming needs nothing
 * special: the extractor keeps its place, and the bytes of the resumed answer carry on from the
 * archive's offset. docs/download.md says why tar-stream.
 */


/** Names kept for the message of an archive without exactly one model. */
const NAMES_SHOWN = 12;
const KINDS = {
    file: 'file',
    'contiguous-file': 'file',
    directory: 'folder',
    symlink: 'symbolic link',
    link: 'hard link',
    'block-device': 'device',
    'character-device': 'device',
    fifo: 'named pipe',
};
class TarModel {
    part;
    cap;
    provider;
    exact;
    /** Called when the extractor takes pieces again after `take` returned false. */
    onRoom = () => undefined;
    /** Rejects with the ActionError that ends the download (a bad archive); never resolves. */
    failed;
    rejectFailed = () => undefined;
    extractor;
    finished;
    found = [];
    entries = 0;
    model;
    error;
    /** `cap`: the most the model file may have (the provider's size, or the download's bound). */
    constructor(part, cap, provider, exact = false) {
        this.part = part;
        this.cap = cap;
        this.provider = provider;
        this.exact = exact;
        this.failed = new Promise((_resolve, reject) => {
            this.rejectFailed = reject;
        });
        this.failed.catch(() => undefined);
        this.start();
    }
    /** Takes a piece of the archive (copied: the caller's buffer is reused); false: wait for onRoom. */
    take(piece) {
        if (this.error)
            return false;
        return this.extractor.write(Buffer.from(piece));
    }
    /** The archive's bytes are all here: waits for the model to be taken whole. */
    async end() {
        // streamx types want an argument; none ends the stream as Node's end() does.
        this.extractor.end(undefined);
        await Promise.race([this.failed, this.finished]);
        if (!this.model) {
            this.fail(`holds no .safetensors file (${this.describeFound()})`);
            await this.failed;
        }
    }
    /** Starts reading the archive from its first byte again (the part file is emptied apart). */
    restart() {
        this.extractor.destroy();
        this.start();
    }
    start() {
        const extractor = (0,tar_stream.extract)();
        this.extractor = extractor;
        this.found = [];
        this.entries = 0;
        this.model = undefined;
        extractor.on('entry', (header, stream, next) => this.entry(header, stream, next));
        extractor.on('drain', () => this.onRoom());
        // Never rejects: an error of the extractor is said by `failed`.
        this.finished = new Promise((resolve) => {
            extractor.once('finish', resolve);
            // `on`, not `once`: a stream that ends in error may say so more than once.
            extractor.on('error', (error) => {
                if (this.extractor === extractor)
                    this.fail(`is not a readable tar archive (${error.message})`);
            });
        });
    }
    entry(header, stream, next) {
        const name = header.name;
        const kind = KINDS[header.type] ?? header.type;
        this.entries++;
        if (this.found.length < NAMES_SHOWN)
            this.found.push(`${name} (${kind})`);
        stream.on('end', () => next());
        // An entry cut off with the archive errors too; the extractor's error says what happened.
        stream.on('error', () => undefined);
        if (!/\.safetensors$/i.test(name.replace(/\/+$/, ''))) {
            stream.resume();
            return;
        }
        if (kind !== 'file') {
            this.fail(`has ${name} as a ${kind}, where the model must be a file`);
            return;
        }
        if (this.model) {
            this.fail(`holds more than one .safetensors file (${this.model} and ${name}), so which is the model is not clear`);
            return;
        }
        if (header.size > this.cap || (this.exact && header.size !== this.cap)) {
            this.fail(`has ${name} of ${header.size} bytes, where ${this.exact ? `${this.provider} said the model has ${this.cap}` : `a download may have at most ${this.cap}`}`);
            return;
        }
        this.model = name;
        stream.on('data', (chunk) => {
            if (!this.part.take(chunk)) {
                stream.pause();
                this.part.onRoom = () => stream.resume();
            }
        });
    }
    describeFound() {
        if (this.entries === 0)
            return 'it is empty';
        const more = this.entries - this.found.length;
        return `it has ${this.found.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    }
    fail(problem, hint) {
        if (this.error)
            return;
        this.error = new errors/* ActionError */.l(`The model archive from ${this.provider} ${problem}.`, hint ??
            `Nothing was written. Re-run the job; if it persists, contact ${this.provider} support with this message.`);
        this.rejectFailed(this.error);
        this.extractor.destroy();
    }
}

;// CONCATENATED MODULE: ./src/transfer/download.ts
















/**
 * The most a download may bring when the provider gives no size: far above any LoRA (tens to
 * hundreds of MB) and a full FLUX checkpoint (about 24 GB), far below what a storage host that
 * sends without end would fill a runner's disk with. docs/security.md says why.
 */
const DEFAULT_MAX_BYTES = 50_000_000_000;
// ---------------------------------------------------------------------------------------------
// The target: inside the workspace, whatever links lie on the way
// ---------------------------------------------------------------------------------------------
const INPUT_HINT = 'Set `download-model` to a file path inside the workspace, such as `models/model.safetensors`.';
function targetError(relative, problem, input) {
    return new errors/* ActionError */.l(`Input \`${input}\` is "${relative}": ${problem}.`, input === 'download-model'
        ? INPUT_HINT
        : `Set \`${input}\` to a file path inside the workspace, such as \`build/dataset.zip\`.`);
}
function isInside(root, candidate) {
    return (candidate === root || candidate.startsWith(root.endsWith(external_node_path_.sep) ? root : root + external_node_path_.sep));
}
/** Folders no download may land in, whatever links lead there: Git's own and the workflows'. */
const GUARDED = new Set(['.git', '.github']);
/** The guarded folder `real` (inside `root`) lies in, if any. */
function guardedPart(root, real) {
    return external_node_path_.relative(root, real)
        .split(external_node_path_.sep)
        .find((part) => GUARDED.has(part.toLowerCase()));
}
/** Longest name a file system takes for one path component (ext4, NTFS, APFS: 255). */
const MAX_NAME_BYTES = 255;
/** Longest absolute path Linux takes. */
const MAX_PATH_BYTES = 4095;
/**
 * Checks on disk what the input check cannot: the deepest folder of the target that exists must
 * really lie in the workspace (a folder that is a symbolic link leading out is refused, as a pull
 * request could add one) and outside `.git` and `.github` (a link such as `models -> .git/hooks`
 * would otherwise put the file among Git's hooks), must be a folder, and the target must not be a
 * folder. A target that is itself a symbolic link is fine: the download replaces the link, it
 * never writes through it. Returns the absolute target.
 */
async function checkTarget(workspace, relative, 
/** The input that names the target, for the messages. */
input = 'download-model') {
    const root = await (0,promises_.realpath)(workspace);
    const absolute = external_node_path_.resolve(workspace, relative);
    if (Buffer.byteLength(absolute) > MAX_PATH_BYTES) {
        throw targetError(relative, `inside the workspace that path is ${Buffer.byteLength(absolute)} bytes long, more than the ${MAX_PATH_BYTES} Linux allows; use a shorter one`, input);
    }
    let existing = external_node_path_.dirname(absolute);
    for (;;) {
        try {
            const info = await (0,promises_.lstat)(existing);
            const real = await (0,promises_.realpath)(existing);
            if (!isInside(root, real)) {
                throw targetError(relative, `the folder ${external_node_path_.relative(workspace, existing) || '.'} is a symbolic link leading out of the workspace, and nothing outside it is written`, input);
            }
            const guarded = guardedPart(root, real);
            if (guarded) {
                throw targetError(relative, `the folder ${external_node_path_.relative(workspace, existing) || '.'} leads into \`${guarded}\` (through a symbolic link), and nothing is written there`, input);
            }
            if (!info.isDirectory() && !(info.isSymbolicLink() && (await (0,promises_.lstat)(real)).isDirectory())) {
                throw targetError(relative, `${external_node_path_.relative(workspace, existing)} is a file, so it cannot hold ${input === 'download-model' ? 'the download' : 'the file'}`, input);
            }
            break;
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENAMETOOLONG') {
                throw targetError(relative, 'a name in that path is longer than the file system allows', input);
            }
            if (code !== 'ENOENT')
                throw error;
            if (existing === external_node_path_.dirname(existing))
                throw error;
            existing = external_node_path_.dirname(existing);
        }
    }
    try {
        if ((await (0,promises_.lstat)(absolute)).isDirectory()) {
            throw targetError(relative, 'that is a folder; name the file to write, such as model.safetensors', input);
        }
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
    return absolute;
}
/**
 * The hidden part file beside `absolute`: `.<name>.<random>.part`, the name shortened when the
 * whole would pass the file system's limit on one name.
 */
function partFileName(absolute) {
    const suffix = `.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.part`;
    let base = external_node_path_.basename(absolute);
    while (Buffer.byteLength(`.${base}${suffix}`) > MAX_NAME_BYTES)
        base = base.slice(0, -1);
    return external_node_path_.join(external_node_path_.dirname(absolute), `.${base}${suffix}`);
}
// ---------------------------------------------------------------------------------------------
// The part file: written with back-pressure, hashed as it is taken
// ---------------------------------------------------------------------------------------------
/** Bytes are gathered into buffers of this size and written while the next one fills. */
const WRITE_BUFFER_BYTES = 1 << 20;
/** While no write is under way, this much is written without waiting for a full buffer. */
const IDLE_WRITE_BYTES = 64 * 1024;
/** How many such buffers exist: the download's memory is bounded by these, whatever its size. */
const WRITE_BUFFERS = 4;
/**
 * Where the model's bytes go: the part file and its sha256. `take` copies a piece into a write
 * buffer; a full buffer is hashed, then written by the thread pool while the network fills the
 * next (`hash` has every byte taken once `flush` resolved). When all but one buffer are being
 * written, `take` returns false (read no more) and `onRoom` is called once one is free again. A
 * failed write is kept and thrown by `flush`: a disk that refuses the file fails the download at
 * once, never retried.
 */
class PartFile {
    file;
    /** Bytes taken: every one is in the file and the hash once `flush` resolves. */
    bytes = 0;
    hash = (0,external_node_crypto_.createHash)('sha256');
    onRoom = () => undefined;
    /** Called once when a write fails (flush throws it). */
    onError = () => undefined;
    free = [];
    current;
    fill = 0;
    submitted = 0;
    writing = 0;
    /** Resolved when no write is under way. */
    drained = [];
    error;
    wantsRoom = false;
    constructor(file) {
        this.file = file;
    }
    take(piece) {
        this.bytes += piece.length;
        let offset = 0;
        while (offset < piece.length) {
            if (!this.current) {
                this.current = this.free.pop() ?? Buffer.allocUnsafeSlow(WRITE_BUFFER_BYTES);
                this.fill = 0;
            }
            const n = Math.min(piece.length - offset, this.current.length - this.fill);
            // TypedArray's own set, not Buffer's copy: copy's checks run as JavaScript in Node 20, four
            // more functions for the engine to optimise in a long download (docs/performance.md).
            this.current.set(n === piece.length ? piece : piece.subarray(offset, offset + n), this.fill);
            this.fill += n;
            offset += n;
            // A full buffer is written; so is a part of one while the disk has nothing to do, which
            // keeps the disk busy on a slow link instead of holding a megabyte back.
            if (this.fill === this.current.length ||
                (this.writing === 0 && this.fill >= IDLE_WRITE_BYTES)) {
                this.submit();
            }
        }
        if (this.writing >= WRITE_BUFFERS - 1 || this.error) {
            this.wantsRoom = true;
            return false;
        }
        return true;
    }
    /** Writes what is gathered and waits for every write; throws the first failed write. */
    async flush() {
        if (this.current && this.fill > 0)
            this.submit();
        await this.idle();
        if (this.error)
            throw new WriteError(this.error.message);
    }
    /**
     * Resolves once no write is under way. The writes go to the handle's descriptor, which the
     * handle's close does not wait for: the file is closed only after this, or a write still in
     * the thread pool could land in whatever file reused the descriptor's number.
     */
    async idle() {
        if (this.writing > 0)
            await new Promise((resolve) => this.drained.push(resolve));
    }
    /** Empties the file and the hash: the next bytes are the file's first. */
    async restart() {
        await this.flush();
        await this.file.truncate(0);
        this.hash = (0,external_node_crypto_.createHash)('sha256');
        this.bytes = 0;
        this.submitted = 0;
    }
    submit() {
        const buffer = this.current;
        const length = this.fill;
        const position = this.submitted;
        this.current = undefined;
        this.fill = 0;
        this.submitted += length;
        this.writing++;
        // Hashed here, a buffer at a time, rather than a TLS record (16 KiB) at a time as pieces
        // come: a 300 MB download took 0.93x the time (docs/performance.md).
        this.hash.update(length === buffer.length ? buffer : buffer.subarray(0, length));
        // fs.write with a callback, not the handle's promise: that made about 3 KB of garbage per
        // write, whose collections grew the peak RSS of a long download (docs/performance.md).
        let done = 0;
        const written = (error, bytesWritten = 0) => {
            if (!error) {
                done += bytesWritten;
                if (done < length) {
                    next();
                    return;
                }
            }
            else if (!this.error) {
                this.error = error;
                this.onError();
            }
            this.writing--;
            // Every buffer is kept for the next piece, one made while all were busy included: dropping
            // those made the peak RSS grow with the file (1 MiB of garbage per pause, collected late).
            // Reading pauses once all but one are busy, so there are never more than a few.
            this.free.push(buffer);
            if (this.wantsRoom && this.writing < WRITE_BUFFERS - 1) {
                this.wantsRoom = false;
                this.onRoom();
            }
            if (this.writing === 0)
                for (const resolve of this.drained.splice(0))
                    resolve();
        };
        const next = () => {
            try {
                (0,external_node_fs_.write)(this.file.fd, buffer, done, length - done, position + done, written);
            }
            catch (error) {
                // A handle closed under the write: its error is the write's, said the same way.
                written(error);
            }
        };
        next();
    }
}
class WriteError extends Error {
}
/**
 * Asks the provider for a link to its weights (`source`) and streams the file to a part file beside
 * the target, hashing as it writes: flat memory whatever the size. Network errors and 5xx are
 * retried, resuming with `Range` where the storage host allows it and the answer is the same file
 * (size, ETag, Last-Modified); anything else starts over. A 403 (an expired link) gets one fresh
 * URL when the provider hands out fresh ones. Only a complete file is renamed into place, so an
 * existing target is replaced only then. On any failure or cancellation the part file (and any
 * folder made for it) goes. With `source.tar` the body is a tar and its one `.safetensors` is the
 * model (tar-model.ts). `maxBytes` bounds a download whose size the provider does not give
 * (default DEFAULT_MAX_BYTES).
 */
async function downloadFile(options) {
    const { workspace, relative, source } = options;
    const absolute = await checkTarget(workspace, relative);
    const folder = external_node_path_.dirname(absolute);
    const made = await (0,promises_.mkdir)(folder, { recursive: true });
    const part = partFileName(absolute);
    // Last resort for an exit that skips the finally below (a second signal, the grace timer).
    const onExit = () => {
        try {
            (0,external_node_fs_.unlinkSync)(part);
        }
        catch {
            // gone already
        }
    };
    process.once('exit', onExit);
    let file;
    let written;
    let done = false;
    try {
        // Made just now, after the check: what exists must still be inside the workspace.
        await checkTarget(workspace, relative);
        // 'wx': never opens what is already there (a planted link included).
        file = await (0,promises_.open)(part, 'wx', 0o644);
        const bound = options.maxBytes ?? DEFAULT_MAX_BYTES;
        const known = source.size !== undefined && source.size >= 0 ? source.size : undefined;
        written = new PartFile(file);
        const transfer = {
            part: written,
            received: 0,
            cap: source.tar ? bound : (known ?? bound),
            source,
            report: () => undefined,
        };
        if (source.tar) {
            transfer.tar = new TarModel(transfer.part, known ?? bound, source.provider, known !== undefined);
        }
        await fetchWithFreshUrl(source, transfer, options.retry);
        const bytes = transfer.part.bytes;
        if (!source.tar && known !== undefined && bytes !== known) {
            throw new errors/* ActionError */.l(`The model file from ${source.provider} has ${bytes} bytes, where ${source.provider} said ${known}.`, 'Re-run the job; if it persists, contact the provider\u2019s support.');
        }
        await file.close();
        file = undefined;
        await (0,promises_.rename)(part, absolute);
        done = true;
        const sha256 = transfer.part.hash.digest('hex');
        log/* info */.pq(`Downloaded the model to ${relative}: ${(0,format/* formatMb */.TF)(bytes)} (${bytes} bytes), sha256 ${sha256}.`);
        return { path: relative, bytes, sha256 };
    }
    finally {
        process.off('exit', onExit);
        if (!done) {
            await written?.idle();
            await file?.close().catch(() => undefined);
            await (0,promises_.rm)(part, { force: true }).catch(() => undefined);
            if (made)
                await removeEmptyFolders(folder, made);
        }
    }
}
/**
 * Removes `folder` and its parents up to `top`, as long as they are empty: `top` is what
 * `mkdir(folder, { recursive: true })` answered, the first folder it made, so none of them was
 * there before.
 */
async function removeEmptyFolders(folder, top) {
    for (let dir = folder; isInside(top, dir); dir = external_node_path_.dirname(dir)) {
        try {
            await (0,promises_.rmdir)(dir);
        }
        catch {
            return;
        }
        if (dir === top)
            return;
    }
}
async function fetchWithFreshUrl(source, transfer, retry) {
    const use = ({ url, headers }) => fetchResuming(url, (0,send/* hostOf */.w4)(url), headers ?? {}, transfer, retry);
    if (!source.refreshable) {
        await use(await checkedLink(source));
        return;
    }
    let link;
    await (0,storage/* withFreshLinkOn403 */.l)(async () => {
        link = await checkedLink(source);
        return link.url;
    }, () => use(link), 'download link', `Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the request; if both are fine, contact ${source.provider} support.`, source.provider);
}
/** The provider's link, masked before anything could print it, and checked. */
async function checkedLink(source) {
    const link = await source.link();
    const url = link.url.trim();
    // A link handed out fresh each time is a signed credential (anyone holding it can fetch the
    // model until it expires): masked whole. A provider's fixed file URL is the `model-url` output
    // itself, and stays readable; any signature in its query is masked still.
    if (url)
        (0,secrets/* maskUrlSignature */.UB)(url, source.refreshable);
    // The headers carry a credential too (Replicate's token): never shown either.
    for (const value of Object.values(link.headers ?? {}))
        (0,secrets/* registerSecret */.cl)(value.trim());
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        parsed = undefined;
    }
    if (!parsed || !(0,urls/* isHttpsOrLoopback */.cU)(url)) {
        // Not shown: it may be the link itself, in a form the masking does not know.
        throw new errors/* ActionError */.l(`${source.provider} gave ${parsed ? `a ${parsed.protocol} URL` : 'no URL'} for the model file, where an https download link was expected.`, 'Re-run the job; if it persists, please open an issue (the link is not shown here, as a download link can be a credential).');
    }
    return { url, headers: link.headers };
}
/**
 * GETs the rest of the file, retrying transient failures. A failure after bytes arrived does not
 * spend the budget: the next attempt resumes and gets a budget of its own, up to MAX_RENEWALS
 * times (a host that always breaks off after a few bytes must end too).
 */
async function fetchResuming(url, host, extraHeaders, transfer, retry) {
    // One attempt of a large file on a slow link can take minutes by itself.
    const policy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
    for (let renewals = 0;; renewals++) {
        const before = transfer.received;
        try {
            await (0,http_retry/* withRetry */.bD)(`Download from ${host}`, policy, () => fetchOnce(url, host, extraHeaders, transfer, (0,http_retry/* requestTimeoutMs */.Hl)(120_000, retry)), (error) => ({
                retryable: error instanceof send/* HttpError */.j$ && error.transient,
                retryAfterMs: error instanceof send/* HttpError */.j$ ? error.retryAfterMs : undefined,
                error,
            }));
            return;
        }
        catch (error) {
            const advanced = transfer.received > before;
            if (!(advanced && error instanceof send/* HttpError */.j$ && error.transient) || renewals >= MAX_RENEWALS)
                throw error;
            log/* info */.pq(`Download from ${host} failed (${error.message.split('\n')[0]}); resuming.`);
        }
    }
}
const MAX_RENEWALS = 20;
const RETRY_HINT = 'The storage host did not serve the file as asked. Re-run the job; if it persists, contact the provider\u2019s support.';
/** A failure of the storage host that another attempt will not mend: the download ends. */
function refusal(what, problem, hint = RETRY_HINT) {
    return new send/* HttpError */.j$({ what, transient: false, serverMessage: problem, hint });
}
/** A transient failure of the storage host that is not a status or a network error. */
function restartError(what, problem, startingOver = true) {
    return new send/* HttpError */.j$({
        what,
        transient: true,
        serverMessage: `${problem}${startingOver ? '; starting over' : ''}`,
        hint: RETRY_HINT,
    });
}
/** Whether what was received can be resumed: only a file whose size the first answer said. */
function resumable(transfer) {
    return transfer.received > 0 && transfer.total !== undefined;
}
async function fetchOnce(url, host, extraHeaders, transfer, timeoutMs) {
    const what = `Download of the model from ${host}`;
    if (transfer.received > 0 && !resumable(transfer)) {
        // Without a size to check the rest against, a resumed body could be spliced to another file.
        log/* info */.pq(`${host} did not say the file's size, so the download cannot resume; starting over.`);
        await restart(transfer);
    }
    const headers = { ...extraHeaders };
    const resuming = transfer.received > 0;
    if (resuming) {
        headers.Range = `bytes=${transfer.received}-`;
        // A file that changed since the first bytes is answered in full (200), not spliced.
        const strong = transfer.etag && !transfer.etag.startsWith('W/') ? transfer.etag : undefined;
        const validator = strong ?? transfer.lastModified;
        if (validator)
            headers['If-Range'] = validator;
    }
    const answer = await receive({ what, url, headers, timeoutMs, peer: 'the storage host' });
    try {
        await readAnswer(answer, what, url, transfer, resuming);
    }
    finally {
        answer.close();
    }
}
async function readAnswer(answer, what, url, transfer, resuming) {
    const { status } = answer;
    const etag = headerOf(answer.headers, 'etag');
    const lastModified = headerOf(answer.headers, 'last-modified');
    let expected;
    if (status === 206 && resuming) {
        const range = parseContentRange(headerOf(answer.headers, 'content-range'));
        const problem = !range
            ? 'a range it did not say'
            : range.start !== transfer.received
                ? `bytes from ${range.start} where ${transfer.received} were asked for`
                : range.total !== transfer.total
                    ? `a file of ${range.total ?? 'unknown'} bytes where the first answer had ${transfer.total}`
                    : transfer.etag && etag && etag !== transfer.etag
                        ? 'another version of the file (its ETag changed)'
                        : transfer.lastModified && lastModified && lastModified !== transfer.lastModified
                            ? 'another version of the file (its Last-Modified changed)'
                            : undefined;
        if (problem) {
            await restart(transfer);
            throw restartError(what, `asked to resume, it answered with ${problem}`);
        }
        expected = range.end - range.start;
        log/* info */.pq(`Resuming the download at ${(0,format/* formatMb */.TF)(transfer.received)} of ${(0,format/* formatMb */.TF)(transfer.total)}.`);
    }
    else if (status === 200) {
        if (resuming) {
            log/* info */.pq(`${(0,send/* hostOf */.w4)(url)} does not resume downloads (it answered the whole file); starting over.`);
            await restart(transfer);
        }
        const length = headerOf(answer.headers, 'content-length');
        expected = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
        if (expected !== undefined && expected > transfer.cap) {
            throw refusal(what, tooBig(transfer, expected));
        }
        transfer.total = expected;
        transfer.etag = etag;
        transfer.lastModified = lastModified;
        transfer.report = (0,progress/* progressLines */.L)('Downloading', expected ?? 0, { rate: true });
    }
    else if (status === 416 && resuming) {
        const total = parseContentRange(headerOf(answer.headers, 'content-range'))?.total;
        if (total !== undefined && total === transfer.total && total === transfer.received) {
            // All of it was here already: the answer that brought the last bytes broke off at its end.
            await finishBody(transfer);
            return;
        }
        await restart(transfer);
        throw restartError(what, 'it answered HTTP 416 to a resume');
    }
    else {
        const text = await answer.text(4096);
        throw statusError(what, status, answer.headers, text, url, transfer.source.provider);
    }
    let received = 0;
    let failure;
    const onPiece = (piece) => {
        if (failure !== undefined)
            return false;
        received += piece.length;
        transfer.received += piece.length;
        if (transfer.received > transfer.cap) {
            failure = refusal(what, tooBig(transfer));
            answer.close();
            return false;
        }
        const room = transfer.tar ? transfer.tar.take(piece) : transfer.part.take(piece);
        transfer.report(transfer.received);
        return room;
    };
    const sink = transfer.tar ?? transfer.part;
    sink.onRoom = () => answer.resume();
    // A disk that refuses the file ends the answer at once; settle() then says why.
    transfer.part.onError = () => answer.close();
    const failed = transfer.tar?.failed;
    let framed;
    try {
        ({ framed } = await (failed
            ? Promise.race([answer.read(onPiece), failed])
            : answer.read(onPiece)));
    }
    catch (error) {
        await settle(transfer);
        if (error instanceof cancellation/* CancelledError */.cc || cancellation/* cancelSignal */.Bj.aborted)
            throw cancellation/* cancelSignal */.Bj.reason ?? error;
        // The HTTP layer's error: a reset, a cut-off body or an idle timeout, said as such.
        throw error;
    }
    if (failure !== undefined) {
        await settle(transfer);
        throw failure;
    }
    if (expected !== undefined && received !== expected) {
        await settle(transfer);
        throw restartError(what, `it sent ${received} of the ${expected} bytes it announced`, false);
    }
    if (transfer.total !== undefined && transfer.received !== transfer.total) {
        await settle(transfer);
        throw restartError(what, `it ended at ${transfer.received} of the file's ${transfer.total} bytes`, false);
    }
    if (!framed) {
        // A connection's close ends a body without a length, and so does a cut: only the size the
        // provider gave can tell them apart.
        const size = transfer.source.tar ? undefined : transfer.source.size;
        if (size === undefined || transfer.received !== size) {
            await settle(transfer);
            throw restartError(what, `it sent ${transfer.received} bytes without saying how many were due, then closed the connection, which a cut-off transfer does too`, false);
        }
    }
    await finishBody(transfer);
}
/** Why a body is refused for its size: `announced` bytes, or more than the cap as they came. */
function tooBig(transfer, announced) {
    const { source, cap } = transfer;
    const limit = source.size !== undefined && !source.tar
        ? `the ${cap} bytes ${source.provider} said the model has`
        : `the ${cap} bytes a download may have when the provider does not say the size`;
    return announced !== undefined
        ? `it announced ${announced} bytes, more than ${limit}`
        : `it sent more than ${limit}`;
}
/** The body ended whole: everything is written, and a tar has given its model. */
async function finishBody(transfer) {
    if (transfer.tar)
        await transfer.tar.end();
    await settle(transfer);
}
/** Waits until every byte taken is written (a resume starts after them); a write error wins. */
async function settle(transfer) {
    await transfer.part.flush().catch((error) => {
        if (error instanceof WriteError)
            throw writeFailure(error);
    });
}
function writeFailure(error) {
    return new errors/* ActionError */.l(`Could not write the model file: ${error.message}`, 'Check that the runner has room for the model (LoRA files are hundreds of MB) and may write to the folder of `download-model`.');
}
/** Empties the part file, the hash and what was learnt of the file: the next bytes are its first. */
async function restart(transfer) {
    try {
        await transfer.part.restart();
    }
    catch (error) {
        if (error instanceof WriteError)
            throw writeFailure(error);
        throw error;
    }
    transfer.tar?.restart();
    transfer.received = 0;
    transfer.total = undefined;
    transfer.etag = undefined;
    transfer.lastModified = undefined;
    transfer.report = () => undefined;
}
function statusError(what, status, headers, text, url, provider) {
    const hint = status === 403
        ? 'The download link was refused (expired, or not matching the request). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
        : status === 404
            ? 'The storage host has no file there: the model may have been deleted at the provider. Check the job with `command: status`.'
            : status >= 300 && status < 400
                ? `The storage host answered with a redirect, which is not followed (it could lead anywhere, and the link's headers must reach its own host only). If it persists, contact ${provider} support.`
                : status >= 500 || status === 429
                    ? 'The storage host had a problem. Re-run the job later; if it persists, contact the provider\u2019s support.'
                    : 'Re-run the job; if it persists, contact the provider\u2019s support.';
    return (0,storage/* storageError */.Q)(what, { status, headers }, text, url, hint);
}
function headerOf(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}
/** `bytes start-last/total` (total may be `*`); end is exclusive. */
function parseContentRange(value) {
    const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
    if (!match)
        return undefined;
    const total = match[3] === '*' ? undefined : Number(match[3]);
    if (match[1] === undefined)
        return total === undefined ? undefined : { start: total, end: total, total };
    const start = Number(match[1]);
    const end = Number(match[2]) + 1;
    if (end <= start || (total !== undefined && end > total))
        return undefined;
    return { start, end, total };
}


/***/ }),

/***/ 484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ progressLines)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6338);


/**
 * Progress lines for a transfer of `total` bytes: call the result with the bytes done so far. A
 * line is printed when a quarter of the file is passed, with the figures of that moment; a piece
 * that passes several quarters at once prints one line, not one per quarter. So a file smaller
 * than one read prints a single "100%" line, and no two lines are the same.
 */
function progressLines(verb, total, options = {}) {
    const startedAt = Date.now();
    let nextMark = 0.25;
    // Called for every piece received: the common case compares two integers, where a division
    // made a new heap number per call until the engine optimised the caller.
    let nextBytes = total > 0 ? total * nextMark : Infinity;
    return (done) => {
        if (done < nextBytes)
            return;
        const fraction = Math.min(done / total, 1);
        while (nextMark <= fraction)
            nextMark += 0.25;
        nextBytes = nextMark > 1 ? Infinity : total * nextMark;
        const seconds = (Date.now() - startedAt) / 1000;
        const rate = options.rate && seconds > 0 ? ` at ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMb */ .TF)(done / seconds)}/s` : '';
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${verb}: ${Math.floor(fraction * 100)}% (${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMb */ .TF)(done)} of ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMb */ .TF)(total)}${rate})`);
    };
}


/***/ }),

/***/ 2910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ storageError),
/* harmony export */   l: () => (/* binding */ withFreshLinkOn403)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5616);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8902);



/** `Code: Message` from an S3-style XML error body; else a short excerpt of the body. */
function s3Message(text) {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    if (code || message)
        return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)([code, message].filter(Boolean).join(': '), 300);
    return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(text);
}
/**
 * The error for a storage answer that is not a success: its status, the host's own message
 * (without any trace of the signed URL's query), retried on 429 and 5xx. `hint` is the caller's:
 * what a refusal means differs between an upload and a download.
 */
function storageError(what, answer, text, url, hint) {
    const { status } = answer;
    const detail = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutQuery */ .zq)(s3Message(text), url);
    const transient = (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransientStatus */ .Dm)(status);
    return new _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$({
        what,
        status,
        transient,
        serverMessage: detail,
        message: `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
        hint,
        retryAfterMs: transient ? (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .retryAfterOf */ .sT)(answer) : undefined,
    });
}
/**
 * Runs `use` with a signed link from `fresh`, and once more with a new one when the storage host
 * refuses the first with 403: a link that expired (or was signed for another request) is worth
 * one new link, not more. A second refusal is not a stale link, and the error says so. `link`
 * names the link in messages ("pre-signed URL", "download link"); `hint` says what to check;
 * `provider` is who hands the links out.
 */
async function withFreshLinkOn403(fresh, use, link, hint, provider) {
    for (let attempt = 1;; attempt++) {
        const url = await fresh();
        try {
            return await use(url);
        }
        catch (error) {
            if (!(error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && error.status === 403))
                throw error;
            if (attempt === 1) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The storage host refused the ${link} (${error.message.replace(/^.*answered /, '')}); asking ${provider} for a new one.`);
                continue;
            }
            throw new _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$({
                what: error.what,
                status: 403,
                transient: false,
                serverMessage: error.serverMessage,
                message: `${error.message} (with a second, fresh ${link} too)`,
                hint: `The storage host refused two ${link}s in a row, so this is not a stale link. ${hint}`,
            });
        }
    }
}


/***/ })

};
