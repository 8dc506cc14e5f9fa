/**
 * The seam between the pipeline and the services that train: everything above it (collect,
 * check, fit, ZIP, fingerprint, reuse decisions, the wait, the download's mechanics, reports) is
 * the same for every provider; each provider sits behind this interface in its own folder
 * (src/providers/<name>/), and nothing outside that folder knows its API's field names.
 */
import type { ModelSource } from '../transfer/download.js';
import type { HttpError } from '../http/send.js';
import type { TrainingSettings } from '../inputs.js';

export const PROVIDER_NAMES = ['segmind', 'fal', 'replicate'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * Where a job stands, in one order for every provider. Segmind walks all of it; fal and Replicate
 * go from queued through training to ready (the weights exist) in one step.
 */
export const STAGE_ORDER = [
  'queued',
  'preparing',
  'training',
  'trained',
  'deploying',
  'ready',
] as const;
export type Stage = (typeof STAGE_ORDER)[number] | 'failed' | 'cancelled' | 'unknown';

/** A stage's place in STAGE_ORDER; -1 for failed, cancelled and unknown. */
export function stageRank(stage: Stage): number {
  return (STAGE_ORDER as readonly string[]).indexOf(stage);
}

/** A job as a provider reports it, in the pipeline's terms. */
export interface Job {
  /** What `finetune-id` says: the id the provider's status, download and cancel take. */
  id: string;
  /** The job's name, where the provider keeps one (Segmind). */
  name?: string;
  /** The provider's own word for the status (the `status` output). */
  status: string;
  stage: Stage;
  /** The provider's message when the job failed. */
  error?: string;
  /** Where the trained weights are (`model-url`), once they exist. */
  modelUrl?: string;
  /** What an inference request names the model by (`slug`). */
  slug?: string;
  /** The trainer and its version, where the provider says which trained the job. */
  trainedBy?: string;
  /** The provider's record of the job, as it came (the `details` output). */
  record: unknown;
}

/** What `command: list` shows: the provider's records as they came, and each as a job. */
export interface JobList {
  raw: unknown[];
  jobs: Job[];
  /** How far back the list reaches, in the provider's terms, when it does not reach all. */
  scope?: string;
}

/** What the submit of one training needs: its name, where the data is, and the settings. */
export interface SubmitPlan {
  name: string;
  /** The URL the provider trains from: the uploaded ZIP, or `dataset-url`. */
  dataUrl: string;
  /** True when `dataUrl` is the action's own upload (named `<name>.zip`), not `dataset-url`. */
  uploaded: boolean;
  settings: TrainingSettings;
}

/** What a submit whose answer was lost left behind, as far as the provider can tell. */
export type LostSubmit =
  /** The job exists: this one. */
  | { found: Job }
  /**
   * No job was created: sending again is safe. `log` says so as a sentence ("No job named x was
   * created"), `gaveUp` as the end of the last error ("the list shows no job named x, so none
   * was created and a re-run is safe").
   */
  | {
      found: 'none';
      log: string;
      gaveUp: string;
      /**
       * The look saw nothing, but a create still under way may not show yet (its answer was lost
       * to a timeout or a gateway error): look once more, after a while, before sending again.
       */
      lookAgain?: boolean;
    }
  /** The provider cannot tell: nothing may be sent again. `hint` says how the user finds it. */
  | { found: 'unknown'; why: string; hint: string };

/** A price the provider publishes, and where it was read. */
export interface Price {
  usd: number;
  /** How it is made up: "1,000 steps at $0.0064 a step". */
  basis: string;
  source: string;
  /** The day the price was read from its source. */
  asOf: string;
}

/** What a train run needs of the dataset, before anything is paid for. */
export interface DatasetRules {
  /** The trainer, as the messages name it: "fal's FLUX.2 trainer (fal-ai/flux-2-trainer)". */
  trainer?: string;
  /** Fewer images than this fails the step before any upload. */
  minImages?: number;
  /** Fewer images than this is a warning. */
  recommendedImages?: number;
  /**
   * The caption written for an image that has none (the provider would otherwise train it
   * without one, or fail): `captioning: false` on fal and Replicate writes the instance prompt.
   */
  captionForUncaptioned?: string;
  /**
   * Images without a caption are described by the trainer's request itself (fal's FLUX.2 takes the
   * instance prompt as `default_caption`), so nothing needs writing and nothing is left undescribed.
   */
  uncaptionedDescribed?: boolean;
}

/** What reuse looks for: a training of this name, or of this dataset URL, with these settings. */
export type ReusePlan = Omit<SubmitPlan, 'dataUrl' | 'uploaded'> & {
  datasetUrl?: string;
  /** When the ZIP at `datasetUrl` last changed, if its host says: older trainings are not it. */
  datasetModifiedAt?: number;
};

/** The dataset ZIP as built: its file, size, the name it is uploaded under and its sha256. */
export interface DatasetZip {
  path: string;
  bytes: number;
  fileName: string;
  sha256: string;
}

export interface Provider {
  readonly name: ProviderName;
  /** How messages name it: "Segmind", "fal", "Replicate". */
  readonly label: string;

  /**
   * A job that trains exactly this (the same name, or for `dataset-url` the same input) and has
   * not failed: adopting it pays nothing. Undefined when there is none.
   */
  findReusable(plan: ReusePlan): Promise<Job | undefined>;
  /** Uploads the ZIP as `<name>.zip` and returns the URL to train from. */
  upload(zip: DatasetZip): Promise<string>;
  /**
   * Sends the training, once, never retried here: an HttpError that is `transient` means the
   * answer was lost, and the caller asks `afterLostSubmit` what happened.
   */
  submit(plan: SubmitPlan): Promise<Job>;
  /** After a submit whose answer was lost (`error`): did the job come into being? */
  afterLostSubmit(plan: SubmitPlan, error: HttpError): Promise<LostSubmit>;
  /** The job as it stands now. An unknown id fails with an error that says so. */
  get(id: string): Promise<Job>;
  list(): Promise<JobList>;
  /** Stops a queued or running job; undefined where the provider has no such thing. */
  cancel?(id: string): Promise<Job>;
  /** Makes the model public or private; undefined where the provider has no such thing. */
  setAccess?(id: string, isPublic: boolean): Promise<void>;
  /** Where the trained weights of `job` are; throws, saying why, when there are none. */
  modelSource(job: Job): ModelSource;
  /** The word the wait reports for `wait-for`, in the provider's own terms. */
  targetWord(waitFor: 'TRAINING_COMPLETED' | 'AVAILABLE'): string;
  /** The provider's statuses in their order, named when an unknown one is met. */
  readonly knownStatuses: readonly string[];
  /** What names the trained weights in messages: "cloud_storage_url", "LoRA file". */
  readonly weightsName: string;
  /**
   * What to say when the run was cancelled between sending a submit and hearing its answer: the
   * job may exist, and how the user finds out (a sentence or two).
   */
  inFlightAdvice(name: string): string;
  /**
   * Where reuse cannot see a job until it has finished (fal's history): what a re-run before then
   * costs, said wherever the user is told that the job goes on (a sentence).
   */
  readonly rerunCaveat?: string;
}
