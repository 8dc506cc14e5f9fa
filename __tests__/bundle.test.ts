import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/action-runner.js';

// Every run loads dist/index.js; the rest of dist/ loads on demand. What a dry run does not need
// must stay out of it: undici alone costs about 85 ms of start-up (docs/performance.md).
describe('the start-up chunk, dist/index.js', () => {
  it('holds neither undici (the HTTP client) nor Octokit (the GitHub client), nor child_process, nor image-size', async () => {
    // The bundle the end-to-end tests run (the global setup sets it), else dist/.
    const entry = process.env.ACTION_ENTRY ?? path.join(ROOT, 'dist', 'index.js');
    const main = await readFile(entry, 'utf8');
    expect(main).not.toMatch(/ProxyAgent/);
    expect(main).not.toMatch(/octokit/i);
    // Only @actions/exec (inside @actions/core, for core.platform) would bring it.
    expect(main).not.toMatch(/child_process/);
    // image-size loads only for a file that is no image we train on (collect.ts).
    expect(main).not.toMatch(/unsupported file type/);
  });

  it('leaves @actions/core its stand-in @actions/exec, which says why it refuses', async () => {
    const exec = await import('../shims/core-exec/index.js');
    expect(() => exec.getExecOutput()).toThrow(/platform.getDetails is not available/);
    expect(() => exec.exec()).toThrow(/platform.getDetails is not available/);
  });

  it('is ASCII only in every chunk of its own (V8 scans such a script as one-byte text), with no String.raw to change meaning', async () => {
    const entry = process.env.ACTION_ENTRY ?? path.join(ROOT, 'dist', 'index.js');
    const dir = path.dirname(entry);
    const chunks = (await readdir(dir)).filter((name) => name.endsWith('.js'));
    expect(chunks).toContain('index.js');
    for (const name of chunks) {
      const text = await readFile(path.join(dir, name), 'utf8');
      expect(text.match(/[\u0080-\uffff]/)?.[0], name).toBeUndefined();
      expect(text, name).not.toMatch(/String\.raw/);
    }
  });

  it('leaves @actions/core its stand-in HTTP client, which says why it refuses', async () => {
    const { HttpClient } = await import('../shims/core-http-client/index.js');
    expect(() => new HttpClient()).toThrow(/getIDToken is not available in this action/);
  });
});
