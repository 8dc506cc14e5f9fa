import * as core from '@actions/core';
import type { Problem } from './dataset.js';
import { firstOf, inert } from './inert.js';
import type { TrainingSettings } from './inputs.js';
import * as log from './log.js';
import { redact } from './secrets.js';
import type { FinetuneRecord } from './segmind-client.js';

/** A problem with, optionally, what kind it is; problems of one kind share one annotation. */
export type ReportedProblem = Problem & { kind?: string };

/**
 * GitHub shows at most 10 annotations of each severity per step: each kind of problem gets one
 * (this many kinds a severity at most; the rest share the last), listing its first files.
 */
export const MAX_ANNOTATIONS_PER_SEVERITY = 10;
/** An annotation names at most this many files of its kind; the summary and log have the rest. */
export const FILES_PER_ANNOTATION = 10;
/** Up to this many problems of a kind are annotated each on its own file, as before grouping. */
export const SINGLE_ANNOTATIONS_PER_KIND = 3;
/** Problems beyond this many are counted in the log, not printed one a line. */
export const MAX_LOGGED_PROBLEMS = 200;

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
  readyToTrain?: boolean;
  failure?: string;
  cancelled = false;
  readonly started = new Date();

  /** Sets an output, redacted like every other sink (a record may quote a signed URL). */
  output(name: string, value: string | number | boolean): void {
    core.setOutput(name, redact(typeof value === 'string' ? value : String(value)));
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

  setDataset(figures: DatasetFigures): void {
    this.dataset = figures;
    this.output('image-count', figures.images);
    this.output('caption-count', figures.captions);
    if (figures.zipBytes !== undefined) this.output('zip-bytes', figures.zipBytes);
    if (figures.sha256) this.output('dataset-sha256', figures.sha256);
  }

  /**
   * A dataset problem, kept for the summary. It is logged at once (the first
   * MAX_LOGGED_PROBLEMS of them; the rest are counted), and annotated by `flushAnnotations`,
   * grouped by kind.
   */
  addProblem(problem: ReportedProblem): void {
    this.problems.push(problem);
    const n = this.problems.length;
    if (n <= MAX_LOGGED_PROBLEMS) log.info(`${problem.severity}: ${inert(problem.message, 1_000)}`);
    else if (n === MAX_LOGGED_PROBLEMS + 1)
      log.info('More problems were found: the annotations and the job summary count them.');
  }

  private annotated = 0;

  /**
   * Annotates the problems added since the last call, one annotation per kind: a kind with a few
   * problems gets one each, on its file; a larger kind gets one on its first file, naming the
   * first FILES_PER_ANNOTATION files and counting the rest. No severity gets more than
   * MAX_ANNOTATIONS_PER_SEVERITY annotations, which is all GitHub shows for a step.
   */
  flushAnnotations(): void {
    const fresh = this.problems.slice(this.annotated) as ReportedProblem[];
    this.annotated = this.problems.length;
    const kinds = new Map<string, ReportedProblem[]>();
    for (const p of fresh) {
      const key = `${p.severity}\u0000${problemKind(p)}`;
      const group = kinds.get(key);
      if (group) group.push(p);
      else kinds.set(key, [p]);
    }
    const used: Record<string, number> = {};
    const overflow: Record<string, ReportedProblem[]> = {};
    const annotate = (p: ReportedProblem, message: string, file = p.file) => {
      const properties = file ? { file, title: 'Dataset' } : { title: 'Dataset' };
      if (p.severity === 'error') log.error(message, properties);
      else if (p.severity === 'warning') log.warning(message, properties);
      else log.notice(message, properties);
    };
    for (const group of kinds.values()) {
      const severity = group[0]!.severity;
      const singles = group.length <= SINGLE_ANNOTATIONS_PER_KIND ? group.length : 1;
      if ((used[severity] ?? 0) + singles >= MAX_ANNOTATIONS_PER_SEVERITY) {
        (overflow[severity] ??= []).push(...group);
        continue;
      }
      used[severity] = (used[severity] ?? 0) + singles;
      if (group.length <= SINGLE_ANNOTATIONS_PER_KIND) {
        for (const p of group) annotate(p, inert(p.message, 1_000));
      } else {
        const files = group.map((p) => p.file ?? '').filter(Boolean);
        annotate(
          group[0]!,
          `${group.length} files have this problem; the first: ${inert(group[0]!.message, 1_000)}\n` +
            `Files: ${firstOf(files, FILES_PER_ANNOTATION)}.`,
        );
      }
    }
    for (const rest of Object.values(overflow)) {
      const kindsLeft = new Set(rest.map(problemKind)).size;
      annotate(
        rest[0]!,
        `${rest.length} more problem(s) of ${kindsLeft} other kind(s), the first: ${inert(rest[0]!.message, 1_000)}\n` +
          `Files: ${firstOf(
            rest.map((p) => p.file ?? '').filter(Boolean),
            FILES_PER_ANNOTATION,
          )}. The job summary lists them.`,
      );
    }
  }
}

/**
 * What kind of problem this is: its `kind` when the check says, else its message with the file's
 * name (and any number) taken out, so that "a.jpg is 100×100" and "b.jpg is 90×90" are one kind.
 */
export function problemKind(problem: ReportedProblem): string {
  if (problem.kind) return problem.kind;
  let text = problem.message;
  if (problem.file) text = text.split(problem.file).join('\u0000');
  return text.replace(/\d+/g, '#');
}
