"""manifest.json of a converted pack, written on the engine side (after a TRL/verl run, where MedBridge's app is not
running): kind vlm, every file with its SHA-256 and size, the three graphs, feature sizes, and the conversion
provenance. The same fields as electron/models/convert/converted-manifest.ts; MedBridge checks it against its
manifest schema and every file against its hash when the pack is registered (import-run)."""
import hashlib
import json
import os

SUFFIX = {"fp32": "", "fp16": "_fp16", "q8": "_quantized"}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def folder_identity(folder):
    """MedBridge's pack identity: SHA-256 over sorted "<sha256>  <path>" lines of every file (manifest.json excluded)."""
    lines = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            if rel != "manifest.json":
                lines.append((rel, sha256_file(os.path.join(root, name))))
    return hashlib.sha256("".join(f"{d}  {p}\n" for p, d in sorted(lines)).encode()).hexdigest(), len(lines)


def write_manifest(pack, source, result, converter):
    files = []
    for root, dirs, names in os.walk(pack):
        dirs.sort()
        for name in sorted(names):
            rel = os.path.relpath(os.path.join(root, name), pack).replace(os.sep, "/")
            if rel != "manifest.json":
                path = os.path.join(pack, rel)
                files.append({"path": rel, "sha256": sha256_file(path), "bytes": os.path.getsize(path)})
    files.sort(key=lambda f: f["path"])
    source_sha, source_files = folder_identity(source)
    dtype = result["dtype"]
    name = os.path.basename(os.path.normpath(source))
    graph = lambda g: f"onnx/{g}{SUFFIX[dtype]}.onnx"  # noqa: E731
    manifest = {
        "schemaVersion": 1,
        "kind": "vlm",
        "name": name,
        "version": source_sha[:12],
        "label": f"{name} ({result['architecture']}, {dtype}, converted) - not a medical device",
        "notMedicalDevice": True,
        "intendedUse": "Research evaluation and adaptation inside MedBridge; the source model's own licence and intended use apply.",
        "licence": {"weights": "as stated by the source model folder (see its licence file or model card)"},
        "architecture": result["architecture"],
        "files": files,
        "graphs": {
            "embedTokens": {"file": graph("embed_tokens"), "inputs": ["input_ids"], "outputs": ["inputs_embeds"]},
            "vision": {"file": graph("vision_encoder"), "inputs": ["pixel_values"], "outputs": ["image_features"]},
            "decoder": {"file": graph("decoder_model_merged"), "inputs": ["inputs_embeds", "attention_mask", "position_ids"], "outputs": ["logits"]},
        },
        "featureDims": {"image": result["hiddenSize"], "option": result["hiddenSize"]},
        "conversion": {
            "converter": converter,
            "sourceFolder": os.path.abspath(source),
            "sourceSha256": source_sha,
            "sourceFiles": source_files,
            "dtype": dtype,
            "python": result["python"],
            "libraries": result["versions"],
        },
    }
    with open(os.path.join(pack, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
