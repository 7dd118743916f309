// "Run on an engine": the export of a job folder for TRL / verl / EasyR1 (training:export) and, later, the import of
// the folder the engine finished (training:import). One per step view; the calls are audited by the host.
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { checkEngineExport, checkImportFolder, type EngineExport, type EngineImport, type EngineName } from '../format/engine.ts';

export class EngineJobState {
  engine = $state<EngineName>('trl');
  baseModel = $state('');
  folder = $state('');
  importFolder = $state('');
  problem = $state<string | null>(null);
  busy = $state(false);
  exported = $state.raw<EngineExport | null>(null);
  imported = $state.raw<EngineImport | null>(null);
  error = $state.raw<AppErrorShape | null>(null);
  /** Which action the problem or error belongs to, so the page shows it next to that action's field. */
  failedAction = $state<'export' | 'import' | null>(null);
  readonly #client: ApiClient;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  async export(step: 'bridge' | 'sharpen', version: string | null): Promise<void> {
    const checked = checkEngineExport(this.engine, step, version, this.baseModel, this.folder);
    this.problem = checked.ok ? null : checked.error;
    this.failedAction = checked.ok ? null : 'export';
    if (!checked.ok) return;
    this.busy = true;
    this.error = null;
    try {
      const r = await this.#client.call('training:export', checked.request);
      if (r.ok) {
        this.exported = r.value;
        if (!this.importFolder) this.importFolder = r.value.out;
      } else {
        this.error = r.error;
        this.failedAction = 'export';
      }
    } finally {
      this.busy = false;
    }
  }

  /** Imports the finished job folder; true when a run and its pack were recorded. */
  async import(): Promise<boolean> {
    const checked = checkImportFolder(this.importFolder);
    this.problem = checked.ok ? null : checked.error;
    this.failedAction = checked.ok ? null : 'import';
    if (!checked.ok) return false;
    this.busy = true;
    this.error = null;
    try {
      const r = await this.#client.call('training:import', { dir: checked.dir });
      if (r.ok) this.imported = r.value;
      else {
        this.error = r.error;
        this.failedAction = 'import';
      }
      return r.ok;
    } finally {
      this.busy = false;
    }
  }
}
