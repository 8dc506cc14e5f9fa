// run() (src/main.ts) in process against the simulator: the same paths the end-to-end tests take
// through the bundle, here so that coverage of src/ (train.ts, main.ts, commands.ts) is measured.
import { describe, expect, it } from 'vitest';
import { API_KEY, sampleDataset, simulator, workspace } from './helpers/e2e.js';
import { runInProcess } from './helpers/in-process.js';
import type { Simulator } from '../simulator/segmind-simulator.js';

// Backoffs scaled down (read by src/http/retry.ts), as the end-to-end tests do.
const FAST = { attempts: 5, baseDelayMs: 10, maxDelayMs: 300, maxTotalMs: 120_000 };

function against(sim: Simulator, inputs: Record<string, string> = {}): Record<string, string> {
  return { 'api-url': sim.url, 'api-key': API_KEY, ...inputs };
}

describe('run(), command: train', () => {
  it('checks and zips the dataset in a dry run, sending nothing and needing no key', async () => {
    const ws = await workspace(sampleDataset());
    const result = await runInProcess({ 'dry-run': 'true' }, { workspace: ws });
    expect(result.failed, result.stdout).toBe(false);
    expect(result.outputs).toMatchObject({
      'image-count': '3',
      'caption-count': '2',
      reused: 'false',
    });
    expect(result.outputs.name).toMatch(/^flux-models-[0-9a-f]{12}$/);
    expect(result.stdout).toContain('Dry run: the dataset is ready to train');
    expect(result.summary).toContain(result.outputs['dataset-sha256']!);
    expect(result.tempLeft).toEqual([]);
  });

  it('uploads and submits, then adopts the same job on a second run instead of paying twice', async () => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const first = await runInProcess(against(sim), { workspace: ws });
    expect(first.failed, first.stdout).toBe(false);
    expect(first.outputs.reused).toBe('false');
    expect(sim.jobs.has(first.outputs['finetune-id']!)).toBe(true);
    expect(sim.uploads.size).toBe(1);
    expect(first.tempLeft).toEqual([]);

    const second = await runInProcess(against(sim), { workspace: ws });
    expect(second.failed, second.stdout).toBe(false);
    expect(second.outputs).toMatchObject({
      reused: 'true',
      'finetune-id': first.outputs['finetune-id'],
      name: first.outputs.name,
    });
    expect(sim.jobs.size).toBe(1);
    expect(sim.uploads.size).toBe(1);
  });

  it('waits until the job reaches wait-for, with its outputs', async () => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const result = await runInProcess(
      against(sim, { 'wait-for': 'TRAINING_COMPLETED', 'poll-interval-seconds': '1' }),
      { workspace: ws },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(result.outputs.status).toBe('TRAINING_COMPLETED');
    expect(result.outputs['model-url']).toBeTruthy();
  });

  it('adopts the job a lost submit answer created, submitting once', async () => {
    const sim = await simulator();
    sim.injectFault('submit', { afterCommit: true, status: 502 });
    const ws = await workspace(sampleDataset());
    const result = await runInProcess(against(sim), { workspace: ws, retry: FAST });
    expect(result.failed, result.stdout).toBe(false);
    expect(sim.jobs.size).toBe(1);
    expect(result.outputs['finetune-id']).toBe([...sim.jobs.keys()][0]);
    expect(result.stdout).toContain('Not submitting again');
  });

  it('submits again when a lost answer created nothing', async () => {
    const sim = await simulator();
    sim.injectFault('submit', { status: 502 });
    const ws = await workspace(sampleDataset());
    const result = await runInProcess(against(sim), { workspace: ws, retry: FAST });
    expect(result.failed, result.stdout).toBe(false);
    expect(sim.jobs.size).toBe(1);
    expect(result.stdout).toContain('submitting again');
  });

  it('uploads again after a storage 5xx, and gets a fresh URL once after a 403', async () => {
    const sim = await simulator();
    sim.injectFault('upload', { status: 500 });
    sim.injectFault('upload', { status: 403, body: 'Request has expired' });
    const ws = await workspace(sampleDataset());
    const result = await runInProcess(against(sim), { workspace: ws, retry: FAST });
    expect(result.failed, result.stdout).toBe(false);
    const puts = sim.requests.filter((r) => r.server === 'storage' && r.method === 'PUT');
    expect(puts).toHaveLength(3);
    const presigns = sim.requests.filter((r) => r.path.startsWith('/finetune/request/upload'));
    expect(presigns).toHaveLength(2);
    expect(sim.jobs.size).toBe(1);
  });

  it('fails naming the URL when a dataset-url cannot be reached, submitting nothing', async () => {
    const sim = await simulator();
    // Nothing listens on port 1 of loopback: every HEAD is refused, then retried, then reported.
    const url = 'https://127.0.0.1:1/datasets/mugs.zip';
    const result = await runInProcess(against(sim, { 'dataset-url': url }), {
      workspace: await workspace(),
      retry: FAST,
    });
    expect(result.failed).toBe(true);
    expect(result.failure).toContain(`HEAD ${url} failed`);
    expect(sim.jobs.size).toBe(0);
  });

  it('fails with the input error before any file work, and still writes the summary', async () => {
    const ws = await workspace(sampleDataset());
    const result = await runInProcess({ 'dry-run': 'true', iterations: 'many' }, { workspace: ws });
    expect(result.failed).toBe(true);
    expect(result.failure).toMatch(/iterations/);
    expect(result.outputs['image-count']).toBeUndefined();
    expect(result.summary).not.toBe('');
  });

  it('fails naming the dataset problem when there is no image', async () => {
    const ws = await workspace({ 'dataset/notes.txt': 'no images here' });
    const result = await runInProcess({ 'dry-run': 'true' }, { workspace: ws });
    expect(result.failed).toBe(true);
    expect(result.failure).toMatch(/image/i);
  });
});

