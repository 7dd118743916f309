// Diagnosis end to end through the CLI on real data (BreastMNIST + blood cells), the shipped reference pack, real
// ONNX Runtime in real worker processes: metrics agree with an independent numpy recomputation from the dump,
// Pass@K behaves, the feature cache serves re-runs, the probe reports per-task accuracy with intervals, and the
// recommendation is stored with its numbers and audited.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/cli.ts';
import { findNumpyPython } from '../../unit/metrics/python-reference.ts';
import { REFERENCE_PACK, buildDiagnosisWorkspace, cli, ok } from './diagnosis-workspace.ts';

const EXACT = 1e-9;
const KS = [1, 2, 4, 8, 16];
const RECOMPUTE = new URL('./recompute_metrics.py', import.meta.url).pathname;

let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;
let first: any;
let firstSeconds: number;

before(() => {
  ({ dir, cleanup } = tempDir('diagnose'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws);
  const t0 = performance.now();
  first = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'all', '--k', KS.join(','), '--dump', join(dir, 'dump')], ws);
  firstSeconds = (performance.now() - t0) / 1000;
});
after(() => cleanup());

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= EXACT, `${what}: ${actual} vs numpy ${expected}`);
}

test('diagnose --json prints the contract shape and records environment and provider', () => {
  assert.match(first.run, /^run-/);
  assert.equal(first.overall.n, 180);
  for (const k of KS) assert.equal(typeof first.overall.passAtK[String(k)], 'number');
  assert.deepEqual(Object.keys(first.byModality).sort(), ['microscopy', 'ultrasound']);
  assert.deepEqual(Object.keys(first.byTask).sort(), ['blood-cell', 'breastmnist']);
  assert.ok(first.bySplit.train && first.bySplit.val && first.bySplit.test);
  const env = first.environment;
  assert.equal(env.executionProvider.provider, 'cpu');
  assert.ok(env.cpu && env.cores >= 1 && env.memoryBytes > 0 && env.app && env.node && env.onnxruntime, JSON.stringify(env));
  assert.deepEqual(first.cache, { hits: 0, misses: 180 });
});

test('every metric matches an independent numpy recomputation from the dump (1e-9)', () => {
  const dump = join(dir, 'dump', 'items.jsonl');
  const lines = readFileSync(dump, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 180);
  for (const l of lines) {
    assert.deepEqual(Object.keys(l).sort(), ['correct', 'image', 'item', 'modality', 'options', 'probs', 'question', 'split', 'task']);
    assert.ok(Math.abs(l.probs.reduce((s: number, p: number) => s + p, 0) - 1) < 1e-9);
  }
  // numpy in the project's Python environment
  const { python, reason } = findNumpyPython();
  assert.ok(python, reason);
  const py = spawnSync(python, [RECOMPUTE, dump, KS.join(',')], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout);
  const groups: Array<[string, any, any]> = [['overall', first.overall, ref.overall]];
  for (const m of Object.keys(ref.byModality)) groups.push([`modality ${m}`, first.byModality[m], ref.byModality[m]]);
  for (const t of Object.keys(ref.byTask)) groups.push([`task ${t}`, first.byTask[t], ref.byTask[t]]);
  for (const [name, ours, theirs] of groups) {
    assert.equal(ours.n, theirs.n, name);
    for (const f of ['acc1', 'pass1Expected', 'ece', 'brier', 'entropy']) close(ours[f], theirs[f], `${name} ${f}`);
    for (const k of KS) {
      close(ours.passAtK[k], theirs.passAtK[k], `${name} Pass@${k}`);
      close(ours.chanceAtK[k], theirs.chanceAtK[k], `${name} chance@${k}`);
    }
  }
});

test('Pass@K is non-decreasing; Pass@1 is the mean p(correct) and differs from greedy Accuracy@1', () => {
  for (const g of [first.overall, ...Object.values<any>(first.byModality), ...Object.values<any>(first.byTask)]) {
    for (let i = 1; i < KS.length; i++) assert.ok(g.passAtK[KS[i]!] >= g.passAtK[KS[i - 1]!] - 1e-15);
    assert.ok(Math.abs(g.passAtK['1'] - g.pass1Expected) <= 1e-12);
    assert.ok(g.acc1Ci[0] <= g.acc1 && g.acc1 <= g.acc1Ci[1]);
  }
  assert.notEqual(first.overall.passAtK['1'], first.overall.acc1);
});

