// What every study action shares: the one error the study header shows, and which run is being started (only one
// start at a time, so a diagnosis and a training never start together).
import type { AppErrorShape } from '../../../../../shared/errors.ts';
import type { StudyRuns } from '../../format/study.ts';

export type StudyRole = keyof StudyRuns;

export class StudyActivityState {
  /** The last study action that failed (null once one succeeds or the user dismisses it). */
  error = $state.raw<AppErrorShape | null>(null);
  /** The role whose run is being started, or null. */
  starting = $state<StudyRole | null>(null);

  dismissError(): void {
    this.error = null;
  }
}
