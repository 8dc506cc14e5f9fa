import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplicateSimulator } from '../simulator/replicate-simulator.js';
import { FILE_LIFETIME_MS, TRAINER, TRAINER_VERSION } from '../simulator/replicate-simulator.js';
import { failureOf, visible, workspace } from './helpers/e2e.js';
import { jpeg, png } from './helpers/images.js';
import {
  calls,
  expectNoToken,
  photos,
  replicateSimulator,
  runReplicate,
  TOKEN,
} from './helpers/replicate.js';
import { until } from './helpers/until.js';
import { readZip } from './helpers/zip.js';

// provider: replicate, end to end: the bundled action in a child process against the Replicate
// simulator over loopback, as the runner runs it.

const WAIT = {
  'wait-for': 'TRAINING_COMPLETED',
  'poll-interval-seconds': '1',
  'wait-timeout-minutes': '1',
};
const TLS_CERT = path.join(import.meta.dirname, 'fixtures/tls/cert.pem');
const TLS_KEY = path.join(import.meta.dirname, 'fixtures/tls/key.pem');

function onlyTraining(sim: ReplicateSimulator) {
  expect(sim.trainings.size).toBe(1);
  return [...sim.trainings.values()][0]!;
}

describe('provider: replicate, train', () => {
  it('a new user’s run: photos and a token train into a private model named after the repository', async () => {
    const sim = await replicateSimulator();
    const ws = await workspace(photos());
    const result = await runReplicate(sim, ws, WAIT);
    expect(result.code, result.stdout).toBe(0);

    expect(calls(sim)).toEqual([
      'GET /v1/trainings',
      'GET /v1/files',
      'GET /v1/models/ostris/flux-dev-lora-trainer',
      'GET /v1/account',
      'GET /v1/models/sim-user/flux-models',
      'POST /v1/models',
      'POST /v1/files',
      `POST /v1/models/ostris/flux-dev-lora-trainer/versions/${TRAINER_VERSION}/trainings`,
      ...calls(sim).slice(8),
    ]);
    expect(
      calls(sim)
        .slice(8)
        .every((c) => /^GET \/v1\/trainings\/\w+$/.test(c)),
    ).toBe(true);
    expect(sim.models.get('sim-user/flux-models')).toMatchObject({
      visibility: 'private',
      hardware: 'gpu-t4',
    });
    const training = onlyTraining(sim);
    const file = [...sim.files.values()][0]!;
    expect(file.record.name).toBe(`${result.outputs.name}.zip`);
    expect(training.submitted).toEqual({
      destination: 'sim-user/flux-models',
      input: {
        input_images: file.record.urls.get,
        trigger_word: 'TOK',
        steps: 1000,
        lora_rank: 16,
        learning_rate: 0.0004,
        autocaption: true,
      },
    });
    const version = sim.models.get('sim-user/flux-models')!.versions[0]!.id;
    expect(result.outputs).toMatchObject({
      provider: 'replicate',
      'finetune-id': training.id,
      status: 'succeeded',
      reused: 'false',
      slug: `sim-user/flux-models:${version}`,
      'model-url': training.output!.weights!,
      'dataset-url': file.record.urls.get,
      'image-count': '12',
      'caption-count': '2',
    });
    expect(result.outputs.name).toMatch(/^flux-models-[0-9a-f]{12}$/);
    expect(JSON.parse(result.outputs.details!)).toMatchObject({ id: training.id, model: TRAINER });
    // The ZIP Replicate got is the one the outputs describe.
    expect(String(file.data.length)).toBe(result.outputs['zip-bytes']);
    expect(training.images).toHaveLength(12);

    expect(result.summary).toContain('Replicate');
    expect(result.summary).toContain(`| Trained by | \`${TRAINER}:${TRAINER_VERSION}\` |`);
    expect(result.summary).toMatch(/\*\*`succeeded`\*\* \(ready\)/);
    expect(visible(result)).toContain(
      'Created the private model sim-user/flux-models on Replicate',
    );
    expect(visible(result)).toMatch(/^Uploading: 100% \(0\.\d\d MB of 0\.\d\d MB\)$/m);
    expect(sim.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expectNoToken(result, sim);
    expect(result.tempLeft).toEqual([]);
  });

  it('a second run adopts the training it already has: no upload, no create, no second bill', async () => {
    const sim = await replicateSimulator();
    const ws = await workspace(photos());
    const first = await runReplicate(sim, ws);
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs.status).toBe('starting');
    expect(first.summary).toContain(`| Trained by | \`${TRAINER}:${TRAINER_VERSION}\` |`);
    const before = sim.requests.length;
    const second = await runReplicate(sim, ws);
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({
      reused: 'true',
      'finetune-id': first.outputs['finetune-id'],
      name: first.outputs.name,
    });
    expect(calls(sim, before)).toEqual([
      'GET /v1/trainings',
      'GET /v1/files',
      `GET /v1/trainings/${first.outputs['finetune-id']}`,
    ]);
    expect(sim.trainings.size).toBe(1);
    expect(sim.files.size).toBe(1);

    // A changed setting trains anew, into the same model.
    const changed = await runReplicate(sim, ws, { iterations: '1500' });
    expect(changed.code, changed.stdout).toBe(0);
    expect(changed.outputs.reused).toBe('false');
    expect(sim.trainings.size).toBe(2);
    expect(sim.requests.filter((r) => r.path === '/v1/models')).toHaveLength(1);
  });

  it('trains anew once Replicate no longer keeps the upload (24 hours), and says why', async () => {
    const sim = await replicateSimulator();
    const ws = await workspace(photos());
    const first = await runReplicate(sim, ws);
    expect(first.code, first.stdout).toBe(0);
    sim.advanceClock(FILE_LIFETIME_MS + 60_000);
    const later = await runReplicate(sim, ws);
    expect(later.code, later.stdout).toBe(0);
    expect(later.outputs.reused).toBe('false');
    expect(sim.trainings.size).toBe(2);
    expect(later.stdout).toMatch(
      new RegExp(
        `::warning::Replicate has training ${first.outputs['finetune-id']} \\(starting, created .*\\) with these settings into sim-user/flux-models, from an upload Replicate no longer keeps`,
      ),
    );
  });

  it('writes destination, public, settings and captions as asked', async () => {
    const sim = await replicateSimulator();
    const ws = await workspace({
      'dataset/a.jpg': jpeg(800, 800, 100),
      'dataset/b.jpg': jpeg(800, 800, 200),
      'dataset/b.txt': 'ZQX by the sea',
    });
    const result = await runReplicate(sim, ws, {
      destination: 'sim-user/my-product',
      public: 'true',
      'trigger-word': 'ZQX',
      'instance-prompt': 'a photo of ZQX',
      iterations: '2000',
      'learning-rate': '0.0002',
      'lora-rank': '32',
      captioning: 'false',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(sim.models.get('sim-user/my-product')!.visibility).toBe('public');
    const training = onlyTraining(sim);
    expect(training.destination).toBe('sim-user/my-product');
    expect(training.submitted!.input).toMatchObject({
      trigger_word: 'ZQX',
      steps: 2000,
      learning_rate: 0.0002,
      lora_rank: 32,
      autocaption: false,
    });
    expect(calls(sim)).not.toContain('GET /v1/account');
    // Uncaptioned images got the instance prompt: Replicate would not caption them.
    const zip = await readZip([...sim.files.values()][0]!.data);
    expect(zip.get('a.txt')!.data.toString()).toBe('a photo of ZQX');
    expect(zip.get('b.txt')!.data.toString()).toBe('ZQX by the sea');
    // Two images: Replicate's trainer recommends ten or more.
    expect(result.stdout).toMatch(/::warning.*recommends 10 or more/);
  });

  it('trains from dataset-url without uploading, and a re-run adopts it by its input', async () => {
    const tls = { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) };
    const sim = await replicateSimulator({ tls });
    const { datasetZip } = await import('./helpers/replicate.js');
    const zipUrl = sim.addPublicFile('/data/set.zip', await datasetZip());
    const env = { env: { NODE_EXTRA_CA_CERTS: TLS_CERT } };
    const ws = await workspace();
    const first = await runReplicate(sim, ws, { 'dataset-url': zipUrl, ...WAIT }, env);
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs.status).toBe('succeeded');
    expect(onlyTraining(sim).input.input_images).toBe(zipUrl);
    expect(sim.files.size).toBe(0);
    expect(sim.authorizationSentToPublic).toBe(false);
    const again = await runReplicate(sim, ws, { 'dataset-url': zipUrl }, env);
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs).toMatchObject({
      reused: 'true',
      'finetune-id': first.outputs['finetune-id'],
    });
    expect(sim.trainings.size).toBe(1);
    expectNoToken(again, sim);
    // A new ZIP at the same URL, a minute later: the training made before it trained other bytes.
    sim.advanceClock(60_000);
    sim.addPublicFile('/data/set.zip', await datasetZip({ 'b.png': png(32, 32), 'b.txt': 'TOK' }));
    const changed = await runReplicate(sim, ws, { 'dataset-url': zipUrl }, env);
    expect(changed.code, changed.stdout).toBe(0);
    expect(changed.outputs.reused).toBe('false');
    expect(sim.trainings.size).toBe(2);
  });

  it('says the destination is not the token’s when Replicate will not train into another owner’s model', async () => {
    const sim = await replicateSimulator();
    sim.addModel('someone-else/their-lora', { visibility: 'public' });
    const result = await runReplicate(sim, await workspace(photos()), {
      destination: 'someone-else/their-lora',
    });
    expect(result.code).toBe(1);
    expect(sim.trainings.size).toBe(0);
    expect(failureOf(result)).toMatch(
      /answered HTTP 404: The specified training destination does not exist\nReplicate would not train into someone-else\/their-lora with this token\. .*set `destination`/,
    );
  });

  it('trains into an existing destination, and into one another run created meanwhile', async () => {
    const sim = await replicateSimulator();
    sim.addModel('sim-user/flux-models', { visibility: 'public' });
    const result = await runReplicate(sim, await workspace(photos()));
    expect(result.code, result.stdout).toBe(0);
    expect(sim.requests.some((r) => r.path === '/v1/models')).toBe(false);
    expect(visible(result)).toContain('Training into the model sim-user/flux-models (public)');

    // The create answered, but the answer was lost: the retry meets a 409, which is success.
    const other = await replicateSimulator();
    other.injectFault('createModel', { afterCommit: true, reset: true });
    const raced = await runReplicate(other, await workspace(photos()));
    expect(raced.code, raced.stdout).toBe(0);
    expect(other.requests.filter((r) => r.path === '/v1/models')).toHaveLength(2);
    expect(visible(raced)).toContain('was created meanwhile');
    expect(other.trainings.size).toBe(1);
  });

  it('fails on a rejected token before anything is uploaded, saying what to check', async () => {
    const sim = await replicateSimulator();
    const wrong = 'r8_notTheRightTokenAtAll000000000000000';
    const result = await runReplicate(sim, await workspace(photos()), { 'api-key': wrong });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Looking for an earlier training of flux-models-\w+ at Replicate failed: Replicate GET \/v1\/trainings answered HTTP 401: Unauthenticated: You did not pass a valid authentication token\nReplicate rejected the API token\. .* Nothing was uploaded or submitted/,
    );
    expect(calls(sim)).toEqual(['GET /v1/trainings']);
    expect(visible(result)).not.toContain(wrong);
    expect(result.tempLeft).toEqual([]);
  });

  it('fails before uploading when the destination cannot be made, naming what to do', async () => {
    const sim = await replicateSimulator();
    const result = await runReplicate(sim, await workspace(photos()), {
      destination: 'someone-else/model',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Replicate POST \/v1\/models answered HTTP 403: Forbidden: You do not have permission to create models for someone-else\.\nReplicate did not let this token create the model someone-else\/model/,
    );
    expect(sim.files.size).toBe(0);
    expect(sim.trainings.size).toBe(0);
    expect(result.tempLeft).toEqual([]);
  });

  it('shows a 422 field by field, creates nothing and sends nothing again', async () => {
    const sim = await replicateSimulator();
    sim.injectFault('submit', {
      status: 422,
      body: {
        title: 'Input validation failed',
        detail: '- input.lora_rank: Must be less than or equal to 64\n',
        status: 422,
        invalid_fields: [
          {
            type: 'number_lte',
            field: 'input.lora_rank',
            description: 'Must be less than or equal to 64',
          },
          {
            type: 'enum',
            field: 'input.optimizer',
            description: 'optimizer must be one of\n::error::x',
          },
        ],
      },
    });
    const result = await runReplicate(sim, await workspace(photos()), { 'lora-rank': '128' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toContain(
      'answered HTTP 422: Input validation failed:\n- input.lora_rank: Must be less than or equal to 64\n- input.optimizer: optimizer must be one of ::error::x',
    );
    expect(result.stdout.split('\n').some((l) => l.startsWith('::error::x'))).toBe(false);
    expect(
      sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/trainings')),
    ).toHaveLength(1);
    expect(sim.trainings.size).toBe(0);
  });

  it('fails the step with Replicate’s error when the training fails, and when it is cancelled', async () => {
    const sim = await replicateSimulator();
    sim.setTrainingBehaviour({ failWith: 'CUDA out of memory\n::error::injected' });
    const failed = await runReplicate(sim, await workspace(photos()), WAIT);
    expect(failed.code).toBe(1);
    const training = onlyTraining(sim);
    expect(failureOf(failed)).toContain(
      `Fine-tune ${training.id} failed at Replicate (status failed): CUDA out of memory`,
    );
    expect(failed.stdout.split('\n').some((l) => l.startsWith('::error::injected'))).toBe(false);
    expect(failed.outputs).toMatchObject({ 'finetune-id': training.id, status: 'failed' });
    // In the summary the message sits in a code fence, inert.
    expect(failed.summary).toMatch(
      /```text\nFine-tune \w+ failed at Replicate \(status failed\): CUDA out of memory\n/,
    );
    expect(failed.tempLeft).toEqual([]);

    // Someone cancels it on replicate.com while the step waits.
    const other = await replicateSimulator({ pollsPerStatus: 3 });
    other.setTrainingBehaviour({ neverFinish: true });
    const ws = await workspace(photos());
    const cancelled = await runReplicate(other, ws, WAIT, {
      onSpawn: (_child: ChildProcess, stdout) => {
        void until('a status line', () => / after \d+ s$/m.test(stdout())).then(async () => {
          const id = [...other.trainings.keys()][0]!;
          await fetch(`${other.url}/v1/trainings/${id}/cancel`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${TOKEN}` },
          });
        });
      },
    });
    expect(cancelled.code).toBe(1);
    expect(failureOf(cancelled)).toMatch(/was cancelled at Replicate \(status canceled\)/);
  });

  it('settles lost create answers: adopts what was created, sends again only when nothing was', async () => {
    for (const fault of [
      { afterCommit: true, reset: true },
      { afterCommit: true, status: 502 },
      { afterCommit: true, truncate: true },
      { afterCommit: true, malformed: 'not-json' as const },
    ]) {
      const sim = await replicateSimulator();
      sim.injectFault('submit', fault);
      const result = await runReplicate(sim, await workspace(photos()));
      const context = `${JSON.stringify(fault)}\n${result.stdout}`;
      expect(result.code, context).toBe(0);
      const training = onlyTraining(sim);
      expect(result.outputs['finetune-id'], context).toBe(training.id);
      expect(visible(result), context).toContain(
        `The job was created despite the lost answer: fine-tune ${training.id}. Not submitting again.`,
      );
      expect(
        sim.requests.filter((r) => r.path.endsWith('/trainings') && r.method === 'POST'),
      ).toHaveLength(1);
    }
    // A create still under way when its answer was lost: not listed at the first look, listed
    // at the second, and adopted rather than sent again.
    const late = await replicateSimulator();
    late.injectFault('submit', { status: 504, commitAfterNextList: true });
    const slow = await runReplicate(late, await workspace(photos()));
    expect(slow.code, slow.stdout).toBe(0);
    expect(visible(slow)).toContain('Replicate does not show the job yet; looking once more');
    expect(slow.outputs['finetune-id']).toBe(onlyTraining(late).id);
    expect(
      late.requests.filter((r) => r.path.endsWith('/trainings') && r.method === 'POST'),
    ).toHaveLength(1);

    const sim = await replicateSimulator();
    sim.injectFault('submit', { status: 502 });
    const again = await runReplicate(sim, await workspace(photos()));
    expect(again.code, again.stdout).toBe(0);
    expect(visible(again)).toContain(
      'The trainings list shows no training of this dataset, so none was created; submitting again.',
    );
    expect(sim.trainings.size).toBe(1);
  });

  it('honours 429 with Retry-After everywhere, the create included (a 429 created nothing)', async () => {
    const sim = await replicateSimulator();
    for (const key of [
      'list',
      'files',
      'model',
      'account',
      'createModel',
      'upload',
      'submit',
      'training',
    ] as const) {
      sim.injectFault(key, { status: 429, retryAfter: '0.3' });
    }
    const started = Date.now();
    const result = await runReplicate(sim, await workspace(photos()), WAIT);
    expect(result.code, result.stdout).toBe(0);
    expect(sim.trainings.size).toBe(1);
    expect(sim.files.size).toBe(1);
    const asked = result.stdout.match(/as Retry-After asked/g) ?? [];
    expect(asked.length).toBeGreaterThanOrEqual(7);
    expect(visible(result)).toContain(
      'Replicate refused the request (HTTP 429, a rate limit), so no training was created; submitting again.',
    );
    // Eight waits of 0.3 s, each in turn (the submit's after its look).
    expect(Date.now() - started).toBeGreaterThan(8 * 300);
  });
});
