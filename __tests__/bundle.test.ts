import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/action-runner.js';

// Every run loads dist/index.js; the rest of dist/ loads on demand. What a dry run does not need
// must stay out of it: undici alone costs about 85 ms of start-up (docs/performance.md).
describe('the start-up chunk, dist/index.js', () => {
  it('holds neither undici (the HTTP client) nor Octokit (the GitHub client)', async () => {
    // The bundle the end-to-end tests run (the global setup sets it), else dist/.
    const entry = process.env.ACTION_ENTRY ?? path.join(ROOT, 'dist', 'index.js');
    const main = await readFile(entry, 'utf8');
    expect(main).not.toMatch(/ProxyAgent/);
    expect(main).not.toMatch(/octokit/i);
  });

  it('leaves @actions/core its stand-in HTTP client, which says why it refuses', async () => {
    const { HttpClient } = await import('../shims/core-http-client/index.js');
    expect(() => new HttpClient()).toThrow(/getIDToken is not available in this action/);
  });
});
