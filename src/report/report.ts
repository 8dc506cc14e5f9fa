import * as core from '@actions/core';
import type { Problem } from '../shared/errors.js';
import type { FittingRecord } from '../dataset/fit/record.js';
import { firstOf, inert, visible } from '../shared/inert.js';
import type { TrainingSettings } from '../inputs.js';
import * as log from '../shared/log.js';
import { redact } from '../shared/secrets.js';
import type { Job, Price, Stage } from '../providers/provider.js';

/** A problem with, optionally, what kind it is; problems of one kind share one annotation. */
export type ReportedProblem = Problem & { kind?: string };

/**
 * GitHub shows at most 10 annotations of each severity per step: each kind of problem gets one
 * (this many kinds a severity at most; the rest share the last), listing its first files.
 */
const MAX_ANNOTATIONS_PER_SEVERITY = 10;
/** An annotation names at most this many files of its kind; the summary and log have the rest. */
const FILES_PER_ANNOTATION = 10;
/** Up to this many problems of a kind are annotated each on its own file, as before grouping. */
const SINGLE_ANNOTATIONS_PER_KIND = 3;
/** Problems beyond this many are counted in the log, not printed one a line. */
const MAX_LOGGED_PROBLEMS = 200;

export interface DatasetFigures {
  images: number;
  captions: number;
  zipBytes?: number;
  sha256?: string;
  smallest?: { file: string; width: number; height: number };
  median?: { file: string; width: number; height: number };
  largest?: { file: string; width: number; height: number };
}

/** What messages call the provider before a valid `provider` input names it. */
export const UNNAMED = 'the provider';

/**
 * Everything the run learned, for the job summary and the pull-request comment. Outputs go through
 * here so that each is set the moment it is known: a step that fails or is cancelled while waiting
 * still leaves `finetune-id`, `name` and `status`.
 */
export class Report {
  command = 'train';
  /** The provider, as messages name it; UNNAMED until the `provider` input is read. */
  provider = UNNAMED;
  /** Whether the provider's status words say the stage already (Segmind's do). */
  plainStatusWords = true;
  /** What the training costs, where the provider publishes a price. */
  price?: Price;
  /** What is said of the cost where the provider publishes no price. */
  priceNote?: string;
  /** The provider no longer trains: what to do instead (said with the dry run's verdict too). */
  trainingNotice?: string;
  dryRun = false;
  datasetSource?: string;
  jobName?: string;
  finetuneId?: string;
  status?: string;
  stage?: Stage;
  modelUrl?: string;
  slug?: string;
  /** The trainer (and its version) that trained the job, where the provider says. */
  trainedBy?: string;
  reused?: boolean;
  datasetUrl?: string;
  dataset?: DatasetFigures;
  settings?: TrainingSettings;
  skipped: string[] = [];
  problems: Problem[] = [];
  statuses: { status: string; at: Date }[] = [];
  finetunes?: Job[];
  /**
   * What the list reaches back to, when not all: fal's history and Replicate's trainings are read
   * a bounded number of pages.
   */
  listScope?: string;
  /** Where the ZIP was saved (`save-zip`). */
  zipPath?: string;
  /** The downloaded weights (`download-model`, `command: download`). */
  model?: { path: string; bytes: number; sha256: string };
  readyToTrain?: boolean;
  /** What train step 2 did to the images (downscaled, turned upright, HEIC, metadata). */
  fitting?: FittingRecord;
  failure?: string;
  cancelled = false;
  readonly started = new Date();

  /** What each output was last set to: an output is written again only when it changes. */
  private readonly written = new Map<string, string>();

  /**
   * Sets an output, redacted like every other sink (a record may quote a signed URL). The same
   * value twice is written once: GITHUB_OUTPUT keeps every line, and a reader of it sees each
   * output once.
   */
  output(name: string, value: string | number | boolean): void {
    const text = redact(typeof value === 'string' ? value : String(value));
    if (this.written.get(name) === text) return;
    this.written.set(name, text);
    core.setOutput(name, text);
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

  /** A job seen (its status, an adopted one, a list entry): its status, model URL, slug, record. */
  setJob(job: Job): void {
    if (job.status) this.setStatus(job.status);
    this.stage = job.stage;
    if (job.modelUrl) {
      this.modelUrl = job.modelUrl;
      this.output('model-url', job.modelUrl);
    }
    if (job.slug) {
      this.slug = job.slug;
      this.output('slug', job.slug);
    }
    if (job.trainedBy) this.trainedBy = job.trainedBy;
    this.output('details', JSON.stringify(job.record));
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

  /** The ZIP saved where `save-zip` said (`zip-path`). */
  setZipPath(relative: string): void {
    this.zipPath = relative;
    this.output('zip-path', relative);
  }

  setFitting(record: FittingRecord): void {
    this.fitting = record;
    this.output('reencoded-count', record.reencoded);
  }

  /**
   * A dataset problem, kept for the summary, and annotated grouped by kind with the
   * other problems added in the same turn of the event loop (a check's findings are added in one
   * loop), by `flushAnnotations`.
   */
  addProblem(problem: ReportedProblem): void {
    this.problems.push(problem);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flushAnnotations());
    }
  }

