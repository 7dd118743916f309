"""PyTorch CPU baseline for the GRPO / SFT training bench (tests/bench/training.bench.ts).

The same update as MedBridge's trainerStep, written the way one would in PyTorch: float32, batched over items
(fixed option count), autograd, torch.optim.AdamW, clip_grad_norm_. Policy: logits = b + s * (T W^T)(U v).
GRPO: G answers per item from the current policy, reward 1[a = c], group-normalised advantages, clipped ratio
(eps low/high), k3 KL to the reference, mu inner iterations on the same samples.
Prints one JSON line: {"grpoStepsPerSecond": ..., "sftItemsPerSecond": ..., "threads": ...}.
"""
import json
import sys
import time

import torch

cfg = json.loads(sys.argv[1])
torch.manual_seed(cfg["seed"])
B, M, DV, DT, R, G = cfg["batch"], cfg["options"], cfg["imageDim"], cfg["textDim"], cfg["rank"], cfg["groupSize"]
N = cfg["epochItems"]

base = torch.randn(N, M)
img = torch.randn(N, DV)
txt = torch.randn(N, M, DT) * 0.05
correct = torch.randint(0, M, (N,))

u = (torch.randn(R, DV) / DV ** 0.5).requires_grad_()
w = torch.zeros(R, DT, requires_grad=True)
ref_u, ref_w = u.detach().clone(), w.detach().clone()
opt = torch.optim.AdamW([u, w], lr=cfg["lr"], weight_decay=0.0, eps=1e-8)


def logits(uu, ww, idx):
    z = img[idx] @ uu.T                      # B x R
    y = txt[idx] @ ww.T                      # B x M x R
    return base[idx] + (y * z[:, None, :]).sum(-1)


def grpo_step(idx):
    with torch.no_grad():
        logp_old = torch.log_softmax(logits(u, w, idx), -1)
        answers = torch.multinomial(logp_old.exp(), G, replacement=True)          # B x G
        old = logp_old.gather(1, answers)
        ref = torch.log_softmax(logits(ref_u, ref_w, idx), -1).gather(1, answers)
        rewards = (answers == correct[idx][:, None]).double()
        adv = ((rewards - rewards.mean(1, keepdim=True)) / (rewards.std(1, keepdim=True) + 1e-4)).float()
    for _ in range(cfg["innerIterations"]):
        logp = torch.log_softmax(logits(u, w, idx), -1).gather(1, answers)
        ratio = (logp - old).exp()
        surr = torch.minimum(ratio * adv, ratio.clamp(1 - cfg["epsLow"], 1 + cfg["epsHigh"]) * adv)
        lr_ = (ref - logp).exp()
        k3 = lr_ - (ref - logp) - 1
        loss = -(surr - cfg["beta"] * k3).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([u, w], 1.0)
        opt.step()


def sft_step(idx):
    loss = torch.nn.functional.cross_entropy(logits(u, w, idx), correct[idx])
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_([u, w], 1.0)
    opt.step()


batches = [torch.arange(i, i + B) % N for i in range(0, N, B)]
for b in batches[:5]:
    grpo_step(b)
steps = cfg["grpoSteps"]
t0 = time.perf_counter()
for k in range(steps):
    grpo_step(batches[k % len(batches)])
grpo = steps / (time.perf_counter() - t0)

for b in batches[:5]:
    sft_step(b)
t0 = time.perf_counter()
for _ in range(cfg["epochs"]):
    for b in batches:
        sft_step(b)
sft = cfg["epochs"] * N / (time.perf_counter() - t0)
print(json.dumps({"grpoStepsPerSecond": grpo, "sftItemsPerSecond": sft, "threads": torch.get_num_threads()}))
