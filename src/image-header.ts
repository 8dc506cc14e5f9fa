import { open } from 'node:fs/promises';
import { imageSize } from 'image-size';

export type ImageKind = 'jpg' | 'png' | 'webp';

export interface ImageHeader {
  /** What the bytes are, as image-size names it (`jpg`, `png`, `webp`, `gif`, ...). */
  type: string;
  width: number;
  height: number;
}

// Enough for PNG and WebP (their size sits in the first 30 bytes) and for almost every JPEG;
// a JPEG whose size marker sits behind large EXIF, XMP or ICC blocks gets one longer read.
const FIRST_READ = 64 * 1024;
const JPEG_READ = 16 * 1024 * 1024;

/**
 * Reads an image's type and size from its header, never decoding it: a 10 MB photo costs one
 * 64 KiB read here. Returns undefined for bytes that are no image image-size knows.
 */
export async function readImageHeader(
  file: string,
  fileSize: number,
): Promise<ImageHeader | undefined> {
  const handle = await open(file, 'r');
  try {
    const read = async (length: number): Promise<Uint8Array> => {
      const buffer = new Uint8Array(Math.min(length, fileSize));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    };
    let head = await read(FIRST_READ);
    let result = sizeOf(head);
    if (!result && isJpeg(head) && fileSize > head.length) {
      head = await read(JPEG_READ);
      result = sizeOf(head);
    }
    return result;
  } finally {
    await handle.close();
  }
}

function sizeOf(bytes: Uint8Array): ImageHeader | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const { type, width, height } = imageSize(bytes);
    if (!type || !(width > 0) || !(height > 0)) return undefined;
    return { type, width, height };
  } catch {
    return undefined;
  }
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8;
}

/** The image kind an extension promises, for the extensions we train on. */
export function kindOfExtension(ext: string): ImageKind | undefined {
  switch (ext.toLowerCase()) {
    case '.jpg':
    case '.jpeg':
      return 'jpg';
    case '.png':
      return 'png';
    case '.webp':
      return 'webp';
    default:
      return undefined;
  }
}

export const KIND_NAMES: Record<string, string> = { jpg: 'JPEG', png: 'PNG', webp: 'WebP' };
