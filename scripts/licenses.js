// Writes dist/licenses.txt: the name, version, licence and licence text of every production
// dependency that can end up in the bundle. ncc's own --license output keeps only the last chunk's
// packages when the bundle is split into chunks, so it is not used.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ROOT } from './action-runner.js';

const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8'));
const sections = [];
const seen = new Set();
for (const [where, info] of Object.entries(lock.packages)) {
  // Links are local packages (file: dependencies, such as shims/core-http-client): this
  // repository's own code, under its own licence, not a dependency's.
  if (!where.startsWith('node_modules/') || info.dev || info.optional || info.link) continue;
  const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const id = `${name}@${info.version}`;
  if (seen.has(id)) continue;
  seen.add(id);
  const dir = path.join(ROOT, where);
  const files = (await readdir(dir).catch(() => []))
    .filter((f) => /^(licen[cs]e|copying)/i.test(f))
    .sort();
  const text =
    files.length > 0
      ? (await readFile(path.join(dir, files[0]), 'utf8')).trim()
      : '(no licence file shipped)';
  sections.push(`${id}\n${info.license ?? 'UNKNOWN'}\n${text}`);
}
sections.sort();
await writeFile(path.join(ROOT, 'dist', 'licenses.txt'), `${sections.join('\n\n-----\n\n')}\n`);
console.log(`dist/licenses.txt: ${sections.length} packages`);
