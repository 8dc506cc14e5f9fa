import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/action-runner.js';
import { startFakeGitHub } from '../simulator/fake-github.js';
import { modelFile, type JobRecord, type Simulator } from '../simulator/segmind-simulator.js';
import {
  API_KEY,
  apiRequests,
  failureOf,
  link,
  NODE,
  run,
  sampleDataset,
  simulator,
  visible,
  workspace,
} from './helpers/e2e.js';
import { until } from './helpers/until.js';

// `download-model` and `command: download` against the simulator: the download URL from
// Segmind's form-body GET, the file from the storage host, and every way that can go wrong.

const DOWNLOAD = 'GET /finetune/request/file/download';
const WAIT = { 'poll-interval-seconds': '1', 'wait-timeout-minutes': '0.5' };

const outside: string[] = [];
afterEach(async () => {
  for (const dir of outside.splice(0)) await rm(dir, { recursive: true, force: true });
});

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

function expectedModel(job: JobRecord): { sha256: string; bytes: number } {
  const file = modelFile(job.finetune_id, job.modelBytes);
  return { sha256: file.sha256(), bytes: file.size };
}

function modelGets(sim: Simulator) {
  return sim.requests.filter((r) => r.server === 'storage' && r.method === 'GET');
}

/**
 * No download link anywhere a user could read or a later step could use: log, summary, outputs.
 * And the storage host never saw the API key.
 */
function expectNoLink(result: RunResult, sim: Simulator): void {
  const shown = `${visible(result)}\n${result.stderr}\n${result.summary}\n${JSON.stringify(result.outputs)}`;
  expect(shown).not.toContain(API_KEY);
  expect(shown).not.toMatch(/X-Amz-(Signature|Credential)/i);
  for (const r of modelGets(sim)) {
    const url = new URL(r.path, sim.storageUrl);
    expect(shown).not.toContain(url.searchParams.get('X-Amz-Signature')!);
    expect(shown).not.toContain(url.search.slice(1));
  }
  // The mask covers the whole link and its signature.
  for (const r of modelGets(sim)) {
    const signature = new URL(r.path, sim.storageUrl).searchParams.get('X-Amz-Signature')!;
    expect(result.stdout).toContain(`::add-mask::${signature}`);
  }
  expect(sim.apiKeyLeakedToStorage).toBe(false);
}

/** Every file under `dir`, relative, sorted (hidden part files included). */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function checkDownloaded(
  ws: string,
  relative: string,
  job: JobRecord,
  result: RunResult,
): Promise<void> {
  const { sha256: expected, bytes } = expectedModel(job);
  const written = await readFile(path.join(ws, relative));
  expect(written.length).toBe(bytes);
  expect(sha256(written)).toBe(expected);
  expect(result.outputs).toMatchObject({
    'model-path': relative,
    'model-sha256': expected,
    'model-bytes': String(bytes),
  });
  expect(result.summary).toContain(expected);
  expect(result.summary).toContain(relative);
  expect(result.summary).toContain(`(${bytes} bytes)`);
}

