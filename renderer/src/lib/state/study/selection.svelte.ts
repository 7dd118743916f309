// What the study is about: the model pack, the frozen dataset version, the split the diagnosis runs on, and the
// optional vision-only pack probed beside the model. Every choice the user makes is stored (persist).
import type { RunSplit } from '../../../../../shared/api/runs.ts';
import type { ModelCatalogState } from './model-catalog.svelte.ts';

export class StudySelectionState {
  model = $state<string | null>(null);
  version = $state<string | null>(null);
  split = $state<RunSplit>('val');
  /** Optional vision-only pack (kind `vision`) probed beside the VLM when the diagnosis runs; null = none. */
  visionModel = $state<string | null>(null);
  readonly #catalog: ModelCatalogState;
  readonly #persist: () => void;

  constructor(catalog: ModelCatalogState, persist: () => void) {
    this.#catalog = catalog;
    this.#persist = persist;
  }

  selectModel(id: string): void {
    this.model = id;
    this.#persist();
  }

  selectVersion(id: string): void {
    this.version = id;
    this.#persist();
  }

  selectSplit(split: RunSplit): void {
    this.split = split;
    this.#persist();
  }

  /** The vision-only pack to probe beside the VLM at the next diagnosis; null = none. */
  selectVisionModel(id: string | null): void {
    this.visionModel = id && this.#catalog.visionModels.some((m) => m.id === id) ? id : null;
    this.#persist();
  }

  /** The newest frozen version is chosen until the user picks one. */
  syncVersions(ids: readonly string[]): void {
    if (!this.version || !ids.includes(this.version)) this.version = ids[0] ?? null;
  }

  /** The diagnosis model is always a pack that can answer (a vision pack is never the default); the vision pack is optional. */
  pickDefaults(): void {
    const answer = this.#catalog.answerModels;
    if (!this.model || !answer.some((m) => m.id === this.model)) this.model = answer[0]?.id ?? null;
    if (this.visionModel && !this.#catalog.visionModels.some((m) => m.id === this.visionModel)) this.visionModel = null;
  }
}
