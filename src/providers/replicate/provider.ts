/**
 * Replicate behind the provider seam: ostris/flux-dev-lora-trainer, writing each trained LoRA as
 * a new version of a destination model.
 *
 * Never paying twice on Replicate rests on its trainings list, which lists a training (with its
 * input) from the moment it is created: the action's upload is named `<job name>.zip` in the
 * Files API, so a training whose `input_images` is such a file is the one this dataset and these
 * settings already paid for. Replicate keeps uploaded files for 24 hours; past that the file, and
 * so the name, is gone from the Files list. docs/replicate.md says what the action does then.
 */
import * as log from '../../shared/log.js';
import { unsignedUrl } from '../../dataset/dataset-url.js';
import { ActionError } from '../../shared/errors.js';
import { nothingToDownload } from '../../jobs/job.js';
import { HttpError } from '../../http/send.js';
import type { RetryPolicy } from '../../http/retry.js';
import type { TrainingSettings } from '../../inputs.js';
import { isObject } from '../../shared/json.js';
import { isHttpsOrLoopback } from '../../shared/urls.js';
import type { ModelSource } from '../../transfer/download.js';
import type {
  DatasetZip,
  Job,
  JobList,
  LostSubmit,
  Provider,
  ReusePlan,
  Stage,
  SubmitPlan,
} from '../provider.js';
import { madeAfterChange, madeSince, newest, readPages, sameInput, timeIn } from '../matching.js';
import { ReplicateClient, type Page, type ReplicateFile, type Training } from './client.js';
import {
  defaultModelName,
  replicateInput,
  TRAINER,
  TRAINER_NAME,
  TRAINER_OWNER,
} from './mapping.js';

/** Pages of 100 read at most from a list: a hostile or endless cursor must end. */
const MAX_PAGES = 20;
/** The hardware a created model names; Replicate picks its own for a fine-tune's versions. */
const HARDWARE = 'gpu-t4';
/** A training's `logs` kept in the `details` output: its last lines, not megabytes. */
const LOG_TAIL_CHARS = 2_000;
/** An earlier upload is reused only while it lives this much longer: Replicate reads it at start. */
const UPLOAD_MARGIN_MS = 2 * 3_600_000;
/**
 * Most trainings one look reads one by one when the list left their input out (Replicate's list
 * may: docs/replicate.md). Only those that could be the one sought are read, newest first.
 */
const MAX_INPUT_LOOKUPS = 20;

export interface ReplicateOptions {
  apiUrl: string;
  apiKey: string;
  retry: RetryPolicy;
  settings: TrainingSettings;
  repository: string;
}

interface Prepared {
  version: string;
  destination: string;
}

export class ReplicateProvider implements Provider {
  readonly name = 'replicate';
  readonly label = 'Replicate';
  readonly knownStatuses = ['starting', 'processing', 'succeeded'] as const;
  readonly weightsName = 'weights';
  readonly client: ReplicateClient;
  private readonly settings: TrainingSettings;
  private readonly repository: string;
  /** The trainings listed before the submit: one among them was not created by it. */
  private known = new Set<string>();
  /** Files named `<job name>.zip` the Files list showed: an earlier upload of this very ZIP. */
  private uploads: ReplicateFile[] = [];
  private destinationName?: Promise<string>;
  private preparing?: Promise<Prepared>;
  /** How far back the trainings list was read, when it was cut short. */
  private listCut?: number;
  /** When this run first sent its training request (its lost answer is looked up after it). */
  private firstSubmitAt: number | undefined;

  constructor(options: ReplicateOptions) {
    this.client = new ReplicateClient(options.apiUrl, options.apiKey, options.retry);
    this.settings = options.settings;
    this.repository = options.repository;
  }

  // ---- reuse ----------------------------------------------------------------------------------

