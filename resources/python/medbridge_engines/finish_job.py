"""The end of a MedBridge engine job on verl (or any engine that leaves a merged Hugging Face folder and a JSONL log):

    python -m medbridge_engines.finish_job --engine verl --merged merged/ --log verl-metrics.jsonl --config verl_config.json --base /models/base

converts the merged model into a MedBridge pack (checkpoint/, with its manifest), turns the engine's log into
MedBridge events (metrics.jsonl) and writes engine-run.json (engine and version, config and base-model hashes), so
`medbridge import-run` brings the run back like a TRL run. verl's file logger writes {"step": N, "data": {...}}."""
import argparse
import json
import os
import subprocess
import sys

from medbridge_convert.pack_manifest import folder_identity, sha256_file

# verl metric names -> MedBridge event fields
VERL_NAMES = {
    "actor/pg_loss": "loss",
    "critic/rewards/mean": "reward",
    "critic/score/mean": "reward",
    "actor/kl_loss": "kl",
    "actor/entropy": "entropy",
    "actor/grad_norm": "gradNorm",
    "actor/lr": "learningRate",
}


def engine_events(log_path, engine):
    """The engine's JSONL log as MedBridge train events (one per logged step), the original metrics kept under `engine`."""
    events = []
    with open(log_path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"error [engine/bad-log]: line {n} of {log_path} is not JSON ({e})")
            data = entry.get("data", entry)
            event = {"kind": "train", "step": entry.get("step", n), "engine": engine}
            for src, dst in VERL_NAMES.items():
                if src in data and dst not in event:
                    event[dst] = data[src]
            event["metrics"] = {k: v for k, v in data.items() if isinstance(v, (int, float))}
            events.append(event)
    return events


def engine_version(engine):
    try:
        module = __import__(engine)
        return getattr(module, "__version__", None)
    except ImportError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True)
    ap.add_argument("--merged", required=True, help="the trained model as a Hugging Face folder")
    ap.add_argument("--log", required=True, help="the engine's JSONL log")
    ap.add_argument("--config", required=True, help="the engine config the job ran with")
    ap.add_argument("--base", required=True, help="the base model folder")
    a = ap.parse_args()
    folder = os.getcwd()
    events = engine_events(a.log, a.engine)
    with open(os.path.join(folder, "metrics.jsonl"), "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e) + "\n")
    convert = subprocess.run(
        [sys.executable, "-m", "medbridge_convert", "--src", a.merged, "--out", os.path.join(folder, "checkpoint"), "--write-manifest"],
        cwd=folder, env={**os.environ, "PYTHONPATH": folder}, capture_output=True, text=True,
    )
    if convert.returncode != 0:
        sys.exit(f"error [engine/convert-failed]: {convert.stdout[-2000:]} {convert.stderr[-2000:]}")
    base_identity = folder_identity(a.base)[0] if os.path.isdir(a.base) else None
    provenance = {
        "engine": a.engine, "engineVersion": engine_version(a.engine), "configSha256": sha256_file(a.config),
        "baseModel": a.base, "baseModelSha256": base_identity, "mergedSha256": folder_identity(a.merged)[0],
        "steps": max((e["step"] for e in events), default=0), "algorithm": "grpo", "stopReason": None,
    }
    with open(os.path.join(folder, "engine-run.json"), "w") as f:
        json.dump(provenance, f, indent=2, sort_keys=True)
    print(json.dumps({"done": True, "steps": provenance["steps"], "checkpoint": os.path.join(folder, "checkpoint")}))


if __name__ == "__main__":
    main()
