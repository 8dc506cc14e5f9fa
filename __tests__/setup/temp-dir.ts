// Global setup for the whole run: every test, child process and script it starts gets a fresh,
// empty temporary folder of its own (TMPDIR, which os.tmpdir() reads on every call), so runs by
// several people on one machine do not see each other's files. When the run ends the folder must
// be empty again: anything a test made and did not remove fails the run (exit code 1), listed by
// name.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** What is in `dir`, one level deep and sorted, as relative paths (`a/`, `a/b.txt`). */
export async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) {
      found.push(entry.name);
      continue;
    }
    const inside = await readdir(path.join(dir, entry.name)).catch(() => []);
    found.push(`${entry.name}/`, ...inside.sort().map((name) => `${entry.name}/${name}`));
  }
  return found.sort();
}

export function leftoverMessage(dir: string, found: string[]): string {
  const shown = found.slice(0, 40);
  const more = found.length > shown.length ? [`... and ${found.length - shown.length} more`] : [];
  return (
    `The tests left ${found.length} file(s) or folder(s) in the temporary folder ${dir}:\n` +
    [...shown, ...more].map((line) => `  ${line}`).join('\n') +
    '\nEvery test removes what it creates (an afterEach, or try/finally).'
  );
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // With projects, every project that inherits the root's setup calls it too: one folder is enough.
  if (process.env.TEST_TMPDIR_CHECK) return undefined;
  const previous = process.env.TMPDIR;
  const dir = await mkdtemp(path.join(tmpdir(), 'vitest-run-'));
  // Workers and the action's child processes inherit the environment, so they use it too.
  process.env.TMPDIR = dir;
  process.env.TEST_TMPDIR_CHECK = dir;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env.TEST_TMPDIR_CHECK;
    const found = await leftovers(dir);
    await rm(dir, { recursive: true, force: true });
    if (found.length > 0) {
      // Vitest logs an error thrown here but keeps the exit code: set it, and say why.
      process.exitCode = 1;
      console.error(`\n${leftoverMessage(dir, found)}\n`);
    }
  };
}