  async findReusable(plan: ReusePlan): Promise<Job | undefined> {
    const trainings = await this.trainerTrainings();
    this.known = new Set(trainings.map((t) => t.id));
    const expected = replicateInput(plan.settings);
    let match: Training | undefined;
    if (plan.datasetUrl) {
      const destination = await this.destination();
      const candidates = await this.withInputs(
        trainings.filter(
          (t) =>
            usable(t) &&
            [destination, undefined].includes(destinationOf(t)) &&
            madeAfterChange(timeIn(t.created_at), plan.datasetModifiedAt),
        ),
      );
      match = newestMade(
        candidates.filter((t) => sameData(t, plan.datasetUrl!) && sameInput(t.input, expected)),
      );
    } else {
      const files = await this.allFiles();
      this.uploads = files.filter((f) => f.name === `${plan.name}.zip`);
      // A training can only have used an upload made before it.
      const first = Math.min(...this.uploads.map((f) => timeIn(f.created_at) || 0));
      const candidates = await this.withInputs(
        trainings.filter((t) => usable(t) && !(timeIn(t.created_at) < first)),
      );
      match = newestMade(candidates.filter((t) => usesFile(t, this.uploads)));
      if (!match) await this.noticeExpiredUpload(trainings, files, expected);
    }
    if (!match) return undefined;
    // The list may leave fields out: the training as it stands now.
    return { ...(await this.get(match.id)), name: plan.name };
  }

  /**
   * Past 24 hours Replicate no longer lists an upload, so a training of this very dataset can no
   * longer be told from one of another: one with the same settings into the same model whose
   * upload is gone is named, so that a second training is no surprise.
   */
  private async noticeExpiredUpload(
    trainings: Training[],
    files: ReplicateFile[],
    expected: Record<string, unknown>,
  ): Promise<void> {
    const listed = new Set(files.map((f) => f.id));
    const candidates = trainings.filter((t) => {
      const id = fileIdOf(inputImages(t));
      return usable(t) && id !== undefined && !listed.has(id) && sameInput(t.input, expected);
    });
    if (candidates.length === 0) return;
    const destination = await this.destination();
    const earlier = newestMade(
      candidates.filter((t) => [destination, undefined].includes(destinationOf(t))),
    );
    if (!earlier) return;
    log.warning(
      `Replicate has training ${earlier.id} (${earlier.status || 'unknown status'}, created ${earlier.created_at ?? 'at an unknown time'}) with these settings into ${destination}, from an upload Replicate no longer keeps (it keeps uploads 24 hours), so whether it trained this same dataset cannot be told. Training anew; if it was the same, \`command: cancel\` stops the new training.`,
    );
  }

  // ---- upload and submit ----------------------------------------------------------------------

  async upload(zip: DatasetZip): Promise<string> {
    // The trainer and the destination first: a destination that cannot be made fails the step
    // before a 100 MB upload.
    await this.prepared();
    const earlier = this.earlierUpload(zip);
    if (earlier) {
      log.info(
        `Using the upload of ${zip.fileName} made ${earlier.created_at ?? 'earlier'} (the same ${zip.bytes} bytes); Replicate keeps it until ${earlier.expires_at}.`,
      );
      return earlier.urls.get;
    }
    const file = await this.client.uploadFile(zip);
    log.info(
      `Uploaded ${zip.fileName} to Replicate's Files API (file ${file.id}${file.expires_at ? `, kept until ${file.expires_at}` : ''}).`,
    );
    return file.urls.get;
  }

  /**
   * A file of this name that an earlier run uploaded and did not train (its submit failed), with
   * the same bytes and long enough to live: uploading it again would only make a copy.
   */
  private earlierUpload(zip: DatasetZip): ReplicateFile | undefined {
    const now = Date.now();
    const alive = this.uploads.filter(
      (f) =>
        f.size === zip.bytes &&
        typeof f.checksums?.sha256 === 'string' &&
        typeof f.expires_at === 'string' &&
        Date.parse(f.expires_at) - now > UPLOAD_MARGIN_MS,
    );
    return newestMade(alive.filter((f) => f.checksums!.sha256!.toLowerCase() === zip.sha256));
  }

