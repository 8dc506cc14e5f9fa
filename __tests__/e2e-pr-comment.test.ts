// The sticky pull-request comment, end to end: the bundled action (dist/index.js, or ACTION_ENTRY)
// runs as the runner runs it, with GITHUB_API_URL pointing at the loopback fake GitHub, so the real
// @actions/github client (auth, pagination, errors) talks to it over HTTP.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOptions, RunResult } from '../scripts/action-runner.js';
import {
  startFakeGitHub,
  type FakeComment,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '../simulator/fake-github.js';
import {
  MAX_COMMENT_CHARS,
  commentBody,
  commentKey,
  findOwnComment,
  hasMarker,
} from '../src/report/pr-comment.js';
import { Report } from '../src/report/report.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { API_KEY, run, sampleDataset, simulator, workspace } from './helpers/e2e.js';
import { jpeg, png } from './helpers/images.js';
import { readerWith } from './helpers/inputs.js';
import { readConfig } from '../src/inputs.js';

const OWNER = 'octo-org';
const REPO = 'flux-models';
const PR = 7;
const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };

/** A `pull_request` payload as GitHub sends it, trimmed to what matters here. */
const PR_EVENT = {
  action: 'synchronize',
  number: PR,
  pull_request: {
    number: PR,
    head: { ref: 'new-photos', sha: '0123456789abcdef0123456789abcdef01234567' },
    base: { ref: 'main' },
  },
  repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
};

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeGitHub(options?: FakeGitHubOptions): Promise<FakeGitHub> {
  const gh = await startFakeGitHub(options);
  fakes.push(gh);
  return gh;
}

interface PrRun {
  inputs?: Record<string, string>;
  token?: string;
  eventName?: string;
  event?: unknown;
  sim?: Parameters<typeof run>[0];
}

/** One run of the action on pull request #7; a dry run unless the inputs say otherwise. */
function onPullRequest(gh: FakeGitHub, ws: string, options: PrRun = {}): Promise<RunResult> {
  const extra: RunOptions = {
    eventName: options.eventName ?? 'pull_request',
    event: options.event ?? PR_EVENT,
    env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: options.token ?? 'gh-token' },
  };
  return run(
    options.sim,
    ws,
    { 'dry-run': options.sim ? 'false' : 'true', ...options.inputs },
    extra,
  );
}

/** The comments carrying the marker for this key, oldest first. */
function marked(gh: FakeGitHub, key = 'dataset/**'): FakeComment[] {
  return gh.comments(OWNER, REPO, PR).filter((c) => c.body.includes(commentMarker(key)));
}

