export const id = 323;
export const ids = [323];
export const modules = {

/***/ 2589:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Nk: () => (/* binding */ metadataOf),
/* harmony export */   ct: () => (/* binding */ needsCodec),
/* harmony export */   dO: () => (/* binding */ needsFitting),
/* harmony export */   lh: () => (/* binding */ shownSize)
/* harmony export */ });
function metadataOf(header) {
    return {
        orientation: header.orientation ?? 1,
        gps: header.gps === true,
        strippable: header.hasMetadata === true,
        lossless: header.lossless === true,
    };
}
/** Whether an image must be decoded: downscaled or turned upright (HEIC always is). */
function needsCodec(meta, size, maxSide) {
    const long = Math.max(size.width, size.height);
    return meta.orientation !== 1 || (maxSide > 0 && long > maxSide);
}
/** Whether fitting would change the image at all: decode it, convert it, or strip it. */
function needsFitting(image, options) {
    if (image.type === 'heic' || image.type === 'heif')
        return true;
    const meta = metadataOf(image);
    return needsCodec(meta, image, options.maxSide) || (options.strip && meta.strippable);
}
/** The size a viewer shows: sides swapped when the orientation turns the image a quarter. */
function shownSize(image) {
    return (image.orientation ?? 1) >= 5
        ? { width: image.height, height: image.width }
        : { width: image.width, height: image.height };
}


/***/ }),

/***/ 4443:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $0: () => (/* binding */ kindOfExtension),
/* harmony export */   SB: () => (/* binding */ describeKind),
/* harmony export */   TG: () => (/* binding */ inspectImageBytes),
/* harmony export */   aH: () => (/* binding */ layoutOf),
/* harmony export */   h1: () => (/* binding */ loadImageSizer),
/* harmony export */   kd: () => (/* binding */ KIND_NAMES),
/* harmony export */   mP: () => (/* binding */ Reader),
/* harmony export */   ty: () => (/* binding */ extensionOfKind),
/* harmony export */   x6: () => (/* binding */ inspectImageFileSync)
/* harmony export */ });
/* unused harmony exports readImageHeader, Cut, exifOrientation */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _limits_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8794);



/** The first read: the whole of a small file, the headers of almost every image. */
const FIRST_READ = 64 * 1024;
/** Beyond the first read, a walk reads this much at a time. */
const WINDOW = 128 * 1024;
/** A HEIF `meta` box (item list, properties) is read whole; it is a few KiB in real files. */
const MAX_META_BOX = 4 * 1024 * 1024;
/** A chunk or segment of metadata is read only up to this many bytes (orientation sits early). */
const MAX_EXIF_READ = 256 * 1024;
const LFS_POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1';
/**
 * Reads an image's type, size and the facts the fitting step needs from its structure, never
 * decoding it, and checks that the file is complete and within the bounds of limits.ts. JPEG,
 * PNG and WebP are walked marker by marker or chunk by chunk to their end (a JPEG's scans
 * included: metadata can sit between them), in windows of 128 KiB, never byte by byte and never
 * holding more than a window. Returns undefined for bytes that are no image image-size knows
 * (and for Git LFS pointers: use inspectImageFile to tell those apart).
 */
async function readImageHeader(file, fileSize) {
    let result = inspectImageFileSync(file, fileSize);
    if (result.kind === 'unknown' && result.unnamed) {
        await loadImageSizer();
        result = inspectImageFileSync(file, fileSize);
    }
    return result.kind === 'image' ? result.header : undefined;
}
let sizer;
/**
 * Loads image-size, which names the images we do not train on (`a GIF image`) and sizes a HEIF
 * whose own boxes give no size. Only such files need it, so it is not in the start-up chunk:
 * parsing and running its 16 KB cost every run about 7 million instructions (valgrind), a
 * twentieth of the action's start-up.
 */
async function loadImageSizer() {
    sizer ??= (await __webpack_require__.e(/* import() */ 13).then(__webpack_require__.bind(__webpack_require__, 2013))).imageSize;
}
/** Thrown inside an inspection that needs image-size before it is loaded. */
class SizerNotLoaded extends Error {
}
/**
 * inspectImageFile with synchronous reads: for a dataset of thousands of small files in the page
 * cache, open/read/close on the main thread costs a fifth of the same calls through libuv's
 * thread pool (measured on 50,000 files: 1.6 s against 9.1 s with 16 in flight).
 */
