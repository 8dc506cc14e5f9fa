// Writes the small sample dataset under examples/dataset/ that `npm run demo` trains on: six
// 512x640 PNGs of coloured blocks (a few KB each, so the repository stays small) and four
// captions. Run once; the files are committed.
import { mkdir, writeFile } from 'node:fs/promises';
import { encodePng } from './png.js';
import * as path from 'node:path';
import { ROOT } from './action-runner.js';

const dir = path.join(ROOT, 'examples', 'dataset');
await mkdir(dir, { recursive: true });
const palettes = [
  [230, 120, 40],
  [40, 140, 220],
  [90, 200, 110],
  [200, 60, 160],
  [240, 210, 60],
  [110, 90, 230],
];
for (const [i, [r, g, b]] of palettes.entries()) {
  // Flat blocks of colour: rows repeat, so deflate keeps each file at a few KB.
  const image = encodePng(512, 640, (px, py) => {
    const [x, y] = [px / 512, py / 640];
    const shade = ((Math.floor(x * 4) + Math.floor(y * 5) + i) % 4) / 3;
    return [r, g, b].map((c) => Math.round(c * (0.55 + 0.45 * shade)));
  });
  await writeFile(path.join(dir, `mug-${i + 1}.png`), image);
}
const captions = {
  'mug-1': 'a photo of [trigger], a ceramic mug on a wooden table, morning light',
  'mug-2': 'a photo of [trigger] held in two hands, close-up',
  'mug-3': '[trigger] on a desk beside a laptop, soft shadows',
  'mug-4': 'a product shot of [trigger] on a white background',
};
for (const [name, text] of Object.entries(captions)) {
  await writeFile(path.join(dir, `${name}.txt`), `${text}\n`);
}
console.log(
  `Wrote ${palettes.length} images and ${Object.keys(captions).length} captions to ${dir}`,
);
