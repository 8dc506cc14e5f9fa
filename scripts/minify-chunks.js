// Minifies the bundle's lazily loaded chunks (dist/<id>.index.js), which `ncc --minify` leaves as
// they are: it minifies dist/index.js only. Every run parses and holds the source of the chunks it
// loads (a train run the dataset's code, a download the download's), so their comments and
// whitespace cost start-up time and memory: minified, a one-image dry run took 0.98x the wall
// time and a small download 0.99x, with 0.3 to 0.4 MiB less peak (docs/performance.md).
// Non-ASCII characters are escaped (scripts/ascii-bundle.js says why); exports, functions and
// classes keep their names. terser's output depends only on its version and these options, so a
// rebuild gives the same bytes (the dist check).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { minify } from 'terser';
import { ROOT } from './action-runner.js';

const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist'));
let before = 0;
let after = 0;
let count = 0;
for (const name of (await readdir(dir)).sort()) {
  if (!/^\d+\.index\.js$/.test(name)) continue;
  const file = path.join(dir, name);
  const text = await readFile(file, 'utf8');
  const result = await minify(text, {
    module: true,
    compress: { passes: 1 },
    mangle: true,
    // Names stay: libraries read them (undici compares a constructor's name) and stack traces
    // name the functions, as in dist/index.js, which ncc minifies the same way.
    keep_classnames: true,
    keep_fnames: true,
    format: { ascii_only: true, comments: /@license|@preserve|^!/ },
  });
  if (typeof result.code !== 'string') throw new Error(`terser gave nothing for ${name}`);
  await writeFile(file, result.code);
  before += text.length;
  after += result.code.length;
  count++;
}
console.log(
  `${path.relative(ROOT, dir) || '.'}: ${count} chunk(s) minified, ${Math.round(before / 1024)} KB to ${Math.round(after / 1024)} KB`,
);
