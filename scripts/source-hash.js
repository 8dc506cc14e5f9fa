// A hash over everything the bundle is built from (src/, shims/, package-lock.json,
// tsconfig.json, and the two scripts that finish the bundle after ncc): each file's path and
// bytes. `npm run bundle` writes it to dist/source-hash.txt,
// and the end-to-end tests compare it with the tree's own, so they know whether dist/ is the
// bundle of the current source. Node built-ins only.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './action-runner.js';

export const INPUTS = [
  'src',
  'shims',
  'package-lock.json',
  'tsconfig.json',
  'scripts/ascii-bundle.js',
  'scripts/bundle-codec.js',
  'scripts/minify-chunks.js',
];
export const STAMP = path.join(ROOT, 'dist', 'source-hash.txt');

async function filesOf(entry) {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  const found = await readdir(full, { recursive: true, withFileTypes: true }).catch(() => null);
  if (!found) return [entry];
  return found
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The first 16 hex digits of sha256 over the build's inputs. */
export async function sourceHash() {
  const hash = createHash('sha256');
  for (const entry of INPUTS) {
    for (const file of await filesOf(entry)) {
      hash.update(`${file}\0`);
      hash.update(await readFile(path.join(ROOT, file)));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The hash dist/ was built from, or undefined when it carries none. */
export async function distHash() {
  return (await readFile(STAMP, 'utf8').catch(() => '')).trim() || undefined;
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) &&
  process.argv[2] === '--write'
) {
  const hash = await sourceHash();
  await writeFile(STAMP, `${hash}\n`);
  console.log(`dist/source-hash.txt: ${hash}`);
}
