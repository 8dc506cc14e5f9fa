export const id = 172;
export const ids = [172];
export const modules = {

/***/ 4172:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkRenamedEntries: () => (/* binding */ checkRenamedEntries),
  describeFitting: () => (/* reexport */ fit_record/* describeFitting */.H_),
  fitDataset: () => (/* binding */ fitDataset),
  fittingLines: () => (/* reexport */ fit_record/* fittingLines */.hx)
});

// UNUSED EXPORTS: LazyCodec, fitImages

// EXTERNAL MODULE: ./src/shared/log.ts
var log = __webpack_require__(1827);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/dataset/image-header.ts
var image_header = __webpack_require__(4443);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
// EXTERNAL MODULE: ./src/shared/cancellation.ts
var cancellation = __webpack_require__(1010);
// EXTERNAL MODULE: ./src/dataset/limits.ts
var limits = __webpack_require__(8794);
;// CONCATENATED MODULE: ./src/dataset/fit/fitted-size.mjs
// @ts-check
// Its own file because both sides use it: the main thread plans an image's size from its header
// (fit-image.ts), the codec thread works out a HEIC's from the decoded image (codec-worker.mjs),
// and a worker can only import plain JavaScript that `npm run bundle` copies beside it.

/**
 * The size an image of `from` is fitted to: longer side `maxSide`, aspect kept, never larger.
 * @param {{ width: number, height: number }} from
 * @param {number} maxSide
 * @returns {{ width: number, height: number }}
 */
