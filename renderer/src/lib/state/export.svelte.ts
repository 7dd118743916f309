// Exporting one finished training run as a runnable ONNX pack (training:export-onnx): the folder field, the call, its
// result or its coded error. One per run card; nothing is kept after the view closes (the export is in the audit log).
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { checkExportFolder, type OnnxExport } from '../format/export.ts';

export class ExportPackState {
  folder = $state('');
  /** Why the typed folder cannot be used (checked before any call). */
  folderError = $state<string | null>(null);
  busy = $state(false);
  result = $state.raw<OnnxExport | null>(null);
  error = $state.raw<AppErrorShape | null>(null);
  readonly #client: ApiClient;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  async export(run: string): Promise<void> {
    const checked = checkExportFolder(this.folder);
    if (!checked.ok) {
      this.folderError = checked.error;
      return;
    }
    this.folderError = null;
    this.busy = true;
    this.error = null;
    this.result = null;
    try {
      const r = await this.#client.call('training:export-onnx', { run, out: checked.out });
      if (r.ok) this.result = r.value;
      else this.error = r.error;
    } finally {
      this.busy = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}
