"""Lower-precision copies of the exported fp32 graphs, named as transformers.js loads them by dtype:
fp16 -> <graph>_fp16.onnx (weights and activations in float16, graph inputs/outputs kept float32),
q8   -> <graph>_quantized.onnx (dynamic int8 quantisation of MatMul/Gemm weights, onnxruntime.quantization).
The fp32 files are removed afterwards: a pack holds one precision."""
import os

import onnx

from .messages import ConvertError

SUFFIX = {"fp32": "", "fp16": "_fp16", "q8": "_quantized"}


def lower_precision(onnx_dir, graphs, dtype):
    if dtype == "fp32":
        return
    for g in graphs:
        src = os.path.join(onnx_dir, f"{g}.onnx")
        dst = os.path.join(onnx_dir, f"{g}{SUFFIX[dtype]}.onnx")
        try:
            if dtype == "fp16":
                from onnxruntime.transformers.float16 import convert_float_to_float16

                model = convert_float_to_float16(onnx.load(src), keep_io_types=True, disable_shape_infer=True)
                onnx.save(model, dst)
            else:
                from onnxruntime.quantization import QuantType, quantize_dynamic

                quantize_dynamic(src, dst, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gemm"])
        except Exception as e:  # noqa: BLE001 - reported with the graph it concerns
            raise ConvertError("convert/precision-failed", f"could not write the {dtype} copy of {g}: {e}", f"onnx/{g}.onnx")
        os.remove(src)
