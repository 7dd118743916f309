import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, fail, ok, settle } from './fake-client.ts';
import { detail, generated, item, job, PACK, recommendation, reportVersion, VERSION, VISION_PACK } from './fixtures.ts';
import { studyWithSelection } from './study-setup.ts';

const started = (run: string, kind: 'diagnose' | 'probe' = 'diagnose') => ok({ run, pack: PACK, job: job(`j-${run}`, { kind }) });

test('a diagnosis starts a new study: the previous runs, study record, report and drill-down are put away', async () => {
  const { client, study, shown } = studyWithSelection();
  study.runs.ids = { ...study.runs.ids, diagnosis: 'r-old', sft: 'r-old-sft' };
  study.reports.study = 's-old';
  study.reports.generated = generated('rep-old', 's-old');
  study.reports.reports = [reportVersion('rep-old', 's-old')];
  study.drill.page = { run: 'r-old', total: 1, offset: 0, right: undefined, items: [item('i1')] };
  study.selection.split = 'test';
  const answer = deferred<ReturnType<typeof started>>();
  client.answer('runs:diagnose', () => answer.promise);
  client.answer('runs:probe', started('r-probe', 'probe'));
  client.answer('runs:get', (input) => ok(detail(input.id, { state: 'running' })));
  const running = study.diagnosis.diagnose();
  assert.equal(study.activity.starting, 'diagnosis');
  answer.resolve(started('r-diag'));
  await running;
  assert.equal(study.activity.starting, null);
  assert.deepEqual(client.inputs('runs:diagnose'), [{ model: PACK, version: VERSION, split: 'test' }]);
  assert.deepEqual(client.inputs('runs:probe'), [{ model: PACK, version: VERSION }]);
  assert.deepEqual(study.runs.ids, { diagnosis: 'r-diag', probe: 'r-probe', sft: null, sftDiagnosis: null, grpo: null, grpoDiagnosis: null });
  assert.equal(study.reports.study, null);
  assert.equal(study.reports.generated, null);
  assert.deepEqual(study.reports.reports, []);
  assert.equal(study.drill.page, null);
  assert.deepEqual(
    shown.map((j) => j.id),
    ['j-r-diag', 'j-r-probe'],
  );
  assert.equal(study.runs.details['r-diag']?.state, 'running');
});

test('a refused diagnosis keeps the study as it was and shows the host’s error', async () => {
  const { client, study } = studyWithSelection();
  study.runs.ids = { ...study.runs.ids, diagnosis: 'r-old' };
  study.reports.study = 's-old';
  client.answer('runs:diagnose', fail('dataset/version-not-found', 'No version dv-0123456789abcdef.'));
  await study.diagnosis.diagnose();
  assert.equal(study.runs.ids.diagnosis, 'r-old');
  assert.equal(study.reports.study, 's-old');
  assert.deepEqual(study.activity.error, { code: 'dataset/version-not-found', message: 'No version dv-0123456789abcdef.' });
  assert.equal(study.activity.starting, null);
  assert.equal(client.inputs('runs:probe').length, 0);
});

test('a refused probe leaves the diagnosis running and its error in the study; the reference accuracy goes with the probe when it is a fraction', async () => {
  const { client, study } = studyWithSelection();
  study.diagnosis.referenceAccuracy = 0.85;
  client.answer('runs:diagnose', started('r-diag'));
  client.answer('runs:get', (input) => ok(detail(input.id, { state: 'running' })));
  client.answer('runs:probe', fail('probe/no-vision-tower', 'This pack has no vision tower.'));
  await study.diagnosis.diagnose();
  assert.deepEqual(client.inputs('runs:probe'), [{ model: PACK, version: VERSION, referenceAccuracy: 0.85 }]);
  assert.equal(study.runs.ids.diagnosis, 'r-diag');
  assert.equal(study.runs.ids.probe, null);
  assert.deepEqual(study.activity.error, { code: 'probe/no-vision-tower', message: 'This pack has no vision tower.' });
  study.diagnosis.referenceAccuracy = 1.5;
  client.answer('runs:probe', started('r-probe', 'probe'));
  await study.diagnosis.diagnose();
  assert.deepEqual(client.inputs('runs:probe')[1], { model: PACK, version: VERSION }, 'an accuracy above 1 is not sent');
});

test('the vision-only pack is probed beside the model and kept as the study’s reference probe', async () => {
  const { client, study } = studyWithSelection();
  study.selection.visionModel = VISION_PACK;
  client.answer('runs:diagnose', started('r-diag'));
  client.answer('runs:probe', (input) => (input.model === VISION_PACK ? started('r-vis', 'probe') : started('r-probe', 'probe')));
  client.answer('runs:get', (input) =>
    ok(detail(input.id, { kind: input.id === 'r-diag' ? 'diagnose' : 'probe', pack: input.id === 'r-vis' ? VISION_PACK : PACK, state: 'running' })),
  );
  await study.diagnosis.diagnose();
  assert.deepEqual(
    client.inputs('runs:probe').map((i) => i.model),
    [PACK, VISION_PACK],
  );
  assert.equal(study.runs.visionProbe, 'r-vis');
  assert.equal(study.runs.visionDetail?.pack, VISION_PACK);
  assert.equal(study.runs.ids.probe, 'r-probe');
  assert.equal(study.diagnosis.visionPooled, null, 'no pooled accuracy before the vision probe is done');
});

test('fast jobs: a diagnosis and probe already done when loaded are recommended at once', async () => {
  const { client, study } = studyWithSelection();
  client.answer('runs:diagnose', started('r-diag'));
  client.answer('runs:probe', started('r-probe', 'probe'));
  client.answer('runs:get', (input) => ok(detail(input.id, { kind: input.id === 'r-diag' ? 'diagnose' : 'probe' })));
  client.answer('runs:recommend', ok(recommendation('r-diag', 2, 'r-probe')));
  await study.diagnosis.diagnose();
  await settle();
  assert.equal(study.recommendation.current?.probeRun, 'r-probe');
  assert.equal(study.forms.bridgeForm.passK, 2, 'the guard K follows the recipe');
  assert.ok(client.inputs('runs:recommend').every((i) => i.run === 'r-diag'));
});

test('nothing starts without a model and version, or while another run is being started', async () => {
  const { client, study } = studyWithSelection();
  study.activity.starting = 'sft';
  await study.diagnosis.diagnose();
  study.activity.starting = null;
  study.selection.version = null;
  await study.diagnosis.diagnose();
  assert.equal(client.calls.length, 0);
});
