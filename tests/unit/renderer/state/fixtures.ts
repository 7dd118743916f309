// Contract-shaped values for the renderer's state tests (each checked by FakeClient against shared/api when answered).
import type { Job } from '../../../../shared/api/jobs.ts';
import type { ModelPackSummary } from '../../../../shared/api/models.ts';
import type { GeneratedReport, ReportVersion, StudySummary } from '../../../../shared/api/reports.ts';
import type { RunDetail, RunItem, RunSummary, StoredRecommendation } from '../../../../shared/api/runs.ts';
import { compareRuns } from '../../../../shared/metrics/index.ts';
import type { PairedComparison } from '../../../../shared/metrics/report-schema.ts';
import { DEFAULT_RECIPE_THRESHOLDS } from '../../../../shared/recipe/thresholds.ts';

export const PACK = 'a'.repeat(64);
export const VISION_PACK = 'b'.repeat(64);
export const VERSION = 'dv-0123456789abcdef';
const T0 = '2026-01-01T00:00:00.000Z';

export function job(id: string, over: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'diagnose',
    state: 'running',
    params: {},
    progress: { done: 0, total: 10, rate: 0, etaSeconds: null, message: '' },
    attempts: 1,
    checkpoints: 0,
    createdAt: T0,
    updatedAt: T0,
    error: null,
    result: null,
    ...over,
  };
}

export function summary(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    kind: 'diagnose',
    pack: PACK,
    packLabel: 'reference',
    version: VERSION,
    split: 'val',
    adapter: null,
    state: 'done',
    jobId: null,
    seed: 0,
    createdAt: T0,
    finishedAt: null,
    n: 20,
    ...over,
  };
}

export function detail(id: string, over: Partial<RunDetail> = {}): RunDetail {
  return { ...summary(id), config: {}, environment: {}, metrics: null, cache: { hits: 0, misses: 0 }, recommendation: null, ...over };
}

export function recommendation(run: string, k: number, probeRun: string | null = null): StoredRecommendation {
  return { run, probeRun, createdAt: T0, recipe: { k, thresholds: { ...DEFAULT_RECIPE_THRESHOLDS }, overall: null, byModality: {}, byTask: {}, skipped: [] } };
}

export function pack(id: string, kind: ModelPackSummary['kind'] = 'reference'): ModelPackSummary {
  return { id, name: `pack ${id.slice(0, 4)}`, kind, label: kind, path: `/packs/${id.slice(0, 8)}`, architecture: null, files: 3, bytes: 100, addedAt: T0 };
}

export function item(id: string, imageHash: string | null = null): RunItem {
  return {
    item: id,
    split: 'val',
    modality: 'xray',
    task: 'chest',
    question: 'Which finding?',
    options: ['a', 'b'],
    probs: [0.7, 0.3],
    correct: 0,
    predicted: 0,
    imageHash,
  };
}

export function study(id: string, runs: string[] = ['r-diag']): StudySummary {
  return { id, name: `Study ${id}`, intendedUse: 'research', runs, createdAt: T0, createdBy: 'tester', reports: 0 };
}

export function reportVersion(id: string, studyId: string, version = 1, signed = false): ReportVersion {
  return { id, study: studyId, version, dataHash: 'c'.repeat(64), createdAt: T0, signed, comments: [], signatures: [] };
}

export function generated(id: string, studyId: string): GeneratedReport {
  return {
    ...reportVersion(id, studyId),
    newVersion: true,
    out: '/out',
    html: '/out/report.html',
    pdf: '/out/report.pdf',
    manifest: '/out/manifest.json',
    manifestHash: 'd'.repeat(64),
    auditHead: { seq: 1, hash: 'e'.repeat(64) },
    files: [],
  };
}

/** A real paired comparison (B better than A on two of three items), as runs:compare answers. */
export function comparison(): PairedComparison {
  const answer = (item: string, right: boolean) => ({
    item,
    probs: right ? [0.8, 0.2] : [0.3, 0.7],
    correct: 0,
    modality: 'xray',
    task: 'chest',
    split: 'val',
  });
  return compareRuns([answer('i1', false), answer('i2', false), answer('i3', true)], [answer('i1', true), answer('i2', true), answer('i3', true)], {
    ks: [1, 2],
    bootstrapSamples: 50,
    seed: 1,
  });
}

export function trainEvent(seq: number, step: number) {
  return { seq, kind: 'train', step, payload: { loss: 1 / seq }, createdAt: T0 };
}