/** Writes to the fake GitHub (POST, PATCH; not the GraphQL identity query), as `METHOD path`. */
function writes(gh: FakeGitHub, from = 0): string[] {
  return gh.requests
    .slice(from)
    .filter((r) => r.method !== 'GET' && r.path !== '/graphql')
    .map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

/** Workflow-command lines of one kind (`warning`, `error`), with their properties parsed. */
function annotations(
  result: RunResult,
  kind: 'warning' | 'error' | 'notice',
): { properties: Record<string, string>; message: string }[] {
  return result.stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind} `) || l.startsWith(`::${kind}::`))
    .map((l) => {
      const match = /^::\w+(?: ([^:]*))?::(.*)$/.exec(l)!;
      const properties: Record<string, string> = {};
      for (const pair of (match[1] ?? '').split(',').filter(Boolean)) {
        const at = pair.indexOf('=');
        properties[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
      }
      return { properties, message: match[2]!.replace(/%0A/g, '\n').replace(/%25/g, '%') };
    });
}

describe('the sticky pull-request comment (dist/index.js against the fake GitHub)', () => {
  it('two runs on one PR leave exactly one comment, edited in place; an unchanged run does not edit it', async () => {
    // Two comments a page, and other people's comments around ours: the lookup must paginate.
    const gh = await fakeGitHub({ pageSize: 2 });
    for (const text of ['LGTM', 'Which photos are new?', 'The mugs on the left'])
      gh.addComment(OWNER, REPO, PR, text);
    const ws = await workspace(sampleDataset());

    const first = await onPullRequest(gh, ws);
    expect(first.code, first.stdout).toBe(0);
    const [posted, ...others] = marked(gh);
    expect(others).toEqual([]);
    expect(posted!.user).toEqual(BOT);
    expect(posted!.body.startsWith('<!-- segmind-flux-finetune: dataset/** -->\n')).toBe(true);
    // The same Markdown as the job summary.
    expect(posted!.body).toContain(first.summary.trim());
    // The default provider, Segmind, trains no more: the verdict says so beside the dataset's.
    expect(posted!.body).toMatch(
      /⚠️ \*\*The dataset is ready \(its job name: `[\w-]+`\), the provider is not\.\*\* 3 images, 2 captions.*Segmind takes no new trainings.*`provider: fal`/,
    );
    expect(writes(gh)).toEqual([`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`]);

    // More discussion, then a push that adds an image: a new derived job name, the same comment.
    for (const text of ['Added one more', 'ok']) gh.addComment(OWNER, REPO, PR, text);
    await writeFile(path.join(ws, 'dataset/d.jpg'), jpeg(640, 640));
    const before = gh.requests.length;
    const second = await onPullRequest(gh, ws);
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs.name).not.toBe(first.outputs.name);
    const [edited, ...more] = marked(gh);
    expect(more).toEqual([]);
    expect(edited!.id).toBe(posted!.id);
    expect(edited!.body).not.toBe(posted!.body);
    expect(edited!.body).toMatch(/\| Images \| 4 \|/);
    expect(edited!.body).toContain(second.outputs.name);
    expect(edited!.updated_at > edited!.created_at).toBe(true);
    expect(writes(gh, before)).toEqual([
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${posted!.id}`,
    ]);
    // Six comments, two a page: the action's sat on page 2, and every page was read.
    expect(
      gh.requests.slice(before).filter((r) => r.method === 'GET' && r.path.includes('/comments'))
        .length,
    ).toBe(3);

    // Nothing changed: no edit at all.
    const unchanged = gh.requests.length;
    const third = await onPullRequest(gh, ws);
    expect(third.code, third.stdout).toBe(0);
    expect(writes(gh, unchanged)).toEqual([]);
    expect(third.stdout).toMatch(/comment on pull request #7 is up to date/);
    expect(marked(gh)[0]!.updated_at).toBe(edited!.updated_at);
    expect(gh.comments(OWNER, REPO, PR)).toHaveLength(6);
  });

  it('never edits a comment someone else wrote, even with the marker pasted in', async () => {
    const gh = await fakeGitHub();
    const ws = await workspace(sampleDataset());
    const pasted = gh.addComment(
      OWNER,
      REPO,
      PR,
      `${commentMarker('dataset/**')}\nI copied the bot's comment`,
    );

    const first = await onPullRequest(gh, ws);
    expect(first.code, first.stdout).toBe(0);
    await writeFile(path.join(ws, 'dataset/d.jpg'), jpeg(640, 640));
    const second = await onPullRequest(gh, ws);
    expect(second.code, second.stdout).toBe(0);

    const [human, bot, ...rest] = marked(gh);
    expect(rest).toEqual([]);
    expect(human).toEqual(pasted);
    expect(bot!.user).toEqual(BOT);
    expect(bot!.body).toMatch(/\| Images \| 4 \|/);
    expect(writes(gh).filter((w) => w.startsWith('POST'))).toHaveLength(1);
    // The default token cannot learn its login (GET /user is 403), so it looked for a bot's.
    expect(gh.requests.some((r) => r.path === '/user')).toBe(true);
  });

  it("with a personal access token, edits that user's comment and not the bot's", async () => {
    const gh = await fakeGitHub({
      tokens: { 'pat-1': { login: 'release-bot-user', type: 'User' } },
    });
    const ws = await workspace(sampleDataset());
    const botsOwn = gh.addComment(OWNER, REPO, PR, `${commentMarker('dataset/**')}\nold`, BOT);

    const first = await onPullRequest(gh, ws, { token: 'pat-1' });
    expect(first.code, first.stdout).toBe(0);
    await writeFile(path.join(ws, 'dataset/d.jpg'), jpeg(640, 640));
    const second = await onPullRequest(gh, ws, { token: 'pat-1' });
    expect(second.code, second.stdout).toBe(0);

    const [bot, mine, ...rest] = marked(gh);
    expect(rest).toEqual([]);
    expect(bot).toEqual(botsOwn);
    expect(mine!.user.login).toBe('release-bot-user');
    expect(mine!.body).toMatch(/\| Images \| 4 \|/);
    expect(writes(gh).map((w) => w.split(' ')[0])).toEqual(['POST', 'PATCH']);
  });

  it('keeps one comment per dataset: a matrix over folders gets one each, a `name` input keys its own', async () => {
    const gh = await fakeGitHub();
    const ws = await workspace({ ...sampleDataset('mugs'), ...sampleDataset('cats') });
    for (const dataset of ['mugs/**', 'cats/**', 'mugs/**']) {
      const result = await onPullRequest(gh, ws, { inputs: { dataset } });
      expect(result.code, result.stdout).toBe(0);
    }
    const named = await onPullRequest(gh, ws, { inputs: { dataset: 'mugs/**', name: 'mug-v1' } });
    expect(named.code, named.stdout).toBe(0);
    expect(marked(gh, 'mugs/**')).toHaveLength(1);
    expect(marked(gh, 'cats/**')).toHaveLength(1);
    expect(marked(gh, 'mug-v1')).toHaveLength(1);
    expect(gh.comments(OWNER, REPO, PR)).toHaveLength(3);
  });

  it('a token that may not comment (a fork PR) gives one warning and the step succeeds', async () => {
    const gh = await fakeGitHub({ tokens: { 'fork-token': { ...BOT, canWrite: false } } });
    const ws = await workspace(sampleDataset());
    const result = await onPullRequest(gh, ws, { token: 'fork-token' });
    expect(result.code, result.stdout).toBe(0);
    const warnings = annotations(result, 'warning').filter((w) => /comment/.test(w.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/#7: GitHub answered 403/);
    expect(warnings[0]!.message).toMatch(/forks get a read-only token/);
    expect(warnings[0]!.message).toMatch(/`permissions: pull-requests: write`/);
    expect(gh.comments(OWNER, REPO, PR)).toEqual([]);
    expect(result.summary).toMatch(/The dataset is ready.*, the provider is not/);
  });

  it('an empty github-token warns once and sends nothing to GitHub', async () => {
    const gh = await fakeGitHub();
    const result = await onPullRequest(gh, await workspace(sampleDataset()), { token: '' });
    expect(result.code, result.stdout).toBe(0);
    const warnings = annotations(result, 'warning').filter((w) => /comment/.test(w.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/`github-token` input is empty.*forks/s);
    expect(gh.requests).toEqual([]);
  });

  it('a push posts nothing; a pull_request event without a PR, or pr-comment: false, skips quietly', async () => {
    const gh = await fakeGitHub();
    const ws = await workspace(sampleDataset());
    const results = [
      await onPullRequest(gh, ws, { eventName: 'push', event: { ref: 'refs/heads/main' } }),
      await onPullRequest(gh, ws, { event: {} }),
      await onPullRequest(gh, ws, { inputs: { 'pr-comment': 'false' } }),
    ];
    for (const result of results) {
      expect(result.code, result.stdout).toBe(0);
      expect(annotations(result, 'warning').filter((w) => /comment/.test(w.message))).toEqual([]);
    }
    expect(gh.requests).toEqual([]);
  });

  it('comments on pull_request_target too', async () => {
    const gh = await fakeGitHub();
    const result = await onPullRequest(gh, await workspace(sampleDataset()), {
      eventName: 'pull_request_target',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(marked(gh)).toHaveLength(1);
    // It says what that event checks: the workspace, by default the base branch.
    expect(marked(gh)[0]!.body).toMatch(
      /^<!-- [^\n]+ -->\n> \*\*Note:\*\* this ran on `pull_request_target`.*base branch/,
    );
  });

  it('annotates each dataset problem on its file, relative to the workspace, and says the dataset is not ready', async () => {
    const gh = await fakeGitHub();
    const ws = await workspace({
      'dataset/a.jpg': jpeg(1024, 1024),
      'dataset/people/b.jpg': png(600, 600, 2), // a PNG named .jpg: a warning
      'dataset/broken.png': 'this is no image', // unreadable: the step fails
    });
    const result = await onPullRequest(gh, ws);
    expect(result.code).toBe(1);

    const errors = annotations(result, 'error').filter((a) => a.properties.title === 'Dataset');
    expect(errors).toEqual([
      {
        properties: { file: 'dataset/broken.png', title: 'Dataset' },
        message: expect.stringMatching(/^dataset\/broken\.png is no readable JPEG, PNG or WebP/),
      },
    ]);
    const misnamed = annotations(result, 'warning').find((a) => /PNG image named/.test(a.message));
    expect(misnamed?.properties.file).toBe('dataset/people/b.jpg');
    expect(result.stdout).not.toContain(`file=${ws}`);

    // The failed dry run still comments, and says why the dataset is not ready.
    const [comment] = marked(gh);
    expect(comment!.body).toMatch(/dry run, the dataset is not ready to train/);
    expect(comment!.body).toMatch(/❌ \*\*Not ready to train\.\*\* 1 error in the dataset/);
    expect(comment!.body).toMatch(/❌ `dataset\/broken\.png is no readable/);
    expect(comment!.body).toMatch(/⚠️ `dataset\/people\/b\.jpg is a PNG image named \.jpg/);
    expect(comment!.body).toMatch(/Re-export them as JPEG, PNG or WebP/);
    expect(comment!.body).toContain(result.summary.trim());
  });

  it('after a real train, shows the job and reuse, and never a secret', async () => {
    const gh = await fakeGitHub();
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const first = await onPullRequest(gh, ws, { sim });
    expect(first.code, first.stdout).toBe(0);
    let [comment] = marked(gh);
    expect(comment!.body).toContain(`| Fine-tune id | \`${first.outputs['finetune-id']}\` |`);
    expect(comment!.body).toMatch(/\| Reused \| no: a new job was submitted \|/);
    expect(comment!.body).toMatch(/\| REQUESTED \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| 0 s \|/);

    // Segmind finishes the job; the next push with the same dataset adopts it.
    const job = sim.jobs.get(first.outputs['finetune-id']!)!;
    Object.assign(job, {
      status: 'AVAILABLE',
      cloud_storage_url: 'https://models.example.test/flux/mug.safetensors',
      slug: 'octo/mug',
    });
    const second = await onPullRequest(gh, ws, { sim });
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs.reused).toBe('true');
    const all = marked(gh);
    expect(all).toHaveLength(1);
    comment = all[0];
    expect(comment!.body).toMatch(/reused existing job \(AVAILABLE\)/);
    expect(comment!.body).toMatch(/\| Reused \| yes: an existing job/);
    expect(comment!.body).toContain(
      '| Model URL | `https://models.example.test/flux/mug.safetensors` |',
    );

    for (const r of gh.requests.filter((q) => q.method !== 'GET')) {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('gh-token');
      expect(text).not.toMatch(/X-Amz-Signature=(?!\*)/i);
    }
  });
});

describe('finding the comment again (unit)', () => {
  const marker = commentMarker('dataset/**');
  const comment = (id: number, body: string, login: string, type = 'User') => ({
    id,
    body,
    user: { login, type },
  });

  it('takes the oldest of its own identity only, github-actions[bot] when unknown', () => {
    const comments = [
      comment(1, `${marker}\npasted`, 'octocat'),
      comment(2, `${marker}\nanother app`, 'other-app[bot]', 'Bot'),
      comment(3, `${marker}\nours`, 'github-actions[bot]', 'Bot'),
      comment(4, `${marker}\nours again`, 'github-actions[bot]', 'Bot'),
      comment(5, `quoted: ${marker} in the middle`, 'github-actions[bot]', 'Bot'),
    ];
    expect(findOwnComment(comments, marker, undefined)?.id).toBe(3);
    expect(findOwnComment(comments, marker, 'octocat')?.id).toBe(1);
    expect(findOwnComment(comments, marker, 'other-app[bot]')?.id).toBe(2);
    expect(findOwnComment(comments.slice(0, 1), marker, undefined)).toBeUndefined();
    // Another bot's comment is never taken for the default token's.
    expect(findOwnComment(comments.slice(0, 2), marker, undefined)).toBeUndefined();
    expect(findOwnComment([comments[4]!], marker, undefined)).toBeUndefined();
  });

  it('matches the marker exactly: at the start, or as a whole line; never inside a line', () => {
    expect(hasMarker(`${marker}\nbody`, marker)).toBe(true);
    expect(hasMarker(marker, marker)).toBe(true);
    expect(hasMarker(`text\n${marker}\n`, marker)).toBe(true);
    expect(hasMarker(`text\r\n  ${marker}  \r\nmore`, marker)).toBe(true);
    expect(hasMarker(`Title: Fix the mugs ${marker}`, marker)).toBe(false);
    expect(hasMarker(`${marker} and more`, marker)).toBe(false);
    expect(hasMarker(`> ${marker}`, marker)).toBe(false);
    expect(hasMarker(`${commentMarker('dataset/**x')}\n`, marker)).toBe(false);
    expect(hasMarker(null, marker)).toBe(false);
  });

  it('keys the marker by name, else dataset-url, else the patterns; escapes what would break it', async () => {
    const key = async (inputs: Record<string, string>) =>
      commentKey(readConfig(await readerWith({ 'dry-run': 'true', ...inputs })));
    expect(await key({})).toBe('dataset/**');
    expect(await key({ dataset: 'a/**\n!a/raw/**' })).toBe('a/**\n!a/raw/**');
    expect(await key({ 'dataset-url': 'https://x.test/d.zip' })).toBe('https://x.test/d.zip');
    expect(await key({ name: 'mug-v1', 'dataset-url': 'https://x.test/d.zip' })).toBe('mug-v1');
    // A signed link: the key drops the query, which holds the signature and changes with it.
    expect(
      await key({ 'dataset-url': 'https://x.test/d.zip?X-Amz-Signature=abc&X-Amz-Date=1#f' }),
    ).toBe('https://x.test/d.zip');

    const tricky = commentMarker('a--b-->\n<c>%');
    expect(tricky).toBe('<!-- segmind-flux-finetune: a-%2Db-%2D%3E%0A%3Cc%3E%25 -->');
    expect(tricky.slice(4, -3)).not.toMatch(/--|>|\n/);
    expect(commentMarker('a--b')).not.toBe(commentMarker('a-b'));
    expect(commentMarker('a-%2Db')).not.toBe(commentMarker('a--b'));
  });

  it('builds a body under the comment size limit that starts with the marker and holds no secret', async () => {
    const config = readConfig(
      await readerWith({ 'api-key': 'sk-live-0123456789', 'github-token': 'ghs_abcdefghij' }),
    );
    const report = Object.assign(new Report(), {
      failure: `Segmind said sk-live-0123456789 and ghs_abcdefghij ${'x'.repeat(200_000)}`,
      problems: Array.from({ length: 5_000 }, (_, i) => ({
        severity: 'warning' as const,
        message: `dataset/${'deep/'.repeat(40)}${i}.jpg is small.`,
      })),
    });
    const body = commentBody(config, report);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.startsWith(`${commentMarker('dataset/**')}\n### `)).toBe(true);
    expect(body).not.toContain('sk-live-0123456789');
    expect(body).not.toContain('ghs_abcdefghij');
    expect(body).toContain('Segmind said *** and ***');
  });
});
