import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fail, ok, settle } from './fake-client.ts';
import { comparison, detail, job, PACK, recommendation, VERSION } from './fixtures.ts';
import { studyWithSelection } from './study-setup.ts';

const started = (run: string, kind: 'train' | 'diagnose' = 'train') => ok({ run, pack: PACK, job: job(`j-${run}`, { kind }) });

/** A study whose base diagnosis (on the test split) and probe are done, with a recommendation. */
function diagnosedStudy() {
  const s = studyWithSelection();
  s.study.runs.ids = { ...s.study.runs.ids, diagnosis: 'r-diag', probe: 'r-probe' };
  s.study.runs.details = {
    'r-diag': detail('r-diag', { split: 'test', recommendation: recommendation('r-diag', 2, 'r-probe') }),
    'r-probe': detail('r-probe', { kind: 'probe' }),
  };
  s.client.answer('runs:events', ok([]));
  return s;
}

test('bridging starts SFT from the form; the bridged diagnosis and any sharpening after it leave the study', async () => {
  const { client, study } = diagnosedStudy();
  study.runs.ids = { ...study.runs.ids, sft: 'r-sft-old', sftDiagnosis: 'r-sd-old', grpo: 'r-grpo-old', grpoDiagnosis: 'r-gd-old' };
  client.answer('training:start', started('r-sft'));
  client.answer('runs:get', ok(detail('r-sft', { kind: 'sft', state: 'running' })));
  await study.training.train('bridge');
  const input = client.inputs('training:start')[0];
  assert.equal(input?.algorithm, 'sft');
  assert.equal(input?.model, PACK);
  assert.equal(input?.version, VERSION);
  assert.equal(input?.init, undefined);
  assert.deepEqual(study.runs.ids, { diagnosis: 'r-diag', probe: 'r-probe', sft: 'r-sft', sftDiagnosis: null, grpo: null, grpoDiagnosis: null });
  assert.equal(study.activity.starting, null);
  assert.deepEqual(study.forms.formErrors, {});
});

test('sharpening starts from the bridged model when it is done and chosen; only the sharpened diagnosis leaves the study', async () => {
  const { client, study } = diagnosedStudy();
  study.runs.ids = { ...study.runs.ids, sft: 'r-sft', sftDiagnosis: 'r-sd', grpoDiagnosis: 'r-gd-old' };
  study.runs.details = { ...study.runs.details, 'r-sft': detail('r-sft', { kind: 'sft' }) };
  study.forms.sharpenAlgorithm = 'grpo-care';
  client.answer('training:start', started('r-grpo'));
  client.answer('runs:get', ok(detail('r-grpo', { kind: 'grpo-care', state: 'running' })));
  await study.training.train('sharpen');
  assert.equal(client.inputs('training:start')[0]?.algorithm, 'grpo-care');
  assert.equal(client.inputs('training:start')[0]?.init, 'r-sft');
  assert.equal(study.runs.ids.sftDiagnosis, 'r-sd');
  assert.equal(study.runs.ids.grpoDiagnosis, null);
  assert.equal(study.runs.ids.grpo, 'r-grpo');
  // From the base model when the user says so.
  study.forms.sharpenInit = 'base';
  await study.training.train('sharpen');
  assert.equal(client.inputs('training:start')[1]?.init, undefined);
});

test('a form with errors starts nothing and shows them at their fields; a refused start shows the host’s error', async () => {
  const { client, study } = diagnosedStudy();
  study.forms.bridgeForm.steps = 0;
  await study.training.train('bridge');
  assert.equal(client.inputs('training:start').length, 0);
  assert.ok(study.forms.formErrors.steps, 'the steps field has an error');
  study.forms.bridgeForm.steps = 40;
  client.answer('training:start', fail('training/busy', 'Another training run is running.'));
  await study.training.train('bridge');
  assert.deepEqual(study.forms.formErrors, {});
  assert.deepEqual(study.activity.error, { code: 'training/busy', message: 'Another training run is running.' });
  assert.equal(study.runs.ids.sft, null);
  assert.equal(study.activity.starting, null);
});

test('the trained adapter is diagnosed on the base diagnosis’s split and recommended when done', async () => {
  const { client, study } = diagnosedStudy();
  study.selection.split = 'val';
  study.runs.ids = { ...study.runs.ids, sft: 'r-sft' };
  client.answer('runs:diagnose', started('r-sd', 'diagnose'));
  client.answer('runs:get', ok(detail('r-sd', { adapter: 'r-sft', split: 'test' })));
  client.answer('runs:recommend', ok(recommendation('r-sd', 2)));
  client.answer('runs:compare', ok(comparison()));
  await study.training.diagnoseAdapter('bridge');
  await settle();
  assert.deepEqual(client.inputs('runs:diagnose'), [{ model: PACK, version: VERSION, split: 'test', adapter: 'r-sft' }]);
  assert.equal(study.runs.ids.sftDiagnosis, 'r-sd');
  assert.deepEqual(client.inputs('runs:recommend'), [{ run: 'r-sd', thresholds: { ...study.recommendation.thresholds } }]);
  assert.equal(study.recommendation.latest?.role, 'sftDiagnosis');
  assert.deepEqual(client.inputs('runs:compare'), [{ a: 'r-diag', b: 'r-sd' }]);
  assert.ok(study.runs.comparison('r-diag', 'r-sd'), 'the before → after comparison is held');
  // No sharpened run yet: nothing to diagnose for Sharpen.
  await study.training.diagnoseAdapter('sharpen');
  assert.equal(client.inputs('runs:diagnose').length, 1);
});
