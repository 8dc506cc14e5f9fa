// @ts-check
/**
 * The image codec's own thread: sharp's WebAssembly build (libvips) and libheif's, loaded in a
 * worker thread of their own, one image at a time. Plain JavaScript because a worker starts from
 * a file: from the sources (tests, Node 20) a TypeScript file cannot start one, and in the bundle
 * `npm run bundle` copies this file beside the codec (scripts/bundle-codec.js).
 *
 * Why a thread of its own (src/dataset/fit/pool.ts has the other side): a decode that runs long
 * or grows without end can be stopped by terminating the thread, which JavaScript cannot do to a
 * call into WebAssembly on its own thread; each thread's codec has a memory of its own, capped
 * (below), so one hostile image cannot take the runner's memory; and whatever the libraries print
 * arrives at the main thread as this thread's output, which goes through the log there.
 *
 * The main thread decides everything about an image (size, turn, format, encoder settings) from
 * its header; this file only runs what it is given.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fittedSize } from './fitted-size.mjs';

/**
 * Requires sharp from `file`. From node_modules npm has installed sharp's native build for the
 * machine too: `refuseNative` refuses it while sharp loads, so that sharp falls back to its
 * WebAssembly build, the one the bundle ships (the bundle's copy has no native build to refuse).
 * @param {string} file
 * @param {boolean} refuseNative
 * @returns {any}
 */
export function requireSharp(file, refuseNative) {
  const require = createRequire(file);
  if (!refuseNative) return require(file);
  const Module = /** @type {any} */ (require('node:module'));
  const load = Module._load;
  Module._load = function (/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
    if (/^@img\/sharp-(?!wasm32)/.test(request)) {
      throw Object.assign(new Error(`Cannot find module '${request}'`), {
        code: 'MODULE_NOT_FOUND',
      });
    }
    return load.call(this, request, ...rest);
  };
  try {
    return require(file);
  } finally {
    Module._load = load;
  }
}

// ---------------------------------------------------------------------------------------------
// The thread

/**
 * @typedef {{ sharp: string, libheif: string, refuseNative: boolean, memoryBytes: number }} Setup
 * @typedef {{ format: 'jpg' | 'png' | 'webp', lossless: boolean, quality: number }} Encoder
 * @typedef {{
 *   id: number,
 *   file: string,
 *   heif: boolean,
 *   maxPixels: number,
 *   maxSide: number,
 *   resize?: { width: number, height: number },
 *   keep: 'icc' | 'all',
 *   encoder: Encoder,
 * }} Job
 */

/** @type {any} */
let sharp;
/** @type {any} */
let libheif;
/** The sharp codec's WebAssembly memory, to report its size (it only grows). */
/** @type {{ buffer: ArrayBuffer } | undefined} */
let sharpMemory;
/** libheif's, which its module makes itself: capped as it grows (loadLibheif). */
/** @type {{ buffer: ArrayBuffer } | undefined} */
let libheifMemory;
/** Whether libheif's memory was refused growth during the current image. */
let libheifRefused = false;
/** WebAssembly, which this project's type libraries do not describe. */
const wasm = /** @type {any} */ (globalThis).WebAssembly;

/**
 * Loads sharp with its WebAssembly memory capped at `bytes`: an allocation past it fails inside
 * the codec (an error, or an abort that ends this thread) instead of growing the process.
 * @param {Setup} setup
 */
function loadSharp(setup) {
  if (sharp) return sharp;
  const Memory = wasm.Memory;
  const pages = Math.floor(setup.memoryBytes / 65536);
  // The Emscripten glue makes its memory with `new WebAssembly.Memory({ maximum })` when it
  // loads; only that one call is capped, then the constructor is put back.
  /** @type {any} */
  const Capped = function (/** @type {{ maximum?: number }} */ descriptor) {
    const memory = new Memory({
      ...descriptor,
      maximum: Math.min(descriptor.maximum ?? pages, pages),
    });
    sharpMemory ??= memory;
    return memory;
  };
  Capped.prototype = Memory.prototype;
  wasm.Memory = Capped;
  try {
    sharp = requireSharp(setup.sharp, setup.refuseNative);
  } finally {
    wasm.Memory = Memory;
  }
  if (!sharp.versions.emscripten) {
    throw new Error(
      'sharp loaded a native build; only its WebAssembly build gives the same bytes everywhere.',
    );
  }
  // Each image is decoded once: libvips' cache would only hold memory. One libvips thread: the
  // images are spread over threads like this one instead.
  sharp.cache(false);
  sharp.concurrency(1);
  return sharp;
}

