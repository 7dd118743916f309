// `medbridge export-job --engine verl|trl|easyr1 (--run R | --version V) --out DIR`: writes a folder a GPU server can
// run as is — the dataset version's train/val items (options in the version's display order, answer letters,
// images as PNG files named by their SHA-256), the engine config carrying this run's GRPO knobs, a rule reward
// (1 for the right letter), a launch script and medbridge-export.json (provenance, and the knobs no engine runs
// natively, e.g. GRPO-CARE's consistency bonus). Read-only on the workspace (the export itself is audited).
import { cpSync, mkdirSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TrainConfig, TrainParams, type TrainAlgorithm } from '../../shared/api/training.ts';
import { AppError } from '../../shared/errors.ts';
import { ADAPTER_TRAINING_KINDS } from '../../shared/run-kinds.ts';
import { versionWorkItems, type VersionWorkItem } from '../diagnosis/version-work.ts';
import { multipleChoiceText, optionLetters } from '../models/mc-prompt.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { packManifest } from '../storage/repositories/model-packs.ts';
import { versionExists } from '../storage/repositories/run-lookups.ts';
import { runForEngineExport } from '../storage/repositories/runs.ts';
import type { Workspace } from '../storage/workspace.ts';
import { EXPORT_ENGINES, easyr1Config, hydraOverrides, knobsOf, verlConfig, type ExportEngine, type ExportKnobs } from './engine-configs.ts';
import { checkBaseModel } from './base-model.ts';
import { DEFAULT_LORA, trlJobConfig, writeTrlJob, type TrlAlgorithm } from './trl-job.ts';
import { PYTHON_CODE_DIR } from '../environment/python-environment.ts';

export const EXPORT_MANIFEST = 'medbridge-export.json';
export const EXPORT_FORMAT = 'medbridge-export/v1';

export interface ExportRequest {
  engine: ExportEngine;
  run?: string | undefined;
  version?: string | undefined;
  out: string;
  learningRate?: number | undefined;
  baseModel?: string | undefined;
  /** Accept a model-hub id as the base model (the GPU server downloads it). */
  allowHubId?: boolean | undefined;
  /** TRL: which trainer (default: the source run's algorithm; SFT for an sft run, else GRPO). */
  algorithm?: TrlAlgorithm | undefined;
  /** TRL: update every weight instead of a LoRA adapter. */
  fullFineTune?: boolean | undefined;
  /** TRL: LoRA rank (alpha = 2 × rank). */
  loraRank?: number | undefined;
}

export interface ExportResult {
  out: string;
  engine: ExportEngine;
  version: string;
  run: string | null;
  pack: string | null;
  train: number;
  val: number;
  images: number;
  files: string[];
  config: Record<string, unknown>;
}

interface Source {
  version: string;
  run: string | null;
  pack: string | null;
  algorithm: TrainAlgorithm;
  config: TrainConfig;
  seed: number;
}

function sourceOf(ws: Workspace, req: ExportRequest): Source {
  if (req.run) {
    const r = runForEngineExport(ws.read, req.run);
    if (!r) throw new AppError('not-found', `There is no run ${req.run} in this workspace.`, { run: req.run });
    if (!ADAPTER_TRAINING_KINDS.has(r.kind) || !r.version_id)
      throw new AppError(
        'export/not-a-training-run',
        `Run ${req.run} is a ${r.kind} run; export a training run (its GRPO settings go into the engine config) or a dataset version.`,
        { run: req.run },
      );
    const p = TrainParams.partial().parse(r.config);
    return { version: r.version_id, run: req.run, pack: r.pack_id, algorithm: p.algorithm ?? 'grpo', config: p.config ?? TrainConfig.parse({}), seed: r.seed };
  }
  if (!req.version) throw new AppError('request/invalid-input', 'Give a training run (--run) or a dataset version (--version) to export.', {});
  if (!versionExists(ws.read, req.version))
    throw new AppError('not-found', `There is no dataset version ${req.version} in this workspace.`, { version: req.version });
  return { version: req.version, run: null, pack: null, algorithm: 'grpo', config: TrainConfig.parse({}), seed: 0 };
}

