export const id = 111;
export const ids = [111];
export const modules = {

/***/ 1111:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkRenamedEntries: () => (/* binding */ checkRenamedEntries),
  describeFitting: () => (/* reexport */ fit_record/* describeFitting */.H_),
  fitDataset: () => (/* binding */ fitDataset),
  fittingLines: () => (/* reexport */ fit_record/* fittingLines */.hx)
});

// UNUSED EXPORTS: fitImages

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
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/dataset/fit/codec.ts



let sharpLoaded;
let heifLoaded;
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
/** Whether the codec has been loaded in this process (tests check it stays unloaded). */
function codecLoaded() {
    return sharpLoaded !== undefined || heifLoaded !== undefined;
}
function loadSharp() {
    if (sharpLoaded)
        return sharpLoaded;
    const require = runtimeRequire();
    const vendored = vendoredDir();
    let sharp;
    if (vendored) {
        sharp = require(external_node_path_.join(vendored, 'sharp', 'dist', 'index.cjs'));
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
function loadLibheif() {
    if (heifLoaded)
        return heifLoaded;
    const require = runtimeRequire();
    const vendored = vendoredDir();
    const factory = require(vendored
        ? external_node_path_.join(vendored, 'libheif', 'libheif-bundle.js')
        : 'libheif-js/libheif-wasm/libheif-bundle.js');
    heifLoaded = factory();
    return heifLoaded;
}

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
 * Removes EXIF (GPS, camera, owner), XMP, IPTC and comments; keeps colour profiles (ICC, sRGB,
 * gAMA, cHRM), JFIF and Adobe segments and every pixel byte. A layout it does not understand is
 * returned unchanged rather than guessed at.
 */
function stripMetadata(input, format) {
    const kept = format === 'jpg' ? stripJpeg(input) : format === 'png' ? stripPng(input) : stripWebp(input);
    if (!kept || kept.length === input.length)
        return { bytes: input, changed: false };
    return { bytes: kept, changed: true };
}
/** The segments before the first SOS; the last one returned is the SOS itself. */
function jpegSegments(input) {
    if (input.length < 4 || input[0] !== 0xff || input[1] !== 0xd8)
        return undefined;
    const segments = [];
    let at = 2;
    // The walk is image-header.ts's readJpeg, step for step: what one sees, the other strips.
    while (at + 4 <= input.length) {
        if (input[at] !== 0xff) {
            // Extraneous bytes before a marker: libjpeg warns and skips to the next FF (they are
            // dropped with the stripped segments).
            const next = input.subarray(at, at + 4096).indexOf(0xff);
            if (next <= 0)
                return undefined;
            at += next;
            continue;
        }
        let marker = input[at + 1];
        // Fill bytes (0xFF 0xFF ...) may pad between segments.
        while (marker === 0xff && at + 2 < input.length) {
            at++;
            marker = input[at + 1];
        }
        if (marker === 0xd9)
            return undefined; // EOI before any scan
        if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
            at += 2; // standalone markers
            continue;
        }
        const length = input.readUInt16BE(at + 2);
        if (length < 2 || at + 2 + length > input.length)
            return undefined;
        segments.push({ marker, start: at, end: at + 2 + length, data: at + 4 });
        if (marker === 0xda)
            return segments;
        at += 2 + length;
    }
    return undefined;
}
function startsWith(input, at, prefix) {
    const bytes = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : prefix;
    return input.length >= at + bytes.length && input.subarray(at, at + bytes.length).equals(bytes);
}
/** Whether a segment is metadata that stripping removes. */
function isJpegMetadata(input, s) {
    // APP1: Exif and XMP (also extended XMP); APP13: IPTC and Photoshop resources; COM: comments.
    if (s.marker === 0xe1 || s.marker === 0xed || s.marker === 0xfe)
        return true;
    // APP2 holds ICC profiles (kept) and also MPF, the index of images appended after the main
    // one (a phone's preview or depth map, with their own EXIF): that tail is dropped below.
    return s.marker === 0xe2 && startsWith(input, s.data, 'MPF\0');
}
function stripJpeg(input) {
    const segments = jpegSegments(input);
    if (!segments)
        return undefined;
    const parts = [input.subarray(0, 2)];
    let removed = false;
    for (const s of segments.slice(0, -1)) {
        if (isJpegMetadata(input, s))
            removed = true;
        else
            parts.push(input.subarray(s.start, s.end));
    }
    if (!removed)
        return undefined;
    const scanStart = segments[segments.length - 1].start;
    // Images appended after the end-of-image marker (MPF) go too: they carry their own EXIF.
    parts.push(input.subarray(scanStart, endOfImage(input, scanStart)));
    return Buffer.concat(parts);
}
/** Offset just past the EOI marker that ends the image whose scans start at `from`. */
function endOfImage(input, from) {
    let at = from;
    while (at + 1 < input.length) {
        if (input[at] !== 0xff) {
            at++;
            continue;
        }
        const marker = input[at + 1];
        if (marker === 0xd9)
            return at + 2;
        if (marker === 0x00 || marker === 0xff || (marker >= 0xd0 && marker <= 0xd7)) {
            at += marker === 0xff ? 1 : 2;
            continue;
        }
        // A segment between scans (DHT, SOS, DQT ...): skip its payload, which may hold 0xFF bytes.
        if (at + 4 > input.length)
            break;
        at += 2 + input.readUInt16BE(at + 2);
    }
    return input.length;
}
// ---------------------------------------------------------------------------------------------
// PNG: chunks of length, type, data, CRC.
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunks that hold text, EXIF or dates; colour chunks (iCCP, sRGB, gAMA, cHRM) stay. */
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);
function pngChunks(input) {
    if (!startsWith(input, 0, PNG_SIGNATURE))
        return undefined;
    const chunks = [];
    let at = 8;
    while (at + 12 <= input.length) {
        const length = input.readUInt32BE(at);
        const type = input.toString('latin1', at + 4, at + 8);
        const end = at + 12 + length;
        if (end > input.length)
            return undefined;
        chunks.push({ type, start: at, end });
        at = end;
        if (type === 'IEND')
            break;
    }
    return chunks;
}
function stripPng(input) {
    const chunks = pngChunks(input);
    if (!chunks || !chunks.some((c) => PNG_METADATA.has(c.type)))
        return undefined;
    const kept = chunks.filter((c) => !PNG_METADATA.has(c.type));
    const last = chunks[chunks.length - 1];
    return Buffer.concat([
        input.subarray(0, 8),
        ...kept.map((c) => input.subarray(c.start, c.end)),
        // Whatever follows IEND is no part of the image.
        ...(last.type === 'IEND' ? [] : [input.subarray(last.end)]),
    ]);
}
// ---------------------------------------------------------------------------------------------
// WebP: a RIFF container; the extended layout (VP8X) flags EXIF and XMP chunks.
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;
function webpChunks(input) {
    if (!startsWith(input, 0, 'RIFF') || !startsWith(input, 8, 'WEBP'))
        return undefined;
    const chunks = [];
    let at = 12;
    while (at + 8 <= input.length) {
        const size = input.readUInt32LE(at + 4);
        if (at + 8 + size > input.length)
            return undefined;
        // The pad byte after an odd-sized chunk may be missing at the very end (readWebp allows it).
        const end = Math.min(at + 8 + size + (size & 1), input.length);
        chunks.push({ type: input.toString('latin1', at, at + 4), start: at, end });
        at = end;
    }
    return chunks;
}
function stripWebp(input) {
    const chunks = webpChunks(input);
    if (!chunks || !chunks.some((c) => c.type === 'EXIF' || c.type === 'XMP '))
        return undefined;
    const parts = chunks
        .filter((c) => c.type !== 'EXIF' && c.type !== 'XMP ')
        .map((c) => {
        const bytes = Buffer.from(input.subarray(c.start, c.end));
        // The VP8X flags must no longer announce what is gone.
        if (c.type === 'VP8X' && bytes.length > 8)
            bytes[8] = bytes[8] & ~(VP8X_EXIF | VP8X_XMP);
        return bytes;
    });
    const header = Buffer.from(input.subarray(0, 12));
    const body = Buffer.concat(parts);
    header.writeUInt32LE(4 + body.length, 4);
    return Buffer.concat([header, body]);
}

