import * as log from '../../shared/log.js';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { DatasetImage } from '../collect.js';
import { inspectImageFileSync, type ImageHeader } from '../image-header.js';
import { ActionError } from '../../shared/errors.js';
import { cancelSignal } from '../../shared/cancellation.js';
import { CODEC_MEMORY_BYTES, IMAGE_TIME_LIMIT_MS } from '../limits.js';
import { fitImage, unchangedResult, type FitResult } from './fit-image.js';
import type { ImageFormat } from './metadata.js';
import { metadataOf, needsCodec, needsFitting, type FitOptions, type Size } from './plan.js';
import { closedError, CodecError, CodecPool, type CodecJob, type CodecResult } from './pool.js';
import { unchangedRecord, type FittingRecord } from './record.js';

export { describeFitting, fittingLines, type FittingRecord } from './record.js';

/** Sides tried, in order, when the ZIP would reach `max-zip-mb` with the images fitted larger. */
const STEP_DOWN_SIDES = [1536, 1024] as const;

export interface FittedDataset {
  /** The images as they go into the ZIP: fitted ones point at their copy in the temp folder. */
  images: DatasetImage[];
  record: FittingRecord;
}

/** How the codec threads run; the defaults come from limits.ts and the machine. */
export interface CodecSettings {
  /** Codec threads: the runner's cores, at most 4. */
  lanes?: number;
  timeLimitMs?: number;
  memoryBytes?: number;
  signal?: AbortSignal;
  /** Threads already started (fitDataset's passes share them); closed by whoever made them. */
  codec?: LazyCodec;
  /** The threads' file, when not the codec's own (tests). */
  workerFile?: string;
}

/**
 * The codec threads, started on the first image that needs them: a dataset whose images only
 * need stripping never starts one.
 */
export class LazyCodec {
  readonly lanes: number;
  private pool: CodecPool | undefined;
  private closed = false;
  private readonly relativeOf = new Map<string, string>();

  constructor(
    private readonly settings: CodecSettings,
    images: DatasetImage[],
  ) {
    this.lanes = Math.max(1, settings.lanes ?? Math.min(4, availableParallelism()));
    this.know(images);
  }

  /** Files the codec may print about, by their path. */
  know(images: DatasetImage[]): void {
    for (const image of images) this.relativeOf.set(image.path, image.relative);
  }

  run(job: CodecJob): Promise<CodecResult> {
    // Closed before any image needed it: no thread may start now, since nothing would close it.
    if (this.closed && !this.pool) {
      return Promise.reject(closedError(this.settings.signal ?? cancelSignal));
    }
    this.pool ??= new CodecPool({
      lanes: this.lanes,
      memoryBytes: this.settings.memoryBytes ?? CODEC_MEMORY_BYTES,
      timeLimitMs: this.settings.timeLimitMs ?? IMAGE_TIME_LIMIT_MS,
      signal: this.settings.signal ?? cancelSignal,
      ...(this.settings.workerFile ? { workerFile: this.settings.workerFile } : {}),
      // The libraries' own printing, through the log like every other line.
      onOutput: (line, file) =>
        log.info(`Codec${file ? ` (${this.relativeOf.get(file) ?? file})` : ''}: ${line}`),
    });
    return this.pool.run(job);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
  }

  /** Images the codec threads are fitting now (tests). */
  get busy(): number {
    return this.pool?.busy ?? 0;
  }

  /** Codec threads started so far (tests). */
  get threadsStarted(): number {
    return this.pool?.threadsStarted ?? 0;
  }
}

type Done = { image: DatasetImage; result: FitResult };

/**
 * Fits every image (see fitImage) into `folder`; images that need no change are zipped from
 * where they are. Entry names of HEIC images end in `.jpg`. Images that need the codec go to a
 * pool of codec threads (pool.ts), one image per thread at a time; the others are stripped here.
 */
