import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplicateSimulator } from '../simulator/replicate-simulator.js';
import { failureOf, visible, workspace } from './helpers/e2e.js';
import {
  expectNoToken,
  photos,
  replicateSimulator,
  runReplicate,
  TOKEN,
} from './helpers/replicate.js';

// Replicate's weights are a tar (output/flux_train_replicate/lora.safetensors inside) fetched
// with the token: the provider hands the download a ModelSource with `tar: true` and the token
// in its headers, and the download (src/transfer/download.ts) lands the one .safetensors inside
// at `download-model`, streamed, resumable, atomic, with that file's sha256.

const WAIT = {
  'wait-for': 'TRAINING_COMPLETED',
  'poll-interval-seconds': '1',
  'wait-timeout-minutes': '1',
};

function weightGets(sim: ReplicateSimulator) {
  return sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/delivery/'));
}

async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('provider: replicate, the weights', () => {
  it('a new user’s run: photos, a token and one YAML block leave the LoRA at download-model', async () => {
    const sim = await replicateSimulator({ modelBytes: 300_000 });
    const ws = await workspace(photos());
    const result = await runReplicate(sim, ws, {
      ...WAIT,
      'download-model': 'models/lora.safetensors',
    });
    expect(result.code, result.stdout).toBe(0);
    const training = [...sim.trainings.values()][0]!;
    const expected = sim.weights(training.id).lora;
    const written = await readFile(path.join(ws, 'models/lora.safetensors'));
    expect(written.length).toBe(expected.size);
    expect(createHash('sha256').update(written).digest('hex')).toBe(expected.sha256);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'model-path': 'models/lora.safetensors',
      'model-sha256': expected.sha256,
      'model-bytes': String(expected.size),
      'model-url': training.output!.weights!,
    });
    expect(sim.models.get('sim-user/flux-models')!.visibility).toBe('private');
    // The tar was asked for with the token, and nothing but the model is left in the folder.
    expect(weightGets(sim).every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(await filesIn(path.join(ws, 'models'))).toEqual(['lora.safetensors']);
    expect(result.summary).toContain(expected.sha256);
    expectNoToken(result, sim);
    expect(result.tempLeft).toEqual([]);
  });

  it('command: download fetches a finished training’s LoRA to model.safetensors', async () => {
    const sim = await replicateSimulator();
    const t = sim.addTraining({ status: 'succeeded' });
    const ws = await workspace();
    const result = await runReplicate(sim, ws, { command: 'download', 'finetune-id': t.id });
    expect(result.code, result.stdout).toBe(0);
    const expected = sim.weights(t.id).lora;
    expect(result.outputs['model-sha256']).toBe(expected.sha256);
    expect(
      createHash('sha256')
        .update(await readFile(path.join(ws, 'model.safetensors')))
        .digest('hex'),
    ).toBe(expected.sha256);
  });

  it('resumes a download cut off mid-tar, and the LoRA is whole', async () => {
    const sim = await replicateSimulator({ modelBytes: 500_000 });
    const t = sim.addTraining({ status: 'succeeded' });
    sim.injectFault('weights', { resetAfterBytes: 200_000 });
    const ws = await workspace();
    const result = await runReplicate(sim, ws, { command: 'download', 'finetune-id': t.id });
    expect(result.code, result.stdout).toBe(0);
    expect(weightGets(sim).map((r) => r.headers.range)).toEqual([undefined, 'bytes=200000-']);
    expect(result.outputs['model-sha256']).toBe(sim.weights(t.id).lora.sha256);
  });

  it('waits past succeeded until the output names its weights, then downloads them', async () => {
    const sim = await replicateSimulator();
    sim.setTrainingBehaviour({ weightsAfterPolls: 4 });
    const ws = await workspace(photos());
    const result = await runReplicate(sim, ws, { ...WAIT, 'download-model': 'lora.safetensors' });
    expect(result.code, result.stdout).toBe(0);
    expect(visible(result)).toMatch(/succeeded but no weights yet; waiting for it/);
    expect(result.outputs['model-sha256']).toBe(
      sim.weights([...sim.trainings.keys()][0]!).lora.sha256,
    );
  });

  it.each([
    ['none', /The model archive from Replicate holds no \.safetensors file/],
    ['two', /The model archive from Replicate holds more than one \.safetensors file/],
  ] as const)(
    'fails clearly on a tar with %s .safetensors, writing nothing',
    async (loras, message) => {
      const sim = await replicateSimulator();
      const t = sim.addTraining({ status: 'succeeded', walk: { loras } });
      const ws = await workspace();
      const result = await runReplicate(sim, ws, { command: 'download', 'finetune-id': t.id });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(message);
      expect(await filesIn(ws)).toEqual([]);
      expect(result.tempLeft).toEqual([]);
    },
  );

  it('says a training that is still running has no weights yet, and how to wait for them', async () => {
    const sim = await replicateSimulator();
    const t = sim.addTraining({ status: 'processing', walk: { neverFinish: true } });
    const ws = await workspace();
    const result = await runReplicate(sim, ws, { command: 'download', 'finetune-id': t.id });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      new RegExp(
        `Replicate training ${t.id} has no weights to download \\(status processing\\)\\.\\nIt is still training`,
      ),
    );
    expect(weightGets(sim)).toEqual([]);
  });
});
