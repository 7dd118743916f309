// The balancing wizard: the form, a preview of before/after counts for exactly the spec shown, freezing it into a
// content-hashed dataset version, and the list of versions.
import type { BalancePreview, DatasetSummary, DuplicateReason, RemovedDuplicates, VersionDetail, VersionSummary } from '../../../../shared/api/datasets.ts';
import { SvelteMap } from 'svelte/reactivity';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { coalesce } from '../format/coalesce.ts';
import { buildBalanceSpec, defaultBalanceForm, specKey, type BalanceField, type BalanceFormValues, type FieldErrors } from '../format/data.ts';

/** Removed duplicates per versions:removed request. */
export const DUPLICATES_PAGE = 50;

export class BalanceState {
  form = $state<BalanceFormValues>(defaultBalanceForm());
  errors = $state.raw<FieldErrors<BalanceField>>({});
  previewing = $state(false);
  creating = $state(false);
  error = $state.raw<AppErrorShape | null>(null);
  /** The last preview and the spec it was made for. */
  preview = $state.raw<{ key: string; value: BalancePreview } | null>(null);
  /** The version frozen from this window, with its full detail (counts per modality × split × letter, notes). */
  frozen = $state.raw<{ summary: VersionSummary & { created: boolean }; detail: VersionDetail | null; opened?: boolean } | null>(null);
  /** The duplicates the shown version's balancing removed, per reason, as loaded so far (versions:removed). */
  duplicates = $state.raw<Partial<Record<DuplicateReason, RemovedDuplicates & { versionId: string; loading: boolean }>>>({});
  /** Thumbnails of the listed duplicates and their matches, by thumbnail hash. */
  readonly duplicateThumbs = new SvelteMap<string, string>();
  versions = $state.raw<VersionSummary[]>([]);
  versionsLoaded = $state(false);
  /** The spec the form describes now, or null while it has errors. */
  currentKey = $derived.by(() => {
    const built = buildBalanceSpec(this.form);
    return built.ok ? specKey(built.value) : null;
  });
  /** True when the form changed after the preview shown was made. */
  previewStale = $derived(this.preview !== null && this.preview.key !== this.currentKey);
  readonly refreshVersions: () => Promise<void>;
  readonly #client: ApiClient;
  #datasetsTouched = false;

  constructor(client: ApiClient) {
    this.#client = client;
    this.refreshVersions = coalesce(() => this.#loadVersions());
  }

  /**
   * Until the user picks datasets, the wizard balances every ready one that holds items (an empty import is never
   * ticked for the user); per-modality quotas start at an equal share.
   */
  syncDatasets(ready: readonly DatasetSummary[]): void {
    const ids = ready.map((d) => d.id);
    if (!this.#datasetsTouched) this.form.datasets = ready.filter((d) => d.imported > 0).map((d) => d.id);
    else this.form.datasets = this.form.datasets.filter((id) => ids.includes(id));
  }

  toggleDataset(id: string, on: boolean): void {
    this.#datasetsTouched = true;
    const rest = this.form.datasets.filter((d) => d !== id);
    this.form.datasets = on ? [...rest, id] : rest;
  }

  toggleExcluded(modality: string, on: boolean): void {
    const rest = this.form.excludeModalities.filter((m) => m !== modality);
    this.form.excludeModalities = on ? [...rest, modality] : rest;
  }

  async runPreview(): Promise<void> {
    const built = buildBalanceSpec(this.form);
    this.errors = built.ok ? {} : built.errors;
    if (!built.ok || this.previewing) return;
    this.previewing = true;
    try {
      const r = await this.#client.call('versions:preview', built.value);
      if (r.ok) {
        this.preview = { key: specKey(built.value), value: r.value };
        this.error = null;
      } else {
        this.error = r.error;
      }
    } finally {
      this.previewing = false;
    }
  }

  async freeze(): Promise<void> {
    const built = buildBalanceSpec(this.form);
    this.errors = built.ok ? {} : built.errors;
    if (!built.ok || this.creating) return;
    this.creating = true;
    try {
      const r = await this.#client.call('versions:create', built.value);
      if (!r.ok) {
        this.error = r.error;
        return;
      }
      this.error = null;
      this.frozen = { summary: r.value, detail: null };
      void this.refreshVersions();
      const d = await this.#client.call('versions:show', { id: r.value.id });
      if (d.ok && this.frozen?.summary.id === r.value.id) this.frozen = { summary: r.value, detail: d.value };
      else if (!d.ok) this.error = d.error;
    } finally {
      this.creating = false;
    }
  }

  /** Shows a version frozen earlier (from the list) in the version view, with its full detail. */
  async showVersion(id: string): Promise<void> {
    const d = await this.#client.call('versions:show', { id });
    if (!d.ok) {
      this.error = d.error;
      return;
    }
    this.frozen = { summary: { ...d.value, created: false }, detail: d.value, opened: true };
  }

  /** Loads the next page of a version's removed duplicates (the first page when none is loaded for it yet). */
  async loadDuplicates(versionId: string, reason: DuplicateReason): Promise<void> {
    const had = this.duplicates[reason];
    const shown = had && had.versionId === versionId ? had : null;
    if (shown?.loading) return;
    const offset = shown?.removed.length ?? 0;
    this.duplicates = { ...this.duplicates, [reason]: { ...(shown ?? { reproduced: true, total: 0, removed: [] }), versionId, loading: true } };
    const r = await this.#client.call('versions:removed', { id: versionId, reason, offset, limit: DUPLICATES_PAGE });
    if (!r.ok) {
      this.error = r.error;
      this.duplicates = { ...this.duplicates, [reason]: undefined };
      return;
    }
    this.duplicates = { ...this.duplicates, [reason]: { ...r.value, removed: [...(shown?.removed ?? []), ...r.value.removed], versionId, loading: false } };
    // Thumbnails of both sides, one at a time (a page is at most 2 × DUPLICATES_PAGE small images).
    for (const hash of r.value.removed.flatMap((d) => [d.item.thumbHash, d.matches?.thumbHash ?? null])) {
      if (!hash || this.duplicateThumbs.has(hash)) continue;
      const t = await this.#client.call('items:image', { hash });
      if (t.ok) this.duplicateThumbs.set(hash, t.value.dataUrl);
    }
  }

  dismissError(): void {
    this.error = null;
  }

  async #loadVersions(): Promise<void> {
    const r = await this.#client.call('versions:list', {});
    if (r.ok) this.versions = r.value;
    else this.error = r.error;
    this.versionsLoaded = true;
  }
}
