// What the header shows: the open workspace, its schema version, integrity and audit head.
import type { WorkspaceStatus } from '../../../../shared/api/workspace.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { coalesce } from '../format/coalesce.ts';

export class WorkspaceState {
  status = $state.raw<WorkspaceStatus | null>(null);
  error = $state.raw<AppErrorShape | null>(null);
  loaded = $state(false);
  readonly #client: ApiClient;
  /** Reloads triggered while one is in flight fold into one more. */
  readonly refresh: () => Promise<void>;

  constructor(client: ApiClient) {
    this.#client = client;
    this.refresh = coalesce(() => this.#load());
  }

  async #load(): Promise<void> {
    const r = await this.#client.call('workspace:status', {});
    if (r.ok) {
      this.status = r.value;
      this.error = null;
    } else {
      this.error = r.error;
    }
    this.loaded = true;
  }
}
