import * as core from '@actions/core';
import * as log from './shared/log.js';
import { CancelledError, installSignalHandlers } from './shared/cancellation.js';
import { ActionError, describeError } from './shared/errors.js';
import { inFlightRequests } from './http/send.js';
import { oneOfValue, readConfig, type Config } from './inputs.js';
import { Report } from './report/report.js';
import { defaultRetryPolicy, type RetryPolicy } from './http/retry.js';
import { PROVIDER_NAMES, stageRank, type Provider } from './providers/provider.js';
import { offerOf } from './providers/offers.js';
import { createProvider, loadProvider } from './providers/index.js';

import { redact } from './shared/secrets.js';
import { renderReport } from './report/summary.js';
import { TempDir } from './shared/temp-dir.js';

/** From this stage on the weights exist (the download waits for it). */
const TRAINED = stageRank('trained');

export interface RunOptions {
  /** How requests are retried and timed out; default defaultRetryPolicy(). Tests pass a fast one. */
  retry?: RetryPolicy;
}

/** The action: read inputs, run the command, and report whatever happened. */
export async function run(options: RunOptions = {}): Promise<void> {
  installSignalHandlers();
  const report = new Report();
  const temp = new TempDir();
  let config: Config | undefined;
  let provider: Provider | undefined;

  /** Records the step's failure (the `::error::` line, the summary's failure). */
  const fail = (error: unknown): void => {
    if (error instanceof CancelledError) {
      report.cancelled = true;
      report.failure = cancellationMessage(error, config, report, provider);
    } else {
      report.failure = describeError(error);
    }
    log.setFailed(report.failure);
  };
  let ending: Promise<void> | undefined;
  /** Ends the run once: RUNNER_TEMP emptied, the summary written, the PR comment posted. */
  const end = (comment: boolean): Promise<void> =>
    (ending ??= (async () => {
      await removeTemp(temp);
      await writeSummary(report);
      if (config && comment) await postPullRequestComment(config, report);
    })());
  const disarm = installLastGuard({
    fail,
    // The guard's ending posts no comment: the network is what may have failed.
    end: () => end(false),
    ending: () => ending !== undefined,
    afterwards: () => afterCrash(report, provider),
  });

  try {
    checkRunByRunner(process.env);
    // The summary names the provider even when the inputs are refused: a missing key is the
    // usual first error, and its headline must not name another provider.
    const named = oneOfValue(core.getInput('provider').trim(), PROVIDER_NAMES);
    if (named) report.provider = offerOf(named).label;
    config = readConfig();
    const offer = offerOf(config.provider);
    report.command = config.command;
    report.provider = offer.label;
    report.plainStatusWords = offer.plainStatusWords;
    report.dryRun = config.dryRun;
    report.output('provider', config.provider);
    const retry = options.retry ?? defaultRetryPolicy();
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const repository =
      (process.env.GITHUB_REPOSITORY ?? '').split('/')[1] ||
      workspace.split(/[\\/]/).pop() ||
      'dataset';
    // A dry run sends nothing anywhere: it gets no provider at all. A train run builds its ZIP
    // first and makes its provider when it has something to send.
    const connect = async (): Promise<Provider> =>
      (provider ??= await createProvider({
        config: config!,
        retry,
        repository,
      }));

    // A command's module and its provider's client are chunks of the bundle: they load side
    // by side with the download's module below, not each after the one before. The provider is
    // made only when the command runs, as before (`afterCrash` reads whether it was).
    const loading =
      config.command === 'train'
        ? undefined
        : Promise.all([import('./commands.js'), loadProvider(config.provider)]);
    // Awaited below, or never needed when the run fails first: not an unhandled rejection.
    loading?.catch(() => undefined);
    // Before any file work or request: a folder on the way that is a link leading out.
    if (config.downloadModel || config.saveZip) {
      const { checkTarget } = await import('./transfer/download.js');
      if (config.downloadModel) await checkTarget(workspace, config.downloadModel);
      if (config.saveZip) await checkTarget(workspace, config.saveZip, 'save-zip');
    }
    switch (config.command) {
      case 'train': {
        // The dataset's code (the glob, the checks, the ZIP writer) loads for a train run only.
        const { train } = await import('./train.js');
        await train({ config, report, connect, retry, temp, workspace, repository });
        break;
      }
      default: {
        // Only these commands need it; a train run never loads it.
        const [commands] = await loading!;
        const p = await connect();
        if (config.command === 'status') await commands.status(config, report, p);
        else if (config.command === 'list') await commands.list(report, p);
        else if (config.command === 'download')
          await commands.download(config, report, p, workspace, retry);
        else if (config.command === 'cancel') await commands.cancel(config, report, p);
        else await commands.setAccess(config, report, p);
      }
    }
  } catch (error) {
    fail(error);
  } finally {
    await end(true);
    disarm();
  }
}

