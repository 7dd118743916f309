// Training verbs: train sft|grpo|grpo-care, transfer, runs events. Jobs run to their end with progress on an
// interactive stderr; `--json` prints one line: {run, checkpoint, adapter, stopReason, val: {acc1, passAtK}, events}.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Job } from '../../shared/api/jobs.ts';
import type { RunDetail } from '../../shared/api/runs.ts';
import { TrainAlgorithm, type RunEvent, type TrainConfigInput, type TransferReport } from '../../shared/api/training.ts';
import type { Result } from '../../shared/errors.ts';
import type { MetricsReport } from '../../shared/metrics/index.ts';
import { flagNumber, flagString, modelRef, type ParsedArgs } from './args.ts';
import type { CallClient } from './call-client.ts';
import { UsageError, print, waitForJob } from './cli-output.ts';

const TRAIN_USAGE =
  'train sft|grpo|grpo-care --model M --version V [--init RUN] [--config FILE.json] [--seed N] [--steps N] [--lr X] [--k K] [--label-budget N]';
const TRANSFER_USAGE =
  'transfer --model M --version V --train-task T[,T…] | --train-modality M[,M…] [--algorithm grpo|sft|grpo-care] [--init RUN] [--config FILE.json] [--seed N] [--steps N] [--eval-split test]';

