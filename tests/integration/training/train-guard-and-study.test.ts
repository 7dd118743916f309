// The study's order of operations on BreastMNIST with the reference pack (below chance there: low support), and the
// support guard. SFT raises validation Pass@K; GRPO from the SFT run raises Accuracy@1 on the task's items and narrows
// the gap (sharpening; measured on the training split, because each workspace balances its own random sample and the
// held-out effect of this short run is within noise — tests/bench/study-reproduction.ts measures it on test splits
// with intervals); a run built to collapse (GRPO from SFT, huge learning rate, no KL, no clipping) trips the guard — a `support-collapse` run
// event and audit entry, rollback or stop as configured — and a healthy run does not. The trained adapter evaluated
// by `diagnose --adapter` gives exactly the training run's validation numbers; cancel keeps the last checkpoint.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';
import { REFERENCE_PACK, buildBreastWorkspace, evals, ok, train } from './training-workspace.ts';

const TOTAL = 400;
const K = 8;
/** A short bridge: support (Pass@K) rises, Accuracy@1 still lags — the regime where RL should sharpen. */
const SFT = { steps: 60, learningRate: 0.003, passK: K };
/** Healthy: small steps with a KL anchor to the SFT policy. */
const HEALTHY_GRPO = { steps: 40, learningRate: 0.00005, grpo: { beta: 0.1 }, passK: K };
/**
 * Built to collapse: from the SFT policy (support near its best), a huge learning rate, no KL, no clipping. Judged at
 * Pass@2 (chance 0.75 with two options): at Pass@8 chance is 0.996 and the guard stays inactive (tested below).
 */
const GUARD_K = 2;
const COLLAPSE = { steps: 60, learningRate: 0.5, maxGradNorm: 0, grpo: { beta: 0 }, passK: GUARD_K };

let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;
let sft: any;

before(() => {
  ({ dir, cleanup } = tempDir('train-study'));
  ws = join(dir, 'W');
  version = buildBreastWorkspace(ws, TOTAL);
  sft = train(ws, 'sft', version, SFT);
});
after(() => cleanup());

test('SFT raises validation Pass@K over the base pack (bridge)', () => {
  const curve = evals(sft);
  const base = curve[0]!;
  assert.equal(base.step, 0);
  assert.ok(sft.val.passAtK[String(K)] > base.passK + 0.2, `Pass@${K} ${base.passK.toFixed(3)} → ${sft.val.passAtK[String(K)].toFixed(3)}`);
  assert.ok(sft.val.acc1 > base.acc1, 'Accuracy@1 rises too');
  assert.equal(sft.events.filter((e: any) => e.kind === 'train').length, SFT.steps);
  assert.ok(sft.events.every((e: any) => e.kind !== 'train' || typeof e.loss === 'number'));
  const shown = ok(['runs', 'show', sft.run], ws);
  assert.equal(shown.kind, 'sft');
  assert.equal(shown.config.seed, shown.seed);
  assert.ok(shown.environment.node && shown.environment.executionProvider, 'environment and execution provider recorded');
});

test('GRPO from the SFT run raises Accuracy@1 and narrows the gap without tripping the guard (sharpen)', (t) => {
  const grpo = train(ws, 'grpo', version, HEALTHY_GRPO, ['--init', sft.run]);
  t.diagnostic(`SFT val ${JSON.stringify(evals(sft))}\nGRPO val ${JSON.stringify(evals(grpo))}`);
  const start = evals(grpo)[0]!;
  assert.equal(start.acc1, sft.val.acc1, 'starts from the SFT adapter');
  const onTrain = (run: string) =>
    ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'train', '--k', `1,${K}`, '--adapter', run], ws).overall;
  const a = onTrain(sft.run);
  const b = onTrain(grpo.run);
  t.diagnostic(
    `train split: Acc@1 ${a.acc1.toFixed(3)} → ${b.acc1.toFixed(3)}, Pass@${K} ${a.passAtK[String(K)].toFixed(3)} → ${b.passAtK[String(K)].toFixed(3)}`,
  );
  assert.ok(b.acc1 > a.acc1, `Acc@1 ${a.acc1} → ${b.acc1}`);
  assert.ok(b.passAtK[String(K)] - b.acc1 < a.passAtK[String(K)] - a.acc1, 'support gap narrows');
  assert.equal(grpo.stopReason, 'completed');
  assert.ok(!grpo.events.some((e: any) => e.kind === 'support-collapse'), 'healthy run: no support-collapse');
  assert.ok(grpo.events.some((e: any) => e.kind === 'train' && typeof e.kl === 'number' && typeof e.reward === 'number'));
  assert.equal(ok(['runs', 'show', grpo.run], ws).kind, 'grpo');
  const cmp = ok(['runs', 'compare', sft.run, grpo.run], ws);
  assert.ok(Math.abs(cmp.overall.deltaAcc1 - (grpo.val.acc1 - sft.val.acc1)) < 1e-12, "runs compare pairs the two runs' validation items");

  const diag = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'val', '--adapter', grpo.run, '--k', `1,${K}`], ws);
  assert.equal(diag.overall.acc1, grpo.val.acc1, 'diagnose --adapter measures what training validated');
  assert.equal(diag.overall.passAtK[String(K)], grpo.val.passAtK[String(K)]);
});

