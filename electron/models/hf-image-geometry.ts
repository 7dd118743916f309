// The size a Hugging Face image processor resizes an image to, computed as transformers computes it, so MedBridge
// can resize first with Pillow's filter (pil-resample.ts) and hand transformers.js an image it leaves as it is:
//   shortest-edge: CLIP-style `size.shortest_edge` (the long side int-truncated) or an exact `size.height/width`;
//   smart-resize:  Qwen2-VL's dimensions divisible by patch × merge within [min_pixels, max_pixels] (Python's
//                  round-half-to-even included).
export type ResizeGeometry = 'shortest-edge' | 'smart-resize';

type Config = Record<string, unknown>;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Python's round(): halves go to the even neighbour. */
export function pythonRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function smartResize(height: number, width: number, factor: number, minPixels: number, maxPixels: number): { height: number; width: number } {
  let h = pythonRound(height / factor) * factor;
  let w = pythonRound(width / factor) * factor;
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(factor, Math.floor(height / beta / factor) * factor);
    w = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / factor) * factor;
    w = Math.ceil((width * beta) / factor) * factor;
  }
  return { height: h, width: w };
}

/** Target [width, height] before any crop, or null when the processor does not resize. */
export function hfResizeTarget(geometry: ResizeGeometry, config: Config, width: number, height: number): { width: number; height: number } | null {
  if (config.do_resize === false) return null;
  const size = (config.size ?? {}) as Config;
  if (geometry === 'smart-resize') {
    const factor = (num(config.patch_size) ?? 14) * (num(config.merge_size) ?? 2);
    const minPixels = num(config.min_pixels) ?? num(size.shortest_edge) ?? 56 * 56;
    const maxPixels = num(config.max_pixels) ?? num(size.longest_edge) ?? 28 * 28 * 1280;
    return smartResize(height, width, factor, minPixels, maxPixels);
  }
  const edge = num(size.shortest_edge);
  if (edge !== undefined) {
    const short = Math.min(width, height);
    const long = Math.max(width, height);
    const newLong = Math.trunc((edge * long) / short);
    return width <= height ? { width: edge, height: newLong } : { width: newLong, height: edge };
  }
  const h = num(size.height);
  const w = num(size.width);
  return h !== undefined && w !== undefined ? { width: w, height: h } : null;
}