function inspectImageFileSync(file, fileSize) {
    if (fileSize === 0)
        return { kind: 'empty' };
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file, 'r');
    try {
        return inspect(Reader.open(fd, fileSize));
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
/** Inspects bytes already in memory (tests, and callers that hold a whole file). */
function inspectImageBytes(bytes) {
    if (bytes.length === 0)
        return { kind: 'empty' };
    return inspect(Reader.fromBytes(bytes));
}
function inspect(reader) {
    const head = reader.head;
    if (startsWith(head, 0, LFS_POINTER_PREFIX))
        return { kind: 'lfs-pointer' };
    let header;
    const walked = walk(reader, new Cut());
    if (walked)
        header = walked.header;
    else {
        try {
            header = startsWith(head, 4, 'ftyp') ? readIsoBmff(reader) : otherImage(head);
        }
        catch (error) {
            if (error instanceof SizerNotLoaded)
                return { kind: 'unknown', unnamed: true };
            throw error;
        }
    }
    if (header && header.width > 0 && header.height > 0)
        checkPixels(header);
    return header ? { kind: 'image', header } : { kind: 'unknown' };
}
/** JPEG, PNG and WebP: their facts, and what stripping keeps, from one walk. */
function walk(reader, cut) {
    const head = reader.head;
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
        return { header: readJpeg(reader, cut) };
    if (startsWith(head, 0, '\x89PNG\r\n\x1a\n'))
        return { header: readPng(reader, cut) };
    if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP'))
        return { header: readWebp(reader, cut) };
    return undefined;
}
function checkPixels(header) {
    const pixels = header.width * header.height;
    const heif = header.type === 'heif';
    const limit = heif ? _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_HEIF_PIXELS */ .Ue : _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_PIXELS */ .jg;
    if (pixels > limit) {
        header.overLimit ??= `it declares ${header.width}\u00d7${header.height} pixels, over the limit of ${(0,_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .megapixels */ .aJ)(limit)}${heif ? ' for HEIC/HEIF' : ''}`;
    }
}
/** Any other image image-size knows, only to name it in the error (`a GIF image`). */
function otherImage(head) {
    if (!sizer)
        throw new SizerNotLoaded();
    try {
        const { type, width = 0, height = 0 } = sizer(head);
        if (!type || !(width > 0) || !(height > 0))
            return undefined;
        return { type, width, height };
    }
    catch {
        return undefined;
    }
}
/**
 * The walk's record of what an image needs: the byte ranges kept (adjacent ones merged), what
 * was removed, and the names of removed parts the walk does not know.
 */
class Cut {
    pieces = [];
    removed = false;
    unknown = new Set();
    keep(start, end) {
        if (end <= start)
            return;
        const last = this.pieces[this.pieces.length - 1];
        if (last && 'start' in last && last.end === start)
            last.end = end;
        else
            this.pieces.push({ start, end });
    }
    drop(start, end, unknownName) {
        if (end <= start)
            return;
        this.removed = true;
        if (unknownName)
            this.unknown.add(unknownName);
    }
    insert(bytes) {
        this.pieces.push({ bytes });
    }
}
/**
 * What stripping an image keeps, from the same walk that reads its header: undefined for a
 * layout that is not walked (HEIF, other kinds) or a file that is cut short or over a bound.
 */
function layoutOf(reader) {
    const cut = new Cut();
    const walked = walk(reader, cut);
    const header = walked?.header;
    if (!header || header.broken || !(header.width > 0))
        return undefined;
    checkPixels(header);
    if (header.overLimit)
        return undefined;
    return { cut, header };
}
// ---------------------------------------------------------------------------------------------
// JPEG
// ---------------------------------------------------------------------------------------------
function readJpeg(reader, cut) {
    const header = { type: 'jpg', width: 0, height: 0 };
    cut.keep(0, 2);
    let pos = 2;
    let scans = 0;
    let segments = 0;
    let components = 0;
    let sawExif = false;
    let sawFrame = false;
    let metadata = 0;
    let end = -1;
    // Marker by marker to the end-of-image marker: segments before the first scan, the scans,
    // and whatever sits between them. libjpeg reads the same way (it skips stray bytes before a
    // marker and fill bytes, and stops at the first EOI after a scan).
    while (pos + 2 <= reader.size) {
        if (++segments > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_JPEG_SEGMENTS */ .B3) {
            header.overLimit = `it has more than ${thousands(_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_JPEG_SEGMENTS */ .B3)} segments`;
            break;
        }
        if (reader.byte(pos) !== 0xff) {
            const next = reader.indexOf(0xff, pos + 1);
            if (next < 0)
                break;
            cut.drop(pos, next);
            pos = next;
            continue;
        }
        // Fill bytes (FF FF ... FF xx): the marker is the last FF of the run.
        const after = reader.indexOfNot(0xff, pos + 1);
        if (after < 0)
            break;
        cut.drop(pos, after - 1);
        pos = after - 1;
        const marker = reader.byte(after);
        if (marker === 0xd9) {
            if (scans === 0)
                break; // an end-of-image marker before any scan
            end = pos + 2;
            cut.keep(pos, end);
            break;
        }
        if (marker === 0xd8 ||
            marker === 0x01 ||
            marker === 0x00 ||
            (marker >= 0xd0 && marker <= 0xd7)) {
            cut.drop(pos, pos + 2); // standalone markers out of place: nothing an image needs
            pos += 2;
            continue;
        }
        if (pos + 4 > reader.size)
            break;
        const length = reader.u16(pos + 2);
        if (length < 2)
            break;
        const body = pos + 4;
        const next = pos + 2 + length;
        if (next > reader.size) {
            header.broken = `its ${markerName(marker)} segment runs past the end of the file`;
            break;
        }
        if (marker === 0xda) {
            cut.keep(pos, next);
            if (++scans > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_JPEG_SCANS */ .PJ) {
                header.overLimit = `it has more than ${_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_JPEG_SCANS */ .PJ} scans`;
                break;
            }
            // The entropy-coded data runs to the next marker: an FF there is always followed by 00
            // (a stuffed FF), a restart marker D0-D7, or more FF fill.
            const marker = nextMarker(reader, next);
            if (marker < 0)
                break;
            cut.keep(next, marker);
            pos = marker;
            continue;
        }
        if (isSof(marker)) {
            if (!sawFrame) {
                sawFrame = true;
                const sof = reader.bytes(body, 6);
                header.height = (sof[1] << 8) | sof[2];
                header.width = (sof[3] << 8) | sof[4];
                components = sof[5];
                if (marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce)
                    header.progressive = true;
            }
            cut.keep(pos, next);
        }
        else if (JPEG_TABLES.has(marker)) {
            cut.keep(pos, next);
        }
        else if (marker === 0xe0 && startsWith(reader.bytes(body, 5), 0, 'JFIF\0')) {
            keepJfif(reader, cut, pos, length);
        }
        else if (marker === 0xe2 && startsWith(reader.bytes(body, 12), 0, 'ICC_PROFILE\0')) {
            header.hasIccProfile = true;
            metadata += length;
            cut.keep(pos, next);
        }
        else if (marker === 0xee && startsWith(reader.bytes(body, 5), 0, 'Adobe')) {
            cut.keep(pos, next);
        }
        else {
            metadata += length;
            if (marker === 0xe1 && startsWith(reader.bytes(body, 6), 0, 'Exif\0\0')) {
                // Decoders read the orientation from the first EXIF before the scans; a GPS position
                // counts wherever it is.
                const exif = readExif(reader.bytes(body + 6, Math.min(length - 8, MAX_EXIF_READ)));
                if (!sawExif && scans === 0 && exif.orientation !== undefined)
                    header.orientation = exif.orientation;
                if (scans === 0)
                    sawExif = true;
                if (exif.gps)
                    header.gps = true;
            }
            cut.drop(pos, next, KNOWN_JPEG.has(marker) ? undefined : `JPEG ${markerName(marker)} segment`);
        }
        pos = next;
    }
    if (metadata > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_METADATA_BYTES */ .Fx)
        header.overLimit ??= metadataOver();
    // Whatever follows the image's end is no part of it: a phone's appended preview or depth
    // map (MPF), a motion photo's video, padding.
    if (end > 0)
        cut.drop(end, reader.size);
    if (!(header.width > 0 && header.height > 0)) {
        // No frame header in a JPEG that starts like one: cut short inside its headers, or no JPEG.
        if (!header.broken && scans === 0 && pos + 4 > reader.size) {
            header.broken = 'it ends inside its headers, before the image size';
        }
        return header.broken || header.overLimit ? header : undefined;
    }
    if (components === 4)
        header.cmyk = true;
    if (!header.broken && !header.overLimit && end < 0) {
        header.broken =
            scans === 0
                ? 'it ends before its image data'
                : 'no end-of-image marker (FFD9) after its image data';
    }
    if (cut.removed)
        header.hasMetadata = true;
    return header;
}
/** A JFIF APP0's length with nothing after its header: no thumbnail. */
const JFIF_LENGTH = 16;
/**
 * Keeps a JFIF APP0 as its header alone. The header says how to read the pixels (version, pixel
 * density); a thumbnail after it is a small copy of the original photo, which must not outlive
 * the fitting. A segment that is exactly a header with a 0 \u00d7 0 thumbnail is kept byte for byte,
 * so such images (almost all) keep their bytes; any other is written anew with its header and
 * the thumbnail's size set to 0 \u00d7 0.
 */
function keepJfif(reader, cut, pos, length) {
    const next = pos + 2 + length;
    if (length < JFIF_LENGTH) {
        // Too short to hold a thumbnail: as it is, as libjpeg reads it.
        cut.keep(pos, next);
        return;
    }
    const segment = reader.bytes(pos, 2 + JFIF_LENGTH);
    if (length === JFIF_LENGTH && segment[16] === 0 && segment[17] === 0) {
        cut.keep(pos, next);
        return;
    }
    const header = Buffer.from(segment);
    header.writeUInt16BE(JFIF_LENGTH, 2);
    header[16] = 0;
    header[17] = 0;
    cut.insert(header);
    cut.drop(pos, next);
}
/** DHT, DAC, DQT, DNL, DRI: tables and markers the image data needs. */
const JPEG_TABLES = new Set([0xc4, 0xcc, 0xdb, 0xdc, 0xdd]);
/**
 * Segments known to hold metadata, removed without a word: APP0 other than JFIF (JFXX
 * thumbnails; a JFIF's own thumbnail goes too, keepJfif), APP1 (EXIF, XMP, extended XMP), APP2
 * other than ICC (MPF, FlashPix), APP11 (JUMBF: C2PA), APP12 (Ducky, picture info), APP13
 * (Photoshop, IPTC) and COM.
 */
const KNOWN_JPEG = new Set([0xe0, 0xe1, 0xe2, 0xeb, 0xec, 0xed, 0xfe]);
/** The offset of the next marker's FF at or after `from` in entropy-coded data, or -1. */
function nextMarker(reader, from) {
    let at = from;
    for (;;) {
        const ff = reader.indexOf(0xff, at);
        if (ff < 0)
            return -1;
        const after = reader.indexOfNot(0xff, ff + 1);
        if (after < 0)
            return -1;
        const marker = reader.byte(after);
        if (marker !== 0x00 && !(marker >= 0xd0 && marker <= 0xd7))
            return after - 1;
        at = after + 1;
    }
}
function isSof(marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
function markerName(marker) {
    if (marker >= 0xe0 && marker <= 0xef)
        return `APP${marker - 0xe0}`;
    if (isSof(marker))
        return 'frame header (SOF)';
    if (marker === 0xfe)
        return 'COM';
    return `0xFF${marker.toString(16).toUpperCase().padStart(2, '0')}`;
}
/** 10000 as "10,000" (toLocaleString would load ICU's locale data: 25 ms of start-up). */
function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
function metadataOver() {
    return `its metadata comes to more than ${_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_METADATA_BYTES */ .Fx / 2 ** 20} MiB, the limit (text and colour profiles counted inflated)`;
}
// ---------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------
/**
 * What a PNG needs: its critical chunks, transparency, colour (profile, sRGB, gamma,
 * chromaticities, significant bits, CICP, HDR mastering and light level), how its pixels are
 * shown (their aspect ratio, `pHYs`, and the background, `bKGD`: neither says anything about who
 * took the picture or where, and stripping them would change the bytes, and so the fingerprint
 * and the job name, of every such PNG trained before) and APNG's animation.
 */
const PNG_KEPT = new Set([
    'IHDR',
    'PLTE',
    'IDAT',
    'IEND',
    'tRNS',
    'pHYs',
    'bKGD',
    'iCCP',
    'sRGB',
    'gAMA',
    'cHRM',
    'sBIT',
    'cICP',
    'mDCv',
    'cLLi',
    'mDCV',
    'cLLI',
    'acTL',
    'fcTL',
    'fdAT',
]);
/** Chunks known to hold metadata or display hints, removed without a word. */
const PNG_KNOWN = new Set([
    'tEXt',
    'zTXt',
    'iTXt',
    'eXIf',
    'tIME',
    'hIST',
    'sPLT',
    'oFFs',
    'pCAL',
    'sCAL',
    'sTER',
    'dSIG',
    'caBX',
    'iDOT',
    'vpAg',
]);
function readPng(reader, cut) {
    const header = { type: 'png', width: 0, height: 0 };
    cut.keep(0, 8);
    let pos = 8;
    let sawEnd = false;
    let sawExif = false;
    let chunks = 0;
    let metadata = 0;
    // Chunk by chunk to IEND, reading 8 bytes of each: a chunk that runs past the end, or no IEND,
    // is a file cut short.
    while (pos + 8 <= reader.size) {
        if (++chunks > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_CHUNKS */ .sJ) {
            header.overLimit = `it has more than ${thousands(_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_CHUNKS */ .sJ)} chunks`;
            break;
        }
        const length = reader.u32(pos);
        const type = reader.ascii(pos + 4, 4);
        const data = pos + 8;
        const end = pos + 12 + length;
        if (end > reader.size) {
            header.broken = `its ${printableType(type)} chunk runs past the end of the file`;
            break;
        }
        if (type === 'IHDR' && length >= 13) {
            header.width = reader.u32(data);
            header.height = reader.u32(data + 4);
        }
        else if (type === 'acTL') {
            header.animated = true;
        }
        else if (type === 'iCCP') {
            header.hasIccProfile = true;
        }
        else if (type === 'eXIf' && !sawExif) {
            sawExif = true;
            const exif = readExif(reader.bytes(data, Math.min(length, MAX_EXIF_READ)));
            if (exif.orientation !== undefined)
                header.orientation = exif.orientation;
            if (exif.gps)
                header.gps = true;
        }
        // Text and profiles as the decoder holds them: inflated.
        if (type === 'zTXt' || type === 'iTXt' || type === 'iCCP') {
            metadata += inflatedSize(reader, data, length, type, _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_METADATA_BYTES */ .Fx - metadata);
        }
        else if (!PNG_KEPT.has(type)) {
            metadata += length;
        }
        if (PNG_KEPT.has(type))
            cut.keep(pos, end);
        else
            cut.drop(pos, end, PNG_KNOWN.has(type) ? undefined : `PNG ${printableType(type)} chunk`);
        if (metadata > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_METADATA_BYTES */ .Fx) {
            header.overLimit = metadataOver();
            break;
        }
        pos = end;
        if (type === 'IEND') {
            sawEnd = true;
            break;
        }
    }
    // Data after IEND is no part of the image (decoders ignore it).
    if (sawEnd)
        cut.drop(pos, reader.size);
    if (!(header.width > 0 && header.height > 0)) {
        if (header.overLimit)
            return header;
        if (reader.size >= 8 + 8 + 13)
            return header.broken ? header : undefined;
        header.broken ??= 'it ends inside its headers, before the image size';
        return header;
    }
    if (!sawEnd && !header.overLimit)
        header.broken ??= 'no IEND chunk at its end';
    if (cut.removed)
        header.hasMetadata = true;
    return header;
}
/**
 * The size a compressed PNG chunk (zTXt, compressed iTXt, iCCP) inflates to, inflating at most
 * `budget` bytes and one more: a few kilobytes can inflate to gigabytes, which the decoder would
 * hold. Data that does not inflate counts as its own length (the decoder fails on it).
 */
function inflatedSize(reader, data, length, type, budget) {
    // Deflate never shrinks data by more than a few bytes in 64 KiB: a stream much longer than
    // the budget inflates past it.
    if (length > budget + budget / 1000 + 1024)
        return length;
    const bytes = reader.copy(data, length);
    let at = bytes.indexOf(0) + 1; // after the keyword
    if (at <= 0)
        return length;
    if (type === 'iTXt') {
        if (bytes[at] !== 1)
            return length; // not compressed
        at += 2;
        for (let i = 0; i < 2; i++) {
            const zero = bytes.indexOf(0, at); // language tag, translated keyword
            if (zero < 0)
                return length;
            at = zero + 1;
        }
    }
    else {
        at += 1; // compression method
    }
    try {
        return (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.inflateSync)(bytes.subarray(at), { maxOutputLength: Math.max(1, budget + 1) }).length;
    }
    catch (error) {
        if (error.code === 'ERR_BUFFER_TOO_LARGE')
            return budget + 1;
        return length;
    }
}
function printableType(type) {
    return /^[A-Za-z0-9 ]{4}$/.test(type) ? type.trim() : 'last';
}
// ---------------------------------------------------------------------------------------------
// WebP
// ---------------------------------------------------------------------------------------------
/** What a WebP needs: the extended header, the image (lossy, lossless, alpha), ICC, animation. */
const WEBP_KEPT = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ICCP', 'ANIM', 'ANMF']);
/** EXIF and XMP: known metadata, removed without a word. */
const WEBP_KNOWN = new Set(['EXIF', 'XMP ']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;
function readWebp(reader, cut) {
    const header = { type: 'webp', width: 0, height: 0 };
    const riffEnd = readU32LE(reader.head, 4) + 8;
    if (riffEnd !== reader.size) {
        header.broken =
            riffEnd > reader.size
                ? `its RIFF header says ${riffEnd} bytes but the file has ${reader.size}`
                : `its RIFF header says ${riffEnd} bytes but the file has ${reader.size} (data after the image)`;
    }
    const end = Math.min(riffEnd, reader.size);
    let pos = 12;
    let sawImage = false;
    let sawExif = false;
    let chunks = 0;
    let metadata = 0;
    let kept = 0;
    // The RIFF header is written anew (its size changes when chunks go); it is the first piece.
    const riff = new Uint8Array(12);
    cut.insert(riff);
    while (pos + 8 <= end) {
        if (++chunks > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_CHUNKS */ .sJ) {
            header.overLimit = `it has more than ${thousands(_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_CHUNKS */ .sJ)} chunks`;
            break;
        }
        const type = reader.ascii(pos, 4);
        const length = reader.u32le(pos + 4);
        const data = pos + 8;
        // The pad byte after an odd-sized chunk may be missing at the very end.
        const next = Math.min(data + length + (length & 1), end);
        if (data + length > end) {
            header.broken ??= `its ${printableType(type.trim())} chunk runs past the end of the file`;
        }
        if (type === 'VP8X' && length >= 10) {
            const x = reader.bytes(data, 10);
            const flags = x[0];
            if (flags & 0x02)
                header.animated = true;
            if (flags & 0x20)
                header.hasIccProfile = true;
            header.width = (x[4] | (x[5] << 8) | (x[6] << 16)) + 1;
            header.height = (x[7] | (x[8] << 8) | (x[9] << 16)) + 1;
        }
        else if (type === 'VP8 ' && length >= 10) {
            sawImage = true;
            const v = reader.bytes(data, 10);
            if (header.width === 0 && v[3] === 0x9d && v[4] === 0x01 && v[5] === 0x2a) {
                header.width = readU16LE(v, 6) & 0x3fff;
                header.height = readU16LE(v, 8) & 0x3fff;
            }
        }
        else if (type === 'VP8L' && length >= 5) {
            sawImage = true;
            header.lossless = true;
            const v = reader.bytes(data, 5);
            if (header.width === 0 && v[0] === 0x2f) {
                const bits = readU32LE(v, 1);
                header.width = (bits & 0x3fff) + 1;
                header.height = ((bits >>> 14) & 0x3fff) + 1;
            }
        }
        else if (type === 'ANIM' || type === 'ANMF') {
            header.animated = true;
            sawImage = true;
        }
        else if (type === 'ICCP') {
            header.hasIccProfile = true;
            metadata += length;
        }
        else if (type === 'EXIF') {
            let exif = reader.bytes(data, Math.min(length, MAX_EXIF_READ));
            // Some writers keep JPEG's "Exif\0\0" prefix in the chunk.
            if (startsWith(exif, 0, 'Exif\0\0'))
                exif = exif.subarray(6);
            const found = readExif(exif);
            if (!sawExif && found.orientation !== undefined)
                header.orientation = found.orientation;
            if (found.gps)
                header.gps = true;
            sawExif = true;
        }
        if (WEBP_KEPT.has(type)) {
            kept += next - pos;
            if (type === 'VP8X' && next - pos >= 9) {
                // The VP8X flags must not announce chunks that are gone.
                const copy = reader.copy(pos, next - pos);
                copy[8] = copy[8] & ~(VP8X_EXIF | VP8X_XMP);
                cut.insert(copy);
            }
            else {
                cut.keep(pos, next);
            }
        }
        else {
            if (type !== 'ICCP')
                metadata += length;
            cut.drop(pos, next, WEBP_KNOWN.has(type) ? undefined : `WebP ${printableType(type.trim())} chunk`);
        }
        if (metadata > _limits_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_METADATA_BYTES */ .Fx) {
            header.overLimit = metadataOver();
            break;
        }
        if (data + length > end)
            break;
        pos = next;
    }
    riff.set([0x52, 0x49, 0x46, 0x46]); // RIFF
    new DataView(riff.buffer).setUint32(4, 4 + kept, true);
    riff.set([0x57, 0x45, 0x42, 0x50], 8); // WEBP
    if (!(header.width > 0 && header.height > 0)) {
        if (!header.broken && !header.overLimit)
            return undefined;
        return header;
    }
    if (!sawImage && !header.overLimit)
        header.broken ??= 'it has no image data';
    if (cut.removed)
        header.hasMetadata = true;
    return header;
}
// ---------------------------------------------------------------------------------------------
// HEIF (ISO base media file format): HEIC, and AVIF to name it
// ---------------------------------------------------------------------------------------------
const HEIF_BRANDS = new Set([
    'heic',
    'heix',
    'heim',
    'heis',
    'hevc',
    'hevx',
    'hevm',
    'hevs',
    'mif1',
    'msf1',
    'mif2',
]);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const SEQUENCE_BRANDS = new Set(['msf1', 'hevc', 'hevx', 'hevs', 'hevm', 'avis']);
function readIsoBmff(reader) {
    const boxes = [];
    let broken;
    let pos = 0;
    // Top-level boxes (ftyp, meta, mdat, ...): a box that runs past the end is a file cut short.
    while (pos + 8 <= reader.size && boxes.length < 1000) {
        const b = reader.bytes(pos, 16);
        let size = readU32BE(b, 0);
        const type = ascii(b, 4, 8);
        let start = pos + 8;
        if (size === 1) {
            if (b.length < 16)
                break;
            size = readU32BE(b, 8) * 2 ** 32 + readU32BE(b, 12);
            start += 8;
        }
        else if (size === 0) {
            size = reader.size - pos;
        }
        if (size < start - pos) {
            broken = `its ${printableType(type)} box has an impossible size`;
            break;
        }
        if (pos + size > reader.size) {
            broken = `its ${printableType(type)} box runs past the end of the file`;
            boxes.push({ type, start, end: reader.size });
            break;
        }
        boxes.push({ type, start, end: pos + size });
        pos += size;
    }
    const ftyp = boxes.find((b) => b.type === 'ftyp');
    if (!ftyp || boxes[0] !== ftyp)
        return undefined;
    const ftypBytes = reader.bytes(ftyp.start, Math.min(ftyp.end - ftyp.start, 256));
    const brands = new Set();
    const major = ascii(ftypBytes, 0, 4);
    brands.add(major);
    for (let i = 8; i + 4 <= ftypBytes.length; i += 4)
        brands.add(ascii(ftypBytes, i, i + 4));
    const isAvif = AVIF_BRANDS.has(major) ||
        ([...brands].some((b) => AVIF_BRANDS.has(b)) &&
            ![...brands].some((b) => b.startsWith('he') || b === 'mif2'));
    const isHeif = !isAvif && [...brands].some((b) => HEIF_BRANDS.has(b));
    if (!isAvif && !isHeif)
        return otherImage(reader.head);
    const header = { type: isAvif ? 'avif' : 'heif', width: 0, height: 0 };
    if (broken)
        header.broken = broken;
    if (boxes.some((b) => b.type === 'moov') || SEQUENCE_BRANDS.has(major))
        header.animated = true;
    const meta = boxes.find((b) => b.type === 'meta');
    if (meta && meta.end - meta.start <= MAX_META_BOX) {
        const bytes = reader.bytes(meta.start, meta.end - meta.start);
        if (bytes.length === meta.end - meta.start)
            readHeifMeta(bytes, header);
    }
    if (!(header.width > 0 && header.height > 0)) {
        if (header.broken)
            return header;
        // A container image-size may still size (it reads the first image's size).
        const other = otherImage(reader.head);
        if (!other)
            return undefined;
        return { ...header, width: other.width, height: other.height };
    }
    if (!boxes.some((b) => b.type === 'mdat') && !header.broken) {
        header.broken = 'it has no image data (no mdat box)';
    }
    return header;
}
/** Reads the primary image's size, rotation and mirroring, and whether Exif/XMP items exist. */
function readHeifMeta(meta, header) {
    // `meta` is a full box: 4 bytes of version and flags, then child boxes.
    const children = childBoxes(meta, 4, meta.length);
    let primary = -1;
    const pitm = children.find((b) => b.type === 'pitm');
    if (pitm)
        primary =
            meta[pitm.start] === 0 ? readU16BE(meta, pitm.start + 4) : readU32BE(meta, pitm.start + 4);
    const iinf = children.find((b) => b.type === 'iinf');
    if (iinf) {
        const version = meta[iinf.start];
        const first = iinf.start + 4 + (version === 0 ? 2 : 4);
        for (const infe of childBoxes(meta, first, iinf.end)) {
            if (infe.type !== 'infe')
                continue;
            const v = meta[infe.start];
            if (v < 2)
                continue;
            const typeAt = infe.start + 4 + (v === 2 ? 2 : 4) + 2;
            const itemType = ascii(meta, typeAt, typeAt + 4);
            if (itemType === 'Exif' || itemType === 'mime')
                header.hasMetadata = true;
        }
    }
    const iprp = children.find((b) => b.type === 'iprp');
    if (!iprp)
        return;
    const iprpChildren = childBoxes(meta, iprp.start, iprp.end);
    const ipco = iprpChildren.find((b) => b.type === 'ipco');
    if (!ipco)
        return;
    const properties = childBoxes(meta, ipco.start, ipco.end);
    if (properties.some((p) => p.type === 'colr'))
        header.hasIccProfile = true;
    // Which properties belong to the primary item (1-based indexes into ipco).
    const mine = [];
    for (const ipma of iprpChildren.filter((b) => b.type === 'ipma')) {
        const version = meta[ipma.start];
        const wide = (meta[ipma.start + 3] & 1) === 1;
        let p = ipma.start + 4;
        const count = readU32BE(meta, p);
        p += 4;
        for (let i = 0; i < count && p < ipma.end; i++) {
            const item = version < 1 ? readU16BE(meta, p) : readU32BE(meta, p);
            p += version < 1 ? 2 : 4;
            const n = meta[p++];
            for (let j = 0; j < n; j++) {
                const index = wide ? readU16BE(meta, p) & 0x7fff : meta[p] & 0x7f;
                p += wide ? 2 : 1;
                if (item === primary || primary < 0)
                    mine.push(index);
            }
            if (primary < 0)
                break;
        }
    }
    let rotation = 0;
    let mirror;
    for (const index of mine) {
        const box = properties[index - 1];
        if (!box)
            continue;
        if (box.type === 'ispe' && box.end - box.start >= 12) {
            header.width = readU32BE(meta, box.start + 4);
            header.height = readU32BE(meta, box.start + 8);
        }
        else if (box.type === 'irot') {
            rotation = meta[box.start] & 3; // anticlockwise, in quarter turns
        }
        else if (box.type === 'imir') {
            mirror = meta[box.start] & 1; // 0: vertical axis (left-right), 1: horizontal axis
        }
    }
    const orientation = heifOrientation(rotation, mirror);
    if (orientation !== 1)
        header.orientation = orientation;
}
/**
 * The EXIF orientation that does what HEIF's `irot` (anticlockwise quarter turns, applied first)
 * and `imir` (applied after) do. EXIF names the transform a viewer applies to the stored pixels:
 * 6 = turn 90\u00b0 clockwise, 8 = 90\u00b0 anticlockwise, 3 = 180\u00b0; 2 = mirror left-right, 4 = top-bottom,
 * 5 = transpose, 7 = transverse.
 */
function heifOrientation(rotation, mirror) {
    const rotate = [1, 8, 3, 6][rotation];
    if (mirror === undefined)
        return rotate;
    // Mirroring after a rotation: left-right (axis vertical, imir 0) or top-bottom (imir 1).
    const leftRight = { 1: 2, 8: 7, 3: 4, 6: 5 };
    const topBottom = { 1: 4, 8: 5, 3: 2, 6: 7 };
    return (mirror === 0 ? leftRight : topBottom)[rotate];
}
function childBoxes(bytes, start, end) {
    const boxes = [];
    let pos = start;
    while (pos + 8 <= end && boxes.length < 10_000) {
        let size = readU32BE(bytes, pos);
        const type = ascii(bytes, pos + 4, pos + 8);
        let content = pos + 8;
        if (size === 1) {
            if (pos + 16 > end)
                break;
            size = readU32BE(bytes, pos + 8) * 2 ** 32 + readU32BE(bytes, pos + 12);
            content += 8;
        }
        else if (size === 0)
            size = end - pos;
        if (size < content - pos || pos + size > end)
            break;
        boxes.push({ type, start: content, end: pos + size });
        pos += size;
    }
    return boxes;
}
// ---------------------------------------------------------------------------------------------
// EXIF (TIFF structure): the orientation tag of IFD0
// ---------------------------------------------------------------------------------------------
/** The orientation (1-8) in a TIFF-structured EXIF block, or undefined. */
function exifOrientation(tiff) {
    return readExif(tiff).orientation;
}
/**
 * What IFD0 of a TIFF-structured EXIF block says: the orientation (tag 0x0112: 1 to 8, else
 * undefined) and whether a GPS IFD (pointer tag 0x8825) with entries is there.
 */
function readExif(tiff) {
    const found = { gps: false };
    if (tiff.length < 8)
        return found;
    const little = tiff[0] === 0x49 && tiff[1] === 0x49;
    const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
    if (!little && !big)
        return found;
    const u16 = (at) => (little ? readU16LE(tiff, at) : readU16BE(tiff, at));
    const u32 = (at) => (little ? readU32LE(tiff, at) : readU32BE(tiff, at));
    if (u16(2) !== 42)
        return found;
    const ifd = u32(4);
    if (ifd + 2 > tiff.length)
        return found;
    const count = u16(ifd);
    let sawOrientation = false;
    for (let i = 0; i < count; i++) {
        const entry = ifd + 2 + i * 12;
        if (entry + 12 > tiff.length)
            break;
        const tag = u16(entry);
        if (tag === 0x0112 && !sawOrientation) {
            sawOrientation = true;
            const type = u16(entry + 2);
            const value = type === 3 ? u16(entry + 8) : type === 4 ? u32(entry + 8) : 0;
            if (value >= 1 && value <= 8)
                found.orientation = value;
        }
        else if (tag === 0x8825) {
            const gpsIfd = u32(entry + 8);
            found.gps ||= gpsIfd + 2 <= tiff.length && u16(gpsIfd) > 0;
        }
    }
    return found;
}
// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------
/**
 * Positional reads of one file: the first 64 KiB are read once and served from memory, and a
 * walk past them reads a window of 128 KiB at a time, so a million small chunks cost a few
 * dozen reads, not a million. The buffers are shared by every reader (a reader lives only within
 * one synchronous inspection, and what it finds is copied out as numbers and flags): what
 * bytes() returns is valid until the next call; copy() is a copy of one's own.
 */
class Reader {
    head;
    size;
    fd;
    /** Bytes read from files by every reader so far (a test holds a walk to one read per byte). */
    static bytesRead = 0;
    static scratch;
    static windowBuffer;
    window = Buffer.alloc(0);
    windowStart = 0;
    constructor(head, size, fd) {
        this.head = head;
        this.size = size;
        this.fd = fd;
    }
    static open(fd, size) {
        // A fresh 64 KiB per file was garbage that grew the heap of a large dataset by megabytes.
        const buffer = (Reader.scratch ??= Buffer.allocUnsafe(FIRST_READ)).subarray(0, Math.min(FIRST_READ, size));
        const bytesRead = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buffer, 0, buffer.length, 0);
        Reader.bytesRead += bytesRead;
        // A file that shrank since its size was taken is as long as what could be read.
        const head = buffer.subarray(0, bytesRead);
        return new Reader(head, bytesRead < buffer.length ? bytesRead : size, fd);
    }
    static fromBytes(bytes) {
        const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
        return new Reader(buffer, buffer.length, null);
    }
    /** Up to `length` bytes at `position` (fewer at the end of the file); valid until the next call. */
    bytes(position, length) {
        const end = Math.min(position + length, this.size);
        if (position >= end)
            return Buffer.alloc(0);
        if (end <= this.head.length)
            return this.head.subarray(position, end);
        if (this.fd === null)
            return Buffer.alloc(0);
        if (end - position > WINDOW)
            return this.copy(position, end - position);
        if (position < this.windowStart || end > this.windowStart + this.window.length) {
            this.load(position);
        }
        return this.window.subarray(position - this.windowStart, end - this.windowStart);
    }
    /**
     * The bytes from `position` to the end of what is in memory there: the rest of the first read
     * or of the current window, or a new window read at `position`. Empty at the end of the file.
     */
    span(position) {
        if (position >= this.size)
            return Buffer.alloc(0);
        if (position < this.head.length)
            return this.head.subarray(position);
        if (this.fd === null)
            return Buffer.alloc(0);
        const inWindow = position - this.windowStart;
        if (inWindow < 0 || inWindow >= this.window.length)
            this.load(position);
        return this.window.subarray(position - this.windowStart);
    }
    load(position) {
        const buffer = (Reader.windowBuffer ??= Buffer.allocUnsafe(WINDOW));
        const bytesRead = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(this.fd, buffer, 0, Math.min(WINDOW, this.size - position), position);
        Reader.bytesRead += bytesRead;
        this.window = buffer.subarray(0, bytesRead);
        this.windowStart = position;
    }
    /** `length` bytes at `position` in a buffer of their own (fewer at the end of the file). */
    copy(position, length) {
        const end = Math.min(position + length, this.size);
        if (position >= end)
            return Buffer.alloc(0);
        if (end <= this.head.length || this.fd === null) {
            return Buffer.from(this.head.subarray(position, Math.min(end, this.head.length)));
        }
        const buffer = Buffer.allocUnsafe(end - position);
        const bytesRead = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(this.fd, buffer, 0, buffer.length, position);
        Reader.bytesRead += bytesRead;
        return buffer.subarray(0, bytesRead);
    }
    byte(position) {
        return this.bytes(position, 1)[0] ?? -1;
    }
    u16(position) {
        return readU16BE(this.bytes(position, 2), 0);
    }
    u32(position) {
        return readU32BE(this.bytes(position, 4), 0);
    }
    u32le(position) {
        return readU32LE(this.bytes(position, 4), 0);
    }
    ascii(position, length) {
        return ascii(this.bytes(position, length), 0, length);
    }
    /** The first offset at or after `from` that holds `value`, or -1. */
    indexOf(value, from) {
        for (let at = from; at < this.size;) {
            const chunk = this.span(at);
            if (chunk.length === 0)
                return -1;
            const found = chunk.indexOf(value);
            if (found >= 0)
                return at + found;
            at += chunk.length;
        }
        return -1;
    }
    /** The first offset at or after `from` that does not hold `value`, or -1. */
    indexOfNot(value, from) {
        for (let at = from; at < this.size;) {
            const chunk = this.span(at);
            if (chunk.length === 0)
                return -1;
            for (let i = 0; i < chunk.length; i++)
                if (chunk[i] !== value)
                    return at + i;
            at += chunk.length;
        }
        return -1;
    }
}
function startsWith(bytes, at, text) {
    if (bytes.length < at + text.length)
        return false;
    for (let i = 0; i < text.length; i++)
        if (bytes[at + i] !== text.charCodeAt(i))
            return false;
    return true;
}
function ascii(bytes, start, end) {
    let out = '';
    for (let i = start; i < end && i < bytes.length; i++)
        out += String.fromCharCode(bytes[i]);
    return out;
}
function readU16BE(b, at) {
    return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
function readU16LE(b, at) {
    return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function readU32BE(b, at) {
    return ((((b[at] ?? 0) << 24) |
        ((b[at + 1] ?? 0) << 16) |
        ((b[at + 2] ?? 0) << 8) |
        (b[at + 3] ?? 0)) >>>
        0);
}
function readU32LE(b, at) {
    return (((b[at] ?? 0) |
        ((b[at + 1] ?? 0) << 8) |
        ((b[at + 2] ?? 0) << 16) |
        ((b[at + 3] ?? 0) << 24)) >>>
        0);
}
// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------
/** The image kind an extension promises, for the extensions we train on. */
function kindOfExtension(ext) {
    switch (ext.toLowerCase()) {
        case '.jpg':
        case '.jpeg':
            return 'jpg';
        case '.png':
            return 'png';
        case '.webp':
            return 'webp';
        case '.heic':
        case '.heif':
            return 'heif';
        default:
            return undefined;
    }
}
/** The kinds we train on, by the name users know them by. */
const KIND_NAMES = {
    jpg: 'JPEG',
    png: 'PNG',
    webp: 'WebP',
    heif: 'HEIF',
};
const OTHER_NAMES = {
    avif: 'AVIF',
    jxl: 'JPEG XL',
    'jxl-stream': 'JPEG XL',
    jp2: 'JPEG 2000',
    j2c: 'JPEG 2000',
    tiff: 'TIFF',
    svg: 'SVG',
    icns: 'ICNS',
    ico: 'ICO',
    cur: 'CUR',
};
/** Names read letter by letter or as a word starting with a vowel sound take "an". */
const AN = new Set(['AVIF', 'SVG', 'ICNS', 'ICO']);
/** "a JPEG image", "an AVIF image", "a GIF image": what a file's bytes are, for messages. */
function describeKind(type) {
    const name = KIND_NAMES[type] ?? OTHER_NAMES[type] ?? type.toUpperCase();
    return `${AN.has(name) ? 'an' : 'a'} ${name} image`;
}
/** The extension a kind is best named with (a PNG named .jpg is told to be .png). */
function extensionOfKind(type) {
    return type === 'heif' ? '.heic' : `.${type}`;
}


/***/ }),

/***/ 8794:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B3: () => (/* binding */ MAX_JPEG_SEGMENTS),
/* harmony export */   Fx: () => (/* binding */ MAX_METADATA_BYTES),
/* harmony export */   JO: () => (/* binding */ CODEC_MEMORY_BYTES),
/* harmony export */   Nh: () => (/* binding */ IMAGE_TIME_LIMIT_MS),
/* harmony export */   PJ: () => (/* binding */ MAX_JPEG_SCANS),
/* harmony export */   Ue: () => (/* binding */ MAX_HEIF_PIXELS),
/* harmony export */   aJ: () => (/* binding */ megapixels),
/* harmony export */   jg: () => (/* binding */ MAX_PIXELS),
/* harmony export */   sJ: () => (/* binding */ MAX_CHUNKS)
/* harmony export */ });
/**
 * What the action will decode, or even walk, of one image: a pull request's files are untrusted,
 * and a few kilobytes can declare billions of pixels, thousands of scans or millions of
 * segments. Every image is checked against these bounds from its header before anything decodes
 * it; the decoders are given the same limits (sharp's limitInputPixels, libheif's size limit),
 * and the codec threads add a time and a memory bound (src/dataset/fit/pool.ts).
 * docs/security.md lists them and says why each is where it is.
 */
