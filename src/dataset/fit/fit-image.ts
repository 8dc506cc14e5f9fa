import { writeFile } from 'node:fs/promises';
import type { ImageHeader } from '../image-header.js';
import { MAX_HEIF_PIXELS, MAX_PIXELS } from '../limits.js';
import { fittedSize } from './fitted-size.mjs';
import { readMetadata, stripFile, type ImageFormat } from './metadata.js';
import { metadataOf, shownSize, type FitOptions, type ImageMetadata, type Size } from './plan.js';
import type { CodecJob, CodecResult } from './pool.js';

export { fittedSize };

/** JPEG quality of every re-encoded image (docs/images.md says why 90 and 4:2:0). */
const JPEG_QUALITY = 90;
const WEBP_QUALITY = 90;

/** What fits images that must be decoded: the pool of codec threads (pool.ts). */
export interface Codec {
  run(job: CodecJob): Promise<CodecResult>;
}

/** One image made ready for the ZIP, and what was done to it. */
export interface FitResult {
  /** The format written: HEIC becomes JPEG, every other format stays itself. */
  format: ImageFormat;
  /** The size a viewer shows before (orientation applied) and after. */
  from: Size;
  to: Size;
  /** False when the image goes into the ZIP as it is (nothing was written). */
  changed: boolean;
  /** The size of what was written. */
  bytes: number;
  /** Decoded and encoded again (downscaled, turned upright or converted from HEIC). */
  reencoded: boolean;
  downscaled: boolean;
  turned: boolean;
  fromHeic: boolean;
  /** An EXIF GPS position was in the image and is not in what was written. */
  locationRemoved: boolean;
  /** Anything but what the image needs was in it and is not in what was written. */
  metadataRemoved: boolean;
  /** Parts stripping removed that it does not know ("JPEG APP6 segment"). */
  unknownRemoved: string[];
}

/** An image as fitting sees it: where it is, what its header said, its size on disk. */
export type FitInput = Pick<ImageHeader, 'type' | 'width' | 'height'> &
  Partial<ImageHeader> & { path: string; bytes: number };

/**
 * Makes one image ready: downscaled when its longer side exceeds `maxSide`, turned upright when
 * its EXIF orientation says so, HEIC converted to JPEG, metadata removed. The first three are the
 * codec's, in its own thread; an image that needs none of them is stripped losslessly here,
 * pixels untouched. What changed is written to `target`; an image that needs nothing writes
 * nothing (`changed: false`).
 */
export async function fitImage(
  image: FitInput,
  options: FitOptions,
  codec: Codec,
  target: string,
): Promise<FitResult> {
  if (image.type === 'heic' || image.type === 'heif') return fitHeic(image, options, codec, target);
  const format = image.type as ImageFormat;
  const meta = metadataOf(image as ImageHeader);
  const from = shownSize({ ...image, orientation: meta.orientation });
  const to = fittedSize(from, options.maxSide);
  const downscaled = to.width !== from.width || to.height !== from.height;
  const turned = meta.orientation !== 1;
  const base = { format, from, fromHeic: false, downscaled, turned, unknownRemoved: [] };

  if (!downscaled && !turned) {
    if (!options.strip || !meta.strippable) {
      return {
        ...base,
        to: from,
        changed: false,
        bytes: image.bytes,
        reencoded: false,
        locationRemoved: false,
        metadataRemoved: false,
      };
    }
    const stripped = stripFile(image.path, image.bytes, target);
    return {
      ...base,
      to: from,
      changed: stripped.changed,
      bytes: stripped.bytes,
      reencoded: false,
      locationRemoved: stripped.changed && meta.gps,
      metadataRemoved: stripped.changed,
      unknownRemoved: stripped.unknown,
    };
  }

  const result = await codec.run({
    file: image.path,
    heif: false,
    maxPixels: MAX_PIXELS,
    maxSide: options.maxSide,
    ...(downscaled ? { resize: to } : {}),
    keep: options.strip ? 'icc' : 'all',
    encoder: {
      format,
      lossless: format === 'webp' && meta.lossless,
      quality: format === 'webp' ? WEBP_QUALITY : JPEG_QUALITY,
    },
  });
  // keepMetadata carries the EXIF over; its orientation must no longer turn the image.
  const data = options.strip ? result.bytes : stripOrientationOnly(result.bytes);
  await writeFile(target, data, { flag: 'wx' });
  return {
    ...base,
    to: { width: result.width, height: result.height },
    changed: true,
    bytes: data.length,
    reencoded: true,
    locationRemoved: options.strip && meta.gps,
    metadataRemoved: options.strip && meta.strippable,
  };
}

/** The record of an image that goes into the ZIP as it is. */
export function unchangedResult(
  format: ImageFormat,
  meta: ImageMetadata,
  size: Size,
  bytes: number,
): FitResult {
  const shown = shownSize({ ...size, orientation: meta.orientation });
  return {
    format,
    from: shown,
    to: shown,
    changed: false,
    bytes,
    reencoded: false,
    downscaled: false,
    turned: false,
    fromHeic: false,
    locationRemoved: false,
    metadataRemoved: false,
    unknownRemoved: [],
  };
}

/** After a turn with metadata kept: the orientation tag is set to 1 (top-left) in place. */
function stripOrientationOnly(bytes: Buffer): Buffer {
  if (readMetadata(bytes).orientation === 1) return bytes;
  const out = Buffer.from(bytes);
  // The tag's value sits in IFD0; find it by its entry bytes (tag 0x0112, type SHORT, count 1).
  for (const [tag, value] of [
    [Buffer.from([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]), 8],
    [Buffer.from([0x12, 0x01, 0x03, 0x00, 1, 0, 0, 0]), 8],
  ] as const) {
    const at = out.indexOf(tag);
    if (at >= 0) {
      const big = tag[0] === 0x01;
      if (big) out.writeUInt16BE(1, at + value);
      else out.writeUInt16LE(1, at + value);
      return out;
    }
  }
  return out;
}

async function fitHeic(
  image: FitInput,
  options: FitOptions,
  codec: Codec,
  target: string,
): Promise<FitResult> {
  const result = await codec.run({
    file: image.path,
    heif: true,
    maxPixels: MAX_HEIF_PIXELS,
    maxSide: options.maxSide,
    keep: 'icc',
    encoder: { format: 'jpg', lossless: false, quality: JPEG_QUALITY },
  });
  await writeFile(target, result.bytes, { flag: 'wx' });
  // libheif applies the HEIC's own rotation and mirroring (irot, imir) while decoding: the
  // decoded size is the size a viewer shows.
  const from = result.from ?? { width: image.width, height: image.height };
  const to = { width: result.width, height: result.height };
  return {
    format: 'jpg',
    from,
    to,
    changed: true,
    bytes: result.bytes.length,
    reencoded: true,
    downscaled: to.width !== from.width || to.height !== from.height,
    turned: false,
    fromHeic: true,
    // Decoded pixels carry nothing: the HEIC's EXIF stays behind whatever `strip` says. Its GPS
    // block is not read, so it is not counted among the locations removed.
    locationRemoved: false,
    metadataRemoved: true,
    unknownRemoved: [],
  };
}
