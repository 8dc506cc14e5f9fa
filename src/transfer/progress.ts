import * as log from '../shared/log.js';
import { formatMb } from '../shared/format.js';

/**
 * Progress lines for a transfer of `total` bytes: call the result with the bytes done so far. A
 * line is printed when a quarter of the file is passed, with the figures of that moment; a piece
 * that passes several quarters at once prints one line, not one per quarter. So a file smaller
 * than one read prints a single "100%" line, and no two lines are the same.
 */
export function progressLines(
  verb: string,
  total: number,
  options: { rate?: boolean } = {},
): (done: number) => void {
  const startedAt = Date.now();
  let nextMark = 0.25;
  // Called for every piece received: the common case compares two integers, where a division
  // made a new heap number per call until the engine optimised the caller.
  let nextBytes = total > 0 ? total * nextMark : Infinity;
  return (done) => {
    if (done < nextBytes) return;
    const fraction = Math.min(done / total, 1);
    while (nextMark <= fraction) nextMark += 0.25;
    nextBytes = nextMark > 1 ? Infinity : total * nextMark;
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = options.rate && seconds > 0 ? ` at ${formatMb(done / seconds)}/s` : '';
    log.info(
      `${verb}: ${Math.floor(fraction * 100)}% (${formatMb(done)} of ${formatMb(total)}${rate})`,
    );
  };
}
