# Independent recomputation of the diagnosis metrics from items.jsonl with numpy (design.md §3), for the tests.
# Usage: python3 recompute_metrics.py items.jsonl K1,K2,... → JSON {overall, byModality, byTask} of
# {n, acc1, pass1Expected, passAtK, chanceAtK, ece, brier, entropy}.
import json, sys
import numpy as np

ECE_BINS = 15

def group(rows, ks):
    acc, pc, ch, conf, hit, brier, ent = [], [], {k: [] for k in ks}, [], [], [], []
    for r in rows:
        p = np.array(r['probs'], dtype=np.float64)
        c = r['correct']
        m = len(p)
        top = int(np.argmax(p))  # numpy argmax returns the first maximum: ties → lowest index
        acc.append(1.0 if top == c else 0.0)
        pc.append(p[c])
        for k in ks:
            ch[k].append(1 - (1 - 1 / m) ** k)
        conf.append(p[top]); hit.append(1.0 if top == c else 0.0)
        onehot = np.zeros(m); onehot[c] = 1
        brier.append(float(np.sum((p - onehot) ** 2)))
        nz = p[p > 0]
        ent.append(float(-np.sum(nz * np.log(nz))))
    pc = np.array(pc); conf = np.array(conf); hit = np.array(hit)
    n = len(rows)
    # 15 equal-width, right-closed bins on max-probability confidence: bin i = (i/15, (i+1)/15], 0 in bin 0
    bins = np.clip(np.ceil(conf * ECE_BINS).astype(int) - 1, 0, ECE_BINS - 1)
    ece = 0.0
    for b in range(ECE_BINS):
        sel = bins == b
        if sel.any():
            ece += sel.sum() / n * abs(hit[sel].mean() - conf[sel].mean())
    return {
        'n': n,
        'acc1': float(np.mean(acc)),
        'pass1Expected': float(np.mean(pc)),
        'passAtK': {str(k): float(np.mean(1 - (1 - pc) ** k)) for k in ks},
        'chanceAtK': {str(k): float(np.mean(ch[k])) for k in ks},
        'ece': float(ece),
        'brier': float(np.mean(brier)),
        'entropy': float(np.mean(ent)),
    }

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ks = [int(k) for k in sys.argv[2].split(',')]
out = {'overall': group(rows, ks), 'byModality': {}, 'byTask': {}}
for dim, key in (('byModality', 'modality'), ('byTask', 'task')):
    for v in sorted({r[key] for r in rows}):
        out[dim][v] = group([r for r in rows if r[key] == v], ks)
print(json.dumps(out))
