import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sharp, SharpOptions } from 'sharp';

/**
 * The image codec: sharp's WebAssembly build (libvips, mozjpeg, libpng, libwebp compiled to
 * wasm32), and libheif's for HEIC. WebAssembly gives the same bytes on every CPU, OS and Node
 * version, which the ZIP's fingerprint needs; native builds pick code paths by CPU feature.
 * Loaded on first use only: a dataset that needs no decoding never pays its start-up.
 *
 * In the bundle, `npm run bundle` copies both into dist/codec/ (scripts/bundle-codec.js) and they
 * are loaded from there; from the sources (tests) they come from node_modules, with sharp's
 * native build refused so that tests exercise the very bytes the bundle produces.
 *
 * The action itself loads them only in its codec threads (pool.ts, codec-worker.mjs), which
 * codecWorkerSetup() tells where they are; loadSharp() loads sharp here, for the tests that make
 * and read images.
 */
export type SharpFactory = ((input?: Buffer | string, options?: SharpOptions) => Sharp) & {
  concurrency(threads?: number): number;
  cache(options: boolean): unknown;
  versions: Record<string, string>;
};

let sharpLoaded: SharpFactory | undefined;

/** The folder the bundle's codec copy sits in, when running from the bundle. */
function vendoredDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, 'codec'), path.join(here, '..', 'codec')]) {
    if (existsSync(path.join(dir, 'codec.json'))) return dir;
  }
  return undefined;
}

/** A require the bundler leaves alone: these files are loaded from disk at run time. */
function runtimeRequire(): NodeJS.Require {
  const { createRequire } = process.getBuiltinModule('node:module');
  return createRequire(fileURLToPath(import.meta.url));
}

let threadStarted = false;

/** Whether the codec has been loaded, here or in a codec thread (tests check it stays unloaded). */
export function codecLoaded(): boolean {
  return threadStarted || sharpLoaded !== undefined;
}

/** Called by the pool (pool.ts) when it starts a codec thread. */
export function noteCodecStarted(): void {
  threadStarted = true;
}

/** What a codec thread (codec-worker.mjs) loads: its own file, sharp's and libheif's. */
export interface CodecWorkerSetup {
  workerFile: string;
  sharp: string;
  libheif: string;
  /** From node_modules, sharp's native build is refused while sharp loads. */
  refuseNative: boolean;
}

export function codecWorkerSetup(): CodecWorkerSetup {
  const vendored = vendoredDir();
  if (vendored) {
    return {
      workerFile: path.join(vendored, 'codec-worker.mjs'),
      sharp: path.join(vendored, 'sharp', 'dist', 'index.cjs'),
      libheif: path.join(vendored, 'libheif', 'libheif-bundle.js'),
      refuseNative: false,
    };
  }
  const require = runtimeRequire();
  return {
    workerFile: path.join(path.dirname(fileURLToPath(import.meta.url)), 'codec-worker.mjs'),
    sharp: require.resolve('sharp'),
    libheif: require.resolve('libheif-js/libheif-wasm/libheif-bundle.js'),
    refuseNative: true,
  };
}

export function loadSharp(): SharpFactory {
  if (sharpLoaded) return sharpLoaded;
  const require = runtimeRequire();
  const vendored = vendoredDir();
  let sharp: SharpFactory;
  if (vendored) {
    sharp = require(path.join(vendored, 'sharp', 'dist', 'index.cjs')) as SharpFactory;
  } else {
    // From node_modules, npm has installed sharp's native build for this machine too: refuse it,
    // so that sharp falls back to its WebAssembly build, the one the bundle ships.
    const Module = process.getBuiltinModule('node:module') as unknown as {
      _load: (request: string, ...rest: unknown[]) => unknown;
    };
    const load = Module._load;
    Module._load = function (request: string, ...rest: unknown[]) {
      if (/^@img\/sharp-(?!wasm32)/.test(request)) {
        throw Object.assign(new Error(`Cannot find module '${request}'`), {
          code: 'MODULE_NOT_FOUND',
        });
      }
      return load.call(this, request, ...rest);
    };
    try {
      sharp = require('sharp') as SharpFactory;
    } finally {
      Module._load = load;
    }
  }
  if (!sharp.versions.emscripten) {
    throw new Error(
      'sharp loaded a native build; only its WebAssembly build gives the same bytes everywhere.',
    );
  }
  // Each image is decoded once: libvips' operation cache would only hold memory. One thread per
  // image: images are fitted side by side instead (src/dataset/fit/fit-dataset.ts), which uses the cores
  // better and holds less memory than libvips' threads within one image.
  sharp.cache(false);
  sharp.concurrency(1);
  sharpLoaded = sharp;
  return sharp;
}
