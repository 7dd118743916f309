// The workspace's runs, newest first (runs:list, the 200 newest): what the study is reconstructed from and what the
// run histories and the diagnosis picker search.
import type { RunSummary } from '../../../../../shared/api/runs.ts';
import type { ApiClient } from '../../api/client.ts';
import { coalesce } from '../../format/coalesce.ts';
import type { StudyActivityState } from './activity.svelte.ts';

export class RunListState {
  runs = $state.raw<RunSummary[]>([]);
  loaded = $state(false);
  /** Reloads the list; calls made while one is in flight fold into one more. */
  readonly refresh: () => Promise<void>;
  readonly #client: ApiClient;
  readonly #activity: StudyActivityState;

  constructor(client: ApiClient, activity: StudyActivityState) {
    this.#client = client;
    this.#activity = activity;
    this.refresh = coalesce(() => this.#load());
  }

  async #load(): Promise<void> {
    const r = await this.#client.call('runs:list', { limit: 200 });
    if (r.ok) this.runs = r.value;
    else this.#activity.error = r.error;
    this.loaded = true;
  }
}
