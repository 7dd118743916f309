// The trained adapter as an ONNX graph (`adapter_head.onnx`), the same math as `forwardItem` / `adapterOptionLogits`
// (electron/training/adapter.ts, apply-adapter.ts) in float32:
//   option_logits[b, j] = base_logits[b, j] + s · Σ_k (U v_b)_k · (W t_{b,j})_k
// Inputs  image_features [batch, dv], option_features [batch, m, dt], base_logits [batch, m] (the frozen pack's
// outputs); output option_logits [batch, m], before the softmax temperature (kept in the metadata). The
// initializers are the adapter's own parameters, unchanged: adapter.U [r, dv], adapter.W [r, dt], adapter.scale [].
// Opset 17: Gemm, Transpose, MatMul, Unsqueeze (axes as input), Mul, ReduceSum (axes as input), Add.
import type { Adapter } from '../adapter.ts';
import { encodeOnnxModel, ONNX_DEFAULT_OPSET, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-writer.ts';

export const ADAPTER_HEAD_INPUTS = ['image_features', 'option_features', 'base_logits'] as const;
export const ADAPTER_HEAD_OUTPUT = 'option_logits';
export const ADAPTER_HEAD_INITIALIZERS = { u: 'adapter.U', w: 'adapter.W', scale: 'adapter.scale' } as const;

export class AdapterExportError extends Error {}

export interface AdapterHeadOptions {
  /** Written as the graph's doc_string and model metadata (run id, hashes …). */
  metadata?: Readonly<Record<string, string>>;
  producerVersion?: string;
}

/** The adapter head as an ONNX model description (see encodeOnnxModel). */
export function adapterHeadModel(adapter: Adapter, options: AdapterHeadOptions = {}): OnnxModel {
  const c = adapter.config;
  if (c.numLabels > 0) {
    throw new AdapterExportError(
      `this adapter has a fixed-label head (${c.numLabels} labels), which needs per-option label ids that packs do not provide; it cannot be exported`,
    );
  }
  const { rank: r, imageDim: dv, textDim: dt } = c;
  const initializers: OnnxTensor[] = [
    {
      name: ADAPTER_HEAD_INITIALIZERS.u,
      dataType: 'float32',
      dims: [r, dv],
      data: Float32Array.from(adapter.u),
      docString: 'U: rank × image-feature projection',
    },
    {
      name: ADAPTER_HEAD_INITIALIZERS.w,
      dataType: 'float32',
      dims: [r, dt],
      data: Float32Array.from(adapter.w),
      docString: 'W: rank × option-feature projection',
    },
    { name: ADAPTER_HEAD_INITIALIZERS.scale, dataType: 'float32', dims: [], data: Float32Array.of(c.scale), docString: 's: fixed scale of the bilinear term' },
    { name: 'axes.1', dataType: 'int64', dims: [1], data: BigInt64Array.of(1n) },
    { name: 'axes.2', dataType: 'int64', dims: [1], data: BigInt64Array.of(2n) },
  ];
  const [image, options_, base] = ADAPTER_HEAD_INPUTS;
  const nodes: OnnxNode[] = [
    { name: 'project_image', opType: 'Gemm', inputs: [image, ADAPTER_HEAD_INITIALIZERS.u], outputs: ['z'], attributes: { transB: { kind: 'int', value: 1 } } },
    {
      name: 'transpose_w',
      opType: 'Transpose',
      inputs: [ADAPTER_HEAD_INITIALIZERS.w],
      outputs: ['w_t'],
      attributes: { perm: { kind: 'ints', value: [1, 0] } },
    },
    { name: 'project_options', opType: 'MatMul', inputs: [options_, 'w_t'], outputs: ['y'] },
    { name: 'broadcast_z', opType: 'Unsqueeze', inputs: ['z', 'axes.1'], outputs: ['z_row'] },
    { name: 'bilinear_terms', opType: 'Mul', inputs: ['y', 'z_row'], outputs: ['zy'] },
    { name: 'bilinear', opType: 'ReduceSum', inputs: ['zy', 'axes.2'], outputs: ['bil'], attributes: { keepdims: { kind: 'int', value: 0 } } },
    { name: 'scale', opType: 'Mul', inputs: ['bil', ADAPTER_HEAD_INITIALIZERS.scale], outputs: ['bil_scaled'] },
    { name: 'add_base', opType: 'Add', inputs: [base, 'bil_scaled'], outputs: [ADAPTER_HEAD_OUTPUT] },
  ];
  return {
    irVersion: 8,
    opsetVersion: ONNX_DEFAULT_OPSET,
    producerName: 'medbridge',
    producerVersion: options.producerVersion ?? '',
    docString: 'MedBridge adapter head: option_logits = base_logits + s * (U image_features) . (W option_features). Not a medical device.',
    metadata: { 'medbridge.temperature': String(c.temperature), 'medbridge.rank': String(r), ...(options.metadata ?? {}) },
    graph: {
      name: 'medbridge_adapter_head',
      nodes,
      initializers,
      inputs: [
        { name: image, elemType: 'float32', shape: ['batch', dv], docString: "image features (mean over an item's images), the pack's vision output" },
        {
          name: options_,
          elemType: 'float32',
          shape: ['batch', 'options', dt],
          docString: 'one option-feature row per option in displayed order (padded rows are ignored by the caller)',
        },
        { name: base, elemType: 'float32', shape: ['batch', 'options'], docString: "the frozen pack's option logits (answer head)" },
      ],
      outputs: [
        { name: ADAPTER_HEAD_OUTPUT, elemType: 'float32', shape: ['batch', 'options'], docString: 'adapted option logits, before the softmax temperature' },
      ],
    },
  };
}

/** The bytes of `adapter_head.onnx` for a trained adapter. */
export function adapterHeadOnnx(adapter: Adapter, options: AdapterHeadOptions = {}): Uint8Array {
  return encodeOnnxModel(adapterHeadModel(adapter, options));
}
