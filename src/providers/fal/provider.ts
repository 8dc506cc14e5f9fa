/**
 * fal behind the provider seam: FLUX.1 [dev] and FLUX.2 [dev] LoRA trainers on fal's queue.
 *
 * Never paying twice on fal rests on its request history, which lists a request with its input
 * (`expand=payloads`): the action's upload is named `<job name>.zip` (fal's URL for it ends in
 * `<id>_<job name>.zip`), so a request whose input is that file is the one this dataset and
 * these settings already paid for. The history lists a
 * request once it has finished (it is sorted and filtered by how requests ended); a request
 * still queued or training is found by a re-run only once it has finished. docs/providers.md
 * says how far back it reaches and what the action does at its edges.
 */
import * as log from '../../shared/log.js';
import { unsignedUrl } from '../../dataset/dataset-url.js';
import { ActionError } from '../../shared/errors.js';
import { nothingToDownload } from '../../jobs/job.js';
import { HttpError } from '../../http/send.js';
import type { RetryPolicy } from '../../http/retry.js';
import type { TrainingSettings } from '../../inputs.js';
import { isObject } from '../../shared/json.js';
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
import {
  FalClient,
  falHosts,
  requestIdHeader,
  type HistoryItem,
  type HistoryQuery,
  type QueueStatus,
} from './client.js';
import { falInput, TRAINERS, trainerOf } from './mapping.js';
import { madeAfterChange, madeSince, newest, readPages, sameInput, timeIn } from '../matching.js';

/** How far back reuse looks: as far as fal keeps a request findable by its id. */
const HISTORY_DAYS = 90;
/** Pages of 100 requests read at most: a hostile or endless cursor must end. */
const MAX_HISTORY_PAGES = 50;
/**
 * Answers without a request id after which fal's own clients send again: the request was not
 * queued. Not 504: a gateway that timed out cannot say whether it had passed the request on.
 */
const NOT_QUEUED_STATUSES = new Set([429, 502, 503]);

export interface FalOptions {
  apiUrl: string;
  apiKey: string;
  retry: RetryPolicy;
  settings: TrainingSettings;
}

export class FalProvider implements Provider {
  readonly name = 'fal';
  readonly label = 'fal';
  readonly knownStatuses = ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED'] as const;
  readonly weightsName = 'LoRA file';
  private readonly client: FalClient;
  private readonly settings: TrainingSettings;
  private readonly retry: RetryPolicy;
  /** The trainer each request id was found on (status and result need it). */
  private readonly endpoints = new Map<string, string>();
  /** Every request the history showed before the submit: none of them is this run's. */
  private readonly seen = new Set<string>();
  /** What the history reached back to, when fal refused the 90 days asked for. */
  private reach = `the last ${HISTORY_DAYS} days`;
  /** When this run first sent its training request (its lost answer is looked up after it). */
  private firstSubmitAt: number | undefined;

  constructor(options: FalOptions) {
    this.client = new FalClient(falHosts(options.apiUrl), options.apiKey, options.retry);
    this.settings = options.settings;
    this.retry = options.retry;
  }

  // ---- reuse ----------------------------------------------------------------------------------

  async findReusable(plan: ReusePlan): Promise<Job | undefined> {
    const trainer = trainerOf(plan.settings);
    const items = await this.history([trainer.endpoint]);
    for (const item of items) this.seen.add(item.request_id);
    const expected = falInput(plan.settings);
    const matches = items.filter((item) => {
      const input = item.json_input;
      if (!isObject(input)) return false;
      const url = input[trainer.dataField];
      if (typeof url !== 'string') return false;
      if (plan.datasetUrl) {
        return (
          // A link signed anew on each run names the same file.
          unsignedUrl(url) === unsignedUrl(plan.datasetUrl) &&
          sameInput(input, expected) &&
          madeAfterChange(timeIn(item.sent_at ?? item.started_at), plan.datasetModifiedAt)
        );
      }
      // The upload is named `<job name>.zip`, and fal keeps that name at the URL's end.
      return isUploadOf(url, `${plan.name}.zip`);
    });
    const latest = newest(
      matches.filter((item) => historyStage(item) !== 'failed'),
      timeOf,
    );
    if (!latest) {
      // fal keeps no input for a request sent with `X-Fal-Store-IO: 0` or whose payloads were
      // deleted: such a request cannot be told apart, and the training about to be made may be
      // a second one.
      const blind = items.filter((item) => !isObject(item.json_input)).length;
      if (blind > 0) {
        log.warning(
          `fal's history holds ${blind} request${blind === 1 ? '' : 's'} of ${trainer.endpoint} without ${blind === 1 ? 'its' : 'their'} input (payloads not stored, or deleted), so reuse could not compare ${blind === 1 ? 'it' : 'them'} with this dataset: if one trained it already, \`command: cancel\` stops the new training.`,
        );
      }
      return undefined;
    }
    this.endpoints.set(latest.request_id, trainer.endpoint);
    const job = this.historyJob(latest, plan.name);
    // A request that finished has its output in the history; any other is asked as it stands.
    return job.modelUrl ? job : { ...(await this.get(latest.request_id)), name: plan.name };
  }

