import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { detail, PACK, pack, summary, VERSION } from './fixtures.ts';
import { studyWithSelection } from './study-setup.ts';

registerSvelteRunes();
const { DiagnoseSelectionState } = await import('../../../../renderer/src/lib/state/diagnose-selection.svelte.ts');
type Router = ConstructorParameters<typeof DiagnoseSelectionState>[1];

/** The router's address query, without a window. */
function fakeRouter(query = ''): Router & { writes: string[] } {
  const router = {
    query,
    writes: [] as string[],
    replaceQuery: (q: string) => {
      router.query = q;
      router.writes.push(q);
    },
  };
  return router as unknown as Router & { writes: string[] };
}

test('the diagnosis shown is one computed on exactly the selection: the study’s diagnosis of another split is not shown', () => {
  const { study } = studyWithSelection();
  study.runs.ids = { ...study.runs.ids, diagnosis: 'r-diag' };
  study.runs.details = { 'r-diag': detail('r-diag', { split: 'test' }) };
  const sel = new DiagnoseSelectionState(study, fakeRouter());
  const shown = () => sel.shown;
  study.selection.split = 'test';
  assert.equal(shown()?.id, 'r-diag');
  study.selection.split = 'val';
  assert.equal(shown(), null, 'a test-split diagnosis answers no val-split selection');
  // An earlier diagnosis of that selection in the run list is shown (the details' copy when loaded).
  study.runList.runs = [summary('r-val', { split: 'val', state: 'running' })];
  assert.equal(shown()?.state, 'running');
  study.runs.details = { ...study.runs.details, 'r-val': detail('r-val', { split: 'val' }) };
  assert.equal(shown()?.state, 'done');
});

test('an address sets the pickers once (known packs only); the pickers write the address', () => {
  const { study } = studyWithSelection();
  const other = 'c'.repeat(64);
  study.catalog.models = [pack(PACK), pack(other, 'vlm')];
  const router = fakeRouter(`model=${other}&version=dv-2&split=test&k=4`);
  const sel = new DiagnoseSelectionState(study, router);
  sel.adoptAddress([VERSION, 'dv-2']);
  assert.deepEqual(sel.selection, { model: other, version: 'dv-2', split: 'test', k: 4 });
  study.selection.selectSplit('val');
  sel.adoptAddress([VERSION, 'dv-2']);
  assert.equal(study.selection.split, 'val', 'the same address is not adopted twice');
  sel.write();
  assert.deepEqual(router.writes, [`model=${other}&version=dv-2&split=val&k=4`]);
  const unknown = new DiagnoseSelectionState(study, fakeRouter(`model=${'f'.repeat(64)}&version=dv-9`));
  unknown.adoptAddress([VERSION, 'dv-2']);
  assert.equal(study.selection.model, other, 'an unknown pack is ignored');
  assert.equal(study.selection.version, 'dv-2', 'an unknown version is ignored');
});