export interface LastGuardHooks {
  /** Records the failure (the `::error::` line and the summary's failure). */
  fail(error: unknown): void;
  /** Ends the run: empties RUNNER_TEMP and writes the summary. Settles. */
  end(): Promise<void>;
  /** True once the run's own ending has begun. */
  ending(): boolean;
  /** What to do about the job this run may have left at the provider. */
  afterwards(): string;
}

/** What the last guard needs of `process`; a test passes its own. */
export interface GuardedProcess {
  on(
    event: 'beforeExit' | 'uncaughtException' | 'unhandledRejection',
    listener: (arg: unknown) => void,
  ): unknown;
  off(
    event: 'beforeExit' | 'uncaughtException' | 'unhandledRejection',
    listener: (arg: unknown) => void,
  ): unknown;
  exit(code: number): void;
}

/**
 * The last guard: whatever happens while the run is under way, the step ends with an `::error::`
 * saying what went wrong, the summary, the outputs known so far (they are written as they become
 * known), an empty RUNNER_TEMP and exit code 1:
 * - an exception nobody caught, or a rejected promise nobody handled: fatal, reported as such;
 * - the event loop running empty while the run has not finished: something awaited an event that
 *   will never come (Node would otherwise end with exit code 13 and no word at all).
 * Returns the disarm function, called once the run ended by itself.
 */
export function installLastGuard(
  hooks: LastGuardHooks,
  proc: GuardedProcess = process,
  graceMs = 10_000,
): () => void {
  let fired = false;
  const stop = (error: unknown): void => {
    if (fired) return;
    fired = true;
    hooks.fail(error);
    // Whatever still runs must not hold the step: the ending gets `graceMs`, then the exit comes.
    setTimeout(() => proc.exit(1), graceMs).unref();
    void hooks.end().finally(() => proc.exit(1));
  };
  const onBeforeExit = (): void => {
    if (fired) return;
    if (hooks.ending()) {
      // The run's own ending (its PR comment) is what never settled: the outcome stands as it is,
      // its `::error::` (if any) printed and its summary written.
      fired = true;
      proc.exit(Number(process.exitCode ?? 0) || 0);
      return;
    }
    const pending = inFlightRequests();
    stop(
      new ActionError(
        `The action stopped before it finished: ${pending.length > 0 ? `${pending.join(', ')} never completed` : 'something it was waiting for never completed'}. Nothing more will happen in this run.`,
        `This is a bug in the action; please open an issue with this log. ${hooks.afterwards()}`,
      ),
    );
  };
  const onFatal = (error: unknown): void =>
    stop(
      new ActionError(
        `The action failed unexpectedly: ${describeError(error).split('\n')[0]}`,
        `This is a bug in the action; please open an issue with this log. ${hooks.afterwards()}`,
      ),
    );
  proc.on('beforeExit', onBeforeExit);
  proc.on('uncaughtException', onFatal);
  proc.on('unhandledRejection', onFatal);
  return () => {
    proc.off('beforeExit', onBeforeExit);
    proc.off('uncaughtException', onFatal);
    proc.off('unhandledRejection', onFatal);
  };
}

/**
 * The runner sets an INPUT_* variable for every input of action.yml (its default when the step's
 * `with:` block does not give it): with none at all, this is not a workflow step but someone
 * running the bundle by hand, who needs to hear that rather than a list of every input.
 */