describe('download-model after a training, end to end', () => {
  it('trains, waits for AVAILABLE and downloads the weights into a new folder', async () => {
    const sim = await simulator({ modelBytes: 3_000_000 });
    const ws = await workspace(sampleDataset());
    const result = await run(sim, ws, {
      'wait-for': 'AVAILABLE',
      'download-model': 'models/flux/model.safetensors',
      ...WAIT,
    });
    expect(result.code, result.stdout).toBe(0);
    const job = [...sim.jobs.values()][0]!;
    expect(job.status).toBe('AVAILABLE');
    await checkDownloaded(ws, 'models/flux/model.safetensors', job, result);
    expect(await filesUnder(path.join(ws, 'models'))).toEqual(['flux/model.safetensors']);

    // Segmind's SDK way: GET with an urlencoded form body, after the wait.
    const api = apiRequests(sim);
    expect(api.at(-1)).toBe(DOWNLOAD);
    expect(api.filter((r) => r === DOWNLOAD)).toHaveLength(1);
    const asked = sim.requests.find((r) => r.path === '/finetune/request/file/download')!;
    expect(asked.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(asked.headers['x-api-key']).toBe(API_KEY);
    expect(new URLSearchParams(asked.body.toString()).get('cloud_storage_url')).toBe(
      job.cloud_storage_url,
    );
    const gets = modelGets(sim);
    expect(gets).toHaveLength(1);
    expect(gets[0]!.headers.range).toBeUndefined();
    expect(gets[0]!.headers['x-api-key']).toBeUndefined();
    expect(result.stdout).toMatch(/Downloading: 100% \(3\.00 MB of 3\.00 MB/);
    expectNoLink(result, sim);
    expect(result.tempLeft).toEqual([]);
  });

  it('waits on past TRAINING_COMPLETED until the record has its cloud_storage_url', async () => {
    const sim = await simulator();
    sim.setJobBehaviour({ modelUrlAfterPolls: 5 });
    const ws = await workspace(sampleDataset());
    const result = await run(sim, ws, {
      'wait-for': 'TRAINING_COMPLETED',
      'download-model': 'model.safetensors',
      ...WAIT,
    });
    expect(result.code, result.stdout).toBe(0);
    const job = [...sim.jobs.values()][0]!;
    // TRAINING_COMPLETED came with the third details call, the URL with the fifth.
    expect(job.detailsCalls).toBe(5);
    expect(result.stdout).toContain('but no cloud_storage_url yet; waiting for it');
    await checkDownloaded(ws, 'model.safetensors', job, result);
  });
});

describe('command: download, end to end', () => {
  it('downloads a model trained earlier to model.safetensors by default', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'mug-v1', modelBytes: 1_234_567 });
    const ws = await workspace();
    const result = await run(sim, ws, { command: 'download', 'finetune-id': job.finetune_id });
    expect(result.code, result.stdout).toBe(0);
    expect(apiRequests(sim)).toEqual(['GET /finetune/request/details', DOWNLOAD]);
    await checkDownloaded(ws, 'model.safetensors', job, result);
    expect(await filesUnder(ws)).toEqual(['model.safetensors']);
    // The first bytes are a safetensors header naming the job.
    const written = await readFile(path.join(ws, 'model.safetensors'));
    const headerLength = Number(written.readBigUInt64LE(0));
    expect(JSON.parse(written.subarray(8, 8 + headerLength).toString())).toMatchObject({
      __metadata__: { finetune_id: job.finetune_id },
    });
    expect(result.summary).toMatch(/^### Segmind fine-tune: model downloaded/m);
    expect(result.outputs['finetune-id']).toBe(job.finetune_id);
    expectNoLink(result, sim);
  });

  it('shows the file, its size and its sha256 in the pull-request comment', async () => {
    const sim = await simulator();
    const gh = await startFakeGitHub();
    try {
      const job = sim.addJob({ name: 'mug-v2', modelBytes: 77_777 });
      const ws = await workspace();
      const result = await run(
        sim,
        ws,
        {
          command: 'download',
          'finetune-id': job.finetune_id,
          'download-model': 'w/m.safetensors',
        },
        {
          eventName: 'pull_request',
          event: {
            number: 7,
            pull_request: { number: 7 },
            repository: { name: 'flux-models', owner: { login: 'octo-org' } },
          },
          env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'gh-token' },
        },
      );
      expect(result.code, result.stdout).toBe(0);
      const [comment] = gh.comments('octo-org', 'flux-models', 7);
      const { sha256: expected } = expectedModel(job);
      expect(comment!.body).toContain('`w/m.safetensors`');
      expect(comment!.body).toContain('(77777 bytes)');
      expect(comment!.body).toContain(`\`${expected}\``);
      expect(comment!.body).not.toMatch(/X-Amz-(Signature|Credential)/);
      expectNoLink(result, sim);
    } finally {
      await gh.close();
    }
  });

  it.each([
    ['still training', { status: 'DATA_PROCESSING' }, 'TRAINING_INITIATED'],
    ['available, but without a file', { modelUrlAfterPolls: Infinity }, 'AVAILABLE'],
  ])(
    'fails clearly, with its status, for a record that has no model (%s)',
    async (_what, fields, status) => {
      const sim = await simulator();
      const job = sim.addJob({ name: 'no-model', ...fields });
      const ws = await workspace();
      const result = await run(sim, ws, { command: 'download', 'finetune-id': job.finetune_id });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toContain(
        `Fine-tune ${job.finetune_id} has no trained model to download: its record has no cloud_storage_url (status ${status}).`,
      );
      expect(failureOf(result)).toMatch(/wait-for: TRAINING_COMPLETED/);
      expect(apiRequests(sim)).toEqual(['GET /finetune/request/details']);
      expect(await filesUnder(ws)).toEqual([]);
      expect(result.outputs.status).toBe(status);
      expect(result.outputs['model-path']).toBeUndefined();
    },
  );

  it('with wait-for, times out naming the missing cloud_storage_url when it never comes', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'never-published', modelUrlAfterPolls: Infinity });
    const ws = await workspace();
    const result = await run(sim, ws, {
      command: 'download',
      'finetune-id': job.finetune_id,
      'wait-for': 'TRAINING_COMPLETED',
      'poll-interval-seconds': '1',
      'wait-timeout-minutes': '0.03',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Timed out after 2 s waiting for fine-tune .* to reach TRAINING_COMPLETED; the last status was AVAILABLE, with no cloud_storage_url to download the model from yet\./,
    );
    expect(apiRequests(sim).filter((r) => r === DOWNLOAD)).toEqual([]);
    expect(await filesUnder(ws)).toEqual([]);
  });

  it('with wait-for, waits for the model first', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'late-file', status: 'AVAILABLE', modelUrlAfterPolls: 2 });
    const ws = await workspace();
    const result = await run(sim, ws, {
      command: 'download',
      'finetune-id': job.finetune_id,
      'download-model': 'out/m.safetensors',
      'wait-for': 'AVAILABLE',
      ...WAIT,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(job.detailsCalls).toBe(2);
    await checkDownloaded(ws, 'out/m.safetensors', job, result);
  });
});

