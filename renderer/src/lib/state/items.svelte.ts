// The dataset browser: filters and text search applied on the host over the whole dataset (with the choices of each
// filter and their counts from items:facets), rows fetched page by page as the virtualised table scrolls or the
// gallery pages, thumbnails fetched only for rows in view (and cached), the open item with its full image, the
// full-resolution viewer's zoom, and the audited modality override.
import { SvelteMap } from 'svelte/reactivity';
import type { ItemFacets, ItemRow, ItemSelection } from '../../../../shared/api/datasets.ts';
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
/** Quiet time after the last keystroke before a text search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;
/** The viewer's zoom steps (1 = one image pixel per screen pixel); "fit" is computed from the frame. */
export const ZOOM_STEPS = [0.25, 0.5, 1, 2, 3, 4, 6, 8, 12, 16] as const;

export type BrowserView = 'list' | 'gallery';

export interface ItemFilters {
  datasetId: string;
  /** A frozen version: its items, and `split` then means the version's split. */
  versionId: string;
  modality: Modality | '';
  task: string;
  /** The class: an item's correct answer text. */
  answer: string;
  split: Split | '';
  modalitySource: LabelSource | '';
  /** Words searched in question, answer, source key and task (on the host). */
  search: string;
}

export const NO_FILTERS: ItemFilters = { datasetId: '', versionId: '', modality: '', task: '', answer: '', split: '', modalitySource: '', search: '' };

/** The filters as the contract's selection: empty means "any" and is left out. */
export function selectionOf(f: ItemFilters): ItemSelection {
  const search = f.search.trim();
  return {
    datasetId: f.datasetId || undefined,
    versionId: f.versionId || undefined,
    modality: f.modality || undefined,
    task: f.task || undefined,
    answer: f.answer || undefined,
    split: f.split || undefined,
    modalitySource: f.modalitySource || undefined,
    search: search || undefined,
  };
}

/** The next zoom step in a direction from the current zoom (which may be a "fit" value between steps). */
export function nextZoom(current: number, direction: 1 | -1): number {
  const [smallest, largest] = [ZOOM_STEPS[0], ZOOM_STEPS[ZOOM_STEPS.length - 1] as number];
  if (direction > 0) return ZOOM_STEPS.find((z) => z > current + 1e-9) ?? largest;
  return [...ZOOM_STEPS].reverse().find((z) => z < current - 1e-9) ?? smallest;
}

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
  /** Every choice of each filter over the whole selection, with counts (items:facets). */
  facets = $state.raw<ItemFacets | null>(null);
  view = $state<BrowserView>('list');
  /** The gallery's page (of ITEMS_PAGE_SIZE items). */
  galleryPage = $state(0);
  /** The full-resolution viewer is open on the selected item. */
  viewing = $state(false);
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
  #facetGeneration = 0;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
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
    // A class belongs to a task: a task change drops a class chosen for another one.
    if (key === 'task' || key === 'datasetId' || key === 'versionId') this.filters.answer = '';
    void this.reload();
  }

  /** The search box: sent once typing pauses (Enter sends at once, through flushSearch). */
  setSearch(text: string): void {
    this.filters.search = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.reload(), SEARCH_DEBOUNCE_MS);
  }

  flushSearch(): void {
    clearTimeout(this.#searchTimer);
    void this.reload();
  }

  setView(view: BrowserView): void {
    this.view = view;
    if (view === 'gallery') this.showGalleryPage(Math.floor(this.#visible.start / ITEMS_PAGE_SIZE));
  }

  showGalleryPage(page: number): void {
    const last = Math.max(0, Math.ceil(this.total / ITEMS_PAGE_SIZE) - 1);
    this.galleryPage = Math.max(0, Math.min(last, page));
    this.show(this.galleryPage * ITEMS_PAGE_SIZE, Math.min(this.total, (this.galleryPage + 1) * ITEMS_PAGE_SIZE));
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
    clearTimeout(this.#searchTimer);
    this.#generation++;
    this.pages.clear();
    this.#loading.clear();
    this.galleryPage = 0;
    await Promise.all([this.#loadPage(0), this.#loadFacets()]);
    if (this.view === 'gallery') this.showGalleryPage(0);
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

  /** Opens the full-resolution viewer on an item (opening it first if it is not the selected one). */
  async openViewer(row: ItemRow): Promise<void> {
    if (this.selected?.id !== row.id) await this.open(row);
    this.viewing = true;
  }

  closeViewer(): void {
    this.viewing = false;
  }

  close(): void {
    this.viewing = false;
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
        if (i >= 0)
          this.pages.set(
            p,
            rows.map((x, j) => (j === i ? updated : x)),
          );
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
    const r = await this.#client.call('items:list', { ...selectionOf(this.filters), offset: page * ITEMS_PAGE_SIZE, limit: ITEMS_PAGE_SIZE });
    if (gen !== this.#generation) return;
    this.#loading.delete(page);
    if (!r.ok) {
      this.error = r.error;
      this.loaded = true;
      return;
    }
    this.total = r.value.total;
    this.pages.set(page, r.value.items);
    this.loaded = true;
    this.#queueVisibleThumbs();
  }

  async #loadFacets(): Promise<void> {
    const gen = ++this.#facetGeneration;
    const r = await this.#client.call('items:facets', selectionOf(this.filters));
    if (gen !== this.#facetGeneration) return;
    if (r.ok) this.facets = r.value;
    else this.error = r.error;
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
