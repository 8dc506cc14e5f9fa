// The test harness itself: the temporary-folder check of every run (setup/temp-dir.ts) and the
// tools some tests need, which must be reported when missing rather than skipped in silence.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { leftoverMessage, leftovers } from './setup/temp-dir.js';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the temporary-folder check', () => {
  it('runs every test in a fresh temporary folder of its own', () => {
    expect(path.basename(tmpdir())).toMatch(/^vitest-run-/);
  });

  it('lists what was left, folders with their contents, and nothing for an empty folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'harness-'));
    made.push(dir);
    expect(await leftovers(dir)).toEqual([]);
    await mkdir(path.join(dir, 'action-run-x', 'runner-temp'), { recursive: true });
    await writeFile(path.join(dir, 'stray.zip'), '');
    expect(await leftovers(dir)).toEqual([
      'action-run-x/',
      'action-run-x/runner-temp',
      'stray.zip',
    ]);
  });

  it('says where, how many and what, in a bounded message', () => {
    const found = Array.from({ length: 45 }, (_, i) => `e2e-ws-${i}/`);
    const message = leftoverMessage('/tmp/vitest-run-1', found);
    expect(message).toMatch(
      /^The tests left 45 file\(s\) or folder\(s\) in the temporary folder \/tmp\/vitest-run-1:/,
    );
    expect(message).toContain('  e2e-ws-39/');
    expect(message).not.toContain('e2e-ws-40/');
    expect(message).toContain('... and 5 more');
  });
});

describe('tools the tests need', () => {
  // zip.test.ts checks the ZIP with Info-ZIP's own integrity test, and skips that when unzip is
  // missing: this test makes the gap visible. .ci/run installs it where it can.
  it('has Info-ZIP unzip on PATH', () => {
    const found = spawnSync('unzip', ['-v']).status === 0;
    expect(
      found,
      'unzip (Info-ZIP) is not installed, so zip.test.ts skips its integrity test: install it (Debian/Ubuntu: apt-get install -y unzip; macOS ships it).',
    ).toBe(true);
  });
});