  async submit(plan: SubmitPlan): Promise<Job> {
    let prepared: Prepared;
    try {
      prepared = await this.prepared();
    } catch (error) {
      // Nothing was sent yet: not a lost answer, whatever the error.
      if (error instanceof HttpError) throw new ActionError(error.message, error.hint);
      throw error;
    }
    const input = { input_images: plan.dataUrl, ...replicateInput(plan.settings) };
    this.firstSubmitAt ??= Date.now();
    const training = await this.client.createTraining(
      { owner: TRAINER_OWNER, name: TRAINER_NAME, version: prepared.version },
      prepared.destination,
      input,
    );
    return { ...this.job(training), name: plan.name };
  }

  /**
   * The trainings list shows a training from the moment it is created, so a lost answer is
   * settled by it: a training of this dataset that was not listed before is this run's. A 429,
   * or a request that never reached Replicate, created nothing.
   */
  async afterLostSubmit(plan: SubmitPlan, error: HttpError): Promise<LostSubmit> {
    if (error.status === 429) {
      return {
        found: 'none',
        log: 'Replicate refused the request (HTTP 429, a rate limit), so no training was created',
        gaveUp:
          'Replicate kept refusing it (HTTP 429, a rate limit), so no training was created and a re-run is safe',
      };
    }
    const page = await this.client.trainings();
    const expected = replicateInput(plan.settings);
    const fresh = await this.withInputs(
      page.results.filter(
        (t) =>
          isTrainerTraining(t) &&
          !this.known.has(t.id) &&
          // A dataset-url can be another run's too: one of its trainings made between this
          // run's look and its submit is older than the submit.
          (plan.uploaded || madeSince(timeIn(t.created_at), this.firstSubmitAt ?? Date.now())),
      ),
    );
    const appeared = newestMade(
      fresh.filter((t) => sameData(t, plan.dataUrl) && sameInput(t.input, expected)),
    );
    if (appeared) return { found: { ...this.job(appeared), name: plan.name } };
    const unseen = fresh.filter((t) => !isObject(t.input));
    if (unseen.length > 0) {
      // One of them may be this run's: sending again could pay twice.
      return {
        found: 'unknown',
        why: `Replicate shows the input of neither its list nor ${unseen.length === 1 ? 'the training' : 'the trainings'} ${unseen.map((t) => t.id).join(', ')}, made since this run's look, so whether one is this run's cannot be told`,
        hint: `Look in Replicate's dashboard (Trainings) for one of ${TRAINER} made at about ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} whose input_images is ${plan.dataUrl}. If there is one, pick it up with \`command: status\` and its id as \`finetune-id\`; if there is none, re-run to train.`,
      };
    }
    return {
      found: 'none',
      log: 'The trainings list shows no training of this dataset, so none was created',
      gaveUp:
        'the trainings list shows no training of this dataset, so none was created and a re-run is safe',
      lookAgain: true,
    };
  }

  // ---- the trainer, the destination -----------------------------------------------------------

  /** The trainer's version and the destination model, made if it does not exist; once a run. */
  private prepared(): Promise<Prepared> {
    this.preparing ??= (async () => {
      // One after the other: the requests come in the same order on every run.
      const version = await this.trainerVersion();
      const destination = await this.destination();
      await this.ensureDestination(destination);
      return { version, destination };
    })();
    return this.preparing;
  }

  /** The trainer's latest version, read at run time: Replicate publishes new ones. */
  private async trainerVersion(): Promise<string> {
    const model = await this.client.model(TRAINER_OWNER, TRAINER_NAME);
    const latest = model?.latest_version;
    const id = isObject(latest) ? latest.id : latest;
    if (typeof id !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(id)) {
      throw new ActionError(
        model
          ? `Replicate's ${TRAINER} has no version to train with (its latest_version is ${latest === null || latest === undefined ? 'empty' : 'not a version'}).`
          : `Replicate has no model ${TRAINER} for this token.`,
        'The trainer this action uses may have moved or been withdrawn. Check it on replicate.com; if it is there, please open an issue with this message.',
      );
    }
    log.info(`Trainer: ${TRAINER}, version ${id} (its latest on Replicate).`);
    return id;
  }

