// Page 1 of the report: its title and the one-paragraph summary with the key numbers — the base model's Accuracy@1
// and Pass@K (with K, n and the split), what was trained (bridge / sharpen) and the change in Accuracy@1 it made
// (paired, with its interval), and the recipe's recommendation. Pure: the paragraph is a list of parts, text or a
// pointer into a run record, so the HTML cites each number (cite.ts) and the plain text prints the same values.
import { informativeKOfReport } from '../../shared/recipe/informative-k.ts';
import type { MetricsReport } from '../../shared/metrics/index.ts';
import type { StoredRecommendation } from '../../shared/api/runs.ts';
import type { RecipeDecisionKind } from '../../shared/recipe/decision.ts';
import { int, pct, pp, valueAt, type Format, type PathPart } from './cite.ts';
import type { ReportData, RunRecord } from './report-data.ts';
import { TRAINING_KINDS } from './checklist.ts';
import { TRAIN_ALGORITHMS, TRAIN_ALGORITHM_STEP, TRAIN_ALGORITHM_WORD } from '../../shared/training-algorithms.ts';

/** K used for the single-K numbers when a run has no recommendation (the recommendation's K otherwise). */
export const PREFERRED_K = 8;

export const SUMMARY_FORMATS = { pct, pp, int } as const satisfies Record<string, Format>;
export type SummaryFormat = keyof typeof SUMMARY_FORMATS;

/** One piece of the paragraph: words, or a number (or an interval) read from a run record at `path`. */
export type SummaryPart = { text: string } | { run: string; path: PathPart[]; format: SummaryFormat; interval?: true };

/**
 * The K of a run's single-K numbers: its recommendation's K; else a training run's own guard K; else the largest K
 * informative in every task of the report (design.md §4: a two-option task at Pass@2, never at a K whose chance level
 * reaches the support target); PREFERRED_K only for a report without chance levels.
 */
export function kOf(r: RunRecord, m: MetricsReport): number {
  const rec = r.recommendation as StoredRecommendation | null;
  if (rec && m.config.ks.includes(rec.recipe.k)) return rec.recipe.k;
  const trainedK = (r.config as { config?: { passK?: unknown } }).config?.passK;
  if (TRAINING_KINDS.has(r.kind) && typeof trainedK === 'number' && m.config.ks.includes(trainedK)) return trainedK;
  const informative = m.overall?.chanceAtK && m.byTask ? informativeKOfReport(m) : null;
  if (informative !== null && m.config.ks.includes(informative)) return informative;
  return m.config.ks.includes(PREFERRED_K) ? PREFERRED_K : Math.max(...m.config.ks);
}

const hasMetricsReport = (r: RunRecord): boolean => r.metrics !== null && typeof (r.metrics as { overall?: unknown }).overall === 'object';

/** The study's first diagnosis of the base pack (no adapter) with a metrics report: the headline numbers. */
export function baseDiagnosis(d: ReportData): RunRecord | null {
  return d.runs.find((r) => r.kind === 'diagnose' && r.initRun === null && r.adapterHash === null && hasMetricsReport(r)) ?? null;
}

const RECOMMENDATION_WORDS: Record<RecipeDecisionKind, string> = {
  'bridge-sft': 'bridge with SFT (support is low: the correct answer is rarely among the sampled ones)',
  'sharpen-rl': 'sharpen with RL (support is present but Accuracy@1 lags Pass@K)',
  'improve-vision': 'improve vision or collect more data (a perception bottleneck that neither SFT nor RL fixes)',
  done: 'no training (support is present and Accuracy@1 is close to Pass@K)',
};

const STEP_VERB = { bridge: 'Bridged', sharpen: 'Sharpened' } as const;

/** "Bridged with SFT", "Sharpened with GRPO", "Sharpened with GRPO-CARE", "Trained on an external engine". */
const TRAINED_WORDS: Record<string, string> = {
  ...Object.fromEntries(TRAIN_ALGORITHMS.map((a) => [a, `${STEP_VERB[TRAIN_ALGORITHM_STEP[a]]} with ${TRAIN_ALGORITHM_WORD[a]}`])),
  external: 'Trained on an external engine',
};

const splitWords = (split: string | null): string => (split === null || split === 'all' ? 'all splits' : `the ${split} split`);

/** The version's name when it has one, else its id. */
function versionLabel(d: ReportData, id: string | null): string | null {
  if (id === null) return null;
  const v = d.versions.find((x) => x.id === id);
  return v && v.name.trim() && v.name !== v.id ? v.name : id;
}

/**
 * The report's title: the study's name on the dataset version's name. A name that already names the version is kept
 * as it is; a version id inside the name (studies named after a hash) is replaced by the version's name. The ids stay
 * in the details under the title.
 */
