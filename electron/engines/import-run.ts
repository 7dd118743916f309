// `medbridge import-run DIR`: brings an engine run back as a MedBridge run — metrics.jsonl (one JSON object per
// logged step) as run events and the last line as its metrics, and checkpoint/ (exported as an ONNX VLM pack in the
// transformers.js layout, or a MedBridge pack) registered as a model pack, so it is diagnosed and reported like any
// other run. Provenance (engine, dataset version, source run) comes from medbridge-export.json when present.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { runEnvironment } from '../environment/run-environment.ts';
import { insertRunEvent } from '../storage/repositories/run-events.ts';
import { versionExists } from '../storage/repositories/run-lookups.ts';
import { insertExternalRun, runExists } from '../storage/repositories/runs.ts';
import type { Workspace } from '../storage/workspace.ts';
import { EXPORT_MANIFEST } from './export-job.ts';

export const METRICS_FILE = 'metrics.jsonl';
/** Written by MedBridge's engine jobs: engine and version, config and base-model hashes, steps, stop reason. */
export const ENGINE_RUN_FILE = 'engine-run.json';
export const CHECKPOINT_DIR = 'checkpoint';

export interface ImportedRun {
  run: string;
  pack: string;
  engine: string | null;
  version: string | null;
  sourceRun: string | null;
  steps: number;
  final: Record<string, unknown> | null;
  engineVersion: string | null;
  configSha256: string | null;
  baseModelSha256: string | null;
}

export function readEngineOutput(dir: string): {
  manifest: Record<string, unknown> | null;
  lines: Array<Record<string, unknown>>;
  checkpoint: string;
  engineRun: Record<string, unknown> | null;
} {
  const root = resolve(dir);
  if (!existsSync(root)) throw new AppError('not-found', `There is no folder ${root}.`, { dir: root });
  const metricsPath = join(root, METRICS_FILE);
  if (!existsSync(metricsPath))
    throw new AppError('import/missing-metrics', `${root} has no ${METRICS_FILE}; write the engine's logged metrics there, one JSON object per line.`, {
      dir: root,
    });
  const lines: Array<Record<string, unknown>> = [];
  readFileSync(metricsPath, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const v = JSON.parse(line) as unknown;
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
        lines.push(v as Record<string, unknown>);
      } catch (e) {
        throw new AppError('import/bad-metrics', `Line ${i + 1} of ${METRICS_FILE} is not a JSON object (${(e as Error).message}).`, { line: i + 1 });
      }
    });
  const checkpoint = join(root, CHECKPOINT_DIR);
  if (!existsSync(checkpoint))
    throw new AppError(
      'import/missing-checkpoint',
      `${root} has no ${CHECKPOINT_DIR}/ folder; export the trained model there as an ONNX VLM folder (transformers.js layout).`,
      { dir: root },
    );
  const mPath = join(root, EXPORT_MANIFEST);
  const manifest = existsSync(mPath) ? (JSON.parse(readFileSync(mPath, 'utf8')) as Record<string, unknown>) : null;
  const ePath = join(root, ENGINE_RUN_FILE);
  let engineRun: Record<string, unknown> | null = null;
  if (existsSync(ePath)) {
    try {
      engineRun = JSON.parse(readFileSync(ePath, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new AppError('import/bad-engine-run', `${ENGINE_RUN_FILE} is not valid JSON.`, { dir: root, file: ENGINE_RUN_FILE });
    }
  }
  return { manifest, lines, checkpoint, engineRun };
}

/** Inserts the external run (after its checkpoint was registered as pack `pack`), in one audited change. */
export function recordImportedRun(ws: Workspace, actor: string, dir: string, pack: string, out: ReturnType<typeof readEngineOutput>): ImportedRun {
  const m = out.manifest ?? {};
  const version = typeof m.version === 'string' && versionExists(ws.read, m.version) ? m.version : null;
  const sourceRun = typeof m.run === 'string' && runExists(ws.read, m.run) ? m.run : null;
  const e = out.engineRun ?? {};
  const engine = typeof e.engine === 'string' ? e.engine : typeof m.engine === 'string' ? m.engine : null;
  /** What a review board needs to identify the engine run (engine-run.json): version, config and base-model hashes. */
  const provenance = {
    engineVersion: typeof e.engineVersion === 'string' ? e.engineVersion : null,
    configSha256: typeof e.configSha256 === 'string' ? e.configSha256 : null,
    baseModel: typeof e.baseModel === 'string' ? e.baseModel : typeof m.baseModel === 'string' ? m.baseModel : null,
    baseModelSha256: typeof e.baseModelSha256 === 'string' ? e.baseModelSha256 : null,
    algorithm: typeof e.algorithm === 'string' ? e.algorithm : null,
    stopReason: typeof e.stopReason === 'string' ? e.stopReason : null,
  };
  const run = `run-ext-${pack.slice(0, 12)}-${Date.now().toString(36)}`;
  const final = out.lines.at(-1) ?? null;
  const now = new Date().toISOString();
  ws.change(
    {
      actor,
      action: 'training:import',
      subject: run,
      payload: { dir: resolve(dir), pack, engine, version, sourceRun, steps: out.lines.length, ...provenance },
    },
    (tx) => {
      insertExternalRun(tx, {
        id: run,
        packId: pack,
        versionId: version,
        initRun: sourceRun,
        config: { engine, ...provenance, importedFrom: resolve(dir), export: m },
        seed: typeof m.seed === 'number' ? m.seed : 0,
        metrics: { kind: 'external', engine, ...provenance, steps: out.lines.length, final },
        environment: { ...runEnvironment(), executionProvider: { provider: 'external', engine } },
        createdAt: now,
      });
      out.lines.forEach((line, i) =>
        insertRunEvent(tx, {
          runId: run,
          seq: i + 1,
          kind: typeof line.kind === 'string' ? line.kind : 'train',
          step: typeof line.step === 'number' ? line.step : i + 1,
          payload: line,
          createdAt: now,
        }),
      );
    },
  );
  return {
    run,
    pack,
    engine,
    version,
    sourceRun,
    steps: out.lines.length,
    final,
    engineVersion: provenance.engineVersion,
    configSha256: provenance.configSha256,
    baseModelSha256: provenance.baseModelSha256,
  };
}