/**
 * Pixels of an image, as its header declares them: every format, every decoder. The largest
 * phone sensors give 200 megapixels (16320 \u00d7 12240; 16384 \u00d7 12288 on some), which must fit.
 */
const MAX_PIXELS = 220_000_000;
/**
 * Pixels of a HEIC/HEIF image. Its decoder cannot shrink while it decodes (JPEG can): the whole
 * image is held as RGB while it is downscaled. An iPhone's largest photo is 48 megapixels
 * (8064 \u00d7 6048); above this, export the photo as JPEG.
 */
const MAX_HEIF_PIXELS = 64_000_000;
/**
 * Scans of a JPEG. Each scan of a progressive JPEG is a pass over every block of the image;
 * encoders write 10 or so (libjpeg's default progression: 10, Photoshop: 3 to 5).
 */
const MAX_JPEG_SCANS = 100;
/**
 * Segments (and runs of stray bytes) of a JPEG, the first scan's included. A photo has 10 to 30;
 * a colour profile split over 255 segments and a large extended XMP stay far below.
 */
const MAX_JPEG_SEGMENTS = 10_000;
/**
 * Chunks of a PNG or WebP. A 100 MB PNG written in libpng's 8 KiB IDAT chunks has 12,800; an
 * animated WebP has one per frame.
 */
