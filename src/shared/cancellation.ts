/**
 * One abort signal for the whole run, fired by SIGINT or SIGTERM: GitHub cancels a run with
 * SIGINT, then SIGTERM 7.5 s later, then kills it. Everything that waits (polls, backoff sleeps,
 * requests) races this signal, so a cancelled step stops at once with its outputs written.
 */
const controller = new AbortController();
let installed = false;

export class CancelledError extends Error {
  /**
   * The name of a job whose submit had been sent but not answered when the run was cancelled:
   * it may exist at the provider without this run knowing its id.
   */
  submitInFlight?: string;

  constructor(readonly signalName: string) {
    super(`The run was cancelled (${signalName}).`);
    this.name = 'CancelledError';
  }
}

/**
 * Turns SIGINT and SIGTERM into the cancellation. Whatever still runs `graceMs` later (a request
 * that ignores the abort, a slow report) must not hold the step: the process exits then, and at
 * once on a second signal. Outputs are written as they become known, so nothing is lost.
 */
export function installSignalHandlers(graceMs = 4000): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) {
        // Never an exit without a message: the first signal's own ending has not come out yet.
        process.stdout.write(
          `::error::The run was cancelled again (${signal}) and stopped at once. Outputs known so far were written; a job already submitted goes on at the provider.\n`,
        );
        process.exit(process.exitCode ?? 1);
      }
      controller.abort(new CancelledError(signal));
      setTimeout(() => process.exit(process.exitCode ?? 1), graceMs).unref();
    });
  }
}

export const cancelSignal: AbortSignal = controller.signal;

/** Throws the cancellation if the run was cancelled. */
export function throwIfCancelled(): void {
  if (controller.signal.aborted) throw controller.signal.reason;
}

/** Waits `ms`, or rejects with the cancellation as soon as the run is cancelled. */
export function sleep(ms: number, signal: AbortSignal = controller.signal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `promise`, or rejects with the cancellation first. */
export function unlessCancelled<T>(
  promise: Promise<T>,
  signal: AbortSignal = controller.signal,
): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
