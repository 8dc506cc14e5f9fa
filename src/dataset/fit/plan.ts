import type { ImageHeader } from '../image-header.js';

/**
 * What fitting an image needs, decided from its header alone (image-header.ts read it while the
 * dataset was checked). Small and free of the codec on purpose: train.ts asks it first, and a
 * dataset in which no image needs anything never loads the fitting code at all.
 */

export interface FitOptions {
  /** Longer side to fit to; 0 never resizes. */
  maxSide: number;
  /** Remove EXIF, XMP, IPTC and comments. */
  strip: boolean;
}

export interface Size {
  width: number;
  height: number;
}

/** What an image carries besides its pixels, as fitting sees it. */
export interface ImageMetadata {
  /** EXIF orientation, 1 to 8; 1 when there is none. */
  orientation: number;
  /** A GPS position inside the EXIF block. */
  gps: boolean;
  /** Metadata that stripping removes (see ImageHeader.hasMetadata). */
  strippable: boolean;
  /** A lossless (VP8L) WebP. */
  lossless: boolean;
}

export function metadataOf(header: ImageHeader): ImageMetadata {
  return {
    orientation: header.orientation ?? 1,
    gps: header.gps === true,
    strippable: header.hasMetadata === true,
    lossless: header.lossless === true,
  };
}

/** Whether an image must be decoded: downscaled or turned upright (HEIC always is). */
export function needsCodec(meta: ImageMetadata, size: Size, maxSide: number): boolean {
  const long = Math.max(size.width, size.height);
  return meta.orientation !== 1 || (maxSide > 0 && long > maxSide);
}

/** Whether fitting would change the image at all: decode it, convert it, or strip it. */
export function needsFitting(image: ImageHeader, options: FitOptions): boolean {
  if (image.type === 'heic' || image.type === 'heif') return true;
  const meta = metadataOf(image);
  return needsCodec(meta, image, options.maxSide) || (options.strip && meta.strippable);
}

/** The size a viewer shows: sides swapped when the orientation turns the image a quarter. */
export function shownSize(image: Size & { orientation?: number }): Size {
  return (image.orientation ?? 1) >= 5
    ? { width: image.height, height: image.width }
    : { width: image.width, height: image.height };
}