describe('run(), the other commands', () => {
  it('status: outputs the record', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'mug-v1', status: 'AVAILABLE' });
    const result = await runInProcess(
      against(sim, { command: 'status', 'finetune-id': job.finetune_id }),
      { workspace: await workspace() },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(result.outputs).toMatchObject({ status: 'AVAILABLE', name: 'mug-v1' });
    expect(result.stdout).toContain(`Fine-tune ${job.finetune_id} (mug-v1): AVAILABLE`);
  });

  it('status with wait-for: waits for the status', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'mug-v2', status: 'TRAINING_INITIATED' });
    const result = await runInProcess(
      against(sim, {
        command: 'status',
        'finetune-id': job.finetune_id,
        'wait-for': 'AVAILABLE',
        'poll-interval-seconds': '1',
      }),
      { workspace: await workspace() },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(result.outputs.status).toBe('AVAILABLE');
  });

  it('status: fails with Segmind’s message for a failed job', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'bad', status: 'DATA_PROCESSING', error_message: 'no images' });
    const result = await runInProcess(
      against(sim, { command: 'status', 'finetune-id': job.finetune_id }),
      { workspace: await workspace() },
    );
    expect(result.failed).toBe(true);
    expect(result.failure).toContain('no images');
  });

  it('list: outputs the fine-tunes', async () => {
    const sim = await simulator();
    sim.addJob({ name: 'one', status: 'AVAILABLE' });
    sim.addJob({ name: 'two', status: 'DATA_PROCESSING', error_message: 'broken' });
    const result = await runInProcess(against(sim, { command: 'list' }), {
      workspace: await workspace(),
    });
    expect(result.failed, result.stdout).toBe(false);
    const names = (JSON.parse(result.outputs.finetunes!) as { name: string }[]).map((f) => f.name);
    expect(names.sort()).toEqual(['one', 'two']);
    expect(result.stdout).toContain('2 fine-tune(s) on this account.');
    expect(result.stdout).toContain('(broken)');
  });

  it('set-access: makes the model public', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'mug-v3', status: 'AVAILABLE' });
    const result = await runInProcess(
      against(sim, { command: 'set-access', 'finetune-id': job.finetune_id, public: 'true' }),
      { workspace: await workspace() },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(job.segmind_public).toBe(true);
    expect(result.outputs.name).toBe('mug-v3');
    expect(result.stdout).toContain('is now public');
  });
});
