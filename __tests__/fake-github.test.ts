// Drives the fake GitHub API with the real @actions/github client, so the end-to-end tests that
// rely on the fake are known to exercise what Octokit actually sends and expects.
import { afterEach, describe, expect, it } from 'vitest';
import * as github from '@actions/github';
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '../simulator/fake-github.js';

const owner = 'acme';
const repo = 'widgets';
const issue_number = 7;
const DOCS_MESSAGE = 'Resource not accessible by integration';

const started: FakeGitHub[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

async function start(options?: FakeGitHubOptions): Promise<FakeGitHub> {
  const fake = await startFakeGitHub(options);
  started.push(fake);
  return fake;
}

function client(fake: FakeGitHub, token = 'gh-token') {
  return github.getOctokit(token, { baseUrl: fake.url });
}

/** The status and JSON body of the RequestError a call rejects with. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; response?: { data?: unknown } };
    if (typeof e.status !== 'number') throw error;
    return { status: e.status, data: e.response?.data };
  }
  throw new Error('expected the request to fail');
}

describe('fake GitHub: listing comments', () => {
  it('paginates through Octokit with Link headers', async () => {
    const fake = await start({ pageSize: 2 });
    const seeded = [1, 2, 3, 4, 5].map((i) => fake.addComment(owner, repo, issue_number, `c${i}`));
    fake.addComment(owner, repo, issue_number + 1, 'other issue');
    fake.addComment(owner, 'other-repo', issue_number, 'other repo');

    const octokit = client(fake);
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number,
      per_page: 100,
    });

    expect(all.map((c) => c.body)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(all.map((c) => c.id)).toEqual(seeded.map((c) => c.id));
    const gets = fake.requests.filter((r) => r.method === 'GET');
    expect(gets.map((r) => new URL(r.path, fake.url).searchParams.get('page'))).toEqual([
      null,
      '2',
      '3',
    ]);
    expect(gets.every((r) => r.path.startsWith(`/repos/${owner}/${repo}/issues/7/comments`))).toBe(
      true,
    );
  });

  it('sends GitHub-shaped Link headers', async () => {
    const fake = await start({ pageSize: 2 });
    for (let i = 1; i <= 5; i++) fake.addComment(owner, repo, issue_number, `c${i}`);
    const octokit = client(fake);
    const base = `${fake.url}/repos/${owner}/${repo}/issues/7/comments`;

    const first = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number,
      per_page: 2,
    });
    expect(first.data.map((c) => c.body)).toEqual(['c1', 'c2']);
    expect(first.headers.link).toBe(
      `<${base}?per_page=2&page=2>; rel="next", <${base}?per_page=2&page=3>; rel="last"`,
    );

    const middle = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number,
      per_page: 2,
      page: 2,
    });
    expect(middle.data.map((c) => c.body)).toEqual(['c3', 'c4']);
    expect(middle.headers.link).toBe(
      [
        `<${base}?per_page=2&page=1>; rel="prev"`,
        `<${base}?per_page=2&page=3>; rel="next"`,
        `<${base}?per_page=2&page=3>; rel="last"`,
        `<${base}?per_page=2&page=1>; rel="first"`,
      ].join(', '),
    );

    const last = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number,
      per_page: 2,
      page: 3,
    });
    expect(last.data.map((c) => c.body)).toEqual(['c5']);
    expect(last.headers.link).not.toContain('rel="next"');
    expect(last.headers.link).toContain('rel="prev"');

    const beyond = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number,
      per_page: 2,
      page: 9,
    });
    expect(beyond.data).toEqual([]);
  });

  it('clamps per_page to pageSize and omits Link on a single page', async () => {
    const fake = await start({ pageSize: 3 });
    for (let i = 1; i <= 4; i++) fake.addComment(owner, repo, issue_number, `c${i}`);
    const octokit = client(fake);

    const clamped = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number,
      per_page: 100,
    });
    expect(clamped.data).toHaveLength(3);
    expect(clamped.headers.link).toContain('page=2>; rel="next"');

    const empty = await octokit.rest.issues.listComments({ owner, repo, issue_number: 99 });
    expect(empty.status).toBe(200);
    expect(empty.data).toEqual([]);
    expect(empty.headers.link).toBeUndefined();
  });
});

describe('fake GitHub: writing comments', () => {
  it('creates then updates a comment, recording what Octokit sent', async () => {
    const fake = await start();
    const octokit = client(fake);

    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number,
      body: 'first',
    });
    expect(created.status).toBe(201);
    expect(created.data.body).toBe('first');
    expect(created.data.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    expect(created.data.html_url).toBe(
      `https://github.com/${owner}/${repo}/issues/7#issuecomment-${created.data.id}`,
    );

    const updated = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: created.data.id,
      body: 'second',
    });
    expect(updated.status).toBe(200);
    expect(updated.data.id).toBe(created.data.id);
    expect(updated.data.body).toBe('second');
    expect(updated.data.created_at).toBe(created.data.created_at);
    expect(Date.parse(updated.data.updated_at)).toBeGreaterThan(
      Date.parse(created.data.created_at),
    );
    expect(updated.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    expect(fake.comments(owner, repo, issue_number)).toEqual([updated.data]);
    // Owner/repo are case-insensitive, as on GitHub.
    expect(fake.comments('ACME', 'Widgets', issue_number)).toHaveLength(1);

    const [post, patch] = fake.requests;
    expect(post).toMatchObject({
      method: 'POST',
      path: `/repos/${owner}/${repo}/issues/7/comments`,
      body: { body: 'first' },
    });
    expect(post?.headers.authorization).toBe('token gh-token');
    expect(post?.headers.accept).toBe('application/vnd.github.v3+json');
    expect(post?.headers['user-agent']).toMatch(/octokit/i);
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `/repos/${owner}/${repo}/issues/comments/${created.data.id}`,
      body: { body: 'second' },
    });
  });

  it('comments() returns copies that cannot alter the server state', async () => {
    const fake = await start();
    fake.addComment(owner, repo, issue_number, 'seed');
    const [copy] = fake.comments(owner, repo, issue_number);
    if (copy) copy.body = 'tampered';
    expect(fake.comments(owner, repo, issue_number)[0]?.body).toBe('seed');
  });

  it("refuses to edit another user's comment with 403", async () => {
    const fake = await start();
    const human = fake.addComment(owner, repo, issue_number, 'mine', { login: 'alice' });
    expect(human.user).toEqual({ login: 'alice', type: 'User' });
    const octokit = client(fake);

    const result = await failure(
      octokit.rest.issues.updateComment({ owner, repo, comment_id: human.id, body: 'hijack' }),
    );
    expect(result.status).toBe(403);
    expect(result.data).toMatchObject({ message: DOCS_MESSAGE });
    expect(fake.comments(owner, repo, issue_number)[0]?.body).toBe('mine');
  });

  it('gives a read-only (fork) token 403 on create and update', async () => {
    const fake = await start({
      tokens: {
        'gh-token': { login: 'github-actions[bot]', type: 'Bot', canWrite: true },
        'fork-token': { login: 'github-actions[bot]', type: 'Bot', canWrite: false },
      },
    });
    const existing = fake.addComment(owner, repo, issue_number, 'old', {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    const readOnly = client(fake, 'fork-token');

    // Reading still works.
    const listed = await readOnly.paginate(readOnly.rest.issues.listComments, {
      owner,
      repo,
      issue_number,
      per_page: 100,
    });
    expect(listed).toHaveLength(1);

    const create = await failure(
      readOnly.rest.issues.createComment({ owner, repo, issue_number, body: 'x' }),
    );
    expect(create.status).toBe(403);
    expect(create.data).toEqual({
      message: DOCS_MESSAGE,
      documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//),
    });

    const update = await failure(
      readOnly.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: 'x' }),
    );
    expect(update.status).toBe(403);
    expect(update.data).toMatchObject({ message: DOCS_MESSAGE });
    expect(fake.comments(owner, repo, issue_number).map((c) => c.body)).toEqual(['old']);
  });

  it('answers 404 for unknown comments and comments of another repository', async () => {
    const fake = await start();
    const octokit = client(fake);
    const elsewhere = await octokit.rest.issues.createComment({
      owner,
      repo: 'elsewhere',
      issue_number,
      body: 'x',
    });

    const unknown = await failure(
      octokit.rest.issues.updateComment({ owner, repo, comment_id: 123, body: 'x' }),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.data).toMatchObject({ message: 'Not Found' });

    const wrongRepo = await failure(
      octokit.rest.issues.updateComment({ owner, repo, comment_id: elsewhere.data.id, body: 'x' }),
    );
    expect(wrongRepo.status).toBe(404);
  });

  it('rejects bodies GitHub would reject with 422', async () => {
    const fake = await start();
    const octokit = client(fake);
    const tooLong = await failure(
      octokit.rest.issues.createComment({ owner, repo, issue_number, body: 'x'.repeat(65537) }),
    );
    expect(tooLong.status).toBe(422);
    expect(tooLong.data).toMatchObject({ message: 'Validation Failed' });

    // A non-string body, which only a buggy caller would send.
    const notText = await failure(
      octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number,
        body: 42 as unknown as string,
      }),
    );
    expect(notText.data).toMatchObject({ message: expect.stringContaining('is not a string') });
    expect(notText.status).toBe(422);
    expect(fake.comments(owner, repo, issue_number)).toEqual([]);
  });
});

describe('fake GitHub: authentication and other routes', () => {
  it('answers 401 Bad credentials for an unknown or missing token', async () => {
    const fake = await start();
    const result = await failure(
      client(fake, 'wrong').rest.issues.listComments({ owner, repo, issue_number }),
    );
    expect(result.status).toBe(401);
    expect(result.data).toMatchObject({ message: 'Bad credentials' });

    const anonymous = await fetch(`${fake.url}/repos/${owner}/${repo}/issues/7/comments`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'Bad credentials' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.headers.authorization).toBeUndefined();
  });

  it('accepts Bearer credentials (Octokit uses them for JWT-shaped tokens)', async () => {
    const jwt = 'aaa.bbb.ccc';
    const fake = await start({ tokens: { [jwt]: { login: 'someone' } } });
    const created = await client(fake, jwt).rest.issues.createComment({
      owner,
      repo,
      issue_number,
      body: 'hi',
    });
    expect(created.data.user).toMatchObject({ login: 'someone', type: 'User' });
    expect(fake.requests[0]?.headers.authorization).toBe(`bearer ${jwt}`);
  });

  it('GET /user: 403 for a bot token, the identity for a user token', async () => {
    const fake = await start({
      tokens: {
        'gh-token': { login: 'github-actions[bot]', type: 'Bot' },
        pat: { login: 'alice', type: 'User' },
      },
    });
    const bot = await failure(client(fake).rest.users.getAuthenticated());
    expect(bot.status).toBe(403);
    expect(bot.data).toMatchObject({ message: DOCS_MESSAGE });

    const user = await client(fake, 'pat').rest.users.getAuthenticated();
    expect(user.status).toBe(200);
    expect(user.data).toEqual({ login: 'alice', type: 'User' });
  });

  it('POST /graphql: the viewer login for every kind of token, or a GraphQL error when told', async () => {
    const fake = await start({
      tokens: {
        'gh-token': { login: 'github-actions[bot]', type: 'Bot' },
        app: { login: 'flux-app[bot]', type: 'Bot' },
        pat: { login: 'alice', type: 'User' },
      },
    });
    for (const [token, login] of [
      ['gh-token', 'github-actions[bot]'],
      ['app', 'flux-app[bot]'],
      ['pat', 'alice'],
    ] as const) {
      const answer = await client(fake, token).graphql<{ viewer: { login: string } }>(
        'query { viewer { login } }',
      );
      expect(answer.viewer.login).toBe(login);
    }
    await expect(client(fake).graphql('query { repository { id } }')).rejects.toMatchObject({
      name: 'GraphqlResponseError',
    });

    const refusing = await start({ graphqlViewer: false });
    await expect(client(refusing).graphql('{ viewer { login } }')).rejects.toMatchObject({
      name: 'GraphqlResponseError',
    });
  });

  it('answers 404 JSON for anything else', async () => {
    const fake = await start();
    const octokit = client(fake);
    const pulls = await failure(octokit.rest.pulls.get({ owner, repo, pull_number: 1 }));
    expect(pulls.status).toBe(404);
    expect(pulls.data).toMatchObject({ message: 'Not Found' });

    const deleted = await failure(
      octokit.rest.issues.deleteComment({ owner, repo, comment_id: 1 }),
    );
    expect(deleted.status).toBe(404);
  });

  it('close() returns promptly despite keep-alive connections', async () => {
    const fake = await startFakeGitHub();
    const octokit = client(fake);
    await octokit.rest.issues.listComments({ owner, repo, issue_number });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), 5_000);
    });
    const outcome = await Promise.race([fake.close().then(() => 'closed'), timeout]);
    clearTimeout(timer);
    expect(outcome).toBe('closed');
    await expect(fetch(`${fake.url}/user`)).rejects.toThrow();
  });
});
