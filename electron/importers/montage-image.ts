// One image from several slices: a grid of montageGrid(k) tiles filled row by row in slice order. Every tile is as
// large as the largest slice; a smaller slice sits centred in its tile (offset floor of half the difference), and
// what no slice covers (padding, empty cells of the last row) is black. Grey unless a slice is RGB; grey slices are
// then repeated over the three channels. Pixels are copied, never resampled.
import type { DecodedImage } from '../../shared/items.ts';
import { montageGrid } from '../../shared/volume-slices.ts';

export function composeMontage(slices: readonly DecodedImage[]): DecodedImage {
  if (slices.length === 0) throw new RangeError('a montage needs at least one slice');
  const { columns, rows } = montageGrid(slices.length);
  const tileW = Math.max(...slices.map((s) => s.width));
  const tileH = Math.max(...slices.map((s) => s.height));
  const channels: 1 | 3 = slices.some((s) => s.channels === 3) ? 3 : 1;
  const width = columns * tileW;
  const height = rows * tileH;
  const data = new Uint8Array(width * height * channels);
  slices.forEach((s, k) => {
    const left = (k % columns) * tileW + Math.floor((tileW - s.width) / 2);
    const top = Math.floor(k / columns) * tileH + Math.floor((tileH - s.height) / 2);
    for (let y = 0; y < s.height; y++) {
      for (let x = 0; x < s.width; x++) {
        const to = ((top + y) * width + left + x) * channels;
        const from = (y * s.width + x) * s.channels;
        for (let c = 0; c < channels; c++) data[to + c] = s.data[from + (s.channels === 3 ? c : 0)] as number;
      }
    }
  });
  return { width, height, channels, data };
}
