import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { deferred, FakeClient, fail, ok } from './fake-client.ts';
import { item } from './fixtures.ts';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);

registerSvelteRunes();
const { DrillDownState, DRILL_PAGE } = await import('../../../../renderer/src/lib/state/study/drill-down.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

function setup() {
  const client = new FakeClient();
  const activity = new StudyActivityState();
  return { client, activity, drill: new DrillDownState(client, activity) };
}

test('a page of items is kept with its run, offset and filter; the filter stays for the next page of the same run', async () => {
  const { client, drill } = setup();
  client.answer('runs:items', ok({ total: 30, items: [item('i1'), item('i2')] }));
  await drill.loadItems('r1', 0, false);
  assert.deepEqual(drill.page, { run: 'r1', total: 30, offset: 0, right: false, items: [item('i1'), item('i2')] });
  await drill.loadItems('r1', 12);
  assert.equal(drill.page?.offset, 12);
  assert.equal(drill.page?.right, false, 'the wrong-only filter is kept while paging');
  assert.deepEqual(client.inputs('runs:items'), [
    { id: 'r1', offset: 0, limit: DRILL_PAGE, right: false },
    { id: 'r1', offset: 12, limit: DRILL_PAGE, right: false },
  ]);
  // Another run starts unfiltered.
  await drill.loadItems('r2');
  assert.equal(drill.page?.run, 'r2');
  assert.equal(drill.page?.right, undefined);
  assert.deepEqual(client.inputs('runs:items')[2], { id: 'r2', offset: 0, limit: DRILL_PAGE });
});

test('a refused page keeps the page shown and puts the error in the study', async () => {
  const { client, activity, drill } = setup();
  client.answer('runs:items', ok({ total: 1, items: [item('i1')] }));
  await drill.loadItems('r1');
  client.answer('runs:items', fail('run/not-found', 'No run r9.'));
  await drill.loadItems('r9');
  assert.equal(drill.page?.run, 'r1');
  assert.deepEqual(activity.error, { code: 'run/not-found', message: 'No run r9.' });
});

test('an opened item shows its image; an image that arrives after another item was opened is not shown', async () => {
  const { client, drill } = setup();
  const first = deferred<{ ok: true; value: { dataUrl: string } }>();
  client.answer('items:image', (input) => (input.hash === H1 ? first.promise : ok({ dataUrl: 'data:image/png;base64,BBB' })) as never);
  const opening = drill.openItem(item('i1', H1));
  assert.equal(drill.open?.item, 'i1');
  assert.equal(drill.image, null);
  await drill.openItem(item('i2', H2));
  assert.equal(drill.image, 'data:image/png;base64,BBB');
  first.resolve(ok({ dataUrl: 'data:image/png;base64,AAA' }));
  await opening;
  assert.equal(drill.open?.item, 'i2');
  assert.equal(drill.image, 'data:image/png;base64,BBB', 'the late image of i1 does not replace i2’s');
});

test('an item without an image asks for none; closing and a new study clear what is open', async () => {
  const { client, drill } = setup();
  client.answer('runs:items', ok({ total: 1, items: [item('i1')] }));
  await drill.openItem(item('i1'));
  assert.equal(drill.open?.item, 'i1');
  assert.equal(client.inputs('items:image').length, 0);
  drill.closeItem();
  assert.equal(drill.open, null);
  assert.equal(drill.image, null);
  await drill.loadItems('r1');
  await drill.openItem(item('i1'));
  drill.reset();
  assert.equal(drill.page, null);
  assert.equal(drill.open, null);
});
