// The stored recommendation of a diagnosis (runs:recommend): the K and thresholds the user may change and re-apply,
// and the recommendations the study's diagnoses hold.
import type { StoredRecommendation } from '../../../../../shared/api/runs.ts';
import type { RecipeThresholds } from '../../../../../shared/recipe/thresholds.ts';
import type { ApiClient } from '../../api/client.ts';
import { DEFAULT_THRESHOLDS } from '../../format/study.ts';
import type { StudyActivityState } from './activity.svelte.ts';
import type { StudyRunsState } from './study-runs.svelte.ts';

export class RecommendationState {
  /** null = automatic: the server judges support at the largest K whose chance level stays below the target. */
  recipeK = $state<number | null>(null);
  thresholds = $state<RecipeThresholds>({ ...DEFAULT_THRESHOLDS });
  recommending = $state(false);
  readonly #client: ApiClient;
  readonly #activity: StudyActivityState;
  readonly #runs: StudyRunsState;
  readonly #onBaseRecipeK: (k: number) => void;

  constructor(client: ApiClient, activity: StudyActivityState, runs: StudyRunsState, onBaseRecipeK: (k: number) => void) {
    this.#client = client;
    this.#activity = activity;
    this.#runs = runs;
    this.#onBaseRecipeK = onBaseRecipeK;
  }

  /** The base diagnosis's stored recommendation (the one whose thresholds the Diagnose step edits). */
  get current(): StoredRecommendation | null {
    return this.#runs.detail('diagnosis')?.recommendation ?? null;
  }

  /** The newest diagnosis's recommendation: after sharpening, else after bridging, else the base. */
  get latest(): { role: 'diagnosis' | 'sftDiagnosis' | 'grpoDiagnosis'; rec: StoredRecommendation } | null {
    for (const role of ['grpoDiagnosis', 'sftDiagnosis', 'diagnosis'] as const) {
      const rec = this.#runs.detail(role)?.recommendation;
      if (rec) return { role, rec };
    }
    return null;
  }

  /** Stores the recommendation again with the K and thresholds shown. */
  async recommend(run: string | null = this.#runs.ids.diagnosis): Promise<void> {
    if (!run || this.recommending) return;
    this.recommending = true;
    try {
      const r = await this.#client.call('runs:recommend', { run, ...(this.recipeK !== null ? { k: this.recipeK } : {}), thresholds: { ...this.thresholds } });
      if (!r.ok) {
        this.#activity.error = r.error;
        return;
      }
      this.#activity.error = null;
      const d = this.#runs.details[run];
      if (d) this.#runs.details = { ...this.#runs.details, [run]: { ...d, recommendation: r.value } };
      if (run === this.#runs.ids.diagnosis) this.#onBaseRecipeK(r.value.recipe.k);
    } finally {
      this.recommending = false;
    }
  }

  resetThresholds(): void {
    this.recipeK = null;
    this.thresholds = { ...DEFAULT_THRESHOLDS };
  }
}
