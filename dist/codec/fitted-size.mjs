// @ts-check
// Its own file because both sides use it: the main thread plans an image's size from its header
// (fit-image.ts), the codec thread works out a HEIC's from the decoded image (codec-worker.mjs),
// and a worker can only import plain JavaScript that `npm run bundle` copies beside it.

/**
 * The size an image of `from` is fitted to: longer side `maxSide`, aspect kept, never larger.
 * @param {{ width: number, height: number }} from
 * @param {number} maxSide
 * @returns {{ width: number, height: number }}
 */
export function fittedSize(from, maxSide) {
  const long = Math.max(from.width, from.height);
  if (maxSide <= 0 || long <= maxSide) return { width: from.width, height: from.height };
  const scale = maxSide / long;
  /** @param {number} n */
  const fit = (n) => Math.max(1, Math.round(n * scale));
  return from.width >= from.height
    ? { width: maxSide, height: fit(from.height) }
    : { width: fit(from.width), height: maxSide };
}
