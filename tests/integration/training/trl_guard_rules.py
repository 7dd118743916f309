"""The TRL support guard's decisions against the app's rules, by hand: validations are scripted (evaluate() returns
the given Acc@1 / Pass@K / per-item values), the model is a one-parameter torch module, so every trip, rollback and
refusal to judge is checked without a VLM. Prints one JSON line per case; tests/integration/training/trl-guard.test.ts
asserts on it."""
import json
import os
import sys
import tempfile

import torch

sys.path.insert(0, sys.argv[1])
from medbridge_engines.support_guard import SupportGuard, bootstrap_half_width  # noqa: E402


class State:
    def __init__(self):
        self.global_step = 0


class Control:
    should_training_stop = False


class Trainer:
    def __init__(self):
        self.model = torch.nn.Linear(1, 1, bias=False)
        with torch.no_grad():
            self.model.weight.fill_(0.0)  # the start's weight is 0, step s's is s


def run(script, options=2, rl=True, floor=0.02, persistence=2, k=2, items=None):
    folder = tempfile.mkdtemp()
    rows = [{"options": ["a"] * options, "prompt": None, "image": None, "answer": "A"}] * 4
    guard = SupportGuard(None, None, rows, {"every": 1, "k": k, "margin": floor, "persistence": persistence, "rl": rl, "action": "rollback", "bootstrap": 200, "seed": 1}, os.path.join(folder, "guard-events.jsonl"), {})
    trainer = Trainer()
    guard.attach(trainer)
    values = iter(script)

    def evaluate(model):
        acc1, pass_k = next(values)
        return acc1, pass_k, items if items is not None else [pass_k] * 4

    guard.evaluate = evaluate
    state, control = State(), Control()
    guard.on_train_begin(None, state, control)
    stopped_at = None
    for step in range(1, len(script)):
        with torch.no_grad():
            trainer.model.weight.fill_(float(step))  # the weight records the step it was saved at
        state.global_step = step
        guard.on_step_end(None, state, control)
        if control.should_training_stop:
            stopped_at = step
            break
    guard.restore_best(trainer.model)
    events = [json.loads(line) for line in open(os.path.join(folder, "guard-events.jsonl"))]
    return {"stoppedAt": stopped_at, "weight": float(trainer.model.weight), "events": [e for e in events if e["kind"] != "eval"]}


cases = {
    # baseline 0.90, margin 0.02: 0.87 (below), 0.89 (held: resets), 0.85, 0.84 (two in a row) → trips at step 4;
    # best Acc@1 among held validations: step 2 (0.70), so the weights go back to step 2's
    "persistent": run([(0.60, 0.90), (0.65, 0.87), (0.70, 0.89), (0.80, 0.85), (0.82, 0.84), (0.9, 0.9)]),
    # one drop then recovery: never trips
    "one-drop": run([(0.60, 0.90), (0.65, 0.80), (0.66, 0.90), (0.67, 0.80)]),
    # a drop held twice but smaller than the bootstrap half-width of spread per-item values: no trip
    "wide-margin": run([(0.60, 0.50), (0.6, 0.42), (0.6, 0.42)], items=[0.0, 1.0, 0.0, 1.0]),
    # K = 8 with two options: chance 0.996 ≥ 0.8, the guard does not judge
    "saturated": run([(0.60, 0.99), (0.6, 0.5), (0.6, 0.5), (0.6, 0.5)], k=8),
    # a bridging (SFT) run is scored, never stopped, and writes no guard event
    "sft": run([(0.60, 0.90), (0.6, 0.5), (0.6, 0.5)], rl=False),
    # nothing held above the start: the rollback goes to the start (step 0 weights)
    "to-start": run([(0.60, 0.90), (0.50, 0.80), (0.40, 0.70)]),
}
cases["halfWidth"] = bootstrap_half_width([0.0, 1.0, 0.0, 1.0], 200, 1)
print(json.dumps(cases))
