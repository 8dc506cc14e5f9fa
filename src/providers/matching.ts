/**
 * How a provider's record of an earlier job is matched to this run's: the pieces every provider's
 * reuse and lost-answer lookup share (fal's history, Replicate's trainings list), so that both
 * look for a job the same way.
 */
import { isObject } from '../shared/json.js';

/**
 * Every field the action would send has the same value in the job's recorded input (a field the
 * action leaves out, `undefined`, matches anything). A record without an input matches nothing.
 */
export function sameInput(input: unknown, expected: Record<string, unknown>): boolean {
  if (!isObject(input)) return false;
  return Object.entries(expected).every(
    ([key, value]) => value === undefined || JSON.stringify(input[key]) === JSON.stringify(value),
  );
}

/**
 * The newest of `items` by `timeOf` (NaN or a missing time counts as oldest); among equals, the
 * first, so a list that comes newest first keeps its own order.
 */
export function newest<T>(items: readonly T[], timeOf: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestTime = -Infinity;
  for (const item of items) {
    const time = timeOf(item);
    const t = Number.isNaN(time) ? -Infinity : time;
    if (best === undefined || t > bestTime) {
      best = item;
      bestTime = t;
    }
  }
  return best;
}

/** A time in a provider's record (an ISO string), as milliseconds; NaN when there is none. */
export function timeIn(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** One page of a provider's list, and where the next one is (a cursor or a link). */
export interface ListPage<T> {
  items: T[];
  next?: string;
}

/**
 * Every page of a list, as far as `maxPages` reaches: a list that never ends, or a cursor that
 * comes round again, must still end. When the last page read still had a next one, `cut` is
 * called with what was read (to warn that older items were not looked at).
 */
export async function readPages<T>(
  read: (next: string | undefined) => Promise<ListPage<T>>,
  maxPages: number,
  cut: (read: number) => void,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let next: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await read(next);
    items.push(...answer.items);
    if (!answer.next || seen.has(answer.next) || answer.items.length === 0) return items;
    seen.add(answer.next);
    next = answer.next;
  }
  cut(items.length);
  return items;
}

/**
 * Whether a job made at `time` can have trained the ZIP at a dataset URL that last changed at
 * `changedAt` (ms): a URL names a place, not bytes, and a job made before the change trained
 * other bytes. Where either time is unknown, the URL alone decides.
 */
export function madeAfterChange(time: number, changedAt: number | undefined): boolean {
  return !(time < (changedAt ?? -Infinity));
}

/** How far a provider's clock may be behind the runner's, when a record's time is compared. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Whether a record made at `time` (ms) can come from a request sent at `since` or later, allowing
 * for the two clocks' skew. An unknown time cannot: a record that cannot be placed is not taken
 * for this run's own.
 */
export function madeSince(time: number, since: number): boolean {
  return !Number.isNaN(time) && time >= since - CLOCK_SKEW_MS;
}