  // ---- upload and submit ----------------------------------------------------------------------

  async upload(zip: DatasetZip): Promise<string> {
    const { uploadToFal } = await import('./upload.js');
    const url = await uploadToFal(this.client, zip, this.retry);
    if (!isUploadOf(url, zip.fileName)) {
      // Reuse finds a training by this name; a URL of another shape would make every re-run pay.
      log.warning(
        `fal stored the dataset under a name other than ${zip.fileName} (its URL ends in ${fileNameOf(url) ?? 'nothing'}), so a re-run cannot find this training by its name and would train again: start this workflow only when the dataset changes (a \`paths\` filter, README "Retrain when the dataset changes").`,
      );
    }
    return url;
  }

  async submit(plan: SubmitPlan): Promise<Job> {
    this.firstSubmitAt ??= Date.now();
    const trainer = trainerOf(plan.settings);
    const answer = await this.client.submit(trainer.endpoint, {
      [trainer.dataField]: plan.dataUrl,
      ...falInput(plan.settings),
    });
    const id = answer.request_id!;
    this.endpoints.set(id, trainer.endpoint);
    return { ...this.job(id, trainer.endpoint, answer), name: plan.name };
  }

  /**
   * fal has no way to make a submit idempotent, so a lost answer is settled from what is known:
   * the id in the answer's header (the body was lost, the request exists); a rate limit or a
   * gateway refusal without an id (nothing was queued, as fal's own clients take it); else the
   * history, where a request of this data and these settings that was not there before the
   * submit is this run's. A request still queued is not in the history, so when it does not
   * show, the action cannot tell and sends nothing again.
   */
  async afterLostSubmit(plan: SubmitPlan, error: HttpError): Promise<LostSubmit> {
    const trainer = trainerOf(plan.settings);
    const id = requestIdHeader(error.headers);
    if (id) {
      this.endpoints.set(id, trainer.endpoint);
      try {
        return { found: { ...(await this.get(id)), name: plan.name } };
      } catch (lookupError) {
        if (!(lookupError instanceof ActionError)) throw lookupError;
        if (lookupError instanceof HttpError && lookupError.status === 404) {
          // fal named a request it does not have (an edge that stamps an id on a refusal): it
          // was not queued under that id, and the rules below decide.
          log.info(`fal's answer named request ${id}, which fal does not have.`);
        } else {
          // The request exists (fal named it); where it stands, the wait finds out.
          log.warning(`Asking fal about request ${id} failed: ${lookupError.message}`);
          return { found: { ...this.job(id, trainer.endpoint, { status: '' }), name: plan.name } };
        }
      }
    }
    if (error.status !== undefined && NOT_QUEUED_STATUSES.has(error.status)) {
      // Without an id, or with one fal does not have (the 404 above).
      const why = id ? `naming request ${id}, which fal does not have` : 'without a request id';
      return {
        found: 'none',
        log: `fal answered HTTP ${error.status} ${why}, so nothing was queued`,
        gaveUp: `fal answered HTTP ${error.status} ${why}, so nothing was queued and a re-run is safe`,
      };
    }
    const expected = falInput(plan.settings);
    const items = await this.history([trainer.endpoint], false);
    const found = newest(
      items.filter(
        (item) =>
          !this.seen.has(item.request_id) &&
          isObject(item.json_input) &&
          item.json_input[trainer.dataField] === plan.dataUrl &&
          sameInput(item.json_input, expected) &&
          // A URL of the action's own upload names this run's file alone. A dataset-url can be
          // another run's too: a request of it that was still training when this run looked (the
          // history lists finished ones) is older than this run's submit.
          (plan.uploaded ||
            madeSince(timeIn(item.sent_at ?? item.started_at), this.firstSubmitAt ?? Date.now())),
      ),
      timeOf,
    );
    if (found) {
      this.endpoints.set(found.request_id, trainer.endpoint);
      return { found: this.historyJob(found, plan.name) };
    }
    return {
      found: 'unknown',
      why: 'fal may have queued it: its request history lists a request only once it has finished, so this run cannot tell',
      hint: this.findItHint(plan, trainer.endpoint),
    };
  }