function fittedSize(from, maxSide) {
  const long = Math.max(from.width, from.height);
  if (maxSide <= 0 || long <= maxSide) return { width: from.width, height: from.height };
  const scale = maxSide / long;
  /** @param {number} n */
  const fit = (n) => Math.max(1, Math.round(n * scale));
  return from.width >= from.height
    ? { width: maxSide, height: fit(from.height) }
    : { width: fit(from.width), height: maxSide };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/dataset/fit/plan.ts
var plan = __webpack_require__(2589);
;// CONCATENATED MODULE: ./src/dataset/fit/metadata.ts



const NONE = { orientation: 1, gps: false, strippable: false, lossless: false };
/** The metadata of an image in memory; never throws (what cannot be read reads as none). */
function readMetadata(input) {
    const found = (0,image_header/* inspectImageBytes */.TG)(input);
    return found.kind === 'image' ? (0,plan/* metadataOf */.Nk)(found.header) : NONE;
}
/**
 * Keeps what the image needs (see image-header.ts: JPEG's JFIF, ICC and Adobe segments, frame,
 * tables and scans; PNG's critical, transparency, colour and animation chunks; WebP's image,
 * alpha, ICC and animation chunks) and removes everything else, nothing after the image's end.
 * A layout it cannot walk is returned unchanged rather than guessed at.
 */
function stripMetadata(input, _format) {
    const layout = layoutOf(Reader.fromBytes(input));
    if (!layout?.cut.removed)
        return { bytes: input, changed: false, unknown: [] };
    const parts = layout.cut.pieces.map((piece) => 'bytes' in piece ? piece.bytes : input.subarray(piece.start, piece.end));
    return { bytes: Buffer.concat(parts), changed: true, unknown: [...layout.cut.unknown] };
}
/** Pieces are copied through this much memory at a time, whatever the image's size. */
const COPY_BUFFER = 1024 * 1024;
/**
 * stripMetadata from one file into another, through one reused megabyte: memory stays the same
 * for a 100 KB and a 1 GB image. Writes nothing when nothing is removed.
 */
function stripFile(source, size, target) {
    const fd = (0,external_node_fs_.openSync)(source, 'r');
    try {
        const layout = (0,image_header/* layoutOf */.aH)(image_header/* Reader */.mP.open(fd, size));
        if (!layout?.cut.removed)
            return { changed: false, bytes: size, unknown: [] };
        const out = (0,external_node_fs_.openSync)(target, 'wx');
        try {
            const buffer = (copyBuffer ??= Buffer.allocUnsafe(COPY_BUFFER));
            let written = 0;
            for (const piece of layout.cut.pieces)
                written += copyPiece(fd, out, piece, buffer);
            return { changed: true, bytes: written, unknown: [...layout.cut.unknown] };
        }
        finally {
            (0,external_node_fs_.closeSync)(out);
        }
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
let copyBuffer;
function copyPiece(from, to, piece, buffer) {
    if ('bytes' in piece)
        return writeAll(to, piece.bytes);
    let written = 0;
    for (let at = piece.start; at < piece.end;) {
        const read = (0,external_node_fs_.readSync)(from, buffer, 0, Math.min(buffer.length, piece.end - at), at);
        if (read === 0)
            throw new Error('the file changed while it was being stripped');
        written += writeAll(to, buffer.subarray(0, read));
        at += read;
    }
    return written;
}
function writeAll(fd, bytes) {
    for (let done = 0; done < bytes.length;)
        done += (0,external_node_fs_.writeSync)(fd, bytes, done);
    return bytes.length;
}

;// CONCATENATED MODULE: ./src/dataset/fit/fit-image.ts






/** JPEG quality of every re-encoded image (docs/images.md says why 90 and 4:2:0). */
const JPEG_QUALITY = 90;
const WEBP_QUALITY = 90;
/**
 * Makes one image ready: downscaled when its longer side exceeds `maxSide`, turned upright when
 * its EXIF orientation says so, HEIC converted to JPEG, metadata removed. The first three are the
 * codec's, in its own thread; an image that needs none of them is stripped losslessly here,
 * pixels untouched. What changed is written to `target`; an image that needs nothing writes
 * nothing (`changed: false`).
 */
async function fitImage(image, options, codec, target) {
    if (image.type === 'heic' || image.type === 'heif')
        return fitHeic(image, options, codec, target);
    const format = image.type;
    const meta = (0,plan/* metadataOf */.Nk)(image);
    const from = (0,plan/* shownSize */.lh)({ ...image, orientation: meta.orientation });
    const to = fittedSize(from, options.maxSide);
    const downscaled = to.width !== from.width || to.height !== from.height;
    const turned = meta.orientation !== 1;
    const base = { format, from, fromHeic: false, downscaled, turned, unknownRemoved: [] };
    if (!downscaled && !turned) {
        if (!options.strip || !meta.strippable) {
            return {
                ...base,
                to: from,
                changed: false,
                bytes: image.bytes,
                reencoded: false,
                locationRemoved: false,
                metadataRemoved: false,
            };
        }
        const stripped = stripFile(image.path, image.bytes, target);
        return {
            ...base,
            to: from,
            changed: stripped.changed,
            bytes: stripped.bytes,
            reencoded: false,
            locationRemoved: stripped.changed && meta.gps,
            metadataRemoved: stripped.changed,
            unknownRemoved: stripped.unknown,
        };
    }
    const result = await codec.run({
        file: image.path,
        heif: false,
        maxPixels: limits/* MAX_PIXELS */.jg,
        maxSide: options.maxSide,
        ...(downscaled ? { resize: to } : {}),
        keep: options.strip ? 'icc' : 'all',
        encoder: {
            format,
            lossless: format === 'webp' && meta.lossless,
            quality: format === 'webp' ? WEBP_QUALITY : JPEG_QUALITY,
        },
    });
    // keepMetadata carries the EXIF over; its orientation must no longer turn the image.
    const data = options.strip ? result.bytes : stripOrientationOnly(result.bytes);
    await (0,promises_.writeFile)(target, data, { flag: 'wx' });
    return {
        ...base,
        to: { width: result.width, height: result.height },
        changed: true,
        bytes: data.length,
        reencoded: true,
        locationRemoved: options.strip && meta.gps,
        metadataRemoved: options.strip && meta.strippable,
    };
}
/** The record of an image that goes into the ZIP as it is. */
function unchangedResult(format, meta, size, bytes) {
    const shown = (0,plan/* shownSize */.lh)({ ...size, orientation: meta.orientation });
    return {
        format,
        from: shown,
        to: shown,
        changed: false,
        bytes,
        reencoded: false,
        downscaled: false,
        turned: false,
        fromHeic: false,
        locationRemoved: false,
        metadataRemoved: false,
        unknownRemoved: [],
    };
}
/** After a turn with metadata kept: the orientation tag is set to 1 (top-left) in place. */
function stripOrientationOnly(bytes) {
    if (readMetadata(bytes).orientation === 1)
        return bytes;
    const out = Buffer.from(bytes);
    // The tag's value sits in IFD0; find it by its entry bytes (tag 0x0112, type SHORT, count 1).
    for (const [tag, value] of [
        [Buffer.from([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]), 8],
        [Buffer.from([0x12, 0x01, 0x03, 0x00, 1, 0, 0, 0]), 8],
    ]) {
        const at = out.indexOf(tag);
        if (at >= 0) {
            const big = tag[0] === 0x01;
            if (big)
                out.writeUInt16BE(1, at + value);
            else
                out.writeUInt16LE(1, at + value);
            return out;
        }
    }
    return out;
}
async function fitHeic(image, options, codec, target) {
    const result = await codec.run({
        file: image.path,
        heif: true,
        maxPixels: limits/* MAX_HEIF_PIXELS */.Ue,
        maxSide: options.maxSide,
        keep: 'icc',
        encoder: { format: 'jpg', lossless: false, quality: JPEG_QUALITY },
    });
    await (0,promises_.writeFile)(target, result.bytes, { flag: 'wx' });
    // libheif applies the HEIC's own rotation and mirroring (irot, imir) while decoding: the
    // decoded size is the size a viewer shows.
    const from = result.from ?? { width: image.width, height: image.height };
    const to = { width: result.width, height: result.height };
    return {
        format: 'jpg',
        from,
        to,
        changed: true,
        bytes: result.bytes.length,
        reencoded: true,
        downscaled: to.width !== from.width || to.height !== from.height,
        turned: false,
        fromHeic: true,
        // Decoded pixels carry nothing: the HEIC's EXIF stays behind whatever `strip` says. Its GPS
        // block is not read, so it is not counted among the locations removed.
        locationRemoved: false,
        metadataRemoved: true,
        unknownRemoved: [],
    };
}

// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/dataset/fit/codec.ts



let sharpLoaded;
/** The folder the bundle's codec copy sits in, when running from the bundle. */
function vendoredDir() {
    const here = external_node_path_.dirname((0,external_node_url_.fileURLToPath)(import.meta.url));
    for (const dir of [external_node_path_.join(here, 'codec'), external_node_path_.join(here, '..', 'codec')]) {
        if ((0,external_node_fs_.existsSync)(external_node_path_.join(dir, 'codec.json')))
            return dir;
    }
    return undefined;
}
/** A require the bundler leaves alone: these files are loaded from disk at run time. */
function runtimeRequire() {
    const { createRequire } = process.getBuiltinModule('node:module');
    return createRequire((0,external_node_url_.fileURLToPath)(import.meta.url));
}
let threadStarted = false;
/** Whether the codec has been loaded, here or in a codec thread (tests check it stays unloaded). */
function codecLoaded() {
    return threadStarted || sharpLoaded !== undefined;
}
/** Called by the pool (pool.ts) when it starts a codec thread. */
function noteCodecStarted() {
    threadStarted = true;
}
function codecWorkerSetup() {
    const vendored = vendoredDir();
    if (vendored) {
        return {
            workerFile: external_node_path_.join(vendored, 'codec-worker.mjs'),
            sharp: external_node_path_.join(vendored, 'sharp', 'dist', 'index.cjs'),
            libheif: external_node_path_.join(vendored, 'libheif', 'libheif-bundle.js'),
            refuseNative: false,
        };
    }
    const require = runtimeRequire();
    return {
        workerFile: external_node_path_.join(external_node_path_.dirname((0,external_node_url_.fileURLToPath)(import.meta.url)), 'codec-worker.mjs'),
        sharp: require.resolve('sharp'),
        libheif: require.resolve('libheif-js/libheif-wasm/libheif-bundle.js'),
        refuseNative: true,
    };
}
function loadSharp() {
    if (sharpLoaded)
        return sharpLoaded;
    const require = runtimeRequire();
    const vendored = vendoredDir();
    let sharp;
    if (vendored) {
        sharp = require(path.join(vendored, 'sharp', 'dist', 'index.cjs'));
    }
    else {
        // From node_modules, npm has installed sharp's native build for this machine too: refuse it,
        // so that sharp falls back to its WebAssembly build, the one the bundle ships.
        const Module = process.getBuiltinModule('node:module');
        const load = Module._load;
        Module._load = function (request, ...rest) {
            if (/^@img\/sharp-(?!wasm32)/.test(request)) {
                throw Object.assign(new Error(`Cannot find module '${request}'`), {
                    code: 'MODULE_NOT_FOUND',
                });
            }
            return load.call(this, request, ...rest);
        };
        try {
            sharp = require('sharp');
        }
        finally {
            Module._load = load;
        }
    }
    if (!sharp.versions.emscripten) {
        throw new Error('sharp loaded a native build; only its WebAssembly build gives the same bytes everywhere.');
    }
    // Each image is decoded once: libvips' operation cache would only hold memory. One thread per
    // image: images are fitted side by side instead (src/dataset/fit/fit-dataset.ts), which uses the cores
    // better and holds less memory than libvips' threads within one image.
    sharp.cache(false);
    sharp.concurrency(1);
    sharpLoaded = sharp;
    return sharp;
}

;// CONCATENATED MODULE: ./src/dataset/fit/pool.ts


/** Why the codec did not fit an image: what the step's error says about it. */
class CodecError extends Error {
    reason;
    constructor(message, reason) {
        super(message);
        this.reason = reason;
        this.name = 'CodecError';
    }
}
class CodecPool {
    options;
    idle = [];
    waiting = [];
    running = 0;
    started = 0;
    ids = 0;
    /** While an image runs alone with all the memory, nothing else starts. */
    alone = false;
    closed = false;
    lanes = new Set();
    onAbort = () => {
        void this.close();
    };
    constructor(options) {
        this.options = options;
        // A run cancelled before its first image reached the codec starts no thread at all.
        if (options.signal.aborted)
            this.closed = true;
        else
            options.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    /** Fits one image; rejects with a CodecError naming what went wrong, or the cancellation. */
    async run(job) {
        try {
            return await this.attempt(job, false);
        }
        catch (error) {
            // Out of its share of memory: once more alone, with all of it.
            if (error instanceof CodecError && error.reason === 'memory' && this.options.lanes > 1) {
                return this.attempt(job, true);
            }
            throw error;
        }
    }
    async attempt(job, alone) {
        const lane = await this.acquire(alone);
        try {
            const answer = await this.send(lane, job);
            if (answer instanceof Error)
                throw answer;
            if (!answer.ok) {
                const message = answer.message ?? 'the codec failed';
                throw new CodecError(message, OUT_OF_MEMORY.test(message) ? 'memory' : 'decode');
            }
            const data = answer.data;
            return {
                bytes: Buffer.from(data.buffer, data.byteOffset, data.length),
                width: answer.width,
                height: answer.height,
                memoryBytes: answer.memoryBytes ?? 0,
                ...(answer.from ? { from: answer.from } : {}),
            };
        }
        finally {
            this.release(lane, alone);
        }
    }
    /** Terminates every thread; whatever runs rejects with the cancellation (or a close error). */
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        this.options.signal.removeEventListener('abort', this.onAbort);
        const reason = this.options.signal.reason ?? new Error('the codec threads were closed while fitting');
        const lanes = [...this.lanes];
        this.lanes.clear();
        this.idle.length = 0;
        for (const wake of this.waiting.splice(0))
            wake();
        await Promise.all(lanes.map(async (lane) => {
            lane.current?.settle(reason instanceof Error ? reason : new Error(String(reason)));
            await lane.worker.terminate();
        }));
    }
    async acquire(alone) {
        for (;;) {
            this.throwIfClosed();
            const free = alone ? this.running === 0 : !this.alone && this.running < this.options.lanes;
            if (free)
                break;
            await new Promise((resolve) => this.waiting.push(resolve));
        }
        this.running++;
        if (alone) {
            this.alone = true;
            // A thread with all the memory: the others hold none while it runs.
            for (const lane of this.idle.splice(0))
                this.retire(lane);
            return this.spawn(this.options.memoryBytes);
        }
        return this.idle.pop() ?? this.spawn(this.share());
    }
    release(lane, alone) {
        this.running--;
        if (alone) {
            this.alone = false;
            this.retire(lane);
        }
        else if (this.lanes.has(lane)) {
            this.idle.push(lane);
        }
        for (const wake of this.waiting.splice(0))
            wake();
    }
    share() {
        return Math.floor(this.options.memoryBytes / this.options.lanes);
    }
    throwIfClosed() {
        if (this.closed)
            throw this.closedReason();
    }
    closedReason() {
        return closedError(this.options.signal);
    }
    spawn(memoryBytes) {
        noteCodecStarted();
        this.started++;
        const setup = codecWorkerSetup();
        const worker = new external_node_worker_threads_.Worker(this.options.workerFile ?? setup.workerFile, {
            workerData: { codecWorker: { ...setup, memoryBytes } },
            // What the libraries print comes here, line by line, and goes through the log.
            stdout: true,
            stderr: true,
        });
        const lane = { worker, memoryBytes };
        this.lanes.add(lane);
        for (const stream of [worker.stdout, worker.stderr]) {
            let pending = '';
            stream.setEncoding('utf8');
            stream.on('data', (text) => {
                const lines = (pending + text).split('\n');
                pending = lines.pop();
                for (const line of lines)
                    this.print(lane, line);
            });
            stream.on('end', () => {
                if (pending)
                    this.print(lane, pending);
            });
        }
        worker.on('message', (answer) => {
            if (lane.current?.id === answer.id)
                lane.current.settle(answer);
        });
        const ended = (error) => {
            this.lanes.delete(lane);
            const index = this.idle.indexOf(lane);
            if (index >= 0)
                this.idle.splice(index, 1);
            lane.current?.settle(error);
        };
        worker.on('error', (error) => {
            // The codec aborts its thread when it cannot allocate: that image needed more memory. Any
            // other crash (a failed assertion, a stack overflow) is no reason to try again alone.
            const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY' || OUT_OF_MEMORY.test(error.message);
            ended(new CodecError(memory
                ? `it needs more than the ${mib(lane.memoryBytes)} of memory the codec may use for it (${error.message})`
                : `the codec failed: ${error.message}`, memory ? 'memory' : 'decode'));
        });
        worker.on('exit', (code) => {
            ended(new CodecError(`the codec's thread ended (exit code ${code})`, 'decode'));
        });
        return lane;
    }
    print(lane, line) {
        if (line.trim())
            this.options.onOutput(line, lane.current?.file ?? '');
    }
    retire(lane) {
        this.lanes.delete(lane);
        void lane.worker.terminate();
    }
    send(lane, job) {
        // Closed between taking the thread and handing it the image: the thread is already being
        // terminated, and its exit must not read as this image's failure.
        if (this.closed)
            return Promise.resolve(this.closedReason());
        const id = ++this.ids;
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                // Stopped mid-image: the thread is gone, and the next image gets a fresh one.
                this.lanes.delete(lane);
                settle(new CodecError(`it took longer than ${duration(this.options.timeLimitMs)} to decode, the limit for one image`, 'time'));
                void lane.worker.terminate();
            }, this.options.timeLimitMs);
            const settle = (result) => {
                clearTimeout(timer);
                if (lane.current?.id === id)
                    lane.current = undefined;
                resolve(result);
            };
            lane.current = { id, file: job.file, settle };
            lane.worker.postMessage({ id, ...job });
        });
    }
    /** Threads started so far (tests). */
    get threadsStarted() {
        return this.started;
    }
    /** Images being fitted now (tests). */
    get busy() {
        return this.running;
    }
}
/**
 * How the codecs say they could not allocate, and nothing else: libvips ("out of memory -- size
 * == 137MB"), libjpeg ("Insufficient memory"), libpng and libheif ("Out of memory", "Memory
 * allocation error"; codec-worker.mjs words a refused libheif allocation "out of memory"), GLib
 * ("failed to allocate"), Emscripten's abort ("Aborted(OOM)", "Cannot enlarge memory arrays"),
 * V8 ("Array buffer allocation failed", "WebAssembly.Memory(): could not allocate memory") and
 * a worker over its heap ("reaching memory limit"). A bare "Aborted(...)", a RangeError or a
 * message that merely names memory (libheif's "read_from_memory") is not one.
 */
