"""Independent PyTorch (autograd, float64) version of one MedBridge GRPO / GRPO-CARE trainer step.

Reads a JSON job on stdin (adapter config and parameters, reference parameters, items, the
answers the TypeScript side sampled, GRPO/CARE/Adam knobs) and prints the losses, pre-clip
gradient norms, updated parameters and updated reference as JSON. Used by
tests/unit/training/torch-reference.test.ts; run with the project's Python environment (.medbridge-python, torch).
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


def split(flat, cfg):
    r, dv, dt, nl = cfg["rank"], cfg["imageDim"], cfg["textDim"], cfg["numLabels"]
    u = flat[: r * dv].view(r, dv)
    w = flat[r * dv : r * dv + r * dt].view(r, dt)
    h = flat[r * dv + r * dt :].view(nl, dv) if nl > 0 else None
    return u, w, h


def logits_of(flat, cfg, item):
    u, w, h = split(flat, cfg)
    b = torch.tensor(item["baseLogits"])
    v = torch.tensor(item["image"])
    t = torch.tensor(item["optionText"]).view(len(item["baseLogits"]), cfg["textDim"])
    out = b + cfg["scale"] * (t @ w.T) @ (u @ v)
    if h is not None:
        out = out + (h @ v)[torch.tensor(item["optionLabels"], dtype=torch.long)]
    return out


def log_probs(flat, cfg, item):
    return torch.log_softmax(logits_of(flat, cfg, item) / cfg["temperature"], dim=0)


def advantages(rewards, g, scale):
    grouped = rewards.view(-1, g)
    mean = grouped.mean(dim=1, keepdim=True)
    if scale == "none":
        return (grouped - mean).reshape(-1)
    std = grouped.std(dim=1, keepdim=True) if scale == "group" else rewards.std()
    return ((grouped - mean) / (std + 1e-4)).reshape(-1)


def presentations(item):
    """The original option order followed by the permuted views; each with originalIndex."""
    m = len(item["baseLogits"])
    return [dict(item, originalIndex=list(range(m)))] + list(item.get("views") or [])


def consistency(ref, cfg, item, shown, answer):
    """½ (π_ref(answer | the presentation it was sampled from) + mean over presentations of π_ref(answer))."""
    pres = presentations(item)
    own = torch.exp(log_probs(ref, cfg, shown))[shown["originalIndex"].index(answer)].item()
    if len(pres) == 1:
        return own
    agree = sum(torch.exp(log_probs(ref, cfg, p))[p["originalIndex"].index(answer)].item() for p in pres)
    return 0.5 * (own + agree / len(pres))


def main():
    job = json.load(sys.stdin)
    cfg, grpo, adam = job["config"], job["grpo"], job["adam"]
    care = job.get("care")
    g = grpo["groupSize"]
    items, answers = job["items"], job["answers"]
    params = torch.tensor(job["params"])
    ref = torch.tensor(job["reference"]) if job.get("reference") is not None else None

    # Sample i of a group was drawn from presentation i mod P (P = 1 unless CARE samples across views);
    # `answers` are original option indices.
    def shown_for(item, i):
        pres = presentations(item) if care is not None and care["sampleAcrossViews"] else presentations(item)[:1]
        return pres[i % min(len(pres), g)]

    samples = []  # (item index, presentation, position of the answer in it)
    with torch.no_grad():
        old_lp, ref_lp, rewards = [], [], []
        for b, item in enumerate(items):
            group = answers[b * g : (b + 1) * g]
            base = [1.0 if a == item["correct"] else 0.0 for a in group]
            shown = [shown_for(item, i) for i in range(g)]
            if care is not None:
                cons = [consistency(ref, cfg, item, s, a) for s, a in zip(shown, group)]
                correct_cons = [c for c, a in zip(cons, group) if a == item["correct"]]
                if correct_cons:
                    threshold = sum(correct_cons) / len(correct_cons) - care["consistencyMargin"] - 1e-12
                    base = [
                        r + care["consistencyBonus"] if a == item["correct"] and c >= threshold else r
                        for r, a, c in zip(base, group, cons)
                    ]
            for s, a in zip(shown, group):
                pos = s["originalIndex"].index(a)
                samples.append((s, pos))
                old_lp.append(log_probs(params, cfg, s)[pos])
                ref_lp.append(log_probs(ref, cfg, s)[pos] if ref is not None else torch.tensor(0.0))
            rewards.extend(base)
        old_lp = torch.stack(old_lp)
        ref_lp = torch.stack(ref_lp)
        adv = advantages(torch.tensor(rewards), g, grpo["advantageScale"])

    theta = params.clone().requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=adam["learningRate"], betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"])
    losses, norms = [], []
    for _ in range(max(1, grpo["innerIterations"])):
        opt.zero_grad()
        lp = torch.stack([log_probs(theta, cfg, s)[pos] for s, pos in samples])
        ratio = torch.exp(lp - old_lp)
        clipped = torch.clamp(ratio, 1 - grpo["epsilonLow"], 1 + grpo["epsilonHigh"])
        objective = torch.min(ratio * adv, clipped * adv)
        if ref is not None and grpo["beta"] != 0:
            log_r = ref_lp - lp
            objective = objective - grpo["beta"] * (torch.exp(log_r) - log_r - 1)
        loss = -objective.mean()
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_([theta], job["maxGradNorm"]).item())
        opt.step()
        losses.append(loss.item())

    new_ref = None
    if care is not None and care["emaDue"]:
        d = care["emaDecay"]
        new_ref = (d * ref + (1 - d) * theta.detach()).tolist()
    json.dump({"losses": losses, "gradNorms": norms, "params": theta.detach().tolist(), "reference": new_ref}, sys.stdout)


if __name__ == "__main__":
    main()
