/** Segmind behind the provider seam: its client, its records as jobs, its reuse by name. */
import type { RetryPolicy } from '../../http/retry.js';
import type { ModelSource } from '../../transfer/download.js';
import {
  STAGE_ORDER,
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
export function idOf(record: FinetuneRecord): string {
  return String(record.finetune_id ?? record.id);
}

/** The submit body, exactly as Segmind documents it. */
export function submitRequest(plan: SubmitPlan): SubmitRequest {
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
      priority: s.priority ?? 'QUALITY',
      finetune_type: s.finetuneType ?? 'FULL',
      lora_rank: s.loraRank ?? 32,
      learning_rate: s.learningRate ?? 0.00001,
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

export class SegmindProvider implements Provider {
  readonly name = 'segmind';
  readonly label = 'Segmind';
  readonly knownStatuses = STATUS_ORDER;
  readonly weightsName = 'cloud_storage_url';
  /** The ids listed before the submit: a job among them was not created by it. */
  private known = new Set<string>();

  constructor(
    readonly client: SegmindClient,
    private readonly retry: RetryPolicy,
  ) {}

  async findReusable(plan: { name: string }): Promise<Job | undefined> {
    const records = await this.client.list();
    this.known = new Set(records.map(idOf));
    const found = findReusable(records, plan.name);
    return found && segmindJob(found);
  }

  async upload(zip: { path: string; bytes: number; fileName: string }): Promise<string> {
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
    const appeared = records.find((r) => r.name === plan.name && !this.known.has(idOf(r)));
    if (appeared) return { found: segmindJob(appeared) };
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