function record(engine: ExportEngine, it: VersionWorkItem, image: string): Record<string, unknown> {
  const letter = optionLetters(it.options.length)[it.correct] as string;
  const text = multipleChoiceText(it.question, it.options);
  const extra = { item: it.item, split: it.split, task: it.task, modality: it.modality, options: it.options };
  if (engine === 'verl') {
    return {
      data_source: 'medbridge',
      prompt: [{ role: 'user', content: `<image>${text}` }],
      images: [image],
      ability: 'medical-multiple-choice',
      reward_model: { style: 'rule', ground_truth: letter },
      extra_info: extra,
    };
  }
  if (engine === 'trl') {
    return { prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text }] }], image, answer: letter, ...extra };
  }
  return { problem: `<image>${text}`, answer: letter, images: [image], ...extra };
}

const REWARD_PY = `# Verifiable reward written by MedBridge: 1 when the response gives the correct option letter, else 0, read by
# MedBridge's answer rule (medbridge_engines/answer_rule.py, the twin of the app's; shared test vectors).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from medbridge_engines.answer_rule import answer_letter as _rule  # noqa: E402

_ANY = [""] * 26  # options unknown: letters only


def answer_letter(text, options=None):
    return _rule(text, options or _ANY)


def _options(extra):
    return (extra or {}).get("options") if isinstance(extra, dict) else None


def compute_score(*args, **kwargs):
    # verl: compute_score(data_source, solution_str, ground_truth, extra_info)
    # EasyR1: compute_score(reward_input) or (predict, ground_truth)
    if args and isinstance(args[0], dict):
        r = args[0]
        return {"overall": float(answer_letter(r.get("response"), r.get("options")) == r.get("ground_truth"))}
    if len(args) >= 3:
        return float(answer_letter(args[1], _options(args[3] if len(args) > 3 else kwargs.get("extra_info"))) == args[2])
    if len(args) == 2:
        return {"overall": float(answer_letter(args[0]) == args[1])}
    return float(answer_letter(kwargs.get("solution_str"), _options(kwargs.get("extra_info"))) == kwargs.get("ground_truth"))
`;

const TO_PARQUET_PY = `# verl reads parquet: convert MedBridge's JSONL (images as file paths) to parquet with image bytes.
import json, sys
import pandas as pd

for split in ("train", "val"):
    rows = []
    with open(f"data/{split}.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            r["images"] = [{"bytes": open(p, "rb").read()} for p in r["images"]]
            rows.append(r)
    pd.DataFrame(rows).to_parquet(f"data/{split}.parquet")
    print(split, len(rows), file=sys.stderr)
`;

/** Overrides launch.sh sets from its parameters (environment variables) instead of the exported values. */
const VERL_PARAMETERISED = new Set(['actor_rollout_ref.model.path', 'trainer.nnodes', 'trainer.n_gpus_per_node']);

