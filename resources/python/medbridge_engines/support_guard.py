"""MedBridge's support guard inside a TRL run (a transformers TrainerCallback): every `every` steps it scores the
validation items' options exactly — the probability of each option letter at the end of MedBridge's prompt, as in
diagnosis — and logs Acc@1 and Pass@K = mean(1 - (1 - p_correct)^K). When Pass@K falls more than `margin` below
its best so far it writes a `support-collapse` event and stops the run; with action "rollback" the trainable
weights (the LoRA adapter) go back to the best step first. Events go to guard-events.jsonl, then to metrics.jsonl."""
import json

import torch
from PIL import Image
from transformers import TrainerCallback

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class SupportGuard(TrainerCallback):
    def __init__(self, model, processor, val_rows, cfg, events_path, step_box):
        self.processor = processor
        self.rows = val_rows[: cfg.get("maxItems", 64)]
        self.every = cfg["every"]
        self.k = cfg["k"]
        self.margin = cfg["margin"]
        self.action = cfg.get("action", "stop")
        self.events = open(events_path, "w", encoding="utf-8")
        self.step_box = step_box
        self.best = None
        self.best_step = None
        self.best_state = None
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
        was_training = model.training
        model.eval()
        tok = self.processor.tokenizer
        template = tok.chat_template or self.processor.chat_template
        correct_first, pass_k = 0.0, 0.0
        for r in self.rows:
            prompt = tok.apply_chat_template(r["prompt"], add_generation_prompt=True, tokenize=False, chat_template=template)
            image = Image.open(f"{self.folder}/{r['image']}").convert("RGB")
            inputs = self.processor(images=image, text=prompt, return_tensors="pt").to(model.device)
            logits = model(**inputs).logits[0, -1].double()
            probs = torch.softmax(logits[self._letter_ids(len(r["options"]))], dim=0)
            right = LETTERS.index(r["answer"])
            correct_first += float(int(torch.argmax(probs)) == right)
            pass_k += 1 - (1 - float(probs[right])) ** self.k
        if was_training:
            model.train()
        n = len(self.rows)
        return correct_first / n, pass_k / n

    def _trainable_state(self, model):
        return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}

    def on_step_end(self, args, state, control, **kwargs):
        self.step_box["step"] = state.global_step
        if state.global_step % self.every != 0 or not self.rows:
            return control
        model = self.trainer.model
        acc1, pass_k = self.evaluate(model)
        self._write({"kind": "eval", "step": state.global_step, "split": "val", "n": len(self.rows), "acc1": acc1, "passAtK": {str(self.k): pass_k}})
        if self.best is None or pass_k > self.best:
            self.best, self.best_step, self.best_state = pass_k, state.global_step, self._trainable_state(model)
        elif pass_k < self.best - self.margin:
            self._write({
                "kind": "support-collapse", "step": state.global_step, "k": self.k, "passAtK": pass_k, "best": self.best,
                "bestStep": self.best_step, "margin": self.margin, "action": self.action,
            })
            if self.action == "rollback":
                self.restore_best(model)
            self.stop_reason = "support-collapse"
            control.should_training_stop = True
        return control

    def restore_best(self, model):
        if self.stop_reason != "support-collapse" or self.action != "rollback" or self.best_state is None:
            return
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name in self.best_state:
                    p.copy_(self.best_state[name])

    def _write(self, event):
        self.events.write(json.dumps(event) + "\n")
        self.events.flush()
