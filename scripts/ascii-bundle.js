// Rewrites every character outside ASCII in the bundle's own chunks (dist/*.js, not dist/codec)
// as a \uXXXX escape, after ncc has written them. V8 keeps a script that holds a single
// non-ASCII character as a two-byte string and scans it as such: the bundle's few "…", "×"
// and "❌" made every run decode and scan 186 KB of source that way (about 7 million more
// instructions per start-up, counted with valgrind; docs/performance.md). The minified bundle
// has them only in string, template and regular-expression literals, where the escape means
// the same character (bundle.test.ts checks that no chunk uses String.raw, where it would not).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ROOT } from './action-runner.js';

const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist'));
let changed = 0;
for (const name of await readdir(dir)) {
  if (!name.endsWith('.js')) continue;
  const file = path.join(dir, name);
  const text = await readFile(file, 'utf8');
  // Per UTF-16 unit: a character beyond U+FFFF becomes its surrogate pair, as JavaScript reads it.
  // After an odd run of backslashes the character is escaped already ("\é" is "é"): that
  // backslash goes, or the \u would be read as text.
  const ascii = text.replace(/(\\*)([\u0080-\uffff])/g, (_, slashes, c) => {
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
    return `${kept}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  if (ascii !== text) {
    await writeFile(file, ascii);
    changed++;
  }
}
console.log(`${path.relative(ROOT, dir) || '.'}: ${changed} chunk(s) made ASCII-only`);
