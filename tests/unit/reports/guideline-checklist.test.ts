// The report's checklist covers every CLAIM 2024 item (1–44) and every TRIPOD+AI item and sub-item (52) by number,
// each answered by one of the software's topic rows (none falls through to the default), with sections that exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SECTIONS, buildChecklist, buildItemChecklist } from '../../../electron/reports/checklist.ts';
import { CLAIM_2024_ITEMS, TRIPOD_AI_ITEMS } from '../../../electron/reports/guideline-items.ts';
import type { ReportData } from '../../../electron/reports/report-data.ts';

const data = (runs: Array<{ kind: string; failures?: Record<string, unknown> | null }>): ReportData => ({
  schemaVersion: 1,
  study: { id: 's', name: 'n', intendedUse: 'Research', createdAt: '', createdBy: 'x', runs: [] },
  runs: runs as unknown as ReportData['runs'],
  versions: [],
  datasets: [],
  models: [],
});

test('the published numbering: CLAIM 2024 items 1–44; TRIPOD+AI 27 items in 52 rows', () => {
  assert.deepEqual(
    CLAIM_2024_ITEMS.map((i) => i.item),
    Array.from({ length: 44 }, (_, i) => String(i + 1)),
  );
  assert.equal(TRIPOD_AI_ITEMS.length, 52);
  assert.equal(new Set(TRIPOD_AI_ITEMS.map((i) => i.item.replace(/[a-z]$/, ''))).size, 27);
  assert.equal(new Set(TRIPOD_AI_ITEMS.map((i) => i.item)).size, 52);
});

test('every item is answered by a topic row; sections exist; failure analysis is CLAIM 39 in the failures section', () => {
  const rows = buildChecklist(data([{ kind: 'diagnose', failures: { t: {} } }, { kind: 'sft' }]));
  const items = buildItemChecklist(rows);
  assert.equal(items.length, 96);
  assert.deepEqual(
    items.filter((i) => i.answeredBy === null).map((i) => `${i.guideline} ${i.item}`),
    [],
  );
  const sections = new Set(SECTIONS.map(([id]) => id as string));
  for (const i of items) if (i.section) assert.ok(sections.has(i.section), `${i.guideline} ${i.item}: ${i.section}`);
  const claim39 = items.find((i) => i.guideline === 'CLAIM 2024' && i.item === '39')!;
  assert.deepEqual([claim39.section, claim39.status], ['failures', 'answered']);
  assert.equal(items.find((i) => i.guideline === 'CLAIM 2024' && i.item === '27')!.status, 'not-applicable');
  // without training, training items say so
  const none = buildItemChecklist(buildChecklist(data([{ kind: 'diagnose', failures: null }])));
  assert.equal(none.find((i) => i.guideline === 'CLAIM 2024' && i.item === '24')!.status, 'not-applicable');
  assert.equal(none.find((i) => i.guideline === 'CLAIM 2024' && i.item === '39')!.status, 'not-answered');
});