const MAX_CHUNKS = 100_000;
/**
 * Metadata of one image, in bytes: JPEG APPn and COM segments, PNG text, EXIF and profile
 * chunks (inflated: a zTXt or iCCP chunk is compressed), WebP EXIF, XMP and ICC chunks. A photo
 * carries a few hundred kilobytes at most; decoders read and hold all of it.
 */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** Time to fit one image in a codec thread. A 48-megapixel HEIC takes a few seconds. */
const IMAGE_TIME_LIMIT_MS = 60_000;
/**
 * Memory of the codec threads together (each thread's WebAssembly memory is capped at its
 * share). A 200-megapixel JPEG fitted to 2048 px needs well under it.
 */
const CODEC_MEMORY_BYTES = 1536 * 1024 * 1024;
/** "220 megapixels": a limit as a reader knows it. */
function megapixels(pixels) {
    return `${Math.round(pixels / 1e6)} megapixels`;
}


/***/ }),

/***/ 7879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lc: () => (/* binding */ nothingToDownload),
/* harmony export */   di: () => (/* binding */ adopt),
/* harmony export */   ej: () => (/* binding */ checkJob)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);
/** What a job says about itself, for every provider: whether it failed, and adopting it. */


/** Throws when the job failed or was cancelled, with the provider's message. */
function checkJob(label, job) {
    if (job.stage !== 'failed' && job.stage !== 'cancelled' && !job.error)
        return;
    const status = job.status || 'unknown';
    if (job.stage === 'cancelled') {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Fine-tune ${job.id} was cancelled at ${label} (status ${status})${job.error ? `: ${job.error}` : ''}.`, 'It was stopped (with `command: cancel`, or on the provider\u2019s site) before its weights existed. A new run with the same dataset and settings trains it anew.');
    }
    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Fine-tune ${job.id} failed at ${label} (status ${status}): ${job.error ?? 'no error message given'}`, 'Check the dataset and settings against the message; a new run with a fixed dataset or changed settings trains a new job.');
}
/**
 * The error for a job with nothing to download. `what` names it with what is missing ("fal request
 * x has no LoRA file"); `whenReady` is the hint for a finished job whose output names no file.
 */
function nothingToDownload(what, job, whenReady) {
    const status = `${job.status || 'unknown'}${job.error ? `: ${job.error}` : ''}`;
    return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${what} to download (status ${status}).`, job.stage === 'queued' || job.stage === 'training'
        ? 'It is still training. Wait for it in the same step with `wait-for: TRAINING_COMPLETED` (or AVAILABLE), or run `command: download` later.'
        : job.stage === 'ready'
            ? whenReady
            : 'A training that failed or was cancelled has no weights; a new run with the same dataset and settings trains it anew.');
}
/** A job is adopted instead of training again: its outputs are this run's. */
function adopt(report, job, name) {
    report.setFinetuneId(job.id);
    report.setReused(true);
    report.setJob(job);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Reusing fine-tune ${job.id} (${job.name ?? name}, ${job.status || 'unknown status'}): the same dataset and settings were already submitted. Nothing was uploaded or submitted.`);
}


/***/ }),

/***/ 1975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ waitForJob)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1010);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8382);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5616);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6338);
/* harmony import */ var _providers_provider_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9545);
/* harmony import */ var _job_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7879);







/** The stage `wait-for` names: the weights exist (TRAINING_COMPLETED), or the model serves (AVAILABLE). */
function targetStage(target) {
    return (0,_providers_provider_js__WEBPACK_IMPORTED_MODULE_5__/* .stageRank */ .lJ)(target === 'AVAILABLE' ? 'ready' : 'trained');
}
/**
 * Polls the job until it reaches `target` (or a later stage), fails, or the time is up. A blip
 * while polling does not end a long wait: transient errors are waited through until they have
 * lasted `maxOutageMs`.
 */
async function waitForJob(provider, id, options) {
    const started = Date.now();
    const deadline = started + options.timeoutMs;
    const maxOutageMs = options.maxOutageMs ?? Math.max(10 * 60_000, options.intervalMs * 3);
    const targetRank = targetStage(options.target);
    const target = provider.targetWord(options.target);
    const unknownSeen = new Set();
    let lastStatus;
    let failingSince;
    let failedChecks = 0;
    let lastFailure = '';
    let weightsWaited = false;
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Waiting up to ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(options.timeoutMs)} for ${id} to reach ${target}, checking every ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(options.intervalMs)}.`);
    for (;;) {
        let job;
        try {
            job = await provider.get(id);
            if (failedChecks > 0)
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Checking ${id} works again.`);
            failingSince = undefined;
            failedChecks = 0;
        }
        catch (error) {
            // A 4xx (a rejected key, an unknown id) will not get better by waiting.
            if (!(error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpError */ .j$ && error.transient))
                throw error;
            failingSince ??= Date.now();
            failedChecks += 1;
            lastFailure = error.message;
            if (Date.now() - failingSince >= maxOutageMs) {
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`Checking fine-tune ${id} has failed for ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(Date.now() - failingSince)}, so the wait ends; the last status seen was ${lastStatus || 'none'}. The last error: ${error.message}`, `${error.hint ?? ''} The job goes on at ${provider.label}: pick it up again later with \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`.`.trim());
            }
            // Once per outage as a warning; the retries log every attempt anyway.
            if (failedChecks === 1) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Checking ${id} failed (${error.message}); still waiting, as long as it does not go on for ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(maxOutageMs)}.`);
            }
        }
        if (job) {
            options.onJob(job);
            (0,_job_js__WEBPACK_IMPORTED_MODULE_4__/* .checkJob */ .ej)(provider.label, job);
            const status = job.status;
            if (status !== lastStatus) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: ${status || '(no status)'} after ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(Date.now() - started)}`);
                lastStatus = status;
            }
            const rank = (0,_providers_provider_js__WEBPACK_IMPORTED_MODULE_5__/* .stageRank */ .lJ)(job.stage);
            const weightsMissing = options.needsWeights && !job.modelUrl;
            if (rank >= targetRank && !weightsMissing)
                return job;
            if (rank >= targetRank && !weightsWaited) {
                weightsWaited = true;
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: ${status} but no ${provider.weightsName} yet; waiting for it.`);
            }
            if (rank < 0 && !unknownSeen.has(status)) {
                unknownSeen.add(status);
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: status ${status || '(none)'} is not one of ${provider.knownStatuses.join(', ')}; waiting through it.`);
            }
        }
        const left = deadline - Date.now();
        if (left <= 0) {
            const failing = failedChecks > 0
                ? ` The last ${failedChecks === 1 ? 'check' : `${failedChecks} checks`} failed: ${lastFailure}`
                : '';
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`Timed out after ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(options.timeoutMs)} waiting for fine-tune ${id} to reach ${target}; the last status was ${lastStatus || 'unknown'}${weightsWaited ? `, with no ${provider.weightsName} to download the model from yet` : ''}.${failing}`, `The job goes on at ${provider.label}. Pick it up again with a step using \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`, or raise \`wait-timeout-minutes\` (GitHub-hosted runners end a job after 6 hours: wait for a long training in a later workflow instead).`);
        }
        await (0,_shared_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(Math.min(options.intervalMs, left));
    }
}


/***/ }),

/***/ 7323:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  train: () => (/* binding */ train)
});

// EXTERNAL MODULE: ./src/shared/log.ts
var log = __webpack_require__(1827);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/glob/lib/glob.js + 17 modules
var glob = __webpack_require__(2377);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
// EXTERNAL MODULE: ./src/dataset/image-header.ts
var image_header = __webpack_require__(4443);
// EXTERNAL MODULE: ./src/shared/format.ts
var format = __webpack_require__(6338);
// EXTERNAL MODULE: ./src/dataset/limits.ts
var limits = __webpack_require__(8794);
// EXTERNAL MODULE: ./src/dataset/fit/plan.ts
var plan = __webpack_require__(2589);
;// CONCATENATED MODULE: ./src/dataset/collect.ts









const CAPTION_EXTENSION = '.txt';
// A caption is read whole into the ZIP; anything this large is no caption.
const MAX_CAPTION_BYTES = 64 * 1024;
/** Files looked at between two turns of the event loop. */
const YIELD_EVERY = 256;
const KINDS_TEXT = 'JPEG, PNG, WebP or HEIC/HEIF';
/**
 * Finds the dataset's files and checks them, reading image headers only. Every problem is
 * collected before failing, so one run lists them all. Throws (with every error listed) when the
 * dataset cannot be trained on; nothing has been sent anywhere at that point.
 */
