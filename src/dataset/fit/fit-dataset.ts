import * as log from '../../shared/log.js';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { DatasetImage } from '../collect.js';
import { inspectImageBytes, type ImageHeader } from '../image-header.js';
import { ActionError } from '../../shared/errors.js';
import { fitImage, unchangedResult, type FitResult } from './fit-image.js';
import type { ImageFormat } from './metadata.js';
import { metadataOf, needsCodec, needsFitting, type FitOptions, type Size } from './plan.js';
import { unchangedRecord, type FittingRecord } from './record.js';

export { describeFitting, fittingLines, type FittingRecord } from './record.js';

/** Sides tried, in order, when the ZIP would reach `max-zip-mb` with the images fitted larger. */
const STEP_DOWN_SIDES = [1536, 1024] as const;

export interface FittedDataset {
  /** The images as they go into the ZIP: fitted ones point at their copy in the temp folder. */
  images: DatasetImage[];
  record: FittingRecord;
}

/**
 * Fits every image (see fitImage) into `folder`, one image in memory at a time; images that
 * need no change are zipped from where they are. Entry names of HEIC images end in `.jpg`.
 */
export async function fitImages(
  images: DatasetImage[],
  options: FitOptions,
  folder: string,
  /** Results of an earlier pass at a larger side, reused for images it did not downscale. */
  earlier?: Map<string, { image: DatasetImage; result: Omit<FitResult, 'bytes'> }>,
): Promise<{
  images: DatasetImage[];
  results: Map<string, { image: DatasetImage; result: Omit<FitResult, 'bytes'> }>;
}> {
  await mkdir(folder, { recursive: true });
  type Done = { image: DatasetImage; result: Omit<FitResult, 'bytes'> };
  const done: Done[] = new Array(images.length);

  const fitOne = async (index: number, scratch: Scratch): Promise<Done> => {
    const image = images[index]!;
    const before = earlier?.get(image.relative);
    if (before && !before.result.downscaled && !isLarger(before.result.from, options.maxSide)) {
      return before;
    }
    let result: FitResult;
    try {
      const size = { width: image.width, height: image.height };
      const format = image.type as ImageFormat;
      // HEIC/HEIF (image-size names it `heif`) is always decoded: it becomes a JPEG.
      const heif = image.type === 'heic' || image.type === 'heif';
      const meta = heif ? undefined : metadataOf(image);
      if (meta && !needsFitting(image, options)) {
        // Nothing to change: zipped from where it is, never read whole here.
        return { image, result: unchangedResult(format, meta, size) };
      }
      result =
        meta && needsCodec(meta, size, options.maxSide)
          ? await fitImage(image.path, image.type, size, options, meta)
          : await fitImage(await scratch.read(image.path), image.type, size, options, meta);
    } catch (error) {
      throw new ActionError(
        `${image.relative} could not be decoded to fit it: ${error instanceof Error ? error.message : String(error)}.`,
        'Open and re-save the image (or export it again as JPEG), or remove it from the dataset; `max-image-side: 0` turns resizing off.',
      );
    }
    const heic = image.type === 'heic' || image.type === 'heif';
    if (options.strip && !heic && image.hasMetadata && !result.metadataRemoved) {
      // The header saw metadata that the stripper could not take out (a layout it does not
      // understand): say so rather than upload it silently.
      log.warning(
        `${image.relative} carries EXIF, XMP, IPTC or comments in a layout that could not be stripped, so it goes into the ZIP with them. Open and re-save the image (or export it again), or remove it from the dataset.`,
        { title: 'Dataset', file: image.relative },
      );
    }
    // The bytes go to disk; only the summary of what was done stays in memory.
    const { bytes, ...summary } = result;
    const entryName = result.fromHeic ? `${stripExtension(image.entryName)}.jpg` : image.entryName;
    if (!result.changed && entryName === image.entryName) return { image, result: summary };
    const file = path.join(folder, `${index}-${entryName}`);
    await writeFile(file, bytes);
    // The facts of the new bytes (orientation, metadata, GPS), not those of the original's header.
    const found = inspectImageBytes(bytes);
    const facts: Partial<ImageHeader> = found.kind === 'image' ? { ...found.header } : {};
    delete facts.broken;
    const fitted: DatasetImage = {
      ...facts,
      path: file,
      relative: image.relative,
      entryName,
      bytes: bytes.length,
      type: result.format,
      width: result.to.width,
      height: result.to.height,
    };
    return { image: fitted, result: summary };
  };

  // One image per core at a time (the codec runs each on a thread of its own), each lane reading
  // into one reused buffer: memory stays at a few images' worth whatever the dataset's size.
  // After a failure no lane starts another image, and all have settled before the error goes
  // up: nothing is written into the temp folder once the step starts removing it.
  let next = 0;
  let failed = false;
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(lanes(), images.length) }, async () => {
      const scratch = new Scratch();
      while (next < images.length && !failed) {
        const index = next++;
        try {
          done[index] = await fitOne(index, scratch);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }),
  );
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  const results = new Map<string, Done>();
  for (const [index, image] of images.entries()) results.set(image.relative, done[index]!);
  return { images: done.map((d) => d.image), results };
}