  private findItHint(plan: SubmitPlan, endpoint: string): string {
    const sent = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const by = plan.uploaded
      ? `by the uploaded file's name, ${plan.name}.zip`
      : 'by its dataset URL and settings';
    return (
      `Look in fal's dashboard (Requests of ${endpoint}) for a request sent at about ${sent} whose input names ${plan.dataUrl}. ` +
      `Once it has finished, re-running this workflow adopts it (it is found ${by}); re-running before then may train a second time. ` +
      `If there is none, re-run to train.`
    );
  }

  // ---- the job --------------------------------------------------------------------------------

  async get(id: string): Promise<Job> {
    const { endpoint, status } = await this.locate(id);
    return this.withResult(id, endpoint, status);
  }

  /** The status of `id`, on the trainer it was sent to (tried in turn when not known). */
  private async locate(id: string): Promise<{ endpoint: string; status: QueueStatus }> {
    const known = this.endpoints.get(id);
    const first = trainerOf(this.settings).endpoint;
    const order = known
      ? [known]
      : [
          first,
          ...Object.values(TRAINERS)
            .map((t) => t.endpoint)
            .filter((e) => e !== first),
        ];
    let notFound: HttpError | undefined;
    for (const endpoint of order) {
      try {
        const status = await this.client.status(endpoint, id);
        this.endpoints.set(id, endpoint);
        return { endpoint, status };
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 404)) throw error;
        notFound ??= error;
      }
    }
    throw new HttpError({
      what: notFound!.what,
      status: 404,
      transient: false,
      serverMessage: notFound!.serverMessage,
      message: `fal has no request ${id} on ${order.join(' or ')} (HTTP 404: ${notFound!.serverMessage})`,
      hint: notFound!.hint,
    });
  }

  /** A completed request's output (or failure) read from its result, where fal still keeps it. */
  private async withResult(id: string, endpoint: string, status: QueueStatus): Promise<Job> {
    if (status.status !== 'COMPLETED') return this.job(id, endpoint, status);
    const result = await this.client.result(endpoint, id);
    if (status.error) {
      // The result of a failed request is the trainer's own answer: its details, where they add to
      // what the status said (which field of the input was wrong, say).
      const more = result.status >= 400 && result.message && !status.error.includes(result.message);
      return this.job(
        id,
        endpoint,
        more ? { ...status, error: `${status.error} (${result.message})` } : status,
      );
    }
    if (result.status >= 200 && result.status < 300 && isObject(result.body)) {
      return this.job(id, endpoint, status, result.body);
    }
    if (result.status === 400 && /progress|not (yet )?(completed|finished)/i.test(result.message)) {
      // The status said COMPLETED a moment before the result was ready: not done yet.
      return { ...this.job(id, endpoint, status), stage: 'training' };
    }
    if (result.status === 404 || result.status === 410) {
      // fal keeps a result for an hour or so; its history keeps the output longer.
      const [item] = await this.client
        .history({ endpoints: [endpoint], requestId: id })
        .then((page) => page.items);
      if (item && isObject(item.json_output))
        return this.job(id, endpoint, status, item.json_output);
      return this.job(
        id,
        endpoint,
        status,
        undefined,
        'fal no longer keeps this request’s result (it keeps one for about an hour after the request ends), and its history has no output for it, so its LoRA cannot be found from here',
      );
    }
    if (result.status >= 500) {
      // The status said the request succeeded: a server error now is fal's, not the trainer's.
      throw new HttpError({
        what: `fal GET /${endpoint}/requests/{id}`,
        status: result.status,
        transient: true,
        serverMessage: result.message || '(no message)',
        hint: 'fal had a server error. Re-run the job later; if it persists, check https://status.fal.ai or contact fal support.',
      });
    }
    return this.job(
      id,
      endpoint,
      status,
      undefined,
      result.message || `fal answered HTTP ${result.status} for its result`,
    );
  }

  private job(
    id: string,
    endpoint: string,
    status: QueueStatus,
    output?: Record<string, unknown>,
    failure?: string,
  ): Job {
    const word = status.status;
    const error = status.error ?? failure;
    let stage: Stage;
    if (word === 'IN_QUEUE') stage = 'queued';
    else if (word === 'IN_PROGRESS') stage = 'training';
    else if (word !== 'COMPLETED') stage = 'unknown';
    else if (error)
      stage = /cancel/i.test(`${error} ${status.error_type ?? ''}`) ? 'cancelled' : 'failed';
    else stage = 'ready';
    const record = {
      ...status,
      request_id: id,
      endpoint_id: endpoint,
      ...(output ? { output } : {}),
    };
    return {
      id,
      status: word,
      stage,
      error: error ?? undefined,
      modelUrl: loraUrl(output),
      slug: output ? trainerByEndpoint(endpoint)?.inference : undefined,
      record,
    };
  }

  /** A request as the history has it: finished (with its output), failed, or (rarely) pending. */
  private historyJob(item: HistoryItem, name?: string): Job {
    const endpoint =
      item.endpoint_id ?? this.endpoints.get(item.request_id) ?? trainerOf(this.settings).endpoint;
    const stage = historyStage(item);
    const output = isObject(item.json_output) ? item.json_output : undefined;
    const status: QueueStatus = {
      status: stage === 'training' ? 'IN_PROGRESS' : 'COMPLETED',
      ...(stage === 'failed' ? { error: outputMessage(output) ?? `HTTP ${item.status_code}` } : {}),
    };
    const job = this.job(item.request_id, endpoint, status, stage === 'ready' ? output : undefined);
    return { ...job, name: name ?? jobNameOf(item, endpoint), record: item };
  }

  // ---- list, cancel, download -----------------------------------------------------------------

  async list(): Promise<JobList> {
    const endpoints = Object.values(TRAINERS).map((t) => t.endpoint);
    const items = await this.history(endpoints);
    items.sort((a, b) => (timeOf(b) || 0) - (timeOf(a) || 0));
    return {
      raw: items,
      jobs: items.map((item) => this.historyJob(item)),
      scope: `fal lists the requests of ${this.reach} once they have finished; queued and training ones are not listed.`,
    };
  }

  async cancel(id: string): Promise<Job> {
    const { endpoint } = await this.locate(id);
    const answer = await this.client.cancel(endpoint, id);
    if (answer.status === 'NOT_FOUND') {
      throw new ActionError(
        `fal has no request ${id} to cancel on ${endpoint} (HTTP ${answer.httpStatus}: NOT_FOUND).`,
        'Check the `finetune-id` input (the `finetune-id` output of the step that trained it) and that the key belongs to the same fal account.',
      );
    }
    if (answer.status === 'ALREADY_COMPLETED') {
      log.info(`fal request ${id} had finished already; there was nothing to cancel.`);
    } else {
      log.info(`fal answered the cancel of ${id} with ${answer.status}.`);
    }
    try {
      const job = await this.get(id);
      if (job.stage === 'training') {
        // fal passes a cancel to a running trainer, which decides (its docs): it may finish.
        log.warning(
          `fal request ${id} was training: fal passed the cancel to the trainer, which may still finish it (and fal may bill it). Check later with \`command: status\`.`,
        );
      }
      return job;
    } catch (error) {
      // A request removed from the queue may be gone from it altogether.
      if (!(error instanceof HttpError && error.status === 404)) throw error;
      return {
        id,
        status: answer.status,
        stage: 'cancelled',
        record: { request_id: id, endpoint_id: endpoint, status: answer.status },
      };
    }
  }

  modelSource(job: Job): ModelSource {
    const output =
      isObject(job.record) && isObject(job.record.output) ? job.record.output : undefined;
    const file =
      output && isObject(output.diffusers_lora_file) ? output.diffusers_lora_file : undefined;
    const url = loraUrl(output);
    if (!url) {
      throw nothingToDownload(
        `fal request ${job.id} has no LoRA file`,
        job,
        'It finished, but its output has no diffusers_lora_file; check the request in fal’s dashboard.',
      );
    }
    const size =
      file && typeof file.file_size === 'number' && file.file_size > 0 ? file.file_size : undefined;
    return { provider: 'fal', refreshable: false, size, link: () => Promise.resolve({ url }) };
  }

  targetWord(): string {
    return 'COMPLETED';
  }

  readonly rerunCaveat =
    "fal's request history lists a request only once it has finished, so re-running this workflow before then trains, and pays, again: follow it with `command: status` instead.";

  inFlightAdvice(name: string): string {
    return (
      `The submit of job ${name} had been sent to fal but not answered, so fal may have queued it. ` +
      `fal's request history lists a request once it has finished: look for it in fal's dashboard (Requests of ${trainerOf(this.settings).endpoint}) before re-running; once it has finished, a re-run adopts it.`
    );
  }

  // ---- the history ----------------------------------------------------------------------------

  /**
   * Every request of `endpoints` in the history, page by page. `wide` asks for 90 days back;
   * should fal refuse a start that far back, the history of its default 24 hours is read, and
   * said so.
   */
  private async history(endpoints: string[], wide = true): Promise<HistoryItem[]> {
    const start = wide
      ? new Date(Date.now() - HISTORY_DAYS * 24 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
      : undefined;
    try {
      return await this.pages({ endpoints, start });
    } catch (error) {
      if (!(
        start &&
        error instanceof HttpError &&
        (error.status === 400 || error.status === 422)
      )) {
        throw error;
      }
      this.reach = 'the last 24 hours';
      log.warning(
        `fal refused a request history reaching back ${HISTORY_DAYS} days (${error.serverMessage}); looking at its default, the last 24 hours. A training older than that is not found, and would be trained again.`,
      );
      return this.pages({ endpoints });
    }
  }

  private pages(query: HistoryQuery): Promise<HistoryItem[]> {
    return readPages(
      async (cursor) => {
        const answer = await this.client.history({ ...query, cursor });
        return { items: answer.items, next: answer.nextCursor };
      },
      MAX_HISTORY_PAGES,
      (count) =>
        log.warning(
          `fal's request history has more than ${count} requests; only the newest ${count} were looked at: an older training of this dataset is not found, and would be trained again.`,
        ),
    );
  }
}