describe('download faults, end to end', () => {
  it('resumes with Range after the connection drops mid-body, with the right sha256', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'reset', modelBytes: 4_000_000 });
    sim.injectFault('model', { resetAfterBytes: 1_500_000 });
    const ws = await workspace();
    const result = await run(sim, ws, { command: 'download', 'finetune-id': job.finetune_id });
    expect(result.code, result.stdout).toBe(0);
    await checkDownloaded(ws, 'model.safetensors', job, result);
    const gets = modelGets(sim);
    expect(gets).toHaveLength(2);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(String(gets[1]!.headers.range))?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1_500_000);
    // One link was enough: a dropped connection is not an expired link.
    expect(apiRequests(sim).filter((r) => r === DOWNLOAD)).toHaveLength(1);
    expect(result.stdout).toMatch(/Resuming the download at/);
    expect(await filesUnder(ws)).toEqual(['model.safetensors']);
    expectNoLink(result, sim);
  });

  it('starts over when the storage host answers a Range request with the whole file', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'no-ranges', modelBytes: 2_000_000 });
    sim.injectFault('model', { resetAfterBytes: 700_000 });
    sim.injectFault('model', { ignoreRange: true });
    const ws = await workspace();
    const result = await run(sim, ws, { command: 'download', 'finetune-id': job.finetune_id });
    expect(result.code, result.stdout).toBe(0);
    await checkDownloaded(ws, 'model.safetensors', job, result);
    const gets = modelGets(sim);
    expect(gets).toHaveLength(2);
    expect(gets[1]!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(result.stdout).toMatch(/does not resume downloads .*starting over/);
  });

  it('rides out 5xx answers and a stalled body', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'flaky', modelBytes: 1_000_000 });
    sim.injectFault('model', { status: 503, times: 2 });
    sim.injectFault('model', { stallAfterBytes: 300_000 });
    const ws = await workspace();
    const result = await run(
      sim,
      ws,
      { command: 'download', 'finetune-id': job.finetune_id },
      { env: { SEGMIND_ACTION_TIMEOUT_MS: '1000' } },
    );
    expect(result.code, result.stdout).toBe(0);
    await checkDownloaded(ws, 'model.safetensors', job, result);
    expect(modelGets(sim).map((r) => r.headers.range ?? 'whole')).toEqual([
      'whole',
      'whole',
      'whole',
      expect.stringMatching(/^bytes=[1-9]\d*-$/),
    ]);
  });

  it('gets one fresh link when the first has expired', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'expired', modelBytes: 500_000 });
    sim.injectFault('model', { expire: true });
    const ws = await workspace();
    const result = await run(sim, ws, { command: 'download', 'finetune-id': job.finetune_id });
    expect(result.code, result.stdout).toBe(0);
    await checkDownloaded(ws, 'model.safetensors', job, result);
    expect(apiRequests(sim).filter((r) => r === DOWNLOAD)).toHaveLength(2);
    const signatures = modelGets(sim).map((r) =>
      new URL(r.path, sim.storageUrl).searchParams.get('X-Amz-Signature'),
    );
    expect(new Set(signatures).size).toBe(2);
    expect(result.stdout).toMatch(
      /refused the download link \(HTTP 403: AccessDenied: Request has expired\); asking Segmind for a new one/,
    );
    expectNoLink(result, sim);
  });

  it('fails after a second refused link, leaving an existing target and its folder as they were', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'refused', modelBytes: 500_000 });
    sim.injectFault('model', { expire: true, times: 2 });
    const ws = await workspace({ 'models/model.safetensors': 'the old weights' });
    const result = await run(sim, ws, {
      command: 'download',
      'finetune-id': job.finetune_id,
      'download-model': 'models/model.safetensors',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /answered HTTP 403: AccessDenied: Request has expired \(with a second, fresh download link too\)/,
    );
    expect(await readFile(path.join(ws, 'models/model.safetensors'), 'utf8')).toBe(
      'the old weights',
    );
    expect(await filesUnder(ws)).toEqual(['models/model.safetensors']);
    expect(result.outputs['model-path']).toBeUndefined();
    expectNoLink(result, sim);
  });

  it('leaves nothing behind, not even the folders it made, when the storage host keeps failing', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'down', modelBytes: 500_000 });
    sim.injectFault('model', { resetAfterBytes: 0, times: 100 });
    const ws = await workspace({ 'keep.txt': 'x' });
    const result = await run(sim, ws, {
      command: 'download',
      'finetune-id': job.finetune_id,
      'download-model': 'new/deeper/model.safetensors',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Download of the model from 127\.0\.0\.1:\d+ .*gave up after 5 attempts/,
    );
    expect(await filesUnder(ws)).toEqual(['keep.txt']);
    expectNoLink(result, sim);
  });

  it('fails saying the file could not be written when the disk refuses it, leaving nothing', async (context) => {
    // A file-size limit (`ulimit -f`, inherited by the action's Node) makes every write past
    // 1 MiB fail with EFBIG, as a full disk fails with ENOSPC; Node ignores SIGXFSZ.
    if (process.platform === 'win32') return context.skip();
    const sim = await simulator();
    const job = sim.addJob({ name: 'big-model', modelBytes: 3_000_000 });
    const ws = await workspace({ 'keep.txt': 'x' });
    const bin = await mkdtemp(path.join(tmpdir(), 'limited-node-'));
    outside.push(bin);
    const limited = path.join(bin, 'node');
    // bash, not sh: dash drops environment variables whose names hold a hyphen (INPUT_DRY-RUN).
    await writeFile(limited, `#!/bin/bash\nulimit -f 1024\nexec "${NODE}" "$@"\n`, {
      mode: 0o755,
    });
    const result = await run(
      sim,
      ws,
      {
        command: 'download',
        'finetune-id': job.finetune_id,
        'download-model': 'models/model.safetensors',
      },
      { node: limited },
    );
    expect(result.code, result.stdout).toBe(1);
    expect(failureOf(result)).toMatch(/^Could not write the model file: EFBIG/);
    expect(failureOf(result)).toMatch(/room for the model/);
    // Not retried: one GET of the file, and no part file or folder left behind.
    expect(modelGets(sim)).toHaveLength(1);
    expect(await filesUnder(ws)).toEqual(['keep.txt']);
    expect(result.tempLeft).toEqual([]);
    expectNoLink(result, sim);
  });

  it('removes the part file when the run is cancelled mid-download', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'cancelled', modelBytes: 2_000_000 });
    sim.injectFault('model', { stallAfterBytes: 1_000_000 });
    const ws = await workspace({ 'models/model.safetensors': 'the old weights' });
    const result = await run(
      sim,
      ws,
      {
        command: 'download',
        'finetune-id': job.finetune_id,
        'download-model': 'models/model.safetensors',
      },
      {
        onSpawn(child) {
          // Cancel once the part file holds the first bytes; one signal only (a second one
          // ends the run at once, by design).
          const models = path.join(ws, 'models');
          const partHasBytes = (): boolean =>
            readdirSync(models).some(
              (n) =>
                n.endsWith('.part') &&
                (statSync(path.join(models, n), { throwIfNoEntry: false })?.size ?? 0) > 0,
            );
          void until('the part file holds bytes', partHasBytes).then(() => child.kill('SIGINT'));
        },
      },
    );
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/cancelled \(SIGINT\)/);
    expect(failureOf(result)).toMatch(
      /download .* was stopped; nothing was written to .*command: download/s,
    );
    expect(await filesUnder(ws)).toEqual(['models/model.safetensors']);
    expect(await readFile(path.join(ws, 'models/model.safetensors'), 'utf8')).toBe(
      'the old weights',
    );
  });
});

