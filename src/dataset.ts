import * as glob from '@actions/glob';
import { lstat, readFile, readlink, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { ActionError } from './errors.js';
import { KIND_NAMES, kindOfExtension, readImageHeader } from './image-header.js';

export type Severity = 'error' | 'warning' | 'notice';

/** Something found in the dataset, shown in the log, the summary and as an annotation. */
export interface Problem {
  severity: Severity;
  message: string;
  /** Path relative to the workspace, for the annotation. */
  file?: string;
}

export interface DatasetImage {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to the workspace, as shown to the user. */
  relative: string;
  /** Name inside the ZIP. */
  entryName: string;
  bytes: number;
  type: string;
  width: number;
  height: number;
}

export interface DatasetCaption {
  path: string;
  relative: string;
  entryName: string;
  bytes: number;
  /** The caption as it goes into the ZIP: `[trigger]` replaced by the trigger word. */
  text: string;
  /** The image it describes (relative path). */
  image: string;
}

export interface Dataset {
  images: DatasetImage[];
  captions: DatasetCaption[];
  /** Files matched but not used (neither image nor caption), relative to the workspace. */
  skipped: string[];
  problems: Problem[];
}

const CAPTION_EXTENSION = '.txt';
// A caption is read whole into the ZIP; anything this large is no caption.
const MAX_CAPTION_BYTES = 64 * 1024;

/**
 * Finds the dataset's files and checks them, reading image headers only. Every problem is
 * collected before failing, so one run lists them all. Throws (with every error listed) when the
 * dataset cannot be trained on; nothing has been sent anywhere at that point.
 */
export async function collectDataset(
  patterns: string[],
  workspace: string,
  triggerWord = 'TOK',
): Promise<Dataset> {
  const root = await realpath(workspace);
  const problems: Problem[] = [];
  const refused: string[] = [];
  const candidates: { path: string; relative: string; bytes: number }[] = [];
  let hidden = 0;

  for (const match of await globFiles(patterns, workspace)) {
    const relative = toPosix(path.relative(workspace, match));
    // Hidden files and folders (.git/, .DS_Store), macOS resource forks (__MACOSX/, ._*) are never
    // dataset content; they are skipped before anything, even lstat, touches them.
    if (relative.split('/').some((segment) => segment.startsWith('.') || segment === '__MACOSX')) {
      hidden++;
      continue;
    }
    // Links are refused rather than followed: a pull request can add `photo.jpg -> /proc/self/environ`
    // and the action must never read, let alone upload, anything but the dataset's own files.
    const stats = await lstat(match);
    if (stats.isSymbolicLink()) {
      refused.push(`${relative} is a symbolic link (to ${await linkTarget(match)})`);
      continue;
    }
    if (!stats.isFile()) continue;
    const real = await realpath(match);
    if (!isInside(root, real)) {
      refused.push(`${relative} resolves outside the workspace (${real})`);
      continue;
    }
    if (isInside(path.join(root, '.git'), real)) {
      refused.push(`${relative} resolves into the repository's .git/ folder`);
      continue;
    }
    candidates.push({ path: match, relative, bytes: stats.size });
  }

  if (refused.length > 0) {
    throw new ActionError(
      `The dataset contains ${refused.length === 1 ? 'a file' : `${refused.length} files`} the action will not read:\n- ${refused.join('\n- ')}`,
      'Only regular files inside the workspace are used. Replace links with the files themselves, or exclude them with a `!pattern` line in `dataset`.',
    );
  }

  const images: DatasetImage[] = [];
  const unreadable: string[] = [];
  const captionFiles = new Map<string, { path: string; relative: string; bytes: number }>();
  const skipped: string[] = [];

  for (const file of candidates) {
    const ext = path.extname(file.path);
    const expected = kindOfExtension(ext);
    if (expected) {
      const header = await readImageHeader(file.path, file.bytes);
      if (!header || !(header.type in KIND_NAMES)) {
        const what = header
          ? `a ${header.type.toUpperCase()} image`
          : file.bytes === 0
            ? 'empty'
            : 'not an image';
        unreadable.push(`${file.relative} (${what})`);
        problems.push({
          severity: 'error',
          file: file.relative,
          message: `${file.relative} is no readable JPEG, PNG or WebP image (${what}).`,
        });
        continue;
      }
      if (header.type !== expected) {
        problems.push({
          severity: 'warning',
          file: file.relative,
          message: `${file.relative} is a ${KIND_NAMES[header.type]} image named ${ext}: rename it to .${header.type === 'jpg' ? 'jpg' : header.type}.`,
        });
      }
      images.push({
        path: file.path,
        relative: file.relative,
        entryName: path.basename(file.path),
        bytes: file.bytes,
        type: header.type,
        width: header.width,
        height: header.height,
      });
    } else if (ext.toLowerCase() === CAPTION_EXTENSION) {
      captionFiles.set(stripExtension(file.path), file);
    } else {
      skipped.push(file.relative);
    }
  }

  if (unreadable.length > 0) {
    throw new ActionError(
      `${unreadable.length} dataset ${unreadable.length === 1 ? 'file has' : 'files have'} an image extension but ${unreadable.length === 1 ? 'is' : 'are'} no readable JPEG, PNG or WebP:\n- ${unreadable.join('\n- ')}`,
      'Re-export them as JPEG, PNG or WebP, or remove them from the dataset.',
      // Each one is also a problem, so that the caller annotates it on its file.
      problems,
    );
  }
  if (images.length === 0) {
    throw new ActionError(
      `No images found for dataset patterns: ${patterns.join(', ')}.${hidden > 0 ? ` ${hidden} matched file(s) sit in hidden folders or are hidden (a name starting with "."), which are never used.` : ''}`,
      'Put .jpg, .jpeg, .png or .webp files in the folder the `dataset` input points at (default dataset/**), relative to the repository root, and make sure the workflow checks the repository out first (actions/checkout).',
    );
  }

  // A caption is the .txt beside an image with the same base name.
  const captions: DatasetCaption[] = [];
  const used = new Set<string>();
  for (const image of images) {
    const key = stripExtension(image.path);
    const caption = captionFiles.get(key);
    if (!caption || used.has(key)) continue;
    used.add(key);
    if (caption.bytes > MAX_CAPTION_BYTES) {
      throw new ActionError(
        `Caption ${caption.relative} is ${caption.bytes} bytes; captions are short texts of at most ${MAX_CAPTION_BYTES} bytes.`,
        'Shorten it, or rename it if it is not a caption.',
      );
    }
    // Captions are a few bytes: read once here, checked, and zipped from memory.
    const text = (await readFile(caption.path, 'utf8')).replaceAll('[trigger]', triggerWord);
    captions.push({
      ...caption,
      entryName: path.basename(caption.path),
      text,
      image: image.relative,
    });
  }
  for (const [key, caption] of captionFiles) {
    if (used.has(key)) continue;
    problems.push({
      severity: 'notice',
      file: caption.relative,
      message: `${caption.relative} is skipped: no image with the same base name sits beside it.`,
    });
  }

  images.sort((a, b) => compare(a.entryName, b.entryName));
  captions.sort((a, b) => compare(a.entryName, b.entryName));
  skipped.sort(compare);
  checkEntryCollisions([...images, ...captions]);

  return { images, captions, skipped, problems };
}

/**
 * Every entry sits at the ZIP's root under its base name, so two files of the same base name in
 * different folders would overwrite each other in Segmind's hands; refuse, naming both.
 */
function checkEntryCollisions(entries: { entryName: string; relative: string }[]): void {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const entry of entries) {
    const other = seen.get(entry.entryName);
    if (other !== undefined)
      clashes.push(`${other} and ${entry.relative} would both be ${entry.entryName}`);
    else seen.set(entry.entryName, entry.relative);
  }
  if (clashes.length > 0) {
    throw new ActionError(
      `Dataset files clash in the ZIP, where every file sits at the root under its base name:\n- ${clashes.join('\n- ')}`,
      'Rename one file of each pair (an image and its caption share a base name; two images may not).',
    );
  }
}

