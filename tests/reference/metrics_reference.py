"""Independent numpy reference for shared/metrics (design.md section 3).

stdin: {"jsonl": path to per-item JSON lines, "ks": [K...], "bins": ECE bins}
stdout: {"overall": M, "byTask": {task: M}, "byModality": {...}, "bySplit": {...}} where
M = {"n", "acc1", "pass1Expected", "passAtK": {K: v}, "chanceAtK": {K: v}, "supportGapAtK",
     "ece", "brier", "entropy"}
Computes with numpy powers and exact binomial coefficients (math.comb), not running products.
"""
import json
import math
import sys
from fractions import Fraction

import numpy as np


def compute(items, ks, bins):
    acc1 = []
    pass1 = []
    pass_k = {k: [] for k in ks}
    mc = [it for it in items if len(it["probs"]) > 0]
    for it in items:
        probs = np.asarray(it["probs"], dtype=np.float64)
        if "greedyCorrect" in it:
            acc1.append(1.0 if it["greedyCorrect"] else 0.0)
        else:
            acc1.append(1.0 if int(np.argmax(probs)) == it["correct"] else 0.0)  # np.argmax: first max wins
        if "samples" in it:
            n, c = it["samples"]["n"], it["samples"]["c"]
            pass1.append(c / n)
            for k in ks:
                pass_k[k].append(float(1 - Fraction(math.comb(n - c, k), math.comb(n, k))) if k <= n else float("nan"))
        else:
            p = float(probs[it["correct"]])
            pass1.append(p)
            for k in ks:
                pass_k[k].append(1.0 - np.power(1.0 - p, k))

    acc1_mean = float(np.mean(acc1))
    out = {
        "n": len(items),
        "acc1": acc1_mean,
        "pass1Expected": float(np.mean(pass1)),
        "passAtK": {},
        "chanceAtK": {},
        "supportGapAtK": {},
    }
    for k in ks:
        v = float(np.mean(pass_k[k]))
        out["passAtK"][str(k)] = None if math.isnan(v) else v
        out["supportGapAtK"][str(k)] = None if math.isnan(v) else v - acc1_mean
        if mc:
            m = np.array([len(it["probs"]) for it in mc], dtype=np.float64)
            out["chanceAtK"][str(k)] = float(np.mean(1.0 - np.power(1.0 - 1.0 / m, k)))
        else:
            out["chanceAtK"][str(k)] = None

    if mc:
        conf = np.array([max(it["probs"]) for it in mc])
        pred = np.array([int(np.argmax(it["probs"])) for it in mc])
        truth = np.array([it["correct"] for it in mc])
        hit = (pred == truth).astype(np.float64)
        b = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)  # bins (i/M, (i+1)/M]
        ece = 0.0
        for i in range(bins):
            mask = b == i
            if mask.any():
                ece += mask.sum() / len(mc) * abs(hit[mask].mean() - conf[mask].mean())
        brier = []
        ent = []
        for it in mc:
            p = np.asarray(it["probs"], dtype=np.float64)
            y = np.zeros_like(p)
            y[it["correct"]] = 1.0
            brier.append(np.sum((p - y) ** 2))
            nz = p[p > 0]
            ent.append(-np.sum(nz * np.log(nz)))
        out["ece"] = float(ece)
        out["brier"] = float(np.mean(brier))
        out["entropy"] = float(np.mean(ent))
    else:
        out["ece"] = out["brier"] = out["entropy"] = None
    return out


def main():
    cfg = json.load(sys.stdin)
    with open(cfg["jsonl"], encoding="utf8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    ks, bins = cfg["ks"], cfg["bins"]
    result = {"overall": compute(items, ks, bins)}
    for name, field in (("byTask", "task"), ("byModality", "modality"), ("bySplit", "split")):
        keys = sorted({it[field] for it in items})
        result[name] = {k: compute([it for it in items if it[field] == k], ks, bins) for k in keys}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
