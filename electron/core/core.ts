// The composition root: one opened workspace, its services, the job runner and the event stream.
// Every door (Electron IPC, headless HTTP, CLI) holds one Core and calls `dispatch`.
import type { AppEvent } from '../../shared/events.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { createHandlers } from './handlers.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import type { WorkerLauncher } from '../jobs/worker-launcher.ts';
import { WorkspaceService, type HostMode } from '../services/workspace-service.ts';
import { DatasetsService } from '../services/datasets-service.ts';
import { VersionsService } from '../services/versions-service.ts';
import { ModelsService } from '../services/models-service.ts';
import { RunsService } from '../services/runs-service.ts';
import { TrainingService } from '../services/training-service.ts';
import { StudiesService } from '../services/studies-service.ts';
import { ReportsService } from '../services/reports-service.ts';
import { ChromiumPdfPrinter, type PdfPrinter } from '../reports/pdf-printer.ts';
import { Workspace } from '../storage/workspace.ts';
import { Installation } from '../audit/installation.ts';
import type { KeyStore } from '../audit/key-store.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's shipped model packs (headless mode and tests); a packaged app passes its own folder. */
const CHECKOUT_MODELS_DIR = fileURLToPath(new URL('../../resources/models', import.meta.url));

/** The shipped reference pack's folder (absolute) within a folder of shipped model packs. */
export function referencePackIn(modelsDir: string = CHECKOUT_MODELS_DIR): string {
  return join(modelsDir, 'reference-v1');
}

export interface CoreOptions {
  workspaceDir: string;
  mode: HostMode;
  actor: string;
  launcher: WorkerLauncher;
  /** Create the workspace instead of opening it. */
  init?: boolean;
  /** Prints report PDFs; the Electron shell passes one built on webContents.printToPDF (default: headless Chromium). */
  pdfPrinter?: () => PdfPrinter;
  /** Keeps the audit signing key; the Electron shell passes one protected by safeStorage (default: the headless key file). */
  keyStore?: KeyStore;
  /** Folder of the shipped model packs (default: the checkout's resources/models; the shell passes the packaged one). */
  bundledModelsDir?: string;
}

export class Core {
  readonly ws: Workspace;
  readonly jobs: JobRunner;
  readonly workspaceService: WorkspaceService;
  readonly datasets: DatasetsService;
  readonly versions: VersionsService;
  readonly models: ModelsService;
  readonly runs: RunsService;
  readonly training: TrainingService;
  readonly studies: StudiesService;
  readonly reports: ReportsService;
  readonly dispatch: Dispatch;
  /** The shipped reference pack's folder (absolute). */
  readonly referencePackDir: string;
  private readonly eventListeners = new Set<(e: AppEvent) => void>();
  private readonly actor: string;

  constructor(options: CoreOptions) {
    this.referencePackDir = referencePackIn(options.bundledModelsDir);
    this.actor = options.actor;
    const installation = Installation.fromEnvironment(options.keyStore);
    this.ws = options.init
      ? Workspace.init(options.workspaceDir, options.actor, installation)
      : Workspace.open(options.workspaceDir, options.actor, installation);
    this.jobs = new JobRunner(this.ws, options.launcher);
    this.workspaceService = new WorkspaceService(this.ws, options.mode);
    this.datasets = new DatasetsService(this.ws, this.jobs);
    this.versions = new VersionsService(this.ws);
    this.models = new ModelsService(this.ws);
    this.runs = new RunsService(this.ws, this.jobs, this.models);
    this.training = new TrainingService(this.ws, this.jobs, this.models);
    this.studies = new StudiesService(this.ws);
    this.reports = new ReportsService(this.ws, options.pdfPrinter ?? (() => new ChromiumPdfPrinter()));
    this.dispatch = createDispatch(createHandlers(this));
    this.jobs.onJobUpdated((job) => this.publish({ type: 'job-updated', job }));
    this.ws.audit.onAppend((e) => this.publish({ type: 'audit-appended', seq: e.seq, action: e.action, subject: e.subject }));
  }

  onEvent(listener: (e: AppEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private publish(e: AppEvent): void {
    for (const l of this.eventListeners) l(e);
  }

  close(): void {
    this.jobs.shutdown(this.actor);
    this.ws.close();
  }
}
