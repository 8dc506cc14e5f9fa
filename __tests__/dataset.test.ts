import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  collectDataset,
  convertedEntryName,
  escapeName,
  unportableName,
  duplicateImages,
  imageSizeFigures,
  qualityChecks,
  type Dataset,
} from '../src/dataset/collect.js';
import { writeZip, zipEntriesOf } from '../src/dataset/zip.js';
import { ActionError } from '../src/shared/errors.js';
import { GIF, jpeg, png, webp } from './helpers/images.js';
import {
  heifFile,
  jpegFile,
  pngChunk,
  pngFile,
  riffChunk,
  segment,
  tiffWithOrientation,
  u32be,
  vp8l,
  webpFile,
} from './helpers/image-kinds.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function ws(files: Record<string, Buffer | string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dataset-test-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function refusal(patterns: string[], dir: string): Promise<string> {
  try {
    await collectDataset(patterns, dir);
  } catch (error) {
    return String(error);
  }
  throw new Error('expected collectDataset to fail');
}

describe('collectDataset', () => {
  it('finds images by content, pairs captions by base name and rewrites [trigger]', async () => {
    const dir = await ws({
      'dataset/one.jpg': jpeg(1024, 768),
      'dataset/one.txt': 'a photo of [trigger]',
      'dataset/two.PNG': png(20, 30),
      'dataset/deep/three.webp': webp(640, 480),
      'dataset/deep/three.txt': 'TOK again',
      'dataset/lonely.txt': 'no image',
      'dataset/readme.md': '#',
    });
    const d = await collectDataset(['dataset/**'], dir, 'ZQX');
    expect(d.images.map((i) => [i.entryName, i.type, i.width, i.height])).toEqual([
      ['one.jpg', 'jpg', 1024, 768],
      ['three.webp', 'webp', 640, 480],
      ['two.PNG', 'png', 20, 30],
    ]);
    expect(d.captions.map((c) => [c.entryName, c.text, c.image])).toEqual([
      ['one.txt', 'a photo of ZQX', 'dataset/one.jpg'],
      ['three.txt', 'TOK again', 'dataset/deep/three.webp'],
    ]);
    expect(d.skipped).toEqual(['dataset/readme.md']);
    expect(d.problems).toEqual([
      {
        severity: 'notice',
        file: 'dataset/lonely.txt',
        message: expect.stringMatching(/no image with the same base name/),
      },
    ]);
  });

  it('never reads hidden files, .git/ or macOS debris', async () => {
    const dir = await ws({
      'dataset/a.jpg': jpeg(600, 600),
      'dataset/.git/config.jpg': 'x',
      'dataset/.DS_Store': 'x',
      'dataset/__MACOSX/a.jpg': 'x',
      'dataset/._a.jpg': 'x',
    });
    const d = await collectDataset(['dataset/**'], dir);
    expect(d.images.map((i) => i.relative)).toEqual(['dataset/a.jpg']);
    expect(d.skipped).toEqual([]);
    expect(d.problems).toEqual([]);
  });

  it('refuses links to files and folders, naming each', async () => {
    const dir = await ws({ 'dataset/a.jpg': jpeg(600, 600), 'outside/secret.jpg': jpeg(600, 600) });
    await symlink('/etc/passwd', path.join(dir, 'dataset/pw.txt'));
    await symlink(path.join(dir, 'outside'), path.join(dir, 'dataset/linked'));
    const text = await refusal(['dataset/**'], dir);
    expect(text).toMatch(/2 files the action will not read/);
    expect(text).toMatch(/dataset\/pw\.txt is a symbolic link \(to \/etc\/passwd\)/);
    expect(text).toMatch(/dataset\/linked is a symbolic link/);
  });

  it('refuses a dataset reached through a linked folder outside the workspace', async () => {
    const outside = await ws({ 'x.jpg': jpeg(600, 600) });
    const dir = await ws({ 'dataset/a.jpg': jpeg(600, 600) });
    await symlink(outside, path.join(dir, 'ext'));
    const text = await refusal(['ext/**'], dir);
    expect(text).toMatch(/ext is a symbolic link/);
  });

  it('refuses what a pattern reaches outside the workspace, naming it', async () => {
    const parent = await ws({
      'shared/b.jpg': jpeg(600, 600),
      'repo/dataset/a.jpg': jpeg(600, 600),
    });
    const text = await refusal(['dataset/**', '../shared/*.jpg'], path.join(parent, 'repo'));
    expect(text).toMatch(/contains a file the action will not read/);
    expect(text).toMatch(/\.\.\/shared\/b\.jpg is outside the workspace/);
  });

  it('zips a .TXT caption as .txt, and refuses two captions of one image', async () => {
    const one = await ws({ 'd/a.jpg': jpeg(600, 600), 'd/a.TXT': 'upper' });
    expect((await collectDataset(['d/**'], one)).captions.map((c) => c.entryName)).toEqual([
      'a.txt',
    ]);
    const two = await ws({ 'd/a.jpg': jpeg(600, 600), 'd/a.TXT': 'upper', 'd/a.txt': 'lower' });
    const text = await refusal(['d/**'], two);
    expect(text).toMatch(/d\/a\.(TXT|txt) and d\/a\.(txt|TXT) would both be a\.txt/);
    // Without their image, both are merely skipped.
    const orphans = await ws({ 'd/b.jpg': jpeg(600, 600), 'd/a.TXT': 'x', 'd/a.txt': 'y' });
    const d = await collectDataset(['d/**'], orphans);
    expect(
      d.problems.filter((p) => /no image with the same base name/.test(p.message)),
    ).toHaveLength(2);
  });

  it('lists every unreadable image, and fails on no image at all', async () => {
    const dir = await ws({ 'd/a.jpg': 'text', 'd/b.png': GIF, 'd/c.webp': '' });
    const text = await refusal(['d/**'], dir);
    expect(text).toMatch(/3 dataset files/);
    expect(text).toMatch(/d\/a\.jpg \(not an image\)/);
    expect(text).toMatch(/d\/b\.png \(a GIF image\)/);
    expect(text).toMatch(/d\/c\.webp \(empty\)/);
    expect(await refusal(['nothing/**'], dir)).toMatch(
      /No images found for dataset patterns: nothing\/\*\*/,
    );
  });

  it('reads a JPEG whose size marker sits behind a large EXIF block', async () => {
    const exif = Buffer.concat([Buffer.from([0xff, 0xe1, 0xff, 0xfe]), Buffer.alloc(0xfffc, 0x41)]);
    const image = jpeg(1200, 900);
    const withExif = Buffer.concat([image.subarray(0, 2), exif, exif, image.subarray(2)]);
    const dir = await ws({ 'd/big-exif.jpg': withExif });
    const d = await collectDataset(['d/**'], dir);
    expect(d.images[0]).toMatchObject({ width: 1200, height: 900 });
  });

  it('gives byte-identical ZIPs from the same files created in a different order', async () => {
    const files: [string, Buffer | string][] = [
      ['dataset/b/2.png', png(40, 30, 5)],
      ['dataset/a.jpg', jpeg(700, 700)],
      ['dataset/a.txt', 'a photo of [trigger]'],
      ['dataset/c/Z.webp', webp(600, 600)],
    ];
    const forward = await ws(Object.fromEntries(files));
    const backward = await ws({});
    for (const [name, content] of [...files].reverse()) {
      await mkdir(path.dirname(path.join(backward, name)), { recursive: true });
      await writeFile(path.join(backward, name), content);
    }
    const zipOf = async (dir: string) => {
      const entries = zipEntriesOf(await collectDataset(['dataset/**'], dir));
      return { names: entries.map((e) => e.name), zip: await writeZip(entries, null) };
    };
    const [one, two] = [await zipOf(forward), await zipOf(backward)];
    expect(one.names).toEqual(['2.png', 'Z.webp', 'a.jpg', 'a.txt']);
    expect(two).toEqual(one);
  });

  it('says how many matched files were hidden when none is left', async () => {
    const dir = await ws({ '.assets/a.jpg': jpeg(600, 600), '.assets/b.jpg': jpeg(600, 600) });
    expect(await refusal(['.assets/**'], dir)).toMatch(
      /No images found.*2 matched file\(s\) sit in hidden folders/,
    );
  });

  it('fails when two files would share a name in the ZIP', async () => {
    const dir = await ws({ 'd/x/1.jpg': jpeg(600, 600), 'd/y/1.jpg': jpeg(600, 600) });
    expect(await refusal(['d/**'], dir)).toMatch(
      /d\/x\/1\.jpg and d\/y\/1\.jpg would both be 1\.jpg/,
    );
  });
});

