// The one place a trained adapter meets a frozen pack's cached features: diagnosis (`diagnose --adapter RUN`),
// training validation and the transfer matrix all turn (base logits, image features, option features) into
// option logits through `adapterOptionLogits`, so what was validated during training is what diagnosis measures.
import { AdapterWorkspace, forwardItem, type Adapter, type AdapterItem } from './adapter.ts';
import { deserializeAdapter } from './adapter-codec.ts';

/** The pack's per-item outputs as the feature cache stores them (electron/diagnosis/feature-blob.ts). */
export interface PackFeatures {
  readonly baseLogits: Float32Array;
  readonly imageFeatures: Float32Array;
  /** One row of dt floats per option, in displayed order. */
  readonly optionFeatures: readonly Float32Array[];
}

/** Flattens cached features into the adapter's item view (option text rows concatenated). */
export function adapterItemFromFeatures(f: PackFeatures): AdapterItem {
  const dt = f.optionFeatures[0]?.length ?? 0;
  const optionText = new Float32Array(f.optionFeatures.length * dt);
  f.optionFeatures.forEach((row, j) => optionText.set(row, j * dt));
  return { baseLogits: f.baseLogits, image: f.imageFeatures, optionText };
}

/** Option logits b + adapter re-scoring (before the temperature); the pack's base logits when `adapter` is null. */
export function adapterOptionLogits(adapter: Adapter | null, f: PackFeatures, ws?: AdapterWorkspace): Float64Array {
  const out = new Float64Array(f.baseLogits.length);
  if (adapter === null) {
    out.set(f.baseLogits);
    return out;
  }
  forwardItem(adapter, adapterItemFromFeatures(f), ws ?? new AdapterWorkspace(adapter.config), out);
  return out;
}

/** Loads an adapter saved by a training run (`runs.adapter_hash`) and checks it fits the pack's feature sizes. */
export function loadAdapterFor(bytes: Uint8Array, imageDim: number, textDim: number): Adapter {
  const a = deserializeAdapter(bytes);
  if (a.config.imageDim !== imageDim || a.config.textDim !== textDim) {
    throw new RangeError(`the adapter was trained on features of size ${a.config.imageDim}/${a.config.textDim}, this pack gives ${imageDim}/${textDim}`);
  }
  return a;
}
