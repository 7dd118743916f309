// Page 1 of the report, by hand: the title is the study's name on the dataset version's name (a version id inside the
// name becomes the version's name), and the summary paragraph states the base model's Accuracy@1 and Pass@K with K,
// n and split, the recommendation, what was trained and the paired change in Accuracy@1 with its interval — numbers
// formatted as the tables print them, and the HTML paragraph cites the same record fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportData, RunRecord, VersionRecord } from '../../../electron/reports/report-data.ts';
import { reportTitle, summaryParts, summaryText } from '../../../electron/reports/report-summary.ts';
import { changeTable, summaryParagraph } from '../../../electron/reports/render-html.ts';

const VERSION = 'dv-0123456789abcdef';

function run(id: string, kind: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    position: 1,
    kind,
    state: 'done',
    pack: 'pk-1',
    version: VERSION,
    split: 'test',
    initRun: null,
    adapterHash: null,
    seed: 1,
    jobId: null,
    config: {},
    environment: {},
    metrics: null,
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    durationSeconds: null,
    itemsScored: 0,
    events: [],
    recommendation: null,
    ...extra,
  };
}

/** A base diagnosis on 120 test items at K = 4 (the recommendation's K), recommending SFT. */
const base = run('run-base', 'diagnose', {
  metrics: {
    config: { ks: [1, 2, 4, 8], bootstrapSamples: 200, seed: 0, confidence: 0.95, z: 1.96, eceBins: 15 },
    overall: {
      n: 120,
      acc1: 0.4125,
      acc1Ci: [0.33, 0.5],
      passAtK: { '4': 0.7, '8': 0.81 },
      passAtKCi: { '4': [0.62, 0.78], '8': [0.74, 0.88] },
      chanceAtK: { '4': 0.6836, '8': 0.9 },
    },
  },
  recommendation: {
    run: 'run-base',
    probeRun: null,
    createdAt: '',
    recipe: { k: 4, thresholds: {}, overall: { decision: 'bridge-sft', uncertain: true }, byModality: {}, byTask: {}, skipped: [] },
  },
});
const sft = run('run-sft', 'sft', { split: 'train' });
const grpo = run('run-grpo', 'grpo', { split: 'train', initRun: 'run-sft' });
/** The SFT adapter diagnosed on the same items: +12.5 points [+5.0, +20.0]. */
const afterSft = run('run-after-sft', 'diagnose', {
  initRun: 'run-sft',
  adapterHash: 'ad-1',
  changeFromBase: {
    base: 'run-base',
    trainedBy: 'run-sft',
    overall: {
      n: 120,
      acc1A: 0.4125,
      acc1B: 0.5375,
      deltaAcc1: 0.125,
      deltaAcc1Ci: [0.05, 0.2],
      passAtKA: { '4': 0.7 },
      passAtKB: { '4': 0.8 },
      deltaPassAtK: { '4': 0.1 },
      deltaPassAtKCi: { '4': [0.02, 0.18] },
    },
  },
});

const version = { id: VERSION, name: 'Blood cells and fundus, 800 items', n: 800 } as VersionRecord;
const data = (runs: RunRecord[], name = 'Bridge then sharpen'): ReportData => ({
  schemaVersion: 1,
  study: { id: 'st-1', name, intendedUse: 'Research only.', createdAt: '', createdBy: 'x', runs: runs.map((r) => r.id) },
  runs,
  versions: [version],
  datasets: [],
  models: [{ id: 'pk-1', name: 'Reference VLM', kind: 'reference', path: '/p', addedAt: '', manifest: {} }],
});

test('the title is the study name on the version name; a version id in the name becomes its name; no hash in the title', () => {
  assert.equal(reportTitle(data([base])), 'Bridge then sharpen — Blood cells and fundus, 800 items');
  assert.equal(reportTitle(data([base], `Bridge-then-sharpen on ${VERSION}`)), 'Bridge-then-sharpen on Blood cells and fundus, 800 items');
  assert.equal(reportTitle(data([base], 'Study of Blood cells and fundus, 800 items')), 'Study of Blood cells and fundus, 800 items');
  // a version without a name of its own: the study name alone, never the hash appended
  const unnamed = { ...data([base]), versions: [{ ...version, name: VERSION }] };
  assert.equal(reportTitle(unnamed), 'Bridge then sharpen');
});

test('the summary states the base numbers with K, n and split, the recommendation, and each training run with its paired change', () => {
  const text = summaryText(data([base, sft, afterSft, grpo]));
  assert.equal(
    text,
    'On dataset version “Blood cells and fundus, 800 items”, the test split (n = 120 items), the base model Reference VLM picked the correct answer first on 41.3% [33.0%–50.0%] of items (Accuracy@1), ' +
      'and the correct answer was among K = 4 sampled answers on 70.0% [62.0%–78.0%] (Pass@4; chance level 68.4%). ' +
      'The recipe recommended: bridge with SFT (support is low: the correct answer is rarely among the sampled ones), uncertain (an interval straddles its threshold). ' +
      'Bridged with SFT: Accuracy@1 changed by +12.5 pt [+5.0 pt–+20.0 pt], from 41.3% to 53.8% on the same 120 items. ' +
      'Sharpened with GRPO from the SFT run: the study holds no diagnosis of the trained model on the test split, so no change in Accuracy@1 is reported.',
  );
});

test('without a recommendation or training, and without a base diagnosis, the summary says so', () => {
  const plain = { ...base, recommendation: null, split: 'all' };
  const text = summaryText(data([plain]));
  assert.match(text, /all splits \(n = 120 items\)/);
  assert.match(text, /K = 8 sampled answers on 81\.0% \[74\.0%–88\.0%\] \(Pass@8; chance level 90\.0%\)/);
  assert.match(text, /No recipe recommendation is stored for this diagnosis\. Nothing was trained in this study\.$/);
  assert.equal(
    summaryText(data([sft])),
    'This study holds no diagnosis of the base model, so there are no headline numbers; the sections below list what its runs recorded.',
  );
});

test('the HTML page 1 paragraph reads the same text, and every number cites the run field it came from', () => {
  const d = data([base, sft, afterSft, grpo]);
  const html = summaryParagraph(d);
  const para = /<p data-testid="report-summary">(.*?)<\/p>/s.exec(html)?.[1] ?? '';
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  assert.equal(unescape(para.replace(/<[^>]+>/g, '')), summaryText(d));
  const cited = [...para.matchAll(/data-p="([^"]+)"/g)].map((m) => m[1]);
  const numbers = summaryParts(d).filter((p) => !('text' in p));
  assert.equal(
    cited.length,
    numbers.reduce((s, p) => s + ('interval' in p ? 2 : 1), 0),
  );
  assert.ok(cited.includes('runs/run-base.json#/metrics/overall/passAtK/4'));
  assert.ok(cited.includes('runs/run-after-sft.json#/changeFromBase/overall/deltaAcc1'));
  // the same change appears in the metrics section's paired table, cited to the same field
  const change = changeTable(d);
  assert.match(change, /data-p="runs\/run-after-sft\.json#\/changeFromBase\/overall\/deltaAcc1">\+12\.5 pt</);
  assert.match(change, /data-p="runs\/run-after-sft\.json#\/changeFromBase\/overall\/deltaPassAtK\/4">\+10\.0 pt</, "Pass@K at the base diagnosis's K");
});