function checkRunByRunner(env: NodeJS.ProcessEnv): void {
  if (Object.keys(env).some((name) => name.startsWith('INPUT_'))) return;
  throw new ActionError(
    'None of the action’s inputs is set: there is no INPUT_* variable in the environment. The GitHub runner sets one for every input of action.yml (its default when the step’s `with:` block does not give it), so this is not running as a step of a workflow.',
    'To try the action on your computer, run `npm run demo` (a training on a local stand-in for the provider) or `npm run demo -- --dataset <folder>` (a dry run of your own photos, nothing sent anywhere); see “Try it on your computer” in the README.',
  );
}

/**
 * After a crash, what the user needs about the job: one that was submitted is picked up, not
 * trained again; before the provider was reached nothing can exist; in between a training request
 * may have gone out, and not every provider can find one that is still training (fal's history
 * lists a request once it has finished), so re-running is not promised to be free.
 */
export function afterCrash(report: Report, provider: Provider | undefined): string {
  const id = report.finetuneId;
  if (id) {
    return `Fine-tune ${id} was submitted to ${report.provider}: pick it up with a step using \`command: status\` and \`finetune-id: ${id}\` rather than training again.`;
  }
  if (!provider) return `Nothing was sent to ${report.provider}, so re-running is safe.`;
  return `A training request may have reached ${report.provider}: check with \`command: list\` (or the provider's dashboard) before re-running, so as not to pay twice.`;
}

async function removeTemp(temp: TempDir): Promise<void> {
  await temp
    .remove()
    .catch((error: unknown) =>
      log.warning(`Could not remove the temporary ZIP: ${describeError(error)}`),
    );
}

/**
 * What a cancelled run leaves behind: a job at the provider keeps training (cancelling the
 * workflow does not stop it), so say which one and how to pick it up again.
 */
function cancellationMessage(
  error: CancelledError,
  config: Config | undefined,
  report: Report,
  provider: Provider | undefined,
): string {
  const id = report.finetuneId;
  const label = report.provider;
  // A download stopped half-way leaves nothing under the target's name (download.ts removes its
  // part file), and the trained model stays at the provider: say how to fetch it again.
  const downloading =
    config?.downloadModel &&
    (config.command === 'download' || stageRank(report.stage ?? 'unknown') >= TRAINED);
  if (id && downloading) {
    return (
      `${error.message} The download of fine-tune ${id}'s weights was stopped; nothing was written to ${config.downloadModel} (a file already there is untouched). ` +
      `Download them again with a step using \`command: download\` and \`finetune-id: ${id}\`.`
    );
  }
  if (id && config?.command !== 'cancel') {
    const waitFor = config && config.waitFor !== 'none' ? config.waitFor : 'AVAILABLE';
    const stop = provider?.cancel
      ? ` (\`command: cancel\` with \`finetune-id: ${id}\` stops it)`
      : '';
    return (
      `${error.message} Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''} goes on at ${label}: cancelling the workflow does not stop it${stop}. ` +
      `Pick it up again with a step using \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${waitFor}\`.` +
      (config?.command === 'train' && provider?.rerunCaveat ? ` ${provider.rerunCaveat}` : '')
    );
  }
  if (error.submitInFlight && provider) {
    return `${error.message} ${provider.inFlightAdvice(error.submitInFlight)}`;
  }
  const sent =
    config?.command === 'train' && !config.dryRun ? ` No job was submitted to ${label}.` : '';
  return `${error.message}${sent}`;
}

async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    // The runner masks secrets in the log, not in the summary: redact them here as a second guard.
    const secrets = [core.getInput('api-key').trim(), core.getInput('github-token').trim()];
    await core.summary.addRaw(redact(renderReport(report), secrets), true).write();
  } catch (error) {
    log.warning(`Could not write the job summary: ${describeError(error)}`);
  }
}

async function postPullRequestComment(config: Config, report: Report): Promise<void> {
  if (!config.prComment) return;
  const event = process.env.GITHUB_EVENT_NAME;
  if (event !== 'pull_request' && event !== 'pull_request_target') return;
  try {
    const { upsertPullRequestComment } = await import('./report/pr-comment.js');
    await upsertPullRequestComment(config, report);
  } catch (error) {
    log.warning(`Could not post the pull-request comment: ${describeError(error)}`);
  }
}
