import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFile } from '../simulator/fal-simulator.js';
import { failureOf, workspace } from './helpers/e2e.js';
import { falApiRequests, falSimulator, runFal } from './helpers/fal.js';

const FAST = 'fal-ai/flux-lora-fast-training';
const FLUX2 = 'fal-ai/flux-2-trainer';

/** A finished request of the action's, as if trained by an earlier run. */
function seedFinished(
  sim: Awaited<ReturnType<typeof falSimulator>>,
  endpoint = FAST,
  name = 'repo-0123456789ab',
) {
  const field = endpoint === FAST ? 'images_data_url' : 'image_data_url';
  return sim.addRequest(
    endpoint,
    { [field]: `${sim.cdnUrl}/files/x/${name}.zip`, steps: 1000 },
    {
      status: 'COMPLETED',
      sent_at: new Date(Date.now() - 3_600_000).toISOString(),
      started_at: new Date(Date.now() - 3_000_000).toISOString(),
    },
  );
}

describe('fal commands, end to end', () => {
  it('status: the request as it stands, found on whichever trainer has it', async () => {
    const sim = await falSimulator();
    const request = seedFinished(sim, FLUX2);
    const ws = await workspace();
    // No base-model given: the FLUX.1 trainer is asked first, then the FLUX.2 one.
    const result = await runFal(sim, ws, { command: 'status', 'finetune-id': request.request_id });
    expect(result.code, result.stdout).toBe(0);
    expect(falApiRequests(sim)).toEqual([
      `GET /${FAST}/requests/{id}/status`,
      `GET /${FLUX2}/requests/{id}/status`,
      `GET /${FLUX2}/requests/{id}`,
    ]);
    expect(result.outputs).toMatchObject({
      status: 'COMPLETED',
      slug: 'fal-ai/flux-2/lora',
      'finetune-id': request.request_id,
    });
    expect(result.summary).toMatch(/^### fal fine-tune: COMPLETED/m);
  });

  it('status: an unknown id fails clearly, naming the trainers asked', async () => {
    const sim = await falSimulator();
    const result = await runFal(sim, await workspace(), {
      command: 'status',
      'finetune-id': '00000000-0000-4000-8000-000000000000',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /fal has no request 00000000-0000-4000-8000-000000000000 on fal-ai\/flux-lora-fast-training or fal-ai\/flux-2-trainer \(HTTP 404/,
    );
    expect(failureOf(result)).toMatch(/Check the `finetune-id` input/);
  });

  it('status: a result fal no longer keeps is read from its history', async () => {
    const sim = await falSimulator();
    const request = seedFinished(sim);
    sim.advanceClock(2 * 3_600_000);
    const result = await runFal(sim, await workspace(), {
      command: 'status',
      'finetune-id': request.request_id,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(falApiRequests(sim)).toEqual([
      `GET /${FAST}/requests/{id}/status`,
      `GET /${FAST}/requests/{id}`,
      'GET /v1/models/requests/by-endpoint',
    ]);
    expect(result.outputs['model-url']).toMatch(/pytorch_lora_weights\.safetensors$/);
  });

  it('list: the trainers’ finished requests, with the job names the action gave them', async () => {
    const sim = await falSimulator();
    const a = seedFinished(sim, FAST, 'mugs-aaaaaaaaaaaa');
    const b = seedFinished(sim, FLUX2, 'style-bbbbbbbbbbbb');
    sim.addRequest(FAST, { images_data_url: `${sim.cdnUrl}/files/x/running.zip` });
    const result = await runFal(sim, await workspace(), { command: 'list' });
    expect(result.code, result.stdout).toBe(0);
    const listed = JSON.parse(result.outputs.finetunes!) as { request_id: string }[];
    expect(listed.map((r) => r.request_id).sort()).toEqual([a.request_id, b.request_id].sort());
    expect(result.summary).toMatch(/^### fal fine-tunes: 2/m);
    expect(result.summary).toContain(
      `| \`mugs-aaaaaaaaaaaa\` | \`${a.request_id}\` | COMPLETED |  |`,
    );
    expect(result.summary).toContain('queued and training ones are not listed');
  });

  it('download: the LoRA file of a finished request, checked and renamed into place', async () => {
    const sim = await falSimulator({ modelBytes: 300_000 });
    const request = seedFinished(sim);
    const ws = await workspace();
    const result = await runFal(sim, ws, {
      command: 'download',
      'finetune-id': request.request_id,
    });
    expect(result.code, result.stdout).toBe(0);
    const file = await readFile(path.join(ws, 'model.safetensors'));
    const lora = modelFile(request.request_id, 300_000);
    expect(createHash('sha256').update(file).digest('hex')).toBe(lora.sha256());
    expect(result.outputs).toMatchObject({
      'model-path': 'model.safetensors',
      'model-bytes': String(lora.size),
      'model-sha256': lora.sha256(),
    });
    // The CDN is public: the key is never sent there.
    expect(sim.keyLeaked).toBe(false);
    const cdn = sim.requests.filter((r) => r.server === 'cdn');
    expect(cdn.length).toBeGreaterThan(0);
    for (const r of cdn) expect(r.headers.authorization).toBeUndefined();
  });

  it('download: a request still training has no LoRA yet, said so', async () => {
    const sim = await falSimulator({ pollsPerStatus: 5 });
    const request = sim.addRequest(FAST, { images_data_url: `${sim.cdnUrl}/files/x/a.zip` });
    const result = await runFal(sim, await workspace(), {
      command: 'download',
      'finetune-id': request.request_id,
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /has no LoRA file to download \(status IN_(QUEUE|PROGRESS)\)/,
    );
    expect(failureOf(result)).toMatch(/still training/);
  });

  it('cancel: a queued request is stopped, and a finished one is said so without failing', async () => {
    const sim = await falSimulator({ pollsPerStatus: 5 });
    const queued = sim.addRequest(FAST, { images_data_url: `${sim.cdnUrl}/files/x/a.zip` });
    const result = await runFal(sim, await workspace(), {
      command: 'cancel',
      'finetune-id': queued.request_id,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(falApiRequests(sim)).toEqual([
      `GET /${FAST}/requests/{id}/status`,
      `PUT /${FAST}/requests/{id}/cancel`,
      `GET /${FAST}/requests/{id}/status`,
      // A request that ended in error: its result has the trainer's own words.
      `GET /${FAST}/requests/{id}`,
    ]);
    expect(sim.queue.get(queued.request_id)!.error).toBe('Request was cancelled');
    expect(result.outputs.status).toBe('COMPLETED');
    expect(result.summary).toMatch(/^### fal fine-tune: cancel requested \(COMPLETED\)/m);
    expect(result.summary).toContain('(cancelled)');

    const done = seedFinished(sim);
    const again = await runFal(sim, await workspace(), {
      command: 'cancel',
      'finetune-id': done.request_id,
    });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('had finished already; there was nothing to cancel');
  });

  it('cancel of a training request: says the trainer may still finish it, and it may', async () => {
    const sim = await falSimulator({ pollsPerStatus: 5 });
    const running = sim.addRequest(
      FAST,
      { images_data_url: `${sim.cdnUrl}/files/x/a.zip` },
      { status: 'IN_PROGRESS', behaviour: { finishesDespiteCancel: true } },
    );
    const result = await runFal(sim, await workspace(), {
      command: 'cancel',
      'finetune-id': running.request_id,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      /::warning::fal request \S+ was training: fal passed the cancel to the trainer, which may still finish it/,
    );
    sim.finishAll();
    const later = await runFal(sim, await workspace(), {
      command: 'status',
      'finetune-id': running.request_id,
    });
    expect(later.code, later.stdout).toBe(0);
    expect(later.outputs['model-url']).toMatch(/^http/);
  });

  it('set-access is Segmind’s alone: refused before any request', async () => {
    const sim = await falSimulator();
    const result = await runFal(sim, await workspace(), {
      command: 'set-access',
      'finetune-id': 'x',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/`command` is "set-access": fal has no `set-access`/);
    expect(sim.requests).toEqual([]);
  });
});
