// The transfer matrix as one job: train on one task (SFT and GRPO, from the base and from an SFT run), evaluate the
// test split in-domain (same task), within-modality (another microscopy task) and cross-modality (BreastMNIST
// ultrasound), Δ Accuracy@1 and Δ Pass@K against the starting policy with paired bootstrap intervals.
// The two microscopy tasks are the blood-cell fixture's classes split in two (granulocytes vs the other cells).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../helpers/cli.ts';
import { BLOOD_CELLS, BREASTMNIST, REFERENCE_PACK, ok } from './training-workspace.ts';

const GRANULOCYTES = ['basophil', 'eosinophil', 'ig', 'neutrophil'];
const OTHER_CELLS = ['erythroblast', 'lymphocyte', 'monocyte', 'platelet'];

let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;

function classFolder(root: string, classes: string[]): string {
  mkdirSync(root, { recursive: true });
  for (const c of classes) cpSync(join(BLOOD_CELLS, c), join(root, c), { recursive: true });
  return root;
}

before(() => {
  ({ dir, cleanup } = tempDir('transfer'));
  ws = join(dir, 'W');
  ok(['init'], ws);
  const a = ok(['import', 'image-folder', classFolder(join(dir, 'gran'), GRANULOCYTES), '--modality', 'microscopy', '--task', 'granulocytes'], ws).dataset;
  const b = ok(['import', 'image-folder', classFolder(join(dir, 'other'), OTHER_CELLS), '--modality', 'microscopy', '--task', 'other-cells'], ws).dataset;
  const c = ok(['import', 'medmnist', BREASTMNIST], ws).dataset;
  ok(['models', 'add', REFERENCE_PACK], ws);
  version = ok(
    ['balance', '--datasets', `${a},${b},${c}`, '--split', 'patient-random', '--ratios', '0.5,0.2,0.3', '--total', '200', '--quotas', 'equal'],
    ws,
  ).id;
});
after(() => cleanup());

test('transfer: one job gives Δ Acc@1 / Δ Pass@K with paired intervals in-domain, within- and cross-modality', (t) => {
  const show = (out: any) => {
    for (const c of out.cells)
      t.diagnostic(
        `${c.regime}: n=${c.n} Acc@1 ${c.before.acc1.toFixed(3)}→${c.after.acc1.toFixed(3)} Pass@${c.k} ${c.before.passAtK.toFixed(3)}→${c.after.passAtK.toFixed(3)}`,
      );
  };
  const check = (c: any) => {
    assert.ok(c.n > 0);
    assert.ok(Math.abs(c.after.acc1 - c.before.acc1 - c.deltaAcc1) < 1e-12);
    assert.ok(c.deltaAcc1Ci[0] <= c.deltaAcc1 + 1e-12 && c.deltaAcc1 <= c.deltaAcc1Ci[1] + 1e-12, 'Δ inside its paired bootstrap interval');
    assert.ok(c.deltaPassAtKCi[0] <= c.deltaPassAtK + 1e-12 && c.deltaPassAtK <= c.deltaPassAtKCi[1] + 1e-12);
  };
  // SFT on the ultrasound task where the pack is below chance: a clear in-domain gain; no other ultrasound task here.
  const breast = ok(['transfer', '--model', REFERENCE_PACK, '--version', version, '--train-modality', 'ultrasound', '--algorithm', 'sft', '--steps', '40'], ws);
  show(breast);
  assert.equal(breast.kind, 'transfer');
  assert.deepEqual(
    breast.cells.map((c: any) => c.regime),
    ['in-domain', 'cross-modality'],
  );
  assert.deepEqual(breast.missing, ['within-modality']);
  breast.cells.forEach(check);
  assert.ok(breast.cells[0].deltaAcc1 > 0, 'SFT on the task raises its test Accuracy@1');
  assert.equal(ok(['runs', 'show', breast.run], ws).kind, 'transfer');

  // GRPO on one microscopy task from an SFT start: all three regimes; "before" is the SFT policy, not the base.
  const sft = ok(['train', 'sft', '--model', REFERENCE_PACK, '--version', version, '--steps', '30'], ws);
  const gran = ok(
    ['transfer', '--model', REFERENCE_PACK, '--version', version, '--train-task', 'granulocytes', '--init', sft.run, '--steps', '30', '--lr', '0.01'],
    ws,
  );
  show(gran);
  assert.equal(gran.init, sft.run);
  assert.equal(gran.algorithm, 'grpo');
  assert.deepEqual(
    gran.cells.map((c: any) => c.regime),
    ['in-domain', 'within-modality', 'cross-modality'],
  );
  const byRegime = Object.fromEntries(gran.cells.map((c: any) => [c.regime, c]));
  assert.deepEqual(byRegime['in-domain'].tasks, ['granulocytes']);
  assert.deepEqual(byRegime['within-modality'].tasks, ['other-cells']);
  assert.deepEqual(byRegime['cross-modality'].modalities, ['ultrasound']);
  gran.cells.forEach(check);
});
