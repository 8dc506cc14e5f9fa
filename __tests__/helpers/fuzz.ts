// What the seeded fault fuzz of each provider shares: its seed and number of runs (from the
// environment, to replay a failure), the faults every route may get, and how a plan and its
// tally are written.
import { seededRandom } from './random.js';

/** The faults of the simulators' kit (simulator/kit.js), as far as the fuzz picks them. */
export interface KitFault {
  status?: number;
  retryAfter?: string;
  reset?: boolean;
  delayMs?: number;
  truncate?: boolean | number;
  malformed?: 'not-json' | 'null' | 'empty-object' | 'empty-array' | 'html';
  gatewayPage?: boolean;
  message?: string;
  afterCommit?: boolean;
}

/** The seed and the runs of one fuzz: `<PREFIX>_SEED` and `<PREFIX>_RUNS` replay another. */
export function fuzzSettings(prefix: string, seed: number, runs: number) {
  const SEED = Number(process.env[`${prefix}_SEED`] ?? seed) >>> 0;
  const RUNS = Math.max(1, Number(process.env[`${prefix}_RUNS`] ?? runs));
  return { SEED, RUNS, random: () => seededRandom(SEED), replay: `${prefix}_SEED` };
}

/** A line break in server text: printed raw it would start a new log line, a workflow command. */
export const HOSTILE_MESSAGE = 'upstream reset\r::error::injected\u2028line two';

/** One of `faults`, picked with the run's seeded generator. */
export const pick =
  <F>(...faults: F[]) =>
  (random: () => number): F =>
    faults[Math.floor(random() * faults.length)]!;

/** What every API route may get: errors, rate limits, resets, delays, cuts, gateway pages. */
export const COMMON_FAULTS: KitFault[] = [
  { status: 500 },
  { status: 502 },
  { status: 503, retryAfter: '0.05' },
  { status: 429, retryAfter: '0.05' },
  { reset: true },
  { delayMs: 50 },
  { truncate: true },
  { truncate: 3 },
  { gatewayPage: true, status: 502 },
  { gatewayPage: true, status: 503 },
  { status: 503, message: HOSTILE_MESSAGE },
];

/** 200 answers that are not the JSON a route documents. */
export const MALFORMED_FAULTS: KitFault[] = [
  { malformed: 'not-json' },
  { malformed: 'null' },
  { malformed: 'empty-object' },
  { malformed: 'empty-array' },
  { malformed: 'html' },
];

/** `run 3 (seed 42): submit {...}; status {...}`: what a failing run's message starts with. */
export function describePlan(
  index: number,
  seed: number,
  faults: [string, unknown][],
  note = '',
): string {
  const listed = faults.map(([route, fault]) => `${route} ${JSON.stringify(fault)}`).join('; ');
  return `run ${index} (seed ${seed}${note ? `, ${note}` : ''}): ${listed || 'no faults'}`;
}

/** A fault's kind, for the tally a fuzz logs at its end. */
export function kindOf(fault: KitFault): string {
  const base = fault.truncate
    ? 'cut short'
    : fault.malformed
      ? `malformed ${fault.malformed}`
      : fault.gatewayPage
        ? `gateway page ${fault.status}`
        : fault.reset
          ? 'reset'
          : fault.message
            ? 'line breaks in error text'
            : fault.status !== undefined
              ? `HTTP ${fault.status}`
              : 'delay';
  return fault.afterCommit ? `${base} after the work` : base;
}

/** `delay 12, HTTP 500 9, ...`: how many faults of each kind the runs met. */
export function tally(faults: KitFault[]): string {
  const counts = new Map<string, number>();
  for (const fault of faults) counts.set(kindOf(fault), (counts.get(kindOf(fault)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}