/** Both codecs' WebAssembly memory: what this thread holds of its share. */
function codecBytes() {
  return (sharpMemory?.buffer.byteLength ?? 0) + (libheifMemory?.buffer.byteLength ?? 0);
}

/**
 * Loads libheif with its memory inside this thread's share. Its module makes its memory itself
 * (exported by the WebAssembly, up to 2 GiB), so no constructor can be given a maximum as sharp's
 * is: its growth is refused instead once sharp's memory and libheif's together would pass the
 * share. The module grows its memory through this one method, from JavaScript, and a refusal
 * makes its malloc return 0 (decodeHeif checks every allocation).
 * @param {Setup} setup
 */
function loadLibheif(setup) {
  const Instance = wasm.Instance;
  /** @type {any} */
  let memory;
  // The module instantiates synchronously (its WebAssembly is inlined): catch its memory there.
  /** @type {any} */
  const Catching = function (/** @type {unknown} */ module, /** @type {unknown} */ imports) {
    const instance = new Instance(module, imports);
    for (const value of Object.values(instance.exports)) {
      if (value instanceof wasm.Memory) memory ??= value;
    }
    return instance;
  };
  Catching.prototype = Instance.prototype;
  wasm.Instance = Catching;
  /** @type {any} */
  let heif;
  try {
    heif = createRequire(setup.libheif)(setup.libheif)();
  } finally {
    wasm.Instance = Instance;
  }
  if (!memory || memory.buffer !== heif.HEAPU8.buffer) {
    throw new Error("libheif's memory could not be found, so it could not be capped");
  }
  const grow = memory.grow;
  Object.defineProperty(memory, 'grow', {
    value: (/** @type {number} */ pages) => {
      if (codecBytes() + pages * 65536 > setup.memoryBytes) {
        // Noted: a refusal inside libheif's own C++ (a `new`) aborts with a bare "Aborted()",
        // which must still read as running out of memory (fitHeif).
        libheifRefused = true;
        throw new RangeError("out of memory: over this codec thread's share");
      }
      return grow.call(memory, pages);
    },
  });
  libheifMemory = memory;
  return heif;
}

/**
 * @param {any} pipeline
 * @param {Encoder} encoder
 */
function encode(pipeline, encoder) {
  switch (encoder.format) {
    case 'jpg':
      return pipeline.jpeg({ quality: encoder.quality, chromaSubsampling: '4:2:0' });
    case 'png':
      return pipeline.png({ compressionLevel: 6, adaptiveFiltering: false });
    case 'webp':
      return encoder.lossless
        ? pipeline.webp({ lossless: true })
        : pipeline.webp({ quality: encoder.quality });
  }
}

/**
 * Decodes, turns upright, downscales and encodes one JPEG, PNG or WebP. From a path, libvips
 * reads the file itself: the encoded image never sits whole in the codec's memory.
 * @param {Setup} setup
 * @param {Job} job
 */
async function fitImage(setup, job) {
  const sharp = loadSharp(setup);
  let pipeline = sharp(job.file, { limitInputPixels: job.maxPixels }).autoOrient();
  if (job.resize) pipeline = pipeline.resize(job.resize.width, job.resize.height, { fit: 'fill' });
  // Colour profiles are kept as they are, not converted: the pixels stay in their own space.
  pipeline = job.keep === 'icc' ? pipeline.keepIccProfile() : pipeline.keepMetadata();
  return encode(pipeline, job.encoder).toBuffer({ resolveWithObject: true });
}

