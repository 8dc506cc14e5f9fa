// Runs the action's run() (src/main.ts) inside the test process, as the runner would run the
// bundle: the same step environment runAction gives the bundle (prepareStep: every input as an
// INPUT_* variable, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, RUNNER_TEMP).
// Everything it changes (environment, exit code, signal handlers, files) is put back or removed
// before it resolves, so tests can run one after another in one worker. Unlike the end-to-end
// tests (a child process running the bundle), this lets coverage of src/ be measured.
import * as core from '@actions/core';
import { vi } from 'vitest';
import { prepareStep, type StepOptions, type StepResult } from '../../scripts/action-runner.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import { failureOf } from './e2e.js';

export interface InProcessResult extends StepResult {
  /** True when the run called core.setFailed (the step would fail). */
  failed: boolean;
  /** The ::error:: text, unescaped. */
  failure: string;
  stdout: string;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runInProcess(
  inputs: Record<string, string>,
  options: StepOptions & { workspace: string; retry?: RetryPolicy },
): Promise<InProcessResult> {
  const step = await prepareStep({ ...options, inputs });
  const saved = { ...process.env };
  const listeners = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const exitCode = process.exitCode;
  const write = vi.spyOn(process.stdout, 'write');
  replaceEnv(step.env);
  let stdout = '';
  let failed = false;
  try {
    const { run } = await import('../../src/main.js');
    await run({ retry: options.retry });
    failed = process.exitCode === 1;
    stdout = write.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    write.mockRestore();
    replaceEnv(saved);
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
  }
  return { failed, failure: failureOf({ stdout }), stdout, ...(await step.finish()) };
}

function replaceEnv(values: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in values)) delete process.env[key];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
