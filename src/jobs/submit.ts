/**
 * The lost-answer submit protocol: the rule that keeps a run from paying twice for one model.
 * A submit whose answer is lost is never blindly repeated: the provider is asked whether the job
 * came into being, and only when it surely did not is the submit sent again. Kept apart from
 * train.ts so that the rule can be tested against a fake provider, one case at a time
 * (__tests__/submit.test.ts).
 */
import * as log from '../shared/log.js';
import { CancelledError, sleep } from '../shared/cancellation.js';
import { ActionError } from '../shared/errors.js';
import { HttpError } from '../http/send.js';
import type { Report } from '../report/report.js';
import { backoffDelay, type RetryPolicy } from '../http/retry.js';
import type { LostSubmit, Provider, SubmitPlan } from '../providers/provider.js';
import { checkJob } from './job.js';

/** What the protocol needs of the provider: submitting, and asking after a lost answer. */
export type SubmitProvider = Pick<
  Provider,
  'submit' | 'afterLostSubmit' | 'label' | 'inFlightAdvice'
>;

/**
 * Submits, never blindly twice. When the answer is lost (a reset, a timeout, 5xx or 429) the job
 * may exist anyway: the provider looks (afterLostSubmit), and a job it finds is taken as this
 * run's own; only when it is sure none was created is the submit sent again; when it cannot
 * tell, nothing is sent again and the step fails saying how to find the job. Returns true when
 * a job was found after a lost answer.
 */
export async function submitOnce(
  provider: SubmitProvider,
  plan: SubmitPlan,
  report: Report,
  retry: RetryPolicy,
): Promise<boolean> {
  // True while a submit has been sent and neither its answer nor a look has settled its fate.
  let unsettled = false;
  // The second look after a lost answer waits the longest retry delay: once a run, so that
  // repeated lost answers do not stretch the submit far past its retry budget.
  let lookedAgain = false;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        unsettled = true;
        const job = await provider.submit(plan);
        unsettled = false;
        report.setFinetuneId(job.id);
        report.setJob(job);
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
        let after = await lookAfterLost(provider, plan, error);
        if (after.found === 'none' && after.lookAgain && !lookedAgain) {
          lookedAgain = true;
          // A create still under way when its answer was lost may not be listed yet: a second
          // look, once it has had time, before anything is sent again.
          const wait = Math.min(retry.maxDelayMs, retry.maxTotalMs);
          log.info(
            `${provider.label} does not show the job yet; looking once more in ${Math.ceil(wait / 1000)} s before submitting again.`,
          );
          await sleep(wait);
          after = await lookAfterLost(provider, plan, error);
        }
        unsettled = false;
        if (after.found === 'unknown') {
          throw new ActionError(
            `The answer to the submit of ${plan.name} was lost (${error.message}), and ${after.why}. Nothing was sent again, so it cannot have been paid for twice.`,
            after.hint,
          );
        }
        if (after.found !== 'none') {
          const job = after.found;
          // It is the job this run created, not a reused one.
          report.setFinetuneId(job.id);
          report.setJob(job);
          checkJob(provider.label, job);
          log.info(
            `The job was created despite the lost answer: fine-tune ${job.id}. Not submitting again.`,
          );
          return true;
        }
        if (attempt >= retry.attempts) {
          error.message = `${error.message} (gave up after ${attempt} submits; ${after.gaveUp})`;
          throw error;
        }
        log.info(`${after.log}; submitting again.`);
      }
    }
  } catch (error) {
    if (error instanceof CancelledError && unsettled) error.submitInFlight = plan.name;
    throw error;
  }
}

/**
 * What a lost answer left behind. A request that never reached the provider (no connection was
 * made) created nothing, whoever the provider is; otherwise the provider looks. When looking fails
 * too, nothing is sent again, and the step says how to find the job.
 */
async function lookAfterLost(
  provider: SubmitProvider,
  plan: SubmitPlan,
  error: HttpError,
): Promise<LostSubmit> {
  if (error.notDelivered) {
    return {
      found: 'none',
      log: `The submit never reached ${provider.label}, so nothing was created`,
      gaveUp: `it never reached ${provider.label}, so nothing was created and a re-run is safe`,
    };
  }
  try {
    return await provider.afterLostSubmit(plan, error);
  } catch (lookupError) {
    if (!(lookupError instanceof ActionError)) throw lookupError;
    throw new ActionError(
      `The answer to the submit of ${plan.name} was lost (${error.message}), and looking at ${provider.label} for whether it was created failed too: ${lookupError.message} Nothing was sent again.`,
      provider.inFlightAdvice(plan.name),
    );
  }
}