describe('download-model input errors, end to end', () => {
  async function outsideDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'e2e-outside-'));
    outside.push(dir);
    return dir;
  }

  it.each([
    [
      'train without wait-for',
      { 'download-model': 'model.safetensors' },
      /needs `wait-for: TRAINING_COMPLETED` or `wait-for: AVAILABLE`/,
    ],
    [
      'a dry run',
      { 'download-model': 'model.safetensors', 'dry-run': 'true', 'wait-for': 'AVAILABLE' },
      /a dry run trains nothing/,
    ],
    [
      'an absolute path',
      { 'download-model': '/tmp/model.safetensors', 'wait-for': 'AVAILABLE' },
      /expected a path relative to the workspace/,
    ],
    [
      'a path leading out with ..',
      { 'download-model': 'models/../../model.safetensors', 'wait-for': 'AVAILABLE' },
      /leads out of it with `\.\.`/,
    ],
    [
      'a folder',
      { 'download-model': 'models/', 'wait-for': 'AVAILABLE' },
      /expected the path of a file/,
    ],
    [
      'status',
      { command: 'status', 'finetune-id': 'x', 'download-model': 'm.safetensors' },
      /for `command: train` and `command: download`/,
    ],
  ])('%s fails before any request', async (_what, inputs, message) => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const result = await run(sim, ws, inputs);
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/Input `download-model` is "/);
    expect(failureOf(result)).toMatch(message);
    expect(sim.requests).toEqual([]);
  });

  it('refuses a folder on the way that is a symbolic link leading out, before any request', async () => {
    const sim = await simulator();
    const away = await outsideDir();
    const ws = await workspace(sampleDataset());
    await link(ws, 'models', away);
    const job = sim.addJob({ name: 'linked' });
    const cases: Record<string, string>[] = [
      { command: 'download', 'finetune-id': job.finetune_id },
      { 'wait-for': 'AVAILABLE', ...WAIT },
    ];
    for (const inputs of cases) {
      const result = await run(sim, ws, {
        ...inputs,
        'download-model': 'models/sub/model.safetensors',
      });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(
        /Input `download-model` is "models\/sub\/model.safetensors": the folder models is a symbolic link leading out of the workspace/,
      );
    }
    expect(sim.requests).toEqual([]);
    expect(await readdir(away)).toEqual([]);
  });

  it('replaces a target that is a symbolic link without writing through it', async () => {
    const sim = await simulator();
    const away = await outsideDir();
    await writeFile(path.join(away, 'precious'), 'untouched');
    const ws = await workspace();
    await link(ws, 'model.safetensors', path.join(away, 'precious'));
    const job = sim.addJob({ name: 'over-a-link', modelBytes: 100_000 });
    const result = await run(sim, ws, { command: 'download', 'finetune-id': job.finetune_id });
    expect(result.code, result.stdout).toBe(0);
    await checkDownloaded(ws, 'model.safetensors', job, result);
    expect(await readFile(path.join(away, 'precious'), 'utf8')).toBe('untouched');
    expect(await readdir(away)).toEqual(['precious']);
  });
});
