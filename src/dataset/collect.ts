import * as glob from '@actions/glob';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { ActionError, type Problem } from '../shared/errors.js';
import {
  describeKind,
  extensionOfKind,
  inspectImageFileSync,
  loadImageSizer,
  KIND_NAMES,
  kindOfExtension,
  type FileInspection,
  type ImageHeader,
  type ImageKind,
} from './image-header.js';
import { compare } from '../shared/format.js';
import { MAX_HEIF_PIXELS, megapixels } from './limits.js';
import { shownSize } from './fit/plan.js';

/**
 * An image of the dataset: where it is and what it goes into the ZIP as, with what its header
 * said (kind, stored size, orientation, metadata, ...; see ImageHeader). `type` is one of the
 * kinds trained on: `jpg`, `png`, `webp` or `heif`.
 */
export interface DatasetImage extends Omit<ImageHeader, 'broken'> {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to the workspace, as shown to the user. */
  relative: string;
  /** Name inside the ZIP. */
  entryName: string;
  bytes: number;
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
/** Files looked at between two turns of the event loop. */
const YIELD_EVERY = 256;
const KINDS_TEXT = 'JPEG, PNG, WebP or HEIC/HEIF';

interface Candidate {
  path: string;
  relative: string;
  bytes: number;
}

/** What the parallel look at one matched file gives: refused, a file (inspected if an image), or nothing. */
type Found =
  | { relative: string; refused: string }
  | { file: Candidate; ext: string; expected?: ImageKind; inspection?: FileInspection }
  | undefined;

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
  const gitFolder = path.join(root, '.git');
  const base = path.resolve(workspace);
  const problems: Problem[] = [];
  const failures = new Failures(problems);
  let hidden = 0;

  const matches = await globFiles(patterns, workspace);
  // Folders are resolved once each (a file itself is never a link once lstat says so), so 50,000
  // files cost 50,000 lstat calls and one realpath per folder.
  const folders = new Map<string, string>();
  const realFolder = (dir: string): string => {
    let real = folders.get(dir);
    if (real === undefined) folders.set(dir, (real = realpathSync.native(dir)));
    return real;
  };
  const images: DatasetImage[] = [];
  const captionFiles = new Map<string, Candidate>();
  const spareCaptions: Candidate[] = [];
  const skipped: string[] = [];

  for (const [i, match] of matches.entries()) {
    // The per-file work is synchronous (see inspectImageFileSync); let timers and signal
    // handlers run now and then.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
    let found = lookAt(match);
    const inspection = found && 'inspection' in found ? found.inspection : undefined;
    if (inspection?.kind === 'unknown' && inspection.unnamed) {
      // No image we train on: image-size, loaded now, says what it is instead.
      await loadImageSizer();
      found = lookAt(match);
    }
    take(found);
  }

  function lookAt(match: string): Found {
    const relative = toPosix(relativeTo(base, match));
    // A pattern may reach out of the workspace (`../other/**`): what it matches is no dataset
    // file, and is named rather than taken for a hidden one ('..' starts with a dot).
    if (relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) {
      return { relative, refused: `${relative} is outside the workspace` };
    }
    // Hidden files and folders (.git/, .DS_Store), macOS resource forks (__MACOSX/, ._*) are never
    // dataset content; they are skipped before anything, even lstat, touches them.
    if (relative.split('/').some((segment) => segment.startsWith('.') || segment === '__MACOSX')) {
      hidden++;
      return undefined;
    }
    // Links are refused rather than followed: a pull request can add `photo.jpg -> /proc/self/environ`
    // and the action must never read, let alone upload, anything but the dataset's own files.
    const stats = lstatSync(match);
    if (stats.isSymbolicLink()) {
      return { relative, refused: `${relative} is a symbolic link (to ${linkTarget(match)})` };
    }
    if (!stats.isFile()) return undefined;
    const real = childOf(realFolder(path.dirname(match)), path.basename(match));
    if (!isInside(root, real)) {
      return { relative, refused: `${relative} resolves outside the workspace (${real})` };
    }
    if (isInside(gitFolder, real)) {
      return { relative, refused: `${relative} resolves into the repository's .git/ folder` };
    }
    const file: Candidate = { path: match, relative, bytes: stats.size };
    const ext = path.extname(match);
    const expected = kindOfExtension(ext);
    if (!expected) return { file, ext };
    return { file, ext, expected, inspection: inspectImageFileSync(match, stats.size) };
  }

