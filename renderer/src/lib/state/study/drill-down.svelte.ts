// The drill-down of the open diagnosis: a page of its items (runs:items), optionally only the right or the wrong ones,
// and one item opened with its image (items:image).
import type { RunItem } from '../../../../../shared/api/runs.ts';
import type { ApiClient } from '../../api/client.ts';
import type { StudyActivityState } from './activity.svelte.ts';

/** Items per page of the drill-down list. */
export const DRILL_PAGE = 12;

export interface DrillPage {
  run: string;
  total: number;
  offset: number;
  /** true = only items answered right, false = only wrong ones, undefined = all. */
  right: boolean | undefined;
  items: RunItem[];
}

export class DrillDownState {
  page = $state.raw<DrillPage | null>(null);
  open = $state.raw<RunItem | null>(null);
  image = $state<string | null>(null);
  readonly #client: ApiClient;
  readonly #activity: StudyActivityState;

  constructor(client: ApiClient, activity: StudyActivityState) {
    this.#client = client;
    this.#activity = activity;
  }

  /** A page of the run's items; the filter stays as it was for the same run unless one is given. */
  async loadItems(run: string, offset = 0, right: boolean | undefined = this.page?.run === run ? this.page.right : undefined): Promise<void> {
    const r = await this.#client.call('runs:items', { id: run, offset, limit: DRILL_PAGE, ...(right === undefined ? {} : { right }) });
    if (!r.ok) {
      this.#activity.error = r.error;
      return;
    }
    this.page = { run, total: r.value.total, offset, right, items: r.value.items };
  }

  async openItem(item: RunItem): Promise<void> {
    this.open = item;
    this.image = null;
    if (!item.imageHash) return;
    const r = await this.#client.call('items:image', { hash: item.imageHash });
    if (r.ok && this.open?.item === item.item) this.image = r.value.dataUrl;
  }

  closeItem(): void {
    this.open = null;
    this.image = null;
  }

  /** A new study: nothing of the previous diagnosis stays open. */
  reset(): void {
    this.page = null;
    this.open = null;
  }
}
