// Limitations written from the data, not typed: small subgroups (with their n and interval), perception
// bottlenecks and unassessed perception, modalities labelled `none`, large-K Pass@K that chance alone reaches,
// exclusions at import, runs that did not finish, single-seed results, support collapse, reference models.
import type { MetricsReport } from '../../shared/metrics/index.ts';
import { escapeHtml, int, num, pct, type Source } from './cite.ts';
import { datasetFile, runFile, versionFile } from './bundle-layout.ts';
import type { ReportData, RunRecord } from './report-data.ts';
import { sectionNumber } from './checklist.ts';

/** Subgroups with fewer items than this get a small-sample warning (Wilson interval half-width ≳ 0.15 at p = 0.5). */
export const SMALL_SUBGROUP_N = 30;
/** Chance Pass@K at or above this makes Pass@K at that K uninformative for a group. */
export const CHANCE_SATURATION = 0.9;

export interface Limitation {
  kind:
    | 'small-subgroup'
    | 'perception-bottleneck'
    | 'perception-unassessed'
    | 'modality-none'
    | 'chance-saturation'
    | 'exclusions'
    | 'run-unfinished'
    | 'single-seed'
    | 'support-collapse'
    | 'reference-model'
    | 'no-test-split';
  /** Plain text for the JSON bundle. */
  text: string;
  /** The same sentence with every number cited. */
  html: string;
}

const isDiagnosis = (r: RunRecord): boolean => r.metrics !== null && typeof (r.metrics as { overall?: unknown }).overall === 'object';
const label = (r: RunRecord): string => `run ${r.position} (${r.kind}, ${r.id})`;

/** The run configuration without its seed, to find runs that differ only by seed. */
function configKey(r: RunRecord): string {
  const { seed: _seed, ...rest } = r.config;
  return JSON.stringify([r.kind, r.pack, r.version, r.initRun, r.split, rest]);
}

