// Registering a model pack (models:register, models:register-reference) or converting a Hugging Face folder into one
// (models:convert): the folder is checked first (paths:inspect), the job is followed through its pushed updates, and
// the new pack is chosen in the picker it was registered from.
import type { Job } from '../../../../../shared/api/jobs.ts';
import type { Result } from '../../../../../shared/errors.ts';
import { pathProblem } from '../../../../../shared/path-fit.ts';
import type { ApiClient } from '../../api/client.ts';
import { currentCopy, isActive } from '../../format/jobs.ts';
import type { StudyActivityState } from './activity.svelte.ts';
import type { ModelCatalogState } from './model-catalog.svelte.ts';
import type { StudySelectionState } from './selection.svelte.ts';

/** Which picker a pack registration was started from: the diagnosis model or the vision-only pack probed beside it. */
export type RegistrationTarget = 'diagnosis' | 'vision';

export interface RegistrationDeps {
  activity: StudyActivityState;
  catalog: ModelCatalogState;
  selection: StudySelectionState;
  /** A job this state started (the jobs list shows it at once). */
  onJob: (job: Job) => void;
  /** The selection changed: store it. */
  persist: () => void;
}

/** Job kinds that end with a registered pack. */
export function isRegistrationKind(kind: string): boolean {
  return kind === 'register-model' || kind === 'convert-model';
}

export class RegistrationState {
  registering = $state(false);
  /** The register-model job being followed (its progress message is shown under the picker). */
  registration = $state.raw<Job | null>(null);
  target = $state<RegistrationTarget>('diagnosis');
  /** Why the pack folder typed into one picker was refused before any job started (shown at that field). */
  packPathError = $state.raw<{ target: RegistrationTarget; message: string } | null>(null);
  readonly #client: ApiClient;
  readonly #deps: RegistrationDeps;
  /** register-model jobs pushed while a models:register call is in flight: the job's end can overtake the call's answer. */
  readonly #pushedDuringStart = new Map<string, Job>();

  constructor(client: ApiClient, deps: RegistrationDeps) {
    this.#client = client;
    this.#deps = deps;
  }

  /**
   * Starts the register-model job (files hashed in a worker, progress pushed as job updates); false if refused.
   * Registers a pack folder, or with no path the reference pack shipped with MedBridge (the host knows where it is).
   */
  async registerModel(path?: string, target: RegistrationTarget = 'diagnosis'): Promise<boolean> {
    this.packPathError = null;
    if (path !== undefined && !(await this.#checkPackPath(path, target))) return false;
    return this.#start(target, () =>
      path === undefined ? this.#client.call('models:register-reference', {}) : this.#client.call('models:register', { path }),
    );
  }

  /** Starts a convert-model job (HF folder → pack, then registered; followed like a registration); false if refused. */
  async convertModel(source: string, out: string): Promise<boolean> {
    return this.#start('diagnosis', () => this.#client.call('models:convert', { source, out, dtype: 'fp32' }));
  }

  /** A register-model or convert-model job moved: follow ours; any that finished adds a pack to the list. */
  onJob(job: Job): void {
    const ours = job.id === this.registration?.id;
    if (ours) this.registration = job;
    else if (this.registering) this.#pushedDuringStart.set(job.id, job);
    if (!isActive(job) && (ours || job.state === 'done')) void this.#ended(job);
  }

  /** The host looks at the folder first (paths:inspect): a missing path or a folder of images is refused at the field. */
  async #checkPackPath(path: string, target: RegistrationTarget): Promise<boolean> {
    const r = await this.#client.call('paths:inspect', { path });
    const message = r.ok ? pathProblem(r.value, 'model-pack')?.message : r.error.message;
    if (message === undefined) return true;
    this.packPathError = { target, message };
    return false;
  }

  async #start(target: RegistrationTarget, start: () => Promise<Result<Job>>): Promise<boolean> {
    if (this.registering) return false;
    this.registering = true;
    this.target = target;
    const r = await start();
    const pushed = r.ok ? this.#pushedDuringStart.get(r.value.id) : undefined;
    this.#pushedDuringStart.clear();
    if (!r.ok) {
      this.registering = false;
      this.#deps.activity.error = r.error;
      return false;
    }
    this.#deps.activity.error = null;
    // The job's `done` may have been pushed before this answer (then it was not yet known as ours): use the newer copy.
    const job = currentCopy(r.value, pushed);
    this.registration = job;
    this.#deps.onJob(job);
    if (!isActive(job)) await this.#ended(job);
    return true;
  }

  async #ended(job: Job): Promise<void> {
    const { activity, catalog, selection, persist } = this.#deps;
    const ours = job.id === this.registration?.id;
    if (ours) this.registering = false;
    if (job.state === 'done') {
      await catalog.refresh();
      const packId = typeof job.result?.packId === 'string' ? job.result.packId : null;
      const pack = packId ? catalog.models.find((m) => m.id === packId) : undefined;
      // A vision-only pack can only be probed: it goes to the vision picker (when registered from there), never to the
      // diagnosis model.
      if (pack && pack.kind === 'vision') {
        if (ours && this.target === 'vision') selection.visionModel = pack.id;
      } else if (pack && (ours || !selection.model)) {
        selection.model = pack.id;
      }
      selection.pickDefaults();
      persist();
    } else if (ours && job.state === 'failed' && job.error) {
      activity.error = job.error;
    }
  }
}
