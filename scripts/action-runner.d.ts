import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export function readActionInputs(
  file?: string,
): Promise<Record<string, { default: string; required?: string }>>;
export function inputVariable(name: string): string;
export function parseOutputFile(text: string): Record<string, string>;
export interface RunOptions {
  inputs?: Record<string, string>;
  workspace?: string;
  env?: Record<string, string>;
  eventName?: string;
  event?: unknown;
  node?: string;
  entry?: string;
  onSpawn?: (child: ChildProcess, stdout: () => string) => void;
}
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
  tempLeft: string[];
}
export function runAction(options?: RunOptions): Promise<RunResult>;
