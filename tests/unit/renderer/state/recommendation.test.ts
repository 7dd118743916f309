import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { DEFAULT_THRESHOLDS } from '../../../../renderer/src/lib/format/study.ts';
import { deferred, FakeClient, fail, ok } from './fake-client.ts';
import { detail, recommendation } from './fixtures.ts';

registerSvelteRunes();
const { RecommendationState } = await import('../../../../renderer/src/lib/state/study/recommendation.svelte.ts');
const { StudyRunsState } = await import('../../../../renderer/src/lib/state/study/study-runs.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

function setup() {
  const client = new FakeClient();
  const activity = new StudyActivityState();
  const recipeKs: number[] = [];
  const runs = new StudyRunsState(client, activity, { onJob: () => {}, persist: () => {}, onBaseRecipeK: () => {} });
  const rec = new RecommendationState(client, activity, runs, (k) => recipeKs.push(k));
  runs.ids = { ...runs.ids, diagnosis: 'r-diag', sftDiagnosis: 'r-sft-diag' };
  runs.details = { 'r-diag': detail('r-diag'), 'r-sft-diag': detail('r-sft-diag') };
  return { client, activity, runs, rec, recipeKs };
}

test('recommending the base diagnosis stores the answer in its detail and hands on the recipe K', async () => {
  const { client, activity, runs, rec, recipeKs } = setup();
  activity.error = { code: 'old', message: 'earlier' };
  client.answer('runs:recommend', ok(recommendation('r-diag', 4, 'r-probe')));
  await rec.recommend();
  assert.deepEqual(client.inputs('runs:recommend'), [{ run: 'r-diag', thresholds: { ...DEFAULT_THRESHOLDS } }], 'automatic K: none is sent');
  assert.equal(runs.details['r-diag']?.recommendation?.probeRun, 'r-probe');
  assert.equal(rec.current?.recipe.k, 4);
  assert.deepEqual(recipeKs, [4]);
  assert.equal(activity.error, null);
  assert.equal(rec.recommending, false);
});

test('the K and thresholds shown are sent; a trained model’s diagnosis does not move the guard K', async () => {
  const { client, rec, recipeKs } = setup();
  rec.recipeK = 2;
  rec.thresholds = { ...rec.thresholds, supportTarget: 0.7 };
  client.answer('runs:recommend', ok(recommendation('r-sft-diag', 2)));
  await rec.recommend('r-sft-diag');
  assert.deepEqual(client.inputs('runs:recommend'), [{ run: 'r-sft-diag', k: 2, thresholds: { ...DEFAULT_THRESHOLDS, supportTarget: 0.7 } }]);
  assert.deepEqual(recipeKs, []);
  assert.equal(rec.latest?.role, 'sftDiagnosis', 'the newest diagnosis’s recommendation is the latest');
  assert.equal(rec.current, null, 'the base diagnosis has none yet');
  rec.resetThresholds();
  assert.equal(rec.recipeK, null);
  assert.deepEqual(rec.thresholds, { ...DEFAULT_THRESHOLDS });
});

test('a refused recommendation changes no detail and puts the error in the study; one at a time; none without a diagnosis', async () => {
  const { client, activity, runs, rec } = setup();
  const answer = deferred<ReturnType<typeof fail>>();
  client.answer('runs:recommend', () => answer.promise);
  const first = rec.recommend();
  assert.equal(rec.recommending, true);
  await rec.recommend();
  assert.equal(client.inputs('runs:recommend').length, 1);
  answer.resolve(fail('recipe/no-metrics', 'The diagnosis has no metrics yet.'));
  await first;
  assert.equal(runs.details['r-diag']?.recommendation, null);
  assert.deepEqual(activity.error, { code: 'recipe/no-metrics', message: 'The diagnosis has no metrics yet.' });
  assert.equal(rec.recommending, false);
  runs.ids = { ...runs.ids, diagnosis: null };
  await rec.recommend();
  assert.equal(client.inputs('runs:recommend').length, 1);
});