const LFS_POINTER =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 5123456\n';

describe('collectDataset: broken files, LFS pointers, HEIF, warnings', () => {
  it('lists every file that stops the step in one error, each kind with its own words', async () => {
    const jpg = jpegFile();
    const pngWhole = pngFile([], 200, 100);
    const webpWhole = webpFile([vp8l(300, 200), riffChunk('XMP ', Buffer.alloc(400))]);
    const dir = await ws({
      'd/good.jpg': jpegFile({ width: 1024, height: 1024 }),
      'd/cut.jpg': jpg.subarray(0, jpg.length - 700),
      'd/cut.png': pngWhole.subarray(0, pngWhole.length - 12),
      'd/cut.webp': webpWhole.subarray(0, webpWhole.length - 50),
      'd/lfs.jpg': LFS_POINTER,
      'd/lfs2.PNG': LFS_POINTER,
      'd/text.jpg': 'hello',
      'd/pic.heic': heifFile({ brand: 'avif', compatible: ['mif1', 'avif'] }),
    });
    let error: unknown;
    try {
      await collectDataset(['d/**'], dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionError);
    const text = String(error);
    expect(text).toMatch(/2 images are Git LFS pointers.*:\n- d\/lfs\.jpg\n- d\/lfs2\.PNG/);
    expect(text).toMatch(/set `lfs: true` on the actions\/checkout step/);
    expect(text).toMatch(/3 images are cut short/);
    expect(text).toMatch(/d\/cut\.jpg \(a JPEG image cut short: no end-of-image marker \(FFD9\)/);
    expect(text).toMatch(/d\/cut\.png \(a PNG image cut short: no IEND chunk/);
    expect(text).toMatch(
      /d\/cut\.webp \(a WebP image cut short: its RIFF header says \d+ bytes but the file has \d+\)/,
    );
    expect(text).toMatch(
      /2 dataset files have an image extension but are no readable JPEG, PNG, WebP or HEIC\/HEIF/,
    );
    expect(text).toMatch(/d\/pic\.heic \(an AVIF image\)/);
    expect(text).toMatch(/d\/text\.jpg \(not an image\)/);
    expect(text).not.toMatch(/good\.jpg/);
    // Each bad file is also a problem, for its annotation.
    const files = (error as ActionError).problems.map((p) => p.file).sort();
    expect(files).toEqual([
      'd/cut.jpg',
      'd/cut.png',
      'd/cut.webp',
      'd/lfs.jpg',
      'd/lfs2.PNG',
      'd/pic.heic',
      'd/text.jpg',
    ]);
  });

  it('says "1 image" for one', async () => {
    const dir = await ws({ 'd/a.jpg': LFS_POINTER, 'd/b.jpg': jpegFile() });
    expect(await refusal(['d/**'], dir)).toMatch(/^1 image is a Git LFS pointer/);
  });

  it('accepts HEIC/HEIF (any case) and passes on what the header says', async () => {
    const heic = await readFile(
      path.join(import.meta.dirname, 'fixtures/images/gradient-64x48.heic'),
    );
    const exif = segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), tiffWithOrientation(6)]));
    const dir = await ws({
      'd/a.HEIC': heic,
      'd/b.heif': heifFile({ irot: 1, exif: true }),
      'd/c.jpg': jpegFile({ before: [exif], width: 1200, height: 800 }),
      'd/d.png': pngFile(),
    });
    const d = await collectDataset(['d/**'], dir);
    expect(d.problems).toEqual([]);
    expect(d.images.map(({ path: _p, relative: _r, ...rest }) => rest)).toEqual([
      { entryName: 'a.HEIC', bytes: heic.length, type: 'heif', width: 64, height: 48 },
      {
        entryName: 'b.heif',
        bytes: expect.any(Number),
        type: 'heif',
        width: 4032,
        height: 3024,
        orientation: 8,
        hasMetadata: true,
      },
      {
        entryName: 'c.jpg',
        bytes: expect.any(Number),
        type: 'jpg',
        width: 1200,
        height: 800,
        orientation: 6,
        hasMetadata: true,
      },
      { entryName: 'd.png', bytes: expect.any(Number), type: 'png', width: 40, height: 30 },
    ]);
  });

  it('warns about animated images, CMYK JPEGs and a kind named as another, and keeps them', async () => {
    const actl = pngChunk('acTL', Buffer.concat([u32be(2), u32be(0)]));
    const dir = await ws({
      'd/anim.webp': await readFile(
        path.join(import.meta.dirname, 'fixtures/images/animated-64x48.webp'),
      ),
      'd/anim.png': pngFile([actl]),
      'd/print.jpg': await readFile(
        path.join(import.meta.dirname, 'fixtures/images/cmyk-64x48.jpg'),
      ),
      'd/named.jpg': pngFile(),
    });
    const d = await collectDataset(['d/**'], dir);
    expect(d.images).toHaveLength(4);
    expect(d.problems.map((p) => [p.severity, p.file, p.message])).toEqual([
      [
        'warning',
        'd/anim.png',
        expect.stringMatching(/is an animated PNG: only its first frame trains/),
      ],
      [
        'warning',
        'd/anim.webp',
        expect.stringMatching(/is an animated WebP: only its first frame trains/),
      ],
      [
        'warning',
        'd/named.jpg',
        expect.stringMatching(/is a PNG image named \.jpg: rename it to \.png/),
      ],
      [
        'warning',
        'd/print.jpg',
        expect.stringMatching(/is a CMYK JPEG .*Save it as an RGB \(sRGB\) JPEG/),
      ],
    ]);
  });
});

