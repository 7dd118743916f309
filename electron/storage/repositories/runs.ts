// The runs table: one row per diagnosis, probe, training, transfer or imported engine run, with its stored config,
// environment and metrics report (JSON columns, parsed here into the types each run kind stores).
import type { DiagnoseParams, ExternalRunConfig, ExternalRunReport, ProbeParams, ProbeReport, RunSummary } from '../../../shared/api/runs.ts';
import type { TrainParams, TransferParams, TransferReport } from '../../../shared/api/training.ts';
import type { MetricsReport } from '../../../shared/metrics/index.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export type RunState = RunSummary['state'];

/** The columns every run has, JSON columns parsed. */
interface RunColumns {
  id: string;
  pack_id: string;
  version_id: string | null;
  init_run: string | null;
  adapter_hash: string | null;
  study_id: string | null;
  split: string | null;
  seed: number;
  job_id: string | null;
  state: RunState;
  environment: Record<string, unknown>;
  created_at: string;
  finished_at: string | null;
}

/** A run as stored, its config and metrics typed by its kind. */
export type Run =
  | (RunColumns & { kind: 'diagnose'; config: DiagnoseParams; metrics: MetricsReport | null })
  | (RunColumns & { kind: 'probe'; config: ProbeParams; metrics: ProbeReport | null })
  | (RunColumns & { kind: 'sft' | 'grpo' | 'grpo-care'; config: TrainParams; metrics: MetricsReport | null })
  | (RunColumns & { kind: 'transfer'; config: TransferParams; metrics: TransferReport | null })
  | (RunColumns & { kind: 'external'; config: ExternalRunConfig; metrics: ExternalRunReport | null });

export type RunKind = Run['kind'];
export type RunMetrics = NonNullable<Run['metrics']>;

interface StoredRun extends Omit<RunColumns, 'environment'> {
  kind: string;
  config: string;
  environment: string;
  metrics: string | null;
}

function toRun(r: StoredRun): Run {
  return { ...r, config: JSON.parse(r.config), environment: JSON.parse(r.environment), metrics: r.metrics ? JSON.parse(r.metrics) : null } as Run;
}

export function runById(db: ReadDb, id: string): Run | undefined {
  const r = db.get<StoredRun>('SELECT * FROM runs WHERE id = ?', id);
  return r ? toRun(r) : undefined;
}

export function runExists(db: ReadDb, id: string): boolean {
  return db.get('SELECT 1 FROM runs WHERE id = ?', id) !== undefined;
}

