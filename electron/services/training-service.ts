// Training: start `train` and `transfer` jobs (the model resolved to a registered pack, the init run checked), and
// read a run's events (the curves the UI draws and the CLI prints).
import type { Job } from '../../shared/api/jobs.ts';
import { TrainParams, TransferParams, type ItemSubset, type RunEvent, type TrainAlgorithm, type TrainConfigInput } from '../../shared/api/training.ts';
import { AppError } from '../../shared/errors.ts';
import { exportJob, type ExportRequest, type ExportResult } from '../export/export-job.ts';
import { readEngineOutput, recordImportedRun, type ImportedRun } from '../export/import-run.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ModelsService } from './models-service.ts';

export interface TrainStartInput {
  model: string;
  version: string;
  algorithm: TrainAlgorithm;
  init?: string | undefined;
  config?: TrainConfigInput | undefined;
  seed: number;
}

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
    const params = TrainParams.parse({ pack, version: input.version, algorithm: input.algorithm, init: input.init ?? null, config: input.config ?? {}, seed: input.seed });
    return this.launch('train', params, pack, actor);
  }

  async transfer(input: TrainStartInput & { train: ItemSubset; evalSplit: 'train' | 'val' | 'test' | 'all' }, actor: string): Promise<{ run: string; pack: string; job: Job }> {
    const pack = await this.models.resolve(input.model, actor);
    if (!input.train.tasks?.length && !input.train.modalities?.length) {
      throw new AppError('request/invalid-input', 'A transfer run trains on one task or modality: give train.tasks or train.modalities.', {});
    }
    const params = TransferParams.parse({ pack, version: input.version, algorithm: input.algorithm, init: input.init ?? null, config: input.config ?? {}, seed: input.seed, train: input.train, evalSplit: input.evalSplit });
    return this.launch('transfer', params, pack, actor);
  }

  private launch(kind: 'train' | 'transfer', params: TrainParams | TransferParams, pack: string, actor: string): { run: string; pack: string; job: Job } {
    const job = this.jobs.start(kind, params, actor);
    const row = this.ws.db.prepare('SELECT id FROM runs WHERE job_id = ?').get(job.id) as { id: string };
    return { run: row.id, pack, job };
  }

  /** Writes an engine-ready folder (audited: what left the workspace, where to). */
  exportJob(req: ExportRequest, actor: string): ExportResult {
    return this.ws.change((r: ExportResult) => ({ actor, action: 'training:export', subject: r.run ?? r.version, payload: { engine: r.engine, out: r.out, version: r.version, run: r.run, train: r.train, val: r.val, images: r.images } }), () => exportJob(this.ws, this.ws.blobs, req));
  }

  /** Registers the engine's checkpoint folder as a model pack and records the run with its metrics. */
  async importRun(dir: string, actor: string): Promise<ImportedRun & { packKind: string }> {
    const out = readEngineOutput(dir);
    const pack = await this.models.add(out.checkpoint, actor);
    return { ...recordImportedRun(this.ws, actor, dir, pack.id, out), packKind: pack.kind };
  }

  events(input: { id: string; kind?: string | undefined; afterSeq: number }): RunEvent[] {
    if (!this.ws.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(input.id)) throw new AppError('not-found', `There is no run ${input.id} in this workspace.`, { id: input.id });
    const rows = this.ws.db.prepare('SELECT seq, kind, step, payload, created_at FROM run_events WHERE run_id = ? AND seq > ? AND (? IS NULL OR kind = ?) ORDER BY seq')
      .all(input.id, input.afterSeq, input.kind ?? null, input.kind ?? null) as Array<{ seq: number; kind: string; step: number | null; payload: string; created_at: string }>;
    return rows.map((r) => ({ seq: r.seq, kind: r.kind, step: r.step, payload: JSON.parse(r.payload) as unknown, createdAt: r.created_at }));
  }
}
