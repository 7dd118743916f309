// The dataset browser: filters, rows fetched page by page as the virtualised table scrolls, thumbnails fetched only
// for rows in view (and cached), the open item with its full image, and the audited modality override.
import { SvelteMap } from 'svelte/reactivity';
import type { ItemRow } from '../../../../shared/api/datasets.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { LabelSource, Modality, Split } from '../../../../shared/items.ts';
import type { ApiClient } from '../api/client.ts';
import { pagesCovering } from '../format/data.ts';

/** Rows per items:list request. */
export const ITEMS_PAGE_SIZE = 50;
/** Thumbnails kept in memory (small PNG data URLs); the oldest are dropped first. */
export const THUMB_CACHE_SIZE = 2_000;
/** Thumbnail requests in flight at once, so a fast scroll does not queue hundreds. */
const THUMB_CONCURRENCY = 6;

export interface ItemFilters {
  datasetId: string;
  /** A frozen version: its items, and `split` then means the version's split. */
  versionId: string;
  modality: Modality | '';
  task: string;
  split: Split | '';
  modalitySource: LabelSource | '';
}

export const NO_FILTERS: ItemFilters = { datasetId: '', versionId: '', modality: '', task: '', split: '', modalitySource: '' };

export interface OverrideOutcome {
  item: string;
  from: string;
  to: Modality;
  reason: string;
}

export class ItemsState {
  filters = $state<ItemFilters>({ ...NO_FILTERS });
  total = $state(0);
  loaded = $state(false);
  error = $state.raw<AppErrorShape | null>(null);
  /** Rows by page index; a page absent here is not loaded yet. */
  readonly pages = new SvelteMap<number, ItemRow[]>();
  /** Thumbnail data URLs by thumbnail hash. */
  readonly thumbs = new SvelteMap<string, string>();
  /** Tasks seen so far, for the task filter's suggestions. */
  tasks = $state.raw<string[]>([]);
  selected = $state.raw<ItemRow | null>(null);
  fullImage = $state<string | null>(null);
  overriding = $state(false);
  lastOverride = $state.raw<OverrideOutcome | null>(null);
  readonly #client: ApiClient;
  readonly #loading = new Set<number>();
  readonly #thumbQueue: string[] = [];
  readonly #thumbPending = new Set<string>();
  #thumbsInFlight = 0;
  #generation = 0;
  #visible = { start: 0, end: 0 };

  constructor(client: ApiClient) {
    this.#client = client;
  }

  rowAt(index: number): ItemRow | undefined {
    return this.pages.get(Math.floor(index / ITEMS_PAGE_SIZE))?.[index % ITEMS_PAGE_SIZE];
  }

  setFilter<K extends keyof ItemFilters>(key: K, value: ItemFilters[K]): void {
    if (this.filters[key] === value) return;
    this.filters[key] = value;
    void this.reload();
  }

  /** Replaces every filter at once (e.g. "browse this dataset"). */
  setFilters(next: Partial<ItemFilters>): void {
    this.filters = { ...NO_FILTERS, ...next };
    void this.reload();
  }

  clearFilters(): void {
    this.filters = { ...NO_FILTERS };
    void this.reload();
  }

  /** Drops every loaded page and loads the first again (after a filter change, an import or an override). */
  async reload(): Promise<void> {
    this.#generation++;
    this.pages.clear();
    this.#loading.clear();
    await this.#loadPage(0);
  }

  /** The table shows rows [start, end): fetch the pages that cover them and the thumbnails of those rows. */
  show(start: number, end: number): void {
    this.#visible = { start, end };
    for (const p of pagesCovering(start, end, ITEMS_PAGE_SIZE)) if (!this.pages.has(p)) void this.#loadPage(p);
    this.#queueVisibleThumbs();
  }

  async open(row: ItemRow): Promise<void> {
    this.selected = row;
    this.fullImage = null;
    this.lastOverride = null;
    if (!row.imageHash) return;
    const r = await this.#client.call('items:image', { hash: row.imageHash });
    if (this.selected?.id !== row.id) return;
    if (r.ok) this.fullImage = r.value.dataUrl;
    else this.error = r.error;
  }

  close(): void {
    this.selected = null;
    this.fullImage = null;
    this.lastOverride = null;
  }

  async override(modality: Modality, reason: string): Promise<boolean> {
    const item = this.selected;
    if (!item || this.overriding) return false;
    this.overriding = true;
    try {
      const r = await this.#client.call('modality:override', { items: [item.id], modality, reason: reason.trim() || undefined });
      if (!r.ok) {
        this.error = r.error;
        return false;
      }
      this.error = null;
      const updated: ItemRow = { ...item, modality, modalitySource: 'manual', modalityConfidence: 1 };
      this.lastOverride = { item: item.id, from: item.modality, to: modality, reason: reason.trim() };
      if (this.selected?.id === item.id) this.selected = updated;
      for (const [p, rows] of this.pages) {
        const i = rows.findIndex((x) => x.id === item.id);
        if (i >= 0) this.pages.set(p, rows.map((x, j) => (j === i ? updated : x)));
      }
      return true;
    } finally {
      this.overriding = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  async #loadPage(page: number): Promise<void> {
    if (this.#loading.has(page)) return;
    this.#loading.add(page);
    const gen = this.#generation;
    const f = this.filters;
    const r = await this.#client.call('items:list', {
      datasetId: f.datasetId || undefined,
      versionId: f.versionId || undefined,
      modality: f.modality || undefined,
      task: f.task.trim() || undefined,
      split: f.split || undefined,
      modalitySource: f.modalitySource || undefined,
      offset: page * ITEMS_PAGE_SIZE,
      limit: ITEMS_PAGE_SIZE,
    });
    if (gen !== this.#generation) return;
    this.#loading.delete(page);
    if (!r.ok) {
      this.error = r.error;
      this.loaded = true;
      return;
    }
    this.total = r.value.total;
    this.pages.set(page, r.value.items);
    const seen = new Set(this.tasks);
    const fresh = r.value.items.map((i) => i.task).filter((t) => !seen.has(t) && (seen.add(t), true));
    if (fresh.length > 0) this.tasks = [...this.tasks, ...fresh].sort();
    this.loaded = true;
    this.#queueVisibleThumbs();
  }

  #queueVisibleThumbs(): void {
    const { start, end } = this.#visible;
    // Newest view first: drop queued thumbnails that scrolled out of view before they were fetched.
    this.#thumbQueue.length = 0;
    for (let i = start; i < end; i++) {
      const h = this.rowAt(i)?.thumbHash;
      if (h && !this.thumbs.has(h) && !this.#thumbPending.has(h)) this.#thumbQueue.push(h);
    }
    this.#pumpThumbs();
  }

  #pumpThumbs(): void {
    while (this.#thumbsInFlight < THUMB_CONCURRENCY && this.#thumbQueue.length > 0) {
      const hash = this.#thumbQueue.shift() as string;
      if (this.thumbs.has(hash) || this.#thumbPending.has(hash)) continue;
      this.#thumbPending.add(hash);
      this.#thumbsInFlight++;
      void this.#client.call('items:image', { hash }).then((r) => {
        this.#thumbsInFlight--;
        this.#thumbPending.delete(hash);
        if (r.ok) {
          this.thumbs.set(hash, r.value.dataUrl);
          while (this.thumbs.size > THUMB_CACHE_SIZE) {
            const oldest = this.thumbs.keys().next().value;
            if (oldest === undefined) break;
            this.thumbs.delete(oldest);
          }
        }
        this.#pumpThumbs();
      });
    }
  }
}
