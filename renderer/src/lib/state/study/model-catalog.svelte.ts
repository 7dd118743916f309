// The model packs registered in this workspace (models:list), split into the packs that can answer questions and the
// vision-only ones.
import type { ModelPackSummary } from '../../../../../shared/api/models.ts';
import type { ApiClient } from '../../api/client.ts';
import { answeringPacks, visionPacks } from '../../format/vision.ts';
import type { StudyActivityState } from './activity.svelte.ts';

export class ModelCatalogState {
  models = $state.raw<ModelPackSummary[]>([]);
  loaded = $state(false);
  readonly #client: ApiClient;
  readonly #activity: StudyActivityState;

  constructor(client: ApiClient, activity: StudyActivityState) {
    this.#client = client;
    this.#activity = activity;
  }

  /** Packs that can answer questions (reference, vlm): the only ones a diagnosis can use. */
  get answerModels(): ModelPackSummary[] {
    return answeringPacks(this.models);
  }

  /** Vision-only packs (kind `vision`): probed beside the VLM, never diagnosed. */
  get visionModels(): ModelPackSummary[] {
    return visionPacks(this.models);
  }

  async refresh(): Promise<void> {
    const r = await this.#client.call('models:list', {});
    if (r.ok) this.models = r.value;
    else this.#activity.error = r.error;
    this.loaded = true;
  }
}
