import * as log from './shared/log.js';
import * as path from 'node:path';
import {
  collectDataset,
  duplicateImages,
  imageSizeFigures,
  qualityChecks,
  type Dataset,
  type DatasetImage,
} from './dataset/collect.js';
import { checkDatasetUrl } from './dataset/dataset-url.js';
import { ActionError } from './shared/errors.js';
import { preloadHttpClient } from './http/send.js';
import { defaultJobName, fingerprint } from './providers/segmind/fingerprint.js';
import type { Config } from './inputs.js';
import type { Report } from './report/report.js';
import type { RetryPolicy } from './http/retry.js';
import type { SegmindClient } from './providers/segmind/client.js';
import {
  adopt,
  findReusable,
  idOf,
  submitOnce,
  submitRequest,
} from './providers/segmind/submit.js';
import type { TempDir } from './shared/temp-dir.js';
import { waitForStatus } from './providers/segmind/wait.js';
import { checkZipSize, predictZipSize, writeZip, zipEntriesOf } from './dataset/zip.js';
import { formatMb } from './shared/format.js';
import { needsFitting } from './dataset/fit/plan.js';
import { unchangedRecord } from './dataset/fit/record.js';

export interface TrainContext {
  config: Config;
  report: Report;
  /** Undefined in a dry run: nothing may be sent to Segmind then. */
  client: SegmindClient | undefined;
  retry: RetryPolicy;
  temp: TempDir;
  workspace: string;
  repository: string;
}

/** The train command: collect, zip, reuse or upload and submit, then optionally wait. */
export async function train(ctx: TrainContext): Promise<void> {
  const { config, report } = ctx;
  report.settings = config.settings;
  // `reused` is false unless a job is adopted below, dry runs included.
  report.output('reused', false);
  // Requests follow the ZIP: load their client meanwhile (a dry run sends none).
  if (!config.dryRun) void preloadHttpClient().catch(() => undefined);

  let datasetIdentity: string;
  let zip: { path: string | null; bytes: number } | undefined;
  if (config.datasetUrl) {
    report.datasetSource = config.datasetUrl;
    const { bytes, identity } = await checkDatasetUrl(
      config.datasetUrl,
      config.maxZipBytes,
      ctx.retry,
    );
    log.info(`Dataset ZIP at ${config.datasetUrl}: ${formatMb(bytes)}.`);
    report.setDatasetUrl(config.datasetUrl);
    datasetIdentity = identity;
  } else {
    report.datasetSource = config.datasetPatterns.join(', ');
    const built = await buildZip(ctx);
    zip = built;
    datasetIdentity = built.sha256;
  }

  const name =
    config.name || defaultJobName(ctx.repository, fingerprint(datasetIdentity, config.settings));
  report.setJobName(name);

  if (config.dryRun || !ctx.client) {
    report.readyToTrain = true;
    log.info(`Dry run: the dataset is ready to train as job ${name}. Nothing was sent to Segmind.`);
    return;
  }
  const client = ctx.client;

  const records = await client.list();
  const existing = findReusable(records, name);
  if (existing) {
    adopt(report, existing);
  } else {
    report.setReused(false);
    let dataSourcePath = config.datasetUrl;
    if (zip?.path) {
      const { uploadZip } = await import('./providers/segmind/upload.js');
      dataSourcePath = await uploadZip(client, `${name}.zip`, zip.path, zip.bytes, ctx.retry);
      report.setDatasetUrl(dataSourcePath);
    }
    const adopted = await submitOnce(
      client,
      submitRequest(config, name, dataSourcePath),
      report,
      ctx.retry,
      new Set(records.map(idOf)),
    );
    if (!adopted) log.info(`Submitted fine-tune ${report.finetuneId} (${name}).`);
  }

  if (config.waitFor !== 'none' && report.finetuneId) {
    const record = await waitForStatus(client, report.finetuneId, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onRecord: (record) => report.setRecord(record),
      needsModelUrl: Boolean(config.downloadModel),
    });
    if (config.downloadModel) {
      const { downloadFile } = await import('./transfer/download.js');
      const { segmindModelSource } = await import('./providers/segmind/weights.js');
      const model = await downloadFile({
        source: segmindModelSource(client, record, report.finetuneId),
        workspace: ctx.workspace,
        relative: config.downloadModel,
        retry: ctx.retry,
      });
      report.setModel(model);
    }
  }
}

