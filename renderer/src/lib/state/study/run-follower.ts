// Follows the study's runs as their jobs move: a pushed job update reloads its run's events, and a run that ends is
// reloaded, the run list refreshed, the recommendation made when its inputs are ready, and the before → after
// comparisons fetched.
import type { Job } from '../../../../../shared/api/jobs.ts';
import { isActive } from '../../format/jobs.ts';
import type { RecommendationState } from './recommendation.svelte.ts';
import type { RunListState } from './run-list.svelte.ts';
import { isTrainingKind, type StudyRunsState } from './study-runs.svelte.ts';

export class RunFollower {
  readonly #runs: StudyRunsState;
  readonly #runList: RunListState;
  readonly #recommendation: RecommendationState;

  constructor(runs: StudyRunsState, runList: RunListState, recommendation: RecommendationState) {
    this.#runs = runs;
    this.#runList = runList;
    this.#recommendation = recommendation;
  }

  /** A pushed update of a run job (not a registration): follow the runs we started (or restored). */
  onJob(job: Job): void {
    const run = this.#runs.runOfJob(job);
    if (!run) return;
    if (isTrainingKind(this.#runs.details[run]?.kind)) void this.#runs.loadEvents(run);
    if (!isActive(job)) {
      this.#runs.unfollow(job.id);
      void this.finished(run);
    }
  }

  /** A run ended (or was found done right after it started). */
  async finished(run: string): Promise<void> {
    const runs = this.#runs;
    const rec = this.#recommendation;
    await runs.loadRun(run);
    void this.#runList.refresh();
    const role = runs.roleOf(run);
    // The recommendation waits for the probe (its perception check reads the probe's accuracies); a failed or
    // cancelled probe does not block it.
    const probe = runs.detail('probe');
    const probeSettled = probe !== undefined && probe.state !== 'running';
    // A probe finished after the recommendation was made (re-run with a new reference): the recommendation is made again
    // so its perception check reads that probe.
    const stale = role === 'probe' && runs.done('probe') && rec.current !== null && rec.current.probeRun !== run;
    if ((role === 'diagnosis' || role === 'probe') && runs.done('diagnosis') && probeSettled && (!rec.current || stale)) {
      await rec.recommend();
    }
    // A trained model's diagnosis gets its own recommendation with the same K and thresholds: it says whether to
    // sharpen next (or stop).
    if ((role === 'sftDiagnosis' || role === 'grpoDiagnosis') && runs.done(role) && !runs.detail(role)?.recommendation) await rec.recommend(run);
    await runs.loadFollowUps();
  }

  /** Fast jobs can finish before their events reach us: a run already done when it was loaded is finished now. */
  finishIfDone(run: string | null): void {
    if (run && this.#runs.details[run]?.state === 'done') void this.finished(run);
  }
}