describe('escapeName and unportableName', () => {
  it('writes names as JSON-style strings, bad UTF-8 bytes as \\xNN', () => {
    expect(escapeName('dataset/a\r.jpg')).toBe('"dataset/a\\r.jpg"');
    expect(escapeName('a"b\\c\u2028\u202e\u200f\u0085.jpg')).toBe(
      '"a\\"b\\\\c\\u2028\\u202e\\u200f\\u0085.jpg"',
    );
    expect(escapeName('café 写真.jpg')).toBe('"café 写真.jpg"');
    const bytes = Buffer.concat([
      Buffer.from('a'),
      Buffer.from([0xff, 0xc3, 0xa9, 0xed, 0xa0, 0x80]),
    ]);
    expect(escapeName(bytes)).toBe('"a\\xffé\\xed\\xa0\\x80"');
  });

  it('refuses exactly the characters the docs name', () => {
    const refused = [
      'a\\b',
      'a\u0000',
      'a\t',
      'a\u007f',
      'a\u009b',
      'a\u2028',
      'a\u2029',
      'a\u202a',
      'a\u202e',
      'a\u2066',
      'a\u2069',
    ];
    for (const name of refused) expect(unportableName(name), JSON.stringify(name)).toBeDefined();
    const allowed = ['a b', 'a\u200e', 'a\u200f', 'a\u061c', 'café', '\u{1F600}', 'a\u00a0', 'a/b'];
    for (const name of allowed) expect(unportableName(name), JSON.stringify(name)).toBeUndefined();
  });
});