async function globFiles(patterns: string[], workspace: string): Promise<string[]> {
  // Patterns are made absolute here: @actions/glob resolves relative ones against the process's
  // working directory, which is not always the workspace.
  const absolute = patterns.map((p) => {
    const negated = p.startsWith('!');
    const bare = negated ? p.slice(1) : p;
    return `${negated ? '!' : ''}${path.join(workspace, bare)}`;
  });
  const globber = await glob.create(absolute.join('\n'), {
    followSymbolicLinks: false,
    matchDirectories: false,
    implicitDescendants: true,
  });
  return globber.glob();
}

async function linkTarget(file: string): Promise<string> {
  return readlink(file).catch(() => 'unreadable target');
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function stripExtension(file: string): string {
  return file.slice(0, file.length - path.extname(file).length);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Code-unit order, not locale order: the ZIP must be the same on every machine, whatever its
 * language settings.
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Below this short side, Flux fine-tunes learn little detail; Segmind trains at 512 and up. */
export const MIN_SHORT_SIDE = 512;
/** Training services recommend 10 or more images; under 5 a concept rarely generalises. */
export const MIN_IMAGES = 5;

/**
 * Warnings about a dataset that can be trained on but may train badly: found before paying for
 * an hour of training. Reads nothing: everything comes from the headers and captions already read.
 */
export function qualityChecks(
  dataset: Dataset,
  settings: { triggerWord: string; captioning: boolean },
): Problem[] {
  const problems: Problem[] = [];
  for (const image of dataset.images) {
    const short = Math.min(image.width, image.height);
    if (short < MIN_SHORT_SIDE) {
      problems.push({
        severity: 'warning',
        file: image.relative,
        message: `${image.relative} is ${image.width}×${image.height}; its short side is under ${MIN_SHORT_SIDE} px, too small to teach detail. Use an image of at least ${MIN_SHORT_SIDE} px (1024 px is best) or remove it.`,
      });
    }
  }
  if (dataset.images.length < MIN_IMAGES) {
    problems.push({
      severity: 'warning',
      message: `Only ${dataset.images.length} image${dataset.images.length === 1 ? '' : 's'}: training services recommend 10 or more (at least ${MIN_IMAGES}), showing the subject in varied poses, light and backgrounds.`,
    });
  }
  const captioned = new Set(dataset.captions.map((c) => c.image));
  if (!settings.captioning) {
    const bare = dataset.images.filter((i) => !captioned.has(i.relative));
    for (const image of bare) {
      problems.push({
        severity: 'warning',
        file: image.relative,
        message: `${image.relative} has no caption and \`captioning\` is false, so nothing will describe it. Add ${stripExtension(image.relative)}.txt or set \`captioning: true\`.`,
      });
    }
  }
  const trigger = settings.triggerWord.toLowerCase();
  for (const caption of dataset.captions) {
    if (!caption.text.toLowerCase().includes(trigger)) {
      problems.push({
        severity: 'warning',
        file: caption.relative,
        message: `${caption.relative} does not mention the trigger word "${settings.triggerWord}", so the model will not tie this image to it. Add the word, or write [trigger] where it belongs.`,
      });
    }
  }
  return problems;
}

/**
 * Byte-identical images, from the per-entry hashes taken while zipping (no extra read): a
 * duplicate only weighs one picture twice.
 */
export function duplicateImages(dataset: Dataset, hashes: Map<string, string>): Problem[] {
  const groups = new Map<string, string[]>();
  for (const image of dataset.images) {
    const hash = hashes.get(image.entryName);
    if (!hash) continue;
    groups.set(hash, [...(groups.get(hash) ?? []), image.relative]);
  }
  return [...groups.values()]
    .filter((files) => files.length > 1)
    .map((files) => ({
      severity: 'warning' as const,
      file: files[1],
      message: `These images are byte-identical: ${files.join(', ')}. Keep one; a duplicate only weighs that picture twice.`,
    }));
}

/** Smallest, median and largest image by area. */
export function imageSizeFigures(images: DatasetImage[]): {
  smallest?: DatasetImage;
  median?: DatasetImage;
  largest?: DatasetImage;
} {
  const byArea = [...images].sort(
    (a, b) => a.width * a.height - b.width * b.height || compare(a.relative, b.relative),
  );
  return {
    smallest: byArea[0],
    median: byArea[Math.floor((byArea.length - 1) / 2)],
    largest: byArea[byArea.length - 1],
  };
}
