#!/usr/bin/env python3
"""Trains and exports the MedBridge reference pack (reference model - not a medical device).

Run with the project's Python environment (npm run setup:engines: torch, onnx, numpy, Pillow):
    .medbridge-python/bin/python build/reference-pack/train_reference_pack.py \
        --data /work/shared/data/images --out resources/models/reference-v1

What it builds: a small CNN vision tower (64x64 RGB -> 128-d image embedding), an option encoder
(hashed character-trigram bag of the option text -> 64-d, one linear layer) and an answer head that
scores (image embedding, option embedding) pairs by scaled cosine similarity. It is trained as a
multiple-choice scorer on image-folder tasks (class names are the options) and exported to three
ONNX graphs plus manifest.json. Seeds are fixed and CPU kernels are deterministic, so a re-run on the
same torch build gives the same weights.
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pack_preprocessing import TEXT_HASH_DIM, text_hash_embedding, to_pixel_values  # noqa: E402

SEED = 20260125
IMAGE_SIZE = 64
PIXEL_MEAN = [0.5, 0.5, 0.5]
PIXEL_STD = [0.5, 0.5, 0.5]
IMAGE_EMBED_DIM = 128
OPTION_EMBED_DIM = 64
CONV_CHANNELS = [16, 32, 64, 96]
HELDOUT_EVERY = 5  # every 5th file of a class (sorted by name) is held out
EPOCHS = 60
BATCH_SIZE = 32
LEARNING_RATE = 2e-3
WEIGHT_DECAY = 1e-4
SHIFT_PIXELS = 4
INITIAL_LOGIT_SCALE = 10.0
OPSET = 13
THREADS = 2

# Task -> (modality, question, {class folder: option text variants}). The first variant is the canonical
# option text; the folder name is also used so importer-style names score the same way.
# fundus-eye-disease is deliberately absent: PROVENANCE.md marks its licence unclear ("do not
# redistribute"), and weights shipped in resources/ would be a derived redistribution.
TASKS = {
    "brain-tumor-mri": {
        "modality": "mri",
        "question": "What does this brain MRI show?",
        "classes": {
            "glioma": ["glioma"],
            "meningioma": ["meningioma"],
            "notumor": ["no tumor", "notumor"],
            "pituitary": ["pituitary tumor", "pituitary"],
        },
    },
    "blood-cell-pbc": {
        "modality": "microscopy",
        "question": "Which blood cell type is shown?",
        "classes": {
            "basophil": ["basophil"],
            "eosinophil": ["eosinophil"],
            "erythroblast": ["erythroblast"],
            "ig": ["immature granulocyte", "ig"],
            "lymphocyte": ["lymphocyte"],
            "monocyte": ["monocyte"],
            "neutrophil": ["neutrophil"],
            "platelet": ["platelet"],
        },
    },
}


class VisionTower(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        c_in = 3
        for c_out in CONV_CHANNELS:
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c_out
        self.features = nn.Sequential(*layers)
        self.project = nn.Linear(c_in, IMAGE_EMBED_DIM)

    def forward(self, pixel_values):
        x = self.features(pixel_values)
        return self.project(x.mean(dim=(2, 3)))


class OptionEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(TEXT_HASH_DIM, OPTION_EMBED_DIM)

    def forward(self, option_hash):
        return self.linear(option_hash)


class AnswerHead(nn.Module):
    """score[b, j] = exp(s) * cos(P image[b], option[b, j])."""

    def __init__(self):
        super().__init__()
        self.project = nn.Linear(IMAGE_EMBED_DIM, OPTION_EMBED_DIM, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(float(np.log(INITIAL_LOGIT_SCALE))))

    def forward(self, image_embeds, option_embeds):
        q = F.normalize(self.project(image_embeds), dim=-1)
        o = F.normalize(option_embeds, dim=-1)
        return torch.exp(self.logit_scale) * torch.einsum("bd,bmd->bm", q, o)


def load_image(path):
    im = Image.open(path)
    im = im.convert("L") if im.mode in ("L", "I;16", "I", "1") else im.convert("RGB")
    return np.asarray(im, dtype=np.uint8)


def load_tasks(data_root):
    """Returns a list of records: pixel tensor, task, class index, split."""
    records = []
    for task, spec in TASKS.items():
        folders = list(spec["classes"].keys())
        for ci, folder in enumerate(folders):
            d = os.path.join(data_root, task, folder)
            files = sorted(f for f in os.listdir(d) if not f.startswith("."))
            for k, f in enumerate(files):
                pixels = to_pixel_values(load_image(os.path.join(d, f)), IMAGE_SIZE, PIXEL_MEAN, PIXEL_STD)
                split = "heldout" if k % HELDOUT_EVERY == 0 else "train"
                records.append({"pixels": pixels, "task": task, "cls": ci, "split": split, "file": f"{task}/{folder}/{f}"})
    return records


def option_tables():
    """Per task: list over classes of hashed vectors for each text variant."""
    return {
        task: [[text_hash_embedding(v) for v in variants] for variants in spec["classes"].values()]
        for task, spec in TASKS.items()
    }


def augment(batch, gen):
    """Random horizontal/vertical flips and shifts (replicate padding)."""
    b = batch.shape[0]
    flip_h = torch.rand(b, generator=gen) < 0.5
    flip_v = torch.rand(b, generator=gen) < 0.5
    batch = torch.where(flip_h[:, None, None, None], batch.flip(3), batch)
    batch = torch.where(flip_v[:, None, None, None], batch.flip(2), batch)
    padded = F.pad(batch, (SHIFT_PIXELS,) * 4, mode="replicate")
    out = torch.empty_like(batch)
    offs = torch.randint(0, 2 * SHIFT_PIXELS + 1, (b, 2), generator=gen)
    for i in range(b):
        y, x = int(offs[i, 0]), int(offs[i, 1])
        out[i] = padded[i, :, y:y + IMAGE_SIZE, x:x + IMAGE_SIZE]
    return out


def build_option_batch(recs, tables, gen, training):
    """Options per item: all classes of its task (training: random variant, random subset of >= 2)."""
    max_m = max(len(v) for v in tables.values())
    hashes = torch.zeros(len(recs), max_m, TEXT_HASH_DIM)
    mask = torch.zeros(len(recs), max_m, dtype=torch.bool)
    target = torch.zeros(len(recs), dtype=torch.long)
    for i, r in enumerate(recs):
        classes = tables[r["task"]]
        idx = list(range(len(classes)))
        if training:
            others = [c for c in idx if c != r["cls"]]
            keep = int(torch.randint(1, len(others) + 1, (1,), generator=gen))
            perm = torch.randperm(len(others), generator=gen)[:keep].tolist()
            idx = sorted([r["cls"]] + [others[p] for p in perm])
        for j, c in enumerate(idx):
            variants = classes[c]
            v = int(torch.randint(0, len(variants), (1,), generator=gen)) if training else 0
            hashes[i, j] = torch.from_numpy(variants[v])
            mask[i, j] = True
        target[i] = idx.index(r["cls"])
    return hashes, mask, target


def scores_for(models, pixels, hashes, mask):
    tower, opt_enc, head = models
    s = head(tower(pixels), opt_enc(hashes))
    return s.masked_fill(~mask, float("-inf"))


def evaluate(models, recs, tables):
    for m in models:
        m.eval()
    per_task = {}
    with torch.no_grad():
        for task in TASKS:
            rs = [r for r in recs if r["task"] == task]
            if not rs:
                continue
            pixels = torch.from_numpy(np.stack([r["pixels"] for r in rs]))
            hashes, mask, target = build_option_batch(rs, tables, None, training=False)
            pred = scores_for(models, pixels, hashes, mask).argmax(dim=1)
            per_task[task] = {"correct": int((pred == target).sum()), "n": len(rs), "options": len(tables[task])}
    return per_task


def train(records, log):
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    models = (VisionTower(), OptionEncoder(), AnswerHead())
    params = [p for m in models for p in m.parameters()]
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    tables = option_tables()
    train_recs = [r for r in records if r["split"] == "train"]
    steps_per_epoch = (len(train_recs) + BATCH_SIZE - 1) // BATCH_SIZE
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LEARNING_RATE, total_steps=EPOCHS * steps_per_epoch)
    for epoch in range(EPOCHS):
        for m in models:
            m.train()
        order = torch.randperm(len(train_recs), generator=gen).tolist()
        total = 0.0
        for s in range(steps_per_epoch):
            batch = [train_recs[i] for i in order[s * BATCH_SIZE:(s + 1) * BATCH_SIZE]]
            pixels = augment(torch.from_numpy(np.stack([r["pixels"] for r in batch])), gen)
            hashes, mask, target = build_option_batch(batch, tables, gen, training=True)
            loss = F.cross_entropy(scores_for(models, pixels, hashes, mask), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(batch)
        if epoch % 10 == 9 or epoch == EPOCHS - 1:
            held = evaluate(models, [r for r in records if r["split"] == "heldout"], tables)
            acc = {t: round(v["correct"] / v["n"], 3) for t, v in held.items()}
            log(f"epoch {epoch + 1}/{EPOCHS} loss {total / len(train_recs):.4f} held-out acc {acc}")
    for m in models:
        m.eval()
    return models, tables


def export(models, out_dir):
    tower, opt_enc, head = models
    paths = {}
    dummy_px = torch.zeros(1, 3, IMAGE_SIZE, IMAGE_SIZE)
    dummy_hash = torch.zeros(1, 2, TEXT_HASH_DIM)
    dummy_img = torch.zeros(1, IMAGE_EMBED_DIM)
    dummy_opt = torch.zeros(1, 2, OPTION_EMBED_DIM)
    graphs = [
        ("vision_encoder.onnx", tower, (dummy_px,), ["pixel_values"], ["image_embeds"],
         {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}}),
        ("option_encoder.onnx", opt_enc, (dummy_hash,), ["option_hash"], ["option_embeds"],
         {"option_hash": {0: "batch", 1: "options"}, "option_embeds": {0: "batch", 1: "options"}}),
        ("answer_head.onnx", head, (dummy_img, dummy_opt), ["image_embeds", "option_embeds"], ["scores"],
         {"image_embeds": {0: "batch"}, "option_embeds": {0: "batch", 1: "options"}, "scores": {0: "batch", 1: "options"}}),
    ]
    for name, module, args, ins, outs, axes in graphs:
        p = os.path.join(out_dir, name)
        torch.onnx.export(module, args, p, input_names=ins, output_names=outs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)
        paths[name] = p
    return paths


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(out_dir, onnx_paths, metrics):
    files = [{"path": name, "sha256": sha256_file(p), "bytes": os.path.getsize(p)} for name, p in sorted(onnx_paths.items())]
    manifest = {
        "schemaVersion": 1,
        "kind": "reference",
        "name": "medbridge-reference",
        "version": "1.0.0",
        "label": "reference model - not a medical device",
        "notMedicalDevice": True,
        "intendedUse": "Software testing and demonstration of the MedBridge workflow (support measurement, "
                       "probing, adapter training). Not for diagnosis, triage or any clinical decision.",
        "licence": {
            "weights": "derived from the training data below, with attribution (README.md); for software testing "
                       "and demonstration only; the brain-MRI part's terms are not fully verified (see README.md)",
            "trainingData": [
                "blood-cell-pbc: PBC dataset (Acevedo et al. 2020, Data in Brief, Mendeley Data snkd93bnjr/1), CC BY 4.0",
                "brain-tumor-mri: Kaggle Brain Tumor MRI Dataset (M. Nickparvar), Testing split: figshare part CC BY 4.0 "
                "(Cheng et al.); SARTAJ and Br35H parts not verified; Kaggle page lists CC0 1.0 (not checked)",
            ],
        },
        "files": files,
        "preprocessing": {
            "size": [IMAGE_SIZE, IMAGE_SIZE],
            "channels": 3,
            "greyToRgb": "replicate",
            "resize": "bilinear-antialiased",
            "mean": PIXEL_MEAN,
            "std": PIXEL_STD,
            "scale": 1 / 255,
        },
        "textEncoding": {"kind": "hashed-char-trigram", "dim": TEXT_HASH_DIM},
        "graphs": {
            "vision": {"file": "vision_encoder.onnx", "inputs": ["pixel_values"], "outputs": ["image_embeds"]},
            "optionEncoder": {"file": "option_encoder.onnx", "inputs": ["option_hash"], "outputs": ["option_embeds"]},
            "answerHead": {"file": "answer_head.onnx", "inputs": ["image_embeds", "option_embeds"], "outputs": ["scores"]},
        },
        "featureDims": {"image": IMAGE_EMBED_DIM, "option": OPTION_EMBED_DIM},
        "training": {
            "script": "build/reference-pack/train_reference_pack.py",
            "seed": SEED,
            "epochs": EPOCHS,
            "tasks": list(TASKS.keys()),
            "heldOutRule": f"every {HELDOUT_EVERY}th file per class, sorted by name",
            "torch": torch.__version__,
            "heldOutAccuracy": metrics,
        },
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder with one sub-folder per task (class-folder layout)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    np.random.seed(SEED)
    t0 = time.time()
    log = lambda m: print(f"[{time.time() - t0:6.1f}s] {m}", flush=True)  # noqa: E731
    records = load_tasks(args.data)
    log(f"loaded {len(records)} images ({sum(r['split'] == 'heldout' for r in records)} held out)")
    models, tables = train(records, log)
    held = evaluate(models, [r for r in records if r["split"] == "heldout"], tables)
    metrics = {t: {**v, "accuracy": round(v["correct"] / v["n"], 4)} for t, v in held.items()}
    os.makedirs(args.out, exist_ok=True)
    manifest = write_manifest(args.out, export(models, args.out), metrics)
    log(f"held-out accuracy {json.dumps(metrics)}")
    log(f"wrote {len(manifest['files'])} graphs + manifest.json to {args.out}")


if __name__ == "__main__":
    main()