;// CONCATENATED MODULE: ./src/dataset/fit/fit-image.ts


/** JPEG quality of every re-encoded image (docs/images.md says why 90 and 4:2:0). */
const JPEG_QUALITY = 90;
const WEBP_QUALITY = 90;
/**
 * Makes one image ready: downscaled when its longer side exceeds `maxSide`, turned upright when
 * its EXIF orientation says so, HEIC converted to JPEG, metadata removed. Only the first three
 * need the codec; an image that needs none of them is stripped losslessly, pixels untouched.
 * `type` is what the header reader found (`jpg`, `png`, `webp`, `heic`); `size` its stored size.
 */
async function fitImage(input, type, size, options, 
/** The image's metadata, from its header (plan.ts): then `input` may be the file's path. */
known) {
    const bytes = () => {
        if (typeof input === 'string')
            throw new Error('fitImage needs the bytes for this image');
        return input;
    };
    if (type === 'heic' || type === 'heif')
        return fitHeic(bytes(), options);
    const format = type;
    const meta = known ?? readMetadata(bytes());
    const swapped = meta.orientation >= 5;
    const from = swapped ? { width: size.height, height: size.width } : { ...size };
    const target = fittedSize(from, options.maxSide);
    const downscaled = target.width !== from.width || target.height !== from.height;
    const turned = meta.orientation !== 1;
    const base = {
        format,
        from,
        fromHeic: false,
        downscaled,
        turned,
    };
    if (!downscaled && !turned) {
        if (!options.strip) {
            return {
                ...base,
                bytes: bytes(),
                to: from,
                changed: false,
                reencoded: false,
                locationRemoved: false,
                metadataRemoved: false,
            };
        }
        const stripped = stripMetadata(bytes(), format);
        return {
            ...base,
            bytes: stripped.bytes,
            to: from,
            changed: stripped.changed,
            reencoded: false,
            locationRemoved: stripped.changed && meta.gps,
            metadataRemoved: stripped.changed,
        };
    }
    const sharp = loadSharp();
    // From a path, libvips reads the file itself: the encoded image never sits in the codec's
    // memory whole (a WebAssembly heap only grows), which keeps the peak of a large set lower.
    let pipeline = sharp(input, { limitInputPixels: MAX_PIXELS }).autoOrient();
    if (downscaled)
        pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
    // Colour profiles are kept as they are, not converted: the pixels stay in their own space.
    pipeline = options.strip ? pipeline.keepIccProfile() : pipeline.keepMetadata();
    pipeline = encoderFor(pipeline, format, format === 'webp' && meta.lossless);
    const encoded = await pipeline.toBuffer({ resolveWithObject: true });
    const info = encoded.info;
    let data = encoded.data;
    if (!options.strip) {
        // keepMetadata carries the EXIF over; its orientation must no longer turn the image.
        data = stripOrientationOnly(data);
    }
    return {
        ...base,
        bytes: data,
        to: { width: info.width, height: info.height },
        changed: true,
        reencoded: true,
        locationRemoved: options.strip && meta.gps,
        metadataRemoved: options.strip && meta.strippable,
    };
}
/** The record of an image that goes into the ZIP as it is. */
function unchangedResult(format, meta, size) {
    const shown = meta.orientation >= 5 ? { width: size.height, height: size.width } : { ...size };
    return {
        format,
        from: shown,
        to: shown,
        changed: false,
        reencoded: false,
        downscaled: false,
        turned: false,
        fromHeic: false,
        locationRemoved: false,
        metadataRemoved: false,
    };
}
/** Pixels of the largest image decoded: a 100-megapixel photo, and some room. */
const MAX_PIXELS = 268_402_689;
/** The size an image of `from` is fitted to: longer side `maxSide`, aspect kept, never larger. */
function fittedSize(from, maxSide) {
    const long = Math.max(from.width, from.height);
    if (maxSide <= 0 || long <= maxSide)
        return { ...from };
    const scale = maxSide / long;
    const fit = (n) => Math.max(1, Math.round(n * scale));
    return from.width >= from.height
        ? { width: maxSide, height: fit(from.height) }
        : { width: fit(from.width), height: maxSide };
}
function encoderFor(pipeline, format, lossless) {
    switch (format) {
        case 'jpg':
            return pipeline.jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' });
        case 'png':
            return pipeline.png({ compressionLevel: 6, adaptiveFiltering: false });
        case 'webp':
            return lossless
                ? pipeline.webp({ lossless: true })
                : pipeline.webp({ quality: WEBP_QUALITY });
    }
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
async function fitHeic(input, options) {
    const decoder = new (loadLibheif().HeifDecoder)();
    const [image] = decoder.decode(new Uint8Array(input.buffer, input.byteOffset, input.length));
    if (!image)
        throw new Error('no image inside the HEIC file');
    // libheif applies the HEIC's own rotation and mirroring (irot, imir) while decoding.
    const from = { width: image.get_width(), height: image.get_height() };
    const rgba = new Uint8ClampedArray(from.width * from.height * 4);
    await new Promise((resolve, reject) => image.display({ data: rgba, width: from.width, height: from.height }, (result) => result ? resolve() : reject(new Error('HEIC image could not be decoded'))));
    image.free?.();
    const target = fittedSize(from, options.maxSide);
    const downscaled = target.width !== from.width || target.height !== from.height;
    const sharp = loadSharp();
    let pipeline = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length), {
        raw: { width: from.width, height: from.height, channels: 4 },
    }).removeAlpha();
    if (downscaled)
        pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
    const { data, info } = await pipeline
        .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
        .toBuffer({ resolveWithObject: true });
    return {
        bytes: data,
        format: 'jpg',
        from,
        to: { width: info.width, height: info.height },
        changed: true,
        reencoded: true,
        downscaled,
        turned: false,
        fromHeic: true,
        // Decoded pixels carry nothing: the HEIC's EXIF stays behind whatever `strip` says. Its GPS
        // block is not read, so it is not counted among the locations removed.
        locationRemoved: false,
        metadataRemoved: true,
    };
}

