import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFile } from '../simulator/fal-simulator.js';
import { failureOf, visible, workspace } from './helpers/e2e.js';
import { FAL_KEY, falApiRequests, falDataset, falSimulator, runFal } from './helpers/fal.js';
import { readZip } from './helpers/zip.js';

describe('fal, end to end (dist/index.js against the fal simulator)', () => {
  it('a new user: photos, a key, one step give the LoRA file, outputs and a summary', async () => {
    const sim = await falSimulator();
    const ws = await workspace(falDataset(5));
    const result = await runFal(sim, ws, {
      'trigger-word': 'MUGTOK',
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
      'download-model': 'models/mug.safetensors',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(falApiRequests(sim)).toEqual([
      'GET /v1/models/requests/by-endpoint',
      'POST /storage/upload/initiate',
      'POST /fal-ai/flux-lora-fast-training',
      'GET /fal-ai/flux-lora-fast-training/requests/{id}/status',
      'GET /fal-ai/flux-lora-fast-training/requests/{id}/status',
      'GET /fal-ai/flux-lora-fast-training/requests/{id}',
    ]);
    const request = [...sim.queue.values()][0]!;
    expect(sim.queue.size).toBe(1);
    expect(request.input).toEqual({
      images_data_url: result.outputs['dataset-url'],
      trigger_word: 'MUGTOK',
      steps: 1000,
    });
    // fal's CDN shape: an id of 21 characters, '_', then the uploaded file's name.
    expect(result.outputs['dataset-url']).toMatch(
      new RegExp(`/[\\w-]{21}_${result.outputs.name}\\.zip$`),
    );
    expect(result.outputs).toMatchObject({
      provider: 'fal',
      'finetune-id': request.request_id,
      status: 'COMPLETED',
      slug: 'fal-ai/flux-lora',
      reused: 'false',
      'model-path': 'models/mug.safetensors',
      'image-count': '5',
    });
    const lora = modelFile(request.request_id, request.modelBytes);
    const written = await readFile(path.join(ws, 'models/mug.safetensors'));
    expect(written.length).toBe(lora.size);
    expect(createHash('sha256').update(written).digest('hex')).toBe(lora.sha256());
    expect(result.outputs['model-sha256']).toBe(lora.sha256());
    expect(result.outputs['model-url']).toBe(
      (request.output!.diffusers_lora_file as { url: string }).url,
    );
    expect(JSON.parse(result.outputs.details!)).toMatchObject({
      request_id: request.request_id,
      endpoint_id: 'fal-ai/flux-lora-fast-training',
      status: 'COMPLETED',
    });
    expect(result.summary).toMatch(/^### fal fine-tune: COMPLETED/m);
    expect(result.summary).toContain('| Status | **COMPLETED** (ready) |');
    // The LoRA's URL is the model-url output: shown, not masked.
    expect(result.summary).toContain(`| Model URL | \`${result.outputs['model-url']}\` |`);
    expect(result.summary).toMatch(/\*\*Cost:\*\* about \$2\.00 \(1000 steps/);
    expect(result.tempLeft).toEqual([]);
    // The key went to fal's API only, and never showed.
    expect(sim.keyLeaked).toBe(false);
    for (const r of sim.requests.filter((r) => r.server === 'api')) {
      expect(r.headers.authorization).toBe(`Key ${FAL_KEY}`);
    }
    expect(visible(result)).not.toContain(FAL_KEY);
    expect(visible(result)).not.toContain(FAL_KEY.split(':')[1]);
    expect(result.summary).not.toContain(FAL_KEY.split(':')[1]);
  });

  it('trains FLUX.2 [dev] on fal-ai/flux-2-trainer, the instance prompt as the default caption', async () => {
    const sim = await falSimulator();
    const ws = await workspace(falDataset(10));
    const result = await runFal(sim, ws, {
      'base-model': 'flux_2_dev',
      'instance-prompt': 'photo of [trigger]',
      'trigger-word': 'MUGTOK',
      // The default caption describes the images without one: no warning that nothing does.
      captioning: 'false',
      iterations: '1500',
      'wait-for': 'TRAINING_COMPLETED',
      'poll-interval-seconds': '1',
      'download-model': 'lora.safetensors',
    });
    expect(result.code, result.stdout).toBe(0);
    const request = [...sim.queue.values()][0]!;
    expect(request.endpoint_id).toBe('fal-ai/flux-2-trainer');
    expect(request.input).toEqual({
      image_data_url: result.outputs['dataset-url'],
      steps: 1500,
      learning_rate: 0.00005,
      default_caption: 'photo of MUGTOK',
    });
    expect(result.stdout).not.toMatch(/has no caption/);
    expect(result.outputs.slug).toBe('fal-ai/flux-2/lora');
    expect(result.summary).toMatch(/\*\*Cost:\*\* about \$9\.60 \(1500 steps at \$0\.0064/);
    expect(result.outputs['model-bytes']).toBe(String(request.modelBytes));
  });

  it('a re-run adopts the finished request instead of training again', async () => {
    const sim = await falSimulator();
    const ws = await workspace(falDataset(5));
    const inputs = { 'wait-for': 'AVAILABLE', 'poll-interval-seconds': '1' };
    const first = await runFal(sim, ws, inputs);
    expect(first.code, first.stdout).toBe(0);
    const second = await runFal(sim, ws, inputs);
    expect(second.code, second.stdout).toBe(0);
    expect(sim.queue.size).toBe(1);
    expect(second.outputs).toMatchObject({
      reused: 'true',
      'finetune-id': first.outputs['finetune-id'],
      name: first.outputs.name,
      status: 'COMPLETED',
      'model-url': first.outputs['model-url'],
    });
    expect(second.summary).toMatch(/reused existing job \(COMPLETED\)/);
    // A changed setting trains anew.
    const third = await runFal(sim, ws, { ...inputs, iterations: '900' });
    expect(third.code, third.stdout).toBe(0);
    expect(third.outputs.reused).toBe('false');
    expect(sim.queue.size).toBe(2);
  });

  it('fails the step with fal’s words when a request ends in error, and writes the instance prompt as captions', async () => {
    const sim = await falSimulator();
    sim.setBehaviour({ errorMessage: 'CUDA out of memory', errorType: 'runner_error' });
    const ws = await workspace(falDataset(5));
    const result = await runFal(sim, ws, {
      captioning: 'false',
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Fine-tune [0-9a-f-]{36} failed at fal \(status COMPLETED\): CUDA out of memory/,
    );
    expect(result.outputs.status).toBe('COMPLETED');
    const zip = await readZip(
      sim.files.get(new URL(result.outputs['dataset-url']!).pathname)!.body!,
    );
    // p0 has its own caption; the others get the instance prompt.
    expect(zip.get('p0.txt')!.data.toString()).toBe('a photo of TOK on a beach');
    expect(zip.get('p1.txt')!.data.toString()).toBe('photo of TOK');
    expect([...zip.keys()].filter((n) => n.endsWith('.txt'))).toHaveLength(5);
  });

  it('refuses a dataset under the trainer’s floor before anything is sent', async () => {
    const sim = await falSimulator();
    const ws = await workspace(falDataset(3));
    const result = await runFal(sim, ws);
    expect(result.code).toBe(1);
    expect(failureOf(result)).toContain(
      'The dataset has 3 images; fal’s FLUX.1 trainer (fal-ai/flux-lora-fast-training) needs at least 4.',
    );
    expect(sim.requests).toEqual([]);
    expect(result.tempLeft).toEqual([]);
  });
});
