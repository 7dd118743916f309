import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunDetail } from '../../../../shared/api/runs.ts';
import { ok, settle } from './fake-client.ts';
import { detail, job, recommendation, summary, trainEvent } from './fixtures.ts';
import { studyWithSelection } from './study-setup.ts';

/** Answers runs:get from a table the test changes as the runs move. */
function hostRuns(s: ReturnType<typeof studyWithSelection>, table: Record<string, RunDetail>) {
  s.client.answer('runs:get', (input) => ok(table[input.id] as RunDetail));
}

test('a training run’s updates load its new events; when its job is cancelled the run shows cancelled and nothing is recommended', async () => {
  const s = studyWithSelection();
  const { client, study } = s;
  const table: Record<string, RunDetail> = { 'r-sft': detail('r-sft', { kind: 'sft', state: 'running', jobId: 'j-sft' }) };
  hostRuns(s, table);
  client.answer('runs:events', (input) => ok(input.afterSeq === 0 ? [trainEvent(1, 1)] : [trainEvent(2, 2)]));
  study.runs.track('sft', 'r-sft', job('j-sft', { kind: 'train' }));
  await study.runs.loadRun('r-sft');
  study.onJob(job('j-sft', { kind: 'train', progress: { done: 2, total: 40, rate: 1, etaSeconds: 38, message: '' } }));
  await settle();
  assert.deepEqual(
    study.runs.events['r-sft']?.map((e) => e.seq),
    [1, 2],
  );

  table['r-sft'] = detail('r-sft', { kind: 'sft', state: 'cancelled', jobId: 'j-sft' });
  client.answer('runs:list', ok([summary('r-sft', { kind: 'sft', state: 'cancelled' })]));
  study.onJob(job('j-sft', { kind: 'train', state: 'cancelled' }));
  await settle();
  assert.equal(study.runs.details['r-sft']?.state, 'cancelled');
  assert.equal(study.runs.ids.sft, 'r-sft', 'a cancelled run stays the study’s (it can be resumed)');
  assert.equal(study.runList.runs[0]?.state, 'cancelled', 'the run list is read again');
  assert.equal(client.inputs('runs:recommend').length, 0);
  assert.equal(study.activity.starting, null);
  // The job is no longer routed to the run.
  const gets = client.inputs('runs:get').length;
  study.onJob(job('j-sft', { kind: 'train', state: 'cancelled' }));
  await settle();
  assert.equal(client.inputs('runs:get').length, gets);
});

test('the recommendation waits for the probe: made once both are settled, even when the probe failed', async () => {
  const s = studyWithSelection();
  const { client, study } = s;
  const table: Record<string, RunDetail> = {
    'r-diag': detail('r-diag', { state: 'running', jobId: 'j-diag' }),
    'r-probe': detail('r-probe', { kind: 'probe', state: 'running', jobId: 'j-probe' }),
  };
  hostRuns(s, table);
  client.answer('runs:recommend', ok(recommendation('r-diag', 3)));
  study.runs.track('diagnosis', 'r-diag', job('j-diag'));
  study.runs.track('probe', 'r-probe', job('j-probe', { kind: 'probe' }));
  await Promise.all([study.runs.loadRun('r-diag'), study.runs.loadRun('r-probe')]);

  table['r-diag'] = detail('r-diag', { jobId: 'j-diag' });
  study.onJob(job('j-diag', { state: 'done' }));
  await settle();
  assert.equal(client.inputs('runs:recommend').length, 0, 'the probe is still running');

  table['r-probe'] = detail('r-probe', { kind: 'probe', state: 'failed', jobId: 'j-probe' });
  study.onJob(job('j-probe', { kind: 'probe', state: 'failed' }));
  await settle();
  assert.deepEqual(
    client.inputs('runs:recommend').map((i) => i.run),
    ['r-diag'],
  );
  assert.equal(study.recommendation.current?.recipe.k, 3);
  assert.equal(study.forms.sharpenForm.passK, 3);
});

test('a probe re-run after the recommendation makes it again, so its perception check reads the new probe', async () => {
  const s = studyWithSelection();
  const { client, study } = s;
  const table: Record<string, RunDetail> = {
    'r-diag': detail('r-diag', { recommendation: recommendation('r-diag', 2, 'r-probe-1') }),
    'r-probe-2': detail('r-probe-2', { kind: 'probe', state: 'running', jobId: 'j-probe-2' }),
  };
  hostRuns(s, table);
  client.answer('runs:recommend', ok(recommendation('r-diag', 2, 'r-probe-2')));
  study.runs.ids = { ...study.runs.ids, diagnosis: 'r-diag' };
  await study.runs.loadRun('r-diag');
  study.runs.track('probe', 'r-probe-2', job('j-probe-2', { kind: 'probe' }));
  await study.runs.loadRun('r-probe-2');
  table['r-probe-2'] = detail('r-probe-2', { kind: 'probe', jobId: 'j-probe-2' });
  study.onJob(job('j-probe-2', { kind: 'probe', state: 'done' }));
  await settle();
  assert.deepEqual(
    client.inputs('runs:recommend').map((i) => i.run),
    ['r-diag'],
  );
  assert.equal(study.recommendation.current?.probeRun, 'r-probe-2');
});

test('registration jobs go to the registration, not to the runs', async () => {
  const { client, study } = studyWithSelection();
  client.answer('models:list', ok([]));
  study.onJob(job('j-reg', { kind: 'register-model', state: 'done', result: { packId: 'x' } }));
  await settle();
  assert.deepEqual(client.names, ['models:list']);
});
