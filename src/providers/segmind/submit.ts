/**
 * Reuse and the lost-answer submit protocol: the rules that keep a run from paying twice for one
 * model. A job of the same name that has not failed is adopted instead of submitting; a submit
 * whose answer is lost is never blindly repeated. Kept apart from train.ts so that the rules can be
 * tested against a fake client, one case at a time (__tests__/submit.test.ts).
 */
import * as log from '../../shared/log.js';
import { CancelledError, sleep } from '../../shared/cancellation.js';
import { ActionError } from '../../shared/errors.js';
import { HttpError } from '../../http/send.js';
import type { Config } from '../../inputs.js';
import type { Report } from '../../report/report.js';
import { backoffDelay, type RetryPolicy } from '../../http/retry.js';
import { type FinetuneRecord, type SegmindClient, type SubmitRequest } from './client.js';
import { checkRecord, isFailureStatus, recordError } from './job.js';

/** What the protocol needs of the client: submitting and listing. */
export type SubmitClient = Pick<SegmindClient, 'submit' | 'list'>;

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

export function adopt(report: Report, record: FinetuneRecord): void {
  const id = idOf(record);
  report.setFinetuneId(id);
  report.setReused(true);
  report.setRecord(record);
  log.info(
    `Reusing fine-tune ${id} (${record.name}, ${record.status ?? 'unknown status'}): the same dataset and settings were already submitted. Nothing was uploaded or submitted.`,
  );
}

/** The id details takes: `finetune_id`, or `id` where a record has no other. */
export function idOf(record: FinetuneRecord): string {
  return String(record.finetune_id ?? record.id);
}

/**
 * Submits, never blindly twice. When the answer is lost (a reset, a timeout, 5xx or 429) the job
 * may exist anyway, so the list is asked first and a job of this name that was not there before
 * (`knownIds`) is taken as this run's own; only when none appeared is the submit repeated. A job
 * that was there before never counts: it was not adopted for a reason (it failed). Returns true
 * when a job was adopted.
 */
export async function submitOnce(
  client: SubmitClient,
  request: SubmitRequest,
  report: Report,
  retry: RetryPolicy,
  knownIds: ReadonlySet<string>,
): Promise<boolean> {
  // True while a submit has been sent and neither its answer nor the list has settled its fate.
  let unsettled = false;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        unsettled = true;
        const answer = await client.submit(request);
        unsettled = false;
        report.setFinetuneId(answer.finetuneId);
        report.setStatus(answer.status ?? 'REQUESTED');
        return false;
      } catch (error) {
        // A refusal (4xx) created nothing: its message says why.
        if (!(error instanceof HttpError && error.transient)) {
          if (error instanceof HttpError) unsettled = false;
          throw error;
        }
        log.info(
          `The submit's answer was lost (${error.message}); checking whether the job was created anyway.`,
        );
        const asked = error.retryAfterMs ?? 0;
        // Retry-After is honoured, but within the retry budget: an hour-long one must not park
        // the step (nor overflow the timer).
        await sleep(
          Math.min(
            Math.max(asked, backoffDelay(retry, attempt), retry.baseDelayMs),
            retry.maxTotalMs,
          ),
        );
        let records: FinetuneRecord[];
        try {
          records = await client.list();
        } catch (listError) {
          if (!(listError instanceof ActionError)) throw listError;
          throw new ActionError(
            `The answer to the submit of job ${request.name} was lost (${error.message}), and listing the fine-tunes to see whether it was created failed too: ${listError.message}`,
            `A job named ${request.name} may exist at Segmind. Re-run this workflow once Segmind answers again: a re-run with the same dataset and settings finds that job by its name and adopts it instead of training twice. \`command: list\` shows it.`,
          );
        }
        const appeared = records.find((r) => r.name === request.name && !knownIds.has(idOf(r)));
        if (appeared) {
          unsettled = false;
          const id = idOf(appeared);
          // It is the job this run created, not a reused one.
          report.setFinetuneId(id);
          report.setRecord(appeared);
          checkRecord(id, appeared);
          log.info(
            `The job was created despite the lost answer: fine-tune ${id}. Not submitting again.`,
          );
          return true;
        }
        unsettled = false;
        if (attempt >= retry.attempts) {
          error.message = `${error.message} (gave up after ${attempt} submits; the list shows no job named ${request.name}, so none was created and a re-run is safe)`;
          throw error;
        }
        log.info(`No job named ${request.name} was created; submitting again.`);
      }
    }
  } catch (error) {
    if (error instanceof CancelledError && unsettled) error.submitInFlight = request.name;
    throw error;
  }
}