function launchScript(engine: ExportEngine, config: Record<string, unknown>, baseModel: string): string {
  if (engine === 'verl') {
    const fixed = hydraOverrides(config).filter((o) => !VERL_PARAMETERISED.has(o.slice(0, o.indexOf('='))));
    return `#!/usr/bin/env bash
# Written by MedBridge export-job (verl). Parameters (environment variables):
#   MODEL_PATH     the base model folder (default: the one given at export)
#   NNODES         nodes (default 1)            GPUS_PER_NODE  GPUs per node (default 8)
#   RAY_ADDRESS    join a running Ray cluster (several nodes: ray start --head on one node, ray start --address=HEAD:6379
#                  on the others, then RAY_ADDRESS=HEAD:6379 NNODES=N ./launch.sh on the head; or sbatch slurm.sbatch)
#   MEDBRIDGE_PYTHON  the Python with verl and MedBridge's packages (default python3)
# At the end: the last checkpoint merged into a Hugging Face folder (verl.model_merger), converted into a MedBridge
# pack (checkpoint/), verl's log turned into metrics.jsonl, engine-run.json written: bring it back with import-run.
set -euo pipefail
cd "$(dirname "$0")"
PY="\${MEDBRIDGE_PYTHON:-python3}"
MODEL_PATH="\${MODEL_PATH:-${baseModel}}"
"$PY" to_parquet.py
VERL_FILE_LOGGER_PATH="$PWD/verl-metrics.jsonl" "$PY" -m verl.trainer.main_ppo \\
  ${fixed.map((o) => `'${o}'`).join(' \\\n  ')} \\
  "actor_rollout_ref.model.path=$MODEL_PATH" "trainer.nnodes=\${NNODES:-1}" "trainer.n_gpus_per_node=\${GPUS_PER_NODE:-8}" \\
  "trainer.default_local_dir=$PWD/checkpoints" "$@"
STEP_DIR="$(ls -d checkpoints/global_step_* | sort -V | tail -1)"
"$PY" -m verl.model_merger merge --backend fsdp --local_dir "$STEP_DIR/actor" --target_dir merged
"$PY" -m medbridge_engines.finish_job --engine verl --merged merged --log verl-metrics.jsonl --config verl_config.json --base "$MODEL_PATH"
`;
  }
  return `#!/usr/bin/env bash
# Written by MedBridge export-job (EasyR1). Run from this folder on the GPU server, in EasyR1's environment.
# EasyR1 is not on PyPI, so MedBridge checks this folder against EasyR1's documented config format only. To bring the
# result back: merge the last checkpoint with EasyR1's own scripts/model_merger.py
# (--local_dir checkpoints/medbridge/export/global_step_N/actor), then, in MedBridge's Python environment:
#   python -m medbridge_engines.finish_job --engine easyr1 --merged <that actor/huggingface folder> \\
#     --log <EasyR1's JSONL log> --config config.yaml --base ${baseModel}
# and medbridge import-run this folder.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m verl.trainer.main config=config.yaml "$@"
`;
}

/** Several nodes under Slurm: a Ray cluster over the allocation, then launch.sh on the head node. */
const VERL_SLURM = `#!/bin/bash
#SBATCH --job-name=medbridge-verl
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=8
# Written by MedBridge export-job (verl). Submit from this folder: sbatch slurm.sbatch (change --nodes / --gpus-per-node
# above and GPUS_PER_NODE below together). Starts Ray on every allocated node, then runs launch.sh on the first one.
set -euo pipefail
cd "\${SLURM_SUBMIT_DIR:-$PWD}"
GPUS_PER_NODE="\${GPUS_PER_NODE:-8}"
mapfile -t NODES < <(scontrol show hostnames "$SLURM_JOB_NODELIST")
HEAD="\${NODES[0]}"
PORT=6379
srun --nodes=1 --ntasks=1 -w "$HEAD" ray start --head --port="$PORT" --num-gpus="$GPUS_PER_NODE" --block &
sleep 15
for NODE in "\${NODES[@]:1}"; do
  srun --nodes=1 --ntasks=1 -w "$NODE" ray start --address="$HEAD:$PORT" --num-gpus="$GPUS_PER_NODE" --block &
done
sleep 15
RAY_ADDRESS="$HEAD:$PORT" NNODES="\${#NODES[@]}" GPUS_PER_NODE="$GPUS_PER_NODE" ./launch.sh "$@"
`;