async function collectDataset(patterns, workspace, triggerWord = 'TOK') {
    const root = await (0,promises_.realpath)(workspace);
    const gitFolder = external_node_path_.join(root, '.git');
    const base = external_node_path_.resolve(workspace);
    const problems = [];
    const failures = new Failures(problems);
    let hidden = 0;
    const matches = await globFiles(patterns, workspace);
    // Folders are resolved once each (a file itself is never a link once lstat says so), so 50,000
    // files cost 50,000 lstat calls and one realpath per folder.
    const folders = new Map();
    const realFolder = (dir) => {
        let real = folders.get(dir);
        if (real === undefined)
            folders.set(dir, (real = external_node_fs_.realpathSync.native(dir)));
        return real;
    };
    const images = [];
    const captionFiles = new Map();
    const skipped = [];
    for (const [i, match] of matches.entries()) {
        // The per-file work is synchronous (see inspectImageFileSync); let timers and signal
        // handlers run now and then.
        if (i % YIELD_EVERY === YIELD_EVERY - 1)
            await new Promise((resolve) => setImmediate(resolve));
        let found = lookAt(match);
        const inspection = found && 'inspection' in found ? found.inspection : undefined;
        if (inspection?.kind === 'unknown' && inspection.unnamed) {
            // No image we train on: image-size, loaded now, says what it is instead.
            await (0,image_header/* loadImageSizer */.h1)();
            found = lookAt(match);
        }
        take(found);
    }
    function lookAt(match) {
        const relative = toPosix(relativeTo(base, match));
        // Hidden files and folders (.git/, .DS_Store), macOS resource forks (__MACOSX/, ._*) are never
        // dataset content; they are skipped before anything, even lstat, touches them.
        if (relative.split('/').some((segment) => segment.startsWith('.') || segment === '__MACOSX')) {
            hidden++;
            return undefined;
        }
        // Links are refused rather than followed: a pull request can add `photo.jpg -> /proc/self/environ`
        // and the action must never read, let alone upload, anything but the dataset's own files.
        const stats = (0,external_node_fs_.lstatSync)(match);
        if (stats.isSymbolicLink()) {
            return { relative, refused: `${relative} is a symbolic link (to ${linkTarget(match)})` };
        }
        if (!stats.isFile())
            return undefined;
        const real = childOf(realFolder(external_node_path_.dirname(match)), external_node_path_.basename(match));
        if (!isInside(root, real)) {
            return { relative, refused: `${relative} resolves outside the workspace (${real})` };
        }
        if (isInside(gitFolder, real)) {
            return { relative, refused: `${relative} resolves into the repository's .git/ folder` };
        }
        const file = { path: match, relative, bytes: stats.size };
        const ext = external_node_path_.extname(match);
        const expected = (0,image_header/* kindOfExtension */.$0)(ext);
        if (!expected)
            return { file, ext };
        return { file, ext, expected, inspection: (0,image_header/* inspectImageFileSync */.x6)(match, stats.size) };
    }
    /** Sorts one looked-at file into images, captions, skipped files or failures. */
    function take(item) {
        if (!item)
            return;
        if ('refused' in item) {
            failures.refuse(item.relative, item.refused);
            return;
        }
        const { file, ext } = item;
        if (!item.expected) {
            if (ext.toLowerCase() === CAPTION_EXTENSION) {
                if (!failures.checkName(file))
                    return;
                captionFiles.set(stripExtension(file.path), file);
            }
            else
                skipped.push(file.relative);
            return;
        }
        if (!failures.checkName(file))
            return;
        const inspection = item.inspection;
        if (inspection.kind === 'lfs-pointer') {
            failures.lfsPointer(file.relative);
            return;
        }
        const header = inspection.kind === 'image' ? inspection.header : undefined;
        if (!header || !(header.type in image_header/* KIND_NAMES */.kd)) {
            const what = header
                ? (0,image_header/* describeKind */.SB)(header.type)
                : inspection.kind === 'empty'
                    ? 'empty'
                    : 'not an image';
            failures.unreadable(file.relative, what);
            return;
        }
        if (header.overLimit) {
            failures.overLimit(file.relative, header);
            return;
        }
        if (header.broken) {
            failures.broken(file.relative, header);
            return;
        }
        if (header.type !== item.expected) {
            problems.push({
                severity: 'warning',
                file: file.relative,
                message: `${file.relative} is ${(0,image_header/* describeKind */.SB)(header.type)} named ${ext}: rename it to ${(0,image_header/* extensionOfKind */.ty)(header.type)}.`,
            });
        }
        if (header.animated) {
            problems.push({
                severity: 'warning',
                file: file.relative,
                message: `${file.relative} is an animated ${image_header/* KIND_NAMES */.kd[header.type]}: only its first frame trains. Use a still image of the frame you want.`,
            });
        }
        if (header.cmyk) {
            problems.push({
                severity: 'warning',
                file: file.relative,
                message: `${file.relative} is a CMYK JPEG (a print file): training tools expect RGB, and its colours may come out wrong. Save it as an RGB (sRGB) JPEG.`,
            });
        }
        images.push(datasetImage(file, header));
    }
    failures.throwIfAny();
    if (images.length === 0) {
        throw new errors/* ActionError */.l(`No images found for dataset patterns: ${patterns.join(', ')}.${hidden > 0 ? ` ${hidden} matched file(s) sit in hidden folders or are hidden (a name starting with "."), which are never used.` : ''}`, 'Put .jpg, .jpeg, .png, .webp, .heic or .heif files in the folder the `dataset` input points at (default dataset/**), relative to the repository root, and make sure the workflow checks the repository out first (actions/checkout).');
    }
    // A caption is the .txt beside an image with the same base name.
    const captions = [];
    const used = new Set();
    for (const image of images) {
        const key = stripExtension(image.path);
        const caption = captionFiles.get(key);
        if (!caption || used.has(key))
            continue;
        used.add(key);
        if (caption.bytes > MAX_CAPTION_BYTES) {
            throw new errors/* ActionError */.l(`Caption ${caption.relative} is ${caption.bytes} bytes; captions are short texts of at most ${MAX_CAPTION_BYTES} bytes.`, 'Shorten it, or rename it if it is not a caption.');
        }
        // Captions are a few bytes: read once here, checked, and zipped from memory.
        const text = (await (0,promises_.readFile)(caption.path, 'utf8')).replaceAll('[trigger]', triggerWord);
        captions.push({
            ...caption,
            entryName: external_node_path_.basename(caption.path),
            text,
            image: image.relative,
        });
    }
    for (const [key, caption] of captionFiles) {
        if (used.has(key))
            continue;
        problems.push({
            severity: 'notice',
            file: caption.relative,
            message: `${caption.relative} is skipped: no image with the same base name sits beside it.`,
        });
    }
    images.sort((a, b) => (0,format/* compare */.UD)(a.entryName, b.entryName));
    captions.sort((a, b) => (0,format/* compare */.UD)(a.entryName, b.entryName));
    skipped.sort(format/* compare */.UD);
    checkEntryCollisions([...images, ...captions]);
    return { images, captions, skipped, problems };
}
function datasetImage(file, header) {
    // Every fact the header reader found goes along (fitting decides from them); the reader sets
    // only the facts that are there, so a plain image's record stays small.
    const facts = { ...header };
    delete facts.broken;
    return {
        ...facts,
        path: file.path,
        relative: file.relative,
        entryName: external_node_path_.basename(file.path),
        bytes: file.bytes,
    };
}
/**
 * Every file that stops the step, by kind, so that one run lists them all: each is also a problem
 * (an annotation on its file), and the step fails with one message that names every file.
 */
class Failures {
    problems;
    refused = [];
    names = [];
    lfs = [];
    cut = [];
    over = [];
    bad = [];
    constructor(problems) {
        this.problems = problems;
    }
    refuse(relative, line) {
        this.refused.push(line);
        this.problems.push({ severity: 'error', file: relative, message: `${line}.` });
    }
    /** False (and noted) when the file's base name cannot be a portable ZIP entry name. */
    checkName(file) {
        const reason = unportableName(external_node_path_.basename(file.path));
        if (!reason)
            return true;
        const line = `${escapeName(file.relative)}: ${reason}`;
        this.names.push(line);
        // No `file` here: the annotation's file property would carry the very characters refused.
        this.problems.push({ severity: 'error', message: `${line}.` });
        return false;
    }
    lfsPointer(relative) {
        this.lfs.push(relative);
        this.problems.push({
            severity: 'error',
            file: relative,
            message: `${relative} is a Git LFS pointer, not the image: the checkout did not fetch LFS files. Set \`lfs: true\` on actions/checkout.`,
        });
    }
    broken(relative, header) {
        const line = `${relative} (${(0,image_header/* describeKind */.SB)(header.type)} cut short: ${header.broken})`;
        this.cut.push(line);
        this.problems.push({
            severity: 'error',
            file: relative,
            message: `${relative} is ${(0,image_header/* describeKind */.SB)(header.type)} cut short (${header.broken}), as an interrupted copy leaves it. Copy it again from the original, or remove it.`,
        });
    }
    overLimit(relative, header) {
        const line = `${relative} (${(0,image_header/* describeKind */.SB)(header.type)}: ${header.overLimit})`;
        this.over.push(line);
        this.problems.push({
            severity: 'error',
            file: relative,
            message: `${relative} is ${(0,image_header/* describeKind */.SB)(header.type)} beyond what the action decodes: ${header.overLimit}. Export it again as an ordinary photo (a HEIC as JPEG), or remove it.`,
        });
    }
    unreadable(relative, what) {
        this.bad.push(`${relative} (${what})`);
        this.problems.push({
            severity: 'error',
            file: relative,
            message: `${relative} is no readable JPEG, PNG or WebP image, nor HEIC/HEIF (${what}).`,
        });
    }
    throwIfAny() {
        const sections = [];
        const hints = [];
        // In path order, whatever order the file system listed them in.
        for (const lines of [this.refused, this.names, this.lfs, this.cut, this.over, this.bad])
            lines.sort(format/* compare */.UD);
        const list = (lines) => `:\n- ${lines.join('\n- ')}`;
        const files = (n) => (n === 1 ? '1 dataset file' : `${n} dataset files`);
        if (this.refused.length > 0) {
            const n = this.refused.length;
            sections.push(`The dataset contains ${n === 1 ? 'a file' : `${n} files`} the action will not read${list(this.refused)}`);
            hints.push('Only regular files inside the workspace are used. Replace links with the files themselves, or exclude them with a `!pattern` line in `dataset`.');
        }
        if (this.names.length > 0) {
            const n = this.names.length;
            sections.push(`${files(n)} ${n === 1 ? 'has a name' : 'have names'} that cannot be stored in the ZIP portably (shown escaped)${list(this.names)}`);
            hints.push('Rename them: a ZIP entry name must be valid UTF-8 with no backslash and no control, line-separator or bidirectional-override character (extractors and viewers treat those differently).');
        }
        if (this.lfs.length > 0) {
            const n = this.lfs.length;
            sections.push(`${n === 1 ? '1 image is a Git LFS pointer' : `${n} images are Git LFS pointers`} (a small text file standing for the image), not the image itself${list(this.lfs)}`);
            hints.push('The images are stored with Git LFS and the checkout did not fetch them: set `lfs: true` on the actions/checkout step (`with: lfs: true`).');
        }
        if (this.cut.length > 0) {
            const n = this.cut.length;
            sections.push(`${n === 1 ? '1 image is' : `${n} images are`} cut short (an interrupted copy or download) and would fail at Segmind after paying${list(this.cut)}`);
            hints.push('Copy them again from the originals (or re-export them), or remove them.');
        }
        if (this.over.length > 0) {
            const n = this.over.length;
            sections.push(`${n === 1 ? '1 image is' : `${n} images are`} beyond the bounds the action decodes within (pixels, scans, segments, chunks, metadata; docs/security.md), which keep an image built to exhaust the runner's memory or time from doing so${list(this.over)}`);
            hints.push(`Export them again as ordinary photos (a HEIC over ${(0,limits/* megapixels */.aJ)(limits/* MAX_HEIF_PIXELS */.Ue)} as JPEG), or remove them from the dataset.`);
        }
        if (this.bad.length > 0) {
            const n = this.bad.length;
            sections.push(`${files(n)} ${n === 1 ? 'has' : 'have'} an image extension but ${n === 1 ? 'is' : 'are'} no readable ${KINDS_TEXT}${list(this.bad)}`);
            hints.push('Re-export them as JPEG, PNG or WebP, or remove them from the dataset.');
        }
        if (sections.length === 0)
            return;
        // Each kind's list is followed by what to do about it; the last "what to do" is the hint.
        const message = sections.map((section, i) => i < sections.length - 1 ? `${section}\n${hints[i]}` : section);
        throw new errors/* ActionError */.l(message.join('\n'), hints.at(-1), 
        // Each one is also a problem, so that the caller annotates it on its file; the warnings
        // found so far go with them.
        this.problems);
    }
}
/**
 * Why a base name cannot be a ZIP entry name every extractor and viewer treats alike, or
 * undefined. Refused: `\` (a folder separator to Windows extractors and some others, so
 * `a\b.jpg` would land in a folder `a`), C0 controls, DEL and C1 controls (they end lines, move
 * the cursor, start terminal escape sequences in a log), U+2028 and U+2029 (line breaks to
 * JavaScript, some editors and log viewers), and the bidirectional embeddings, overrides and
 * isolates U+202A-U+202E and U+2066-U+2069 (they make a name display as another, as in
 * `photo\u202Egpj.exe` shown as `photoexe.jpg`). The implicit direction marks U+200E, U+200F and
 * U+061C stay allowed: right-to-left names use them and they cannot reorder a whole name.
 */
function unportableName(name) {
    if (name.includes('\\'))
        return 'a backslash (\\) in the name';
    for (const char of name) {
        const code = char.codePointAt(0);
        if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
            return `a control character (${codePoint(code)}) in the name`;
        if (code === 0x2028 || code === 0x2029)
            return `a line or paragraph separator (${codePoint(code)}) in the name`;
        if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
            return `a bidirectional override (${codePoint(code)}) that makes the name display as another`;
    }
    return undefined;
}
function codePoint(code) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
/**
 * A file name as a JSON-style string literal, so that nothing in it acts on the reader: control
 * characters, line separators, bidirectional controls, `"` and `\` escaped (`"dataset/a\r.jpg"`).
 * Bytes that are not valid UTF-8 (from a Buffer name) are shown as `\xNN`.
 */
function escapeName(name) {
    let out = '"';
    if (typeof name === 'string') {
        for (const char of name)
            out += escapeChar(char);
        return `${out}"`;
    }
    let i = 0;
    while (i < name.length) {
        const length = utf8SequenceLength(name, i);
        if (length === 0) {
            out += `\\x${name[i].toString(16).padStart(2, '0')}`;
            i++;
        }
        else {
            out += escapeChar(name.subarray(i, i + length).toString('utf8'));
            i += length;
        }
    }
    return `${out}"`;
}
const SHORT_ESCAPES = {
    '"': '\\"',
    '\\': '\\\\',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
};
function escapeChar(char) {
    const short = SHORT_ESCAPES[char];
    if (short)
        return short;
    const code = char.codePointAt(0);
    const invisible = code < 0x20 ||
        (code >= 0x7f && code <= 0x9f) ||
        code === 0x2028 ||
        code === 0x2029 ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069) ||
        code === 0x200e ||
        code === 0x200f ||
        code === 0x061c ||
        code === 0xfeff ||
        code === 0xfffd;
    return invisible ? `\\u${code.toString(16).padStart(4, '0')}` : char;
}
/** The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes, i) {
    const b = bytes[i];
    if (b < 0x80)
        return 1;
    const cont = (k) => i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
    if (b >= 0xc2 && b <= 0xdf)
        return cont(1) ? 2 : 0;
    if (b >= 0xe0 && b <= 0xef) {
        if (!cont(1) || !cont(2))
            return 0;
        const b1 = bytes[i + 1];
        if (b === 0xe0 && b1 < 0xa0)
            return 0; // overlong
        if (b === 0xed && b1 >= 0xa0)
            return 0; // surrogates
        return 3;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        const b1 = bytes[i + 1];
        if (b === 0xf0 && b1 < 0x90)
            return 0;
        if (b === 0xf4 && b1 >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}
/** The ZIP entry name of a HEIC/HEIF image once it is converted to JPEG: `IMG_1.HEIC` -> `IMG_1.jpg`. */
function convertedEntryName(name) {
    return `${stripExtension(name)}.jpg`;
}
/**
 * Every entry sits at the ZIP's root under its base name, so two files of the same base name in
 * different folders would overwrite each other in Segmind's hands; refuse, naming both.
 */
