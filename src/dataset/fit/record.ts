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

/**
 * "12 downscaled from 4032×3024 to 2048×1536, 3 turned upright, location removed from 25". Sizes
 * are what a viewer sees before and after: a photo stored sideways is named as it stands.
 */
export function describeFitting(record: FittingRecord): string {
  const parts: string[] = [];
  if (record.downscaled.length > 0) {
    const groups = new Map<string, number>();
    for (const d of record.downscaled) {
      const key = `from ${d.from.width}×${d.from.height} to ${d.to.width}×${d.to.height}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    // The largest group first; of two as large, the landscape one.
    const portrait = (key: string): number => {
      const [, width, height] = /^from (\d+)×(\d+)/.exec(key)!;
      return Number(height) > Number(width) ? 1 : 0;
    };
    const sorted = [...groups].sort(
      (a, b) => b[1] - a[1] || portrait(a[0]) - portrait(b[0]) || (a[0] < b[0] ? -1 : 1),
    );
    const n = record.downscaled.length;
    const [top, second] = sorted;
    if (sorted.length === 1) {
      parts.push(`${n} downscaled ${top![0]}`);
    } else if (sorted.length === 2 && second![0] === transposed(top![0])) {
      // One camera's landscape and portrait shots.
      parts.push(`${n} downscaled ${top![0]} (${second![1]} of them ${second![0]})`);
    } else {
      parts.push(
        `${n} downscaled to ${record.side} px on the longer side (${top![1]} ${top![0]}, ${n - top![1]} of other sizes)`,
      );
    }
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

/** "from 4032×3024 to 2048×1536" as "from 3024×4032 to 1536×2048". */
function transposed(key: string): string {
  return key.replace(/(\d+)×(\d+)/g, '$2×$1');
}
