// The Image Pixel Module attributes needed to decode pixels (DICOM PS3.3 C.7.6.3), read and checked.
import { readIntegerString, readString, readUint16 } from './attribute-values.ts';
import type { DataSet } from './dicom-parser-lib.ts';
import { TAG } from './tags.ts';

export const PHOTOMETRICS = ['MONOCHROME1', 'MONOCHROME2', 'PALETTE COLOR', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT'] as const;
export type Photometric = (typeof PHOTOMETRICS)[number];

export interface PixelModule {
  rows: number;
  columns: number;
  numberOfFrames: number;
  samplesPerPixel: 1 | 3;
  photometric: Photometric;
  /** 0 = interleaved (R1G1B1R2…), 1 = planar (R…G…B…). */
  planarConfiguration: 0 | 1;
  bitsAllocated: 1 | 8 | 16 | 32;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
}

const ALLOWED_BITS_ALLOCATED = new Set([1, 8, 16, 32]);

export type PixelModuleResult = { ok: true; module: PixelModule } | { ok: false; reason: string };

/** Reads the pixel description; `reason` says in plain words what is missing or inconsistent. */
export function readPixelModule(ds: DataSet): PixelModuleResult {
  const rows = readUint16(ds, TAG.rows);
  const columns = readUint16(ds, TAG.columns);
  if (!rows || !columns) return { ok: false, reason: 'the image size (Rows/Columns) is missing or zero' };
  const spp = readUint16(ds, TAG.samplesPerPixel) ?? 1;
  if (spp !== 1 && spp !== 3) return { ok: false, reason: `${spp} samples per pixel is not a supported image layout` };
  const bitsAllocated = readUint16(ds, TAG.bitsAllocated);
  if (bitsAllocated === undefined || !ALLOWED_BITS_ALLOCATED.has(bitsAllocated)) {
    return { ok: false, reason: `Bits Allocated ${bitsAllocated ?? '(missing)'} is not supported` };
  }
  const bitsStored = readUint16(ds, TAG.bitsStored) ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    return { ok: false, reason: `Bits Stored ${bitsStored} does not fit in Bits Allocated ${bitsAllocated}` };
  }
  let highBit = readUint16(ds, TAG.highBit) ?? bitsStored - 1;
  if (highBit < bitsStored - 1 || highBit >= bitsAllocated) highBit = bitsStored - 1;
  const pixelRepresentation = readUint16(ds, TAG.pixelRepresentation) ?? 0;
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) {
    return { ok: false, reason: `Pixel Representation ${pixelRepresentation} is not 0 or 1` };
  }
  const frames = ds.elements[TAG.numberOfFrames] ? readIntegerString(ds, TAG.numberOfFrames) : 1;
  if (frames === undefined || frames < 1) return { ok: false, reason: 'Number of Frames is not a positive whole number' };
  // Older files omit Photometric Interpretation; a single sample is then a grey image (the pre-1993 ACR-NEMA meaning).
  const photometricRaw = readString(ds, TAG.photometricInterpretation)?.toUpperCase() ?? (spp === 1 ? 'MONOCHROME2' : 'RGB');
  const photometric = PHOTOMETRICS.find((p) => p === photometricRaw);
  if (!photometric) return { ok: false, reason: `the colour model "${photometricRaw}" is not supported` };
  const isColourModel = photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2' && photometric !== 'PALETTE COLOR';
  if (isColourModel !== (spp === 3)) {
    return { ok: false, reason: `the colour model ${photometric} does not match ${spp} sample(s) per pixel` };
  }
  if (bitsAllocated === 1 && spp !== 1) return { ok: false, reason: '1-bit colour images are not supported' };
  const planar = spp === 3 && readUint16(ds, TAG.planarConfiguration) === 1 ? 1 : 0;
  return {
    ok: true,
    module: {
      rows,
      columns,
      numberOfFrames: frames,
      samplesPerPixel: spp,
      photometric,
      planarConfiguration: planar,
      bitsAllocated: bitsAllocated as PixelModule['bitsAllocated'],
      bitsStored,
      highBit,
      pixelRepresentation: pixelRepresentation as 0 | 1,
    },
  };
}
