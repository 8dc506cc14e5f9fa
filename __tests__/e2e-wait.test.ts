import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOutputFile } from '../scripts/action-runner.js';
import type { Simulator } from '../simulator/segmind-simulator.js';
import { failureOf, run, sampleDataset, simulator, workspace } from './helpers/e2e.js';
import { until } from './helpers/until.js';

/** Quick waits: one check a second, and a timeout in fractions of a minute. */
const WAIT = { 'poll-interval-seconds': '1', 'wait-timeout-minutes': '0.5' };

/** The status lines the wait logs: `<id>: <STATUS> after <n> s`. */
function statusLines(stdout: string, id: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${id}: `) && / after \d+ (s|min)/.test(l))
    .map((l) => l.slice(id.length + 2).replace(/ after .*$/, ''));
}

function onlyJob(sim: Simulator) {
  expect(sim.jobs.size).toBe(1);
  return [...sim.jobs.values()][0]!;
}

describe('wait-for, end to end', () => {
  it('waits for AVAILABLE, logging each status once, and sets the outputs from the last record', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(sampleDataset()), {
      ...WAIT,
      'wait-for': 'AVAILABLE',
    });
    expect(result.code, result.stdout).toBe(0);
    const job = onlyJob(sim);
    expect(job.status).toBe('AVAILABLE');
    expect(statusLines(result.stdout, job.finetune_id)).toEqual([
      'DATA_PROCESSING',
      'TRAINING_INITIATED',
      'TRAINING_COMPLETED',
      'INFERENCE_QUEUED',
      'AVAILABLE',
    ]);
    // It stopped at the first AVAILABLE: one details call per status after REQUESTED.
    expect(job.detailsCalls).toBe(5);
    expect(result.outputs.status).toBe('AVAILABLE');
    expect(result.outputs['model-url']).toBe(job.cloud_storage_url);
    expect(result.outputs.slug).toBe(job.slug);
    const details = JSON.parse(result.outputs.details!);
    expect(details).toMatchObject({ finetune_id: job.finetune_id, status: 'AVAILABLE' });
    expect(result.summary).toContain('AVAILABLE');
  });

  it('stops at TRAINING_COMPLETED when that is what it waits for, with the model URL', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(sampleDataset()), {
      ...WAIT,
      'wait-for': 'training_completed',
    });
    expect(result.code, result.stdout).toBe(0);
    const job = onlyJob(sim);
    expect(job.status).toBe('TRAINING_COMPLETED');
    expect(job.detailsCalls).toBe(3);
    expect(result.outputs.status).toBe('TRAINING_COMPLETED');
    expect(result.outputs['model-url']).toMatch(/\/model\.safetensors$/);
  });

  it('accepts a later status than the one waited for (DEPLOYING counts as INFERENCE_QUEUED)', async () => {
    const sim = await simulator();
    const seeded = sim.addJob({ name: 'deploying', status: 'DEPLOYING' });
    const result = await run(sim, await workspace(), {
      ...WAIT,
      command: 'status',
      'finetune-id': seeded.finetune_id,
      'wait-for': 'TRAINING_COMPLETED',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(seeded.detailsCalls).toBe(1);
    expect(result.outputs.status).toBe('DEPLOYING');
  });

  it('fails at once on a failure status, with Segmind’s message', async () => {
    const sim = await simulator();
    sim.setJobBehaviour({ failStatus: 'FAILED', errorMessage: 'Too few usable images (2 < 4)' });
    const result = await run(sim, await workspace(sampleDataset()), {
      ...WAIT,
      'wait-for': 'AVAILABLE',
    });
    expect(result.code).toBe(1);
    const job = onlyJob(sim);
    expect(failureOf(result)).toMatch(
      new RegExp(
        `Fine-tune ${job.finetune_id} failed at Segmind \\(status FAILED\\): Too few usable images \\(2 < 4\\)`,
      ),
    );
    // No poll after the one that saw the failure.
    expect(job.detailsCalls).toBe(statusLines(result.stdout, job.finetune_id).length + 1);
    expect(result.outputs.status).toBe('FAILED');
    expect(result.outputs['finetune-id']).toBe(job.finetune_id);
  });

  it('fails at once on an error_message that comes with a normal status', async () => {
    const sim = await simulator();
    sim.setJobBehaviour({
      errorMessage: 'CUDA out of memory',
      errorAtStatus: 'TRAINING_INITIATED',
    });
    const result = await run(sim, await workspace(sampleDataset()), {
      ...WAIT,
      'wait-for': 'AVAILABLE',
    });
    expect(result.code).toBe(1);
    const job = onlyJob(sim);
    expect(failureOf(result)).toMatch(/\(status TRAINING_INITIATED\): CUDA out of memory/);
    expect(job.detailsCalls).toBe(2);
    expect(result.outputs.status).toBe('TRAINING_INITIATED');
    expect(JSON.parse(result.outputs.details!).error_message).toBe('CUDA out of memory');
  });

  it('fails past wait-timeout-minutes naming the id and the last status, leaving the outputs', async () => {
    const sim = await simulator();
    sim.setJobBehaviour({ neverFinish: true });
    const started = Date.now();
    const result = await run(sim, await workspace(sampleDataset()), {
      'poll-interval-seconds': '1',
      'wait-timeout-minutes': '0.05',
      'wait-for': 'AVAILABLE',
    });
    const took = Date.now() - started;
    expect(result.code).toBe(1);
    const job = onlyJob(sim);
    const failure = failureOf(result);
    expect(failure).toMatch(
      new RegExp(
        `Timed out after 3 s waiting for fine-tune ${job.finetune_id} to reach AVAILABLE; the last status was TRAINING_INITIATED\\.`,
      ),
    );
    expect(failure).toContain(`\`command: status\`, \`finetune-id: ${job.finetune_id}\``);
    // Polled for the three seconds, not beyond: about one check a second.
    expect(job.detailsCalls).toBeGreaterThanOrEqual(3);
    expect(job.detailsCalls).toBeLessThanOrEqual(5);
    expect(took).toBeGreaterThanOrEqual(3000);
    expect(result.outputs).toMatchObject({
      'finetune-id': job.finetune_id,
      name: job.name,
      status: 'TRAINING_INITIATED',
    });
  });

  it('waits through unknown statuses, logging each once', async () => {
    const sim = await simulator();
    sim.setJobBehaviour({ unknownStatuses: ['QUEUED_FOR_GPU', 'Preprocessing-v2'] });
    const result = await run(sim, await workspace(sampleDataset()), {
      ...WAIT,
      'wait-for': 'TRAINING_COMPLETED',
    });
    expect(result.code, result.stdout).toBe(0);
    const job = onlyJob(sim);
    expect(statusLines(result.stdout, job.finetune_id)).toEqual([
      'DATA_PROCESSING',
      'QUEUED_FOR_GPU',
      'Preprocessing-v2',
      'TRAINING_INITIATED',
      'TRAINING_COMPLETED',
    ]);
    for (const unknown of ['QUEUED_FOR_GPU', 'Preprocessing-v2']) {
      expect(result.stdout.split(`status ${unknown} is not one of`)).toHaveLength(2);
    }
    expect(result.outputs.status).toBe('TRAINING_COMPLETED');
  });

  it('logs an unknown status once however often it is seen, and times out naming it', async () => {
    const sim = await simulator();
    const seeded = sim.addJob({ name: 'odd-one', status: 'WAITING_FOR_CAPACITY' });
    const result = await run(sim, await workspace(), {
      command: 'status',
      'finetune-id': seeded.finetune_id,
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
      // 4.2 s: four or five polls a second apart, so that at least three are seen even when a
      // loaded machine slows each one down (2.4 s once gave only two).
      'wait-timeout-minutes': '0.07',
    });
    expect(result.code).toBe(1);
    expect(seeded.detailsCalls).toBeGreaterThanOrEqual(3);
    expect(result.stdout.split('status WAITING_FOR_CAPACITY is not one of')).toHaveLength(2);
    expect(statusLines(result.stdout, seeded.finetune_id)).toEqual(['WAITING_FOR_CAPACITY']);
    expect(failureOf(result)).toMatch(/the last status was WAITING_FOR_CAPACITY\./);
  });

  describe('cancellation', () => {
    /** Sends `signal` once stdout shows the first status line; records when it was sent. */
    function cancelWhenWaiting(
      signal: NodeJS.Signals,
      sent: { at?: number },
      beforeSignal: () => Promise<void> = async () => {},
    ) {
      return (child: ChildProcess, stdout: () => string) => {
        void until('a status line', () => / after \d+ s$/m.test(stdout())).then(async () => {
          await beforeSignal();
          sent.at = Date.now();
          child.kill(signal);
        });
      };
    }

    const waitLong = {
      'poll-interval-seconds': '30',
      'wait-timeout-minutes': '10',
      'wait-for': 'AVAILABLE',
    };

    it.each(['SIGINT', 'SIGTERM'] as const)(
      'stops within seconds of %s while waiting, leaves the outputs and says how to pick the job up again',
      async (signal) => {
        const sim = await simulator();
        sim.setJobBehaviour({ neverFinish: true });
        const sent: { at?: number } = {};
        const result = await run(sim, await workspace(sampleDataset()), waitLong, {
          onSpawn: cancelWhenWaiting(signal, sent),
        });
        const exitedAt = Date.now();
        expect(sent.at, 'the signal was sent').toBeDefined();
        expect(exitedAt - sent.at!).toBeLessThan(3000);
        expect(result.signal).toBeNull(); // it exited by itself, it was not killed
        expect(result.code).toBe(1);
        const job = onlyJob(sim);
        const failure = failureOf(result);
        expect(failure).toContain(`The run was cancelled (${signal}).`);
        expect(failure).toContain(`Fine-tune ${job.finetune_id} (${job.name}) goes on at Segmind`);
        expect(failure).toContain(
          `\`command: status\`, \`finetune-id: ${job.finetune_id}\` and \`wait-for: AVAILABLE\``,
        );
        expect(result.outputs).toMatchObject({
          'finetune-id': job.finetune_id,
          name: job.name,
          status: 'DATA_PROCESSING',
        });
        expect(result.summary).toMatch(/cancelled \(the job goes on at Segmind\)/);
        expect(result.tempLeft).toEqual([]);
      },
    );

    it('has written finetune-id, name and status to GITHUB_OUTPUT before the signal', async () => {
      const sim = await simulator();
      sim.setJobBehaviour({ neverFinish: true });
      // The runner helper lets env override GITHUB_OUTPUT: read the file while the step runs.
      const outputFile = path.join(await workspace(), 'github-output');
      await writeFile(outputFile, '');
      let before: Record<string, string> = {};
      const sent: { at?: number } = {};
      const result = await run(sim, await workspace(sampleDataset()), waitLong, {
        env: { GITHUB_OUTPUT: outputFile },
        onSpawn: cancelWhenWaiting('SIGINT', sent, async () => {
          before = parseOutputFile(await readFile(outputFile, 'utf8'));
        }),
      });
      expect(result.code).toBe(1);
      const job = onlyJob(sim);
      expect(before).toMatchObject({
        'finetune-id': job.finetune_id,
        name: job.name,
        status: 'DATA_PROCESSING',
      });
      expect(parseOutputFile(await readFile(outputFile, 'utf8'))).toMatchObject(before);
    });
  });
});
