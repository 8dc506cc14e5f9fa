import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { progressLines } from '../src/transfer/progress.js';

// Progress lines once repeated ("25% (0.03 MB of 0.03 MB)" four times
// for a file smaller than one read) or lagged ("75% (2.10 MB of 2.28 MB)").

let stdout: MockInstance;
beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

function lines(): string[] {
  return stdout.mock.calls
    .map((call) => String(call[0]).trimEnd())
    .filter((line) => line.startsWith('Uploading') || line.startsWith('Downloading'));
}

describe('progressLines', () => {
  it('prints one line for a file that arrives in one piece', () => {
    const report = progressLines('Uploading', 30_000);
    report(30_000);
    expect(lines()).toEqual(['Uploading: 100% (0.03 MB of 0.03 MB)']);
  });

  it('prints the figures of the moment, one line per piece, never the same line twice', () => {
    const total = 2_280_000;
    const report = progressLines('Uploading', total);
    // Pieces of 1 MiB, as the upload reads the ZIP: the second passes both 50% and 75%.
    for (let done = 0; done < total;) {
      done = Math.min(total, done + 1_048_576);
      report(done);
    }
    expect(lines()).toEqual([
      'Uploading: 45% (1.05 MB of 2.28 MB)',
      'Uploading: 91% (2.10 MB of 2.28 MB)',
      'Uploading: 100% (2.28 MB of 2.28 MB)',
    ]);
    expect(new Set(lines()).size).toBe(lines().length);
  });

  it('prints each quarter once when pieces are small, and nothing without a size', () => {
    const report = progressLines('Downloading', 1000);
    for (let done = 10; done <= 1000; done += 10) report(done);
    expect(lines().map((l) => l.replace(/ \(.*/, ''))).toEqual([
      'Downloading: 25%',
      'Downloading: 50%',
      'Downloading: 75%',
      'Downloading: 100%',
    ]);
    const unknown = progressLines('Downloading', 0);
    unknown(5000);
    expect(lines()).toHaveLength(4);
  });
});
