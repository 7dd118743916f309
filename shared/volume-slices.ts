// Which slices of a volume (a DICOM series, a MedMNIST 3D volume) become items, per import: every slice an item, one
// key slice (the middle one, or the one with most tissue), or a montage of N evenly spaced slices. Pure: the callers
// decode, score and compose; this file only decides indices (0-based, in the volume's slice order) and the grid.
import { z } from 'zod';

/** Largest montage: a 4 × 4 grid. */
export const MONTAGE_MAX_SLICES = 16;
export const MONTAGE_DEFAULT_SLICES = 4;

export const VolumeMode = z.discriminatedUnion('mode', [
  /** Every slice its own item (what a DICOM folder always gave). */
  z.strictObject({ mode: z.literal('every-slice') }),
  /** One item per volume: slice floor((n − 1) / 2). */
  z.strictObject({ mode: z.literal('middle-slice') }),
  /** One item per volume: the slice with the largest tissue fraction (tissueFraction below). */
  z.strictObject({ mode: z.literal('most-tissue') }),
  /** One item per volume: N evenly spaced slices in one grid image. */
  z.strictObject({ mode: z.literal('montage'), slices: z.number().int().min(2).max(MONTAGE_MAX_SLICES) }),
]);
export type VolumeMode = z.infer<typeof VolumeMode>;

/** True when a mode makes one item per volume (the volume needs grouping first). */
export function isPerVolume(mode: VolumeMode | undefined): mode is Exclude<VolumeMode, { mode: 'every-slice' }> {
  return mode !== undefined && mode.mode !== 'every-slice';
}

/**
 * A pixel counts as tissue when its 8-bit grey value (RGB: the mean of its three channels) is above this level,
 * 10 % of the 8-bit range: after windowing, air and background sit at or near 0.
 */
export const TISSUE_LEVEL = 25;

/** Fraction (0–1) of an 8-bit image's pixels above TISSUE_LEVEL. */
export function tissueFraction(image: { width: number; height: number; channels: 1 | 3; data: Uint8Array }): number {
  const n = image.width * image.height;
  if (n === 0) return 0;
  let above = 0;
  if (image.channels === 1) {
    for (let i = 0; i < n; i++) if ((image.data[i] as number) > TISSUE_LEVEL) above++;
  } else {
    for (let i = 0; i < n; i++) {
      const sum = (image.data[3 * i] as number) + (image.data[3 * i + 1] as number) + (image.data[3 * i + 2] as number);
      if (sum > 3 * TISSUE_LEVEL) above++;
    }
  }
  return above / n;
}

/** The middle slice of n: floor((n − 1) / 2) — for an even n the lower of the two middle slices (n = 40 → 19). */
export function middleSlice(n: number): number {
  return Math.floor((n - 1) / 2);
}

/** The index of the largest score; ties go to the lowest index. */
export function mostTissueSlice(scores: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
  return best;
}

/**
 * N evenly spaced slices of n: round(i · (n − 1) / (k − 1)) for i = 0…k − 1, with k = min(N, n) (a series shorter
 * than the montage gives all its slices) and Math.round (halves round up). k = 1 is the middle slice. The first and
 * last slice are always in; the indices are distinct because the step is at least 1. n = 40, N = 4 → 0, 13, 26, 39.
 */
export function montageSlices(n: number, slices: number): number[] {
  const k = Math.min(slices, n);
  if (k <= 1) return [middleSlice(n)];
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)));
}

/**
 * The slices a mode takes from a volume of n slices (n ≥ 1). `most-tissue` needs each slice's tissue fraction
 * (`scores`, length n); the other modes never look at pixels.
 */
export function chooseSlices(n: number, mode: VolumeMode, scores?: readonly number[]): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a volume has at least one slice (got ${n})`);
  switch (mode.mode) {
    case 'every-slice':
      return Array.from({ length: n }, (_, i) => i);
    case 'middle-slice':
      return [middleSlice(n)];
    case 'most-tissue':
      if (!scores || scores.length !== n) throw new RangeError(`most-tissue needs one score per slice (${n}), got ${scores?.length ?? 0}`);
      return [mostTissueSlice(scores)];
    case 'montage':
      return montageSlices(n, mode.slices);
  }
}

/** The grid of a montage of k tiles: ceil(√k) columns, as many rows as needed, filled row by row (k = 4 → 2 × 2, 5 → 3 × 2). */
export function montageGrid(k: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(k)));
  return { columns, rows: Math.max(1, Math.ceil(k / columns)) };
}

/** What an item shows of its volume, for people: "slice 19 of 40", "slices 0, 13, 26, 39 of 40". Numbers are 0-based. */
export function describeSlices(indices: readonly number[], of: number): string {
  return `${indices.length === 1 ? 'slice' : 'slices'} ${indices.join(', ')} of ${of}`;
}

/** A volume mode in words, for forms and reports. */
export function volumeModeLabel(mode: VolumeMode | undefined): string {
  switch (mode?.mode ?? 'every-slice') {
    case 'every-slice':
      return 'every slice an item';
    case 'middle-slice':
      return 'one item per volume: the middle slice';
    case 'most-tissue':
      return 'one item per volume: the slice with most tissue';
    case 'montage':
      return `one item per volume: a montage of ${(mode as { slices: number }).slices} evenly spaced slices`;
  }
}
