import * as core from '@actions/core';
import * as path from 'node:path';
import { sleep } from './cancellation.js';
import {
  collectDataset,
  duplicateImages,
  imageSizeFigures,
  qualityChecks,
  type Dataset,
  type DatasetImage,
} from './dataset.js';
import { checkDatasetUrl } from './dataset-url.js';
import { ActionError } from './errors.js';
import { defaultJobName, fingerprint } from './fingerprint.js';
import type { Config } from './inputs.js';
import type { Report } from './report.js';
import { backoffDelay, type RetryPolicy } from './retry.js';
import {
  SegmindApiError,
  type FinetuneRecord,
  type SegmindClient,
  type SubmitRequest,
} from './segmind-client.js';
import type { TempDir } from './temp-dir.js';
import { checkRecord, isFailureStatus, recordError, waitForStatus } from './wait.js';
import { checkZipSize, formatMb, predictZipSize, writeZip, zipEntriesOf } from './zip.js';

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

  let datasetIdentity: string;
  let zip: { path: string; bytes: number } | undefined;
  if (config.datasetUrl) {
    report.datasetSource = config.datasetUrl;
    const bytes = await checkDatasetUrl(config.datasetUrl, config.maxZipBytes, ctx.retry);
    core.info(`Dataset ZIP at ${config.datasetUrl}: ${formatMb(bytes)}.`);
    report.setDatasetUrl(config.datasetUrl);
    datasetIdentity = config.datasetUrl;
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
    core.info(
      `Dry run: the dataset is ready to train as job ${name}. Nothing was sent to Segmind.`,
    );
    return;
  }
  const client = ctx.client;

  const existing = findReusable(await client.list(), name);
  if (existing) {
    adopt(report, existing);
  } else {
    report.setReused(false);
    let dataSourcePath = config.datasetUrl;
    if (zip) {
      const { uploadZip } = await import('./upload.js');
      dataSourcePath = await uploadZip(client, `${name}.zip`, zip.path, zip.bytes, ctx.retry);
      report.setDatasetUrl(dataSourcePath);
    }
    const adopted = await submitOnce(
      client,
      submitRequest(config, name, dataSourcePath),
      report,
      ctx.retry,
    );
    if (!adopted) core.info(`Submitted fine-tune ${report.finetuneId} (${name}).`);
  }

  if (config.waitFor !== 'none' && report.finetuneId) {
    await waitForStatus(client, report.finetuneId, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onRecord: (record) => report.setRecord(record),
    });
  }
}

async function buildZip(
  ctx: TrainContext,
): Promise<{ path: string; bytes: number; sha256: string }> {
  const { config, report } = ctx;
  const dataset = await collectDataset(
    config.datasetPatterns,
    ctx.workspace,
    config.settings.triggerWord,
  );
  recordDataset(report, dataset);
  for (const problem of qualityChecks(dataset, config.settings)) report.addProblem(problem);
  if (dataset.skipped.length > 0) {
    core.notice(
      `Skipped ${dataset.skipped.length} file(s) that are neither images nor captions: ${dataset.skipped.join(', ')}`,
    );
  }
  const entries = zipEntriesOf(dataset);
  const predicted = predictZipSize(entries);
  checkZipSize(predicted, config.maxZipBytes);

  // Only images that share their size with another can be byte-identical: hash just those.
  const sizes = new Map<number, number>();
  for (const image of dataset.images) sizes.set(image.bytes, (sizes.get(image.bytes) ?? 0) + 1);
  const candidates = new Set(
    dataset.images.filter((i) => sizes.get(i.bytes)! > 1).map((i) => i.entryName),
  );

  const zipPath = path.join(await ctx.temp.path(), 'dataset.zip');
  const { bytes, sha256, entryHashes } = await writeZip(entries, zipPath, candidates);
  if (bytes !== predicted) {
    // A file changed while it was being zipped; what was checked is not what was written.
    throw new ActionError(
      `The dataset changed while it was being zipped (expected ${predicted} bytes, wrote ${bytes}).`,
      'Make sure no other step writes to the dataset folder while this one runs, then re-run.',
    );
  }
  checkZipSize(bytes, config.maxZipBytes);
  for (const problem of duplicateImages(dataset, entryHashes)) report.addProblem(problem);
  report.setDataset({ ...report.dataset!, zipBytes: bytes, sha256 });
  core.info(
    `Dataset ZIP: ${dataset.images.length} images, ${dataset.captions.length} captions, ${formatMb(bytes)}, sha256 ${sha256}.`,
  );
  return { path: zipPath, bytes, sha256 };
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

export function submitRequest(config: Config, name: string, dataSourcePath: string): SubmitRequest {
  const s = config.settings;
  return {
    name,
    data_source_path: dataSourcePath,
    instance_prompt: s.instancePrompt,
    trigger_word: s.triggerWord,
    base_model: s.baseModel,
    theme: s.theme,
    segmind_public: s.isPublic,
    advance_parameters: {
      iterations: s.iterations,
      captioning: s.captioning,
      priority: s.priority,
      finetune_type: s.finetuneType,
      lora_rank: s.loraRank,
      learning_rate: s.learningRate,
    },
  };
}

/** A job of this name that has not failed: training it again would pay twice for the same model. */
export function findReusable(records: FinetuneRecord[], name: string): FinetuneRecord | undefined {
  return records.find(
    (r) =>
      r.name === name &&
      (typeof r.finetune_id === 'string' || typeof r.id === 'string') &&
      !recordError(r) &&
      !(typeof r.status === 'string' && isFailureStatus(r.status)),
  );
}

function adopt(report: Report, record: FinetuneRecord): void {
  const id = String(record.finetune_id ?? record.id);
  report.setFinetuneId(id);
  report.setReused(true);
  report.setRecord(record);
  core.info(
    `Reusing fine-tune ${id} (${record.name}, ${record.status ?? 'unknown status'}): the same dataset and settings were already submitted. Nothing was uploaded or submitted.`,
  );
}

/**
 * Submits, never blindly twice. When the answer is lost (network error, 5xx, 429) the job may
 * exist anyway, so the list is asked first and a job of this name adopted if it appeared; only
 * otherwise is the submit repeated. Returns true when a job was adopted.
 */
async function submitOnce(
  client: SegmindClient,
  request: SubmitRequest,
  report: Report,
  retry: RetryPolicy,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await client.submit(request);
      report.setFinetuneId(answer.finetuneId);
      report.setStatus(answer.status ?? 'REQUESTED');
      return false;
    } catch (error) {
      if (!(error instanceof SegmindApiError && error.transient) || attempt >= retry.attempts)
        throw error;
      core.info(
        `The submit's answer was lost (${error.message}); checking whether the job was created anyway.`,
      );
      await sleep(error.retryAfterMs ?? backoffDelay(retry, attempt));
      const appeared = (await client.list()).find((r) => r.name === request.name);
      if (appeared) {
        const id = String(appeared.finetune_id ?? appeared.id);
        // It is the job this run created, not a reused one.
        report.setFinetuneId(id);
        report.setRecord(appeared);
        checkRecord(id, appeared);
        core.info(
          `The job was created despite the lost answer: fine-tune ${id}. Not submitting again.`,
        );
        return true;
      }
    }
  }
}