/** Images fitted at once: the runner's cores, at most 4 (each holds a decoded photo). */
function lanes(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A file read into a buffer that is reused for the next file (grown when one is larger). */
class Scratch {
  private buffer = Buffer.alloc(0);

  async read(file: string): Promise<Buffer> {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.max(size, 8 << 20));
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(this.buffer, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return this.buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }
}

function isLarger(size: Size, side: number): boolean {
  return side > 0 && Math.max(size.width, size.height) > side;
}

/**
 * Fits the dataset and checks the ZIP it gives against the limit: when the ZIP would reach
 * `maxZipBytes`, the side steps down to 1536, then 1024 px, with a warning each time; past that
 * the step fails naming the largest images. `zipSize` gives the ZIP's size for a set of images.
 */
export async function fitDataset(
  images: DatasetImage[],
  options: FitOptions & { maxZipBytes: number },
  tempRoot: string,
  zipSize: (images: DatasetImage[]) => number,
): Promise<FittedDataset> {
  const sides =
    options.maxSide === 0
      ? [0]
      : [options.maxSide, ...STEP_DOWN_SIDES.filter((s) => s < options.maxSide)];
  let earlier: Awaited<ReturnType<typeof fitImages>>['results'] | undefined;
  let previousFolder: string | undefined;
  for (const [i, side] of sides.entries()) {
    const folder = path.join(tempRoot, `fitted-${side}`);
    const pass = await fitImages(images, { ...options, maxSide: side }, folder, earlier);
    // The earlier pass's copies that this one reused stay; the others are no longer needed.
    if (previousFolder) await removeUnused(previousFolder, pass.images);
    previousFolder = folder;
    earlier = pass.results;
    const bytes = zipSize(pass.images);
    const next = sides[i + 1];
    if (bytes < options.maxZipBytes || side === 0) {
      return { images: pass.images, record: recordOf(pass.results, side, options.maxSide) };
    }
    // Stepping down helps only when some image is larger than the next side.
    if (
      next !== undefined &&
      [...pass.results.values()].some(({ result }) => isLarger(result.from, next))
    ) {
      log.warning(
        `The dataset ZIP would be ${mb(bytes)} with images fitted to ${side} px, not under the ${mb(options.maxZipBytes)} limit (max-zip-mb): fitting them to ${next} px instead. Set a smaller max-image-side, or use fewer images, to choose yourself.`,
        { title: 'Dataset' },
      );
      continue;
    }
    // Nothing was downscaled: the images are as they came, and the ZIP check says so.
    if (!pass.images.some((image) => pass.results.get(image.relative)?.result.downscaled)) {
      return { images: pass.images, record: recordOf(pass.results, side, options.maxSide) };
    }
    const largest = [...pass.images]
      .sort((a, b) => b.bytes - a.bytes || (a.relative < b.relative ? -1 : 1))
      .slice(0, 5)
      .map((image) => `${image.relative} (${mb(image.bytes)})`);
    throw new ActionError(
      `The dataset ZIP would be ${mb(bytes)} (${bytes} bytes) even with every image fitted to ${side} px; it must be under ${mb(options.maxZipBytes)} (max-zip-mb). The largest images: ${largest.join(', ')}.`,
      'Use fewer images (10 to 30 are plenty for a fine-tune), or smaller ones: the largest are listed above.',
    );
  }
  throw new Error('unreachable: no side was tried');
}

async function removeUnused(folder: string, kept: DatasetImage[]): Promise<void> {
  if (!kept.some((image) => path.dirname(image.path) === folder)) {
    await rm(folder, { recursive: true, force: true });
  }
}

function recordOf(
  results: Map<string, { image: DatasetImage; result: Omit<FitResult, 'bytes'> }>,
  side: number,
  asked: number,
): FittingRecord {
  const record = unchangedRecord(side);
  if (side !== asked) record.steppedDownFrom = asked;
  for (const [file, { result }] of results) {
    if (result.downscaled) record.downscaled.push({ file, from: result.from, to: result.to });
    if (result.turned) record.upright.push(file);
    if (result.fromHeic) record.heic.push(file);
    if (result.locationRemoved) record.locationRemoved++;
    if (result.metadataRemoved) record.metadataRemoved++;
    if (result.reencoded) record.reencoded++;
  }
  return record;
}

/**
 * HEIC images enter the ZIP as `.jpg`: refuses a renamed entry that clashes with another file,
 * naming both paths.
 */
export function checkRenamedEntries(
  images: DatasetImage[],
  others: { entryName: string; relative: string }[],
): void {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const entry of [...images, ...others]) {
    const other = seen.get(entry.entryName);
    if (other !== undefined)
      clashes.push(`${other} and ${entry.relative} would both be ${entry.entryName}`);
    else seen.set(entry.entryName, entry.relative);
  }
  if (clashes.length > 0) {
    throw new ActionError(
      `Dataset files clash in the ZIP once HEIC images become JPEG (their entry names end in .jpg):\n- ${clashes.join('\n- ')}`,
      'Rename one file of each pair.',
    );
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