describe('collectDataset: HEIC names after conversion', () => {
  it('fails when a HEIC image would become the name of another image', async () => {
    const dir = await ws({ 'd/x/IMG_1.HEIC': heifFile(), 'd/y/IMG_1.jpg': jpegFile() });
    expect(await refusal(['d/**'], dir)).toMatch(
      /d\/x\/IMG_1\.HEIC and d\/y\/IMG_1\.jpg would both be IMG_1\.jpg/,
    );
    expect(convertedEntryName('a.b.heif')).toBe('a.b.jpg');
  });
});

describe('collectDataset: names that cannot be stored portably', () => {
  it('refuses a backslash, control characters, line separators and bidi overrides, escaped', async () => {
    const dir = await ws({
      'd/ok.jpg': jpegFile(),
      'd/a\\b.jpg': jpegFile(),
      'd/c\r.jpg': jpegFile(),
      'd/e\u001b[31m.png': pngFile(),
      'd/f\u0085.jpg': jpegFile(),
      'd/g\u2028.jpg': jpegFile(),
      'd/photo\u202egpj.exe.jpg': jpegFile(),
      'd/h\u007f.txt': 'TOK',
    });
    const text = await refusal(['d/**'], dir);
    expect(text).toMatch(/7 dataset files have names that cannot be stored in the ZIP portably/);
    for (const line of [
      '"d/a\\\\b.jpg": a backslash',
      '"d/c\\r.jpg": a control character (U+000D)',
      '"d/e\\u001b[31m.png": a control character (U+001B)',
      '"d/f\\u0085.jpg": a control character (U+0085)',
      '"d/g\\u2028.jpg": a line or paragraph separator (U+2028)',
      '"d/photo\\u202egpj.exe.jpg": a bidirectional override (U+202E)',
      '"d/h\\u007f.txt": a control character (U+007F)',
    ])
      expect(text).toContain(line);
    // No raw control character reaches the message.
    for (const raw of ['\r', '\u0085', '\u2028', '\u202e', '\u007f', '\u001b'])
      expect(text).not.toContain(raw);
  });

  it('allows the direction marks right-to-left names use, and other Unicode', async () => {
    const dir = await ws({
      'd/\u05e9\u05dc\u05d5\u05dd\u200f.jpg': jpegFile(),
      'd/café ü.jpg': jpegFile(),
    });
    expect((await collectDataset(['d/**'], dir)).images).toHaveLength(2);
  });

  it('names files and folders that are not valid UTF-8, with \\xNN for the bad bytes', async () => {
    const dir = await ws({ 'd/ok.jpg': jpegFile() });
    const bytes = (...parts: (string | number[])[]) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    await writeFile(bytes(dir, '/d/a', [0xff], '.jpg'), jpegFile());
    await mkdir(bytes(dir, '/d/sub', [0xc3, 0x28]));
    await writeFile(bytes(dir, '/d/sub', [0xc3, 0x28], '/b.jpg'), jpegFile());
    const text = await refusal(['d/**'], dir);
    expect(text).toMatch(/2 dataset files have names that are not valid UTF-8/);
    expect(text).toContain('"d/a\\xff.jpg"');
    expect(text).toContain('"d/sub\\xc3("');
    expect(text).not.toMatch(/ENOENT/);
  });
});