  /** `destination`, or `<account>/<repository name>`. */
  private destination(): Promise<string> {
    this.destinationName ??= (async () => {
      if (this.settings.destination) return this.settings.destination;
      const { username } = await this.client.account();
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/.test(username)) {
        throw new ActionError(
          `Replicate names this token's account "${log.inert(username, 60)}", which cannot own a model name the action can make up.`,
          'Set `destination` to `owner/name` of the model to train into.',
        );
      }
      return `${username}/${defaultModelName(this.repository)}`;
    })();
    return this.destinationName;
  }

  /** Creates the destination model when Replicate has none of that name. */
  private async ensureDestination(destination: string): Promise<void> {
    const [owner, name] = destination.split('/') as [string, string];
    const existing = await this.client.model(owner, name);
    const wanted = this.settings.isPublic ? 'public' : 'private';
    if (existing) {
      const visibility = typeof existing.visibility === 'string' ? existing.visibility : undefined;
      log.info(
        `Training into the model ${destination}${visibility ? ` (${visibility})` : ''}, which exists on Replicate.`,
      );
      if (this.settings.isPublic && visibility === 'private') {
        log.notice(
          `\`public: true\` sets the visibility of a model the action creates; ${destination} exists already and stays private. Change it on replicate.com if it should be public.`,
        );
      }
      return;
    }
    const made = await this.client.createModel(
      {
        owner,
        name,
        visibility: wanted,
        hardware: HARDWARE,
        description: `FLUX.1 [dev] LoRA trained with ${TRAINER} from the images of ${this.repository}.`,
      },
      `Replicate did not let this token create the model ${destination}. A token may create models under its own account, or an organization it belongs to: set \`destination\` to one of those, or create ${destination} on replicate.com first.`,
    );
    log.info(
      made === 'exists'
        ? `The model ${destination} was created meanwhile (by another run); training into it.`
        : `Created the ${wanted} model ${destination} on Replicate: each training adds a version to it.`,
    );
  }

  // ---- the job --------------------------------------------------------------------------------

  async get(id: string): Promise<Job> {
    return this.job(await this.client.training(id));
  }

  /** A training as a job. */
  job(training: Training): Job {
    const status = training.status;
    const error = errorOf(training.error);
    const output = training.output;
    const weights =
      typeof output === 'string'
        ? output
        : isObject(output) && typeof output.weights === 'string' && output.weights
          ? output.weights
          : undefined;
    const version =
      isObject(output) && typeof output.version === 'string' && output.version
        ? output.version
        : undefined;
    const destination = destinationOf(training);
    const slug =
      version && !version.includes(':') && destination ? `${destination}:${version}` : version;
    const trainer = typeof training.model === 'string' && training.model ? training.model : TRAINER;
    const trainedBy =
      typeof training.version === 'string' && training.version
        ? training.version.includes(':')
          ? training.version
          : `${trainer}:${training.version}`
        : undefined;
    return {
      id: training.id,
      status,
      stage: stageOf(status),
      error: error ?? (status === 'aborted' ? 'Replicate aborted the training' : undefined),
      modelUrl: weights && isHttpsOrLoopback(weights) ? weights : undefined,
      slug,
      trainedBy,
      record: withLogTail(training),
    };
  }

  // ---- list, cancel, download -----------------------------------------------------------------

  async list(): Promise<JobList> {
    const trainings = await this.trainerTrainings();
    return {
      raw: trainings.map(withLogTail),
      jobs: trainings.map((t) => this.job(t)),
      scope:
        this.listCut !== undefined
          ? `Replicate lists trainings newest first; only the newest ${this.listCut} of the account were read.`
          : undefined,
    };
  }

  async cancel(id: string): Promise<Job> {
    const answer = await this.client.cancel(id);
    if (answer.refused !== undefined) {
      log.info(
        `Replicate did not cancel ${id} (HTTP ${answer.status}: ${answer.refused}); it had most likely finished already.`,
      );
      return this.get(id);
    }
    // An answer that is not the training it stopped: ask for it.
    const job = answer.training ? this.job(answer.training) : await this.get(id);
    if (job.stage === 'ready' || job.stage === 'failed') {
      log.info(`Training ${id} had finished already (${job.status}); there was nothing to cancel.`);
    }
    return job;
  }

  modelSource(job: Job): ModelSource {
    const url = job.modelUrl;
    if (!url) {
      throw nothingToDownload(
        `Replicate training ${job.id} has no weights`,
        job,
        'It succeeded, but its output names no weights file; check the training on replicate.com.',
      );
    }
    const headers = this.client.authorizationFor(url);
    if (!headers) {
      log.info(
        `The weights are on ${new URL(url).host}, which is not Replicate's: fetched without the token.`,
      );
    }
    return {
      provider: 'Replicate',
      refreshable: false,
      tar: true,
      link: () => Promise.resolve({ url, headers }),
    };
  }

  targetWord(): string {
    return 'succeeded';
  }

  inFlightAdvice(name: string): string {
    return (
      `The training request of ${name} had been sent to Replicate but not answered, so the training may exist. ` +
      `Re-run with the same dataset and settings: the run finds it in the trainings list (by the uploaded ${name}.zip, which Replicate keeps 24 hours, or by \`dataset-url\`) and adopts it instead of training twice (\`command: list\` shows it).`
    );
  }

  // ---- lists ----------------------------------------------------------------------------------

  /**
   * The trainings with their input: one that the list showed without it (Replicate's list may
   * leave it out) is read on its own, newest first and at most MAX_INPUT_LOOKUPS of them; the
   * rest stay as listed, and a warning says that they were not looked at. A training gone
   * meanwhile (404) stays as listed too.
   */
  private async withInputs(trainings: Training[]): Promise<Training[]> {
    const read: Training[] = [];
    let lookups = 0;
    let unread = 0;
    for (const training of trainings) {
      if (isObject(training.input)) {
        read.push(training);
      } else if (lookups >= MAX_INPUT_LOOKUPS) {
        unread++;
        read.push(training);
      } else {
        lookups++;
        read.push(
          await this.client.training(training.id).catch((error: unknown) => {
            // Gone since the list was read; any other failure ends the look, as a list's would.
            if (error instanceof HttpError && error.status === 404) return training;
            throw error;
          }),
        );
      }
    }
    if (unread > 0) {
      log.warning(
        `Replicate's trainings list left out the input of ${lookups + unread} trainings; the newest ${lookups} were read one by one, and the ${unread} older ones were not, so an earlier training of this dataset among them would not be found.`,
      );
    }
    return read;
  }

  /** The account's trainings of the trainer, newest first, as far as MAX_PAGES reaches. */
  private async trainerTrainings(): Promise<Training[]> {
    const all = await this.pages((next) => this.client.trainings(next), 'trainings');
    return all.filter(isTrainerTraining);
  }

  private allFiles(): Promise<ReplicateFile[]> {
    return this.pages((next) => this.client.files(next), 'files');
  }

  private pages<T>(
    read: (next?: string) => Promise<Page<T>>,
    what: 'trainings' | 'files',
  ): Promise<T[]> {
    return readPages(
      async (next) => {
        const page = await read(next);
        return { items: page.results, next: page.next };
      },
      MAX_PAGES,
      (count) => {
        if (what === 'trainings') this.listCut = count;
        log.warning(
          `Replicate lists more than ${count} ${what}; only the newest ${count} were looked at${what === 'trainings' ? ': an older training of this dataset is not found, and would be trained again' : ''}.`,
        );
      },
    );
  }
}