/** The trained LoRA's URL in a trainer's output. */
function loraUrl(output: Record<string, unknown> | undefined): string | undefined {
  const file =
    output && isObject(output.diffusers_lora_file) ? output.diffusers_lora_file : undefined;
  return file && typeof file.url === 'string' && file.url ? file.url : undefined;
}

function trainerByEndpoint(endpoint: string) {
  return Object.values(TRAINERS).find((t) => t.endpoint === endpoint);
}

/** Where a history item stands: finished well, failed, or not finished (no status code yet). */
function historyStage(item: HistoryItem): Stage {
  const code = item.status_code;
  if (code === null || code === undefined) return item.ended_at ? 'failed' : 'training';
  return code >= 200 && code < 300 ? 'ready' : 'failed';
}

function outputMessage(output: Record<string, unknown> | undefined): string | undefined {
  if (!output) return undefined;
  const detail = output.detail ?? output.error;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => (isObject(d) && typeof d.msg === 'string' ? d.msg : JSON.stringify(d)))
      .join('; ');
  }
  return undefined;
}

/** The newest of the times a history item carries, for picking the latest of several. */
function timeOf(item: HistoryItem): number {
  for (const value of [item.ended_at, item.started_at, item.sent_at]) {
    const time = timeIn(value);
    if (!Number.isNaN(time)) return time;
  }
  return NaN;
}

