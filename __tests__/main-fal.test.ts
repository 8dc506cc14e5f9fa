// run() in process against the fal simulator: the fal paths of train.ts, commands.ts and the fal
// provider, here so that coverage of src/ is measured (the end-to-end tests run the bundle).
import { describe, expect, it } from 'vitest';
import { workspace } from './helpers/e2e.js';
import { FAL_KEY, falDataset, falSimulator } from './helpers/fal.js';
import { runInProcess } from './helpers/in-process.js';
import type { FalSimulator } from '../simulator/fal-simulator.js';

const FAST = { attempts: 5, baseDelayMs: 10, maxDelayMs: 300, maxTotalMs: 120_000 };

function against(sim: FalSimulator, inputs: Record<string, string> = {}): Record<string, string> {
  return { provider: 'fal', 'api-url': sim.url, 'api-key': FAL_KEY, ...inputs };
}

describe('run() with provider: fal', () => {
  it('a dry run checks the dataset against the trainer’s floor and shows the cost, sending nothing', async () => {
    const ws = await workspace(falDataset(12));
    const result = await runInProcess(
      { provider: 'fal', 'dry-run': 'true', 'base-model': 'FLUX_2_DEV', iterations: '2000' },
      { workspace: ws },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(result.outputs.provider).toBe('fal');
    expect(result.summary).toMatch(/Ready to train.*this dry run sent nothing to fal/);
    expect(result.summary).toMatch(/\*\*Cost:\*\* about \$12\.80 \(2000 steps at \$0\.0064 a step/);
    expect(result.summary).toContain('| Trainer | `fal-ai/flux-2-trainer` (FLUX_2_DEV) |');
  });

  it.each([
    ['GENERAL', 'captioned by fal'],
    // fal's style mode turns its captioning off: the summary must not promise captions.
    ['STYLE', 'trained with the trigger word (fal’s style mode captions nothing)'],
  ])('a dry run with theme %s says what uncaptioned images train with', async (theme, words) => {
    const ws = await workspace(falDataset(5));
    const result = await runInProcess(
      { provider: 'fal', 'dry-run': 'true', theme },
      { workspace: ws },
    );
    expect(result.failed, result.stdout).toBe(false);
    expect(result.summary).toContain(`| Uncaptioned images | ${words} |`);
  });

  it('trains, waits and downloads the LoRA; a second run adopts it', async () => {
    const sim = await falSimulator();
    const ws = await workspace(falDataset(5));
    const inputs = against(sim, {
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
      'download-model': 'lora/m.safetensors',
    });
    const first = await runInProcess(inputs, { workspace: ws, retry: FAST });
    expect(first.failed, first.stdout).toBe(false);
    expect(first.outputs).toMatchObject({
      status: 'COMPLETED',
      'model-path': 'lora/m.safetensors',
    });
    const second = await runInProcess(inputs, { workspace: ws, retry: FAST });
    expect(second.failed, second.stdout).toBe(false);
    expect(second.outputs.reused).toBe('true');
    expect(sim.queue.size).toBe(1);
  });

  it.each(['name', 'id-only'] as const)(
    'with an upload URL that ends in %s: adopts by the name, or warns that it cannot',
    async (shape) => {
      const sim = await falSimulator({ uploadUrlShape: shape });
      const ws = await workspace(falDataset(5));
      // Waited for: fal's history lists a request once it has finished.
      const inputs = against(sim, { 'wait-for': 'AVAILABLE', 'poll-interval-seconds': '1' });
      const first = await runInProcess(inputs, { workspace: ws, retry: FAST });
      expect(first.failed, first.stdout).toBe(false);
      const warning = /fal stored the dataset under a name other than flux-models-\w+\.zip/;
      const second = await runInProcess(inputs, { workspace: ws, retry: FAST });
      expect(second.failed, second.stdout).toBe(false);
      if (shape === 'name') {
        expect(first.stdout).not.toMatch(warning);
        expect(second.outputs.reused).toBe('true');
        expect(sim.queue.size).toBe(1);
      } else {
        // What a re-run would cost is said when it is made, not found out from the bill.
        expect(first.stdout).toMatch(warning);
        expect(second.outputs.reused).toBe('false');
        expect(sim.queue.size).toBe(2);
      }
    },
  );

  it('says, where the job goes on unwatched, that a re-run before it finishes pays again', async () => {
    const sim = await falSimulator({ pollsPerStatus: 1000 });
    const ws = await workspace(falDataset(5));
    const caveat = /re-running this workflow before then trains, and pays, again/;
    const unwatched = await runInProcess(against(sim), { workspace: ws, retry: FAST });
    expect(unwatched.failed, unwatched.stdout).toBe(false);
    expect(unwatched.stdout).toMatch(/::notice::Fine-tune \S+ was not waited for/);
    expect(unwatched.stdout).toMatch(caveat);
    // A wait that times out says it after a training; following one with `command: status`
    // trains nothing, and does not.
    for (const [inputs, warns] of [
      [{ name: 'other' }, true],
      [{ command: 'status', 'finetune-id': unwatched.outputs['finetune-id']! }, false],
    ] as const) {
      const timedOut = await runInProcess(
        against(sim, {
          ...inputs,
          'wait-for': 'AVAILABLE',
          'wait-timeout-minutes': '0.001',
          'poll-interval-seconds': '1',
        }),
        { workspace: ws, retry: FAST },
      );
      expect(timedOut.failed).toBe(true);
      expect(timedOut.stdout).toMatch(/Timed out after/);
      if (warns) expect(timedOut.stdout).toMatch(caveat);
      else expect(timedOut.stdout).not.toMatch(caveat);
    }
  });

  it('status with a wait, list, cancel and download of one request', async () => {
    const sim = await falSimulator({ pollsPerStatus: 2 });
    const ws = await workspace(falDataset(5));
    const trained = await runInProcess(against(sim), { workspace: ws, retry: FAST });
    expect(trained.failed, trained.stdout).toBe(false);
    const id = trained.outputs['finetune-id']!;
    const status = await runInProcess(
      against(sim, {
        command: 'status',
        'finetune-id': id,
        'wait-for': 'TRAINING_COMPLETED',
        'poll-interval-seconds': '1',
      }),
      { workspace: ws, retry: FAST },
    );
    expect(status.failed, status.stdout).toBe(false);
    expect(status.outputs.status).toBe('COMPLETED');
    const list = await runInProcess(against(sim, { command: 'list' }), {
      workspace: ws,
      retry: FAST,
    });
    expect(JSON.parse(list.outputs.finetunes!)).toHaveLength(1);
    const download = await runInProcess(against(sim, { command: 'download', 'finetune-id': id }), {
      workspace: ws,
      retry: FAST,
    });
    expect(download.failed, download.stdout).toBe(false);
    expect(download.outputs['model-path']).toBe('model.safetensors');
    const cancel = await runInProcess(against(sim, { command: 'cancel', 'finetune-id': id }), {
      workspace: ws,
      retry: FAST,
    });
    expect(cancel.failed, cancel.stdout).toBe(false);
    expect(cancel.stdout).toContain('had finished already');
  });
});

describe('run() when the inputs are refused', () => {
  it('names the provider the step asked for in the headline, or none when it is not one', async () => {
    const ws = await workspace(falDataset(5));
    const noKey = await runInProcess({ provider: 'replicate', 'api-key': '' }, { workspace: ws });
    expect(noKey.failed).toBe(true);
    expect(noKey.summary).toMatch(/^#+ Replicate fine-tune: failed/m);
    expect(noKey.summary).not.toContain('Segmind');
    const unknown = await runInProcess({ provider: 'fall', 'api-key': 'k' }, { workspace: ws });
    expect(unknown.failed).toBe(true);
    expect(unknown.summary).toMatch(/^#+ Fine-tune: failed/m);
  });
});