const OUT_OF_MEMORY = /\bout of memory\b|insufficient memory|memory allocation (?:error|failed)|(?:cannot|could not|unable to|failed to) allocate|allocation failed|cannot enlarge memory|Aborted\(OOM\)|reaching memory limit/i;
/** Why the codec threads refuse work once closed: the run's cancellation, or their closing. */
function closedError(signal) {
    const reason = signal.reason;
    return reason instanceof Error ? reason : new Error('the codec threads were closed');
}
function duration(ms) {
    return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
function mib(bytes) {
    return `${Math.round(bytes / 2 ** 20)} MiB`;
}

// EXTERNAL MODULE: ./src/dataset/fit/record.ts
var fit_record = __webpack_require__(2443);
;// CONCATENATED MODULE: ./src/dataset/fit/fit-dataset.ts













/** Sides tried, in order, when the ZIP would reach `max-zip-mb` with the images fitted larger. */
const STEP_DOWN_SIDES = [1536, 1024];
/**
 * The codec threads, started on the first image that needs them: a dataset whose images only
 * need stripping never starts one.
 */
class LazyCodec {
    settings;
    lanes;
    pool;
    closed = false;
    relativeOf = new Map();
    constructor(settings, images) {
        this.settings = settings;
        this.lanes = Math.max(1, settings.lanes ?? Math.min(4, (0,external_node_os_.availableParallelism)()));
        this.know(images);
    }
    /** Files the codec may print about, by their path. */
    know(images) {
        for (const image of images)
            this.relativeOf.set(image.path, image.relative);
    }
    run(job) {
        // Closed before any image needed it: no thread may start now, since nothing would close it.
        if (this.closed && !this.pool) {
            return Promise.reject(closedError(this.settings.signal ?? cancellation/* cancelSignal */.Bj));
        }
        this.pool ??= new CodecPool({
            lanes: this.lanes,
            memoryBytes: this.settings.memoryBytes ?? limits/* CODEC_MEMORY_BYTES */.JO,
            timeLimitMs: this.settings.timeLimitMs ?? limits/* IMAGE_TIME_LIMIT_MS */.Nh,
            signal: this.settings.signal ?? cancellation/* cancelSignal */.Bj,
            ...(this.settings.workerFile ? { workerFile: this.settings.workerFile } : {}),
            // The libraries' own printing, through the log like every other line.
            onOutput: (line, file) => log/* info */.pq(`Codec${file ? ` (${this.relativeOf.get(file) ?? file})` : ''}: ${line}`),
        });
        return this.pool.run(job);
    }
    async close() {
        this.closed = true;
        await this.pool?.close();
    }
    /** Images the codec threads are fitting now (tests). */
    get busy() {
        return this.pool?.busy ?? 0;
    }
    /** Codec threads started so far (tests). */
    get threadsStarted() {
        return this.pool?.threadsStarted ?? 0;
    }
}
/**
 * Fits every image (see fitImage) into `folder`; images that need no change are zipped from
 * where they are. Entry names of HEIC images end in `.jpg`. Images that need the codec go to a
 * pool of codec threads (pool.ts), one image per thread at a time; the others are stripped here.
 */
async function fitImages(images, options, folder, 
/** Results of an earlier pass at a larger side, reused for images it did not downscale. */
earlier, settings = {}) {
    await (0,promises_.mkdir)(folder, { recursive: true });
    const done = new Array(images.length);
    const own = !settings.codec;
    const codec = settings.codec ?? new LazyCodec(settings, images);
    const lanes = codec.lanes;
    const fitOne = async (index) => {
        const image = images[index];
        const before = earlier?.get(image.relative);
        if (before && !before.result.downscaled && !isLarger(before.result.from, options.maxSide)) {
            return before;
        }
        const heic = image.type === 'heic' || image.type === 'heif';
        const meta = heic ? undefined : (0,plan/* metadataOf */.Nk)(image);
        if (meta && !(0,plan/* needsFitting */.dO)(image, options)) {
            // Nothing to change: zipped from where it is, never read here.
            return {
                image,
                result: unchangedResult(image.type, meta, image, image.bytes),
            };
        }
        // Named by number: a dataset file's own name may already be as long as the file system
        // allows (255 bytes), and the entry name is kept apart.
        const entryName = heic ? `${stripExtension(image.entryName)}.jpg` : image.entryName;
        const file = external_node_path_.join(folder, `${index}${external_node_path_.extname(entryName).toLowerCase()}`);
        let result;
        try {
            result = await fitImage(image, options, codec, file);
        }
        catch (error) {
            throw fitError(image, error);
        }
        if (options.strip && !heic && image.hasMetadata && !result.metadataRemoved) {
            // The header saw metadata that stripping did not take out: say so rather than upload it
            // silently.
            log/* warning */.$e(`${image.relative} carries metadata in a layout that could not be stripped, so it goes into the ZIP with it. Open and re-save the image (or export it again), or remove it from the dataset.`, { title: 'Dataset', file: image.relative });
        }
        if (result.unknownRemoved.length > 0) {
            log/* warning */.$e(`${image.relative} held parts the action does not know (${result.unknownRemoved.join(', ')}); they were removed with its metadata. If the image in the ZIP looks wrong, export it again as an ordinary ${image.type === 'jpg' ? 'JPEG' : image.type === 'png' ? 'PNG' : 'WebP'}.`, { title: 'Dataset', file: image.relative });
        }
        if (!result.changed)
            return { image, result };
        // The facts of the new file (orientation, metadata, GPS), not those of the original's.
        const found = (0,image_header/* inspectImageFileSync */.x6)(file, result.bytes);
        const facts = found.kind === 'image' ? { ...found.header } : {};
        delete facts.broken;
        delete facts.overLimit;
        const fitted = {
            ...facts,
            path: file,
            relative: image.relative,
            entryName,
            bytes: result.bytes,
            type: result.format,
            width: result.to.width,
            height: result.to.height,
        };
        return { image: fitted, result };
    };
    // Images are independent: a few at a time (the codec threads bound how many decode at once),
    // each lane taking the next image. After a failure no lane starts another image, the codec
    // threads are stopped, and all lanes have settled before the error goes up: nothing is
    // written into the temp folder once the step starts removing it. The error is the first
    // image's to fail: stopping the threads fails the images beside it too, and those must not be
    // blamed for it.
    // Stripping is synchronous and starts no codec thread: without a turn of the event loop between
    // images, a SIGINT would not even be delivered until every image was stripped.
    const signal = settings.signal ?? cancellation/* cancelSignal */.Bj;
    let next = 0;
    let failure;
    const needCodec = images.filter((image) => needsDecoding(image, options.maxSide)).length;
    try {
        await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.min(lanes, needCodec)), images.length) }, async () => {
            while (next < images.length && !failure) {
                const index = next++;
                try {
                    await new Promise((resolve) => setImmediate(resolve));
                    if (signal.aborted)
                        throw signal.reason;
                    done[index] = await fitOne(index);
                }
                catch (error) {
                    failure ??= { error };
                    void codec.close();
                }
            }
        }));
        if (failure)
            throw failure.error;
    }
    finally {
        if (own)
            await codec.close();
    }
    const results = new Map();
    for (const [index, image] of images.entries())
        results.set(image.relative, done[index]);
    return { images: done.map((d) => d.image), results };
}
/** Whether the codec must decode the image: HEIC always, others to downscale or turn them. */
function needsDecoding(image, maxSide) {
    const heic = image.type === 'heic' || image.type === 'heif';
    return heic || (0,plan/* needsCodec */.ct)((0,plan/* metadataOf */.Nk)(image), image, maxSide);
}
/** What the step says about an image the codec could not fit; the cancellation stays itself. */
function fitError(image, error) {
    if (error instanceof Error && error.name === 'CancelledError')
        return error;
    if (error instanceof CodecError && error.reason !== 'decode') {
        return new errors/* ActionError */.l(`${image.relative} could not be fitted: ${error.message}.`, 'Export it again as an ordinary photo (a HEIC as JPEG), or remove it from the dataset; `max-image-side: 0` turns resizing off.');
    }
    return new errors/* ActionError */.l(`${image.relative} could not be decoded to fit it: ${error instanceof Error ? error.message : String(error)}.`, 'Open and re-save the image (or export it again as JPEG), or remove it from the dataset; `max-image-side: 0` turns resizing off.');
}
function isLarger(size, side) {
    return side > 0 && Math.max(size.width, size.height) > side;
}
/**
 * Fits the dataset and checks the ZIP it gives against the limit: when the ZIP would reach
 * `maxZipBytes`, the side steps down to 1536, then 1024 px, with a warning each time; past that
 * the step fails naming the largest images. `zipSize` gives the ZIP's size for a set of images.
 */