  /** Sorts one looked-at file into images, captions, skipped files or failures. */
  function take(item: Found): void {
    if (!item) return;
    if ('refused' in item) {
      failures.refuse(item.relative, item.refused);
      return;
    }
    const { file, ext } = item;
    if (!item.expected) {
      if (ext.toLowerCase() === CAPTION_EXTENSION) {
        if (!failures.checkName(file)) return;
        const key = stripExtension(file.path);
        // `a.txt` and `a.TXT` beside one image: both would be zipped as `a.txt`, and the entry
        // check below names the pair rather than leave to chance which one trains.
        if (captionFiles.has(key)) spareCaptions.push(file);
        else captionFiles.set(key, file);
      } else skipped.push(file.relative);
      return;
    }
    if (!failures.checkName(file)) return;
    const inspection = item.inspection!;
    if (inspection.kind === 'lfs-pointer') {
      failures.lfsPointer(file.relative);
      return;
    }
    const header = inspection.kind === 'image' ? inspection.header : undefined;
    if (!header || !(header.type in KIND_NAMES)) {
      const what = header
        ? describeKind(header.type)
        : inspection.kind === 'empty'
          ? 'empty'
          : 'not an image';
      failures.unreadable(file.relative, what);
      return;
    }
    if (header.overLimit) {
      failures.overLimit(file.relative, header);
      return;
    }
    if (header.broken) {
      failures.broken(file.relative, header);
      return;
    }
    if (header.type !== item.expected) {
      problems.push({
        severity: 'warning',
        file: file.relative,
        message: `${file.relative} is ${describeKind(header.type)} named ${ext}: rename it to ${extensionOfKind(header.type)}.`,
      });
    }
    if (header.animated) {
      problems.push({
        severity: 'warning',
        file: file.relative,
        message: `${file.relative} is an animated ${KIND_NAMES[header.type]}: only its first frame trains. Use a still image of the frame you want.`,
      });
    }
    if (header.cmyk) {
      problems.push({
        severity: 'warning',
        file: file.relative,
        message: `${file.relative} is a CMYK JPEG (a print file): training tools expect RGB, and its colours may come out wrong. Save it as an RGB (sRGB) JPEG.`,
      });
    }
    images.push(datasetImage(file, header));
  }

  failures.throwIfAny();
  if (images.length === 0) {
    throw new ActionError(
      `No images found for dataset patterns: ${patterns.join(', ')}.${hidden > 0 ? ` ${hidden} matched file(s) sit in hidden folders or are hidden (a name starting with "."), which are never used.` : ''}`,
      'Put .jpg, .jpeg, .png, .webp, .heic or .heif files in the folder the `dataset` input points at (default dataset/**), relative to the repository root, and make sure the workflow checks the repository out first (actions/checkout).',
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
      entryName: captionEntryName(caption),
      text,
      image: image.relative,
    });
  }
  for (const caption of [...captionFiles.values(), ...spareCaptions]) {
    if (used.has(stripExtension(caption.path))) continue;
    problems.push({
      severity: 'notice',
      file: caption.relative,
      message: `${caption.relative} is skipped: no image with the same base name sits beside it.`,
    });
  }

  images.sort((a, b) => compare(a.entryName, b.entryName));
  captions.sort((a, b) => compare(a.entryName, b.entryName));
  skipped.sort(compare);
  checkEntryCollisions([
    ...images,
    ...captions,
    ...spareCaptions
      .filter((c) => used.has(stripExtension(c.path)))
      .map((c) => ({ entryName: captionEntryName(c), relative: c.relative })),
  ]);

  return { images, captions, skipped, problems };
}

function datasetImage(file: Candidate, header: ImageHeader): DatasetImage {
  // Every fact the header reader found goes along (fitting decides from them); the reader sets
  // only the facts that are there, so a plain image's record stays small.
  const facts: Omit<ImageHeader, 'broken'> & { broken?: string } = { ...header };
  delete facts.broken;
  return {
    ...facts,
    path: file.path,
    relative: file.relative,
    entryName: path.basename(file.path),
    bytes: file.bytes,
  };
}

/**
 * Every file that stops the step, by kind, so that one run lists them all: each is also a problem
 * (an annotation on its file), and the step fails with one message that names every file.
 */
class Failures {
  private readonly refused: string[] = [];
  private readonly names: string[] = [];
  private readonly lfs: string[] = [];
  private readonly cut: string[] = [];
  private readonly over: string[] = [];
  private readonly bad: string[] = [];

  constructor(private readonly problems: Problem[]) {}

  refuse(relative: string, line: string): void {
    this.refused.push(line);
    this.problems.push({ severity: 'error', file: relative, message: `${line}.` });
  }

