import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export function readActionInputs(
  file?: string,
): Promise<Record<string, { default: string; required?: string }>>;
export function inputVariable(name: string): string;
export function parseOutputFile(text: string): Record<string, string>;
export interface StepOptions {
  inputs?: Record<string, string>;
  workspace?: string;
  env?: Record<string, string>;
  eventName?: string;
  event?: unknown;
}
export interface StepResult {
  outputs: Record<string, string>;
  summary: string;
  /** Where RUNNER_TEMP was (the folder is gone once the step is finished). */
  runnerTemp: string;
  /** What the action left in RUNNER_TEMP. */
  tempLeft: string[];
}
export interface PreparedStep {
  /** The step's whole environment. */
  env: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  /** Reads what the step left, then removes its folder. */
  finish(): Promise<StepResult>;
  /** Removes its folder. */
  discard(): Promise<void>;
}
export function prepareStep(options?: StepOptions): Promise<PreparedStep>;
export interface RunOptions extends StepOptions {
  node?: string;
  entry?: string;
  onSpawn?: (child: ChildProcess, stdout: () => string) => void;
}
export interface RunResult extends StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
export function runAction(options?: RunOptions): Promise<RunResult>;
