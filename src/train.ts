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
import { defaultJobName, fingerprint } from './jobs/fingerprint.js';
import type { Config } from './inputs.js';
import type { Report } from './report/report.js';
import type { RetryPolicy } from './http/retry.js';
import type { Provider, SubmitPlan } from './providers/provider.js';
import { adopt } from './jobs/job.js';
import { submitOnce } from './jobs/submit.js';
import type { TempDir } from './shared/temp-dir.js';
import { waitForJob } from './jobs/wait.js';
import { checkZipSize, predictZipSize, writeZip, zipEntriesOf } from './dataset/zip.js';
import { formatMb } from './shared/format.js';
import { needsFitting } from './dataset/fit/plan.js';
import { unchangedRecord } from './dataset/fit/record.js';
import { offerOf } from './providers/offers.js';
import type { DatasetRules } from './providers/provider.js';

export interface TrainContext {
  config: Config;
  report: Report;
  /** The provider, made on first use: a dry run never asks, so nothing is sent anywhere. */
  connect: () => Promise<Provider>;
  retry: RetryPolicy;
  temp: TempDir;
  workspace: string;
  repository: string;
}

/** The train command: collect, zip, reuse or upload and submit, then optionally wait. */
export async function train(ctx: TrainContext): Promise<void> {
  const { config, report } = ctx;
  const offer = offerOf(config.provider);
  report.settings = config.settings;
  report.price = offer.price(config.settings);
  report.priceNote = report.price ? undefined : offer.unpricedNote;
  if (offer.trainingNotice) {
    // Before the dataset is even looked at: the run can only end in the provider's refusal.
    report.trainingNotice = offer.trainingNotice;
    log.warning(offer.trainingNotice);
  }
  // `reused` is false unless a job is adopted below, dry runs included.
  report.output('reused', false);
  // Requests follow the ZIP: load their client meanwhile (a dry run sends none).
  if (!config.dryRun) preloadHttpClient();

  let datasetIdentity: string;
  let datasetModifiedAt: number | undefined;
  let zip: { path: string | null; bytes: number; sha256: string } | undefined;
  if (config.datasetUrl) {
    report.datasetSource = config.datasetUrl;
    const { bytes, identity, modifiedAt } = await checkDatasetUrl(
      config.datasetUrl,
      config.maxZipBytes,
      ctx.retry,
      offer.label,
    );
    datasetModifiedAt = modifiedAt;
    log.info(`Dataset ZIP at ${config.datasetUrl}: ${formatMb(bytes)}.`);
    report.setDatasetUrl(config.datasetUrl);
    datasetIdentity = identity;
  } else {
    report.datasetSource = config.datasetPatterns.join(', ');
    const built = await buildZip(ctx, offer.datasetRules(config.settings));
    zip = built;
    datasetIdentity = built.sha256;
  }

  const name =
    config.name || defaultJobName(ctx.repository, fingerprint(datasetIdentity, config.settings));
  report.setJobName(name);

  if (config.dryRun) {
    report.readyToTrain = true;
    log.info(
      `Dry run: the dataset is ready to train as job ${name}. Nothing was sent to ${offer.label}.`,
    );
    return;
  }
  const provider = await ctx.connect();

  const existing = await provider
    .findReusable({
      name,
      settings: config.settings,
      datasetUrl: config.datasetUrl || undefined,
      datasetModifiedAt,
    })
    .catch((error: unknown) => {
      if (!(error instanceof ActionError)) throw error;
      throw new ActionError(
        `Looking for an earlier training of ${name} at ${provider.label} failed: ${error.message}`,
        `${error.hint ?? ''} Nothing was uploaded or submitted: the action looks first so that a re-run never pays twice for the same dataset and settings.`.trim(),
      );
    });
  if (existing) {
    adopt(report, existing, name);
  } else {
    report.setReused(false);
    const plan: SubmitPlan = {
      name,
      dataUrl: config.datasetUrl,
      uploaded: false,
      settings: config.settings,
    };
    if (zip?.path) {
      plan.dataUrl = await provider.upload({
        path: zip.path,
        bytes: zip.bytes,
        fileName: `${name}.zip`,
        sha256: zip.sha256,
      });
      plan.uploaded = true;
      report.setDatasetUrl(plan.dataUrl);
    }
    const adopted = await submitOnce(provider, plan, report, ctx.retry);
    if (!adopted) log.info(`Submitted fine-tune ${report.finetuneId} (${name}).`);
    if (config.waitFor === 'none' && provider.rerunCaveat) {
      log.notice(
        `Fine-tune ${report.finetuneId} was not waited for (\`wait-for: none\`). ${provider.rerunCaveat}`,
      );
    }
  }

  if (config.waitFor !== 'none' && report.finetuneId) {
    const job = await waitForJob(provider, report.finetuneId, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onJob: (job) => report.setJob(job),
      needsWeights: Boolean(config.downloadModel),
      // A re-run of this workflow is what might pay again: not so for `status` or `download`.
      rerunCaveat: provider.rerunCaveat,
    });
    if (config.downloadModel) {
      const { downloadFile } = await import('./transfer/download.js');
      const model = await downloadFile({
        source: provider.modelSource(job),
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
  rules: DatasetRules,
): Promise<{ path: string | null; bytes: number; sha256: string }> {
  const { config, report } = ctx;
  const collected = await collectDataset(
    config.datasetPatterns,
    ctx.workspace,
    config.settings.triggerWord,
  ).catch((error: unknown) => {
    // A dataset that cannot be trained on still has each bad file annotated and listed.
    if (error instanceof ActionError) for (const p of error.problems) report.addProblem(p);
    throw error;
  });
  recordDataset(report, collected);
  const quality = qualityChecks(collected, {
    triggerWord: config.settings.triggerWord,
    // Images without a caption get one written below: nothing to warn about.
    captioning:
      config.settings.captioning ||
      rules.captionForUncaptioned !== undefined ||
      rules.uncaptionedDescribed === true,
  });
  for (const problem of quality) report.addProblem(problem);
  checkImageCount(report, collected.images.length, rules, ctx.config.provider);
  const dataset = withWrittenCaptions(collected, rules.captionForUncaptioned, config);
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

  // A dry run needs the ZIP's size and hash, not the file (unless it is to be saved).
  const zipPath =
    config.dryRun && !config.saveZip ? null : path.join(await ctx.temp.path(), 'dataset.zip');
  const { bytes, sha256, entryHashes } = await writeZip(entries, zipPath, candidates);
  if (bytes !== predicted) {
    // A file changed while it was being zipped; what was checked is not what was written.
    throw new ActionError(
      `The dataset changed while it was being zipped (expected ${predicted} bytes, wrote ${bytes}).`,
      'Make sure no other step writes to the dataset folder while this one runs, then re-run.',
    );
  }
  for (const problem of duplicateImages(fitted, entryHashes)) report.addProblem(problem);
  if (config.saveZip && zipPath) {
    const { saveCopy } = await import('./transfer/save.js');
    await saveCopy(zipPath, ctx.workspace, config.saveZip, 'save-zip');
    report.setZipPath(config.saveZip);
    log.info(`Saved the dataset ZIP to ${config.saveZip}.`);
  }
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

/**
 * The provider's floor (fal's trainers fail below it) is an error before anything is uploaded;
 * its recommendation (Replicate's) a warning.
 */
function checkImageCount(
  report: Report,
  count: number,
  rules: DatasetRules,
  provider: Config['provider'],
): void {
  const trainer = rules.trainer ?? `${offerOf(provider).label}’s trainer`;
  if (rules.minImages !== undefined && count < rules.minImages) {
    const message = `The dataset has ${count} image${count === 1 ? '' : 's'}; ${trainer} needs at least ${rules.minImages}.`;
    report.addProblem({ severity: 'error', message, kind: 'too-few-images' });
    throw new ActionError(
      message,
      `Add images until there are ${rules.minImages} or more (10 to 30 varied photos of the subject train best); nothing was uploaded or paid for.`,
    );
  }
  if (rules.recommendedImages !== undefined && count < rules.recommendedImages) {
    report.addProblem({
      severity: 'warning',
      kind: 'few-images',
      message: `The dataset has ${count} image${count === 1 ? '' : 's'}; ${trainer} recommends ${rules.recommendedImages} or more, varied in pose, light and background.`,
    });
  }
}

/**
 * Captions written for images that have none, where the provider would otherwise train them
 * bare (fal's fast trainer and Replicate with `captioning: false`): the instance prompt, with the
 * trigger word in place of `[trigger]`, under the image's entry name with `.txt`. They go into
 * the ZIP like the dataset's own captions, so the fingerprint covers them.
 */
function withWrittenCaptions(
  dataset: Dataset,
  caption: string | undefined,
  config: Config,
): Dataset {
  if (caption === undefined) return dataset;
  const captioned = new Set(dataset.captions.map((c) => c.image));
  const taken = new Set([
    ...dataset.captions.map((c) => c.entryName),
    ...dataset.images.map((i) => i.entryName),
  ]);
  const text = caption.replaceAll('[trigger]', config.settings.triggerWord);
  const written = [];
  for (const image of dataset.images) {
    if (captioned.has(image.relative)) continue;
    const entryName = `${stripExtension(image.entryName)}.txt`;
    if (taken.has(entryName)) continue;
    taken.add(entryName);
    written.push({
      path: '',
      relative: `${image.relative} (caption written from the instance prompt)`,
      entryName,
      bytes: Buffer.byteLength(text),
      text,
      image: image.relative,
    });
  }
  if (written.length > 0) {
    log.info(
      `${written.length} image(s) without a caption get the instance prompt as their caption (\`captioning: false\`).`,
    );
  }
  return { ...dataset, captions: [...dataset.captions, ...written] };
}

function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
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
