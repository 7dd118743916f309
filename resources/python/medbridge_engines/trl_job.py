"""A MedBridge engine job on TRL (one workstation GPU, or the CPU for a smoke run):

    python -m medbridge_engines.trl_job --config trl_config.json [--max-steps N] [--cpu]

Reads the exported dataset (data/train.jsonl, data/val.jsonl: conversational prompt with one image, the image file,
the answer letter, the options), trains with TRL's SFTTrainer (bridge) or GRPOTrainer (sharpen), LoRA by default,
with every hyperparameter from trl_config.json. The reward is the shared answer rule (answer_rule.py: 1 for the
right letter, else 0; an optional format reward is off by default); every scored completion is appended to
completions.jsonl. The support guard (support_guard.py) scores the validation items' options exactly every N steps
and stops, or rolls the adapter back to its best step, when Pass@K falls more than the margin below its best. At the
end: LoRA merged into the base model (merged/), converted into a MedBridge pack (checkpoint/, by medbridge_convert),
the engine's log turned into MedBridge events (metrics.jsonl) and the run's provenance (engine-run.json)."""
import argparse
import json
import os
import subprocess
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HERE = os.path.dirname(os.path.abspath(__file__))


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_rows(folder, split, with_completion):
    from datasets import Dataset, Image

    rows = []
    for r in read_jsonl(os.path.join(folder, "data", f"{split}.jsonl")):
        row = {"prompt": r["prompt"], "image": os.path.join(folder, r["image"]), "answer": r["answer"], "options": r["options"], "item": r["item"]}
        if with_completion:
            row["completion"] = [{"role": "assistant", "content": [{"type": "text", "text": r["answer"]}]}]
        rows.append(row)
    if not rows:
        return None
    return Dataset.from_list(rows).cast_column("image", Image())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="trl_config.json")
    ap.add_argument("--max-steps", type=int, default=None, help="override the step budget (a smoke run)")
    ap.add_argument("--cpu", action="store_true", help="run on the CPU (no GPU needed; slow beyond tiny models)")
    ap.add_argument("--guard-every", type=int, default=None, help="override how often the support guard evaluates (steps)")
    a = ap.parse_args()
    folder = os.path.dirname(os.path.abspath(a.config))
    cfg = json.load(open(a.config))
    if a.max_steps is not None:
        cfg["training"]["max_steps"] = a.max_steps
    if a.guard_every is not None and cfg.get("supportGuard"):
        cfg["supportGuard"]["every"] = a.guard_every

    import torch
    import transformers
    import trl
    from peft import LoraConfig

    from medbridge_convert.pack_manifest import folder_identity, sha256_file

    from .answer_rule import answer_letter
    from .support_guard import SupportGuard

    base = cfg["baseModel"]
    if not os.path.isfile(os.path.join(base, "config.json")):
        sys.exit(f"error [engine/base-model-missing]: {base} is not a Hugging Face model folder (no config.json)")
    base_config = json.load(open(os.path.join(base, "config.json")))
    model_cls = getattr(transformers, base_config["architectures"][0])
    dtype = torch.float32 if a.cpu or not torch.cuda.is_available() else torch.bfloat16
    model = model_cls.from_pretrained(base, dtype=dtype, local_files_only=True, attn_implementation="eager")
    processor = transformers.AutoProcessor.from_pretrained(base, local_files_only=True)
    algorithm = cfg["algorithm"]
    train = load_rows(folder, "train", with_completion=algorithm == "sft")
    val = read_jsonl(os.path.join(folder, "data", "val.jsonl"))
    lora = cfg.get("lora")
    peft_config = LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"], target_modules=lora["targetModules"], task_type="CAUSAL_LM") if lora else None
    t = cfg["training"]
    common = dict(
        output_dir=os.path.join(folder, "output"), max_steps=t["max_steps"], learning_rate=t["learning_rate"], seed=t["seed"],
        per_device_train_batch_size=t["per_device_train_batch_size"], gradient_accumulation_steps=t["gradient_accumulation_steps"],
        max_grad_norm=t["max_grad_norm"],
        logging_steps=1, save_strategy="no", report_to=[], use_cpu=bool(a.cpu), bf16=dtype == torch.bfloat16,
    )
    completions_log = open(os.path.join(folder, "completions.jsonl"), "w", encoding="utf-8")
    step_box = {"step": 0}

    def answer_reward(completions, answer, options, **kwargs):
        """1 when the shared answer rule reads the right letter from the completion, else 0."""
        scores = []
        for completion, right, opts in zip(completions, answer, options):
            text = completion[0]["content"] if isinstance(completion, list) else completion
            if isinstance(text, list):
                text = "".join(part.get("text", "") for part in text)
            letter = answer_letter(text, opts)
            score = float(letter == right)
            scores.append(score)
            completions_log.write(json.dumps({"step": step_box["step"], "completion": text, "options": opts, "answer": right, "letter": letter, "reward": score}) + "\n")
        completions_log.flush()
        return scores

    guard_cfg = cfg.get("supportGuard")
    guard = SupportGuard(model, processor, val, guard_cfg, os.path.join(folder, "guard-events.jsonl"), step_box) if guard_cfg and val else None
    callbacks = [guard] if guard else []
    if algorithm == "sft":
        args = trl.SFTConfig(**common, max_length=None)
        trainer = trl.SFTTrainer(model=model, args=args, train_dataset=train, processing_class=processor, peft_config=peft_config, callbacks=callbacks)
    else:
        g = cfg["grpo"]
        args = trl.GRPOConfig(
            **common, beta=g["beta"], epsilon=g["epsilon"], epsilon_high=g["epsilon_high"], num_generations=g["num_generations"],
            temperature=g["temperature"], max_completion_length=g["max_completion_length"], log_completions=False,
            num_iterations=g["num_iterations"], scale_rewards=g["scale_rewards"],
        )
        reward_funcs = [answer_reward]
        trainer = trl.GRPOTrainer(model=model, processing_class=processor, reward_funcs=reward_funcs, args=args, train_dataset=train, peft_config=peft_config, callbacks=callbacks)
    if guard:
        guard.attach(trainer)
    trainer.train()
    completions_log.close()
    trained = trainer.model
    if guard:
        guard.restore_best(trained)
    merged = trained.merge_and_unload() if lora else trained
    merged_dir = os.path.join(folder, "merged")
    merged.to(torch.float32).save_pretrained(merged_dir, safe_serialization=True)
    processor.save_pretrained(merged_dir)
    write_metrics(folder, trainer.state.log_history, read_jsonl(os.path.join(folder, "guard-events.jsonl")))
    convert = subprocess.run(
        [sys.executable, "-m", "medbridge_convert", "--src", merged_dir, "--out", os.path.join(folder, "checkpoint"), "--write-manifest"],
        cwd=folder, env={**os.environ, "PYTHONPATH": folder}, capture_output=True, text=True,
    )
    if convert.returncode != 0:
        sys.exit(f"error [engine/convert-failed]: {convert.stdout[-2000:]} {convert.stderr[-2000:]}")
    provenance = {
        "engine": "trl", "engineVersion": trl.__version__, "transformers": transformers.__version__, "torch": torch.__version__,
        "algorithm": algorithm, "configSha256": sha256_file(a.config), "baseModel": base, "baseModelSha256": folder_identity(base)[0],
        "mergedSha256": folder_identity(merged_dir)[0], "steps": trainer.state.global_step, "lora": lora,
        "stopReason": guard.stop_reason if guard else None,
    }
    with open(os.path.join(folder, "engine-run.json"), "w") as f:
        json.dump(provenance, f, indent=2, sort_keys=True)
    print(json.dumps({"done": True, "steps": trainer.state.global_step, "checkpoint": os.path.join(folder, "checkpoint")}))


def write_metrics(folder, log_history, guard_events):
    """TRL's log history as MedBridge run events: one JSON object per logged step (train) plus the guard's evals."""
    names = {"loss": "loss", "reward": "reward", "kl": "kl", "grad_norm": "gradNorm", "learning_rate": "learningRate", "entropy": "entropy"}
    with open(os.path.join(folder, "metrics.jsonl"), "w", encoding="utf-8") as f:
        for entry in log_history:
            if "step" not in entry or "train_runtime" in entry:
                continue
            event = {"kind": "train", "step": entry["step"], "engine": "trl"}
            for src, dst in names.items():
                if src in entry:
                    event[dst] = entry[src]
            f.write(json.dumps(event) + "\n")
        for e in guard_events:
            f.write(json.dumps(e) + "\n")


if __name__ == "__main__":
    main()
