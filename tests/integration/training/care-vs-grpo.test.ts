// GRPO-CARE can differ from GRPO (issue: "a tie by construction"). On the reference pack, which ignores option order,
// presentations that differ only in option order give every correct sample the same consistency: the bonus is uniform
// in each group and group normalisation cancels it, so GRPO-CARE with the bonus updates like GRPO-CARE without it
// (shown here with `care.augment: false`: the adapters differ only by the advantage normaliser's ε = 1e-4). With
// augmented images (the default) the bonus changes the update, and GRPO-CARE's update differs from GRPO's from the
// same start and seed. Real pack, real features, the CLI; adapters compared parameter by parameter.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserializeAdapter } from '../../../electron/training/adapter-codec.ts';
import { after, before, test } from 'node:test';
import { tempDir } from '../../helpers/cli.ts';
import { buildBreastWorkspace, train } from './training-workspace.ts';

const BASE = { steps: 4, evalEvery: 2, learningRate: 0.01, passK: 2, grpo: { beta: 0 }, guard: { enabled: false } };
let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;

before(() => {
  ({ dir, cleanup } = tempDir('care-vs-grpo'));
  ws = join(dir, 'W');
  version = buildBreastWorkspace(ws, 120);
});
after(() => cleanup());

const run = (algorithm: string, care: Record<string, unknown>) => train(ws, algorithm, version, { ...BASE, care }, ['--seed', '11']);
/** Largest parameter difference between two runs' adapters (read from the workspace's blob store). */
function maxParamDiff(a: string, b: string): number {
  const load = (h: string) => deserializeAdapter(new Uint8Array(readFileSync(join(ws, 'blobs', h.slice(0, 2), h)))).params;
  const pa = load(a);
  const pb = load(b);
  assert.equal(pa.length, pb.length);
  let worst = 0;
  for (let i = 0; i < pa.length; i++) worst = Math.max(worst, Math.abs(pa[i]! - pb[i]!));
  return worst;
}
let orderOnly = 0;

test('option order only: the consistency bonus cancels (the adapters with and without it differ only at the ε level)', (t) => {
  const withBonus = run('grpo-care', { augment: false, consistencyBonus: 0.5 });
  const without = run('grpo-care', { augment: false, consistencyBonus: 0 });
  orderOnly = maxParamDiff(withBonus.adapter, without.adapter);
  t.diagnostic(`order only: max |Δθ| with vs without the bonus = ${orderOnly.toExponential(2)}`);
  assert.ok(orderOnly < 1e-5, `max |Δθ| ${orderOnly}`);
});

test('augmented presentations: the bonus changes the update, and GRPO-CARE differs from GRPO from the same start and seed', (t) => {
  const withBonus = run('grpo-care', { consistencyBonus: 0.5 });
  const without = run('grpo-care', { consistencyBonus: 0 });
  const d = maxParamDiff(withBonus.adapter, without.adapter);
  t.diagnostic(`augmented: max |Δθ| with vs without the bonus = ${d.toExponential(2)} (order only: ${orderOnly.toExponential(2)})`);
  assert.ok(d > 1e-4 && d > 100 * orderOnly, `the bonus reached the update: max |Δθ| ${d}`);
  const grpo = train(ws, 'grpo', version, BASE, ['--seed', '11']);
  assert.ok(maxParamDiff(withBonus.adapter, grpo.adapter) > 1e-4, 'GRPO-CARE and GRPO update differently');
});
