"""Load the Hugging Face model (local files only, fp32, eager attention) and write the runner's pack layout."""
import json
import os
import shutil

import torch

from .messages import ConvertError
from .onnx_export import export_embed_tokens
from .precision import lower_precision
from .source_folder import read_json

TOKENIZER_FILES = ("tokenizer.json",)


def load_model(src, config):
    import transformers

    arch = (config.get("architectures") or [None])[0]
    cls = getattr(transformers, arch, None) if arch else None
    if cls is None:
        raise ConvertError("convert/unsupported-architecture", f"architecture {arch} is not in transformers {transformers.__version__}", "config.json")
    try:
        model = cls.from_pretrained(src, local_files_only=True, dtype=torch.float32, attn_implementation="eager", use_safetensors=True)
    except Exception as e:  # noqa: BLE001 - any load failure is reported with its reason
        raise ConvertError("convert/load-failed", f"transformers could not load the model: {e}", "config.json")
    return model.eval()


def image_processor_config(src):
    """transformers 5 nests the image processor in processor_config.json; older folders have preprocessor_config.json."""
    flat = read_json(src, "preprocessor_config.json")
    if flat is not None:
        return flat
    nested = (read_json(src, "processor_config.json") or {}).get("image_processor")
    if nested is None:
        raise ConvertError("convert/missing-file", "the folder has no image processor settings (preprocessor_config.json)", "preprocessor_config.json")
    return nested


def chat_template(src, tokenizer_config):
    if tokenizer_config.get("chat_template"):
        return tokenizer_config["chat_template"]
    jinja = os.path.join(src, "chat_template.jinja")
    if os.path.exists(jinja):
        return open(jinja, encoding="utf-8").read()
    tpl = read_json(src, "chat_template.json") or read_json(src, "processor_config.json") or {}
    if tpl.get("chat_template"):
        return tpl["chat_template"]
    raise ConvertError("convert/missing-file", "the folder has no chat template (tokenizer_config.json, chat_template.jinja)", "tokenizer_config.json")


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def convert(src, out, config, family, progress, dtype="fp32"):
    total = 6
    progress("loading the model", 0, total)
    model = load_model(src, config)
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    image_proc = image_processor_config(src)
    text_config = model.config.get_text_config()
    progress("exporting embed_tokens", 1, total)
    export_embed_tokens(model, os.path.join(out, "onnx", "embed_tokens.onnx"), text_config.hidden_size)
    progress("exporting vision_encoder", 2, total)
    family["export_vision"](model, image_proc, os.path.join(out, "onnx", "vision_encoder.onnx"))
    progress("exporting decoder_model_merged", 3, total)
    family["export_decoder"](model, os.path.join(out, "onnx", "decoder_model_merged.onnx"))
    if dtype != "fp32":
        progress(f"writing the {dtype} graphs", 4, total)
        lower_precision(os.path.join(out, "onnx"), ("embed_tokens", "vision_encoder", "decoder_model_merged"), dtype)
    progress("writing tokenizer and processor files", 5, total)
    write_json(os.path.join(out, "config.json"), family.get("runner_config", lambda c: c)(config))
    shutil.copyfile(os.path.join(src, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    tok_cfg = read_json(src, "tokenizer_config.json") or {}
    tok_cfg["chat_template"] = chat_template(src, tok_cfg)
    if tok_cfg.get("tokenizer_class") in (None, "TokenizersBackend"):
        tok_cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    write_json(os.path.join(out, "tokenizer_config.json"), tok_cfg)
    if family.get("chat_template_file"):  # transformers.js' Gemma3Processor reads the template from this file
        with open(os.path.join(out, "chat_template.jinja"), "w", encoding="utf-8") as f:
            f.write(tok_cfg["chat_template"])
    image_proc = {**family.get("runner_image_processor", lambda p: p)(image_proc), "processor_class": family["processor_class"]}
    image_proc.setdefault("image_processor_type", image_proc.get("image_processor_type", "ImageProcessor"))
    write_json(os.path.join(out, "preprocessor_config.json"), image_proc)
    runner_cfg = family["runner_processor_config"](read_json(src, "processor_config.json") or {}, config)
    if runner_cfg is not None:
        write_json(os.path.join(out, "processor_config.json"), runner_cfg)
    if os.path.exists(os.path.join(src, "generation_config.json")):
        shutil.copyfile(os.path.join(src, "generation_config.json"), os.path.join(out, "generation_config.json"))
    progress("done", total, total)
    import onnx
    import onnxruntime
    import transformers

    return {
        "architecture": config["model_type"],
        "hiddenSize": text_config.hidden_size,
        "dtype": dtype,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__},
    }
