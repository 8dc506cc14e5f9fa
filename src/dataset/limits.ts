/**
 * What the action will decode, or even walk, of one image: a pull request's files are untrusted,
 * and a few kilobytes can declare billions of pixels, thousands of scans or millions of
 * segments. Every image is checked against these bounds from its header before anything decodes
 * it; the decoders are given the same limits (sharp's limitInputPixels, libheif's size limit),
 * and the codec threads add a time and a memory bound (src/dataset/fit/pool.ts).
 * docs/security.md lists them and says why each is where it is.
 */

/**
 * Pixels of an image, as its header declares them: every format, every decoder. The largest
 * phone sensors give 200 megapixels (16320 × 12240; 16384 × 12288 on some), which must fit.
 */
export const MAX_PIXELS = 220_000_000;

/**
 * Pixels of a HEIC/HEIF image. Its decoder cannot shrink while it decodes (JPEG can): the whole
 * image is held as RGB while it is downscaled. An iPhone's largest photo is 48 megapixels
 * (8064 × 6048); above this, export the photo as JPEG.
 */
export const MAX_HEIF_PIXELS = 64_000_000;

/**
 * Scans of a JPEG. Each scan of a progressive JPEG is a pass over every block of the image;
 * encoders write 10 or so (libjpeg's default progression: 10, Photoshop: 3 to 5).
 */
export const MAX_JPEG_SCANS = 100;

/**
 * Segments (and runs of stray bytes) of a JPEG, the first scan's included. A photo has 10 to 30;
 * a colour profile split over 255 segments and a large extended XMP stay far below.
 */
export const MAX_JPEG_SEGMENTS = 10_000;

/**
 * Chunks of a PNG or WebP. A 100 MB PNG written in libpng's 8 KiB IDAT chunks has 12,800; an
 * animated WebP has one per frame.
 */
export const MAX_CHUNKS = 100_000;

/**
 * Metadata of one image, in bytes: JPEG APPn and COM segments, PNG text, EXIF and profile
 * chunks (inflated: a zTXt or iCCP chunk is compressed), WebP EXIF, XMP and ICC chunks. A photo
 * carries a few hundred kilobytes at most; decoders read and hold all of it.
 */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/** Time to fit one image in a codec thread. A 48-megapixel HEIC takes a few seconds. */
export const IMAGE_TIME_LIMIT_MS = 60_000;

/**
 * Memory of the codec threads together (each thread's WebAssembly memory is capped at its
 * share). A 200-megapixel JPEG fitted to 2048 px needs well under it.
 */
export const CODEC_MEMORY_BYTES = 1536 * 1024 * 1024;

/** "220 megapixels": a limit as a reader knows it. */
export function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1e6)} megapixels`;
}