async function fitDataset(images, options, tempRoot, zipSize, settings = {}) {
    const sides = options.maxSide === 0
        ? [0]
        : [options.maxSide, ...STEP_DOWN_SIDES.filter((s) => s < options.maxSide)];
    let earlier;
    let previousFolder;
    const codec = new LazyCodec(settings, images);
    const decoded = images.filter((image) => needsDecoding(image, options.maxSide)).length;
    if (decoded > 0) {
        log/* info */.pq(`Fitting images: ${decoded} to decode, up to ${Math.min(decoded, codec.lanes)} at a time.`);
    }
    try {
        for (const [i, side] of sides.entries()) {
            const folder = external_node_path_.join(tempRoot, `fitted-${side}`);
            const pass = await fitImages(images, { ...options, maxSide: side }, folder, earlier, {
                ...settings,
                codec,
            });
            // The earlier pass's copies that this one reused stay; the others are no longer needed.
            if (previousFolder)
                await removeUnused(previousFolder, pass.images);
            previousFolder = folder;
            earlier = pass.results;
            const bytes = zipSize(pass.images);
            const next = sides[i + 1];
            if (bytes < options.maxZipBytes || side === 0) {
                return { images: pass.images, record: recordOf(pass.results, side, options.maxSide) };
            }
            // Stepping down helps only when some image is larger than the next side.
            if (next !== undefined &&
                [...pass.results.values()].some(({ result }) => isLarger(result.from, next))) {
                log/* warning */.$e(`The dataset ZIP would be ${mb(bytes)} with images fitted to ${side} px, not under the ${mb(options.maxZipBytes)} limit (max-zip-mb): fitting them to ${next} px instead. Set a smaller max-image-side, or use fewer images, to choose yourself.`, { title: 'Dataset' });
                continue;
            }
            // Nothing was downscaled: the images are as they came, and the ZIP check says so.
            if (!pass.images.some((image) => pass.results.get(image.relative)?.result.downscaled)) {
                return { images: pass.images, record: recordOf(pass.results, side, options.maxSide) };
            }
            const largest = [...pass.images]
                .sort((a, b) => b.bytes - a.bytes || (a.relative < b.relative ? -1 : 1))
                .slice(0, 5)
                .map((image) => `${image.relative} (${mb(image.bytes)})`);
            throw new errors/* ActionError */.l(`The dataset ZIP would be ${mb(bytes)} (${bytes} bytes) even with every image fitted to ${side} px; it must be under ${mb(options.maxZipBytes)} (max-zip-mb). The largest images: ${largest.join(', ')}.`, 'Use fewer images (10 to 30 are plenty for a fine-tune), or smaller ones: the largest are listed above.');
        }
    }
    finally {
        await codec.close();
    }
    throw new Error('unreachable: no side was tried');
}
async function removeUnused(folder, kept) {
    if (!kept.some((image) => external_node_path_.dirname(image.path) === folder)) {
        await (0,promises_.rm)(folder, { recursive: true, force: true });
    }
}
function recordOf(results, side, asked) {
    const record = (0,fit_record/* unchangedRecord */.BP)(side);
    if (side !== asked)
        record.steppedDownFrom = asked;
    for (const [file, { result }] of results) {
        if (result.downscaled)
            record.downscaled.push({ file, from: result.from, to: result.to });
        if (result.turned)
            record.upright.push(file);
        if (result.fromHeic)
            record.heic.push(file);
        if (result.locationRemoved)
            record.locationRemoved++;
        if (result.metadataRemoved)
            record.metadataRemoved++;
        if (result.reencoded)
            record.reencoded++;
    }
    return record;
}
/**
 * HEIC images enter the ZIP as `.jpg`: refuses a renamed entry that clashes with another file,
 * naming both paths.
 */
function checkRenamedEntries(images, others) {
    const seen = new Map();
    const clashes = [];
    for (const entry of [...images, ...others]) {
        const other = seen.get(entry.entryName);
        if (other !== undefined)
            clashes.push(`${other} and ${entry.relative} would both be ${entry.entryName}`);
        else
            seen.set(entry.entryName, entry.relative);
    }
    if (clashes.length > 0) {
        throw new errors/* ActionError */.l(`Dataset files clash in the ZIP once HEIC images become JPEG (their entry names end in .jpg):\n- ${clashes.join('\n- ')}`, 'Rename one file of each pair.');
    }
}
function mb(bytes) {
    return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
function stripExtension(name) {
    const dot = name.lastIndexOf('.');
    return dot > 0 ? name.slice(0, dot) : name;
}


/***/ })

};