export function exportJob(ws: Workspace, store: BlobStore, req: ExportRequest): ExportResult {
  if (!(EXPORT_ENGINES as readonly string[]).includes(req.engine))
    throw new AppError('request/invalid-input', `Unknown engine "${req.engine}"; choose verl, trl or easyr1.`, { engine: req.engine });
  const src = sourceOf(ws, req);
  const sourcePack = src.pack ? packManifest(ws.read, src.pack) : undefined;
  const base = checkBaseModel(req.baseModel, req.allowHubId === true, sourcePack?.architecture ?? null);
  const out = resolve(req.out);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new AppError('export/folder-not-empty', `The export folder ${out} is not empty; choose a new folder so nothing is overwritten.`, { out });
  const { items } = versionWorkItems(ws, src.version, 'all', () => null);
  const train = items.filter((it) => it.split === 'train');
  const val = items.filter((it) => it.split === 'val');
  if (train.length === 0)
    throw new AppError('train/no-items', `Dataset version ${src.version} has no multiple-choice items with an image in its train split.`, {
      version: src.version,
    });
  mkdirSync(join(out, 'images'), { recursive: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  const images = new Set<string>();
  const lines = (xs: VersionWorkItem[]) =>
    xs
      .map((it) => {
        const rel = `images/${it.imageHash}.png`;
        if (!images.has(it.imageHash)) {
          writeFileSync(join(out, rel), store.get(it.imageHash));
          images.add(it.imageHash);
        }
        return JSON.stringify(record(req.engine, it, rel));
      })
      .join('\n');
  writeFileSync(join(out, 'data', 'train.jsonl'), `${lines(train)}\n`);
  writeFileSync(join(out, 'data', 'val.jsonl'), val.length ? `${lines(val)}\n` : '');
  const knobs: ExportKnobs = knobsOf(src.algorithm, src.config, src.seed, train.length, { learningRate: req.learningRate, baseModel: base.baseModel });
  const files = ['data/train.jsonl', 'data/val.jsonl', 'reward.py', EXPORT_MANIFEST];
  let config: Record<string, unknown>;
  writeFileSync(join(out, 'reward.py'), REWARD_PY);
  // the job's Python: the answer rule the reward uses, the engine jobs, and the converter their last step runs
  for (const pkg of ['medbridge_engines', 'medbridge_convert'])
    cpSync(join(PYTHON_CODE_DIR, pkg), join(out, pkg), { recursive: true, filter: (p) => !p.includes('__pycache__') });
  files.push('medbridge_engines/', 'medbridge_convert/');
  if (req.engine === 'verl') {
    config = verlConfig(knobs, 'data');
    writeFileSync(join(out, 'verl_config.json'), `${JSON.stringify(config, null, 2)}\n`);
    writeFileSync(join(out, 'to_parquet.py'), TO_PARQUET_PY);
    files.push('verl_config.json', 'to_parquet.py');
  } else if (req.engine === 'trl') {
    const algorithm: TrlAlgorithm = req.algorithm ?? (src.algorithm === 'sft' ? 'sft' : 'grpo');
    const rank = req.loraRank ?? DEFAULT_LORA.r;
    config = trlJobConfig(knobs, {
      algorithm,
      baseModel: base.baseModel,
      lora: req.fullFineTune ? null : { ...DEFAULT_LORA, targetModules: [...DEFAULT_LORA.targetModules], r: rank, alpha: 2 * rank },
      train: src.config,
      temperature: src.config.adapter.temperature,
    });
    files.push(...writeTrlJob(out, config));
  } else {
    config = easyr1Config(knobs, 'data');
    writeFileSync(join(out, 'config.yaml'), `${JSON.stringify(config, null, 2)}\n`);
    files.push('config.yaml');
  }
  if (req.engine !== 'trl') {
    writeFileSync(join(out, 'launch.sh'), launchScript(req.engine, config, base.baseModel), { mode: 0o755 });
    files.push('launch.sh');
  }
  if (req.engine === 'verl') {
    writeFileSync(join(out, 'slurm.sbatch'), VERL_SLURM, { mode: 0o755 });
    files.push('slurm.sbatch');
  }
  const manifest = {
    format: EXPORT_FORMAT,
    engine: req.engine,
    createdAt: new Date().toISOString(),
    version: src.version,
    run: src.run,
    pack: src.pack,
    baseModel: knobs.baseModel,
    baseArchitecture: base.architecture,
    algorithm: src.algorithm,
    seed: src.seed,
    counts: { train: train.length, val: val.length, images: images.size },
    knobs,
    adapterLearningRate: src.config.learningRate ?? null,
    notCarried:
      src.algorithm === 'grpo-care'
        ? {
            care: src.config.care,
            note: 'GRPO-CARE consistency bonus and EMA reference are not built into this engine; it runs plain GRPO with these settings.',
          }
        : null,
    importWith: 'medbridge import-run DIR (metrics.jsonl + checkpoint/ as a MedBridge VLM pack)',
  };
  writeFileSync(join(out, EXPORT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    out,
    engine: req.engine,
    version: src.version,
    run: src.run,
    pack: src.pack,
    train: train.length,
    val: val.length,
    images: images.size,
    files,
    config,
  };
}