export function reportTitle(d: ReportData): string {
  let title = d.study.name.trim();
  for (const v of d.versions) if (v.name.trim() && v.name !== v.id) title = title.split(v.id).join(v.name);
  const base = baseDiagnosis(d) ?? d.runs.find((r) => r.version !== null) ?? null;
  const name = versionLabel(d, base?.version ?? null);
  if (name === null || name === base?.version || title.includes(name)) return title;
  return `${title} — ${name}`;
}

/** The summary paragraph of page 1, as parts. */
export function summaryParts(d: ReportData): SummaryPart[] {
  const parts: SummaryPart[] = [];
  const t = (text: string) => parts.push({ text });
  const n = (run: RunRecord, path: PathPart[], format: SummaryFormat) => parts.push({ run: run.id, path, format });
  const ci = (run: RunRecord, path: PathPart[], format: SummaryFormat) => {
    if (Array.isArray(valueAt(run, path))) parts.push({ text: ' ' }, { run: run.id, path, format, interval: true });
  };
  const base = baseDiagnosis(d);
  if (!base) {
    t('This study holds no diagnosis of the base model, so there are no headline numbers; the sections below list what its runs recorded.');
    return parts;
  }
  const m = base.metrics as unknown as MetricsReport;
  const k = kOf(base, m);
  const o = ['metrics', 'overall'];
  const model = d.models.find((x) => x.id === base.pack)?.name ?? base.pack;
  t(`On dataset version “${versionLabel(d, base.version) ?? '—'}”, ${splitWords(base.split)} (n = `);
  n(base, [...o, 'n'], 'int');
  t(` items), the base model ${model} picked the correct answer first on `);
  n(base, [...o, 'acc1'], 'pct');
  ci(base, [...o, 'acc1Ci'], 'pct');
  t(` of items (Accuracy@1), and the correct answer was among K = ${k} sampled answers on `);
  n(base, [...o, 'passAtK', String(k)], 'pct');
  ci(base, [...o, 'passAtKCi', String(k)], 'pct');
  t(` (Pass@${k}; chance level `);
  n(base, [...o, 'chanceAtK', String(k)], 'pct');
  t('). ');

  const rec = base.recommendation as StoredRecommendation | null;
  const overall = rec?.recipe.overall ?? null;
  if (overall)
    t(`The recipe recommended: ${RECOMMENDATION_WORDS[overall.decision]}${overall.uncertain ? ', uncertain (an interval straddles its threshold)' : ''}. `);
  else if (rec) t('The recipe decided per task and modality only (no overall decision; see Recipe decisions). ');
  else t('No recipe recommendation is stored for this diagnosis. ');

  const trained = d.runs.filter((r) => r.kind in TRAINED_WORDS);
  if (!trained.length) t('Nothing was trained in this study.');
  trained.forEach((r, i) => {
    // run ids stay in the tables; here the runs are named by what they did
    const from = r.initRun ? d.runs.find((x) => x.id === r.initRun) : undefined;
    t(`${TRAINED_WORDS[r.kind]}${r.initRun ? ` from the ${from && from.kind in TRAINED_WORDS ? `${from.kind.toUpperCase()} run` : 'trained run'}` : ''}`);
    const after = d.runs.find((x) => x.changeFromBase?.trainedBy === r.id && x.changeFromBase.base === base.id);
    if (after) {
      const c = ['changeFromBase', 'overall'];
      t(': Accuracy@1 changed by ');
      n(after, [...c, 'deltaAcc1'], 'pp');
      ci(after, [...c, 'deltaAcc1Ci'], 'pp');
      t(', from ');
      n(after, [...c, 'acc1A'], 'pct');
      t(' to ');
      n(after, [...c, 'acc1B'], 'pct');
      t(' on the same ');
      n(after, [...c, 'n'], 'int');
      t(' items.');
    } else {
      t(`: the study holds no diagnosis of the trained model on ${splitWords(base.split)}, so no change in Accuracy@1 is reported.`);
    }
    if (i < trained.length - 1) t(' ');
  });
  return parts;
}

/** A part's value as the report prints it (numbers and intervals in the format the tables use). */
export function formatPart(part: SummaryPart, d: ReportData): string {
  if ('text' in part) return part.text;
  const run = d.runs.find((r) => r.id === part.run);
  const v = valueAt(run, part.path);
  const f = SUMMARY_FORMATS[part.format];
  if (part.interval) return Array.isArray(v) && v.length === 2 ? `[${f(v[0] as number)}–${f(v[1] as number)}]` : '';
  return typeof v === 'number' && Number.isFinite(v) ? f(v) : '—';
}

/** The summary paragraph as plain text (what the HTML paragraph's text reads). */
export function summaryText(d: ReportData): string {
  return summaryParts(d)
    .map((p) => formatPart(p, d))
    .join('');
}
