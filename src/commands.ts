import * as log from './shared/log.js';
import type { Config } from './inputs.js';
import type { Report } from './report/report.js';
import type { RetryPolicy } from './http/retry.js';
import type { Job, Provider } from './providers/provider.js';
import { checkJob } from './jobs/job.js';
import { waitForJob } from './jobs/wait.js';

/**
 * `command: status`: the job as it stands, optionally waiting for it. Outputs follow every
 * job seen, so a wait that times out or is cancelled still leaves the latest ones.
 */
export async function status(config: Config, report: Report, provider: Provider): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  const seen = jobSeen(report);
  if (config.waitFor !== 'none') {
    // The wait's first check is the status check: it logs the status and fails on an error.
    await waitForJob(provider, id, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onJob: seen,
    });
    return;
  }
  const job = await provider.get(id);
  seen(job);
  checkJob(provider.label, job);
  log.info(
    `Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''}: ${job.status || 'no status'}`,
  );
}

/** Outputs follow every job seen: its status, model URL, slug, and the job's name. */
function jobSeen(report: Report): (job: Job) => void {
  return (job) => {
    report.setJob(job);
    if (job.name && job.name !== report.jobName) report.setJobName(job.name);
  };
}

/** `command: list`: the account's fine-tunes, as the `finetunes` output and a table. */
export async function list(report: Report, provider: Provider): Promise<void> {
  const { raw, jobs, scope } = await provider.list();
  report.finetunes = jobs;
  report.listScope = scope;
  report.output('finetunes', JSON.stringify(raw));
  log.info(`${jobs.length} fine-tune(s) on this account.${scope ? ` ${scope}` : ''}`);
  for (const job of jobs) {
    const error = job.error ? ` (${job.error})` : '';
    log.info(`  ${job.id}  ${job.status || '?'}  ${job.name ?? ''}${error}`);
  }
}

/** `command: set-access`: makes the model public or private. */
export async function setAccess(config: Config, report: Report, provider: Provider): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  // The input check lets set-access through only for a provider that has it.
  await provider.setAccess!(id, config.settings.isPublic);
  log.info(
    `Fine-tune ${id} is now ${config.settings.isPublic ? 'public' : 'private'} on ${provider.label}.`,
  );
  const job = await provider.get(id);
  jobSeen(report)(job);
}

/**
 * `command: cancel`: stops a queued or running job. A job that has finished already is said so,
 * and the step fails only when the provider refuses for another reason.
 */
export async function cancel(config: Config, report: Report, provider: Provider): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  // The input check lets cancel through only for a provider that has it.
  const job = await provider.cancel!(id);
  jobSeen(report)(job);
  log.info(`Fine-tune ${id}: ${job.status || 'no status'} after the cancel request.`);
}

/**
 * `command: download`: the trained weights of `finetune-id`, to `download-model`. With `wait-for`
 * it first waits for the job (and its weights); without, a job that has none yet fails with
 * its status.
 */
export async function download(
  config: Config,
  report: Report,
  provider: Provider,
  workspace: string,
  retry: RetryPolicy,
): Promise<void> {
  const id = config.finetuneId;
  report.setFinetuneId(id);
  const seen = jobSeen(report);
  let job: Job;
  if (config.waitFor !== 'none') {
    job = await waitForJob(provider, id, {
      target: config.waitFor,
      timeoutMs: config.waitTimeoutMs,
      intervalMs: config.pollIntervalMs,
      onJob: seen,
      needsWeights: true,
    });
  } else {
    job = await provider.get(id);
    seen(job);
    checkJob(provider.label, job);
  }
  const { downloadFile } = await import('./transfer/download.js');
  const model = await downloadFile({
    source: provider.modelSource(job),
    workspace,
    relative: config.downloadModel,
    retry,
  });
  report.setModel(model);
}
