"""python -m medbridge_convert --src HF_FOLDER --out STAGING_FOLDER [--dtype fp32]

Writes the runner's layout into STAGING_FOLDER (which must be empty): onnx/embed_tokens.onnx,
onnx/vision_encoder.onnx, onnx/decoder_model_merged.onnx, config.json, tokenizer files with the chat
template, preprocessor_config.json (+ processor_config.json where the family needs one). MedBridge then
writes manifest.json with the SHA-256 of every file. Progress and the result are JSON lines on stdout;
nothing is downloaded (HF_HUB_OFFLINE)."""
import argparse
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from .messages import ConvertError, emit, progress  # noqa: E402
from .source_folder import inspect_source  # noqa: E402

SUPPORTED = ("llava", "qwen2_vl", "qwen2_5_vl", "gemma3")


def family_module(model_type):
    if model_type == "llava":
        from . import family_llava

        return family_llava.FAMILY
    if model_type == "gemma3":
        from . import family_gemma3

        return family_gemma3.FAMILY
    from . import family_qwen2_vl

    return family_qwen2_vl.family(model_type)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dtype", default="fp32", choices=["fp32", "fp16", "q8"])
    ap.add_argument("--write-manifest", action="store_true", help="also write manifest.json (engine jobs; the app writes its own)")
    a = ap.parse_args()
    try:
        config, weights = inspect_source(a.src, SUPPORTED)
        if os.path.exists(a.out) and os.listdir(a.out):
            raise ConvertError("convert/out-not-empty", f"{a.out} is not empty", ".")
        from .convert import convert

        result = convert(a.src, a.out, config, family_module(config["model_type"]), progress, a.dtype)
        if a.write_manifest:
            from .pack_manifest import write_manifest

            write_manifest(a.out, a.src, {**result, "python": sys.version.split()[0]}, "medbridge_convert (engine job)")
        emit("done", **result, weights=weights)
        return 0
    except ConvertError as e:
        emit("error", code=e.code, message=e.message, file=e.file)
        return 2


if __name__ == "__main__":
    sys.exit(main())
