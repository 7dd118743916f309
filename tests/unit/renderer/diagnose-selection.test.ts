import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  diagnosisForSelection,
  headlineKFor,
  selectionFromQuery,
  selectionQuery,
  type DiagnoseSelection,
} from '../../../renderer/src/lib/format/diagnose-selection.ts';
import { runLine, splitPhrase } from '../../../renderer/src/lib/format/study.ts';
import { hashQuery, hrefFor, parseHash } from '../../../renderer/src/lib/routes.ts';
import type { RunDetail } from '../../../shared/api/runs.ts';

const PACK = 'a'.repeat(64);
const OTHER_PACK = 'b'.repeat(64);
const SEL: DiagnoseSelection = { model: PACK, version: 'dv-0123456789abcdef', split: 'test', k: null };

type Run = {
  id: string;
  kind: string;
  pack: string;
  version: string | null;
  split: string | null;
  adapter: string | null;
  state: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
};
const run = (id: string, over: Partial<Run> = {}): Run => ({
  id,
  kind: 'diagnose',
  pack: PACK,
  version: SEL.version,
  split: 'test',
  adapter: null,
  state: 'done',
  ...over,
});

test('a selection goes into the address and comes back unchanged', () => {
  const sel: DiagnoseSelection = { ...SEL, k: 2 };
  const q = selectionQuery(sel);
  assert.equal(q, `model=${PACK}&version=dv-0123456789abcdef&split=test&k=2`);
  assert.deepEqual(selectionFromQuery(q), sel);
  // Keys without a value are left out.
  assert.equal(selectionQuery({ model: null, version: 'dv-1', split: 'val', k: null }), 'version=dv-1&split=val');
  // The hash route keeps its page and carries the query.
  const href = hrefFor('diagnose', q);
  assert.equal(href, `#/diagnose?${q}`);
  assert.equal(parseHash(href), 'diagnose');
  assert.equal(hashQuery(href), q);
  assert.equal(hashQuery('#/diagnose'), '');
  assert.equal(hrefFor('diagnose'), '#/diagnose');
});

test('an address with malformed values sets no picker from them', () => {
  assert.deepEqual(selectionFromQuery('split=validation&k=0&version=&model=../../etc'), {});
  assert.deepEqual(selectionFromQuery('k=65'), {}, 'above the largest K a diagnosis can hold');
  assert.deepEqual(selectionFromQuery('k=2.5&split=all'), { split: 'all' });
  assert.deepEqual(selectionFromQuery(`model=${'x'.repeat(101)}`), {});
});

test('only a base diagnosis on exactly this model, version and split answers a selection', () => {
  const runs = [
    run('adapter', { adapter: 'sft-run' }),
    run('other-split', { split: 'val' }),
    run('other-version', { version: 'dv-ffffffffffffffff' }),
    run('other-pack', { pack: OTHER_PACK }),
    run('probe', { kind: 'probe' }),
    run('failed', { state: 'failed' }),
  ];
  assert.equal(diagnosisForSelection(runs, SEL, null), null);
  const right = run('right');
  assert.equal(diagnosisForSelection([...runs, right], SEL, null)?.id, 'right');
  assert.equal(diagnosisForSelection([run('val', { split: 'val' })], { ...SEL, split: 'val' }, null)?.id, 'val');
  // A run stored without a split measured every split.
  assert.equal(diagnosisForSelection([run('all', { split: null })], { ...SEL, split: 'all' }, null)?.id, 'all');
});

test('the study’s own diagnosis wins, then the newest finished one, then one still running', () => {
  const runs = [run('running', { state: 'running' }), run('newer'), run('older')];
  assert.equal(diagnosisForSelection(runs, SEL, null)?.id, 'newer');
  assert.equal(diagnosisForSelection(runs, SEL, 'older')?.id, 'older');
  assert.equal(diagnosisForSelection(runs, SEL, 'running')?.id, 'running');
  assert.equal(diagnosisForSelection([run('running', { state: 'running' }), run('cancelled', { state: 'cancelled' })], SEL, 'cancelled')?.id, 'running');
  // The study's run of another selection is not taken for this one.
  assert.equal(diagnosisForSelection([run('study', { split: 'val' }), run('this')], SEL, 'study')?.id, 'this');
});

test('the headline K: the one picked when the run holds it, none when it does not, else the recipe’s', () => {
  const overall = { passAtK: { '1': 0.5, '2': 0.7, '4': 0.8, '8': 0.9 } };
  assert.equal(headlineKFor(overall, 2, 8), 2);
  assert.equal(headlineKFor(overall, 16, 8), null);
  assert.equal(headlineKFor(overall, null, 4), 4);
  assert.equal(headlineKFor(overall, null, 16), 8, 'the largest held when the recipe K is not');
});

test('the study summary line names its K and split, at the K it is given', () => {
  const overall = { n: 117, acc1: 0.5, passAtK: { '1': 0.5, '2': 0.75, '8': 0.98 } };
  const detail = { ...run('d'), split: 'test', metrics: { overall } } as unknown as RunDetail;
  assert.equal(runLine(detail, 2), 'Acc@1 50.0% · Pass@2 75.0% · test split, n = 117');
  assert.equal(runLine(detail), 'Acc@1 50.0% · Pass@8 98.0% · test split, n = 117');
  assert.equal(runLine({ ...detail, split: 'val' } as RunDetail, 2), 'Acc@1 50.0% · Pass@2 75.0% · validation split, n = 117');
  assert.equal(splitPhrase('all'), 'all splits');
  assert.equal(splitPhrase(null), 'all splits');
  assert.equal(splitPhrase('train'), 'training split');
});
