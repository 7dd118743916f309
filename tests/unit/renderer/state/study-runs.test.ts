import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../../../shared/api/jobs.ts';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { FakeClient, fail, ok } from './fake-client.ts';
import { comparison, detail, job, recommendation, trainEvent } from './fixtures.ts';

registerSvelteRunes();
const { StudyRunsState } = await import('../../../../renderer/src/lib/state/study/study-runs.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

function setup() {
  const client = new FakeClient();
  const activity = new StudyActivityState();
  const shown: Job[] = [];
  const recipeKs: number[] = [];
  let saved = 0;
  const runs = new StudyRunsState(client, activity, { onJob: (j) => shown.push(j), persist: () => saved++, onBaseRecipeK: (k) => recipeKs.push(k) });
  return { client, activity, runs, shown, recipeKs, saved: () => saved };
}

test('a started run joins the study in its role, its job is shown and followed, and the study is stored', () => {
  const { runs, shown, saved } = setup();
  runs.track('diagnosis', 'r-diag', job('j-diag'));
  assert.equal(runs.ids.diagnosis, 'r-diag');
  assert.equal(runs.roleOf('r-diag'), 'diagnosis');
  assert.deepEqual(
    shown.map((j) => j.id),
    ['j-diag'],
  );
  assert.equal(saved(), 1);
  assert.equal(runs.runOfJob(job('j-diag')), 'r-diag');
  runs.unfollow('j-diag');
  assert.equal(runs.runOfJob(job('j-diag', { state: 'done' })), undefined);
  runs.trackVisionProbe('r-vis', job('j-vis', { kind: 'probe' }));
  assert.equal(runs.visionProbe, 'r-vis');
  assert.equal(runs.runOfJob(job('j-vis')), 'r-vis');
  runs.startNewStudy();
  assert.deepEqual(Object.values(runs.ids), [null, null, null, null, null, null]);
  assert.equal(runs.visionProbe, null);
});

test('a loaded run is kept by id; the base diagnosis hands on its recipe K; a running run’s job is followed', async () => {
  const { client, runs, recipeKs } = setup();
  runs.ids = { ...runs.ids, diagnosis: 'r-diag' };
  client.answer('runs:get', (input) =>
    ok(
      input.id === 'r-diag'
        ? detail('r-diag', { recommendation: recommendation('r-diag', 3) })
        : detail(input.id, { kind: 'probe', state: 'running', jobId: 'j-probe' }),
    ),
  );
  assert.equal((await runs.loadRun('r-diag'))?.id, 'r-diag');
  assert.deepEqual(recipeKs, [3]);
  assert.equal(runs.done('diagnosis'), true);
  assert.equal(runs.doneMap.diagnosis, true);
  assert.equal(runs.doneMap.probe, false);
  await runs.loadRun('r-probe');
  assert.deepEqual(recipeKs, [3], 'only the base diagnosis hands on its K');
  assert.equal(runs.runOfJob(job('j-probe', { state: 'done' })), 'r-probe');
  // A run the host does not know is not kept, and is no error of the study.
  client.answer('runs:get', fail('run/not-found', 'No run r-x.'));
  assert.equal(await runs.loadRun('r-x'), undefined);
  assert.equal(runs.details['r-x'], undefined);
});

test('a training run’s events are fetched after the last one held', async () => {
  const { client, runs } = setup();
  client.answer('runs:get', ok(detail('r-sft', { kind: 'sft', state: 'running', jobId: 'j-sft' })));
  client.answer('runs:events', (input) => ok(input.afterSeq === 0 ? [trainEvent(1, 1), trainEvent(2, 2)] : [trainEvent(3, 3)]));
  await runs.loadRun('r-sft');
  await runs.loadEvents('r-sft');
  assert.deepEqual(client.inputs('runs:events'), [
    { id: 'r-sft', afterSeq: 0 },
    { id: 'r-sft', afterSeq: 2 },
  ]);
  assert.deepEqual(
    runs.events['r-sft']?.map((e) => e.seq),
    [1, 2, 3],
  );
});

test('a job resumed elsewhere is found by its run’s job id and the run is shown running again', async () => {
  const { client, runs } = setup();
  client.answer('runs:get', ok(detail('r-sft', { kind: 'sft', state: 'cancelled', jobId: 'j-sft' })));
  client.answer('runs:events', ok([]));
  await runs.loadRun('r-sft');
  assert.equal(runs.runOfJob(job('j-sft', { state: 'cancelled' })), undefined, 'an ended job of an unfollowed run is not picked up');
  assert.equal(runs.runOfJob(job('j-sft', { state: 'running' })), 'r-sft');
  assert.equal(runs.details['r-sft']?.state, 'running');
});

test('before → after comparisons are fetched once both diagnoses are done; a refused one puts its error in the study', async () => {
  const { client, activity, runs } = setup();
  client.answer('runs:get', (input) => ok(detail(input.id, { state: input.id === 'r-grpo-diag' ? 'running' : 'done' })));
  runs.ids = { ...runs.ids, diagnosis: 'r-diag', sftDiagnosis: 'r-sft-diag', grpoDiagnosis: 'r-grpo-diag' };
  await Promise.all(['r-diag', 'r-sft-diag', 'r-grpo-diag'].map((id) => runs.loadRun(id)));
  const cmp = comparison();
  client.answer('runs:compare', ok(cmp));
  await runs.loadFollowUps();
  assert.deepEqual(client.inputs('runs:compare'), [{ a: 'r-diag', b: 'r-sft-diag' }], 'the sharpened diagnosis is still running');
  assert.deepEqual(runs.comparison('r-diag', 'r-sft-diag'), cmp);
  assert.equal(runs.comparison('r-sft-diag', 'r-grpo-diag'), undefined);
  await runs.loadFollowUps();
  assert.equal(client.inputs('runs:compare').length, 1, 'a comparison held is not asked again');
  runs.details = { ...runs.details, 'r-grpo-diag': detail('r-grpo-diag') };
  client.answer('runs:compare', fail('compare/no-shared-items', 'The runs share no items.'));
  await runs.loadFollowUps();
  assert.deepEqual(client.inputs('runs:compare')[1], { a: 'r-sft-diag', b: 'r-grpo-diag' });
  assert.deepEqual(activity.error, { code: 'compare/no-shared-items', message: 'The runs share no items.' });
});
