// Writes the small sample dataset under examples/dataset/ that `npm run demo` trains on: six
// 512x640 PNGs of coloured blocks (a few KB each, so the repository stays small) and four
// captions. Run once; the files are committed.
import { mkdir, writeFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import * as path from 'node:path';
import { ROOT } from './action-runner.js';

function png(width, height, paint) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x / width, y / height);
      raw.set([r, g, b], y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

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
  const image = png(512, 640, (x, y) => {
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
