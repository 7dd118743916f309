// Puts several items' processor outputs into one VLM forward pass, and splits the vision encoder's output back per
// item. Prompts are left-padded (so every prompt ends at the last position) with an attention mask that hides the
// padding; vision inputs are concatenated along their first dimension: LLaVA's fixed-size pixel_values
// [1, 3, H, W] stack into [b, 3, H, W]; Qwen2-VL's flattened patches [N_i, D] of images of different sizes
// concatenate into [ΣN_i, D] with one image_grid_thw row per image.
import { Tensor, cat } from '@huggingface/transformers';
import { ModelError } from './model-error.ts';

const PADDED = new Set(['input_ids', 'attention_mask']);
const CONCATENATED = new Set(['pixel_values', 'image_grid_thw']);

function leftPad(tensors: readonly Tensor[], value: bigint): Tensor {
  const width = Math.max(...tensors.map((t) => t.dims.at(-1) as number));
  const out = new BigInt64Array(tensors.length * width).fill(value);
  tensors.forEach((t, b) => {
    const n = t.dims.at(-1) as number;
    out.set(t.data as BigInt64Array, b * width + (width - n));
  });
  return new Tensor('int64', out, [tensors.length, width]);
}

export function collateVlmInputs(each: readonly Record<string, Tensor>[], padTokenId: number): Record<string, Tensor> {
  if (each.length === 1) return each[0] as Record<string, Tensor>;
  const first = each[0] as Record<string, Tensor>;
  const out: Record<string, Tensor> = {};
  for (const key of Object.keys(first)) {
    if (!(first[key] instanceof Tensor)) continue; // image-size metadata (original_sizes, …): not a model input
    const parts = each.map((e) => e[key] as Tensor);
    if (PADDED.has(key)) out[key] = leftPad(parts, key === 'input_ids' ? BigInt(padTokenId) : 0n);
    else if (CONCATENATED.has(key)) out[key] = cat(parts, 0);
    else throw new ModelError('model/unsupported-architecture', `the processor returned "${key}", which batched scoring does not know how to combine`);
  }
  return out;
}

/**
 * The vision output averaged per item: [b, N, H] (one block per image) or [ΣN_i / merge², H] (Qwen2-VL: item i has
 * t·h·w / merge² rows, from its own image_grid_thw).
 */
export function splitImageFeatures(features: Tensor, each: readonly Record<string, Tensor>[], mergeLength: number): Float32Array[] {
  const h = features.dims.at(-1) as number;
  const data = features.data as Float32Array;
  const rows = each.map((e) => {
    const grid = e.image_grid_thw;
    if (!grid) return data.length / h / each.length;
    return Number((grid.data as BigInt64Array).reduce((a, b) => a * b, 1n)) / mergeLength;
  });
  const out: Float32Array[] = [];
  let from = 0;
  for (const n of rows) {
    const mean = new Float32Array(h);
    for (let r = from; r < from + n; r++) for (let d = 0; d < h; d++) mean[d]! += (data[r * h + d] as number) / n;
    out.push(mean);
    from += n;
  }
  if (from * h !== data.length)
    throw new ModelError('model/invalid-input', `the vision encoder returned ${data.length / h} rows for ${from} expected image tokens`);
  return out;
}
