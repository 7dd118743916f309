// The support guard inside TRL jobs follows the app's rules (shared/recipe/support-guard.ts): baseline = the starting
// model's validation Pass@K, margin = max(floor, bootstrap half-width), a trip only after a drop held over two
// validations, rollback to the best-Acc@1 validation whose Pass@K held (else the start), never at a saturated K,
// never on a bridging (SFT) run. Scripted validations (trl_guard_rules.py) in the project's Python environment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

const skip = enginePythonMissing();

test('TRL support guard: persistence, bootstrap margin, rollback target, saturation, SFT', { skip: skip ?? false }, () => {
  const r = spawnSync(ENGINE_PYTHON, [join(REPO_ROOT, 'tests/integration/training/trl_guard_rules.py'), join(REPO_ROOT, 'resources/python')], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const c = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);

  assert.equal(c.persistent.stoppedAt, 4, 'trips on the second validation in a row below 0.90 − 0.02');
  const collapse = c.persistent.events.find((e: any) => e.kind === 'support-collapse');
  assert.deepEqual([collapse.baselinePassAtK, collapse.checksBelow, collapse.rollbackToStep, collapse.rollbackAcc1], [0.9, 2, 2, 0.7]);
  assert.equal(c.persistent.weight, 2, 'weights rolled back to step 2');
  const guard = c.persistent.events.find((e: any) => e.kind === 'guard');
  assert.deepEqual([guard.step, guard.applies, guard.margin, guard.persistence, guard.bootstrapHalfWidth], [0, true, 0.02, 2, 0]);
  assert.ok(Math.abs(guard.chanceAtK - 0.75) < 1e-12, 'two options at K = 2: chance 1 − 0.5² = 0.75');

  assert.equal(c['one-drop'].stoppedAt, null, 'a single drop that recovers never trips');

  assert.ok(c.halfWidth > 0.08, `half-width of 0/1 items ${c.halfWidth}`);
  assert.equal(c['wide-margin'].stoppedAt, null, 'a 0.08 drop inside the bootstrap half-width is noise');
  assert.equal(c['wide-margin'].events.find((e: any) => e.kind === 'guard').margin, c.halfWidth);

  const sat = c.saturated.events.find((e: any) => e.kind === 'guard');
  assert.equal(sat.applies, false);
  assert.ok(Math.abs(sat.chanceAtK - (1 - 0.5 ** 8)) < 1e-12);
  assert.equal(c.saturated.stoppedAt, null, 'never judged at a saturated K');

  assert.equal(c.sft.stoppedAt, null);
  assert.equal(c.sft.events.length, 0, 'an SFT run writes no guard event');

  assert.equal(c['to-start'].stoppedAt, 2);
  assert.equal(c['to-start'].weight, 0, 'nothing held above the start: back to the step-0 weights');
});
