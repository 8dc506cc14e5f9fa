import type { Size } from './plan.js';

/** What fitting did to the dataset, for the log, the summary, the PR comment and the outputs. */
export interface FittingRecord {
  /** The longer side images were fitted to; 0 when `max-image-side` is 0. */
  side: number;
  /** The `max-image-side` asked for, when the side had to step down from it. */
  steppedDownFrom?: number;
  downscaled: { file: string; from: Size; to: Size }[];
  upright: string[];
  heic: string[];
  /** Images a GPS position was removed from. */
  locationRemoved: number;
  /** Images any EXIF, XMP, IPTC or comment was removed from. */
  metadataRemoved: number;
  /** Images decoded and encoded again: downscaled, turned upright or converted from HEIC. */
  reencoded: number;
}

/** The record of a dataset in which no image needed a change. */
export function unchangedRecord(side: number): FittingRecord {
  return {
    side,
    downscaled: [],
    upright: [],
    heic: [],
    locationRemoved: 0,
    metadataRemoved: 0,
    reencoded: 0,
  };
}

/** "12 downscaled from 4032×3024 to 2048×1536, 3 turned upright, location removed from 25". */
export function describeFitting(record: FittingRecord): string {
  const parts: string[] = [];
  if (record.downscaled.length > 0) {
    const groups = new Map<string, number>();
    for (const d of record.downscaled) {
      // Portrait and landscape shots of one camera are one group: sides named longer first.
      const [a, b] = [Math.max(d.from.width, d.from.height), Math.min(d.from.width, d.from.height)];
      const [c, e] = [Math.max(d.to.width, d.to.height), Math.min(d.to.width, d.to.height)];
      const key = `from ${a}×${b} to ${c}×${e}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const sorted = [...groups].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const n = record.downscaled.length;
    parts.push(
      sorted.length === 1
        ? `${n} downscaled ${sorted[0]![0]}`
        : `${n} downscaled to ${record.side} px on the longer side (${sorted[0]![1]} ${sorted[0]![0]}, ${n - sorted[0]![1]} of other sizes)`,
    );
  }
  if (record.steppedDownFrom !== undefined)
    parts.push(
      `longer side stepped down from ${record.steppedDownFrom} to ${record.side} px to keep the ZIP under max-zip-mb`,
    );
  if (record.upright.length > 0) parts.push(`${record.upright.length} turned upright`);
  if (record.heic.length > 0) parts.push(`${record.heic.length} converted from HEIC to JPEG`);
  if (record.locationRemoved > 0) parts.push(`location removed from ${record.locationRemoved}`);
  const otherMetadata = record.metadataRemoved - record.locationRemoved;
  if (otherMetadata > 0)
    parts.push(
      `${record.locationRemoved > 0 ? 'other ' : ''}metadata removed from ${otherMetadata}`,
    );
  return parts.join(', ');
}

/** One line per changed image, for the log: what was done and why. At most `limit` lines. */
export function fittingLines(record: FittingRecord, limit = 20): string[] {
  const why = new Map<string, string[]>();
  const add = (file: string, text: string) => why.set(file, [...(why.get(file) ?? []), text]);
  for (const d of record.downscaled)
    add(
      d.file,
      `downscaled from ${d.from.width}×${d.from.height} to ${d.to.width}×${d.to.height} (longer side over ${record.side} px)`,
    );
  for (const file of record.upright) add(file, 'turned upright (EXIF orientation)');
  for (const file of record.heic) add(file, 'converted from HEIC to JPEG');
  const files = [...why.keys()].sort();
  const lines = files.slice(0, limit).map((file) => `${file}: ${why.get(file)!.join(', ')}`);
  if (files.length > limit) lines.push(`… and ${files.length - limit} more`);
  return lines;
}
