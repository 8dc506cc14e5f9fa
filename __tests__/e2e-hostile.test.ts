// Hostile pull requests and hostile answers, end to end: the bundled action (dist/index.js) runs as
// the runner runs it, against the simulator and the fake GitHub, with file names, inputs and
// server answers chosen to break out. Each test reproduces one finding of the review that asked
// for inert text, and checks what the runner and GitHub would make of the output.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOptions, RunResult } from '../scripts/action-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../simulator/fake-github.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { apiRequests, failureOf, run, sampleDataset, simulator, workspace } from './helpers/e2e.js';
import { jpeg, png } from './helpers/images.js';
import { liveParts } from './helpers/inert-markdown.js';
import { startProxy } from './helpers/proxy.js';
import {
  heifGrid,
  pngChunkFlood,
  pngTextBomb,
  progressiveJpeg,
  segmentFlood,
  webpChunkFlood,
} from './helpers/images-hostile.js';
import { until } from './helpers/until.js';

const OWNER = 'octo-org';
const REPO = 'flux-models';
const PR = 7;
const PR_EVENT = {
  action: 'synchronize',
  number: PR,
  pull_request: { number: PR, head: { ref: 'x', sha: '0'.repeat(40) }, base: { ref: 'main' } },
  repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
};
const MARKER = commentMarker('dataset/**');

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function fakeGitHub(options?: Parameters<typeof startFakeGitHub>[0]): Promise<FakeGitHub> {
  const gh = await startFakeGitHub(options);
  stops.push(() => gh.close());
  return gh;
}

function onPullRequest(
  gh: FakeGitHub,
  ws: string,
  inputs: Record<string, string> = {},
  options: { sim?: Parameters<typeof run>[0]; token?: string } = {},
): Promise<RunResult> {
  const extra: RunOptions = {
    eventName: 'pull_request',
    event: PR_EVENT,
    env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: options.token ?? 'gh-token' },
  };
  return run(options.sim, ws, { 'dry-run': options.sim ? 'false' : 'true', ...inputs }, extra);
}

/** The runner's own reading of the log: lines end at CR, LF or CRLF. */
function logLines(result: RunResult): string[] {
  return result.stdout.split(/\r\n|\r|\n/);
}

/**
 * What the runner would act on that the action did not mean to write: a line that starts (after
 * whitespace) with `::` but is not one of the commands the action issues, or whose command part
 * holds the marker `INJECTED`, or any line with a legacy `##[` command.
 */
function injected(result: RunResult): string[] {
  return logLines(result).filter((line) => {
    if (line.includes('##[')) return true;
    const command = /^\s*::([^:]*)::/.exec(line);
    if (!command) return /^\s*::/.test(line);
    if (!/^(error|warning|notice|debug|add-mask)( |$)/.test(command[1]!)) return true;
    if (command[1]!.includes('INJECTED')) return true;
    return line.startsWith('::add-mask::') && line.includes('INJECTED');
  });
}

/** The log as the runner shows it: every `::add-mask::` value replaced by `***`. */
function masked(result: RunResult): string {
  const masks = logLines(result)
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n'))
    .map((l) => l.replace(/%25/g, '%'))
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  let text = logLines(result)
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const mask of masks) text = text.split(mask).join('***');
  return text;
}