/** The last segment of a URL's path, decoded; undefined for what is not a URL. */
function fileNameOf(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split('/').pop();
    return segment ? decodeURIComponent(segment) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * fal's CDN serves a file at `/files/<word>/<id>_<file name>`, the id a nanoid (21 characters of
 * A-Z, a-z, 0-9, `_` and `-`): the shape of every fal URL seen in public code and logs. The
 * contract's one upload example shows only `…/dataset.zip`, so both shapes are read.
 */
const CDN_ID_PREFIX = /^[A-Za-z0-9_-]{21}_/;
const CDN_ID_PREFIX_LENGTH = 22;

/**
 * Whether `segment` starts with such an id. A random one has a capital or a digit (all but one
 * in 30 million do); a name's first 21 characters and an underscore (`stable_diffusion_lora_x`)
 * mostly have neither, so the list does not cut them off.
 */
function startsWithCdnId(segment: string): boolean {
  return CDN_ID_PREFIX.test(segment) && /[A-Z0-9]/.test(segment.slice(0, CDN_ID_PREFIX_LENGTH - 1));
}

/** Whether `url` is where a file uploaded as `fileName` is: its last segment, after fal's id. */
function isUploadOf(url: string, fileName: string): boolean {
  const segment = fileNameOf(url);
  if (segment === undefined) return false;
  if (segment === fileName) return true;
  return (
    segment.length === CDN_ID_PREFIX_LENGTH + fileName.length &&
    startsWithCdnId(segment) &&
    segment.endsWith(fileName)
  );
}

/** The job name a request of the action's carries: its uploaded ZIP's name, without `.zip`. */
function jobNameOf(item: HistoryItem, endpoint: string): string | undefined {
  const trainer = trainerByEndpoint(endpoint);
  const url = trainer && isObject(item.json_input) ? item.json_input[trainer.dataField] : undefined;
  let name = typeof url === 'string' ? fileNameOf(url) : undefined;
  if (name && name.length > CDN_ID_PREFIX_LENGTH && startsWithCdnId(name)) {
    name = name.slice(CDN_ID_PREFIX_LENGTH);
  }
  return name?.toLowerCase().endsWith('.zip') ? name.slice(0, -4) : undefined;
}
