/** Segmind behind the provider seam: its client, its records as jobs, its reuse by name. */
import type { RetryPolicy } from '../../http/retry.js';
import type { ModelSource } from '../../transfer/download.js';
import {
  STAGE_ORDER,
  type DatasetZip,
  type Job,
  type JobList,
  type LostSubmit,
  type Provider,
  type SubmitPlan,
} from '../provider.js';
import { SegmindClient, type FinetuneRecord, type SubmitRequest } from './client.js';
import { isFailureStatus, recordError, STATUS_ORDER, statusRank } from './job.js';
import { segmindModelSource } from './weights.js';

/** A Segmind record as a job; `id` is the id it was asked for by, when it was. */
export function segmindJob(record: FinetuneRecord, id = idOf(record)): Job {
  const status = typeof record.status === 'string' ? record.status : '';
  const rank = statusRank(status);
  const url = record.cloud_storage_url;
  return {
    id,
    name: typeof record.name === 'string' && record.name ? record.name : undefined,
    status,
    stage: isFailureStatus(status) ? 'failed' : rank >= 0 ? STAGE_ORDER[rank]! : 'unknown',
    error: recordError(record),
    modelUrl: typeof url === 'string' && url ? url : undefined,
    slug: typeof record.slug === 'string' && record.slug ? record.slug : undefined,
    record,
  };
}

/** The id details takes: `finetune_id`, or `id` where a record has no other. */
function idOf(record: FinetuneRecord): string {
  const id = record.finetune_id ?? record.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** The submit body, exactly as Segmind documents it. */
function submitRequest(plan: SubmitPlan): SubmitRequest {
  const s = plan.settings;
  return {
    name: plan.name,
    data_source_path: plan.dataUrl,
    instance_prompt: s.instancePrompt,
    trigger_word: s.triggerWord,
    base_model: s.baseModel,
    theme: s.theme,
    segmind_public: s.isPublic,
    advance_parameters: {
      iterations: s.iterations,
      captioning: s.captioning,
      priority: setting(s.priority, 'priority'),
      finetune_type: setting(s.finetuneType, 'finetuneType'),
      lora_rank: setting(s.loraRank, 'loraRank'),
      learning_rate: setting(s.learningRate, 'learningRate'),
    },
  };
}

/**
 * A setting Segmind's offer always fills in (its defaults depend on other settings, such as the
 * learning rate on the fine-tune type): missing here is a bug, never a reason to guess a default.
 */
function setting<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`the Segmind submit has no ${name}: its offer sets one`);
  return value;
}

function idlessByName(records: FinetuneRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (idOf(r) === '' && typeof r.name === 'string') {
      counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
    }
  }
  return counts;
}

/** A job of this name that has not failed: training it again would pay twice for the same model. */
export function findReusable(records: FinetuneRecord[], name: string): FinetuneRecord | undefined {
  return records.find(
    (r) =>
      r.name === name &&
      idOf(r) !== '' &&
      !recordError(r) &&
      !(typeof r.status === 'string' && isFailureStatus(r.status)),
  );
}

export class SegmindProvider implements Provider {
  readonly name = 'segmind';
  readonly label = 'Segmind';
  readonly knownStatuses = STATUS_ORDER;
  readonly weightsName = 'cloud_storage_url';
  /** The ids listed before the submit: a job among them was not created by it. */
  private known = new Set<string>();
  /** Records listed before the submit without an id, by name (they cannot be told apart). */
  private idless = new Map<string, number>();

  constructor(
    readonly client: SegmindClient,
    private readonly retry: RetryPolicy,
  ) {}

  async findReusable(plan: { name: string }): Promise<Job | undefined> {
    const records = await this.client.list();
    this.known = new Set(records.map(idOf));
    this.idless = idlessByName(records);
    const found = findReusable(records, plan.name);
    return found && segmindJob(found);
  }

  async upload(zip: DatasetZip): Promise<string> {
    const { uploadZip } = await import('./upload.js');
    return uploadZip(this.client, zip.fileName, zip.path, zip.bytes, this.retry);
  }

  async submit(plan: SubmitPlan): Promise<Job> {
    const answer = await this.client.submit(submitRequest(plan));
    const status = answer.status ?? 'REQUESTED';
    return {
      id: answer.finetuneId,
      name: answer.name ?? plan.name,
      status,
      stage: 'queued',
      record: answer,
    };
  }

  /**
   * The list, asked again: a job of this name that was not there before (`known`) is this run's
   * own. A job that was there before never counts: it was not adopted for a reason (it failed).
   */
  async afterLostSubmit(plan: SubmitPlan): Promise<LostSubmit> {
    const records = await this.client.list();
    const appeared = records.find(
      (r) => r.name === plan.name && idOf(r) !== '' && !this.known.has(idOf(r)),
    );
    if (appeared) return { found: segmindJob(appeared) };
    // A new record of this name without an id may be the job, but cannot be followed or told
    // from another: neither adopted nor sent again.
    const idless = idlessByName(records).get(plan.name) ?? 0;
    if (idless > (this.idless.get(plan.name) ?? 0)) {
      return {
        found: 'unknown',
        why: `Segmind's list now shows a job named ${plan.name} without an id`,
        hint: this.inFlightAdvice(plan.name),
      };
    }
    return {
      found: 'none',
      log: `No job named ${plan.name} was created`,
      gaveUp: `the list shows no job named ${plan.name}, so none was created and a re-run is safe`,
    };
  }

  async get(id: string): Promise<Job> {
    return segmindJob(await this.client.details(id), id);
  }

  async list(): Promise<JobList> {
    const records = await this.client.list();
    return { raw: records, jobs: records.map((r) => segmindJob(r)) };
  }

  async setAccess(id: string, isPublic: boolean): Promise<void> {
    await this.client.setAccess(id, isPublic);
  }

  modelSource(job: Job): ModelSource {
    return segmindModelSource(this.client, job.record as FinetuneRecord, job.id);
  }

  targetWord(waitFor: 'TRAINING_COMPLETED' | 'AVAILABLE'): string {
    return waitFor;
  }

  inFlightAdvice(name: string): string {
    return `The submit of job ${name} had been sent but not answered, so the job may exist at Segmind. Re-run with the same dataset and settings: the run finds a job of that name and adopts it instead of training twice (\`command: list\` shows it).`;
  }
}
