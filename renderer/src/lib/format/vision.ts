// Pure helpers for the vision-only pack probed beside the VLM in the Diagnose step: which packs can answer questions
// (and so can be diagnosed) and which are vision-only encoders, the rows of the "Linear probe vs VLM per task" chart,
// and the single reference accuracy the perception check takes. No DOM, no state; unit-tested in
// tests/unit/renderer/vision-format.test.ts.
import type { ModelPackKind, ModelPackSummary } from '../../../../shared/api/models.ts';
import type { ProbeReport } from '../../../../shared/api/runs.ts';
import type { MetricsReport } from '../../../../shared/metrics/report-schema.ts';

/** Pack kinds with an answer head: they can be diagnosed and trained. A `vision` pack only gives image features. */
export const ANSWERING_KINDS: readonly ModelPackKind[] = ['reference', 'vlm'];

export function canAnswer(pack: Pick<ModelPackSummary, 'kind'>): boolean {
  return ANSWERING_KINDS.includes(pack.kind);
}

/** The packs the diagnosis model picker lists (registration order kept). */
export function answeringPacks<T extends Pick<ModelPackSummary, 'kind'>>(packs: readonly T[]): T[] {
  return packs.filter(canAnswer);
}

/** The vision-only packs that can be probed beside the VLM. */
export function visionPacks<T extends Pick<ModelPackSummary, 'kind'>>(packs: readonly T[]): T[] {
  return packs.filter((p) => p.kind === 'vision');
}

export type BarTone = 'a' | 'b' | 'c' | 'd' | 'muted';

export interface ProbeBar {
  name: string;
  tone: BarTone;
  value: number | null;
  lo?: number | undefined;
  hi?: number | undefined;
}

export interface ProbeRow {
  key: string;
  label: string;
  bars: ProbeBar[];
}

/** The series name of the vision-only pack's bars. */
export function visionSeriesName(packName: string): string {
  return `Vision-only probe: ${packName} (test)`;
}

/**
 * One row per task (sorted) of "Linear probe vs VLM per task": the VLM's own probe, its Acc@1 and Pass@K on the
 * diagnosed split and, when a vision-only pack was probed, that pack's probe — each with its interval.
 */
export function probeVsVlmRows(
  report: Pick<MetricsReport, 'byTask'>,
  probe: Pick<ProbeReport, 'byTask'> | null,
  vision: { name: string; report: Pick<ProbeReport, 'byTask'> | null } | null,
  split: string,
  k: number,
): ProbeRow[] {
  const tasks = new Set([...Object.keys(report.byTask), ...Object.keys(probe?.byTask ?? {}), ...Object.keys(vision?.report?.byTask ?? {})]);
  return [...tasks].sort().map((t) => {
    const p = probe?.byTask[t];
    const v = report.byTask[t];
    const bars: ProbeBar[] = [
      { name: 'Linear probe (test)', tone: 'c', value: p?.accuracy ?? null, lo: p?.accuracyCi?.[0], hi: p?.accuracyCi?.[1] },
      { name: `VLM Acc@1 (${split})`, tone: 'a', value: v?.acc1 ?? null, lo: v?.acc1Ci[0], hi: v?.acc1Ci[1] },
      { name: `VLM Pass@${k}`, tone: 'b', value: v?.passAtK[String(k)] ?? null, lo: v?.passAtKCi[String(k)]?.[0], hi: v?.passAtKCi[String(k)]?.[1] },
    ];
    if (vision) {
      const x = vision.report?.byTask[t];
      bars.push({ name: visionSeriesName(vision.name), tone: 'd', value: x?.accuracy ?? null, lo: x?.accuracyCi?.[0], hi: x?.accuracyCi?.[1] });
    }
    return { key: t, label: t, bars };
  });
}

export interface PooledProbe {
  /** Test accuracy over all tasks, each task weighted by its number of test items. */
  accuracy: number;
  /** Test items pooled. */
  n: number;
  tasks: number;
}

/**
 * The vision pack's overall test accuracy: every task's test accuracy weighted by its test count (the same pooling
 * the recipe uses for its overall perception check). null when no task has a test accuracy.
 */
export function pooledProbeAccuracy(report: Pick<ProbeReport, 'byTask'> | null | undefined): PooledProbe | null {
  if (!report) return null;
  let n = 0;
  let correct = 0;
  let tasks = 0;
  for (const t of Object.values(report.byTask)) {
    if (t.accuracy === null || !Number.isFinite(t.accuracy) || t.counts.test <= 0) continue;
    n += t.counts.test;
    correct += t.accuracy * t.counts.test;
    tasks += 1;
  }
  return n > 0 ? { accuracy: correct / n, n, tasks } : null;
}

/** The reference accuracy entered from a pooled probe: three decimals (0.7606… → 0.761), within [0, 1]. */
export function referenceFromProbe(pooled: PooledProbe): number {
  return Math.min(1, Math.max(0, Math.round(pooled.accuracy * 1000) / 1000));
}