function checkEntryCollisions(entries) {
    const seen = new Map();
    const clashes = [];
    for (const entry of entries) {
        // A HEIC/HEIF image is zipped as JPEG under a .jpg name: `a.heic` and `a.jpg` clash too.
        const name = entry.type === 'heif' ? convertedEntryName(entry.entryName) : entry.entryName;
        const other = seen.get(name);
        if (other !== undefined)
            clashes.push(`${other} and ${entry.relative} would both be ${name}`);
        else
            seen.set(name, entry.relative);
    }
    if (clashes.length > 0) {
        throw new errors/* ActionError */.l(`Dataset files clash in the ZIP, where every file sits at the root under its base name:\n- ${clashes.join('\n- ')}`, 'Rename one file of each pair (an image and its caption share a base name; two images may not).');
    }
}
async function globFiles(patterns, workspace) {
    // Patterns are made absolute here: @actions/glob resolves relative ones against the process's
    // working directory, which is not always the workspace.
    const absolute = patterns.map((p) => {
        const negated = p.startsWith('!');
        const bare = negated ? p.slice(1) : p;
        return `${negated ? '!' : ''}${external_node_path_.join(workspace, bare)}`;
    });
    const globber = await glob/* create */.v(absolute.join('\n'), {
        followSymbolicLinks: false,
        matchDirectories: false,
        implicitDescendants: true,
    });
    try {
        return await globber.glob();
    }
    catch (error) {
        // Node reads directory entries as UTF-8 strings, so a name that is not valid UTF-8 comes back
        // with U+FFFD in it, and the next call on that name fails with ENOENT. Find such names from
        // their bytes and name every one of them, escaped.
        if (error.code !== 'ENOENT')
            throw error;
        const bad = [];
        for (const search of globber.getSearchPaths())
            await undecodableNames(Buffer.from(search), bad);
        if (bad.length === 0)
            throw error;
        const lines = bad.map((name) => escapeName(relativeBytes(workspace, name)));
        throw new errors/* ActionError */.l(`${bad.length === 1 ? '1 dataset file has a name' : `${bad.length} dataset files have names`} that ${bad.length === 1 ? 'is' : 'are'} not valid UTF-8 (shown escaped, \\xNN for each byte that is not):\n- ${lines.join('\n- ')}`, 'Rename them to UTF-8 names (a ZIP entry name must be valid UTF-8), or move them out of the dataset folder.', lines.map((line) => ({
            severity: 'error',
            message: `${line} is not valid UTF-8: rename it.`,
        })));
    }
}
/** Every entry under `dir` (not following links) whose name is not valid UTF-8, as full paths. */
async function undecodableNames(dir, out) {
    let entries;
    try {
        entries = await (0,promises_.readdir)(dir, { encoding: 'buffer', withFileTypes: true });
    }
    catch {
        return; // not a folder, or gone
    }
    for (const entry of entries) {
        const name = entry.name;
        const full = Buffer.concat([dir, Buffer.from(external_node_path_.sep), name]);
        if (!isValidUtf8(name))
            out.push(full);
        if (entry.isDirectory())
            await undecodableNames(full, out);
    }
}
function isValidUtf8(bytes) {
    for (let i = 0; i < bytes.length;) {
        const length = utf8SequenceLength(bytes, i);
        if (length === 0)
            return false;
        i += length;
    }
    return true;
}
/** `full` relative to the workspace, as bytes (the workspace path itself is valid UTF-8). */
function relativeBytes(workspace, full) {
    const prefix = Buffer.from(workspace.endsWith(external_node_path_.sep) ? workspace : workspace + external_node_path_.sep);
    return full.subarray(0, prefix.length).equals(prefix) ? full.subarray(prefix.length) : full;
}
function linkTarget(file) {
    try {
        return (0,external_node_fs_.readlinkSync)(file);
    }
    catch {
        return 'unreadable target';
    }
}
// The per-file path work below compares strings instead of calling path.relative and path.join:
// both normalise their arguments character by character, and for a dataset of 40 files that was
// enough to make V8 compile node's normalizeString with its optimizing compiler, whose code pages
// added 3.7 MB to the peak RSS of a dry run (docs/performance.md, (b)). Every path here is
// absolute and normalised already: glob's matches, realpath's results, path.resolve's.
/** Whether `child` is `parent` or inside it; both absolute and normalised. */
function isInside(parent, child) {
    if (child === parent)
        return true;
    return child.startsWith(parent.endsWith(external_node_path_.sep) ? parent : parent + external_node_path_.sep);
}
/** `file` relative to `folder` (both absolute and normalised), as path.relative gives it. */
function relativeTo(folder, file) {
    const prefix = folder.endsWith(external_node_path_.sep) ? folder : folder + external_node_path_.sep;
    return file.startsWith(prefix) ? file.slice(prefix.length) : external_node_path_.relative(folder, file);
}
/** `name` inside `folder`, as path.join gives it for a normalised folder and a base name. */
function childOf(folder, name) {
    return folder.endsWith(external_node_path_.sep) ? folder + name : folder + external_node_path_.sep + name;
}
function stripExtension(file) {
    return file.slice(0, file.length - external_node_path_.extname(file).length);
}
function toPosix(p) {
    return p.split(external_node_path_.sep).join('/');
}
/** Below this short side, Flux fine-tunes learn little detail; Segmind trains at 512 and up. */
const MIN_SHORT_SIDE = 512;
/** Training services recommend 10 or more images; under 5 a concept rarely generalises. */
const MIN_IMAGES = 5;
/**
 * Warnings about a dataset that can be trained on but may train badly: found before paying for
 * an hour of training. Reads nothing: everything comes from the headers and captions already read.
 */
function qualityChecks(dataset, settings) {
    const problems = [];
    for (const image of dataset.images) {
        const short = Math.min(image.width, image.height);
        if (short < MIN_SHORT_SIDE) {
            const { width, height } = (0,plan/* shownSize */.lh)(image);
            problems.push({
                severity: 'warning',
                file: image.relative,
                message: `${image.relative} is ${width}\u00d7${height}; its short side is under ${MIN_SHORT_SIDE} px, too small to teach detail. Use an image of at least ${MIN_SHORT_SIDE} px (1024 px is best) or remove it.`,
            });
        }
    }
    if (dataset.images.length < MIN_IMAGES) {
        problems.push({
            severity: 'warning',
            message: `Only ${dataset.images.length} image${dataset.images.length === 1 ? '' : 's'}: training services recommend 10 or more (at least ${MIN_IMAGES}), showing the subject in varied poses, light and backgrounds.`,
        });
    }
    const captioned = new Set(dataset.captions.map((c) => c.image));
    if (!settings.captioning) {
        const bare = dataset.images.filter((i) => !captioned.has(i.relative));
        for (const image of bare) {
            problems.push({
                severity: 'warning',
                file: image.relative,
                message: `${image.relative} has no caption and \`captioning\` is false, so nothing will describe it. Add ${stripExtension(image.relative)}.txt or set \`captioning: true\`.`,
            });
        }
    }
    const trigger = settings.triggerWord.toLowerCase();
    for (const caption of dataset.captions) {
        if (!caption.text.toLowerCase().includes(trigger)) {
            problems.push({
                severity: 'warning',
                file: caption.relative,
                message: `${caption.relative} does not mention the trigger word "${settings.triggerWord}", so the model will not tie this image to it. Add the word, or write [trigger] where it belongs.`,
            });
        }
    }
    return problems;
}
/**
 * Byte-identical images, from the per-entry hashes taken while zipping (no extra read): a
 * duplicate only weighs one picture twice.
 */
function duplicateImages(dataset, hashes) {
    const groups = new Map();
    for (const image of dataset.images) {
        const hash = hashes.get(image.entryName);
        if (!hash)
            continue;
        groups.set(hash, [...(groups.get(hash) ?? []), image.relative]);
    }
    return [...groups.values()]
        .filter((files) => files.length > 1)
        .map((files) => ({
        severity: 'warning',
        file: files[1],
        message: `These images are byte-identical: ${files.join(', ')}. Keep one; a duplicate only weighs that picture twice.`,
    }));
}
/**
 * Smallest, median and largest image by area, each with the size a viewer sees: a photo stored
 * sideways (EXIF orientation 5 to 8, a HEIF's `irot`) has its sides swapped, as it is turned
 * upright in the ZIP.
 */
function imageSizeFigures(images) {
    const byArea = [...images].sort((a, b) => a.width * a.height - b.width * b.height || (0,format/* compare */.UD)(a.relative, b.relative));
    const shown = (image) => image && { ...image, ...(0,plan/* shownSize */.lh)(image) };
    return {
        smallest: shown(byArea[0]),
        median: shown(byArea[Math.floor((byArea.length - 1) / 2)]),
        largest: shown(byArea[byArea.length - 1]),
    };
}

// EXTERNAL MODULE: ./src/http/send.ts
var send = __webpack_require__(5616);
// EXTERNAL MODULE: ./src/shared/secrets.ts
var secrets = __webpack_require__(3260);
// EXTERNAL MODULE: ./src/http/retry.ts
var http_retry = __webpack_require__(8902);
;// CONCATENATED MODULE: ./src/dataset/dataset-url.ts




// Query parameters that sign a URL rather than name the file (S3, GCS, Azure SAS): they change
// every time the link is signed again, the file does not.
const SIGNING_PARAMETER = /^(x-amz-|x-goog-)|^(sig|se|st|sp|sv|sr|spr|skoid|sktid|skt|ske|sks|skv)$/i;
/**
 * The dataset's identity for the fingerprint: the URL without its signing parameters, with the
 * ETag, Last-Modified and size the host reports. A new ZIP uploaded to the same URL changes them
 * and so trains anew; the same file behind a freshly signed link does not.
 */
function identityOf(url, bytes, headers) {
    let stable = url;
    try {
        const parsed = new URL(url);
        for (const key of [...parsed.searchParams.keys()]) {
            if (SIGNING_PARAMETER.test(key))
                parsed.searchParams.delete(key);
        }
        parsed.hash = '';
        stable = parsed.href;
    }
    catch {
        // inputs.ts checked it is a URL
    }
    const header = (name) => String(headers[name] ?? '');
    return JSON.stringify([stable, header('etag'), header('last-modified'), bytes]);
}
/**
 * A public ZIP must answer HEAD with 200 and a Content-Length under the limit (Segmind's rule,
 * and what lets the size be checked at all). Checked here so a bad URL fails in seconds instead of
 * as a failed job an hour later. `provider` names who trains from it, in messages.
 */
