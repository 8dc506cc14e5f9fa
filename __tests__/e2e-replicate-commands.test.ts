import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ReplicateSimulator } from '../simulator/replicate-simulator.js';
import { TRAINER } from '../simulator/replicate-simulator.js';
import { failureOf, visible, workspace } from './helpers/e2e.js';
import {
  calls,
  expectNoToken,
  photos,
  replicateSimulator,
  runReplicate,
} from './helpers/replicate.js';
import { until } from './helpers/until.js';

// provider: replicate, end to end: the commands (status, list, cancel, set-access refused) and a
// run cancelled by SIGINT or SIGTERM, against the Replicate simulator over loopback.

const WAIT = {
  'wait-for': 'TRAINING_COMPLETED',
  'poll-interval-seconds': '1',
  'wait-timeout-minutes': '1',
};

function onlyTraining(sim: ReplicateSimulator) {
  expect(sim.trainings.size).toBe(1);
  return [...sim.trainings.values()][0]!;
}

describe('provider: replicate, commands', () => {
  it('status reads a training, waits with wait-for, and an unknown id fails clearly', async () => {
    const sim = await replicateSimulator();
    const t = sim.addTraining({ status: 'processing' });
    const ws = await workspace();
    const status = await runReplicate(sim, ws, {
      command: 'status',
      'finetune-id': t.id,
      ...WAIT,
    });
    expect(status.code, status.stdout).toBe(0);
    expect(status.outputs).toMatchObject({ 'finetune-id': t.id, status: 'succeeded' });
    expect(status.outputs['model-url']).toMatch(/\/trained_model\.tar$/);
    expect(calls(sim)).toEqual([`GET /v1/trainings/${t.id}`]);

    const unknown = await runReplicate(sim, ws, { command: 'status', 'finetune-id': 'nosuchid' });
    expect(unknown.code).toBe(1);
    expect(failureOf(unknown)).toMatch(
      /Replicate GET \/v1\/trainings\/\{id\} answered HTTP 404: Not found\.\nReplicate has no training with this id for this token/,
    );
  });

  it('list shows the trainer’s trainings of every page, and the summary stays bounded', async () => {
    const sim = await replicateSimulator({ pageSize: 40 });
    for (let i = 0; i < 120; i++) sim.addTraining({ status: i % 7 ? 'succeeded' : 'failed' });
    sim.addTraining({ model: 'someone/other-trainer', status: 'succeeded' });
    const result = await runReplicate(sim, await workspace(), { command: 'list' });
    expect(result.code, result.stdout).toBe(0);
    const listed = JSON.parse(result.outputs.finetunes!) as { id: string; model: string }[];
    expect(listed).toHaveLength(120);
    expect(listed.every((t) => t.model === TRAINER)).toBe(true);
    expect(calls(sim).filter((c) => c === 'GET /v1/trainings')).toHaveLength(4);
    expect(result.summary).toMatch(/and \d+ more: the `finetunes` output has them all/);
    expect(result.summary.length).toBeLessThan(60_000);
  });

  it('cancel stops a running training; one that finished is said so', async () => {
    const sim = await replicateSimulator();
    const running = sim.addTraining({ status: 'processing', walk: { neverFinish: true } });
    const ws = await workspace();
    const result = await runReplicate(sim, ws, { command: 'cancel', 'finetune-id': running.id });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.status).toBe('canceled');
    expect(calls(sim)).toEqual([`POST /v1/trainings/${running.id}/cancel`]);
    const done = sim.addTraining({ status: 'succeeded' });
    const late = await runReplicate(sim, ws, { command: 'cancel', 'finetune-id': done.id });
    expect(late.code, late.stdout).toBe(0);
    expect(visible(late)).toContain(`Training ${done.id} had finished already (succeeded)`);
  });

  it('refuses set-access with what to do instead, before any request', async () => {
    const sim = await replicateSimulator();
    const result = await runReplicate(sim, await workspace(), {
      command: 'set-access',
      'finetune-id': 'x',
    });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(/Replicate has no `set-access`/);
    expect(sim.requests).toEqual([]);
  });
});

describe('provider: replicate, cancellation', () => {
  it('cancelled while the create is in flight, says the training may exist, and a re-run adopts it', async () => {
    const sim = await replicateSimulator();
    sim.injectFault('submit', { afterCommit: true, delayMs: 20_000 });
    const ws = await workspace(photos());
    let sentAt = 0;
    const result = await runReplicate(
      sim,
      ws,
      {},
      {
        onSpawn: (child: ChildProcess) => {
          void until('the training exists', () => sim.trainings.size === 1).then(() => {
            sentAt = Date.now();
            child.kill('SIGINT');
          });
        },
      },
    );
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(result.code).toBe(1);
    const name = `${[...sim.files.values()][0]!.record.name.replace(/\.zip$/, '')}`;
    expect(failureOf(result)).toContain(
      `The run was cancelled (SIGINT). The training request of ${name} had been sent to Replicate but not answered, so the training may exist.`,
    );
    expect(result.tempLeft).toEqual([]);
    const again = await runReplicate(sim, ws);
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs).toMatchObject({
      reused: 'true',
      'finetune-id': onlyTraining(sim).id,
    });
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops within seconds of %s while waiting, says the training goes on at Replicate, leaves the outputs',
    async (signal) => {
      const sim = await replicateSimulator();
      sim.setTrainingBehaviour({ neverFinish: true });
      const sent: { at?: number } = {};
      const result = await runReplicate(
        sim,
        await workspace(photos()),
        { 'wait-for': 'AVAILABLE', 'poll-interval-seconds': '30', 'wait-timeout-minutes': '10' },
        {
          onSpawn: (child, stdout) => {
            void until('a status line', () => / after \d+ s$/m.test(stdout())).then(() => {
              sent.at = Date.now();
              child.kill(signal);
            });
          },
        },
      );
      expect(sent.at).toBeDefined();
      expect(Date.now() - sent.at!).toBeLessThan(3000);
      expect(result.signal).toBeNull();
      expect(result.code).toBe(1);
      const training = onlyTraining(sim);
      const failure = failureOf(result);
      expect(failure).toContain(`The run was cancelled (${signal}).`);
      expect(failure).toContain(
        `Fine-tune ${training.id} (${result.outputs.name}) goes on at Replicate`,
      );
      expect(failure).toContain(
        `\`command: cancel\` with \`finetune-id: ${training.id}\` stops it`,
      );
      expect(result.outputs).toMatchObject({ 'finetune-id': training.id, status: 'processing' });
      expect(result.tempLeft).toEqual([]);
      expectNoToken(result, sim);
    },
  );
});