/** Newest first; `kind` and `version` narrow the list when given. */
export function listRuns(db: ReadDb, f: { kind?: string | undefined; version?: string | undefined; limit: number }): Run[] {
  return db
    .all<StoredRun>(
      `SELECT * FROM runs WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR version_id = ?) ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      f.kind ?? null,
      f.kind ?? null,
      f.version ?? null,
      f.version ?? null,
      f.limit,
    )
    .map(toRun);
}

/** The run a job works on; every diagnose, probe, train and transfer job creates one when it starts. */
export function runIdOfJob(db: ReadDb, jobId: string): string {
  const id = db.value<string>('SELECT id FROM runs WHERE job_id = ?', jobId);
  if (id === undefined) throw new Error(`no run for job ${jobId}`);
  return id;
}

/** The metrics report, or null while the run has none. */
export function runMetrics(db: ReadDb, id: string): RunMetrics | null {
  const text = db.value<string | null>('SELECT metrics FROM runs WHERE id = ?', id);
  return text ? (JSON.parse(text) as RunMetrics) : null;
}

/** The execution provider recorded in the run's environment (undefined/null until the worker reports one). */
export function executionProviderOf(db: ReadDb, id: string): unknown {
  return db.get<{ p: unknown }>("SELECT json_extract(environment, '$.executionProvider') AS p FROM runs WHERE id = ?", id)?.p;
}

/** The latest finished probe of a pack on a version, whose accuracies enter a recommendation's perception check. */
export function latestDoneProbe(db: ReadDb, packId: string, versionId: string | null): { id: string; metrics: ProbeReport } | undefined {
  const r = db.get<{ id: string; metrics: string }>(
    "SELECT id, metrics FROM runs WHERE kind = 'probe' AND state = 'done' AND pack_id = ? AND version_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
    packId,
    versionId,
  );
  return r ? { id: r.id, metrics: JSON.parse(r.metrics) as ProbeReport } : undefined;
}

/** The latest finished diagnosis of a pack on a version, whose numbers a probe report shows beside its own. */
export function latestDoneDiagnosis(db: ReadDb, packId: string, versionId: string): { id: string; metrics: MetricsReport } | undefined {
  const r = db.get<{ id: string; metrics: string }>(
    "SELECT id, metrics FROM runs WHERE kind = 'diagnose' AND state = 'done' AND pack_id = ? AND version_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
    packId,
    versionId,
  );
  return r ? { id: r.id, metrics: JSON.parse(r.metrics) as MetricsReport } : undefined;
}

/** What decides whether a run's adapter can be started from or applied: its kind, pack and adapter blob. */
export function runAdapterSource(db: ReadDb, id: string): { kind: string; pack_id: string; adapter_hash: string | null } | undefined {
  return db.get('SELECT kind, pack_id, adapter_hash FROM runs WHERE id = ?', id);
}

/** What an engine export reads of its source run. */
export function runForEngineExport(
  db: ReadDb,
  id: string,
): { kind: string; pack_id: string; version_id: string | null; config: Record<string, unknown>; seed: number } | undefined {
  const r = db.get<{ kind: string; pack_id: string; version_id: string | null; config: string; seed: number }>(
    'SELECT kind, pack_id, version_id, config, seed FROM runs WHERE id = ?',
    id,
  );
  return r ? { ...r, config: JSON.parse(r.config) as Record<string, unknown> } : undefined;
}

/** The validation numbers a training run's metrics report holds (absent for a transfer run's matrix). */
export interface TrainedRunMetrics {
  overall?: { n: number; acc1: number; passAtK: Record<string, number> };
}

/** What an ONNX export reads of a training run: the run, its stored config (as text and parsed) and its base pack's folder. */
export interface RunForOnnxExport {
  kind: string;
  state: string;
  pack_id: string;
  version_id: string | null;
  init_run: string | null;
  adapter_hash: string | null;
  /** The stored config JSON exactly as in runs.config (its hash names the configuration). */
  configJson: string;
  config: Record<string, unknown>;
  seed: number;
  metrics: TrainedRunMetrics | null;
  path: string;
}

export function runForOnnxExport(db: ReadDb, id: string): RunForOnnxExport | undefined {
  const r = db.get<Omit<RunForOnnxExport, 'configJson' | 'config' | 'metrics'> & { config: string; metrics: string | null }>(
    'SELECT r.kind, r.state, r.pack_id, r.version_id, r.init_run, r.adapter_hash, r.config, r.seed, r.metrics, p.path FROM runs r JOIN model_packs p ON p.id = r.pack_id WHERE r.id = ?',
    id,
  );
  if (!r) return undefined;
  return {
    ...r,
    configJson: r.config,
    config: JSON.parse(r.config) as Record<string, unknown>,
    metrics: r.metrics ? (JSON.parse(r.metrics) as TrainedRunMetrics) : null,
  };
}

/** A diagnosis or probe run, started by its job. */
export interface NewJobRun {
  id: string;
  kind: 'diagnose' | 'probe';
  packId: string;
  versionId: string;
  split: string;
  config: DiagnoseParams | ProbeParams;
  seed: number;
  jobId: string;
  environment: Record<string, unknown>;
  createdAt: string;
}

export function insertJobRun(tx: WriteDb, r: NewJobRun): void {
  tx.run(
    `INSERT INTO runs (id, kind, pack_id, version_id, split, config, seed, job_id, state, environment, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
    r.id,
    r.kind,
    r.packId,
    r.versionId,
    r.split,
    JSON.stringify(r.config),
    r.seed,
    r.jobId,
    JSON.stringify(r.environment),
    r.createdAt,
  );
}

/** A training or transfer run (split 'train'), started by its job; `config` is the job's parameters. */
export interface NewTrainingRun {
  id: string;
  kind: 'sft' | 'grpo' | 'grpo-care' | 'transfer';
  config: TrainParams | TransferParams;
  jobId: string;
  environment: Record<string, unknown>;
  createdAt: string;
}

export function insertTrainingRun(tx: WriteDb, r: NewTrainingRun): void {
  const p = r.config;
  tx.run(
    `INSERT INTO runs (id, kind, pack_id, version_id, init_run, split, config, seed, job_id, state, environment, created_at)
        VALUES (?, ?, ?, ?, ?, 'train', ?, ?, ?, 'running', ?, ?)`,
    r.id,
    r.kind,
    p.pack,
    p.version,
    p.init,
    JSON.stringify(p),
    p.seed,
    r.jobId,
    JSON.stringify(r.environment),
    r.createdAt,
  );
}

/** A run trained by an engine and imported back: finished on arrival, with its metrics. */
export interface NewExternalRun {
  id: string;
  packId: string;
  versionId: string | null;
  initRun: string | null;
  config: ExternalRunConfig;
  seed: number;
  metrics: ExternalRunReport;
  environment: Record<string, unknown>;
  createdAt: string;
}

export function insertExternalRun(tx: WriteDb, r: NewExternalRun): void {
  tx.run(
    `INSERT INTO runs (id, kind, pack_id, version_id, init_run, split, config, seed, state, metrics, environment, created_at, finished_at)
      VALUES (?, 'external', ?, ?, ?, 'train', ?, ?, 'done', ?, ?, ?, ?)`,
    r.id,
    r.packId,
    r.versionId,
    r.initRun,
    JSON.stringify(r.config),
    r.seed,
    JSON.stringify(r.metrics),
    JSON.stringify(r.environment),
    r.createdAt,
    r.createdAt,
  );
}

/** A diagnosis that applies a trained adapter: the adapter blob and the training run it came from. */
export function setAppliedAdapter(tx: WriteDb, id: string, adapterHash: string, initRun: string | undefined): void {
  tx.run('UPDATE runs SET adapter_hash = ?, init_run = ? WHERE id = ?', adapterHash, initRun, id);
}

/** A training run's adapter follows its last checkpoint. */
export function setAdapterHash(tx: WriteDb, id: string, adapterHash: string): void {
  tx.run('UPDATE runs SET adapter_hash = ? WHERE id = ?', adapterHash, id);
}

export function setRunMetrics(tx: WriteDb, id: string, metrics: RunMetrics): void {
  tx.run('UPDATE runs SET metrics = ? WHERE id = ?', JSON.stringify(metrics), id);
}

export function finishRun(tx: WriteDb, id: string, finishedAt: string): void {
  tx.run("UPDATE runs SET state = 'done', finished_at = ? WHERE id = ?", finishedAt, id);
}

export function finishRunWithMetrics(tx: WriteDb, id: string, metrics: RunMetrics, finishedAt: string): void {
  tx.run("UPDATE runs SET metrics = ?, state = 'done', finished_at = ? WHERE id = ?", JSON.stringify(metrics), finishedAt, id);
}

/** The execution provider the worker reports (or the feature cache's stand-in) goes into the run's environment. */
export function recordExecutionProvider(tx: WriteDb, id: string, provider: unknown): void {
  tx.run("UPDATE runs SET environment = json_set(environment, '$.executionProvider', json(?)) WHERE id = ?", JSON.stringify(provider), id);
}
