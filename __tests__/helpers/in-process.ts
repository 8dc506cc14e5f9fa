// Runs the action's run() (src/main.ts) inside the test process, as the runner would run the
// bundle: every input of action.yml as an INPUT_* variable (defaults overridden by the test),
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and RUNNER_TEMP as files and folders.
// Everything it changes (environment, exit code, signal handlers, the files) is put back or
// removed before it resolves, so tests can run one after another in one worker. Unlike the
// end-to-end tests (a child process running the bundle), this measures coverage of src/.
import * as core from '@actions/core';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { vi } from 'vitest';
import { inputVariable, parseOutputFile, readActionInputs } from '../../scripts/action-runner.js';

export interface InProcessOptions {
  workspace: string;
  env?: Record<string, string>;
  eventName?: string;
  event?: unknown;
}

export interface InProcessResult {
  /** True when the run called core.setFailed (the step would fail). */
  failed: boolean;
  /** The ::error:: text, unescaped. */
  failure: string;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** What the run left in RUNNER_TEMP (it must leave nothing). */
  tempLeft: string[];
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runInProcess(
  inputs: Record<string, string>,
  options: InProcessOptions,
): Promise<InProcessResult> {
  const defaults = await readActionInputs();
  for (const name of Object.keys(inputs)) {
    if (!(name in defaults)) throw new Error(`runInProcess: action.yml has no input named ${name}`);
  }
  const home = await mkdtemp(path.join(tmpdir(), 'in-process-'));
  const runnerTemp = path.join(home, 'runner-temp');
  const outputFile = path.join(home, 'github-output');
  const summaryFile = path.join(home, 'step-summary');
  const eventFile = path.join(home, 'event.json');
  await mkdir(runnerTemp);
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  await writeFile(eventFile, JSON.stringify(options.event ?? {}));

  const env: Record<string, string | undefined> = {};
  // The runner gives a step only its own inputs; proxies of this machine stay out.
  for (const key of Object.keys(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_)/.test(key) || /_proxy$/i.test(key)) env[key] = undefined;
  }
  const token = options.env?.GITHUB_TOKEN ?? '';
  for (const [name, spec] of Object.entries(defaults)) {
    const fallback = spec.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
    env[inputVariable(name)] = inputs[name] ?? fallback;
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: 'octo-org/flux-models',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    RUNNER_TEMP: runnerTemp,
    ...options.env,
  });

  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const listeners = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const exitCode = process.exitCode;
  const write = vi.spyOn(process.stdout, 'write');
  setEnv(env);
  try {
    const { run } = await import('../../src/main.js');
    await run();
    const stdout = write.mock.calls.map(([chunk]) => String(chunk)).join('');
    return {
      failed: process.exitCode === 1,
      failure: stdout
        .split('\n')
        .filter((l) => l.startsWith('::error'))
        .map((l) =>
          l
            .replace(/^::error[^:]*::/, '')
            .replace(/%0A/g, '\n')
            .replace(/%25/g, '%'),
        )
        .join('\n'),
      stdout,
      outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8'),
      tempLeft: await readdir(runnerTemp),
    };
  } finally {
    write.mockRestore();
    setEnv(saved);
    process.exitCode = exitCode;
    // run() installs SIGINT/SIGTERM handlers once per process: they must not outlive the test.
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!listeners.get(signal)!.includes(listener)) process.removeListener(signal, listener);
      }
    }
    // @actions/core keeps the summary's file path from its first write: forget it.
    core.summary.emptyBuffer();
    (core.summary as unknown as { _filePath?: string })._filePath = undefined;
    await rm(home, { recursive: true, force: true });
  }
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
