// The study's choices kept in localStorage per workspace, so a reload reopens the same study. Only a shortcut: the
// runs and study records themselves are in the workspace.
import type { RunSplit } from '../../../../../shared/api/runs.ts';
import { EMPTY_STUDY_RUNS, type StudyRuns } from '../../format/study.ts';

export const STORAGE_KEY = 'medbridge.study.v1';

export interface StoredStudy {
  model: string | null;
  version: string | null;
  /** The split picked on Diagnose (older stores have none: the study diagnosis's split is taken). */
  split: RunSplit | null;
  runs: StudyRuns;
  study: string | null;
  /** The vision-only pack probed beside the VLM (null = none) and its probe run. Not a study role: it is a reference. */
  visionModel: string | null;
  visionProbe: string | null;
}

export function readStoredStudy(scope: string): StoredStudy | null {
  try {
    const raw = globalThis.localStorage?.getItem(`${STORAGE_KEY}:${scope}`);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<StoredStudy>;
    return {
      model: v.model ?? null,
      version: v.version ?? null,
      split: v.split ?? null,
      runs: { ...EMPTY_STUDY_RUNS, ...(v.runs ?? {}) },
      study: v.study ?? null,
      visionModel: v.visionModel ?? null,
      visionProbe: v.visionProbe ?? null,
    };
  } catch {
    return null;
  }
}

export function writeStoredStudy(scope: string, study: StoredStudy): void {
  try {
    globalThis.localStorage?.setItem(`${STORAGE_KEY}:${scope}`, JSON.stringify(study));
  } catch {
    // Private mode or a full quota: the study is still in the workspace; only the reopen shortcut is lost.
  }
}