  /** False (and noted) when the file's base name cannot be a portable ZIP entry name. */
  checkName(file: Candidate): boolean {
    const reason = unportableName(path.basename(file.path));
    if (!reason) return true;
    const line = `${escapeName(file.relative)}: ${reason}`;
    this.names.push(line);
    // No `file` here: the annotation's file property would carry the very characters refused.
    this.problems.push({ severity: 'error', message: `${line}.` });
    return false;
  }

  lfsPointer(relative: string): void {
    this.lfs.push(relative);
    this.problems.push({
      severity: 'error',
      file: relative,
      message: `${relative} is a Git LFS pointer, not the image: the checkout did not fetch LFS files. Set \`lfs: true\` on actions/checkout.`,
    });
  }

  broken(relative: string, header: ImageHeader): void {
    const line = `${relative} (${describeKind(header.type)} cut short: ${header.broken})`;
    this.cut.push(line);
    this.problems.push({
      severity: 'error',
      file: relative,
      message: `${relative} is ${describeKind(header.type)} cut short (${header.broken}), as an interrupted copy leaves it. Copy it again from the original, or remove it.`,
    });
  }

  overLimit(relative: string, header: ImageHeader): void {
    const line = `${relative} (${describeKind(header.type)}: ${header.overLimit})`;
    this.over.push(line);
    this.problems.push({
      severity: 'error',
      file: relative,
      message: `${relative} is ${describeKind(header.type)} beyond what the action decodes: ${header.overLimit}. Export it again as an ordinary photo (a HEIC as JPEG), or remove it.`,
    });
  }

  unreadable(relative: string, what: string): void {
    this.bad.push(`${relative} (${what})`);
    this.problems.push({
      severity: 'error',
      file: relative,
      message: `${relative} is no readable JPEG, PNG or WebP image, nor HEIC/HEIF (${what}).`,
    });
  }

  throwIfAny(): void {
    const sections: string[] = [];
    const hints: string[] = [];
    // In path order, whatever order the file system listed them in.
    for (const lines of [this.refused, this.names, this.lfs, this.cut, this.over, this.bad])
      lines.sort(compare);
    const list = (lines: string[]) => `:\n- ${lines.join('\n- ')}`;
    const files = (n: number) => (n === 1 ? '1 dataset file' : `${n} dataset files`);
    if (this.refused.length > 0) {
      const n = this.refused.length;
      sections.push(
        `The dataset contains ${n === 1 ? 'a file' : `${n} files`} the action will not read${list(this.refused)}`,
      );
      hints.push(
        'Only regular files inside the workspace are used. Replace links with the files themselves, or exclude them with a `!pattern` line in `dataset`.',
      );
    }
    if (this.names.length > 0) {
      const n = this.names.length;
      sections.push(
        `${files(n)} ${n === 1 ? 'has a name' : 'have names'} that cannot be stored in the ZIP portably (shown escaped)${list(this.names)}`,
      );
      hints.push(
        'Rename them: a ZIP entry name must be valid UTF-8 with no backslash and no control, line-separator or bidirectional-override character (extractors and viewers treat those differently).',
      );
    }
    if (this.lfs.length > 0) {
      const n = this.lfs.length;
      sections.push(
        `${n === 1 ? '1 image is a Git LFS pointer' : `${n} images are Git LFS pointers`} (a small text file standing for the image), not the image itself${list(this.lfs)}`,
      );
      hints.push(
        'The images are stored with Git LFS and the checkout did not fetch them: set `lfs: true` on the actions/checkout step (`with: lfs: true`).',
      );
    }
    if (this.cut.length > 0) {
      const n = this.cut.length;
      sections.push(
        `${n === 1 ? '1 image is' : `${n} images are`} cut short (an interrupted copy or download) and would fail at Segmind after paying${list(this.cut)}`,
      );
      hints.push('Copy them again from the originals (or re-export them), or remove them.');
    }
    if (this.over.length > 0) {
      const n = this.over.length;
      sections.push(
        `${n === 1 ? '1 image is' : `${n} images are`} beyond the bounds the action decodes within (pixels, scans, segments, chunks, metadata; docs/security.md), which keep an image built to exhaust the runner's memory or time from doing so${list(this.over)}`,
      );
      hints.push(
        `Export them again as ordinary photos (a HEIC over ${megapixels(MAX_HEIF_PIXELS)} as JPEG), or remove them from the dataset.`,
      );
    }
    if (this.bad.length > 0) {
      const n = this.bad.length;
      sections.push(
        `${files(n)} ${n === 1 ? 'has' : 'have'} an image extension but ${n === 1 ? 'is' : 'are'} no readable ${KINDS_TEXT}${list(this.bad)}`,
      );
      hints.push('Re-export them as JPEG, PNG or WebP, or remove them from the dataset.');
    }
    if (sections.length === 0) return;
    // Each kind's list is followed by what to do about it; the last "what to do" is the hint.
    const message = sections.map((section, i) =>
      i < sections.length - 1 ? `${section}\n${hints[i]}` : section,
    );
    throw new ActionError(
      message.join('\n'),
      hints.at(-1),
      // Each one is also a problem, so that the caller annotates it on its file; the warnings
      // found so far go with them.
      this.problems,
    );
  }
}

