// Decoding of a read DICOM file: stored values per frame (any supported transfer syntax) and their 8-bit
// rendering with the parameters used, as DecodedImage frames.
import type { DecodedImage } from '../../shared/items.ts';
import { colourToBytes, ybrFullToRgb } from './colour.ts';
import { frameDecoder } from './frame-source.ts';
import { DecodeFailure } from './decode-failure.ts';
import { describeThrown, dicomError, type DicomError } from './errors.ts';
import { applyPalette, readPalette, type Palette } from './palette.ts';
import type { DicomFile } from './read-dicom.ts';
import { readRescale, readVoiLut, readWindow, renderGrey, renderGreyByTable, type Rescale, type Voi } from './voi.ts';

export type ColourHandling = 'grey' | 'rgb' | 'ybr-full-to-rgb' | 'palette';

/** Stored values of one frame (after Bits Stored masking and sign), before any rescale or VOI. */
export interface StoredFrame {
  index: number;
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  /** Pixel-interleaved; colour frames are already RGB unless `colour` is 'ybr-full-to-rgb'. */
  values: Float64Array;
  colour: ColourHandling;
}

/** What was applied to make one 8-bit frame, so a test or a report can reproduce it. */
export interface FrameRendering {
  frame: number;
  colour: ColourHandling;
  /** Modality rescale applied to grey frames (identity for colour). */
  rescale: Rescale;
  /** VOI used for grey frames; null for colour. */
  voi: Voi | null;
  /** MONOCHROME1: the 8-bit output was inverted. */
  invert: boolean;
}

export interface DecodedDicom {
  frames: DecodedImage[];
  rendering: FrameRendering[];
}

export type DicomDecodeResult = ({ ok: true } & DecodedDicom) | { ok: false; error: DicomError };
export type StoredFramesResult = { ok: true; frames: StoredFrame[] } | { ok: false; error: DicomError };

export interface DecodeOptions {
  /** Decode only the first N frames (e.g. for previews); default all. */
  maxFrames?: number;
}

function failure(d: DicomFile, e: unknown): { ok: false; error: DicomError } {
  if (e instanceof DecodeFailure) return dicomError(e.code, d.file, `${d.file}: ${e.message}.`);
  return dicomError('dicom/decode-failed', d.file, `${d.file}: the image data could not be decoded (${describeThrown(e)}).`);
}

function colourHandling(d: DicomFile, convertedToRgb: boolean): ColourHandling {
  const p = d.image.photometric;
  if (p === 'PALETTE COLOR') return 'palette';
  if (d.image.samplesPerPixel === 1) return 'grey';
  if (!convertedToRgb && (p === 'YBR_FULL' || p === 'YBR_FULL_422')) return 'ybr-full-to-rgb';
  return 'rgb';
}

async function forEachStoredFrame(d: DicomFile, options: DecodeOptions, visit: (f: StoredFrame) => void): Promise<void> {
  const count = Math.min(d.image.numberOfFrames, options.maxFrames ?? Infinity);
  const next = frameDecoder(d);
  for (let i = 0; i < count; i++) {
    const { values, convertedToRgb } = await next(i);
    visit({
      index: i,
      width: d.image.columns,
      height: d.image.rows,
      samplesPerPixel: d.image.samplesPerPixel,
      values,
      colour: colourHandling(d, convertedToRgb),
    });
  }
}

/** Stored pixel values of every frame (no rescale, no VOI): for lossless comparisons and analysis. */
export async function decodeStoredFrames(d: DicomFile, options: DecodeOptions = {}): Promise<StoredFramesResult> {
  const frames: StoredFrame[] = [];
  try {
    await forEachStoredFrame(d, options, (f) => frames.push(f));
  } catch (e) {
    return failure(d, e);
  }
  return { ok: true, frames };
}

/** Modality values: stored values through Rescale Slope/Intercept (C.11.1.1.2). */
export function rescaled(stored: Float64Array, rescale: Rescale): Float64Array {
  const values = new Float64Array(stored.length);
  for (let i = 0; i < values.length; i++) values[i] = stored[i]! * rescale.slope + rescale.intercept;
  return values;
}

/** Renders one stored frame to 8 bits with the module's rules (see voi.ts). */
export function renderFrame(d: DicomFile, f: StoredFrame, palette?: Palette): { image: DecodedImage; rendering: FrameRendering } {
  const base = { width: f.width, height: f.height };
  const identity: Rescale = { slope: 1, intercept: 0 };
  if (f.colour === 'palette') {
    const p = palette ?? readPalette(d.dataSet);
    return {
      image: { ...base, channels: 3, data: applyPalette(f.values, p) },
      rendering: { frame: f.index, colour: 'palette', rescale: identity, voi: null, invert: false },
    };
  }
  if (f.samplesPerPixel === 3) {
    const values = f.values.slice();
    if (f.colour === 'ybr-full-to-rgb') ybrFullToRgb(values);
    return {
      image: { ...base, channels: 3, data: colourToBytes(values, d.image.bitsStored) },
      rendering: { frame: f.index, colour: f.colour, rescale: identity, voi: null, invert: false },
    };
  }
  const rescale = readRescale(d.dataSet);
  const invert = d.image.photometric === 'MONOCHROME1';
  const window = readWindow(d.dataSet);
  const lut = readVoiLut(d.dataSet);
  const { bytes, voi } = renderGreyByTable(f.values, rescale, window, lut, invert) ?? renderGrey(rescaled(f.values, rescale), window, lut, invert);
  return { image: { ...base, channels: 1, data: bytes }, rendering: { frame: f.index, colour: 'grey', rescale, voi, invert } };
}

/** Decodes and renders every frame (or the first `maxFrames`) to 8-bit images. Never throws for bad data. */
export async function decodeDicom(d: DicomFile, options: DecodeOptions = {}): Promise<DicomDecodeResult> {
  const frames: DecodedImage[] = [];
  const rendering: FrameRendering[] = [];
  try {
    const palette = d.image.photometric === 'PALETTE COLOR' ? readPalette(d.dataSet) : undefined;
    await forEachStoredFrame(d, options, (f) => {
      const r = renderFrame(d, f, palette);
      frames.push(r.image);
      rendering.push(r.rendering);
    });
  } catch (e) {
    return failure(d, e);
  }
  return { ok: true, frames, rendering };
}
