import { loadLibheif, loadSharp } from './codec.js';
import { readMetadata, stripMetadata, type ImageFormat } from './metadata.js';
import type { FitOptions, ImageMetadata, Size } from './plan.js';

/** JPEG quality of every re-encoded image (docs/images.md says why 90 and 4:2:0). */
const JPEG_QUALITY = 90;
const WEBP_QUALITY = 90;

/** One image made ready for the ZIP, and what was done to it. */
export interface FitResult {
  bytes: Buffer;
  /** The format written: HEIC becomes JPEG, every other format stays itself. */
  format: ImageFormat;
  /** The size a viewer shows before (orientation applied) and after. */
  from: Size;
  to: Size;
  /** False when `bytes` is the input itself. */
  changed: boolean;
  /** Decoded and encoded again (downscaled, turned upright or converted from HEIC). */
  reencoded: boolean;
  downscaled: boolean;
  turned: boolean;
  fromHeic: boolean;
  /** An EXIF GPS position was in the image and is not in `bytes`. */
  locationRemoved: boolean;
  /** Any EXIF, XMP, IPTC or comment was in the image and is not in `bytes`. */
  metadataRemoved: boolean;
}

/**
 * Makes one image ready: downscaled when its longer side exceeds `maxSide`, turned upright when
 * its EXIF orientation says so, HEIC converted to JPEG, metadata removed. Only the first three
 * need the codec; an image that needs none of them is stripped losslessly, pixels untouched.
 * `type` is what the header reader found (`jpg`, `png`, `webp`, `heic`); `size` its stored size.
 */
export async function fitImage(
  input: Buffer | string,
  type: string,
  size: Size,
  options: FitOptions,
  /** The image's metadata, from its header (plan.ts): then `input` may be the file's path. */
  known?: ImageMetadata,
): Promise<FitResult> {
  const bytes = () => {
    if (typeof input === 'string') throw new Error('fitImage needs the bytes for this image');
    return input;
  };
  if (type === 'heic' || type === 'heif') return fitHeic(bytes(), options);
  const format = type as ImageFormat;
  const meta = known ?? readMetadata(bytes());
  const swapped = meta.orientation >= 5;
  const from = swapped ? { width: size.height, height: size.width } : { ...size };
  const target = fittedSize(from, options.maxSide);
  const downscaled = target.width !== from.width || target.height !== from.height;
  const turned = meta.orientation !== 1;
  const base = {
    format,
    from,
    fromHeic: false,
    downscaled,
    turned,
  };

  if (!downscaled && !turned) {
    if (!options.strip) {
      return {
        ...base,
        bytes: bytes(),
        to: from,
        changed: false,
        reencoded: false,
        locationRemoved: false,
        metadataRemoved: false,
      };
    }
    const stripped = stripMetadata(bytes(), format);
    return {
      ...base,
      bytes: stripped.bytes,
      to: from,
      changed: stripped.changed,
      reencoded: false,
      locationRemoved: stripped.changed && meta.gps,
      metadataRemoved: stripped.changed,
    };
  }

  const sharp = loadSharp();
  // From a path, libvips reads the file itself: the encoded image never sits in the codec's
  // memory whole (a WebAssembly heap only grows), which keeps the peak of a large set lower.
  let pipeline = sharp(input, { limitInputPixels: MAX_PIXELS }).autoOrient();
  if (downscaled) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
  // Colour profiles are kept as they are, not converted: the pixels stay in their own space.
  pipeline = options.strip ? pipeline.keepIccProfile() : pipeline.keepMetadata();
  pipeline = encoderFor(pipeline, format, format === 'webp' && meta.lossless);
  const encoded = await pipeline.toBuffer({ resolveWithObject: true });
  const info = encoded.info;
  let data: Buffer = encoded.data;
  if (!options.strip) {
    // keepMetadata carries the EXIF over; its orientation must no longer turn the image.
    data = stripOrientationOnly(data);
  }
  return {
    ...base,
    bytes: data,
    to: { width: info.width, height: info.height },
    changed: true,
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
): Omit<FitResult, 'bytes'> {
  const shown = meta.orientation >= 5 ? { width: size.height, height: size.width } : { ...size };
  return {
    format,
    from: shown,
    to: shown,
    changed: false,
    reencoded: false,
    downscaled: false,
    turned: false,
    fromHeic: false,
    locationRemoved: false,
    metadataRemoved: false,
  };
}

/** Pixels of the largest image decoded: a 100-megapixel photo, and some room. */
const MAX_PIXELS = 268_402_689;

/** The size an image of `from` is fitted to: longer side `maxSide`, aspect kept, never larger. */
export function fittedSize(from: Size, maxSide: number): Size {
  const long = Math.max(from.width, from.height);
  if (maxSide <= 0 || long <= maxSide) return { ...from };
  const scale = maxSide / long;
  const fit = (n: number) => Math.max(1, Math.round(n * scale));
  return from.width >= from.height
    ? { width: maxSide, height: fit(from.height) }
    : { width: fit(from.width), height: maxSide };
}

type Pipeline = ReturnType<ReturnType<typeof loadSharp>>;

function encoderFor(pipeline: Pipeline, format: ImageFormat, lossless: boolean): Pipeline {
  switch (format) {
    case 'jpg':
      return pipeline.jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' });
    case 'png':
      return pipeline.png({ compressionLevel: 6, adaptiveFiltering: false });
    case 'webp':
      return lossless
        ? pipeline.webp({ lossless: true })
        : pipeline.webp({ quality: WEBP_QUALITY });
  }
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

async function fitHeic(input: Buffer, options: FitOptions): Promise<FitResult> {
  const decoder = new (loadLibheif().HeifDecoder)();
  const [image] = decoder.decode(new Uint8Array(input.buffer, input.byteOffset, input.length));
  if (!image) throw new Error('no image inside the HEIC file');
  // libheif applies the HEIC's own rotation and mirroring (irot, imir) while decoding.
  const from = { width: image.get_width(), height: image.get_height() };
  const rgba = new Uint8ClampedArray(from.width * from.height * 4);
  await new Promise<void>((resolve, reject) =>
    image.display({ data: rgba, width: from.width, height: from.height }, (result) =>
      result ? resolve() : reject(new Error('HEIC image could not be decoded')),
    ),
  );
  image.free?.();
  const target = fittedSize(from, options.maxSide);
  const downscaled = target.width !== from.width || target.height !== from.height;
  const sharp = loadSharp();
  let pipeline = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length), {
    raw: { width: from.width, height: from.height, channels: 4 },
  }).removeAlpha();
  if (downscaled) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
  const { data, info } = await pipeline
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
    .toBuffer({ resolveWithObject: true });
  return {
    bytes: data,
    format: 'jpg',
    from,
    to: { width: info.width, height: info.height },
    changed: true,
    reencoded: true,
    downscaled,
    turned: false,
    fromHeic: true,
    // Decoded pixels carry nothing: the HEIC's EXIF stays behind whatever `strip` says. Its GPS
    // block is not read, so it is not counted among the locations removed.
    locationRemoved: false,
    metadataRemoved: true,
  };
}