/** --config FILE (JSON run config) with --steps / --lr / --k / --label-budget shortcuts on top. */
export function configFromArgs(args: ParsedArgs): TrainConfigInput {
  const file = flagString(args, 'config');
  let config: Record<string, unknown> = {};
  if (file) {
    try {
      config = JSON.parse(readFileSync(resolve(file), 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`--config ${file}: cannot read a JSON run config (${(e as Error).message})`);
    }
  }
  const steps = flagNumber(args, 'steps');
  const lr = flagNumber(args, 'lr');
  const k = flagNumber(args, 'k');
  const budget = flagNumber(args, 'label-budget');
  return {
    ...config,
    ...(steps !== undefined ? { steps } : {}),
    ...(lr !== undefined ? { learningRate: lr } : {}),
    ...(k !== undefined ? { passK: k } : {}),
    ...(budget !== undefined ? { labelBudget: budget } : {}),
  } as TrainConfigInput;
}

function fail(json: boolean, r: Result<unknown>): number {
  return print(json, r, () => '');
}

async function finish(c: CallClient, started: Result<unknown>, json: boolean): Promise<{ code: number; run?: RunDetail; job?: Job; events?: RunEvent[] }> {
  if (!started.ok) return { code: fail(json, started) };
  const { run, job } = started.value as { run: string; job: Job };
  const finished = await waitForJob(c, job.id, json);
  if (finished.state !== 'done') {
    const error = finished.error ?? { code: 'job/failed', message: `The ${job.kind} job ended ${finished.state}; resume it with "jobs resume ${job.id}".` };
    return {
      code: fail(json, { ok: false, error: { ...error, detail: { ...(error.detail ?? {}), run, job: job.id, state: finished.state } } }),
      job: finished,
    };
  }
  const detail = await c.call('runs:get', { id: run });
  if (!detail.ok) return { code: fail(json, detail) };
  const events = await c.call('runs:events', { id: run });
  if (!events.ok) return { code: fail(json, events) };
  return { code: 0, run: detail.value as RunDetail, job: finished, events: events.value as RunEvent[] };
}

/** The first validation (step 0: the starting model) of a training run: where GRPO starts, with its gap. */
function startOf(events: readonly RunEvent[]): { n: number; k: number; acc1: number; passAtK: number; gap: number } | null {
  const e = events.find((x) => x.kind === 'eval' && x.step === 0);
  if (!e) return null;
  const p = e.payload as { n: number; k: number; acc1: number; passAtK: Record<string, number> };
  const passAtK = p.passAtK[String(p.k)] ?? 0;
  return { n: p.n, k: p.k, acc1: p.acc1, passAtK, gap: passAtK - p.acc1 };
}

/** The final-event payload of a training run. */
function finalOf(events: readonly RunEvent[]): { reason: string; checkpoint: string; adapter: string; keptStep: number } | null {
  const f = [...events].reverse().find((e) => e.kind === 'final');
  return f ? (f.payload as { reason: string; checkpoint: string; adapter: string; keptStep: number }) : null;
}

export async function trainVerb(c: CallClient, sub: string | undefined, args: ParsedArgs, json: boolean): Promise<number> {
  const algorithm = TrainAlgorithm.safeParse(sub);
  const version = flagString(args, 'version');
  if (!algorithm.success || !version) throw new UsageError(TRAIN_USAGE);
  const init = flagString(args, 'init');
  const seed = flagNumber(args, 'seed');
  const input = {
    model: modelRef(args, TRAIN_USAGE),
    version,
    algorithm: algorithm.data,
    config: configFromArgs(args),
    ...(init ? { init } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  const { code, run, job, events } = await finish(c, await c.call('training:start', input), json);
  if (!run || !events) return code;
  const report = run.metrics as MetricsReport;
  const f = finalOf(events);
  const out = {
    run: run.id,
    job: job?.id,
    pack: run.pack,
    version: run.version,
    algorithm: algorithm.data,
    init: init ?? null,
    seed: run.seed,
    checkpoint: f?.checkpoint ?? null,
    adapter: f?.adapter ?? null,
    stopReason: f?.reason ?? null,
    keptStep: f?.keptStep ?? null,
    trainItems: (events.find((e) => e.kind === 'items')?.payload as { train?: number } | undefined)?.train ?? null,
    start: startOf(events),
    val: {
      n: report.overall.n,
      acc1: report.overall.acc1,
      acc1Ci: report.overall.acc1Ci,
      passAtK: report.overall.passAtK,
      passAtKCi: report.overall.passAtKCi,
      chance: report.overall.chanceAtK,
    },
    events: events.map((e) => ({ seq: e.seq, kind: e.kind, step: e.step, ...(e.payload as Record<string, unknown>) })),
    environment: run.environment,
  };
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    const evals = events
      .filter((e) => e.kind === 'eval')
      .map((e) => {
        const p = e.payload as { acc1: number; passAtK: Record<string, number>; k: number };
        return `  step ${String(e.step).padStart(5)}  val Acc@1 ${p.acc1.toFixed(3)}  Pass@${p.k} ${(p.passAtK[String(p.k)] ?? 0).toFixed(3)}`;
      });
    const collapse = events.filter((e) => e.kind === 'support-collapse').map((e) => `  SUPPORT COLLAPSE at step ${e.step}: ${JSON.stringify(e.payload)}`);
    const s = out.start;
    const startLine = s
      ? `Started at val Acc@1 ${s.acc1.toFixed(3)}, Pass@${s.k} ${s.passAtK.toFixed(3)} (gap ${s.gap.toFixed(3)}, n = ${s.n}); ${out.trainItems} train items\n`
      : '';
    process.stdout.write(
      `Run ${run.id} (${algorithm.data}) ended: ${f?.reason} — kept step ${f?.keptStep}\n${startLine}${evals.join('\n')}\n${collapse.join('\n')}\nCheckpoint ${f?.checkpoint}\nAdapter ${f?.adapter}\n`,
    );
  }
  return 0;
}

export async function transferVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const version = flagString(args, 'version');
  const tasks = flagString(args, 'train-task')
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const modalities = flagString(args, 'train-modality')
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (!version || (!tasks && !modalities)) throw new UsageError(TRANSFER_USAGE);
  const algorithm = flagString(args, 'algorithm') ?? 'grpo';
  if (!TrainAlgorithm.safeParse(algorithm).success) throw new UsageError(TRANSFER_USAGE);
  const init = flagString(args, 'init');
  const seed = flagNumber(args, 'seed');
  const evalSplit = flagString(args, 'eval-split');
  const input = {
    model: modelRef(args, TRANSFER_USAGE),
    version,
    algorithm,
    train: { ...(tasks ? { tasks } : {}), ...(modalities ? { modalities } : {}) },
    config: configFromArgs(args),
    ...(init ? { init } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(evalSplit ? { evalSplit } : {}),
  };
  const { code, run, job, events } = await finish(c, await c.call('training:transfer', input), json);
  if (!run || !events) return code;
  const report = run.metrics as unknown as TransferReport;
  const f = finalOf(events);
  const out = { run: run.id, job: job?.id, checkpoint: f?.checkpoint ?? null, adapter: f?.adapter ?? null, stopReason: f?.reason ?? null, ...report };
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    const ci = (x: [number, number] | null) => (x ? `[${x[0].toFixed(3)}, ${x[1].toFixed(3)}]` : '');
    const rows = report.cells.map(
      (cell) =>
        `  ${cell.regime.padEnd(16)} n=${String(cell.n).padStart(4)}  ΔAcc@1 ${cell.deltaAcc1 >= 0 ? '+' : ''}${cell.deltaAcc1.toFixed(3)} ${ci(cell.deltaAcc1Ci)}  ΔPass@${cell.k} ${cell.deltaPassAtK >= 0 ? '+' : ''}${cell.deltaPassAtK.toFixed(3)} ${ci(cell.deltaPassAtKCi)}  (${cell.tasks.join(', ')})`,
    );
    const kept = report.noUpdateKept ? '\n  no update kept: the run ended on its starting adapter (step 0), so these rows compare the start with itself' : '';
    process.stdout.write(
      `Transfer run ${run.id}: trained on ${JSON.stringify(report.train)} with ${report.algorithm}${report.init ? ` from ${report.init}` : ' from the base'}\n${rows.join('\n')}${report.missing.length ? `\n  no items for: ${report.missing.join(', ')}` : ''}${kept}\n`,
    );
  }
  return 0;
}

/** `runs events ID [--kind eval]`: the training curves. */
export async function runEventsVerb(c: CallClient, id: string | undefined, args: ParsedArgs, json: boolean): Promise<number> {
  if (!id) throw new UsageError('runs events ID [--kind train|eval|support-collapse|checkpoint|final]');
  const kind = flagString(args, 'kind');
  return print(
    json,
    await c.call('runs:events', { id, ...(kind ? { kind } : {}) }),
    (v) =>
      (v as RunEvent[]).map((e) => `${String(e.seq).padStart(5)} ${e.kind.padEnd(16)} ${e.step ?? ''}  ${JSON.stringify(e.payload)}`).join('\n') ||
      'No events.',
  );
}

const EXPORT_USAGE =
  'export-job --engine verl|trl|easyr1 (--run R | --version V) --out DIR --base-model /path/to/hf-model [--allow-hub-id] [--lr 1e-6] [--algorithm sft|grpo] [--full-fine-tune] [--lora-rank 16]';

/** `export-job`: an engine-ready folder (data, config, reward, launch script). */
export async function exportJobVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const engine = flagString(args, 'engine');
  const out = flagString(args, 'out');
  const run = flagString(args, 'run');
  const version = flagString(args, 'version');
  if (!engine || !out || (!run && !version)) throw new UsageError(EXPORT_USAGE);
  const lr = flagNumber(args, 'lr');
  const given = flagString(args, 'base-model');
  // a folder that exists here is sent as a full path; anything else as typed, so a hub id is refused by name
  const baseModel = given && existsSync(given) ? resolve(given) : given;
  const algorithm = flagString(args, 'algorithm');
  const loraRank = flagNumber(args, 'lora-rank');
  const input = {
    engine,
    out: resolve(out),
    ...(run ? { run } : {}),
    ...(version ? { version } : {}),
    ...(lr !== undefined ? { learningRate: lr } : {}),
    ...(baseModel ? { baseModel } : {}),
    ...(args.flags.has('allow-hub-id') ? { allowHubId: true } : {}),
    ...(algorithm ? { algorithm } : {}),
    ...(args.flags.has('full-fine-tune') ? { fullFineTune: true } : {}),
    ...(loraRank !== undefined ? { loraRank } : {}),
  };
  return print(json, await c.call('training:export', input as never), (v) => {
    const r = v as { out: string; engine: string; train: number; val: number; images: number; files: string[] };
    return `Wrote a ${r.engine} job to ${r.out}: ${r.train} train / ${r.val} val items, ${r.images} images\n  ${r.files.join('\n  ')}\nRun ./launch.sh there; bring the result back with "medbridge import-run DIR".`;
  });
}

/** `import-run DIR`: metrics.jsonl + checkpoint/ → an external run and a model pack. */
export async function importRunVerb(c: CallClient, dir: string | undefined, json: boolean): Promise<number> {
  if (!dir) throw new UsageError('import-run DIR   (DIR holds metrics.jsonl and checkpoint/, and medbridge-export.json when it came from export-job)');
  return print(json, await c.call('training:import', { dir: resolve(dir) }), (v) => {
    const r = v as { run: string; pack: string; packKind: string; steps: number; engine: string | null };
    return `Imported ${r.engine ?? 'external'} run ${r.run} (${r.steps} logged steps); checkpoint registered as ${r.packKind} pack ${r.pack}. Diagnose it with "diagnose --model ${r.pack.slice(0, 16)} --version V".`;
  });
}