  private annotated = 0;
  private logged = 0;
  private flushQueued = false;
  /** Annotations left for each severity (GitHub shows MAX_ANNOTATIONS_PER_SEVERITY a step). */
  private readonly budget: Record<string, number> = {};

  /**
   * Annotates the problems added since the last call, one annotation per kind: a kind with a few
   * problems gets one each, on its file; a larger kind gets one on its first file, naming the
   * first FILES_PER_ANNOTATION files and counting the rest. No severity gets more than
   * MAX_ANNOTATIONS_PER_SEVERITY annotations, which is all GitHub shows for a step.
   */
  flushAnnotations(): void {
    this.flushQueued = false;
    const fresh = this.problems.slice(this.annotated) as ReportedProblem[];
    this.annotated = this.problems.length;
    const kinds = new Map<string, ReportedProblem[]>();
    for (const p of fresh) {
      const key = `${p.severity}\u0000${problemKind(p)}`;
      const group = kinds.get(key);
      if (group) group.push(p);
      else kinds.set(key, [p]);
    }
    const left = (severity: string) => (this.budget[severity] ??= MAX_ANNOTATIONS_PER_SEVERITY);
    const overflow: Record<string, ReportedProblem[]> = {};
    // Problems that share an annotation are also logged one a line, up to MAX_LOGGED_PROBLEMS.
    const logEach = (group: ReportedProblem[]) => {
      for (const p of group) {
        if (this.logged === MAX_LOGGED_PROBLEMS)
          log.info('… more problems: the job summary counts them.');
        if (this.logged++ >= MAX_LOGGED_PROBLEMS) return;
        log.info(`${p.severity}: ${inert(p.message, 1_000)}`);
      }
    };
    const annotate = (p: ReportedProblem, message: string) => {
      const file = annotationFile(p.file);
      const properties = file ? { file, title: 'Dataset' } : { title: 'Dataset' };
      if (p.severity === 'error') log.error(message, properties);
      else if (p.severity === 'warning') log.warning(message, properties);
      else log.notice(message, properties);
    };
    for (const group of kinds.values()) {
      const severity = group[0]!.severity;
      const singles = group.length <= SINGLE_ANNOTATIONS_PER_KIND ? group.length : 1;
      // The last annotation of a severity is kept for "and N more".
      if (singles >= left(severity)) {
        (overflow[severity] ??= []).push(...group);
        continue;
      }
      this.budget[severity] = left(severity) - singles;
      if (group.length <= SINGLE_ANNOTATIONS_PER_KIND) {
        for (const p of group) annotate(p, inert(p.message, 1_000));
      } else {
        const files = group.map((p) => p.file ?? '').filter(Boolean);
        logEach(group);
        annotate(
          group[0]!,
          `${group.length} files have this problem; the first: ${inert(group[0]!.message, 600)}\n` +
            `Files: ${firstOf(files, FILES_PER_ANNOTATION, 100)}.`,
        );
      }
    }
    for (const [severity, rest] of Object.entries(overflow)) {
      logEach(rest);
      // Spent by an earlier batch: the log and the summary list these.
      if (left(severity) === 0) continue;
      this.budget[severity] = 0;
      const kindsLeft = new Set(rest.map(problemKind)).size;
      annotate(
        rest[0]!,
        `${rest.length} more problem(s) of ${kindsLeft} other kind(s), the first: ${inert(rest[0]!.message, 600)}\n` +
          `Files: ${firstOf(
            rest.map((p) => p.file ?? '').filter(Boolean),
            FILES_PER_ANNOTATION,
            100,
          )}. The job summary lists them.`,
      );
    }
  }
}

/** Longer paths are not put in an annotation's `file` (no log line runs to thousands). */
const MAX_ANNOTATION_FILE_CHARS = 500;

/**
 * The `file` of an annotation: the path as it is, so GitHub places the annotation on it; or none
 * when the path would not print as itself on the command's line (a control character, a line or
 * paragraph separator, a legacy `##[` command) or is very long. The message names the file
 * anyway, made visible and shortened.
 */
function annotationFile(file: string | undefined): string | undefined {
  if (!file || file.length > MAX_ANNOTATION_FILE_CHARS) return undefined;
  if (visible(file) !== file || file.includes('##[')) return undefined;
  return file;
}

/**
 * What kind of problem this is: its `kind` when the check says, else its message with the file's
 * name (and any number) taken out, so that "a.jpg is 100×100" and "b.jpg is 90×90" are one kind.
 */
function problemKind(problem: ReportedProblem): string {
  if (problem.kind) return problem.kind;
  let text = problem.message;
  if (problem.file) text = text.split(problem.file).join('\u0000');
  return text.replace(/\d+/g, '#');
}