export async function fitImages(
  images: DatasetImage[],
  options: FitOptions,
  folder: string,
  /** Results of an earlier pass at a larger side, reused for images it did not downscale. */
  earlier?: Map<string, Done>,
  settings: CodecSettings = {},
): Promise<{ images: DatasetImage[]; results: Map<string, Done> }> {
  await mkdir(folder, { recursive: true });
  const done: Done[] = new Array(images.length);
  const own = !settings.codec;
  const codec = settings.codec ?? new LazyCodec(settings, images);
  const lanes = codec.lanes;

  const fitOne = async (index: number): Promise<Done> => {
    const image = images[index]!;
    const before = earlier?.get(image.relative);
    if (before && !before.result.downscaled && !isLarger(before.result.from, options.maxSide)) {
      return before;
    }
    const heic = image.type === 'heic' || image.type === 'heif';
    const meta = heic ? undefined : metadataOf(image);
    if (meta && !needsFitting(image, options)) {
      // Nothing to change: zipped from where it is, never read here.
      return {
        image,
        result: unchangedResult(image.type as ImageFormat, meta, image, image.bytes),
      };
    }
    // Named by number: a dataset file's own name may already be as long as the file system
    // allows (255 bytes), and the entry name is kept apart.
    const entryName = heic ? `${stripExtension(image.entryName)}.jpg` : image.entryName;
    const file = path.join(folder, `${index}${path.extname(entryName).toLowerCase()}`);
    let result: FitResult;
    try {
      result = await fitImage(image, options, codec, file);
    } catch (error) {
      throw fitError(image, error);
    }
    if (options.strip && !heic && image.hasMetadata && !result.metadataRemoved) {
      // The header saw metadata that stripping did not take out: say so rather than upload it
      // silently.
      log.warning(
        `${image.relative} carries metadata in a layout that could not be stripped, so it goes into the ZIP with it. Open and re-save the image (or export it again), or remove it from the dataset.`,
        { title: 'Dataset', file: image.relative },
      );
    }
    if (result.unknownRemoved.length > 0) {
      log.warning(
        `${image.relative} held parts the action does not know (${result.unknownRemoved.join(', ')}); they were removed with its metadata. If the image in the ZIP looks wrong, export it again as an ordinary ${image.type === 'jpg' ? 'JPEG' : image.type === 'png' ? 'PNG' : 'WebP'}.`,
        { title: 'Dataset', file: image.relative },
      );
    }
    if (!result.changed) return { image, result };
    // The facts of the new file (orientation, metadata, GPS), not those of the original's.
    const found = inspectImageFileSync(file, result.bytes);
    const facts: Partial<ImageHeader> = found.kind === 'image' ? { ...found.header } : {};
    delete facts.broken;
    delete facts.overLimit;
    const fitted: DatasetImage = {
      ...facts,
      path: file,
      relative: image.relative,
      entryName,
      bytes: result.bytes,
      type: result.format,
      width: result.to.width,
      height: result.to.height,
    };
    return { image: fitted, result };
  };

  // Images are independent: a few at a time (the codec threads bound how many decode at once),
  // each lane taking the next image. After a failure no lane starts another image, the codec
  // threads are stopped, and all lanes have settled before the error goes up: nothing is
  // written into the temp folder once the step starts removing it. The error is the first
  // image's to fail: stopping the threads fails the images beside it too, and those must not be
  // blamed for it.
  // Stripping is synchronous and starts no codec thread: without a turn of the event loop between
  // images, a SIGINT would not even be delivered until every image was stripped.
  const signal = settings.signal ?? cancelSignal;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const needCodec = images.filter((image) => needsDecoding(image, options.maxSide)).length;
  try {
    await Promise.all(
      Array.from(
        { length: Math.min(Math.max(1, Math.min(lanes, needCodec)), images.length) },
        async () => {
          while (next < images.length && !failure) {
            const index = next++;
            try {
              await new Promise<void>((resolve) => setImmediate(resolve));
              if (signal.aborted) throw signal.reason;
              done[index] = await fitOne(index);
            } catch (error) {
              failure ??= { error };
              void codec.close();
            }
          }
        },
      ),
    );
    if (failure) throw failure.error;
  } finally {
    if (own) await codec.close();
  }
  const results = new Map<string, Done>();
  for (const [index, image] of images.entries()) results.set(image.relative, done[index]!);
  return { images: done.map((d) => d.image), results };
}

/** Whether the codec must decode the image: HEIC always, others to downscale or turn them. */
function needsDecoding(image: DatasetImage, maxSide: number): boolean {
  const heic = image.type === 'heic' || image.type === 'heif';
  return heic || needsCodec(metadataOf(image), image, maxSide);
}

/** What the step says about an image the codec could not fit; the cancellation stays itself. */
function fitError(image: DatasetImage, error: unknown): unknown {
  if (error instanceof Error && error.name === 'CancelledError') return error;
  if (error instanceof CodecError && error.reason !== 'decode') {
    return new ActionError(
      `${image.relative} could not be fitted: ${error.message}.`,
      'Export it again as an ordinary photo (a HEIC as JPEG), or remove it from the dataset; `max-image-side: 0` turns resizing off.',
    );
  }
  return new ActionError(
    `${image.relative} could not be decoded to fit it: ${error instanceof Error ? error.message : String(error)}.`,
    'Open and re-save the image (or export it again as JPEG), or remove it from the dataset; `max-image-side: 0` turns resizing off.',
  );
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
  settings: CodecSettings = {},
): Promise<FittedDataset> {
  const sides =
    options.maxSide === 0
      ? [0]
      : [options.maxSide, ...STEP_DOWN_SIDES.filter((s) => s < options.maxSide)];
  let earlier: Map<string, Done> | undefined;
  let previousFolder: string | undefined;
  const codec = new LazyCodec(settings, images);
  const decoded = images.filter((image) => needsDecoding(image, options.maxSide)).length;
  if (decoded > 0) {
    log.info(
      `Fitting images: ${decoded} to decode, up to ${Math.min(decoded, codec.lanes)} at a time.`,
    );
  }
  try {
    for (const [i, side] of sides.entries()) {
      const folder = path.join(tempRoot, `fitted-${side}`);
      const pass = await fitImages(images, { ...options, maxSide: side }, folder, earlier, {
        ...settings,
        codec,
      });
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
  } finally {
    await codec.close();
  }
  throw new Error('unreachable: no side was tried');
}

async function removeUnused(folder: string, kept: DatasetImage[]): Promise<void> {
  if (!kept.some((image) => path.dirname(image.path) === folder)) {
    await rm(folder, { recursive: true, force: true });
  }
}

function recordOf(results: Map<string, Done>, side: number, asked: number): FittingRecord {
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
