import * as core from '@actions/core';
import { CancelledError, installSignalHandlers } from './cancellation.js';
import { describeError } from './errors.js';
import { readConfig, type Config } from './inputs.js';
import { Report } from './report.js';
import { defaultRetryPolicy } from './retry.js';
import { SegmindClient } from './segmind-client.js';
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
    const needsClient = !(config.command === 'train' && config.dryRun);
    const client = needsClient ? new SegmindClient(config.apiUrl, config.apiKey, retry) : undefined;
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const repository =
      (process.env.GITHUB_REPOSITORY ?? '').split('/')[1] ||
      workspace.split(/[\\/]/).pop() ||
      'dataset';

    switch (config.command) {
      case 'train':
        await train({ config, report, client, retry, temp, workspace, repository });
        break;
      case 'status':
        await (await import('./commands.js')).status(config, report, client!);
        break;
      case 'list':
        await (await import('./commands.js')).list(report, client!);
        break;
      case 'set-access':
        await (await import('./commands.js')).setAccess(config, report, client!);
        break;
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      report.cancelled = true;
      const resume = report.finetuneId
        ? ` Fine-tune ${report.finetuneId} goes on at Segmind; pick it up again with \`command: status\` and \`finetune-id: ${report.finetuneId}\`.`
        : ' Nothing was submitted to Segmind.';
      report.failure = `${error.message}${resume}`;
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

async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(renderReport(report), true).write();
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
