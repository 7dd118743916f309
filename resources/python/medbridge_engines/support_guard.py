"""MedBridge's support guard inside a TRL run (a transformers TrainerCallback), with the app's rules
(shared/recipe/support-guard.ts, design.md section 6). It scores the validation items' options exactly - the
probability of each option letter at the end of MedBridge's prompt, as in diagnosis - before the first step (the
starting model, step 0) and every `every` steps, and logs Acc@1 and Pass@K = mean(1 - (1 - p_correct)^K).

  baseline     the starting model's validation Pass@K (step 0), not the best so far;
  margin       the larger of the configured floor and the half-width of the baseline's 95% item-bootstrap interval;
  persistence  it trips only when Pass@K stays below baseline - margin for `persistence` validations in a row;
  saturation   it never judges at a K whose chance level 1 - (1 - 1/m)^K reaches the support target for some item's
               option count m (two options at K = 8: chance 0.996), and says so in its `guard` event;
  SFT          a bridging run (rl false) is only scored, never stopped, as in the app.

On a trip it writes a `support-collapse` event and stops the run; with action "rollback" the trainable weights (the
LoRA adapter) go back to the validation with the best Acc@1 among those whose Pass@K held (else the start). Events go
to guard-events.jsonl, then to metrics.jsonl."""
import json

import torch
from PIL import Image
from transformers import TrainerCallback

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SUPPORT_TARGET = 0.8
CONFIDENCE = 0.95


def bootstrap_half_width(per_item, samples, seed, confidence=CONFIDENCE):
    """Half-width of the percentile bootstrap interval of the mean of per_item (0 for fewer than two items)."""
    n = len(per_item)
    if n < 2:
        return 0.0
    g = torch.Generator().manual_seed(seed)
    values = torch.tensor(per_item, dtype=torch.float64)
    means = values[torch.randint(0, n, (samples, n), generator=g)].mean(dim=1)
    lo, hi = torch.quantile(means, torch.tensor([(1 - confidence) / 2, (1 + confidence) / 2], dtype=torch.float64)).tolist()
    return (hi - lo) / 2


def chance_at_k(option_count, k):
    return 1 - (1 - 1 / option_count) ** k


class SupportGuard(TrainerCallback):
    def __init__(self, model, processor, val_rows, cfg, events_path, step_box):
        self.processor = processor
        self.rows = val_rows[: cfg.get("maxItems", 64)]
        self.every = cfg["every"]
        self.k = cfg["k"]
        self.floor = cfg["margin"]
        self.persistence = cfg.get("persistence", 2)
        self.samples = cfg.get("bootstrap", 1000)
        self.seed = cfg.get("seed", 0)
        self.rl = cfg.get("rl", True)
        self.action = cfg.get("action", "stop")
        self.events = open(events_path, "w", encoding="utf-8")
        self.step_box = step_box
        self.baseline = None
        self.margin = None
        self.applies = None
        self.below = 0
        self.start_state = None
        self.healthy = None  # (acc1, step, trainable state) of the best-Acc@1 validation whose Pass@K held
        self.rollback_state = None
        self.stop_reason = None
        self.trainer = None
        self.folder = events_path.rsplit("/", 1)[0]

    def attach(self, trainer):
        self.trainer = trainer

    def _letter_ids(self, count):
        tok = self.processor.tokenizer
        ids = []
        for letter in LETTERS[:count]:
            enc = tok.encode(letter, add_special_tokens=False)
            ids.append(enc[0] if len(enc) == 1 else tok.convert_tokens_to_ids(letter))
        return ids

    @torch.no_grad()
    def evaluate(self, model):
        """(Acc@1, Pass@K, per-item Pass@K) over the validation rows."""
        was_training = model.training
        model.eval()
        tok = self.processor.tokenizer
        template = tok.chat_template or self.processor.chat_template
        correct_first, per_item = 0.0, []
        for r in self.rows:
            prompt = tok.apply_chat_template(r["prompt"], add_generation_prompt=True, tokenize=False, chat_template=template)
            image = Image.open(f"{self.folder}/{r['image']}").convert("RGB")
            inputs = self.processor(images=image, text=prompt, return_tensors="pt").to(model.device)
            logits = model(**inputs).logits[0, -1].double()
            probs = torch.softmax(logits[self._letter_ids(len(r["options"]))], dim=0)
            right = LETTERS.index(r["answer"])
            correct_first += float(int(torch.argmax(probs)) == right)
            per_item.append(1 - (1 - float(probs[right])) ** self.k)
        if was_training:
            model.train()
        n = len(self.rows)
        return correct_first / n, sum(per_item) / n, per_item

    def _trainable_state(self, model):
        return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}

    def _eval_event(self, step, acc1, pass_k):
        self._write({"kind": "eval", "step": step, "split": "val", "n": len(self.rows), "acc1": acc1, "passAtK": {str(self.k): pass_k}, "k": self.k, "gap": pass_k - acc1})

    def on_train_begin(self, args, state, control, **kwargs):
        if not self.rows:
            return control
        model = self.trainer.model
        acc1, pass_k, per_item = self.evaluate(model)
        self._eval_event(state.global_step, acc1, pass_k)
        half = bootstrap_half_width(per_item, self.samples, self.seed)
        chance = max(chance_at_k(len(r["options"]), self.k) for r in self.rows)
        self.baseline, self.margin, self.applies = pass_k, max(self.floor, half), chance < SUPPORT_TARGET
        self.start_state = self._trainable_state(model)
        self.healthy = (acc1, state.global_step, self.start_state)
        if self.rl:
            self._write({
                "kind": "guard", "step": state.global_step, "enabled": True, "applies": self.applies, "k": self.k, "baselinePassAtK": pass_k,
                "margin": self.margin, "marginFloor": self.floor, "bootstrapHalfWidth": half, "persistence": self.persistence,
                "chanceAtK": chance, "supportTarget": SUPPORT_TARGET,
            })
        return control

    def on_step_end(self, args, state, control, **kwargs):
        self.step_box["step"] = state.global_step
        if state.global_step % self.every != 0 or not self.rows or self.baseline is None:
            return control
        model = self.trainer.model
        acc1, pass_k, _ = self.evaluate(model)
        self._eval_event(state.global_step, acc1, pass_k)
        held = pass_k >= self.baseline - self.margin
        if held and acc1 > self.healthy[0]:
            self.healthy = (acc1, state.global_step, self._trainable_state(model))
        self.below = 0 if held else self.below + 1
        if self.rl and self.applies and self.below >= self.persistence:
            back_acc1, back_step, back_state = self.healthy
            event = {
                "kind": "support-collapse", "step": state.global_step, "k": self.k, "passAtK": pass_k, "acc1": acc1,
                "baselinePassAtK": self.baseline, "baselineStep": 0, "margin": self.margin, "checksBelow": self.below,
                "drop": self.baseline - pass_k, "action": self.action,
            }
            if self.action == "rollback":
                event.update({"rollbackToStep": back_step, "rollbackAcc1": back_acc1})
                self.rollback_state = back_state
            self._write(event)
            self.stop_reason = "support-collapse"
            control.should_training_stop = True
        return control

    def restore_best(self, model):
        """After a rollback trip: the trainable weights of the kept validation (called once training has ended)."""
        if self.stop_reason != "support-collapse" or self.action != "rollback" or self.rollback_state is None:
            return
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name in self.rollback_state:
                    p.copy_(self.rollback_state[name])

    def _write(self, event):
        self.events.write(json.dumps(event) + "\n")
        self.events.flush()