// libheif's C interface, as its WebAssembly build exports it (libheif.d.ts in libheif-js).
const HEIF_COLORSPACE_RGB = 1;
const HEIF_CHROMA_INTERLEAVED_RGB = 10;
const HEIF_CHANNEL_INTERLEAVED = 10;
const HEIF_ERROR_MEMORY = 6;
const HEIF_SUBERROR_SECURITY_LIMIT = 1000;

/**
 * Decodes a HEIC/HEIF tile by tile (an iPhone stores a 48-megapixel photo as 192 tiles of
 * 512×512), copying each tile's RGB into one buffer: libheif never holds the whole image, and
 * its own limit refuses an image larger than `maxPixels` whatever the file's boxes claim.
 * Rotation and mirroring (irot, imir) are applied by libheif, as a viewer shows the image.
 * @param {Uint8Array} bytes
 * @param {number} maxPixels
 * @returns {{ data: Buffer, width: number, height: number }}
 */
function decodeHeif(bytes, maxPixels) {
  const heif = libheif;
  const u32 = () => new Uint32Array(heif.HEAPU8.buffer);
  const i32 = () => new Int32Array(heif.HEAPU8.buffer);
  /** @type {number[]} */
  const allocated = [];
  // A refused allocation is 0: writing there would overwrite libheif's own memory.
  const allocate = (/** @type {number} */ size) => {
    const at = heif._malloc(size);
    if (!at) throw new Error(`out of memory: libheif could not allocate ${size} bytes`);
    allocated.push(at);
    return at;
  };
  const check = (/** @type {string} */ what, /** @type {number} */ error) => {
    const code = i32()[error >> 2];
    if (code === 0) return;
    const subcode = i32()[(error + 4) >> 2];
    const text = u32()[(error + 8) >> 2] ?? 0;
    const end = text ? heif.HEAPU8.indexOf(0, text) : -1;
    const said = end > text ? Buffer.from(heif.HEAPU8.subarray(text, end)).toString('utf8') : '';
    // A failed allocation, not a security limit (which libheif files under the same code).
    const memory = code === HEIF_ERROR_MEMORY && subcode !== HEIF_SUBERROR_SECURITY_LIMIT;
    throw new Error(
      `${what}: ${memory ? 'out of memory: ' : ''}${said || `libheif error ${code}`}`,
    );
  };
  let context = 0;
  let handle = 0;
  try {
    const error = allocate(16);
    const slot = allocate(16);
    const tiling = allocate(96);
    context = heif._heif_context_alloc();
    if (!context) throw new Error('out of memory: libheif could not allocate its context');
    const input = allocate(bytes.length);
    heif.HEAPU8.set(bytes, input);
    heif._heif_context_set_maximum_image_size_limit(context, Math.floor(Math.sqrt(maxPixels)));
    heif._heif_context_read_from_memory_without_copy(error, context, input, bytes.length, 0);
    check('the HEIF file could not be read', error);
    heif._heif_context_get_primary_image_handle(error, context, slot);
    check('no primary image', error);
    handle = u32()[slot >> 2] ?? 0;
    const width = heif._heif_image_handle_get_width(handle);
    const height = heif._heif_image_handle_get_height(handle);
    if (!(width > 0 && height > 0) || width * height > maxPixels) {
      throw new Error(`the image is ${width}×${height}`);
    }
    heif.HEAPU8.fill(0, tiling, tiling + 96);
    i32()[tiling >> 2] = 1; // struct version
    heif._heif_image_handle_get_image_tiling(error, handle, 1, tiling);
    check('its tiles could not be read', error);
    const [, columns = 0, rows = 0, tileWidth = 0, tileHeight = 0] = u32().subarray(
      tiling >> 2,
      (tiling >> 2) + 5,
    );
    if (!(columns > 0 && rows > 0 && tileWidth > 0 && tileHeight > 0)) {
      throw new Error('its tiles could not be read');
    }
    const out = Buffer.alloc(width * height * 3);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        heif._heif_image_handle_decode_image_tile(
          error,
          handle,
          slot,
          HEIF_COLORSPACE_RGB,
          HEIF_CHROMA_INTERLEAVED_RGB,
          0,
          column,
          row,
        );
        check(`tile ${column},${row} could not be decoded`, error);
        const image = u32()[slot >> 2];
        try {
          const w = heif._heif_image_get_width(image, HEIF_CHANNEL_INTERLEAVED);
          const h = heif._heif_image_get_height(image, HEIF_CHANNEL_INTERLEAVED);
          const plane = heif._heif_image_get_plane_readonly2(image, HEIF_CHANNEL_INTERLEAVED, slot);
          const stride = u32()[slot >> 2] ?? 0;
          const x0 = column * tileWidth;
          const y0 = row * tileHeight;
          const copyWidth = Math.min(w, width - x0);
          const copyHeight = Math.min(h, height - y0);
          if (!plane || copyWidth <= 0 || copyHeight <= 0) continue;
          for (let y = 0; y < copyHeight; y++) {
            const from = plane + y * stride;
            out.set(heif.HEAPU8.subarray(from, from + copyWidth * 3), ((y0 + y) * width + x0) * 3);
          }
        } finally {
          heif._heif_image_release(image);
        }
      }
    }
    return { data: out, width, height };
  } finally {
    if (handle) heif._heif_image_handle_release(handle);
    if (context) heif._heif_context_free(context);
    for (const at of allocated) heif._free(at);
  }
}

