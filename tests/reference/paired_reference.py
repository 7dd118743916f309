"""Independent numpy reference for paired run comparisons (shared/metrics/paired.ts, design.md section 3).

stdin: {"a": [item...], "b": [item...], "ks": [K...], "samples": B, "seed": S, "confidence": c}
       item = {"item": id, "probs": [p...], "correct": index}
stdout: {"n", "acc1A", "acc1B", "deltaAcc1", "deltaAcc1Ci": [lo, hi],
         "passAtKA": {K: v}, "passAtKB": {K: v}, "deltaPassAtK": {K: v}, "deltaPassAtKCi": {K: [lo, hi]}}
for the overall group (items matched by id). Pass@K = 1 - (1 - p_correct)^K, Acc@1 = argmax (first max) is correct.
The interval is the percentile bootstrap over items (numpy's default linear quantile) with the resample indices drawn
the way the app draws them, so the two must agree exactly: the seed is derived with FNV-1a of "paired:overall" then
SplitMix32, and the generator is SplitMix32-seeded xoshiro128** (Blackman & Vigna 2018), written here again from the
published algorithm in plain integer arithmetic.
"""
import json
import sys

import numpy as np

M32 = 0xFFFFFFFF


def splitmix32(seed):
    state = [seed & M32]

    def nxt():
        state[0] = (state[0] + 0x9E3779B9) & M32
        z = state[0]
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
        return (z ^ (z >> 16)) & M32

    return nxt


def derive_seed(seed, label):
    h = (seed ^ 0x811C9DC5) & M32
    for ch in label:
        h ^= ord(ch)
        h = (h * 0x01000193) & M32
    return splitmix32(h)()


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Xoshiro128ss:
    def __init__(self, seed):
        sm = splitmix32(seed)
        self.s = [sm(), sm(), sm(), sm()]
        if self.s == [0, 0, 0, 0]:
            self.s[0] = 1

    def next_u32(self):
        a, b, c, d = self.s
        result = (rotl((b * 5) & M32, 7) * 9) & M32
        t = (b << 9) & M32
        c ^= a
        d ^= b
        b ^= c
        a ^= d
        c ^= t
        d = rotl(d, 11)
        self.s = [a, b, c, d]
        return result

    def int(self, n):
        # floor(u32 / 2^32 * n), exact in integers.
        return (self.next_u32() * n) >> 32


def main():
    req = json.load(sys.stdin)
    by_id_b = {it["item"]: it for it in req["b"]}
    pairs = [(it, by_id_b[it["item"]]) for it in req["a"] if it["item"] in by_id_b]
    n = len(pairs)
    ks = req["ks"]

    def acc1(it):
        return 1.0 if int(np.argmax(np.asarray(it["probs"], dtype=np.float64))) == it["correct"] else 0.0

    def pass_k(it, k):
        return 1.0 - np.power(1.0 - float(it["probs"][it["correct"]]), k)

    acc_a = np.array([acc1(a) for a, _ in pairs])
    acc_b = np.array([acc1(b) for _, b in pairs])
    cols = [acc_b - acc_a]
    pk_a = {k: np.array([pass_k(a, k) for a, _ in pairs]) for k in ks}
    pk_b = {k: np.array([pass_k(b, k) for _, b in pairs]) for k in ks}
    cols += [pk_b[k] - pk_a[k] for k in ks]

    rng = Xoshiro128ss(derive_seed(req["seed"], "paired:overall"))
    samples = req["samples"]
    idx = np.empty((samples, n), dtype=np.int64)
    for s in range(samples):
        for i in range(n):
            idx[s, i] = rng.int(n)
    reps = [col[idx].mean(axis=1) for col in cols]
    tail = (1.0 - req["confidence"]) / 2.0

    def interval(r):
        return [float(np.percentile(r, 100.0 * tail)), float(np.percentile(r, 100.0 * (1.0 - tail)))]

    out = {
        "n": n,
        "acc1A": float(acc_a.mean()),
        "acc1B": float(acc_b.mean()),
        "deltaAcc1": float(acc_b.mean() - acc_a.mean()),
        "deltaAcc1Ci": interval(reps[0]),
        "passAtKA": {str(k): float(pk_a[k].mean()) for k in ks},
        "passAtKB": {str(k): float(pk_b[k].mean()) for k in ks},
        "deltaPassAtK": {str(k): float(pk_b[k].mean() - pk_a[k].mean()) for k in ks},
        "deltaPassAtKCi": {str(k): interval(reps[j + 1]) for j, k in enumerate(ks)},
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
