/**
 * How figures and names are put for people and for the ZIP: sizes in MB, durations, and the one
 * ordering of names. Small, but shared by the dataset, the upload, the download and the report.
 */

/** Bytes as decimal megabytes (1 MB = 1,000,000 bytes, as Segmind counts its limit). */
export function formatMb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** A duration as a person reads it: "42 s", "3 min 5 s", "2 h 10 min". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * Code-unit order, not locale order: the ZIP must be the same on every machine, whatever its
 * language settings.
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