// ---- pure readers of trainings ---------------------------------------------------------------

/** Replicate's status words in the pipeline's stages. */
export function stageOf(status: string): Stage {
  switch (status) {
    case 'starting':
      return 'queued';
    case 'processing':
      return 'training';
    case 'succeeded':
      return 'ready';
    case 'failed':
    case 'aborted':
      return 'failed';
    case 'canceled':
    case 'cancelled':
      return 'cancelled';
    default:
      return 'unknown';
  }
}

/** A training that has not failed and was not cancelled: adopting it pays nothing. */
function usable(training: Training): boolean {
  const stage = stageOf(training.status);
  return stage !== 'failed' && stage !== 'cancelled';
}

/** A training of the trainer this action uses (the list holds every model's). */
function isTrainerTraining(training: Training): boolean {
  const model = typeof training.model === 'string' ? training.model.split(':')[0] : undefined;
  return model === TRAINER;
}

function inputImages(training: Training): string | undefined {
  const value = training.input?.input_images;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Where the training writes: Replicate returns no `destination` (the official client reads it
 * from `output.version`, `owner/name:version`, once the training has succeeded); a record that
 * does carry one is read too. Undefined while it cannot be told.
 */
export function destinationOf(training: Training): string | undefined {
  if (typeof training.destination === 'string' && training.destination) {
    return training.destination;
  }
  const output = training.output;
  const version = isObject(output) && typeof output.version === 'string' ? output.version : '';
  const at = version.indexOf(':');
  return at > 0 ? version.slice(0, at) : undefined;
}

/**
 * The Files API id in a URL that names one (`https://api.replicate.com/v1/files/<id>`, also with
 * an extension or a `/download` after it, on any host: `api-url` may be a proxy).
 */
export function fileIdOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parts: string[];
  try {
    parts = new URL(url).pathname.split('/');
  } catch {
    return undefined;
  }
  const at = parts.lastIndexOf('files');
  const segment = at >= 0 ? parts[at + 1] : undefined;
  if (!segment || parts[at - 1] !== 'v1') return undefined;
  return decodeURIComponent(segment).replace(/\.[A-Za-z0-9]+$/, '');
}

