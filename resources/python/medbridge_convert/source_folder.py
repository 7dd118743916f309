"""Checks a local Hugging Face VLM folder before anything is loaded: config.json, a supported model_type,
safetensors weights that are complete (header and data length), tokenizer and processor files."""
import json
import os
import struct

from .messages import ConvertError

WEIGHT_SUFFIX = ".safetensors"


def read_json(folder, name):
    path = os.path.join(folder, name)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ConvertError("convert/invalid-config", f"{name} is not valid JSON ({e})", name)


def check_safetensors(folder, name):
    """A safetensors file is an 8-byte little-endian header length, a JSON header, then the tensor bytes."""
    path = os.path.join(folder, name)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise ConvertError("convert/truncated-weights", f"{name} is truncated ({size} bytes)", name)
        (n,) = struct.unpack("<Q", head)
        if n > size - 8:
            raise ConvertError("convert/truncated-weights", f"{name} is truncated: its header says {n} bytes, the file has {size - 8}", name)
        try:
            header = json.loads(f.read(n))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ConvertError("convert/truncated-weights", f"{name} has an unreadable header", name)
    end = max((t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"), default=0)
    if 8 + n + end > size:
        raise ConvertError(
            "convert/truncated-weights", f"{name} is truncated: its tensors need {8 + n + end} bytes, the file has {size}", name
        )


def inspect_source(folder, supported):
    if not os.path.isdir(folder):
        raise ConvertError("convert/not-a-folder", f"{folder} is not a folder", ".")
    config = read_json(folder, "config.json")
    if config is None:
        raise ConvertError("convert/missing-file", "the folder has no config.json", "config.json")
    model_type = config.get("model_type")
    if model_type not in supported:
        raise ConvertError(
            "convert/unsupported-architecture",
            f'model_type "{model_type}" is not supported (supported: {", ".join(sorted(supported))})',
            "config.json",
        )
    names = sorted(os.listdir(folder))
    weights = [n for n in names if n.endswith(WEIGHT_SUFFIX)]
    if not weights:
        pickled = [n for n in names if n.endswith((".bin", ".pt", ".pth"))]
        hint = f" ({pickled[0]} is a pickle file, which is not loaded: re-save the model with safe_serialization=True)" if pickled else ""
        raise ConvertError("convert/missing-weights", f"the folder has no .safetensors weights{hint}", pickled[0] if pickled else ".")
    for w in weights:
        check_safetensors(folder, w)
    if not os.path.exists(os.path.join(folder, "tokenizer.json")):
        raise ConvertError("convert/missing-file", "the folder has no tokenizer.json (a fast tokenizer is required)", "tokenizer.json")
    return config, weights
