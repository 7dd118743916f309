// Minimal Windows BMP decoder (sharp's bundled libvips has no BMP loader): uncompressed 1/4/8-bit palette, 24-bit and 32-bit
// (BI_RGB, or BI_BITFIELDS with the usual 8-bit masks). Layout per Microsoft "BITMAPINFOHEADER" / "Bitmap Storage" docs.
import type { DecodedImage } from '../../shared/items.ts';
import { FormatError } from './issues.ts';

const FILE_HEADER_BYTES = 14;
const MIN_INFO_HEADER_BYTES = 40;
const BI_RGB = 0;
const BI_BITFIELDS = 3;
/** Refuse dimensions beyond this before allocating (the caller caps decoded size further). */
const MAX_BMP_SIDE = 30_000;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"
}

export function decodeBmp(bytes: Uint8Array): DecodedImage {
  const bad = (why: string): never => {
    throw new FormatError('image-undecodable', `BMP: ${why}`);
  };
  if (bytes.length < FILE_HEADER_BYTES + MIN_INFO_HEADER_BYTES || !isBmp(bytes)) bad('file too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = dv.getUint32(10, true);
  const infoSize = dv.getUint32(14, true);
  if (infoSize < MIN_INFO_HEADER_BYTES) bad('unsupported header (OS/2 BMP)');
  const width = dv.getInt32(18, true);
  const rawHeight = dv.getInt32(22, true);
  const bpp = dv.getUint16(28, true);
  const compression = dv.getUint32(30, true);
  let colours = dv.getUint32(46, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width < 1 || height < 1 || width > MAX_BMP_SIDE || height > MAX_BMP_SIDE) bad(`bad dimensions ${width}x${rawHeight}`);
  if (![1, 4, 8, 24, 32].includes(bpp)) bad(`${bpp}-bit images are not supported`);
  if (!(compression === BI_RGB || (compression === BI_BITFIELDS && bpp === 32))) bad(`compression ${compression} is not supported`);
  if (bpp <= 8 && colours === 0) colours = 1 << bpp;
  const paletteStart = FILE_HEADER_BYTES + infoSize + (compression === BI_BITFIELDS && infoSize === MIN_INFO_HEADER_BYTES ? 12 : 0);
  const palette: number[][] = [];
  if (bpp <= 8) {
    if (colours > 256 || paletteStart + colours * 4 > bytes.length) bad('palette missing');
    for (let i = 0; i < colours; i++) {
      const p = paletteStart + i * 4;
      palette.push([bytes[p + 2] as number, bytes[p + 1] as number, bytes[p] as number]);
    }
  }
  const stride = Math.floor((bpp * width + 31) / 32) * 4; // rows padded to 4 bytes
  if (dataOffset + stride * height > bytes.length) bad('pixel data truncated');
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      let r: number, g: number, b: number;
      if (bpp === 24 || bpp === 32) {
        const p = srcRow + x * (bpp / 8);
        b = bytes[p] as number;
        g = bytes[p + 1] as number;
        r = bytes[p + 2] as number;
      } else {
        const bit = x * bpp;
        const byte = bytes[srcRow + (bit >> 3)] as number;
        const idx = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const c = palette[idx] ?? bad(`palette index ${idx} out of range`);
        [r, g, b] = c as [number, number, number];
      }
      const o = (y * width + x) * 3;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return { width, height, channels: 3, data: out };
}
