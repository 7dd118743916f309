import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { FakeClient, ok } from './fake-client.ts';
import { PACK, pack, VISION_PACK } from './fixtures.ts';

registerSvelteRunes();
const { StudySelectionState } = await import('../../../../renderer/src/lib/state/study/selection.svelte.ts');
const { ModelCatalogState } = await import('../../../../renderer/src/lib/state/study/model-catalog.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

async function setup() {
  const client = new FakeClient().answer('models:list', ok([pack(VISION_PACK, 'vision'), pack(PACK, 'reference')]));
  const catalog = new ModelCatalogState(client, new StudyActivityState());
  await catalog.refresh();
  let saved = 0;
  return { selection: new StudySelectionState(catalog, () => saved++), saved: () => saved };
}

test('each choice the user makes is stored', async () => {
  const { selection, saved } = await setup();
  selection.selectModel(PACK);
  selection.selectVersion('dv-2');
  selection.selectSplit('test');
  assert.deepEqual([selection.model, selection.version, selection.split], [PACK, 'dv-2', 'test']);
  assert.equal(saved(), 3);
});

test('only a registered vision-only pack can be the vision pack', async () => {
  const { selection } = await setup();
  selection.selectVisionModel(VISION_PACK);
  assert.equal(selection.visionModel, VISION_PACK);
  selection.selectVisionModel(PACK);
  assert.equal(selection.visionModel, null, 'a pack that answers questions is not a vision-only pack');
  selection.selectVisionModel(null);
  assert.equal(selection.visionModel, null);
});

test('the newest version is taken until the user picks one that exists', async () => {
  const { selection, saved } = await setup();
  selection.syncVersions(['dv-new', 'dv-old']);
  assert.equal(selection.version, 'dv-new');
  selection.selectVersion('dv-old');
  selection.syncVersions(['dv-newer', 'dv-new', 'dv-old']);
  assert.equal(selection.version, 'dv-old');
  selection.syncVersions(['dv-newer']);
  assert.equal(selection.version, 'dv-newer', 'a version that is gone is replaced by the newest');
  selection.syncVersions([]);
  assert.equal(selection.version, null);
  assert.equal(saved(), 1, 'following the list is not a choice: only selectVersion stored');
});

test('defaults: the diagnosis model is a pack that answers (never a vision pack); a vision pack that is gone is dropped', async () => {
  const { selection } = await setup();
  selection.model = VISION_PACK;
  selection.visionModel = 'f'.repeat(64);
  selection.pickDefaults();
  assert.equal(selection.model, PACK);
  assert.equal(selection.visionModel, null);
});
