import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { FakeClient, fail, ok } from './fake-client.ts';
import { PACK, pack, VISION_PACK } from './fixtures.ts';

registerSvelteRunes();
const { ModelCatalogState } = await import('../../../../renderer/src/lib/state/study/model-catalog.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

test('the packs are split into the ones that answer questions and the vision-only ones', async () => {
  const client = new FakeClient().answer('models:list', ok([pack(PACK, 'reference'), pack(VISION_PACK, 'vision'), pack('c'.repeat(64), 'vlm')]));
  const catalog = new ModelCatalogState(client, new StudyActivityState());
  assert.equal(catalog.loaded, false);
  await catalog.refresh();
  assert.equal(catalog.loaded, true);
  assert.deepEqual(catalog.answerModels.map((m) => m.kind).sort(), ['reference', 'vlm']);
  assert.deepEqual(
    catalog.visionModels.map((m) => m.id),
    [VISION_PACK],
  );
});

test('a failed list keeps the packs known, puts the error in the study, and still counts as loaded', async () => {
  const client = new FakeClient().answer('models:list', ok([pack(PACK)]));
  const activity = new StudyActivityState();
  const catalog = new ModelCatalogState(client, activity);
  await catalog.refresh();
  client.answer('models:list', fail('workspace/locked', 'The workspace is busy.'));
  await catalog.refresh();
  assert.deepEqual(
    catalog.models.map((m) => m.id),
    [PACK],
  );
  assert.deepEqual(activity.error, { code: 'workspace/locked', message: 'The workspace is busy.' });
  assert.equal(catalog.loaded, true);
});
