// Setup file of every test file: what the code under test writes to stdout (@actions/core's log
// lines and workflow commands: ::debug::, ::add-mask:: with the tests' own fake secrets,
// ::error:: ...) is held back, and printed only for a test that fails, under its name; so is what
// a test itself logs with console.log or console.info (a randomized test's seed, the sizes a
// bound was checked at, per-image hashes): the figures that help read a failure, shown when
// there is one. A passing suite prints nothing but the reporter's lines. A test that watches
// stdout itself (vi.spyOn(process.stdout, 'write')) still sees every write. TEST_LOG=1 prints
// everything as it comes.
import { format } from 'node:util';
import { beforeEach } from 'vitest';

const LIMIT = 200_000;
const write = process.stdout.write.bind(process.stdout);
let held = '';

if (!process.env.TEST_LOG) {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    held += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (held.length > LIMIT) held = `...\n${held.slice(-LIMIT)}`;
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof process.stdout.write;
  for (const level of ['log', 'info'] as const) {
    console[level] = (...args: unknown[]): void => {
      held += `${format(...args)}\n`;
      if (held.length > LIMIT) held = `...\n${held.slice(-LIMIT)}`;
    };
  }

  beforeEach((context) => {
    held = '';
    context.onTestFailed(() => {
      if (held) write(`\n--- stdout of the failed test "${context.task.name}" ---\n${held}---\n`);
    });
  });
}
