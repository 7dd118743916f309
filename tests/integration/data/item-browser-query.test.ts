// The item browser's host queries on a real workspace (BreastMNIST + the blood-cell image folder, one frozen version)
// through `medbridge serve`: every filtered total and page of items:list equals what filtering the full item list in
// this test gives, pages are stable and disjoint, items:facets counts each choice over the whole selection (not the
// rows loaded), and bad selections are refused with a coded error naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FacetCount, ItemFacets, ItemRow } from '../../../shared/api/datasets.ts';
import { REPO_ROOT, api, runCli, startServe, tempDir, type Served } from '../../helpers/cli.ts';

const FX = join(REPO_ROOT, 'tests', 'fixtures', 'formats');
/** tests/fixtures/formats/MANIFEST.md: BreastMNIST 780 items; blood-cell-pbc 80 items over 8 classes. */
const BREAST_TOTAL = 780;
const BLOOD_TOTAL = 80;
const PAGE = 37;
const CONTRACT_MAX_PAGE = 500;

interface Selection {
  datasetId?: string;
  versionId?: string;
  task?: string;
  answer?: string;
  modality?: string;
  split?: string;
  search?: string;
}

async function listAll(s: Served, sel: Selection): Promise<{ total: number; items: ItemRow[] }> {
  const out: ItemRow[] = [];
  let total = -1;
  do {
    const r = await api(s, 'items:list', { ...sel, offset: out.length, limit: CONTRACT_MAX_PAGE });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    total = r.body.value.total as number;
    out.push(...(r.body.value.items as ItemRow[]));
    if ((r.body.value.items as ItemRow[]).length === 0) break;
  } while (out.length < total);
  return { total, items: out };
}

/** The search as the contract states it, done here in plain JS: every word in question, answer, source key or task. */
function matchesSearch(it: ItemRow, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const hay = [it.question, it.answer, it.sourceKey, it.task].map((x) => x.toLowerCase());
  return words.every((w) => hay.some((h) => h.includes(w)));
}

function tally(values: string[]): FacetCount[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([value, n]) => ({ value, n })).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

