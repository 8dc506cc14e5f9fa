// Copies the image codec into dist/codec/ after ncc has built dist/index.js: the codec thread's
// own file (codec-worker.mjs), sharp's JavaScript,
// its WebAssembly build (@img/sharp-wasm32: the .wasm and the Emscripten glue, which starts its
// own worker threads from its own file and so must stay a file of its own) and libheif's
// WebAssembly bundle. ncc cannot bundle these: it would inline the glue (whose workers then start
// the whole action) and pull in sharp's native build where npm installed one. Bare `require`s
// between the copied packages are rewritten to relative paths, so dist/ runs without
// node_modules; requires of sharp's native builds are pointed at a file that does not exist, so
// sharp always falls back to WebAssembly. src/dataset/fit/codec.ts loads dist/codec/ when it exists.
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './action-runner.js';

// The bundle's folder: dist/ by default; the end-to-end tests' setup builds one elsewhere.
const OUT = path.join(path.resolve(process.argv[2] ?? path.join(ROOT, 'dist')), 'codec');
/** A package's folder as Node would find it from `from`: node_modules, walking up. */
function packageDir(name, from = ROOT) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed: run npm ci`);
  }
}

const sharpDir = packageDir('sharp');
const wasmDir = packageDir('@img/sharp-wasm32', sharpDir);
const packages = {
  sharp: sharpDir,
  'detect-libc': packageDir('detect-libc', sharpDir),
  semver: packageDir('semver', sharpDir),
  '@img/colour': packageDir('@img/colour', sharpDir),
  '@img/sharp-wasm32': wasmDir,
  '@emnapi/runtime': packageDir('@emnapi/runtime', wasmDir),
};
/** Subpaths sharp asks for that its packages map with `exports`, which a file path skips. */
const SUBPATHS = {
  '@img/sharp-wasm32/sharp.node': '@img/sharp-wasm32/index.cjs',
  '@img/sharp-wasm32/versions': '@img/sharp-wasm32/versions.json',
  '@img/sharp-wasm32/package': '@img/sharp-wasm32/package.json',
};
const MISSING = './native-builds-are-not-shipped';
/**
 * Files of those packages that nothing requires at run time: sharp's C++ sources and its
 * from-source install script, semver's command line, and emnapi's browser and ESM builds (its
 * index.js requires only emnapi.cjs.js or emnapi.cjs.min.js). A test fits an image from a copy of
 * dist/ alone, so anything still needed that this leaves out fails there.
 */
const NEVER_RUN = [
  /^sharp\/(src|install)(\/|$)/,
  /^semver\/bin(\/|$)/,
  /^@emnapi\/runtime\/dist\/emnapi\.(iife\.|esm-bundler\.|min\.)?js$/,
];

await rm(OUT, { recursive: true, force: true });
for (const [name, dir] of Object.entries(packages)) {
  await cp(dir, path.join(OUT, name), {
    recursive: true,
    filter: (source) => {
      const rel = path.relative(dir, source);
      return (
        !rel.split(path.sep).includes('node_modules') &&
        !/\.(d\.[cm]?ts|mjs|md)$/.test(rel) &&
        !NEVER_RUN.some((pattern) => pattern.test(`${name}/${rel.split(path.sep).join('/')}`))
      );
    },
  });
}
const heif = packageDir('libheif-js');
await mkdir(path.join(OUT, 'libheif'), { recursive: true });
for (const file of ['libheif-wasm/libheif-bundle.js', 'LICENSE', 'package.json']) {
  await cp(path.join(heif, file), path.join(OUT, 'libheif', path.basename(file)));
}

// The codec's thread starts from a file of its own (src/dataset/fit/codec-worker.mjs, plain
// JavaScript for that reason), with the one module it imports; src/dataset/fit/codec.ts finds it
// beside the packages.
for (const file of ['codec-worker.mjs', 'fitted-size.mjs']) {
  await cp(path.join(ROOT, 'src', 'dataset', 'fit', file), path.join(OUT, file));
}

const mainOf = async (name) => {
  const pkg = JSON.parse(await readFile(path.join(OUT, name, 'package.json'), 'utf8'));
  return path.join(name, pkg.main ?? 'index.js');
};

let rewritten = 0;
for (const file of await walk(OUT)) {
  if (!/\.(c?js)$/.test(file) || file.includes(`${path.sep}libheif${path.sep}`)) continue;
  let text = await readFile(file, 'utf8');
  const replacements = [];
  for (const match of text.matchAll(/require\((["'])([^"'.][^"']*)\1\)/g)) {
    const spec = match[2];
    if (spec.startsWith('node:')) continue;
    const scoped = spec.startsWith('@');
    const name = spec
      .split('/')
      .slice(0, scoped ? 2 : 1)
      .join('/');
    let target;
    if (/^@img\/sharp-(?!wasm32)/.test(spec)) target = MISSING;
    else if (SUBPATHS[spec]) target = SUBPATHS[spec];
    else if (packages[name]) target = spec === name ? await mainOf(name) : spec;
    else continue;
    const relative =
      target === MISSING
        ? MISSING
        : `./${path.relative(path.dirname(file), path.join(OUT, target)).split(path.sep).join('/')}`;
    replacements.push([match[0], `require(${JSON.stringify(relative)})`]);
  }
  // Template-literal requires of native builds (`@img/sharp-${platform}/...`).
  text = text.replace(/require\(`@img\/sharp-[^`]*`\)/g, () => {
    rewritten++;
    return `require(${JSON.stringify(MISSING)})`;
  });
  for (const [from, to] of replacements) {
    text = text.split(from).join(to);
    rewritten++;
  }
  await writeFile(file, text);
}

const glue = (await readdir(path.join(OUT, '@img/sharp-wasm32/lib'))).filter((f) =>
  f.endsWith('.wasm'),
);
if (glue.length !== 1)
  throw new Error('dist/codec: expected one .wasm file in @img/sharp-wasm32/lib');
const versions = {
  sharp: JSON.parse(await readFile(path.join(OUT, 'sharp/package.json'), 'utf8')).version,
  libheif: JSON.parse(await readFile(path.join(OUT, 'libheif/package.json'), 'utf8')).version,
};
await writeFile(path.join(OUT, 'codec.json'), `${JSON.stringify(versions, null, 2)}\n`);
let bytes = 0;
for (const file of await walk(OUT)) bytes += (await stat(file)).size;
console.log(
  `dist/codec: sharp ${versions.sharp} (WebAssembly), libheif-js ${versions.libheif}; ${(bytes / 1e6).toFixed(1)} MB, ${rewritten} requires rewritten`,
);

async function walk(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else files.push(full);
  }
  return files;
}