export function findLimitations(data: ReportData): Limitation[] {
  const out: Limitation[] = [];
  const add = (kind: Limitation['kind'], text: string, html: string) => out.push({ kind, text, html });

  for (const r of data.runs) {
    const src: Source = { file: runFile(r.id), root: r };
    if (r.state !== 'done')
      add(
        'run-unfinished',
        `${label(r)} ended ${r.state}; its numbers may be partial or missing.`,
        `${escapeHtml(label(r))} ended <b>${escapeHtml(r.state)}</b>; its numbers may be partial or missing.`,
      );
    if (!isDiagnosis(r)) continue;
    const m = r.metrics as unknown as MetricsReport;
    const small: Array<{ text: string; html: string }> = [];
    for (const dim of ['byModality', 'byTask', 'bySplit'] as const) {
      for (const [g, v] of Object.entries(m[dim])) {
        if (v.n >= SMALL_SUBGROUP_N) continue;
        const p = ['metrics', dim, g];
        small.push({
          text: `${dim.slice(2).toLowerCase()} ${g}: n=${v.n}, Accuracy@1 ${pct(v.acc1)} [${pct(v.acc1Ci[0])}–${pct(v.acc1Ci[1])}]`,
          html: `${escapeHtml(dim.slice(2).toLowerCase())} <b>${escapeHtml(g)}</b>: n=${num(src, [...p, 'n'], int)}, Accuracy@1 ${num(src, [...p, 'acc1'], pct)} [${num(src, [...p, 'acc1Ci', 0], pct)}–${num(src, [...p, 'acc1Ci', 1], pct)}]`,
        });
      }
    }
    if (small.length) {
      add(
        'small-subgroup',
        `${label(r)}: subgroups with fewer than ${SMALL_SUBGROUP_N} items have wide intervals — ${small.map((s) => s.text).join('; ')}.`,
        `${escapeHtml(label(r))}: subgroups with fewer than ${SMALL_SUBGROUP_N} items have wide intervals — ${small.map((s) => s.html).join('; ')}.`,
      );
    }
    const kMax = Math.max(...m.config.ks);
    const saturated = Object.entries(m.byModality).filter(([, v]) => (v.chanceAtK[String(kMax)] ?? 0) >= CHANCE_SATURATION);
    if (saturated.length) {
      add(
        'chance-saturation',
        `${label(r)}: at K=${kMax} chance alone reaches Pass@K ≥ ${CHANCE_SATURATION} for ${saturated.map(([g, v]) => `${g} (chance ${pct(v.chanceAtK[String(kMax)] ?? 0)})`).join(', ')}; judge support there at a smaller K.`,
        `${escapeHtml(label(r))}: at K=${kMax} chance alone reaches Pass@K ≥ ${CHANCE_SATURATION} for ${saturated.map(([g]) => `<b>${escapeHtml(g)}</b> (chance ${num(src, ['metrics', 'byModality', g, 'chanceAtK', String(kMax)], pct)})`).join(', ')}; judge support there at a smaller K.`,
      );
    }
    const rec = r.recommendation as {
      recipe?: {
        byTask?: Record<
          string,
          { decision: string; numbers: { probeAccuracy: number | null; referenceAccuracy: number | null }; checks: Array<{ name: string; status: string }> }
        >;
        byModality?: Record<string, { decision: string; checks: Array<{ name: string; status: string }> }>;
      };
    } | null;
    if (rec?.recipe) {
      const scopes = [
        ...Object.entries(rec.recipe.byModality ?? {}).map(([k, d]) => ['byModality', k, d] as const),
        ...Object.entries(rec.recipe.byTask ?? {}).map(([k, d]) => ['byTask', k, d] as const),
      ];
      for (const [dim, k, d] of scopes) {
        if (d.decision !== 'improve-vision') continue;
        const p = ['recommendation', 'recipe', dim, k, 'numbers'];
        add(
          'perception-bottleneck',
          `${label(r)}: perception bottleneck for ${k} — the linear probe of the vision tower is far below the vision-only reference; neither SFT on answers nor RL is expected to fix it.`,
          `${escapeHtml(label(r))}: <b>perception bottleneck</b> for <b>${escapeHtml(k)}</b> — probe ${num(src, [...p, 'probeAccuracy'], pct)} vs reference ${num(src, [...p, 'referenceAccuracy'], pct)}; neither SFT on answers nor RL is expected to fix it.`,
        );
      }
      const unassessed = Object.entries(rec.recipe.byTask ?? {})
        .filter(([, d]) => d.checks.some((c) => c.name === 'perception' && c.status === 'skipped'))
        .map(([t]) => t);
      if (unassessed.length)
        add(
          'perception-unassessed',
          `${label(r)}: perception was not assessed for task(s) ${unassessed.join(', ')} (no probe result or no vision-only reference accuracy).`,
          `${escapeHtml(label(r))}: perception was not assessed for task(s) ${unassessed.map((t) => `<b>${escapeHtml(t)}</b>`).join(', ')} (no probe result or no vision-only reference accuracy).`,
        );
    }
    const collapses = r.events.filter((e) => e.kind === 'support-collapse');
    if (collapses.length)
      add(
        'support-collapse',
        `${label(r)}: the support guard recorded ${collapses.length} support-collapse event(s).`,
        `${escapeHtml(label(r))}: the support guard recorded ${collapses.length} support-collapse event(s) (section ${sectionNumber('curves')}).`,
      );
  }
  for (const r of data.runs) {
    if (isDiagnosis(r)) continue;
    const collapses = r.events.filter((e) => e.kind === 'support-collapse');
    if (collapses.length)
      add(
        'support-collapse',
        `${label(r)}: the support guard recorded ${collapses.length} support-collapse event(s) at step(s) ${collapses.map((e) => e.step ?? '?').join(', ')}.`,
        `${escapeHtml(label(r))}: the support guard recorded ${collapses.length} support-collapse event(s) at step(s) ${collapses.map((e) => escapeHtml(String(e.step ?? '?'))).join(', ')} (section ${sectionNumber('curves')}).`,
      );
  }

  for (const v of data.versions) {
    const src: Source = { file: versionFile(v.id), root: v };
    if ((v.byModality.none ?? 0) > 0) {
      add(
        'modality-none',
        `Dataset version ${v.id}: ${v.byModality.none} of ${v.n} items have modality "none" (ambiguous images the labeller would not assign); they form their own group in every per-modality result.`,
        `Dataset version ${escapeHtml(v.id)}: ${num(src, ['byModality', 'none'], int)} of ${num(src, ['n'], int)} items have modality <b>none</b> (ambiguous images the labeller would not assign); they form their own group in every per-modality result.`,
      );
    }
  }
  for (const d of data.datasets) {
    const src: Source = { file: datasetFile(d.id), root: d };
    if (d.rejected + d.quarantined + d.duplicates > 0) {
      add(
        'exclusions',
        `Dataset ${d.name} (${d.id}): ${d.rejected} file(s) rejected, ${d.quarantined} quarantined and ${d.duplicates} duplicate(s) skipped at import (section ${sectionNumber('data')}).`,
        `Dataset ${escapeHtml(d.name)}: ${num(src, ['rejected'], int)} file(s) rejected, ${num(src, ['quarantined'], int)} quarantined and ${num(src, ['duplicates'], int)} duplicate(s) skipped at import (section ${sectionNumber('data')}).`,
      );
    }
  }
  const byConfig = new Map<string, Set<number>>();
  for (const r of data.runs) byConfig.set(configKey(r), (byConfig.get(configKey(r)) ?? new Set()).add(r.seed));
  if (data.runs.length && [...byConfig.values()].every((s) => s.size === 1)) {
    add(
      'single-seed',
      'Every configuration in this study was run with one seed; variation between seeds is not measured (intervals cover item sampling only).',
      'Every configuration in this study was run with one seed; variation between seeds is not measured (intervals cover item sampling only).',
    );
  }
  const diagnoses = data.runs.filter(isDiagnosis);
  if (diagnoses.length && !diagnoses.some((r) => r.split === 'test')) {
    add(
      'no-test-split',
      'No diagnosis in this study measures the held-out test split alone; numbers on the validation split (or on all splits) were also used for decisions and are optimistic.',
      'No diagnosis in this study measures the held-out <b>test</b> split alone; numbers on the validation split (or on all splits) were also used for decisions and are optimistic.',
    );
  }
  for (const m of data.models) {
    if (m.kind === 'reference' || m.manifest.notMedicalDevice === true) {
      add(
        'reference-model',
        `Model pack ${m.name} is a reference model shipped for testing and demonstration; it is not a medical device.`,
        `Model pack <b>${escapeHtml(m.name)}</b> is a reference model shipped for testing and demonstration; it is <b>not a medical device</b>.`,
      );
    }
  }
  return out;
}
