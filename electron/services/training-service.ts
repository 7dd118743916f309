// Training: start `train` and `transfer` jobs (the model resolved to a registered pack, the init run checked), and
// read a run's events (the curves the UI draws and the CLI prints).
import { resolve } from 'node:path';
import type { Job } from '../../shared/api/jobs.ts';
import { TrainParams, TransferParams, type ItemSubset, type RunEvent, type TrainAlgorithm, type TrainConfigInput } from '../../shared/api/training.ts';
import { AppError } from '../../shared/errors.ts';
import { ADAPTER_TRAINING_KINDS } from '../../shared/run-kinds.ts';
import { exportJob, type ExportRequest, type ExportResult } from '../engines/export-job.ts';
import { readEngineOutput, recordImportedRun, type ImportedRun } from '../engines/import-run.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { runEventsAfter } from '../storage/repositories/run-events.ts';
import { optionCountsByTask } from '../storage/repositories/run-lookups.ts';
import { runExists, runForOnnxExport, runIdOfJob } from '../storage/repositories/runs.ts';
import type { Workspace } from '../storage/workspace.ts';
import type { ModelsService } from './models-service.ts';
import { APP_VERSION } from '../environment/app-version.ts';
import { exportOnnxPack, ONNX_EXPORT_FORMAT, removeExportedPack, type ExportedRunInfo, type OnnxPackExport } from '../training/onnx/export-pack.ts';
import { DEFAULT_SUPPORT_TARGET, chanceByTask, informativeK } from '../../shared/recipe/index.ts';

export interface TrainStartInput {
  model: string;
  version: string;
  algorithm: TrainAlgorithm;
  init?: string | undefined;
  config?: TrainConfigInput | undefined;
  seed: number;
}

/** Candidate K for the guard's default (shared/recipe/informative-k.ts). */
const GUARD_KS = [1, 2, 4, 8, 16];

export class TrainingService {
  private readonly ws: Workspace;
  private readonly jobs: JobRunner;
  private readonly models: ModelsService;
  constructor(ws: Workspace, jobs: JobRunner, models: ModelsService) {
    this.ws = ws;
    this.jobs = jobs;
    this.models = models;
  }

  async start(input: TrainStartInput, actor: string): Promise<{ run: string; pack: string; job: Job }> {
    const pack = await this.models.resolve(input.model, actor);
    const params = TrainParams.parse({
      pack,
      version: input.version,
      algorithm: input.algorithm,
      init: input.init ?? null,
      config: this.withGuardK(input.config, input.version),
      seed: input.seed,
    });
    return this.launch('train', params, pack, actor);
  }

  async transfer(
    input: TrainStartInput & { train: ItemSubset; evalSplit: 'train' | 'val' | 'test' | 'all' },
    actor: string,
  ): Promise<{ run: string; pack: string; job: Job }> {
    const pack = await this.models.resolve(input.model, actor);
    if (!input.train.tasks?.length && !input.train.modalities?.length) {
      throw new AppError('request/invalid-input', 'A transfer run trains on one task or modality: give train.tasks or train.modalities.', {});
    }
    const params = TransferParams.parse({
      pack,
      version: input.version,
      algorithm: input.algorithm,
      init: input.init ?? null,
      config: this.withGuardK(input.config, input.version),
      seed: input.seed,
      train: input.train,
      evalSplit: input.evalSplit,
    });
    return this.launch('transfer', params, pack, actor);
  }

  /**
   * The K the guard, early stopping and the transfer cells watch when the request names none: the largest K whose
   * chance level stays below the support target in every task of the version (with two options chance Pass@8 is
   * 0.996, so a guard on it could never see support collapse). Free-form items (no options) do not count.
   */
  private withGuardK(config: TrainStartInput['config'], version: string): Record<string, unknown> {
    const given = (config ?? {}) as Record<string, unknown>;
    if (given.passK !== undefined) return given;
    const rows = optionCountsByTask(this.ws.read, version);
    const byK = GUARD_KS.map((k) => [k, chanceByTask(rows, k)] as const);
    const tasks = [...(byK[0]?.[1].keys() ?? [])];
    if (tasks.length === 0) return given;
    const scopes = tasks.map((t) => Object.fromEntries(byK.map(([k, chance]) => [String(k), chance.get(t)!])));
    return { ...given, passK: informativeK(GUARD_KS, scopes, DEFAULT_SUPPORT_TARGET) };
  }