/**
 * Why a base name cannot be a ZIP entry name every extractor and viewer treats alike, or
 * undefined. Refused: `\` (a folder separator to Windows extractors and some others, so
 * `a\b.jpg` would land in a folder `a`), C0 controls, DEL and C1 controls (they end lines, move
 * the cursor, start terminal escape sequences in a log), U+2028 and U+2029 (line breaks to
 * JavaScript, some editors and log viewers), and the bidirectional embeddings, overrides and
 * isolates U+202A-U+202E and U+2066-U+2069 (they make a name display as another, as in
 * `photo\u202Egpj.exe` shown as `photoexe.jpg`). The implicit direction marks U+200E, U+200F and
 * U+061C stay allowed: right-to-left names use them and they cannot reorder a whole name.
 */
export function unportableName(name: string): string | undefined {
  if (name.includes('\\')) return 'a backslash (\\) in the name';
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
      return `a control character (${codePoint(code)}) in the name`;
    if (code === 0x2028 || code === 0x2029)
      return `a line or paragraph separator (${codePoint(code)}) in the name`;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
      return `a bidirectional override (${codePoint(code)}) that makes the name display as another`;
  }
  return undefined;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A file name as a JSON-style string literal, so that nothing in it acts on the reader: control
 * characters, line separators, bidirectional controls, `"` and `\` escaped (`"dataset/a\r.jpg"`).
 * Bytes that are not valid UTF-8 (from a Buffer name) are shown as `\xNN`.
 */
export function escapeName(name: string | Buffer): string {
  let out = '"';
  if (typeof name === 'string') {
    for (const char of name) out += escapeChar(char);
    return `${out}"`;
  }
  let i = 0;
  while (i < name.length) {
    const length = utf8SequenceLength(name, i);
    if (length === 0) {
      out += `\\x${name[i]!.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += escapeChar(name.subarray(i, i + length).toString('utf8'));
      i += length;
    }
  }
  return `${out}"`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeChar(char: string): string {
  const short = SHORT_ESCAPES[char];
  if (short) return short;
  const code = char.codePointAt(0)!;
  const invisible =
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c ||
    code === 0xfeff ||
    code === 0xfffd;
  return invisible ? `\\u${code.toString(16).padStart(4, '0')}` : char;
}

/** The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const cont = (k: number) => i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = bytes[i + 1]!;
    if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b === 0xed && b1 >= 0xa0) return 0; // surrogates
    return 3;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = bytes[i + 1]!;
    if (b === 0xf0 && b1 < 0x90) return 0;
    if (b === 0xf4 && b1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

/** The ZIP entry name of a HEIC/HEIF image once it is converted to JPEG: `IMG_1.HEIC` -> `IMG_1.jpg`. */
export function convertedEntryName(name: string): string {
  return `${stripExtension(name)}.jpg`;
}

/**
 * Every entry sits at the ZIP's root under its base name, so two files of the same base name in
 * different folders would overwrite each other in Segmind's hands; refuse, naming both.
 */
function checkEntryCollisions(
  entries: { entryName: string; relative: string; type?: string }[],
): void {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const entry of entries) {
    // A HEIC/HEIF image is zipped as JPEG under a .jpg name: `a.heic` and `a.jpg` clash too.
    const name = entry.type === 'heif' ? convertedEntryName(entry.entryName) : entry.entryName;
    const other = seen.get(name);
    if (other !== undefined) clashes.push(`${other} and ${entry.relative} would both be ${name}`);
    else seen.set(name, entry.relative);
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
  try {
    return await globber.glob();
  } catch (error) {
    // Node reads directory entries as UTF-8 strings, so a name that is not valid UTF-8 comes back
    // with U+FFFD in it, and the next call on that name fails with ENOENT. Find such names from
    // their bytes and name every one of them, escaped.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const bad: Buffer[] = [];
    for (const search of globber.getSearchPaths()) await undecodableNames(Buffer.from(search), bad);
    if (bad.length === 0) throw error;
    const lines = bad.map((name) => escapeName(relativeBytes(workspace, name)));
    throw new ActionError(
      `${bad.length === 1 ? '1 dataset file has a name' : `${bad.length} dataset files have names`} that ${bad.length === 1 ? 'is' : 'are'} not valid UTF-8 (shown escaped, \\xNN for each byte that is not):\n- ${lines.join('\n- ')}`,
      'Rename them to UTF-8 names (a ZIP entry name must be valid UTF-8), or move them out of the dataset folder.',
      lines.map((line) => ({
        severity: 'error' as const,
        message: `${line} is not valid UTF-8: rename it.`,
      })),
    );
  }
}

/** Every entry under `dir` (not following links) whose name is not valid UTF-8, as full paths. */
async function undecodableNames(dir: Buffer, out: Buffer[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { encoding: 'buffer', withFileTypes: true });
  } catch {
    return; // not a folder, or gone
  }
  for (const entry of entries) {
    const name = entry.name as unknown as Buffer;
    const full = Buffer.concat([dir, Buffer.from(path.sep), name]);
    if (!isValidUtf8(name)) out.push(full);
    if (entry.isDirectory()) await undecodableNames(full, out);
  }
}