function dataset(partial: Partial<Dataset>): Dataset {
  return { images: [], captions: [], skipped: [], problems: [], ...partial };
}
const image = (name: string, width: number, height: number, bytes = 100) => ({
  path: `/w/${name}`,
  relative: name,
  entryName: path.basename(name),
  bytes,
  type: 'jpg',
  width,
  height,
});

describe('qualityChecks', () => {
  const five = ['a', 'b', 'c', 'd', 'e'].map((n) => image(`d/${n}.jpg`, 1024, 1024));

  it('is quiet for a good dataset', () => {
    expect(
      qualityChecks(dataset({ images: five }), { triggerWord: 'TOK', captioning: true }),
    ).toEqual([]);
  });

  it('warns about small images, few images, bare images without captioning, and captions without the trigger word', () => {
    const images = [image('d/small.jpg', 800, 400), image('d/ok.jpg', 1024, 1024)];
    const captions = [
      {
        path: '/w/d/ok.txt',
        relative: 'd/ok.txt',
        entryName: 'ok.txt',
        bytes: 5,
        text: 'a mug',
        image: 'd/ok.jpg',
      },
    ];
    const problems = qualityChecks(dataset({ images, captions }), {
      triggerWord: 'TOK',
      captioning: false,
    });
    const byFile = problems.map((p) => [p.file, p.message]);
    expect(byFile).toEqual([
      ['d/small.jpg', expect.stringMatching(/800×400; its short side is under 512 px/)],
      [undefined, expect.stringMatching(/Only 2 images: .*10 or more/)],
      ['d/small.jpg', expect.stringMatching(/no caption and `captioning` is false.*d\/small\.txt/)],
      ['d/ok.txt', expect.stringMatching(/does not mention the trigger word "TOK"/)],
    ]);
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
  });
});

describe('duplicateImages and imageSizeFigures', () => {
  it('names each group of byte-identical images', () => {
    const images = [
      image('d/a.jpg', 600, 600),
      image('d/b.jpg', 600, 600),
      image('d/c.jpg', 600, 600),
    ];
    const hashes = new Map([
      ['a.jpg', 'h1'],
      ['b.jpg', 'h2'],
      ['c.jpg', 'h1'],
    ]);
    expect(duplicateImages(dataset({ images }), hashes)).toEqual([
      {
        severity: 'warning',
        file: 'd/c.jpg',
        message: expect.stringMatching(/byte-identical: d\/a\.jpg, d\/c\.jpg/),
      },
    ]);
  });

  it('gives the smallest, median and largest image by area', () => {
    const images = [
      image('a', 100, 100),
      image('b', 2000, 1000),
      image('c', 600, 600),
      image('d', 700, 700),
      image('e', 10, 10),
    ];
    const { smallest, median, largest } = imageSizeFigures(images);
    expect([smallest?.relative, median?.relative, largest?.relative]).toEqual(['e', 'c', 'b']);
  });

  it('gives each figure the size a viewer sees: a photo stored sideways stands upright', () => {
    const sideways = { ...image('phone.jpg', 4032, 3024), orientation: 6 };
    const heif = { ...image('phone.heic', 4032, 3024), orientation: 8 };
    const mirrored = { ...image('mirror.jpg', 4032, 3024), orientation: 2 };
    for (const one of [sideways, heif]) {
      const { smallest, median, largest } = imageSizeFigures([one]);
      for (const figure of [smallest, median, largest])
        expect([figure?.width, figure?.height]).toEqual([3024, 4032]);
    }
    expect(imageSizeFigures([mirrored]).largest).toMatchObject({ width: 4032, height: 3024 });
    // The records themselves are left as they are (fitting reads the stored size).
    expect(sideways).toMatchObject({ width: 4032, height: 3024 });
  });
});