  private launch(kind: 'train' | 'transfer', params: TrainParams | TransferParams, pack: string, actor: string): { run: string; pack: string; job: Job } {
    const job = this.jobs.start(kind, params, actor);
    return { run: runIdOfJob(this.ws.read, job.id), pack, job };
  }

  /** Writes an engine-ready folder (audited: what left the workspace, where to). */
  exportJob(req: ExportRequest, actor: string): ExportResult {
    return this.ws.change(
      (r: ExportResult) => ({
        actor,
        action: 'training:export',
        subject: r.run ?? r.version,
        payload: { engine: r.engine, out: r.out, version: r.version, run: r.run, train: r.train, val: r.val, images: r.images },
      }),
      () => exportJob(this.ws, this.ws.blobs, req),
    );
  }

  /**
   * Writes a finished training run as a runnable ONNX pack (electron/training/onnx/); one audited change listing the file
   * hashes. The folder is written inside the change; if the change does not commit (its audit entry fails), the folder is
   * removed again, so no exported pack exists without its audit entry.
   */
  exportOnnx(input: { run: string; out: string }, actor: string): OnnxPackExport & { auditHead: string } {
    let written: string | null = null;
    try {
      return this.ws.change(
        (r: OnnxPackExport & { auditHead: string }) => ({
          actor,
          action: 'training:export-onnx',
          subject: r.run,
          payload: {
            format: ONNX_EXPORT_FORMAT,
            out: r.out,
            run: r.run,
            pack: r.pack,
            basePack: r.basePack,
            adapter: r.adapterHash,
            configHash: r.configHash,
            files: r.files,
          },
        }),
        () => {
          const head = this.ws.audit.head();
          const info = onnxExportSource(this.ws, input.run, head);
          const exported = exportOnnxPack(info, resolve(input.out));
          written = exported.out;
          return { ...exported, auditHead: head.hash };
        },
      );
    } catch (e) {
      if (written !== null) removeExportedPack(written);
      throw e;
    }
  }

  /** Registers the engine's checkpoint folder as a model pack and records the run with its metrics. */
  async importRun(dir: string, actor: string): Promise<ImportedRun & { packKind: string }> {
    const out = readEngineOutput(dir);
    const pack = await this.models.add(out.checkpoint, actor);
    return { ...recordImportedRun(this.ws, actor, dir, pack.id, out), packKind: pack.kind };
  }

  events(input: { id: string; kind?: string | undefined; afterSeq: number }): RunEvent[] {
    if (!runExists(this.ws.read, input.id)) throw new AppError('not-found', `There is no run ${input.id} in this workspace.`, { id: input.id });
    return runEventsAfter(this.ws.read, input.id, input.afterSeq, input.kind).map((r) => ({
      seq: r.seq,
      kind: r.kind,
      step: r.step,
      payload: r.payload,
      createdAt: r.created_at,
    }));
  }
}

const EXPORTABLE_KINDS = [...ADAPTER_TRAINING_KINDS];

/** The run's record and adapter for an ONNX export; coded errors for runs that have no finished adapter. */
function onnxExportSource(ws: Workspace, run: string, auditHead: { seq: number; hash: string }): ExportedRunInfo {
  const r = runForOnnxExport(ws.read, run);
  if (!r) throw new AppError('not-found', `There is no run ${run} in this workspace.`, { run });
  if (!EXPORTABLE_KINDS.includes(r.kind))
    throw new AppError(
      'export/not-a-training-run',
      `Run ${run} is a ${r.kind} run; only training runs (${EXPORTABLE_KINDS.join(', ')}) have an adapter to export.`,
      { run, kind: r.kind },
    );
  if (r.state !== 'done' || !r.adapter_hash)
    throw new AppError(
      'export/run-not-done',
      `Training run ${run} is ${r.state}${r.state === 'done' ? ' but has no adapter' : ''}; export it once it has finished.`,
      { run, state: r.state },
    );
  const metrics = r.metrics;
  const algorithm = (typeof r.config.algorithm === 'string' ? r.config.algorithm : undefined) ?? r.kind;
  return {
    run,
    algorithm,
    configJson: r.configJson,
    seed: r.seed,
    version: r.version_id,
    initRun: r.init_run,
    adapterHash: r.adapter_hash,
    adapterBytes: ws.blobs.get(r.adapter_hash),
    basePack: r.pack_id,
    basePackDir: r.path,
    auditHead,
    producerVersion: APP_VERSION,
    val: r.kind !== 'transfer' && metrics?.overall ? { n: metrics.overall.n, acc1: metrics.overall.acc1, passAtK: metrics.overall.passAtK } : null,
  };
}
