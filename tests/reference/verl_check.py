"""Runs verl's own code against a MedBridge verl export (verl is installed without its cluster dependencies):

    python verl_check.py EXPORT_DIR MODEL_DIR VECTORS.json

1. the export's to_parquet.py, then verl's RLHFDataset on data/train.parquet with the model's processor: the first
   row's prompt, image and ground truth;
2. the exported Hydra overrides (verl_config.json flattened as launch.sh passes them) composed with verl's default
   trainer config (verl/trainer/config/ppo_trainer.yaml) by Hydra itself;
3. the exported reward loaded by verl's custom-reward loader and run on the shared answer-rule vectors.
Prints one JSON object with what each step found."""
import json
import os
import subprocess
import sys

os.environ["HF_HUB_OFFLINE"] = "1"


def flatten(config, prefix=""):
    out = []
    for key, value in config.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out += flatten(value, path)
        elif isinstance(value, list):
            out.append(f"{path}=[{','.join(json.dumps(v) for v in value)}]")
        else:
            out.append(f"{path}={json.dumps(value) if isinstance(value, str) else ('true' if value is True else 'false' if value is False else value)}")
    return out


def main(export, model, vectors_path):
    result = {}
    subprocess.run([sys.executable, "to_parquet.py"], cwd=export, check=True, capture_output=True)

    import verl
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf
    from transformers import AutoProcessor
    from verl.utils.dataset.rl_dataset import RLHFDataset

    result["verl"] = verl.__version__
    overrides = flatten(json.load(open(os.path.join(export, "verl_config.json"))))
    config_dir = os.path.join(os.path.dirname(verl.__file__), "trainer", "config")
    with initialize_config_dir(config_dir=config_dir, version_base=None):
        cfg = compose(config_name="ppo_trainer", overrides=overrides)
    result["composed"] = {
        "rollout_n": cfg.actor_rollout_ref.rollout.n,
        "kl_loss_coef": cfg.actor_rollout_ref.actor.kl_loss_coef,
        "clip_ratio_low": cfg.actor_rollout_ref.actor.clip_ratio_low,
        "clip_ratio_high": cfg.actor_rollout_ref.actor.clip_ratio_high,
        "lr": cfg.actor_rollout_ref.actor.optim.lr,
        "model_path": cfg.actor_rollout_ref.model.path,
        "adv_estimator": cfg.algorithm.adv_estimator,
        "reward_path": cfg.reward.custom_reward_function.path,
        "total_training_steps": cfg.trainer.total_training_steps,
        "overrides": len(overrides),
    }

    processor = AutoProcessor.from_pretrained(model, local_files_only=True)
    data_cfg = OmegaConf.create({**OmegaConf.to_container(cfg.data, resolve=True), "cache_dir": os.path.join(export, ".cache"), "filter_overlong_prompts": False})
    dataset = RLHFDataset(data_files=[os.path.join(export, "data", "train.parquet")], tokenizer=processor.tokenizer, config=data_cfg, processor=processor)
    row = dataset[0]
    first = json.loads(open(os.path.join(export, "data", "train.jsonl")).readline())
    parts = row["raw_prompt"][0]["content"]
    images = [p for p in parts if p.get("type") == "image"]
    texts = [p["text"] for p in parts if p.get("type") == "text"]
    from PIL import Image

    exported = Image.open(os.path.join(export, first["images"][0])).convert("RGB")
    loaded = images[0]["image"].convert("RGB") if images else None
    result["dataset"] = {
        "rows": len(dataset),
        "ground_truth": row["reward_model"]["ground_truth"],
        "expected_ground_truth": first["reward_model"]["ground_truth"],
        "images": len(images),
        "same_pixels": loaded is not None and loaded.size == exported.size and loaded.tobytes() == exported.tobytes(),
        "text": "".join(texts),
        "expected_text": first["prompt"][0]["content"].replace("<image>", ""),
        "options": row["extra_info"]["options"],
    }

    from verl.trainer.ppo.reward import get_custom_reward_fn

    os.chdir(export)  # launch.sh runs verl from the export folder; the reward path is relative to it
    score = get_custom_reward_fn(cfg)
    vectors = json.load(open(vectors_path))["vectors"]
    outcomes = []
    for v in vectors:
        if v["expected"] is None:
            continue
        right = score("medbridge", v["response"], v["expected"], {"options": v["options"]})
        wrong_letter = "Z" if v["expected"] != "Z" else "Y"
        wrong = score("medbridge", v["response"], wrong_letter, {"options": v["options"]})
        outcomes.append([right, wrong])
    result["reward"] = {"vectors": len(outcomes), "right": sum(o[0] for o in outcomes), "wrong": sum(o[1] for o in outcomes)}
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:4])