/**
 * The training was given `url` as its dataset: the same URL (signing parameters aside), or the
 * same uploaded file written another way (Replicate may echo a file's URL in another of its
 * forms, docs/replicate.md).
 */
export function sameData(training: Training, url: string): boolean {
  const given = inputImages(training);
  if (!given) return false;
  // A link signed anew on each run names the same file.
  if (given === url || unsignedUrl(given) === unsignedUrl(url)) return true;
  const id = fileIdOf(given);
  return id !== undefined && id === fileIdOf(url);
}

/** The training was given one of these files as its dataset. */
export function usesFile(training: Training, files: ReplicateFile[]): boolean {
  const url = inputImages(training);
  if (!url) return false;
  const id = fileIdOf(url);
  return files.some((f) => f.urls.get === url || (id !== undefined && f.id === id));
}

function errorOf(error: unknown): string | undefined {
  if (typeof error === 'string') return error.trim() || undefined;
  if (error === null || error === undefined) return undefined;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  return JSON.stringify(error);
}

/** The training as it came, but its `logs` cut to their last lines (they grow to megabytes). */
function withLogTail(training: Training): Training {
  const logs = training.logs;
  if (typeof logs !== 'string' || logs.length <= LOG_TAIL_CHARS) return training;
  return { ...training, logs: `…${logs.slice(-LOG_TAIL_CHARS)}` };
}

/** The newest of several by `created_at` (the list's order among equals: newest first). */
function newestMade<T extends { created_at?: string }>(items: T[]): T | undefined {
  return newest(items, (item) => timeIn(item.created_at));
}
