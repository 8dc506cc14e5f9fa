import * as core from '@actions/core';
import { CancelledError, installSignalHandlers } from './cancellation.js';
import { describeError } from './errors.js';
import { readConfig, type Config } from './inputs.js';
import { Report } from './report.js';
import { defaultRetryPolicy } from './retry.js';
import { SegmindClient } from './segmind-client.js';
import { redact } from './secrets.js';
import { renderReport } from './summary.js';
import { TempDir } from './temp-dir.js';
import { train } from './train.js';

/** The action: read inputs, run the command, and report whatever happened. */
export async function run(): Promise<void> {
  installSignalHandlers();
  const report = new Report();
  const temp = new TempDir();
  let config: Config | undefined;
  try {
    config = readConfig();
    report.command = config.command;
    report.dryRun = config.dryRun;
    const retry = defaultRetryPolicy();
    // A dry run sends nothing to Segmind: it gets no client at all.
    const client = config.dryRun
      ? undefined
      : new SegmindClient(config.apiUrl, config.apiKey, retry);
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const repository =
      (process.env.GITHUB_REPOSITORY ?? '').split('/')[1] ||
      workspace.split(/[\\/]/).pop() ||
      'dataset';
    // Before any file work or request: a folder on the way that is a link leading out.
    if (config.downloadModel) {
      const { checkTarget } = await import('./download.js');
      await checkTarget(workspace, config.downloadModel);
    }

    switch (config.command) {
      case 'train':
        await train({ config, report, client, retry, temp, workspace, repository });
        break;
      default: {
        // Only these commands need it; a train run never loads it.
        const commands = await import('./commands.js');
        if (config.command === 'status') await commands.status(config, report, client!);
        else if (config.command === 'list') await commands.list(report, client!);
        else if (config.command === 'download')
          await commands.download(config, report, client!, workspace, retry);
        else await commands.setAccess(config, report, client!);
      }
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      report.cancelled = true;
      report.failure = cancellationMessage(error, config, report);
    } else {
      report.failure = describeError(error);
    }
    core.setFailed(report.failure);
  } finally {
    await temp
      .remove()
      .catch((error: unknown) =>
        core.warning(`Could not remove the temporary ZIP: ${describeError(error)}`),
      );
    await writeSummary(report);
    if (config) await postPullRequestComment(config, report);
  }
}

/**
 * What a cancelled run leaves behind: a job at Segmind keeps training (cancelling the workflow
 * does not stop it), so say which one and how to pick it up again.
 */
function cancellationMessage(
  error: CancelledError,
  config: Config | undefined,
  report: Report,
): string {
  const id = report.finetuneId;
  if (id) {
    const waitFor = config && config.waitFor !== 'none' ? config.waitFor : 'AVAILABLE';
    return (
      `${error.message} Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''} goes on at Segmind: cancelling the workflow does not stop it. ` +
      `Pick it up again with a step using \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${waitFor}\`.`
    );
  }
  if (error.submitInFlight) {
    return (
      `${error.message} The submit of job ${error.submitInFlight} had been sent but not answered, so the job may exist at Segmind. ` +
      `Re-run with the same dataset and settings: the run finds a job of that name and adopts it instead of training twice (\`command: list\` shows it).`
    );
  }
  const sent =
    config?.command === 'train' && !config.dryRun ? ' No job was submitted to Segmind.' : '';
  return `${error.message}${sent}`;
}

async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    // The runner masks secrets in the log, not in the summary: redact them here as a second guard.
    const secrets = [core.getInput('api-key').trim(), core.getInput('github-token').trim()];
    await core.summary.addRaw(redact(renderReport(report), secrets), true).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
}

async function postPullRequestComment(config: Config, report: Report): Promise<void> {
  if (!config.prComment) return;
  const event = process.env.GITHUB_EVENT_NAME;
  if (event !== 'pull_request' && event !== 'pull_request_target') return;
  try {
    const { upsertPullRequestComment } = await import('./pr-comment.js');
    await upsertPullRequestComment(config, report);
  } catch (error) {
    core.warning(`Could not post the pull-request comment: ${describeError(error)}`);
  }
}