test('items:list and items:facets: server-side filters and search equal a direct count over every item', async (t) => {
  const { dir, cleanup } = tempDir('item-browser');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const [breast, blood] = [
    runCli(['import', 'medmnist', join(FX, 'medmnist', 'BreastMNIST.npz'), '--workspace', ws, '--json']),
    runCli([
      'import',
      'image-folder',
      join(FX, 'images', 'blood-cell-pbc'),
      '--modality',
      'microscopy',
      '--task',
      'blood-cell-type',
      '--workspace',
      ws,
      '--json',
    ]),
  ].map((r) => {
    assert.equal(r.code, 0, r.stderr);
    return (r.json as { dataset: string }).dataset;
  }) as [string, string];
  const made = runCli(['balance', '--datasets', `${breast},${blood}`, '--total', '120', '--split', 'source', '--seed', '5', '--workspace', ws, '--json']);
  assert.equal(made.code, 0, made.stderr);
  const version = (made.json as { id: string }).id;

  const s = await startServe(ws);
  t.after(() => s.stop());

  const everything = await listAll(s, {});
  assert.equal(everything.total, BREAST_TOTAL + BLOOD_TOTAL);
  assert.equal(new Set(everything.items.map((i) => i.id)).size, everything.total, 'paging over everything returns each item once');
  const all = everything.items;

  // Each selection against the same filter done in JS on the full list (import order kept).
  const bloodClass = all.find((i) => i.datasetId === blood)?.answer ?? '';
  const cases: Array<[string, Selection, (i: ItemRow) => boolean]> = [
    ['one dataset', { datasetId: blood }, (i) => i.datasetId === blood],
    ['a task', { task: 'breastmnist' }, (i) => i.task === 'breastmnist'],
    ['a class', { answer: bloodClass }, (i) => i.answer === bloodClass],
    ['a class in a split', { answer: 'malignant', split: 'test' }, (i) => i.answer === 'malignant' && i.sourceSplit === 'test'],
    ['a modality', { modality: 'microscopy' }, (i) => i.modality === 'microscopy'],
    ['search, any case', { search: 'MALIGNANT' }, (i) => matchesSearch(i, 'MALIGNANT')],
    ['search on a source key', { search: 'train/12' }, (i) => matchesSearch(i, 'train/12')],
    ['two words', { search: 'breast test/1' }, (i) => matchesSearch(i, 'breast test/1')],
    ['search with LIKE wildcards taken literally', { search: '%_' }, (i) => matchesSearch(i, '%_')],
    ['search and dataset', { datasetId: blood, search: '.jpg' }, (i) => i.datasetId === blood && matchesSearch(i, '.jpg')],
  ];
  for (const [what, sel, keep] of cases) {
    const expected = all.filter(keep);
    const got = await listAll(s, sel);
    assert.equal(got.total, expected.length, `${what}: total`);
    assert.deepEqual(
      got.items.map((i) => i.id),
      expected.map((i) => i.id),
      `${what}: the same items in the same order`,
    );
  }
  assert.ok(
    all.filter((i) => matchesSearch(i, 'train/12')).length > 0 && all.filter((i) => i.answer === 'malignant').length > 0,
    'the searches and classes used above match something',
  );

  // Pages: consecutive pages of 37 are disjoint, in order, and together equal the whole selection.
  const sel: Selection = { task: 'breastmnist', split: 'train' };
  const whole = all.filter((i) => i.task === 'breastmnist' && i.sourceSplit === 'train').map((i) => i.id);
  const paged: string[] = [];
  for (let offset = 0; offset < whole.length; offset += PAGE) {
    const r = await api(s, 'items:list', { ...sel, offset, limit: PAGE });
    assert.equal(r.body.value.total, whole.length);
    paged.push(...(r.body.value.items as ItemRow[]).map((i) => i.id));
  }
  assert.deepEqual(paged, whole, 'pages of 37 concatenate to the selection');
  const again = await api(s, 'items:list', { ...sel, offset: PAGE * 3, limit: PAGE });
  assert.deepEqual(
    (again.body.value.items as ItemRow[]).map((i) => i.id),
    whole.slice(PAGE * 3, PAGE * 4),
    'the same page twice is the same rows',
  );

  // Facets over the whole dataset: every task/class/modality/split, each counted without its own filter.
  const f = (await api(s, 'items:facets', { datasetId: breast, split: 'test' })).body.value as ItemFacets;
  const breastAll = all.filter((i) => i.datasetId === breast);
  const breastTest = breastAll.filter((i) => i.sourceSplit === 'test');
  assert.equal(f.total, breastTest.length);
  assert.deepEqual(f.answers, tally(breastTest.map((i) => i.answer)), 'classes of the test split, all of them');
  assert.deepEqual(f.tasks, tally(breastTest.map((i) => i.task)));
  assert.deepEqual(f.modalities, tally(breastTest.map((i) => i.modality)));
  assert.deepEqual(f.splits, tally(breastAll.map((i) => i.sourceSplit ?? '')), 'the split facet ignores the split filter so every split stays choosable');
  const everyClass = (await api(s, 'items:facets', {})).body.value as ItemFacets;
  assert.deepEqual(everyClass.answers, tally(all.map((i) => i.answer)));
  assert.equal(everyClass.answers.find((a) => a.value === bloodClass)?.n, all.filter((i) => i.answer === bloodClass).length);
  // Two facet filters at once: each facet counted with the other one applied, the total with both.
  const two = (await api(s, 'items:facets', { answer: bloodClass, modality: 'microscopy' })).body.value as ItemFacets;
  const both = all.filter((i) => i.answer === bloodClass && i.modality === 'microscopy');
  assert.equal(two.total, both.length);
  assert.deepEqual(two.answers, tally(all.filter((i) => i.modality === 'microscopy').map((i) => i.answer)), 'classes under the modality filter');
  assert.deepEqual(two.modalities, tally(all.filter((i) => i.answer === bloodClass).map((i) => i.modality)), 'modalities under the class filter');
  assert.deepEqual(two.tasks, tally(both.map((i) => i.task)));
  assert.deepEqual(two.splits, tally(both.flatMap((i) => (i.sourceSplit ? [i.sourceSplit] : []))));

  // Inside a version the split is the version's split; totals still equal a direct count of versions:show.
  const detail = (await api(s, 'versions:show', { id: version })).body.value as { items: Array<{ item: string; split: string }> };
  for (const split of ['train', 'val', 'test']) {
    const expected = detail.items
      .filter((i) => i.split === split)
      .map((i) => i.item)
      .sort();
    const got = await listAll(s, { versionId: version, split });
    assert.equal(got.total, expected.length, `version ${split}`);
    assert.deepEqual(got.items.map((i) => i.id).sort(), expected);
  }
  const vf = (await api(s, 'items:facets', { versionId: version })).body.value as ItemFacets;
  assert.deepEqual(vf.splits, tally(detail.items.map((i) => i.split)));

  // Per-class counts per split of the version equal a count of versions:show's items joined with their rows.
  const full = (await api(s, 'versions:show', { id: version })).body.value as {
    removed: Record<string, number>;
    countsByTaskClassSplit: Record<string, Record<string, Record<string, number>>>;
  };
  const byId = new Map(all.map((i) => [i.id, i]));
  const expectedClass: Record<string, Record<string, Record<string, number>>> = {};
  for (const it of detail.items) {
    const row = byId.get(it.item) as ItemRow;
    const cell = ((expectedClass[row.task] ??= {})[row.answer] ??= {});
    cell[it.split] = (cell[it.split] ?? 0) + 1;
  }
  assert.deepEqual(full.countsByTaskClassSplit, expectedClass);

  // The duplicates the balancing removed, with what each matched: as many as the version's stored counts, none of
  // them in the version, each matching another item with the same question (and, if exact, the same image).
  const inVersion = new Set(detail.items.map((i) => i.item));
  for (const reason of ['near-duplicate', 'exact-duplicate'] as const) {
    const r = (await api(s, 'versions:removed', { id: version, reason, limit: 200 })).body.value as {
      reproduced: boolean;
      total: number;
      removed: Array<{ item: ItemRow; matches: ItemRow | null }>;
    };
    assert.equal(r.reproduced, true, 'the stored balancing reproduces the version');
    assert.equal(r.total, full.removed[reason] ?? 0, `${reason}: as many as versions:show counts`);
    assert.equal(r.removed.length, Math.min(200, r.total));
    for (const d of r.removed) {
      assert.ok(d.matches, `${reason} ${d.item.id} names its match`);
      assert.notEqual(d.item.id, d.matches.id);
      const q = (x: string) => x.trim().replace(/\s+/g, ' ').toLowerCase();
      assert.equal(q(d.item.question), q(d.matches.question), 'a duplicate asks the same question (dedupe.ts questionKey)');
      assert.ok(!inVersion.has(d.item.id), 'a removed duplicate is not in the version');
      if (reason === 'exact-duplicate') assert.equal(d.item.imageHash, d.matches.imageHash);
    }
  }
  const missing = await api(s, 'versions:removed', { id: 'dv-0000000000000000' });
  assert.equal(missing.body.error.code, 'not-found');

  // Refusals: an unknown dataset or version is named (not an empty page); bad paging and an over-long search are
  // refused at the boundary.
  const unknown = await api(s, 'items:list', { datasetId: 'no-such-dataset' });
  assert.equal(unknown.body.ok, false);
  assert.equal(unknown.body.error.code, 'not-found');
  assert.match(unknown.body.error.message, /no dataset no-such-dataset/);
  const unknownVersion = await api(s, 'items:facets', { versionId: 'dv-0000000000000000' });
  assert.equal(unknownVersion.body.error.code, 'not-found');
  for (const bad of [{ limit: 0 }, { limit: 501 }, { offset: -1 }, { search: 'x'.repeat(201) }, { split: 'dev' }, { colour: 'red' }]) {
    const r = await api(s, 'items:list', bad);
    assert.equal(r.body.ok, false, JSON.stringify(bad));
    assert.equal(r.body.error.code, 'request/invalid-input', JSON.stringify(bad));
  }
});
