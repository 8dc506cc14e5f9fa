import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../simulator/segmind-simulator.js';
import { API_KEY, apiRequests, failureOf, run, simulator, workspace } from './helpers/e2e.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('command: status, end to end', () => {
  it('reports the record of a job as outputs and a summary', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'mug-product-v3', status: 'AVAILABLE' });
    const result = await run(sim, await workspace(), {
      command: 'status',
      'finetune-id': job.finetune_id,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(apiRequests(sim)).toEqual(['GET /finetune/request/details']);
    expect(JSON.parse(sim.requests[0]!.body.toString())).toEqual({ request_id: job.finetune_id });
    expect(result.outputs).toMatchObject({
      'finetune-id': job.finetune_id,
      name: 'mug-product-v3',
      status: 'AVAILABLE',
      'model-url': job.cloud_storage_url!,
      slug: job.slug!,
    });
    expect(JSON.parse(result.outputs.details!)).toMatchObject({
      finetune_id: job.finetune_id,
      name: 'mug-product-v3',
    });
    expect(result.stdout).toContain(`Fine-tune ${job.finetune_id} (mug-product-v3): AVAILABLE`);
    expect(result.summary).toContain(job.finetune_id);
    expect(result.summary).toContain('AVAILABLE');
  });

  it('waits for a status when wait-for is given', async () => {
    const sim = await simulator();
    const job = sim.addJob({ name: 'in-training', status: 'TRAINING_INITIATED' });
    const result = await run(sim, await workspace(), {
      command: 'status',
      'finetune-id': job.finetune_id,
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
      'wait-timeout-minutes': '0.5',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(job.status).toBe('AVAILABLE');
    expect(job.detailsCalls).toBe(3);
    expect(result.outputs.status).toBe('AVAILABLE');
    expect(result.outputs['model-url']).toBe(job.cloud_storage_url);
  });

  it('fails on a job that failed, with Segmind’s message', async () => {
    const sim = await simulator();
    const job = sim.addJob({
      name: 'broken',
      status: 'DATA_PROCESSING',
      error_message: 'ZIP contains no images',
    });
    const result = await run(sim, await workspace(), {
      command: 'status',
      'finetune-id': job.finetune_id,
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /failed at Segmind \(status DATA_PROCESSING\): ZIP contains no images/,
    );
    expect(result.outputs.status).toBe('DATA_PROCESSING');
  });

  it.each([
    ['without waiting', {}],
    ['while waiting', { 'wait-for': 'AVAILABLE', 'poll-interval-seconds': '1' }],
  ])('fails clearly on an unknown id, with one request (%s)', async (_what, inputs) => {
    const sim = await simulator();
    const result = await run(sim, await workspace(), {
      command: 'status',
      'finetune-id': UNKNOWN_ID,
      ...inputs,
    });
    expect(result.code).toBe(1);
    expect(apiRequests(sim)).toEqual(['GET /finetune/request/details']);
    expect(failureOf(result)).toMatch(
      /Segmind GET \/finetune\/request\/details answered HTTP 404: Finetune request not found\nNo fine-tune with this id exists for this API key\. Check the `finetune-id` input/,
    );
    expect(result.outputs['finetune-id']).toBe(UNKNOWN_ID);
  });

  it('fails naming the input when finetune-id is missing, sending nothing', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(), { command: 'status' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/`finetune-id` is empty: `command: status` needs the id/);
    expect(sim.requests).toEqual([]);
  });
});

describe('command: list, end to end', () => {
  it('outputs the fine-tunes as Segmind returned them, and a summary table', async () => {
    const sim = await simulator();
    const a = sim.addJob({ name: 'cats-v1', status: 'AVAILABLE' });
    const b = sim.addJob({
      name: 'dogs|v2',
      status: 'TRAINING_INITIATED',
      error_message: 'GPU <lost>',
    });
    const result = await run(sim, await workspace(), { command: 'list' });
    expect(result.code, result.stdout).toBe(0);
    expect(apiRequests(sim)).toEqual(['GET /finetune/request/list']);
    const finetunes = JSON.parse(result.outputs.finetunes!) as Record<string, unknown>[];
    expect(finetunes.map((f) => f.finetune_id)).toEqual([b.finetune_id, a.finetune_id]);
    // As returned: every field of the list shape, not a reduced copy.
    expect(finetunes[1]).toMatchObject({
      name: 'cats-v1',
      status: 'AVAILABLE',
      segmind_public_model: false,
      cloud_storage_url: a.cloud_storage_url,
    });
    expect(result.summary).toMatch(/\| Name \| Id \| Status \| Error \|/);
    expect(result.summary).toContain(`| \`cats-v1\` | \`${a.finetune_id}\` | AVAILABLE |`);
    // A table cell survives a pipe in a name and markup in a message.
    expect(result.summary).toContain('dogs\\|v2');
    expect(result.summary).toContain('`GPU <lost>');
    expect(result.stdout).toContain('2 fine-tune(s) on this account.');
  });

  it('says so when the account has none', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(), { command: 'list' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.finetunes).toBe('[]');
    expect(result.summary).toMatch(/No fine-tunes on this account yet/);
  });
});

describe('command: set-access, end to end', () => {
  it.each([
    ['true', 'True', true],
    ['false', 'False', false],
  ])(
    'sends public: %s as the multipart form field segmind_public=%s',
    async (input, field, expected) => {
      const sim = await simulator();
      const job = sim.addJob({ name: 'share-me', segmind_public: !expected });
      const result = await run(sim, await workspace(), {
        command: 'set-access',
        'finetune-id': job.finetune_id,
        public: input,
      });
      expect(result.code, result.stdout).toBe(0);
      expect(job.segmind_public).toBe(expected);
      expect(apiRequests(sim)).toEqual([
        'PUT /finetune/request/access-update',
        'GET /finetune/request/details',
      ]);
      const put = sim.requests[0]!;
      expect(put.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(put.headers['x-api-key']).toBe(API_KEY);
      expect(
        Object.fromEntries(parseMultipart(put.body, put.headers['content-type'] as string)),
      ).toEqual({
        request_id: job.finetune_id,
        segmind_public: field,
      });
      expect(result.stdout).toContain(
        `Fine-tune ${job.finetune_id} is now ${expected ? 'public' : 'private'} on Segmind.`,
      );
      expect(result.outputs).toMatchObject({ 'finetune-id': job.finetune_id, name: 'share-me' });
      expect(result.summary).toMatch(/access updated/);
    },
  );

  it('fails clearly on an unknown id', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(), {
      command: 'set-access',
      'finetune-id': UNKNOWN_ID,
      public: 'true',
    });
    expect(result.code).toBe(1);
    expect(apiRequests(sim)).toEqual(['PUT /finetune/request/access-update']);
    expect(failureOf(result)).toMatch(
      /Segmind PUT \/finetune\/request\/access-update answered HTTP 404: Finetune request not found\nNo fine-tune with this id exists/,
    );
  });
});