async function checkDatasetUrl(url, maxBytes, retry, provider) {
    // A signed link carries its credentials in the query: masked, the rest stays readable.
    (0,secrets/* maskUrlSignature */.UB)(url);
    const what = `HEAD ${url}`;
    return (0,http_retry/* withRetry */.bD)(what, retry, async () => {
        // Failures to get an answer (a reset, a timeout, a refusing proxy) are the layer's HttpError.
        const answer = await (0,send/* send */.tN)({
            what,
            method: 'HEAD',
            url,
            timeoutMs: (0,http_retry/* requestTimeoutMs */.Hl)(30_000, retry),
            maxBodyBytes: 0,
        });
        const { status, headers } = answer;
        const fail = (message, hint, transient = false) => new send/* HttpError */.j$({
            what,
            status,
            transient,
            retryAfterMs: transient ? (0,send/* retryAfterOf */.sT)(answer) : undefined,
            serverMessage: message,
            message,
            hint,
        });
        if (status !== 200) {
            throw fail(`HEAD ${url} answered HTTP ${status}; ${provider} trains from a public dataset ZIP, which answers 200.`, 'Use a direct, public link to the ZIP file (no login page, no redirect to HTML), or leave `dataset-url` empty to upload the dataset from the repository.', (0,http_retry/* isTransientStatus */.Dm)(status));
        }
        const length = headers['content-length'];
        const bytes = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
        if (bytes === undefined) {
            throw fail(`HEAD ${url} answered without a Content-Length header; the action needs it to check the ZIP's size before ${provider} trains from it.`, 'Host the ZIP where HEAD requests report its size (object storage such as S3 or GCS does), or leave `dataset-url` empty to upload the dataset from the repository.');
        }
        if (bytes >= maxBytes) {
            throw fail(`The ZIP at ${url} is ${(0,format/* formatMb */.TF)(bytes)} (${bytes} bytes); it must be under ${(0,format/* formatMb */.TF)(maxBytes)}.`, 'Use a smaller dataset; `max-zip-mb` sets the bound, 100 at most.');
        }
        const lastModified = Date.parse(String(headers['last-modified'] ?? ''));
        return {
            bytes,
            identity: identityOf(url, bytes, headers),
            modifiedAt: Number.isNaN(lastModified) ? undefined : lastModified,
        };
    }, (error) => ({
        retryable: error instanceof send/* HttpError */.j$ && error.transient,
        retryAfterMs: error instanceof send/* HttpError */.j$ ? error.retryAfterMs : undefined,
        error,
    }));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/providers/offers.ts + 3 modules
var offers = __webpack_require__(4025);
;// CONCATENATED MODULE: ./src/jobs/fingerprint.ts


/**
 * sha256 over the dataset (the ZIP's hash, or the URL trained from) and every training setting,
 * as the provider lists them (its offer's fingerprintFields). The same images, captions and
 * settings give the same fingerprint, and so the same default job name: a re-run adopts the job
 * it already paid for, any change trains anew.
 */
function fingerprint(dataset, settings) {
    // Fields in a fixed order, so the fingerprint never depends on how the object was built.
    const canonical = JSON.stringify([
        dataset,
        ...(0,offers/* offerOf */.y)(settings.provider).fingerprintFields(settings),
    ]);
    return (0,external_node_crypto_.createHash)('sha256').update(canonical).digest('hex');
}
/**
 * `<repository name>-<first 12 hex of the fingerprint>`, kept to the characters a job name allows.
 */
function defaultJobName(repository, print) {
    const base = repository
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .slice(0, 87)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'dataset';
    return `${base}-${print.slice(0, 12)}`;
}

// EXTERNAL MODULE: ./src/jobs/job.ts
var jobs_job = __webpack_require__(7879);
// EXTERNAL MODULE: ./src/shared/cancellation.ts
var cancellation = __webpack_require__(1010);
;// CONCATENATED MODULE: ./src/jobs/submit.ts
/**
 * The lost-answer submit protocol: the rule that keeps a run from paying twice for one model.
 * A submit whose answer is lost is never blindly repeated: the provider is asked whether the job
 * came into being, and only when it surely did not is the submit sent again. Kept apart from
 * train.ts so that the rule can be tested against a fake provider, one case at a time
 * (__tests__/submit.test.ts).
 */






/**
 * Submits, never blindly twice. When the answer is lost (a reset, a timeout, 5xx or 429) the job
 * may exist anyway: the provider looks (afterLostSubmit), and a job it finds is taken as this
 * run's own; only when it is sure none was created is the submit sent again; when it cannot
 * tell, nothing is sent again and the step fails saying how to find the job. Returns true when
 * a job was found after a lost answer.
 */
async function submitOnce(provider, plan, report, retry) {
    // True while a submit has been sent and neither its answer nor a look has settled its fate.
    let unsettled = false;
    try {
        for (let attempt = 1;; attempt++) {
            try {
                unsettled = true;
                const job = await provider.submit(plan);
                unsettled = false;
                report.setFinetuneId(job.id);
                report.setJob(job);
                return false;
            }
            catch (error) {
                // A refusal (4xx) created nothing: its message says why.
                if (!(error instanceof send/* HttpError */.j$ && error.transient)) {
                    if (error instanceof send/* HttpError */.j$)
                        unsettled = false;
                    throw error;
                }
                log/* info */.pq(`The submit's answer was lost (${error.message}); checking whether the job was created anyway.`);
                const asked = error.retryAfterMs ?? 0;
                // Retry-After is honoured, but within the retry budget: an hour-long one must not park
                // the step (nor overflow the timer).
                await (0,cancellation/* sleep */.yy)(Math.min(Math.max(asked, (0,http_retry/* backoffDelay */.EY)(retry, attempt), retry.baseDelayMs), retry.maxTotalMs));
                const after = await lookAfterLost(provider, plan, error);
                unsettled = false;
                if (after.found === 'unknown') {
                    throw new errors/* ActionError */.l(`The answer to the submit of ${plan.name} was lost (${error.message}), and ${after.why}. Nothing was sent again, so it cannot have been paid for twice.`, after.hint);
                }
                if (after.found !== 'none') {
                    const job = after.found;
                    // It is the job this run created, not a reused one.
                    report.setFinetuneId(job.id);
                    report.setJob(job);
                    (0,jobs_job/* checkJob */.ej)(provider.label, job);
                    log/* info */.pq(`The job was created despite the lost answer: fine-tune ${job.id}. Not submitting again.`);
                    return true;
                }
                if (attempt >= retry.attempts) {
                    error.message = `${error.message} (gave up after ${attempt} submits; ${after.gaveUp})`;
                    throw error;
                }
                log/* info */.pq(`${after.log}; submitting again.`);
            }
        }
    }
    catch (error) {
        if (error instanceof cancellation/* CancelledError */.cc && unsettled)
            error.submitInFlight = plan.name;
        throw error;
    }
}
/**
 * What a lost answer left behind. A request that never reached the provider (no connection was
 * made) created nothing, whoever the provider is; otherwise the provider looks. When looking fails
 * too, nothing is sent again, and the step says how to find the job.
 */
async function lookAfterLost(provider, plan, error) {
    if (error.notDelivered) {
        return {
            found: 'none',
            log: `The submit never reached ${provider.label}, so nothing was created`,
            gaveUp: `it never reached ${provider.label}, so nothing was created and a re-run is safe`,
        };
    }
    try {
        return await provider.afterLostSubmit(plan, error);
    }
    catch (lookupError) {
        if (!(lookupError instanceof errors/* ActionError */.l))
            throw lookupError;
        throw new errors/* ActionError */.l(`The answer to the submit of ${plan.name} was lost (${error.message}), and looking at ${provider.label} for whether it was created failed too: ${lookupError.message} Nothing was sent again.`, provider.inFlightAdvice(plan.name));
    }
}

// EXTERNAL MODULE: ./src/jobs/wait.ts
var wait = __webpack_require__(1975);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/dataset/zip.ts






// ZIP record sizes (APPNOTE 4.3): local header, central header, end record.
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_OF_CENTRAL_DIRECTORY = 22;
/**
 * The exact size of the ZIP the entries give. Exact because every entry is stored: images are
 * already compressed (deflate gains a percent or two on JPEG and costs CPU time), and captions are
 * a few bytes. No entry has a data descriptor: its CRC-32 and sizes sit in its local header.
 */
function predictZipSize(entries) {
    let total = END_OF_CENTRAL_DIRECTORY;
    for (const entry of entries) {
        const nameBytes = Buffer.byteLength(entry.name, 'utf8');
        const dataBytes = 'file' in entry.source ? entry.source.bytes : entry.source.buffer.length;
        total += LOCAL_HEADER + nameBytes + dataBytes;
        total += CENTRAL_HEADER + nameBytes;
    }
    return total;
}
/**
 * The ZIP entries of a dataset, sorted by name; captions come from memory, already rewritten.
 */
function zipEntriesOf(dataset) {
    const entries = dataset.images.map((image) => ({
        name: image.entryName,
        source: { file: image.path, bytes: image.bytes },
    }));
    for (const caption of dataset.captions) {
        entries.push({
            name: caption.entryName,
            source: { buffer: Buffer.from(caption.text, 'utf8') },
        });
    }
    return entries.sort((a, b) => (0,format/* compare */.UD)(a.name, b.name));
}
/** Fails before anything is written when the predicted ZIP is not under the limit. */
function checkZipSize(bytes, maxBytes) {
    if (bytes >= maxBytes) {
        throw new errors/* ActionError */.l(`The dataset ZIP would be ${(0,format/* formatMb */.TF)(bytes)} (${bytes} bytes); it must be under ${(0,format/* formatMb */.TF)(maxBytes)} (max-zip-mb).`, 'Use fewer or smaller images: 10 to 30 images of about 1024 px on the long side, saved as JPEG at quality 90, are plenty for a fine-tune and fit easily. Segmind refuses ZIPs of 100 MB or more.');
    }
}
/**
 * Writes a deterministic ZIP: entries in the order given (sorted by name), each at the root,
 * stored, with the DOS epoch as its date and mode 0644, so the same files give the same bytes on
 * every OS whatever their mtimes or order on disk. Every local header carries the entry's CRC-32
 * and sizes and no entry has a data descriptor (general-purpose flag bit 3 is never set), so a
 * reader that goes through the local headers front to back, without the central directory
 * (java.util.zip.ZipInputStream, `cat z | jar x`, unzip-stream), opens it as well as one that
 * reads the central directory first.
 *
 * The CRC must be known before the header is written, and the ZIP's sha256 is taken over its
 * bytes in order. A file of up to 8 MiB (every fitted image, most photos) is therefore read once,
 * whole, synchronously, into a buffer that is reused for the next file (WholeFiles): its CRC,
 * then the hashes and the write, from memory. A larger file is read twice in 1 MiB pieces, once
 * for its CRC (and its own sha256 when asked for), once to copy it; the second read comes from
 * the page cache. A dry run has no file to seek back into, and seeking back in a real one would
 * mean reading the written ZIP again for its sha256: the same second read, on two code paths
 * (the figures are in docs/dataset-checks.md and docs/performance.md). With `destination` null
 * nothing is written and only the size and hashes are computed (a dry run needs no file). A
 * half-written file is removed again when anything fails.
 */
async function writeZip(entries, destination, 
/** Entries whose own sha256 is wanted too (to find duplicates), taken in the same pass. */
hashEntries = new Set()) {
    if (entries.length > MAX_ENTRIES) {
        throw new errors/* ActionError */.l(`The dataset has ${entries.length} files; a ZIP without the ZIP64 extension holds at most ${MAX_ENTRIES}.`, 'Use fewer images: a fine-tune needs tens of images, not thousands.');
    }
    const sink = new ZipSink(destination === null ? null : await (0,promises_.open)(destination, 'w'));
    // A dry run holds no file's bytes past its hashing; a real one may still be writing the last.
    const whole = new WholeFiles(entries, destination === null ? 1 : 2);
    const entryHashes = new Map();
    const central = [];
    // The write of the previous whole entry: one may be queued while the next is prepared.
    let lastWrite = Promise.resolve();
    try {
        for (let i = 0; i < entries.length; i++) {
            const entry = entries[i];
            const name = Buffer.from(entry.name, 'utf8');
            const flags = name.length !== entry.name.length ? FLAG_UTF8 : 0;
            const offset = sink.offset;
            const entryHash = hashEntries.has(entry.name) ? (0,external_node_crypto_.createHash)('sha256') : undefined;
            if (i % zip_YIELD_EVERY === zip_YIELD_EVERY - 1)
                await new Promise((resolve) => setImmediate(resolve));
            // In memory already (captions), or a file read whole: one pass.
            const source = entry.source;
            const data = 'buffer' in source ? source.buffer : whole.read(source.file, source.bytes, entry.name);
            let crc;
            let size;
            if (data) {
                crc = (0,external_node_zlib_.crc32)(data) >>> 0;
                size = data.length;
                entryHash?.update(data);
                sink.push(localHeader(name, flags, crc, size));
                const written = sink.push(data);
                // Writes run in order: once the previous entry's has settled, every earlier one has, so
                // the buffer WholeFiles hands out next is no longer being written from.
                await lastWrite;
                lastWrite = written;
            }
            else {
                const file = entry.source.file;
                ({ crc, size } = await sink.checksum(file, entryHash));
                sink.push(localHeader(name, flags, crc, size));
                const copied = await sink.copyFile(file);
                if (copied !== size) {
                    throw new errors/* ActionError */.l(`${entry.name} changed while it was being zipped (${size} bytes, then ${copied}).`, 'Make sure no other step writes to the dataset folder while this one runs, then re-run.');
                }
            }
            if (entryHash)
                entryHashes.set(entry.name, entryHash.digest('hex'));
            central.push({ name, flags, crc, size, offset });
        }
        const centralStart = sink.offset;
        for (const record of central)
            sink.push(centralHeader(record));
        sink.push(endOfCentralDirectory(central.length, sink.offset - centralStart, centralStart));
        await sink.close();
    }
    catch (error) {
        await sink.abort();
        if (destination !== null)
            await (0,promises_.rm)(destination, { force: true });
        throw error;
    }
    return { bytes: sink.offset, sha256: sink.digest(), entryHashes };
}
const MAX_ENTRIES = 0xffff;
const CHUNK = 1024 * 1024;
const FLAG_UTF8 = 0x0800;
/** Stored entries need version 1.0 to extract. */
const VERSION_NEEDED = 10;
/** Entries written between two turns of the event loop (small files are read synchronously). */
const zip_YIELD_EVERY = 256;
/** 1980-01-01 in DOS date format; the time field is 00:00:00. */
const DOS_DATE = 0x0021;
/** Made by: Unix (3), spec version 4.5. */
const MADE_BY = (3 << 8) | 45;
/** A regular file with mode 0644 in the high half, the MS-DOS archive bit in the low half. */
const EXTERNAL_ATTRIBUTES = ((0o100644 << 16) | 0x20) >>> 0;
/** Files up to this size are read whole, once; larger ones in pieces, twice (see writeZip). */
const WHOLE_FILE_MAX = 8 * 1024 * 1024;
/**
 * Files read whole, synchronously, into `slots` buffers that take turns and are reused for the
 * whole ZIP, sized once for the largest such file: for thousands of small files in the page
 * cache, open/read/close on the main thread is several times faster than through libuv's thread
 * pool, and for photos one read instead of two saves about a third of the ZIP's time (the kernel
 * copies every byte read; docs/performance.md). Reused buffers matter as much: a fresh one per
 * file costs the kernel a page fault for every 4 KiB of it. The caller must be done with a
 * buffer (its write settled) before asking for `slots` more files.
 */
class WholeFiles {
    slots;
    buffers = [];
    next = 0;
    size;
    constructor(entries, slots) {
        this.slots = slots;
        let largest = 0;
        for (const { source } of entries) {
            if ('file' in source && source.bytes <= WHOLE_FILE_MAX)
                largest = Math.max(largest, source.bytes);
        }
        // One byte more than expected tells a file that grew from one that did not.
        this.size = largest + 1;
    }
    /** The file's bytes, valid until `slots` more files are read; undefined when it is too large. */
    read(file, expected, name) {
        if (expected > WHOLE_FILE_MAX)
            return undefined;
        const slot = this.next;
        this.next = (this.next + 1) % this.slots;
        const buffer = (this.buffers[slot] ??= Buffer.allocUnsafe(this.size));
        const fd = (0,external_node_fs_.openSync)(file, 'r');
        try {
            let length = 0;
            while (length < expected + 1) {
                const bytesRead = (0,external_node_fs_.readSync)(fd, buffer, length, expected + 1 - length, length);
                if (bytesRead === 0)
                    break;
                length += bytesRead;
            }
            if (length !== expected) {
                throw new errors/* ActionError */.l(`${name} changed while it was being zipped (${expected} bytes, then ${length}${length > expected ? ' or more' : ''}).`, 'Make sure no other step writes to the dataset folder while this one runs, then re-run.');
            }
            return buffer.subarray(0, length);
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
}
/**
 * Where the ZIP's bytes go: hashed at once, appended to the file in order. Writes are chained,
 * so hashing the next piece overlaps writing this one; a buffer is not reused before its write.
 */
class ZipSink {
    out;
    offset = 0;
    hash = (0,external_node_crypto_.createHash)('sha256');
    writing = Promise.resolve();
    /** For files too large to read whole; only allocated when there is one. */
    buffersMade;
    get buffers() {
        return (this.buffersMade ??= [
            Buffer.allocUnsafe(CHUNK),
            Buffer.allocUnsafe(CHUNK),
            Buffer.allocUnsafe(CHUNK),
        ]);
    }
    constructor(out) {
        this.out = out;
    }
    /** Queues `bytes`; resolves once they are on disk. `bytes` must not change until then. */
    push(bytes) {
        this.hash.update(bytes);
        this.offset += bytes.length;
        const out = this.out;
        if (out)
            this.writing = this.writing.then(() => out.write(bytes, 0, bytes.length, null));
        return this.writing;
    }
    /** The first pass over a large file: its CRC-32 and size (and its sha256 when asked for). */
    async checksum(file, entryHash) {
        // Nothing may be queued for writing from these buffers while they are read into.
        await this.writing;
        let crc = 0;
        let size = 0;
        await this.readThrough(file, 2, (chunk) => {
            crc = (0,external_node_zlib_.crc32)(chunk, crc);
            entryHash?.update(chunk);
            size += chunk.length;
            return undefined;
        });
        return { crc: crc >>> 0, size };
    }
    /** The second pass: the file's bytes into the ZIP. Returns how many were copied. */
    async copyFile(file) {
        let size = 0;
        await this.readThrough(file, 3, (chunk) => {
            size += chunk.length;
            return this.push(chunk);
        });
        return size;
    }
    /**
     * Reads `file` through the rotating buffers in 1 MiB pieces, the next read in flight while
     * `use` handles the current piece; `use` may return a promise that must settle before that
     * piece's buffer is read into again (a queued write).
     */
    async readThrough(file, rotation, use) {
        const input = await (0,promises_.open)(file, 'r');
        try {
            const busy = new Array(rotation).fill(undefined);
            let reading = input.read(this.buffers[0], 0, CHUNK, null);
            for (let i = 0;; i++) {
                const { bytesRead } = await reading;
                if (bytesRead === 0)
                    break;
                const chunk = this.buffers[i % rotation].subarray(0, bytesRead);
                const next = (i + 1) % rotation;
                await busy[next]; // that buffer's bytes are used up: it may be read into again
                reading = input.read(this.buffers[next], 0, CHUNK, null);
                busy[i % rotation] = use(chunk);
            }
            await Promise.all(busy);
        }
        finally {
            await input.close();
        }
    }
    async close() {
        await this.writing;
        await this.out?.close();
    }
    async abort() {
        await this.writing.catch(() => undefined);
        await this.out?.close().catch(() => undefined);
    }
    digest() {
        return this.hash.digest('hex');
    }
}
function localHeader(name, flags, crc, size) {
    const header = Buffer.alloc(LOCAL_HEADER + name.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(flags, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(0, 10); // time 00:00:00
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(size, 18); // compressed size
    header.writeUInt32LE(size, 22); // uncompressed size
    header.writeUInt16LE(name.length, 26);
    name.copy(header, LOCAL_HEADER);
    return header;
}
function centralHeader(record) {
    const header = Buffer.alloc(CENTRAL_HEADER + record.name.length);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(MADE_BY, 4);
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(record.flags, 8);
    header.writeUInt16LE(0, 10); // stored
    header.writeUInt16LE(0, 12); // time
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(record.crc, 16);
    header.writeUInt32LE(record.size, 20);
    header.writeUInt32LE(record.size, 24);
    header.writeUInt16LE(record.name.length, 28);
    header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    header.writeUInt32LE(record.offset, 42);
    record.name.copy(header, CENTRAL_HEADER);
    return header;
}
function endOfCentralDirectory(count, size, offset) {
    const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(offset, 16);
    return end;
}

// EXTERNAL MODULE: ./src/dataset/fit/record.ts
var fit_record = __webpack_require__(2443);
;// CONCATENATED MODULE: ./src/train.ts















/** The train command: collect, zip, reuse or upload and submit, then optionally wait. */
async function train(ctx) {
    const { config, report } = ctx;
    const offer = (0,offers/* offerOf */.y)(config.provider);
    report.settings = config.settings;
    report.price = offer.price(config.settings);
    // `reused` is false unless a job is adopted below, dry runs included.
    report.output('reused', false);
    // Requests follow the ZIP: load their client meanwhile (a dry run sends none).
    if (!config.dryRun)
        (0,send/* preloadHttpClient */.H5)();
    let datasetIdentity;
    let datasetModifiedAt;
    let zip;
    if (config.datasetUrl) {
        report.datasetSource = config.datasetUrl;
        const { bytes, identity, modifiedAt } = await checkDatasetUrl(config.datasetUrl, config.maxZipBytes, ctx.retry, offer.label);
        datasetModifiedAt = modifiedAt;
        log/* info */.pq(`Dataset ZIP at ${config.datasetUrl}: ${(0,format/* formatMb */.TF)(bytes)}.`);
        report.setDatasetUrl(config.datasetUrl);
        datasetIdentity = identity;
    }
    else {
        report.datasetSource = config.datasetPatterns.join(', ');
        const built = await buildZip(ctx, offer.datasetRules(config.settings));
        zip = built;
        datasetIdentity = built.sha256;
    }
    const name = config.name || defaultJobName(ctx.repository, fingerprint(datasetIdentity, config.settings));
    report.setJobName(name);
    if (config.dryRun) {
        report.readyToTrain = true;
        log/* info */.pq(`Dry run: the dataset is ready to train as job ${name}. Nothing was sent to ${offer.label}.`);
        return;
    }
    const provider = await ctx.connect();
    const existing = await provider
        .findReusable({
        name,
        settings: config.settings,
        datasetUrl: config.datasetUrl || undefined,
        datasetModifiedAt,
    })
        .catch((error) => {
        if (!(error instanceof errors/* ActionError */.l))
            throw error;
        throw new errors/* ActionError */.l(`Looking for an earlier training of ${name} at ${provider.label} failed: ${error.message}`, `${error.hint ?? ''} Nothing was uploaded or submitted: the action looks first so that a re-run never pays twice for the same dataset and settings.`.trim());
    });
    if (existing) {
        (0,jobs_job/* adopt */.di)(report, existing, name);
    }
    else {
        report.setReused(false);
        const plan = {
            name,
            dataUrl: config.datasetUrl,
            uploaded: false,
            settings: config.settings,
        };
        if (zip?.path) {
            plan.dataUrl = await provider.upload({
                path: zip.path,
                bytes: zip.bytes,
                fileName: `${name}.zip`,
                sha256: zip.sha256,
            });
            plan.uploaded = true;
            report.setDatasetUrl(plan.dataUrl);
        }
        const adopted = await submitOnce(provider, plan, report, ctx.retry);
        if (!adopted)
            log/* info */.pq(`Submitted fine-tune ${report.finetuneId} (${name}).`);
    }
    if (config.waitFor !== 'none' && report.finetuneId) {
        const job = await (0,wait/* waitForJob */.q)(provider, report.finetuneId, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onJob: (job) => report.setJob(job),
            needsWeights: Boolean(config.downloadModel),
        });
        if (config.downloadModel) {
            const { downloadFile } = await Promise.all(/* import() */[__webpack_require__.e(599), __webpack_require__.e(498)]).then(__webpack_require__.bind(__webpack_require__, 7498));
            const model = await downloadFile({
                source: provider.modelSource(job),
                workspace: ctx.workspace,
                relative: config.downloadModel,
                retry: ctx.retry,
            });
            report.setModel(model);
        }
    }
}
async function buildZip(ctx, rules) {
    const { config, report } = ctx;
    const collected = await collectDataset(config.datasetPatterns, ctx.workspace, config.settings.triggerWord).catch((error) => {
        // A dataset that cannot be trained on still has each bad file annotated and listed.
        if (error instanceof errors/* ActionError */.l)
            for (const p of error.problems)
                report.addProblem(p);
        throw error;
    });
    recordDataset(report, collected);
    const quality = qualityChecks(collected, {
        triggerWord: config.settings.triggerWord,
        // Images without a caption get one written below: nothing to warn about.
        captioning: config.settings.captioning ||
            rules.captionForUncaptioned !== undefined ||
            rules.uncaptionedDescribed === true,
    });
    for (const problem of quality)
        report.addProblem(problem);
    checkImageCount(report, collected.images.length, rules, ctx.config.provider);
    const dataset = withWrittenCaptions(collected, rules.captionForUncaptioned, config);
    if (dataset.skipped.length > 0) {
        log/* notice */.lm(`Skipped ${dataset.skipped.length} file(s) that are neither images nor captions: ${dataset.skipped.join(', ')}`);
    }
    const fitted = await fitDatasetImages(ctx, dataset);
    const entries = zipEntriesOf(fitted);
    const predicted = predictZipSize(entries);
    checkZipSize(predicted, config.maxZipBytes);
    // Only images that share their size with another can be byte-identical: hash just those.
    const sizes = new Map();
    for (const image of fitted.images)
        sizes.set(image.bytes, (sizes.get(image.bytes) ?? 0) + 1);
    const candidates = new Set(fitted.images.filter((i) => sizes.get(i.bytes) > 1).map((i) => i.entryName));
    // A dry run needs the ZIP's size and hash, not the file (unless it is to be saved).
    const zipPath = config.dryRun && !config.saveZip ? null : external_node_path_.join(await ctx.temp.path(), 'dataset.zip');
    const { bytes, sha256, entryHashes } = await writeZip(entries, zipPath, candidates);
    if (bytes !== predicted) {
        // A file changed while it was being zipped; what was checked is not what was written.
        throw new errors/* ActionError */.l(`The dataset changed while it was being zipped (expected ${predicted} bytes, wrote ${bytes}).`, 'Make sure no other step writes to the dataset folder while this one runs, then re-run.');
    }
    for (const problem of duplicateImages(fitted, entryHashes))
        report.addProblem(problem);
    if (config.saveZip && zipPath) {
        const { saveCopy } = await __webpack_require__.e(/* import() */ 142).then(__webpack_require__.bind(__webpack_require__, 9142));
        await saveCopy(zipPath, ctx.workspace, config.saveZip, 'save-zip');
        report.setZipPath(config.saveZip);
        log/* info */.pq(`Saved the dataset ZIP to ${config.saveZip}.`);
    }
    report.setDataset({ ...report.dataset, zipBytes: bytes, sha256 });
    log/* info */.pq(`Dataset ZIP: ${dataset.images.length} images, ${dataset.captions.length} captions, ${(0,format/* formatMb */.TF)(bytes)}, sha256 ${sha256}.`);
    return { path: zipPath, bytes, sha256 };
}
/**
 * Train step 2's fitting: images downscaled, turned upright, converted from HEIC and stripped of
 * metadata into the run's temp folder (a dry run too: the ZIP's size must be right), stepping the
 * side down when the ZIP would reach the limit. Loaded on demand: the codec only when an image
 * needs decoding.
 */
async function fitDatasetImages(ctx, dataset) {
    const { config, report } = ctx;
    const options = { maxSide: config.maxImageSide, strip: config.stripMetadata };
    // The headers read while checking say whether any image needs a change. When none does and
    // the ZIP fits as it is, the fitting code is never loaded (about 10 ms of a dry run).
    if (!dataset.images.some((image) => (0,plan/* needsFitting */.dO)(image, options)) &&
        predictZipSize(zipEntriesOf(dataset)) < config.maxZipBytes) {
        report.setFitting((0,fit_record/* unchangedRecord */.BP)(options.maxSide));
        log/* info */.pq('Images: none needed a change.');
        return dataset;
    }
    const { fitDataset, checkRenamedEntries, describeFitting, fittingLines } = await __webpack_require__.e(/* import() */ 172).then(__webpack_require__.bind(__webpack_require__, 4172));
    const { images, record } = await fitDataset(dataset.images, { ...options, maxZipBytes: config.maxZipBytes }, await ctx.temp.path(), (images) => predictZipSize(zipEntriesOf({ ...dataset, images })));
    checkRenamedEntries(images, dataset.captions);
    report.setFitting(record);
    const changes = describeFitting(record);
    log/* info */.pq(changes ? `Images made ready: ${changes}.` : 'Images: none needed a change.');
    for (const line of fittingLines(record))
        log/* info */.pq(`  ${line}`);
    return { ...dataset, images };
}
/**
 * The provider's floor (fal's trainers fail below it) is an error before anything is uploaded;
 * its recommendation (Replicate's) a warning.
 */
function checkImageCount(report, count, rules, provider) {
    const trainer = rules.trainer ?? `${(0,offers/* offerOf */.y)(provider).label}\u2019s trainer`;
    if (rules.minImages !== undefined && count < rules.minImages) {
        const message = `The dataset has ${count} image${count === 1 ? '' : 's'}; ${trainer} needs at least ${rules.minImages}.`;
        report.addProblem({ severity: 'error', message, kind: 'too-few-images' });
        throw new errors/* ActionError */.l(message, `Add images until there are ${rules.minImages} or more (10 to 30 varied photos of the subject train best); nothing was uploaded or paid for.`);
    }
    if (rules.recommendedImages !== undefined && count < rules.recommendedImages) {
        report.addProblem({
            severity: 'warning',
            kind: 'few-images',
            message: `The dataset has ${count} image${count === 1 ? '' : 's'}; ${trainer} recommends ${rules.recommendedImages} or more, varied in pose, light and background.`,
        });
    }
}
/**
 * Captions written for images that have none, where the provider would otherwise train them
 * bare (fal's fast trainer and Replicate with `captioning: false`): the instance prompt, with the
 * trigger word in place of `[trigger]`, under the image's entry name with `.txt`. They go into
 * the ZIP like the dataset's own captions, so the fingerprint covers them.
 */
function withWrittenCaptions(dataset, caption, config) {
    if (caption === undefined)
        return dataset;
    const captioned = new Set(dataset.captions.map((c) => c.image));
    const taken = new Set([
        ...dataset.captions.map((c) => c.entryName),
        ...dataset.images.map((i) => i.entryName),
    ]);
    const text = caption.replaceAll('[trigger]', config.settings.triggerWord);
    const written = [];
    for (const image of dataset.images) {
        if (captioned.has(image.relative))
            continue;
        const entryName = `${train_stripExtension(image.entryName)}.txt`;
        if (taken.has(entryName))
            continue;
        taken.add(entryName);
        written.push({
            path: '',
            relative: `${image.relative} (caption written from the instance prompt)`,
            entryName,
            bytes: Buffer.byteLength(text),
            text,
            image: image.relative,
        });
    }
    if (written.length > 0) {
        log/* info */.pq(`${written.length} image(s) without a caption get the instance prompt as their caption (\`captioning: false\`).`);
    }
    return { ...dataset, captions: [...dataset.captions, ...written] };
}
function train_stripExtension(name) {
    const dot = name.lastIndexOf('.');
    return dot > 0 ? name.slice(0, dot) : name;
}
function recordDataset(report, dataset) {
    report.skipped = dataset.skipped;
    for (const problem of dataset.problems)
        report.addProblem(problem);
    const figure = (image) => image && { file: image.relative, width: image.width, height: image.height };
    const { smallest, median, largest } = imageSizeFigures(dataset.images);
    report.setDataset({
        images: dataset.images.length,
        captions: dataset.captions.length,
        smallest: figure(smallest),
        median: figure(median),
        largest: figure(largest),
    });
}


/***/ })

};
