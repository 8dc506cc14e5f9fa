import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withStdout } from './helpers/stdout.js';
import type { RetryPolicy } from '../src/http/retry.js';
import { HttpError } from '../src/http/send.js';
import type { TrainingSettings } from '../src/inputs.js';
import { ActionError } from '../src/shared/errors.js';
import type { Training } from '../src/providers/replicate/client.js';
import {
  destinationOf,
  fileIdOf,
  ReplicateProvider,
  sameData,
  stageOf,
  usesFile,
} from '../src/providers/replicate/provider.js';
import { defaultModelName } from '../src/providers/replicate/mapping.js';
import { sameInput } from '../src/providers/matching.js';
import { TRAINER_VERSION, type ReplicateSimulator } from '../simulator/replicate-simulator.js';
import { workspace } from './helpers/e2e.js';
import { runInProcess } from './helpers/in-process.js';
import { datasetZip, photos, replicateSimulator, TOKEN } from './helpers/replicate.js';

const QUICK: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 };
const FAST: RetryPolicy = { attempts: 5, baseDelayMs: 10, maxDelayMs: 300, maxTotalMs: 120_000 };

const SETTINGS: TrainingSettings = {
  provider: 'replicate',
  instancePrompt: 'photo of TOK',
  triggerWord: 'TOK',
  baseModel: 'FLUX_DEV',
  theme: 'GENERAL',
  isPublic: false,
  iterations: 1000,
  learningRate: 0.0004,
  captioning: true,
  loraRank: 16,
  destination: '',
};
const INPUT = {
  trigger_word: 'TOK',
  steps: 1000,
  lora_rank: 16,
  learning_rate: 0.0004,
  autocaption: true,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function provider(sim: ReplicateSimulator, settings: Partial<TrainingSettings> = {}) {
  return new ReplicateProvider({
    apiUrl: sim.url,
    apiKey: TOKEN,
    retry: QUICK,
    settings: { ...SETTINGS, ...settings },
    repository: 'Flux Models',
  });
}

async function zipOnDisk(): Promise<{ path: string; bytes: number; sha256: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'replicate-provider-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const data = await datasetZip();
  const file = path.join(dir, 'dataset.zip');
  await writeFile(file, data);
  return {
    path: file,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

function training(fields: Partial<Training>): Training {
  return { id: 'abc', status: 'starting', ...fields };
}

describe('reading trainings', () => {
  it.each([
    ['starting', 'queued'],
    ['processing', 'training'],
    ['succeeded', 'ready'],
    ['failed', 'failed'],
    ['aborted', 'failed'],
    ['canceled', 'cancelled'],
    ['booting', 'unknown'],
  ] as const)('%s is %s', (status, stage) => {
    expect(stageOf(status)).toBe(stage);
  });

  it('finds the destination in output.version, or a destination field where a record has one', () => {
    expect(destinationOf(training({ output: { version: 'me/lora:abc' } }))).toBe('me/lora');
    expect(destinationOf(training({ destination: 'me/other' }))).toBe('me/other');
    expect(destinationOf(training({ output: null }))).toBeUndefined();
  });

  it('finds a Files API id in the URL forms Replicate and its clients use', () => {
    expect(fileIdOf('https://api.replicate.com/v1/files/NGZi')).toBe('NGZi');
    expect(fileIdOf('https://api.replicate.com/v1/files/NGZi.zip')).toBe('NGZi');
    expect(fileIdOf('https://proxy.example/replicate/v1/files/NGZi/download?expiry=1')).toBe(
      'NGZi',
    );
    expect(fileIdOf('https://example.com/files/NGZi')).toBeUndefined();
    expect(fileIdOf('https://example.com/data.zip')).toBeUndefined();
    expect(fileIdOf('not a url')).toBeUndefined();
  });

  it('matches a training to an uploaded file by URL or by id, and its input field by field', () => {
    const file = { id: 'F1', urls: { get: 'https://api.replicate.com/v1/files/F1' } };
    expect(usesFile(training({ input: { input_images: file.urls.get } }), [file])).toBe(true);
    expect(
      usesFile(training({ input: { input_images: 'http://127.0.0.1:1/v1/files/F1' } }), [file]),
    ).toBe(true);
    expect(usesFile(training({ input: { input_images: 'https://x/v1/files/F2' } }), [file])).toBe(
      false,
    );
    expect(usesFile(training({ input: null }), [file])).toBe(false);
    expect(sameInput(training({ input: { ...INPUT, input_images: 'x' } }).input, INPUT)).toBe(true);
    expect(sameInput(training({ input: { ...INPUT, steps: 999 } }).input, INPUT)).toBe(false);
    expect(sameInput(training({ input: null }).input, INPUT)).toBe(false);
    // A lost answer's lookup matches the dataset as reuse does: the URL, or the same file's id.
    const given = (url: string) => training({ input: { input_images: url } });
    expect(sameData(given(file.urls.get), file.urls.get)).toBe(true);
    expect(sameData(given(`${file.urls.get}.zip`), file.urls.get)).toBe(true);
    expect(sameData(given('https://x/v1/files/F2'), file.urls.get)).toBe(false);
    expect(sameData(given('https://x/data.zip'), 'https://x/other.zip')).toBe(false);
    // A link signed anew names the same file; another query parameter names another.
    const signed = (sig: string) =>
      `https://b.s3.amazonaws.com/data.zip?X-Amz-Date=2026${sig}&X-Amz-Signature=${sig}`;
    expect(sameData(given(signed('aa')), signed('bb'))).toBe(true);
    expect(sameData(given('https://x/data.zip?v=1'), 'https://x/data.zip?v=2')).toBe(false);
  });

  it('makes a job of a training, whatever shape its output and version come in', async () => {
    const sim = await replicateSimulator();
    const p = provider(sim);
    const ready = p.job(
      training({
        status: 'succeeded',
        model: 'ostris/flux-dev-lora-trainer',
        version: 'v1',
        output: { version: 'me/lora:abc', weights: 'https://replicate.delivery/x.tar' },
        logs: 'x'.repeat(10_000),
      }),
    );
    expect(ready).toMatchObject({
      stage: 'ready',
      modelUrl: 'https://replicate.delivery/x.tar',
      slug: 'me/lora:abc',
      trainedBy: 'ostris/flux-dev-lora-trainer:v1',
    });
    expect(((ready.record as Training).logs as string).length).toBeLessThan(2100);
    const variant = p.job(
      training({
        status: 'succeeded',
        version: 'ostris/flux-dev-lora-trainer:v2',
        destination: 'me/lora',
        output: { version: 'abc', weights: 'javascript:alert(1)' },
      }),
    );
    expect(variant).toMatchObject({
      slug: 'me/lora:abc',
      trainedBy: 'ostris/flux-dev-lora-trainer:v2',
      modelUrl: undefined,
    });
    expect(p.job(training({ status: 'succeeded', output: 'https://x/w.tar' })).modelUrl).toBe(
      'https://x/w.tar',
    );
    // A link in clear off loopback is no model URL (the download would refuse it too).
    expect(
      p.job(training({ status: 'succeeded', output: 'http://x.example/w.tar' })).modelUrl,
    ).toBeUndefined();
    expect(p.job(training({ status: 'failed', error: { message: 'CUDA OOM' } })).error).toBe(
      'CUDA OOM',
    );
    expect(p.job(training({ status: 'aborted' }))).toMatchObject({
      stage: 'failed',
      error: 'Replicate aborted the training',
    });
  });

  it('names a default destination model after the repository, as Replicate spells names', () => {
    expect(defaultModelName('Flux Models')).toBe('flux-models');
    expect(defaultModelName('__My.Repo__')).toBe('my.repo');
    expect(defaultModelName('---')).toBe('flux-lora');
  });
});

describe('ReplicateProvider against the simulator', () => {
  it('finds no earlier training on a new account, then creates the destination private before the upload', async () => {
    const sim = await replicateSimulator();
    const p = provider(sim);
    expect(await p.findReusable({ name: 'job-1', settings: SETTINGS })).toBeUndefined();
    const url = await p.upload({ ...(await zipOnDisk()), fileName: 'job-1.zip' });
    expect(sim.models.get('sim-user/flux-models')).toMatchObject({
      visibility: 'private',
      hardware: 'gpu-t4',
    });
    const job = await p.submit({ name: 'job-1', dataUrl: url, uploaded: true, settings: SETTINGS });
    expect(job).toMatchObject({
      status: 'starting',
      stage: 'queued',
      name: 'job-1',
      trainedBy: `ostris/flux-dev-lora-trainer:${TRAINER_VERSION}`,
    });
    expect(sim.trainings.get(job.id)!.submitted).toEqual({
      destination: 'sim-user/flux-models',
      input: { input_images: url, ...INPUT },
    });
    // Found again by the uploaded file's name; a second provider adopts it.
    const again = await provider(sim).findReusable({ name: 'job-1', settings: SETTINGS });
    expect(again).toMatchObject({ id: job.id, name: 'job-1' });
    expect(await provider(sim).findReusable({ name: 'job-2', settings: SETTINGS })).toBeUndefined();
  });

  it('reads a training on its own when the list leaves its input out, for reuse and lost answers', async () => {
    const sim = await replicateSimulator({ listOmitsInput: true });
    const lookups = () =>
      sim.requests.filter((r) => /^\/v1\/trainings\/[^/]+$/.test(r.path)).map((r) => r.path);
    // Reuse of an upload: only trainings made after the upload are read.
    sim.addTraining({
      status: 'succeeded',
      input: { input_images: 'https://api.replicate.com/v1/files/old', ...INPUT },
      created_at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    });
    const p = provider(sim);
    expect(await p.findReusable({ name: 'job-1', settings: SETTINGS })).toBeUndefined();
    expect(lookups()).toEqual([]);
    const url = await p.upload({ ...(await zipOnDisk()), fileName: 'job-1.zip' });
    const plan = { name: 'job-1', dataUrl: url, uploaded: true, settings: SETTINGS };
    sim.injectFault('submit', { afterCommit: true, reset: true });
    const error = (await p.submit(plan).catch((e: unknown) => e)) as HttpError;
    const id = [...sim.trainings.keys()].at(-1)!;
    expect((await p.afterLostSubmit(plan, error)).found).toMatchObject({ id, name: 'job-1' });
    expect(lookups()).toEqual([`/v1/trainings/${id}`]);
    const again = await provider(sim).findReusable({ name: 'job-1', settings: SETTINGS });
    expect(again).toMatchObject({ id, name: 'job-1' });

    // Reuse of a dataset-url, the same way.
    const zip = 'https://example.com/data.zip';
    const running = sim.addTraining({
      status: 'processing',
      input: { input_images: zip, ...INPUT },
    });
    const found = await provider(sim).findReusable({
      name: 'x',
      settings: SETTINGS,
      datasetUrl: zip,
    });
    expect(found?.id).toBe(running.id);

    // A new training whose input Replicate shows nowhere: a lost answer cannot be settled, so
    // nothing is sent again.
    const q = provider(sim);
    await q.findReusable({ name: 'job-2', settings: SETTINGS });
    const url2 = await q.upload({ ...(await zipOnDisk()), fileName: 'job-2.zip' });
    const plan2 = { name: 'job-2', dataUrl: url2, uploaded: true, settings: SETTINGS };
    sim.injectFault('submit', { afterCommit: true, reset: true });
    const error2 = (await q.submit(plan2).catch((e: unknown) => e)) as HttpError;
    const made = [...sim.trainings.values()].at(-1)!;
    delete (made as { input?: unknown }).input;
    const after = await q.afterLostSubmit(plan2, error2);
    expect(after).toMatchObject({ found: 'unknown' });
    expect(after.found === 'unknown' && after.why).toContain(made.id);
  });

  it('reads at most 20 trainings on their own, newest first, and says what it left unread', async () => {
    const sim = await replicateSimulator({ listOmitsInput: true });
    const zip = 'https://example.com/data.zip';
    const minute = 60_000;
    // The only match is the oldest of 22, beyond the 20 read.
    const oldest = sim.addTraining({
      status: 'processing',
      input: { input_images: zip, ...INPUT },
      created_at: new Date(Date.now() - 30 * minute).toISOString(),
    });
    for (let i = 21; i > 0; i--) {
      sim.addTraining({
        status: 'processing',
        input: { input_images: `https://example.com/other-${i}.zip`, ...INPUT },
        created_at: new Date(Date.now() - i * minute).toISOString(),
      });
    }
    const { value, error, stdout } = await withStdout(() =>
      provider(sim).findReusable({ name: 'x', settings: SETTINGS, datasetUrl: zip }),
    );
    expect(error).toBeUndefined();
    expect(value).toBeUndefined();
    const read = sim.requests.filter((r) => /^\/v1\/trainings\/[^/]+$/.test(r.path));
    expect(read).toHaveLength(20);
    expect(read.map((r) => r.path)).not.toContain(`/v1/trainings/${oldest.id}`);
    expect(stdout).toMatch(
      /::warning::Replicate's trainings list left out the input of 22 trainings; the newest 20 were read one by one, and the 2 older ones were not/,
    );
  });

  it('creates a public destination with public: true, and leaves an existing one as it is', async () => {
    const sim = await replicateSimulator();
    await provider(sim, { isPublic: true, destination: 'sim-user/pub' }).upload({
      ...(await zipOnDisk()),
      fileName: 'a.zip',
    });
    expect(sim.models.get('sim-user/pub')!.visibility).toBe('public');
    sim.addModel('sim-user/kept', { visibility: 'private' });
    const before = sim.requests.length;
    await provider(sim, { isPublic: true, destination: 'sim-user/kept' }).upload({
      ...(await zipOnDisk()),
      fileName: 'b.zip',
    });
    expect(sim.requests.slice(before).some((r) => r.path === '/v1/models')).toBe(false);
    expect(sim.models.get('sim-user/kept')!.visibility).toBe('private');
  });

  it('never adopts a failed or cancelled training, nor one of other settings for dataset-url', async () => {
    const sim = await replicateSimulator();
    const zip = 'https://example.com/data.zip';
    sim.addTraining({ status: 'failed', input: { input_images: zip, ...INPUT } });
    sim.addTraining({ status: 'canceled', input: { input_images: zip, ...INPUT } });
    sim.addTraining({ status: 'succeeded', input: { input_images: zip, ...INPUT, steps: 500 } });
    sim.addModel('sim-user/elsewhere');
    sim.addTraining({
      status: 'succeeded',
      input: { input_images: zip, ...INPUT },
      destination: 'sim-user/elsewhere',
    });
    expect(
      await provider(sim).findReusable({ name: 'x', settings: SETTINGS, datasetUrl: zip }),
    ).toBeUndefined();
    const running = sim.addTraining({
      status: 'processing',
      input: { input_images: zip, ...INPUT },
    });
    const found = await provider(sim).findReusable({
      name: 'x',
      settings: SETTINGS,
      datasetUrl: zip,
    });
    expect(found?.id).toBe(running.id);
    // The ZIP at that URL changed after the training was made: it trained other bytes.
    const changed = await provider(sim).findReusable({
      name: 'x',
      settings: SETTINGS,
      datasetUrl: zip,
      datasetModifiedAt: Date.parse(running.created_at!) + 1000,
    });
    expect(changed).toBeUndefined();
  });

  it('reuses an earlier upload of the same bytes that was not trained, while it lives long enough', async () => {
    const sim = await replicateSimulator();
    const zip = await zipOnDisk();
    const p = provider(sim);
    const first = await p.upload({ ...zip, fileName: 'job-9.zip' });
    const q = provider(sim);
    expect(await q.findReusable({ name: 'job-9', settings: SETTINGS })).toBeUndefined();
    expect(await q.upload({ ...zip, fileName: 'job-9.zip' })).toBe(first);
    expect(sim.files.size).toBe(1);

    // An hour from its expiry: Replicate reads the file when the training starts, maybe later.
    const late = await replicateSimulator();
    const old = late.addFile('job-9.zip', await datasetZip(), {
      createdAt: Date.now() - 23 * 3_600_000,
    });
    const r = provider(late);
    await r.findReusable({ name: 'job-9', settings: SETTINGS });
    expect(await r.upload({ ...zip, fileName: 'job-9.zip' })).not.toBe(old.urls.get);
    expect(late.files.size).toBe(2);
    // Other bytes under the same name (a `name` input reused for another dataset): uploaded anew.
    const other = await replicateSimulator();
    const changed = await readFile(zip.path);
    changed[changed.length - 1]! ^= 1;
    other.addFile('job-9.zip', changed);
    const s2 = provider(other);
    await s2.findReusable({ name: 'job-9', settings: SETTINGS });
    await s2.upload({ ...zip, fileName: 'job-9.zip' });
    expect(other.files.size).toBe(2);
  });

  it('settles a lost create answer: a 429 created nothing; else the list decides', async () => {
    const sim = await replicateSimulator();
    const p = provider(sim);
    await p.findReusable({ name: 'j', settings: SETTINGS });
    const url = await p.upload({ ...(await zipOnDisk()), fileName: 'j.zip' });
    const plan = { name: 'j', dataUrl: url, uploaded: true, settings: SETTINGS };
    const lost = (init: Partial<ConstructorParameters<typeof HttpError>[0]>) =>
      new HttpError({ what: 'create', transient: true, serverMessage: 'x', ...init });
    expect((await p.afterLostSubmit(plan, lost({ status: 429 }))).found).toBe('none');
    const before = sim.requests.length;
    expect((await p.afterLostSubmit(plan, lost({ status: 502 }))).found).toBe('none');
    expect(sim.requests.slice(before).map((r) => r.path)).toEqual(['/v1/trainings']);

    sim.injectFault('submit', { afterCommit: true, reset: true });
    const error = await p.submit(plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    const after = await p.afterLostSubmit(plan, error as HttpError);
    expect(after.found).toMatchObject({ id: [...sim.trainings.keys()][0], name: 'j' });

    sim.injectFault('list', { status: 500, times: 3 });
    const listFailed = await p
      .afterLostSubmit(plan, lost({ status: 502 }))
      .catch((e: unknown) => e);
    expect(listFailed).toBeInstanceOf(ActionError);
  });

  it('finds the training of a lost answer when the list writes its file URL another way', async () => {
    const sim = await replicateSimulator();
    const p = provider(sim);
    await p.findReusable({ name: 'k', settings: SETTINGS });
    const url = await p.upload({ ...(await zipOnDisk()), fileName: 'k.zip' });
    const plan = { name: 'k', dataUrl: url, uploaded: true, settings: SETTINGS };
    sim.injectFault('submit', { afterCommit: true, reset: true });
    const error = (await p.submit(plan).catch((e: unknown) => e)) as HttpError;
    const [id, created] = [...sim.trainings.entries()][0]!;
    created.input.input_images = `${url}.zip`;
    expect((await p.afterLostSubmit(plan, error)).found).toMatchObject({ id, name: 'k' });
  });

  it('with dataset-url, never takes another run’s training made before the submit for its own', async () => {
    const sim = await replicateSimulator();
    const p = provider(sim);
    const zip = 'https://example.com/shared.zip';
    await p.findReusable({ name: 'd', settings: SETTINGS, datasetUrl: zip });
    // Made by another run after this one looked and before it submitted.
    sim.addTraining({
      status: 'processing',
      input: { input_images: zip, ...INPUT },
      created_at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const plan = { name: 'd', dataUrl: zip, uploaded: false, settings: SETTINGS };
    sim.injectFault('submit', { afterCommit: true, reset: true });
    const error = (await p.submit(plan).catch((e: unknown) => e)) as HttpError;
    const mine = [...sim.trainings.values()].at(-1)!;
    expect((await p.afterLostSubmit(plan, error)).found).toMatchObject({ id: mine.id });
    sim.trainings.delete(mine.id);
    const again = await p.afterLostSubmit(plan, error);
    expect(again.found).toBe('none');
  });

  it('never takes a failure before the create for a lost answer', async () => {
    const sim = await replicateSimulator();
    sim.injectFault('model', { status: 503, times: 3 });
    const error = await provider(sim)
      .submit({ name: 'j', dataUrl: 'https://x/d.zip', uploaded: false, settings: SETTINGS })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).not.toBeInstanceOf(HttpError);
    expect(sim.requests.some((r) => r.path.endsWith('/trainings'))).toBe(false);
  });

  it('reads the trainer’s version at run time, and says so when there is none', async () => {
    const sim = await replicateSimulator({ trainerVersion: 'a'.repeat(64) });
    const p = provider(sim);
    await p.upload({ ...(await zipOnDisk()), fileName: 'v.zip' });
    const job = await p.submit({
      name: 'v',
      dataUrl: [...sim.files.values()][0]!.record.urls.get,
      uploaded: true,
      settings: SETTINGS,
    });
    expect(job.trainedBy).toBe(`ostris/flux-dev-lora-trainer:${'a'.repeat(64)}`);
    sim.models.get('ostris/flux-dev-lora-trainer')!.versions.length = 0;
    const none = await provider(sim, { destination: 'sim-user/x' })
      .upload({ ...(await zipOnDisk()), fileName: 'w.zip' })
      .catch((e: unknown) => e);
    expect((none as ActionError).message).toMatch(/has no version to train with/);
  });

  it('gives the download the token only for Replicate’s own hosts, and says why there are no weights', async () => {
    const sim = await replicateSimulator();
    const p = provider(sim);
    const own = p.modelSource(
      p.job(training({ status: 'succeeded', output: { weights: `${sim.url}/delivery/x.tar` } })),
    );
    expect(own).toMatchObject({ provider: 'Replicate', tar: true, refreshable: false });
    expect((await own.link()).headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
    const foreign = p.modelSource(
      p.job(training({ status: 'succeeded', output: { weights: 'https://cdn.example/w.tar' } })),
    );
    expect((await foreign.link()).headers).toBeUndefined();
    expect(() => p.modelSource(p.job(training({ status: 'processing' })))).toThrow(
      /has no weights to download \(status processing\)/,
    );
  });

  it('cancels a running training, and reads a finished one Replicate will not cancel', async () => {
    const sim = await replicateSimulator({ cancelTerminal: 'refuse' });
    const running = sim.addTraining({ status: 'processing' });
    expect((await provider(sim).cancel(running.id)).stage).toBe('cancelled');
    const done = sim.addTraining({ status: 'succeeded' });
    expect((await provider(sim).cancel(done.id)).status).toBe('succeeded');
  });

  it('lists the trainer’s trainings only, every page, and says where a long list was cut', async () => {
    const sim = await replicateSimulator({ pageSize: 1 });
    for (let i = 0; i < 22; i++) sim.addTraining({ status: 'succeeded' });
    const list = await provider(sim).list();
    expect(list.jobs).toHaveLength(20);
    expect(list.scope).toMatch(/only the newest 20/);
    const short = await replicateSimulator({ pageSize: 2 });
    for (let i = 0; i < 3; i++) short.addTraining({ status: 'succeeded' });
    const all = await provider(short).list();
    expect(all.jobs).toHaveLength(3);
    expect(all.scope).toBeUndefined();
  });
});

describe('run() with provider: replicate, in process', () => {
  function inputs(sim: ReplicateSimulator, extra: Record<string, string> = {}) {
    return { provider: 'replicate', 'api-url': sim.url, 'api-key': TOKEN, ...extra };
  }

  it('trains, waits, and a second run adopts the training', async () => {
    const sim = await replicateSimulator();
    const ws = await workspace(photos());
    const first = await runInProcess(
      inputs(sim, { 'wait-for': 'TRAINING_COMPLETED', 'poll-interval-seconds': '1' }),
      { workspace: ws, retry: FAST },
    );
    expect(first.failed, first.stdout).toBe(false);
    expect(first.outputs).toMatchObject({
      provider: 'replicate',
      status: 'succeeded',
      reused: 'false',
    });
    expect(first.summary).toContain(
      `Trained by | \`ostris/flux-dev-lora-trainer:${TRAINER_VERSION}\``,
    );
    // Replicate publishes no price: the summary says so rather than nothing.
    expect(first.summary).toContain('**Cost:** not estimated: Replicate bills the trainer’s GPU');
    const second = await runInProcess(inputs(sim), { workspace: ws, retry: FAST });
    expect(second.failed, second.stdout).toBe(false);
    expect(second.outputs).toMatchObject({
      reused: 'true',
      'finetune-id': first.outputs['finetune-id'],
    });
    expect(sim.trainings.size).toBe(1);
    expect(sim.files.size).toBe(1);
  });

  it('status, list and cancel', async () => {
    const sim = await replicateSimulator();
    const t = sim.addTraining({ status: 'processing', walk: { neverFinish: true } });
    const ws = await workspace();
    const status = await runInProcess(inputs(sim, { command: 'status', 'finetune-id': t.id }), {
      workspace: ws,
      retry: FAST,
    });
    expect(status.failed, status.stdout).toBe(false);
    const list = await runInProcess(inputs(sim, { command: 'list' }), {
      workspace: ws,
      retry: FAST,
    });
    expect(JSON.parse(list.outputs.finetunes!)).toHaveLength(1);
    const cancel = await runInProcess(inputs(sim, { command: 'cancel', 'finetune-id': t.id }), {
      workspace: ws,
      retry: FAST,
    });
    expect(cancel.failed, cancel.stdout).toBe(false);
    expect(cancel.outputs.status).toBe('canceled');
  });
});