describe('hostile pull requests and answers, end to end', () => {
  it('finding 1: file names with CR, HTML, mentions and headings stay text in the comment, the summary and the log', async () => {
    const gh = await fakeGitHub();
    const ws = await workspace({
      ...sampleDataset(),
      // The names of the review (a `/` in them makes folders, as it did there).
      'dataset/a\r<a href="https://attacker.example/approve"><img src="https://attacker.example/APPROVED.png"></a>\r.jpg':
        jpeg(600, 600),
      'dataset/b\r@octocat please review and merge other-org/other-repo#1\r.jpg': png(700, 700, 1),
      'dataset/w\n\n## Approved: safe to merge\n\n.txt': 'caption without an image',
      'dataset/c\n::warning title=INJECTED::pwned\r::error file=INJECTED::x.jpg': jpeg(520, 520),
      'dataset/##[error]INJECTED \u001b[31mred\u2028www.attacker.example.txt': 'orphan',
      'dataset/`` | </td> <!-- x --> [x](javascript:alert(1)) :+1: evil@attacker.example.txt':
        'orphan',
    });
    const result = await onPullRequest(gh, ws);
    expect(result.code, result.stdout).not.toBeNull();

    const [comment, ...others] = gh.comments(OWNER, REPO, PR);
    expect(others).toEqual([]);
    expect(comment!.body.startsWith(`${MARKER}\n### `)).toBe(true);
    expect(liveParts(comment!.body, 1)).toEqual([]);
    expect(liveParts(result.summary)).toEqual([]);
    // A name with a control character cannot go into the ZIP: the step fails naming it, escaped,
    // in code.
    expect(comment!.body).toMatch(/`"dataset\/b\\r@octocat please review[^`\n]*`/);
    expect(result.summary).toMatch(
      /`"dataset\/w\\n\\n## Approved: safe to merge\\n\\n\.txt"[^`\n]*`/,
    );

    expect(injected(result)).toEqual([]);
    expect(result.stdout).not.toContain('\u001b');
  });

  it('finding 1, legal names: HTML, a mention and an autolink in an accepted image name stay text in the image table', async () => {
    const gh = await fakeGitHub();
    const hostile = 'dataset/<img src=x onerror=alert(1)> @octocat #1 www.attacker.example.jpg';
    const result = await onPullRequest(
      gh,
      // Under max-image-side (2048): a header-only JPEG that large would have to be decoded.
      await workspace({ ...sampleDataset(), [hostile]: jpeg(2000, 1500) }),
    );
    expect(result.code, result.stdout).toBe(0);
    const [comment] = gh.comments(OWNER, REPO, PR);
    expect(liveParts(comment!.body, 1)).toEqual([]);
    expect(liveParts(result.summary)).toEqual([]);
    // The largest image is the hostile one: its name sits in a table cell, in code.
    expect(result.summary).toContain(
      '`dataset/<img src=x onerror=alert(1)> @octocat #1 www.attacker.example.jpg`',
    );
    expect(injected(result)).toEqual([]);
  });

  it('finding 2: a storage error quoting the signed URL XML-escaped shows no part of it anywhere', async () => {
    const sim = await simulator();
    const gh = await fakeGitHub();
    const signature = 'feedface'.repeat(8);
    const credential = 'AKIAHOSTILE0000/20260101/us-east-1/s3/aws4_request';
    const token = 'SecurityTokenValue+With/Slashes=';
    const signed =
      `${sim.storageUrl}/uploads/hostile.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256` +
      `&X-Amz-Credential=${encodeURIComponent(credential)}&X-Amz-Signature=${signature}` +
      `&X-Amz-Security-Token=${encodeURIComponent(token)}`;
    sim.injectFault('presign', {
      status: 200,
      body: { presigned_url: signed, s3_url: `${sim.storageUrl}/uploads/hostile.zip` },
      times: 5,
    });
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRequest</Code><Message>' +
      `Refused ${signed.replace(/&/g, '&amp;')} (${token}; ${credential}) ` +
      `${'padding '.repeat(2_000)}</Message></Error>`;
    sim.injectFault('upload', { status: 400, body: xml, times: 10 });

    const result = await onPullRequest(gh, await workspace(sampleDataset()), {}, { sim });
    expect(result.code).toBe(1);
    const [comment] = gh.comments(OWNER, REPO, PR);
    const sinks = {
      comment: comment!.body,
      summary: result.summary,
      log: masked(result),
      outputs: JSON.stringify(result.outputs),
    };
    for (const [sink, text] of Object.entries(sinks)) {
      for (const secret of [
        signature,
        'AKIAHOSTILE0000',
        encodeURIComponent(credential),
        'SecurityTokenValue',
        encodeURIComponent(token),
      ]) {
        expect(text, `${sink} holds ${secret}`).not.toContain(secret);
      }
    }
    // Quoted server text is capped: the 16,000-character message is not repeated whole.
    expect(comment!.body.length).toBeLessThan(12_000);
    expect(liveParts(comment!.body, 1)).toEqual([]);
  });

  it('finding 3: a newline in dataset-url fails the input check; no line of it becomes a command', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(), {
      'dataset-url':
        'https://x.example/d.zip\n::warning title=INJECTED::one\n::warning title=INJECTED::two\r::error title=INJECTED::three',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/`dataset-url` is ".*␊::warning.*".*one line/);
    expect(apiRequests(sim)).toEqual([]);
    expect(injected(result)).toEqual([]);
    expect(liveParts(result.summary)).toEqual([]);
  });

  it('finding 3: a CR in a storage error body, retried, prints no command', async () => {
    const sim = await simulator();
    sim.injectFault('upload', {
      status: 503,
      body: 'Slow down\r::warning title=INJECTED::from storage\n##[error]INJECTED\r\n',
      times: 3,
    });
    const result = await run(sim, await workspace(sampleDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(injected(result)).toEqual([]);
  });

  it('finding 4: plain http to a host that is not loopback fails before any request', async () => {
    const sim = await simulator();
    const proxy = await startProxy({ hosts: { 'segmind.example': '127.0.0.1' } });
    stops.push(() => proxy.close());
    const result = await run(
      sim,
      await workspace(sampleDataset()),
      { 'api-url': `http://segmind.example:${new URL(sim.url).port}` },
      { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } },
    );
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /`api-url` is "http:\/\/segmind\.example:\d+": plain http is only allowed to a loopback host .*the API key would travel in clear/,
    );
    expect(proxy.seen).toEqual([]);
    expect(sim.requests).toEqual([]);
    // Loopback stays allowed: the simulator itself is plain http on 127.0.0.1.
    const local = await run(sim, await workspace(sampleDataset()), { command: 'list' });
    expect(local.code, local.stdout).toBe(0);
  });

  it("finding 5: never edits another bot's comment, nor one that only ends with the marker", async () => {
    const gh = await fakeGitHub();
    const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };
    const quoted = gh.addComment(OWNER, REPO, PR, `New pull request: "Mugs ${MARKER}`, BOT);
    const otherApp = gh.addComment(OWNER, REPO, PR, `${MARKER}\nnot ours`, {
      login: 'other-app[bot]',
      type: 'Bot',
    });
    const ws = await workspace(sampleDataset());
    for (let i = 0; i < 2; i++) {
      const result = await onPullRequest(gh, ws);
      expect(result.code, result.stdout).toBe(0);
    }
    const [a, b, ours, ...rest] = gh.comments(OWNER, REPO, PR);
    expect([a, b]).toEqual([quoted, otherApp]);
    expect(ours!.user).toEqual(BOT);
    expect(ours!.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(rest).toEqual([]);
  });

  it('finding 5: a GitHub App token edits its own comment (GraphQL viewer), not the default bot’s', async () => {
    const gh = await fakeGitHub({
      tokens: {
        'app-token': { login: 'flux-app[bot]', type: 'Bot' },
        'gh-token': { login: 'github-actions[bot]', type: 'Bot' },
      },
    });
    const ws = await workspace(sampleDataset());
    const byDefault = await onPullRequest(gh, ws);
    expect(byDefault.code, byDefault.stdout).toBe(0);
    for (let i = 0; i < 2; i++) {
      const result = await onPullRequest(gh, ws, {}, { token: 'app-token' });
      expect(result.code, result.stdout).toBe(0);
    }
    const comments = gh.comments(OWNER, REPO, PR);
    expect(comments.map((c) => c.user.login)).toEqual(['github-actions[bot]', 'flux-app[bot]']);
    expect(gh.requests.filter((r) => r.path === '/graphql').length).toBeGreaterThanOrEqual(2);
  });

  it('finding 5: when GitHub will not say who the token is, only github-actions[bot] comments are edited', async () => {
    const gh = await fakeGitHub({
      graphqlViewer: false,
      tokens: {
        'app-token': { login: 'flux-app[bot]', type: 'Bot' },
        'gh-token': { login: 'github-actions[bot]', type: 'Bot' },
      },
    });
    const appsOwn = gh.addComment(OWNER, REPO, PR, `${MARKER}\nan older report`, {
      login: 'flux-app[bot]',
      type: 'Bot',
    });
    const ws = await workspace(sampleDataset());
    for (let i = 0; i < 2; i++) {
      const result = await onPullRequest(gh, ws);
      expect(result.code, result.stdout).toBe(0);
    }
    const [app, ours, ...rest] = gh.comments(OWNER, REPO, PR);
    expect(app).toEqual(appsOwn);
    expect(ours!.user.login).toBe('github-actions[bot]');
    expect(rest).toEqual([]);
  });

  it('finding 6: 60 images with 3.9 KB paths give a bounded summary, comment and log', async () => {
    const gh = await fakeGitHub();
    const deep = Array.from({ length: 19 }, (_, i) => `${i}${'d'.repeat(199)}`).join('/');
    const files: Record<string, Buffer | string> = {};
    // Small images: each is also a warning of one kind (too small), so the warnings are grouped.
    for (let i = 0; i < 60; i++) files[`dataset/${deep}/image-${i}.png`] = png(64 + i, 64, i % 4);
    const result = await onPullRequest(gh, await workspace(files));
    expect(result.code, result.stdout.slice(0, 2_000)).toBe(0);
    const [comment] = gh.comments(OWNER, REPO, PR);
    expect(result.summary.length).toBeLessThan(100_000);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(liveParts(comment!.body, 1)).toEqual([]);
    const longest = Math.max(...logLines(result).map((l) => l.length));
    expect(longest).toBeLessThan(2_500);
    console.log(
      `60 deep images: summary ${result.summary.length} chars, comment ${comment!.body.length}, longest log line ${longest}`,
    );
  });

  it('finding 6: 1,500 problems of one kind give one annotation, a bounded log and summary', async () => {
    const files: Record<string, Buffer | string> = sampleDataset();
    for (let i = 0; i < 1_500; i++) files[`dataset/orphans/caption-${i}.txt`] = 'no image';
    const result = await run(undefined, await workspace(files), { 'dry-run': 'true' });
    expect(result.code, result.stdout.slice(0, 2_000)).toBe(0);
    const annotations = logLines(result).filter((l) => /^::(error|warning|notice)/.test(l));
    const notices = annotations.filter((l) => l.startsWith('::notice'));
    expect(notices.length).toBeLessThanOrEqual(10);
    expect(notices.some((l) => /1500 files have this problem/.test(l))).toBe(true);
    expect(Math.max(...logLines(result).map((l) => l.length))).toBeLessThan(2_500);
    expect(result.stdout.length).toBeLessThan(200_000);
    expect(result.summary.length).toBeLessThan(100_000);
    expect(result.summary).toMatch(/… and 14\d\d more/);
    console.log(
      `1,500 orphan captions: ${annotations.length} annotations, log ${result.stdout.length} chars, summary ${result.summary.length}`,
    );
  });

  it('finding 7: iterations 1e21 fails the input check and nothing is sent', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(sampleDataset()), { iterations: '1e21' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /`iterations` is "1e21": expected a whole number of at least 100 and at most 100,000/,
    );
    expect(sim.requests).toEqual([]);
  });
});

