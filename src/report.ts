import * as core from '@actions/core';
import type { Problem } from './dataset.js';
import type { TrainingSettings } from './inputs.js';
import type { FinetuneRecord } from './segmind-client.js';

export interface DatasetFigures {
  images: number;
  captions: number;
  zipBytes?: number;
  sha256?: string;
  smallest?: { file: string; width: number; height: number };
  median?: { file: string; width: number; height: number };
  largest?: { file: string; width: number; height: number };
}

/**
 * Everything the run learned, for the job summary and the pull-request comment. Outputs go through
 * here so that each is set the moment it is known: a step that fails or is cancelled while waiting
 * still leaves `finetune-id`, `name` and `status`.
 */
export class Report {
  command = 'train';
  dryRun = false;
  datasetSource?: string;
  jobName?: string;
  finetuneId?: string;
  status?: string;
  modelUrl?: string;
  slug?: string;
  reused?: boolean;
  datasetUrl?: string;
  dataset?: DatasetFigures;
  settings?: TrainingSettings;
  skipped: string[] = [];
  problems: Problem[] = [];
  statuses: { status: string; at: Date }[] = [];
  finetunes?: FinetuneRecord[];
  /** The downloaded weights (`download-model`, `command: download`). */
  model?: { path: string; bytes: number; sha256: string };
  readyToTrain?: boolean;
  failure?: string;
  cancelled = false;
  readonly started = new Date();

  output(name: string, value: string | number | boolean): void {
    core.setOutput(name, typeof value === 'string' ? value : String(value));
  }

  setJobName(name: string): void {
    this.jobName = name;
    this.output('name', name);
  }

  setFinetuneId(id: string): void {
    this.finetuneId = id;
    this.output('finetune-id', id);
  }

  setReused(reused: boolean): void {
    this.reused = reused;
    this.output('reused', reused);
  }

  setDatasetUrl(url: string): void {
    this.datasetUrl = url;
    this.output('dataset-url', url);
  }

  /** A status seen; recorded in the timeline once per change. */
  setStatus(status: string): void {
    if (this.status !== status) this.statuses.push({ status, at: new Date() });
    this.status = status;
    this.output('status', status);
  }

  /** A finetune record seen (details, an adopted list entry): its status, model URL, slug. */
  setRecord(record: FinetuneRecord): void {
    if (typeof record.status === 'string' && record.status) this.setStatus(record.status);
    if (typeof record.cloud_storage_url === 'string' && record.cloud_storage_url) {
      this.modelUrl = record.cloud_storage_url;
      this.output('model-url', record.cloud_storage_url);
    }
    if (typeof record.slug === 'string' && record.slug) {
      this.slug = record.slug;
      this.output('slug', record.slug);
    }
    this.output('details', JSON.stringify(record));
  }

  /** The model file downloaded: `model-path` (as given, relative), `model-sha256`, `model-bytes`. */
  setModel(model: { path: string; bytes: number; sha256: string }): void {
    this.model = model;
    this.output('model-path', model.path);
    this.output('model-sha256', model.sha256);
    this.output('model-bytes', model.bytes);
  }

  setDataset(figures: DatasetFigures): void {
    this.dataset = figures;
    this.output('image-count', figures.images);
    this.output('caption-count', figures.captions);
    if (figures.zipBytes !== undefined) this.output('zip-bytes', figures.zipBytes);
    if (figures.sha256) this.output('dataset-sha256', figures.sha256);
  }

  /** A dataset problem: logged, annotated on its file, and kept for the summary. */
  addProblem(problem: Problem): void {
    this.problems.push(problem);
    const properties = problem.file
      ? { file: problem.file, title: 'Dataset' }
      : { title: 'Dataset' };
    if (problem.severity === 'error') core.error(problem.message, properties);
    else if (problem.severity === 'warning') core.warning(problem.message, properties);
    else core.notice(problem.message, properties);
  }
}