test('a run built to collapse trips the support guard: event, audit entry, rollback', () => {
  const out = train(ws, 'grpo', version, { ...COLLAPSE, guard: { onCollapse: 'rollback' } }, ['--init', sft.run]);
  const collapse = out.events.find((e: any) => e.kind === 'support-collapse');
  assert.ok(collapse, 'support-collapse recorded');
  assert.equal(out.stopReason, 'support-collapse');
  assert.ok(collapse.drop > collapse.margin);
  assert.ok(collapse.checksBelow >= 2, 'the drop held over two validations in a row');
  assert.equal(collapse.baselineStep, 0, 'judged against the starting model');
  const guard = out.events.find((e: any) => e.kind === 'guard');
  assert.ok(guard && guard.applies && guard.margin >= guard.marginFloor && guard.margin >= guard.bootstrapHalfWidth, JSON.stringify(guard));
  assert.equal(collapse.margin, guard.margin);
  assert.ok(out.keptStep < collapse.step, 'rolled back to an earlier checkpoint');
  assert.ok(out.val.passAtK[String(GUARD_K)] >= collapse.baselinePassAtK - collapse.margin, 'the kept checkpoint still has its support');
  const kept = evals(out).find((e) => e.step === out.keptStep)!;
  assert.equal(out.val.acc1, kept.acc1, 'the run ends on the checkpoint it rolled back to');
  const audit = ok(['audit', 'verify'], ws);
  assert.equal(audit.ok, true);

  const stop = train(ws, 'grpo', version, { ...COLLAPSE, guard: { onCollapse: 'stop' } }, ['--init', sft.run]);
  const c2 = stop.events.find((e: any) => e.kind === 'support-collapse');
  assert.ok(c2);
  assert.equal(stop.keptStep, c2.step, 'stop keeps the last state');
});

test('the guard never judges at a saturated K: the same collapsing run at Pass@8 (chance 0.996 with two options) has an inactive guard and runs to its end', () => {
  const out = train(ws, 'grpo', version, { ...COLLAPSE, passK: K }, ['--init', sft.run]);
  const guard = out.events.find((e: any) => e.kind === 'guard');
  assert.equal(guard.applies, false);
  assert.equal(guard.chanceAtK, 1 - 0.5 ** 8);
  assert.ok(!out.events.some((e: any) => e.kind === 'support-collapse'));
  assert.equal(out.stopReason, 'completed');
});

test('the collapse is an audit entry; cancel keeps the last checkpoint', async (t) => {
  const s = await startServe(ws);
  t.after(() => s.stop());
  const audit = await api(s, 'audit:list', { limit: 1000 });
  const actions = (audit.body.value as any[]).map((e) => e.action);
  assert.ok(actions.includes('training:support-collapse'), 'support-collapse audited');

  const started = await api(s, 'training:start', {
    model: REFERENCE_PACK,
    version,
    algorithm: 'grpo-care',
    config: { steps: 5000, evalEvery: 5, guard: { enabled: false } },
    seed: 3,
  });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const { run, job } = started.body.value;
  await waitUntil('checkpoints', async () => (await api(s, 'runs:events', { id: run, kind: 'checkpoint' })).body.value.length >= 3, 60_000, 20);
  await api(s, 'jobs:cancel', { id: job.id });
  await waitUntil('cancelled', async () => (await api(s, 'jobs:get', { id: job.id })).body.value.state === 'cancelled', 30_000);
  const detail = (await api(s, 'runs:get', { id: run })).body.value;
  assert.equal(detail.state, 'cancelled');
  const cps = (await api(s, 'runs:events', { id: run, kind: 'checkpoint' })).body.value;
  assert.ok(cps.length >= 3);
  const d = await api(s, 'runs:diagnose', { model: REFERENCE_PACK, version, split: 'val', adapter: run });
  assert.equal(d.status, 200, "the cancelled run's last adapter is kept and usable");
  // runs:list tells a trained model's diagnosis from the base's: the Diagnose step shows only base diagnoses.
  const listed = (await api(s, 'runs:list', { kind: 'diagnose' })).body.value as { id: string; adapter: string | null }[];
  assert.equal(listed.find((r) => r.id === d.body.value.run)?.adapter, run);
  for (const r of listed)
    assert.equal(r.adapter, (await api(s, 'runs:get', { id: r.id })).body.value.config.adapter ?? null, `${r.id}: the adapter its config names`);
});
