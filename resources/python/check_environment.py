"""Prints, as one JSON line, the installed version of each module MedBridge's Python side needs (without importing
them, so it is fast) and the ones that are missing. Run by electron/environment/python-environment.ts."""
import importlib.metadata
import importlib.util
import json
import sys

# import name -> distribution name
MODULES = {
    "torch": "torch",
    "transformers": "transformers",
    "tokenizers": "tokenizers",
    "safetensors": "safetensors",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "numpy": "numpy",
    "PIL": "pillow",
}

versions, missing = {}, []
for module, dist in MODULES.items():
    if importlib.util.find_spec(module) is None:
        missing.append(dist)
        continue
    try:
        versions[dist] = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        versions[dist] = "unknown"
print(json.dumps({"python": sys.version.split()[0], "executable": sys.executable, "versions": versions, "missing": missing}))
