import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { deferred, FakeClient, fail, ok } from './fake-client.ts';
import { summary } from './fixtures.ts';

registerSvelteRunes();
const { RunListState } = await import('../../../../renderer/src/lib/state/study/run-list.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

test('the 200 newest runs are listed; reloads asked while one is in flight fold into one more', async () => {
  const client = new FakeClient();
  const first = deferred<ReturnType<typeof ok<ReturnType<typeof summary>[]>>>();
  let n = 0;
  client.answer('runs:list', () => (n++ === 0 ? first.promise : ok([summary('r2'), summary('r1')])));
  const runs = new RunListState(client, new StudyActivityState());
  const a = runs.refresh();
  const b = runs.refresh();
  const c = runs.refresh();
  first.resolve(ok([summary('r1')]));
  await Promise.all([a, b, c]);
  assert.equal(client.inputs('runs:list').length, 2);
  assert.deepEqual(client.inputs('runs:list')[0], { limit: 200 });
  assert.deepEqual(
    runs.runs.map((r) => r.id),
    ['r2', 'r1'],
  );
  assert.equal(runs.loaded, true);
});

test('a failed list keeps the runs known and puts the error in the study', async () => {
  const client = new FakeClient().answer('runs:list', ok([summary('r1')]));
  const activity = new StudyActivityState();
  const runs = new RunListState(client, activity);
  await runs.refresh();
  client.answer('runs:list', fail('workspace/closed', 'No workspace is open.'));
  await runs.refresh();
  assert.deepEqual(
    runs.runs.map((r) => r.id),
    ['r1'],
  );
  assert.equal(activity.error?.code, 'workspace/closed');
});
