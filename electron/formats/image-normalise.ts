// Decodes any supported image (PNG, JPEG, BMP, TIFF, WebP) to an 8-bit grey or RGB DecodedImage with a capped longest side,
// and encodes DecodedImages to PNG. Perceptual hashing lives in perceptual-hash.ts and is re-exported here.
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { DecodedImage } from '../../shared/items.ts';
import { decodeBmp, isBmp } from './bmp.ts';
import { FormatError } from './issues.ts';
import { encodePngSync } from './png-encode.ts';
import { decodeSimplePng } from './simple-png.ts';

export { dHash, hammingDistance, hashToHex } from './perceptual-hash.ts';

/** Longest side kept after decoding (aspect ratio preserved, never enlarged); VLM towers use ≤ 1024 px inputs. */
export const MAX_IMAGE_SIDE = 1024;
/** Decompression-bomb guard: images declaring more pixels than this are refused before decoding. */
export const MAX_INPUT_PIXELS = 100_000_000;
/** Alpha is composited onto black: medical images are shown on black. */
const FLATTEN_BACKGROUND = { r: 0, g: 0, b: 0 };
/** PNG zlib level for stored blobs (lossless; level only trades size for time). */
const PNG_COMPRESSION_LEVEL = 6;

export type ImageType = 'png' | 'jpeg' | 'bmp' | 'tiff' | 'webp';

/** Recognises a supported image by its magic bytes (file extensions are not trusted). */
export function sniffImageType(b: Uint8Array): ImageType | null {
  const at = (o: number, ...xs: number[]): boolean => xs.every((x, i) => b[o + i] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (isBmp(b) && b.length > 26) return 'bmp';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  return null;
}

export interface DecodeOptions {
  /** Longest side after decoding; default MAX_IMAGE_SIDE. */
  maxSide?: number;
}

/**
 * Decodes image bytes. Throws FormatError: `not-an-image` (unknown signature), `image-too-large` (pixel bomb),
 * `image-undecodable` (truncated or corrupt). EXIF orientation is applied; an RGB image whose channels are all equal becomes grey.
 */
export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const maxSide = opts.maxSide ?? MAX_IMAGE_SIDE;
  const type = sniffImageType(bytes);
  if (!type) throw new FormatError('not-an-image', 'not a PNG, JPEG, BMP, TIFF or WebP image');
  if (type === 'png') {
    const plain = decodeSimplePng(bytes, maxSide);
    if (plain) return plain.channels === 3 && isAllGrey(plain.data) ? toGrey(plain) : plain;
  }
  let input: Sharp;
  let grey: boolean;
  if (type === 'bmp') {
    const bmp = decodeBmp(bytes);
    if (bmp.width * bmp.height > MAX_INPUT_PIXELS) throw new FormatError('image-too-large', `${bmp.width}x${bmp.height} pixels is over the limit`);
    input = sharp(bmp.data, { raw: { width: bmp.width, height: bmp.height, channels: bmp.channels } });
    grey = false;
  } else {
    let meta: Metadata;
    try {
      meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    } catch (err) {
      throw new FormatError('image-undecodable', `cannot read image header (${errText(err)})`);
    }
    const w = meta.width ?? 0;
    const h = meta.height ?? 0;
    if (w < 1 || h < 1) throw new FormatError('image-undecodable', 'image has no size');
    if (w * h > MAX_INPUT_PIXELS) throw new FormatError('image-too-large', `${w}x${h} pixels is over the limit of ${MAX_INPUT_PIXELS}`);
    grey = meta.channels !== undefined && meta.channels <= 2 && meta.space !== 'cmyk';
    input = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, animated: false }).autoOrient();
  }
  try {
    const { data, info } = await input
      .flatten({ background: FLATTEN_BACKGROUND })
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace(grey ? 'b-w' : 'srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1 && info.channels !== 3) throw new Error(`decoder produced ${info.channels} channels`);
    const img: DecodedImage = {
      width: info.width,
      height: info.height,
      channels: info.channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
    return img.channels === 3 && isAllGrey(img.data) ? toGrey(img) : img;
  } catch (err) {
    throw new FormatError('image-undecodable', `cannot decode ${type.toUpperCase()} image (${errText(err)})`);
  }
}

/**
 * Images up to this many pixel bytes are encoded by png-encode.ts: for them sharp's fixed cost of about 4 ms per
 * pipeline is most of the work (an import of 28×28 MedMNIST images spent 70% of its time there), while larger ones go
 * to sharp, whose native row filtering beats JavaScript's. The choice depends on the image's size alone, so the same
 * pixels always give the same bytes.
 */
export const SMALL_IMAGE_BYTES = 65_536;

/**
 * sharp writes a one-channel raw image as an RGB PNG unless told it is grey: a grey image stored that way takes about
 * three times the bytes for the same pixels. Grey images are written as grey PNGs.
 */
function toGreyIfOneChannel(pipeline: Sharp, channels: number): Sharp {
  return channels === 1 ? pipeline.toColourspace('b-w') : pipeline;
}

/** Encodes a DecodedImage as PNG bytes (lossless). */
export async function encodePng(img: DecodedImage): Promise<Uint8Array> {
  if (img.data.length !== img.width * img.height * img.channels) {
    throw new FormatError('image-undecodable', `pixel buffer is ${img.data.length} bytes, expected ${img.width * img.height * img.channels}`);
  }
  if (img.data.length <= SMALL_IMAGE_BYTES) return encodePngSync(img, PNG_COMPRESSION_LEVEL);
  const buf = await toGreyIfOneChannel(sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }), img.channels)
    .png({ compressionLevel: PNG_COMPRESSION_LEVEL })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * The thumbnail's PNG: the image resized to fit a `side` × `side` box (never enlarged), zlib level 9. null when the
 * image already fits — it is then its own thumbnail, since the resize would keep every pixel as it is.
 */
export async function encodeThumbnail(img: DecodedImage, side: number): Promise<Uint8Array | null> {
  if (img.width <= side && img.height <= side) return null;
  const buf = await toGreyIfOneChannel(sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }), img.channels)
    .resize(side, side, { fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function isAllGrey(rgb: Uint8Array): boolean {
  for (let p = 0; p < rgb.length; p += 3) if (rgb[p] !== rgb[p + 1] || rgb[p] !== rgb[p + 2]) return false;
  return true;
}

function toGrey(img: DecodedImage): DecodedImage {
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i * 3] as number;
  return { width: img.width, height: img.height, channels: 1, data: out };
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
