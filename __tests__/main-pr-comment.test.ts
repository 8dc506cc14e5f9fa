// run() in process on pull_request events, against the loopback fake GitHub: the sticky comment
// (src/report/pr-comment.ts) as main.ts posts it. @actions/github reads GITHUB_API_URL and the event
// once, when first loaded, so every run in this file uses the one fake and the same PR event.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../simulator/fake-github.js';
import { sampleDataset, workspace } from './helpers/e2e.js';
import { png } from './helpers/images.js';
import { runInProcess, type InProcessResult } from './helpers/in-process.js';

const PR_EVENT = {
  action: 'synchronize',
  number: 7,
  pull_request: { number: 7, head: { ref: 'photos' }, base: { ref: 'main' } },
  repository: { name: 'flux-models', owner: { login: 'octo-org' } },
};

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({
    tokens: {
      'gh-token': { login: 'github-actions[bot]', type: 'Bot', canWrite: true },
      'read-only': { login: 'github-actions[bot]', type: 'Bot', canWrite: false },
    },
  });
});
afterAll(async () => {
  await gh.close();
});

function onPullRequest(ws: string, token: string): Promise<InProcessResult> {
  return runInProcess(
    { 'dry-run': 'true' },
    {
      workspace: ws,
      eventName: 'pull_request',
      event: PR_EVENT,
      env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: token },
    },
  );
}

describe('run() on a pull request', () => {
  it('posts one sticky comment and edits it on the next run', async () => {
    const ws = await workspace(sampleDataset());
    const first = await onPullRequest(ws, 'gh-token');
    expect(first.failed, first.stdout).toBe(false);
    const ours = () => gh.comments('octo-org', 'flux-models', 7);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toMatch(/The dataset is ready.*, the provider is not/);

    const second = await onPullRequest(ws, 'gh-token');
    expect(second.failed, second.stdout).toBe(false);
    expect(ours()).toHaveLength(1);
    expect(second.stdout).toContain('is up to date');

    await writeFile(path.join(ws, 'dataset', 'd.png'), png(600, 600, 2));
    const third = await onPullRequest(ws, 'gh-token');
    expect(third.failed, third.stdout).toBe(false);
    expect(ours()).toHaveLength(1);
    expect(third.stdout).toContain('Updated the comment on pull request #7');
    expect(ours()[0]!.body).toContain('4 images');
  });

  it('warns, without failing, when the token may not comment', async () => {
    const ws = await workspace(sampleDataset('other'));
    const result = await runInProcess(
      { 'dry-run': 'true', dataset: 'other/**' },
      {
        workspace: ws,
        eventName: 'pull_request',
        event: PR_EVENT,
        env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'read-only' },
      },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(result.stdout).toMatch(/::warning::.*comment/i);
  });

  it('warns, without failing, when there is no token to comment with', async () => {
    const ws = await workspace(sampleDataset());
    const before = gh.requests.length;
    const result = await onPullRequest(ws, '');
    expect(result.failed, result.stdout).toBe(false);
    expect(result.stdout).toMatch(/::warning::.*github-token/);
    expect(gh.requests.length).toBe(before);
  });
});
