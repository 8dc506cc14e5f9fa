import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ActionError } from '../src/shared/errors.js';
import { afterCrash, installLastGuard, type GuardedProcess } from '../src/main.js';
import { Report } from '../src/report/report.js';
import type { Provider } from '../src/providers/provider.js';

/** A stand-in for `process`: events on demand, exits recorded (and announced) instead of made. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let exited: () => void = () => undefined;
  const exitedOnce = new Promise<void>((resolve) => (exited = resolve));
  const proc: GuardedProcess = {
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    exit: (code) => {
      exits.push(code);
      exited();
    },
  };
  return { emitter, proc, exits, exitedOnce };
}

function hooks(options: { ending?: boolean; end?: () => Promise<void> } = {}) {
  const failures: unknown[] = [];
  let ends = 0;
  return {
    failures,
    ends: () => ends,
    hooks: {
      fail: (error: unknown) => failures.push(error),
      end: () => {
        ends++;
        return options.end ? options.end() : Promise.resolve();
      },
      ending: () => options.ending ?? false,
      afterwards: () => 'What to do about the job.',
    },
  };
}

describe('the last guard', () => {
  it('ends a run whose event loop ran empty: an error saying so, the ending, exit code 1', async () => {
    const { emitter, proc, exits, exitedOnce } = fakeProcess();
    const h = hooks();
    installLastGuard(h.hooks, proc);
    emitter.emit('beforeExit', 0);
    await exitedOnce;
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]).toBeInstanceOf(ActionError);
    expect(String(h.failures[0])).toMatch(
      /^The action stopped before it finished: something it was waiting for never completed\.[^\n]*\nThis is a bug in the action; please open an issue with this log\. What to do about the job\.$/,
    );
    expect(h.ends()).toBe(1);
    expect(exits).toEqual([1]);
    // Once only, however often the event comes.
    emitter.emit('beforeExit', 1);
    expect(h.failures).toHaveLength(1);
  });

  it.each(['uncaughtException', 'unhandledRejection'])(
    'ends the run on an %s, naming the error',
    async (event) => {
      const { emitter, proc, exits, exitedOnce } = fakeProcess();
      const h = hooks();
      installLastGuard(h.hooks, proc);
      emitter.emit(event, new TypeError('cannot read properties of undefined\n    at x.js:1'));
      await exitedOnce;
      expect(String(h.failures[0])).toMatch(
        /^The action failed unexpectedly: cannot read properties of undefined\nThis is a bug/,
      );
      expect(h.ends()).toBe(1);
      expect(exits).toEqual([1]);
    },
  );

  it('exits after the grace time when the ending itself never settles', async () => {
    const { emitter, proc, exits, exitedOnce } = fakeProcess();
    const h = hooks({ end: () => new Promise(() => undefined) });
    installLastGuard(h.hooks, proc, 30);
    emitter.emit('uncaughtException', new Error('boom'));
    await exitedOnce;
    expect(exits).toEqual([1]);
  });

  it('does nothing once disarmed, and lets a run whose own ending hangs exit as it stands', async () => {
    const { emitter, proc, exits } = fakeProcess();
    const h = hooks();
    const disarm = installLastGuard(h.hooks, proc);
    disarm();
    emitter.emit('beforeExit', 0);
    expect(emitter.listenerCount('uncaughtException')).toBe(0);
    expect(h.failures).toEqual([]);
    expect(exits).toEqual([]);

    const ending = fakeProcess();
    const g = hooks({ ending: true });
    installLastGuard(g.hooks, ending.proc);
    ending.emitter.emit('beforeExit', 0);
    expect(g.failures).toEqual([]);
    expect(g.ends()).toBe(0);
    expect(ending.exits).toHaveLength(1);
  });
});

describe('what a crash says about the job', () => {
  const report = (id?: string) => {
    const r = new Report();
    r.provider = 'fal';
    if (id) r.finetuneId = id;
    return r;
  };
  const provider = {} as Provider;

  it('points at the job that was submitted, not at a re-run', () => {
    expect(afterCrash(report('req-1'), provider)).toBe(
      'Fine-tune req-1 was submitted to fal: pick it up with a step using `command: status` and `finetune-id: req-1` rather than training again.',
    );
  });

  it('promises a free re-run only when the provider was never reached', () => {
    expect(afterCrash(report(), undefined)).toBe('Nothing was sent to fal, so re-running is safe.');
    expect(afterCrash(report(), provider)).toMatch(
      /^A training request may have reached fal: check with `command: list` .* so as not to pay twice\.$/,
    );
  });
});