function isValidUtf8(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length;) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return false;
    i += length;
  }
  return true;
}

/** `full` relative to the workspace, as bytes (the workspace path itself is valid UTF-8). */
function relativeBytes(workspace: string, full: Buffer): Buffer {
  const prefix = Buffer.from(workspace.endsWith(path.sep) ? workspace : workspace + path.sep);
  return full.subarray(0, prefix.length).equals(prefix) ? full.subarray(prefix.length) : full;
}

function linkTarget(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return 'unreadable target';
  }
}

// The per-file path work below compares strings instead of calling path.relative and path.join:
// both normalise their arguments character by character, and for a dataset of 40 files that was
// enough to make V8 compile node's normalizeString with its optimizing compiler, whose code pages
// added 3.7 MB to the peak RSS of a dry run (docs/performance.md, (b)). Every path here is
// absolute and normalised already: glob's matches, realpath's results, path.resolve's.

/** Whether `child` is `parent` or inside it; both absolute and normalised. */
function isInside(parent: string, child: string): boolean {
  if (child === parent) return true;
  return child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** `file` relative to `folder` (both absolute and normalised), as path.relative gives it. */
function relativeTo(folder: string, file: string): string {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(folder, file);
}

/** `name` inside `folder`, as path.join gives it for a normalised folder and a base name. */
function childOf(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

/** Trainers pair `photo.jpg` with `photo.txt`: a `.TXT` caption is zipped as `.txt`. */
function captionEntryName(caption: Candidate): string {
  return `${stripExtension(path.basename(caption.path))}${CAPTION_EXTENSION}`;
}

function stripExtension(file: string): string {
  return file.slice(0, file.length - path.extname(file).length);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Below this short side, Flux fine-tunes learn little detail; Segmind trains at 512 and up. */
const MIN_SHORT_SIDE = 512;
/** Training services recommend 10 or more images; under 5 a concept rarely generalises. */
const MIN_IMAGES = 5;

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
      const { width, height } = shownSize(image);
      problems.push({
        severity: 'warning',
        file: image.relative,
        message: `${image.relative} is ${width}×${height}; its short side is under ${MIN_SHORT_SIDE} px, too small to teach detail. Use an image of at least ${MIN_SHORT_SIDE} px (1024 px is best) or remove it.`,
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

/**
 * Smallest, median and largest image by area, each with the size a viewer sees: a photo stored
 * sideways (EXIF orientation 5 to 8, a HEIF's `irot`) has its sides swapped, as it is turned
 * upright in the ZIP.
 */
export function imageSizeFigures(images: DatasetImage[]): {
  smallest?: DatasetImage;
  median?: DatasetImage;
  largest?: DatasetImage;
} {
  const byArea = [...images].sort(
    (a, b) => a.width * a.height - b.width * b.height || compare(a.relative, b.relative),
  );
  const shown = (image: DatasetImage | undefined) => image && { ...image, ...shownSize(image) };
  return {
    smallest: shown(byArea[0]),
    median: shown(byArea[Math.floor((byArea.length - 1) / 2)]),
    largest: shown(byArea[byArea.length - 1]),
  };
}