// EXTERNAL MODULE: ./src/dataset/fit/record.ts
var fit_record = __webpack_require__(2443);
;// CONCATENATED MODULE: ./src/dataset/fit/fit-dataset.ts










/** Sides tried, in order, when the ZIP would reach `max-zip-mb` with the images fitted larger. */
const STEP_DOWN_SIDES = [1536, 1024];
/**
 * Fits every image (see fitImage) into `folder`, one image in memory at a time; images that
 * need no change are zipped from where they are. Entry names of HEIC images end in `.jpg`.
 */
async function fitImages(images, options, folder, 
/** Results of an earlier pass at a larger side, reused for images it did not downscale. */
earlier) {
    await (0,promises_.mkdir)(folder, { recursive: true });
    const done = new Array(images.length);
    const fitOne = async (index, scratch) => {
        const image = images[index];
        const before = earlier?.get(image.relative);
        if (before && !before.result.downscaled && !isLarger(before.result.from, options.maxSide)) {
            return before;
        }
        let result;
        try {
            const size = { width: image.width, height: image.height };
            const format = image.type;
            // HEIC/HEIF (image-size names it `heif`) is always decoded: it becomes a JPEG.
            const heif = image.type === 'heic' || image.type === 'heif';
            const meta = heif ? undefined : (0,plan/* metadataOf */.Nk)(image);
            if (meta && !(0,plan/* needsFitting */.dO)(image, options)) {
                // Nothing to change: zipped from where it is, never read whole here.
                return { image, result: unchangedResult(format, meta, size) };
            }
            result =
                meta && (0,plan/* needsCodec */.ct)(meta, size, options.maxSide)
                    ? await fitImage(image.path, image.type, size, options, meta)
                    : await fitImage(await scratch.read(image.path), image.type, size, options, meta);
        }
        catch (error) {
            throw new errors/* ActionError */.l(`${image.relative} could not be decoded to fit it: ${error instanceof Error ? error.message : String(error)}.`, 'Open and re-save the image (or export it again as JPEG), or remove it from the dataset; `max-image-side: 0` turns resizing off.');
        }
        const heic = image.type === 'heic' || image.type === 'heif';
        if (options.strip && !heic && image.hasMetadata && !result.metadataRemoved) {
            // The header saw metadata that the stripper could not take out (a layout it does not
            // understand): say so rather than upload it silently.
            log/* warning */.$e(`${image.relative} carries EXIF, XMP, IPTC or comments in a layout that could not be stripped, so it goes into the ZIP with them. Open and re-save the image (or export it again), or remove it from the dataset.`, { title: 'Dataset', file: image.relative });
        }
        // The bytes go to disk; only the summary of what was done stays in memory.
        const { bytes, ...summary } = result;
        const entryName = result.fromHeic ? `${stripExtension(image.entryName)}.jpg` : image.entryName;
        if (!result.changed && entryName === image.entryName)
            return { image, result: summary };
        const file = external_node_path_.join(folder, `${index}-${entryName}`);
        await (0,promises_.writeFile)(file, bytes);
        // The facts of the new bytes (orientation, metadata, GPS), not those of the original's header.
        const found = (0,image_header/* inspectImageBytes */.TG)(bytes);
        const facts = found.kind === 'image' ? { ...found.header } : {};
        delete facts.broken;
        const fitted = {
            ...facts,
            path: file,
            relative: image.relative,
            entryName,
            bytes: bytes.length,
            type: result.format,
            width: result.to.width,
            height: result.to.height,
        };
        return { image: fitted, result: summary };
    };
    // One image per core at a time (the codec runs each on a thread of its own), each lane reading
    // into one reused buffer: memory stays at a few images' worth whatever the dataset's size.
    // After a failure no lane starts another image, and all have settled before the error goes
    // up: nothing is written into the temp folder once the step starts removing it.
    let next = 0;
    let failed = false;
    const settled = await Promise.allSettled(Array.from({ length: Math.min(lanes(), images.length) }, async () => {
        const scratch = new Scratch();
        while (next < images.length && !failed) {
            const index = next++;
            try {
                done[index] = await fitOne(index, scratch);
            }
            catch (error) {
                failed = true;
                throw error;
            }
        }
    }));
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure)
        throw failure.reason;
    const results = new Map();
    for (const [index, image] of images.entries())
        results.set(image.relative, done[index]);
    return { images: done.map((d) => d.image), results };
}
/** Images fitted at once: the runner's cores, at most 4 (each holds a decoded photo). */
function lanes() {
    return Math.max(1, Math.min(4, (0,external_node_os_.availableParallelism)()));
}
/** A file read into a buffer that is reused for the next file (grown when one is larger). */
class Scratch {
    buffer = Buffer.alloc(0);
    async read(file) {
        const handle = await (0,promises_.open)(file, 'r');
        try {
            const { size } = await handle.stat();
            if (this.buffer.length < size)
                this.buffer = Buffer.allocUnsafe(Math.max(size, 8 << 20));
            let filled = 0;
            while (filled < size) {
                const { bytesRead } = await handle.read(this.buffer, filled, size - filled, filled);
                if (bytesRead === 0)
                    break;
                filled += bytesRead;
            }
            return this.buffer.subarray(0, filled);
        }
        finally {
            await handle.close();
        }
    }
}
function isLarger(size, side) {
    return side > 0 && Math.max(size.width, size.height) > side;
}
/**
 * Fits the dataset and checks the ZIP it gives against the limit: when the ZIP would reach
 * `maxZipBytes`, the side steps down to 1536, then 1024 px, with a warning each time; past that
 * the step fails naming the largest images. `zipSize` gives the ZIP's size for a set of images.
 */
async function fitDataset(images, options, tempRoot, zipSize) {
    const sides = options.maxSide === 0
        ? [0]
        : [options.maxSide, ...STEP_DOWN_SIDES.filter((s) => s < options.maxSide)];
    let earlier;
    let previousFolder;
    for (const [i, side] of sides.entries()) {
        const folder = external_node_path_.join(tempRoot, `fitted-${side}`);
        const pass = await fitImages(images, { ...options, maxSide: side }, folder, earlier);
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