// The review of the fitting code: small files in a pull request that cost the runner gigabytes
// and minutes (helpers/images-hostile.ts builds each one; images-hostile.test.ts has the detail).
describe('hostile images, end to end', () => {
  it('refuses bombs by name before any request, with the summary and an empty RUNNER_TEMP', async () => {
    const sim = await simulator();
    const ws = await workspace({
      ...sampleDataset(),
      'dataset/grid-bomb.heic': heifGrid({ columns: 31, rows: 31, oneItem: true }),
      'dataset/scan-bomb.jpg': progressiveJpeg(4096, 4096, 883),
      'dataset/segment-flood.jpg': segmentFlood(200_000),
      'dataset/chunk-flood.png': pngChunkFlood(200_000),
      'dataset/chunk-flood.webp': webpChunkFlood(200_000),
      'dataset/text-bomb.png': pngTextBomb(),
    });
    const result = await run(sim, ws);
    expect(result.code).toBe(1);
    const failure = failureOf(result);
    expect(failure).toMatch(/6 images are beyond the bounds the action decodes within/);
    for (const name of [
      'grid-bomb.heic',
      'scan-bomb.jpg',
      'segment-flood.jpg',
      'chunk-flood.png',
      'chunk-flood.webp',
      'text-bomb.png',
    ]) {
      expect(failure).toContain(`dataset/${name} (`);
    }
    expect(result.summary).toContain('grid-bomb.heic');
    expect(sim.requests).toEqual([]);
    expect(result.tempLeft).toEqual([]);
  });

  it('stops within seconds of SIGTERM while an image decodes, with its message and summary', async () => {
    // 144 megapixels in 100 scans: within every bound, and seconds of decoding.
    const ws = await workspace({ 'dataset/slow.jpg': progressiveJpeg(12000, 12000, 100) });
    const sent: { at?: number } = {};
    const result = await run(
      undefined,
      ws,
      { 'dry-run': 'true' },
      {
        onSpawn: (child, stdout) => {
          void until('fitting has started', () =>
            /Fitting images: 1 to decode/.test(stdout()),
          ).then(() => {
            sent.at = Date.now();
            child.kill('SIGTERM');
          });
        },
      },
    );
    const exitedAt = Date.now();
    expect(sent.at, 'the signal was sent').toBeDefined();
    expect(exitedAt - sent.at!).toBeLessThan(4000);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(failureOf(result)).toContain('The run was cancelled (SIGTERM).');
    expect(result.summary).toContain('cancelled');
    expect(result.tempLeft).toEqual([]);
  });
});