async function buildZip(
  ctx: TrainContext,
): Promise<{ path: string | null; bytes: number; sha256: string }> {
  const { config, report } = ctx;
  const dataset = await collectDataset(
    config.datasetPatterns,
    ctx.workspace,
    config.settings.triggerWord,
  ).catch((error: unknown) => {
    // A dataset that cannot be trained on still has each bad file annotated and listed.
    if (error instanceof ActionError) for (const p of error.problems) report.addProblem(p);
    throw error;
  });
  recordDataset(report, dataset);
  for (const problem of qualityChecks(dataset, config.settings)) report.addProblem(problem);
  if (dataset.skipped.length > 0) {
    log.notice(
      `Skipped ${dataset.skipped.length} file(s) that are neither images nor captions: ${dataset.skipped.join(', ')}`,
    );
  }
  const fitted = await fitDatasetImages(ctx, dataset);
  const entries = zipEntriesOf(fitted);
  const predicted = predictZipSize(entries);
  checkZipSize(predicted, config.maxZipBytes);

  // Only images that share their size with another can be byte-identical: hash just those.
  const sizes = new Map<number, number>();
  for (const image of fitted.images) sizes.set(image.bytes, (sizes.get(image.bytes) ?? 0) + 1);
  const candidates = new Set(
    fitted.images.filter((i) => sizes.get(i.bytes)! > 1).map((i) => i.entryName),
  );

  // A dry run needs the ZIP's size and hash, not the file.
  const zipPath = config.dryRun ? null : path.join(await ctx.temp.path(), 'dataset.zip');
  const { bytes, sha256, entryHashes } = await writeZip(entries, zipPath, candidates);
  if (bytes !== predicted) {
    // A file changed while it was being zipped; what was checked is not what was written.
    throw new ActionError(
      `The dataset changed while it was being zipped (expected ${predicted} bytes, wrote ${bytes}).`,
      'Make sure no other step writes to the dataset folder while this one runs, then re-run.',
    );
  }
  for (const problem of duplicateImages(fitted, entryHashes)) report.addProblem(problem);
  report.setDataset({ ...report.dataset!, zipBytes: bytes, sha256 });
  log.info(
    `Dataset ZIP: ${dataset.images.length} images, ${dataset.captions.length} captions, ${formatMb(bytes)}, sha256 ${sha256}.`,
  );
  return { path: zipPath, bytes, sha256 };
}

/**
 * Train step 2's fitting: images downscaled, turned upright, converted from HEIC and stripped of
 * metadata into the run's temp folder (a dry run too: the ZIP's size must be right), stepping the
 * side down when the ZIP would reach the limit. Loaded on demand: the codec only when an image
 * needs decoding.
 */
async function fitDatasetImages(ctx: TrainContext, dataset: Dataset): Promise<Dataset> {
  const { config, report } = ctx;
  const options = { maxSide: config.maxImageSide, strip: config.stripMetadata };
  // The headers read while checking say whether any image needs a change. When none does and
  // the ZIP fits as it is, the fitting code is never loaded (about 10 ms of a dry run).
  if (
    !dataset.images.some((image) => needsFitting(image, options)) &&
    predictZipSize(zipEntriesOf(dataset)) < config.maxZipBytes
  ) {
    report.setFitting(unchangedRecord(options.maxSide));
    log.info('Images: none needed a change.');
    return dataset;
  }
  const { fitDataset, checkRenamedEntries, describeFitting, fittingLines } =
    await import('./dataset/fit/fit-dataset.js');
  const { images, record } = await fitDataset(
    dataset.images,
    { ...options, maxZipBytes: config.maxZipBytes },
    await ctx.temp.path(),
    (images) => predictZipSize(zipEntriesOf({ ...dataset, images })),
  );
  checkRenamedEntries(images, dataset.captions);
  report.setFitting(record);
  const changes = describeFitting(record);
  log.info(changes ? `Images made ready: ${changes}.` : 'Images: none needed a change.');
  for (const line of fittingLines(record)) log.info(`  ${line}`);
  return { ...dataset, images };
}

function recordDataset(report: Report, dataset: Dataset): void {
  report.skipped = dataset.skipped;
  for (const problem of dataset.problems) report.addProblem(problem);
  const figure = (image: DatasetImage | undefined) =>
    image && { file: image.relative, width: image.width, height: image.height };
  const { smallest, median, largest } = imageSizeFigures(dataset.images);
  report.setDataset({
    images: dataset.images.length,
    captions: dataset.captions.length,
    smallest: figure(smallest),
    median: figure(median),
    largest: figure(largest),
  });
}