/**
 * HEIC/HEIF to JPEG: decoded tile by tile, downscaled, encoded. Decoded pixels carry nothing of
 * the file's EXIF or XMP.
 * @param {Setup} setup
 * @param {Job} job
 */
async function fitHeif(setup, job) {
  const sharp = loadSharp(setup);
  libheif ??= loadLibheif(setup);
  /** @type {{ data: Buffer, width: number, height: number }} */
  let decoded;
  libheifRefused = false;
  try {
    decoded = decodeHeif(readFileSync(job.file), job.maxPixels);
  } catch (error) {
    // An abort (a failed C++ allocation) leaves the module unusable: the next HEIC loads anew.
    if (error instanceof wasm.RuntimeError) libheif = libheifMemory = undefined;
    // Any failure after its memory was refused is that image running out of it, whatever libheif
    // made of the refusal (a bare "Aborted()", its decoder's "did not give a decompressed
    // image"): the pool tries the image again alone, with the whole memory, rather than failing
    // the step on an image that fits.
    if (libheifRefused && !/out of memory/i.test(String(error))) {
      throw new Error(
        `out of memory: libheif needed more than this codec thread's share (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    throw error;
  }
  const from = { width: decoded.width, height: decoded.height };
  const target = fittedSize(from, job.maxSide);
  let pipeline = sharp(decoded.data, {
    raw: { width: from.width, height: from.height, channels: 3 },
    limitInputPixels: job.maxPixels,
  });
  if (target.width !== from.width || target.height !== from.height)
    pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
  const result = await encode(pipeline, job.encoder).toBuffer({ resolveWithObject: true });
  return { ...result, from };
}

if (!isMainThread && parentPort && workerData?.codecWorker) {
  const port = parentPort;
  /** @type {Setup} */
  const setup = workerData.codecWorker;
  port.on('message', async (/** @type {Job} */ job) => {
    try {
      const result = job.heif ? await fitHeif(setup, job) : await fitImage(setup, job);
      /** @type {Uint8Array} */
      let data = result.data;
      // Small buffers share a pool: only a buffer that owns its memory is handed over whole.
      if (data.byteOffset !== 0 || data.buffer.byteLength !== data.length) {
        data = new Uint8Array(data);
      }
      port.postMessage(
        {
          id: job.id,
          ok: true,
          data,
          width: result.info.width,
          height: result.info.height,
          from: 'from' in result ? result.from : undefined,
          memoryBytes: codecBytes(),
        },
        [/** @type {ArrayBuffer} */ (data.buffer)],
      );
    } catch (error) {
      port.postMessage({
        id: job.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        memoryBytes: codecBytes(),
      });
    }
  });
}