test('a second run is served from the feature cache with identical metrics', () => {
  const t0 = performance.now();
  const second = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'all', '--k', KS.join(',')], ws);
  const secondSeconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    `# feature cache: cold ${firstSeconds.toFixed(2)} s, warm ${secondSeconds.toFixed(2)} s (whole CLI process), ratio ${(firstSeconds / secondSeconds).toFixed(2)}\n`,
  );
  assert.deepEqual(second.cache, { hits: 180, misses: 0 });
  assert.equal(second.environment.executionProvider.provider, 'feature-cache');
  assert.deepEqual(second.overall, first.overall);
  assert.deepEqual(second.byTask, first.byTask);
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const cached = (db.prepare('SELECT count(*) AS n FROM feature_cache f JOIN blobs b ON b.hash = f.blob_hash').get() as { n: number }).n;
  db.close();
  assert.equal(cached, 180);
  const items = ok(['runs', 'show', second.run], ws);
  assert.equal(items.cache.hits, 180);
});

test("item drill-down shows options in the version's displayed order with their probabilities", () => {
  const shown = ok(['versions', 'show', version], ws);
  const order = new Map<string, number[]>(shown.items.map((x: any) => [x.item, x.optionOrder]));
  const letters = new Map<string, string>(shown.items.map((x: any) => [x.item, x.correctLetter]));
  const dump = readFileSync(join(dir, 'dump', 'items.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  for (const l of dump) {
    assert.equal('ABCDEFGHIJKLMNOPQRSTUVWXYZ'[l.correct], letters.get(l.item), `displayed correct letter of ${l.item}`);
    assert.equal(l.probs.length, order.get(l.item)!.length);
  }
});

test('runs:compare of a run with itself has zero deltas', () => {
  const runs = ok(['runs', 'list', '--kind', 'diagnose'], ws);
  const cmp = ok(['runs', 'compare', runs[0].id, runs[1].id], ws);
  assert.equal(cmp.pairing.nPaired, 180);
  assert.equal(cmp.overall.deltaAcc1, 0);
  for (const k of KS) assert.equal(cmp.overall.deltaPassAtK[k], 0);
});

test('probe: per-task linear-probe accuracy with a Wilson interval, beside the VLM numbers', () => {
  const p = ok(['probe', '--model', REFERENCE_PACK, '--version', version, '--reference-accuracy', '0.9'], ws);
  assert.deepEqual(Object.keys(p.byTask).sort(), ['blood-cell', 'breastmnist']);
  for (const t of Object.values<any>(p.byTask)) {
    assert.ok(t.accuracy >= 0 && t.accuracy <= 1);
    assert.ok(t.accuracyCi[0] <= t.accuracy && t.accuracy <= t.accuracyCi[1]);
    assert.ok(t.counts.train > 0 && t.counts.test > 0);
    assert.ok(t.vlm && typeof t.vlm.acc1 === 'number' && typeof t.vlm.passAtK['16'] === 'number');
    assert.equal(t.referenceAccuracy, 0.9);
    process.stdout.write(
      `# probe ${t.task}: ${t.accuracy.toFixed(3)} [${t.accuracyCi.map((x: number) => x.toFixed(3)).join(', ')}] (n test ${t.counts.test}); VLM Acc@1 ${t.vlm.acc1.toFixed(3)}\n`,
    );
  }
  const again = ok(['probe', '--model', REFERENCE_PACK, '--version', version], ws);
  assert.equal(again.cache.misses, 0, 'probe embeddings come from the cache the second time');
  assert.deepEqual(
    Object.fromEntries(Object.entries<any>(again.byTask).map(([k, v]) => [k, v.accuracy])),
    Object.fromEntries(Object.entries<any>(p.byTask).map(([k, v]) => [k, v.accuracy])),
  );
});

test('recommend stores a decision with its rule and numbers, audited', () => {
  const rec = ok(['recommend', '--run', first.run, '--k', '4'], ws);
  assert.equal(rec.run, first.run);
  assert.equal(rec.recipe.k, 4);
  assert.ok(rec.probeRun, 'the latest probe of the same pack and version is used');
  for (const d of [...Object.values<any>(rec.recipe.byModality), ...Object.values<any>(rec.recipe.byTask)]) {
    assert.ok(['improve-vision', 'bridge-sft', 'sharpen-rl', 'done'].includes(d.decision));
    assert.ok(d.rule.length > 20);
    assert.equal(typeof d.numbers.passAtK, 'number');
    assert.equal(typeof d.numbers.acc1, 'number');
  }
  assert.equal(typeof rec.recipe.byTask.breastmnist.numbers.probeAccuracy, 'number');
  const shown = ok(['runs', 'show', first.run], ws);
  assert.deepEqual(shown.recommendation, rec);
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const entry = db.prepare("SELECT payload FROM audit_log WHERE action = 'runs:recommend' AND subject = ?").get(first.run) as { payload: string } | undefined;
  db.close();
  assert.ok(entry);
  assert.equal(JSON.parse(entry.payload).k, 4);
  assert.equal(ok(['audit', 'verify'], ws).ok, true);
  const bad = cli(['recommend', '--run', first.run, '--k', '3'], ws);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /request\/invalid-input/);
});
