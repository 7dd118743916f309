/// <reference lib="dom" />
// The Data step's import form for the sources data-step.test.ts does not cover: a DICOM folder, a PMC-VQA CSV with
// its images.zip, VQA-RAD with a partial image folder and SLAKE without images, each filled in like a user would
// (source, paths, options) on one empty workspace served by `medbridge serve`. After each import the numbers the UI
// shows (imported, rejected, duplicates, warnings, per-modality and per-split bars, the rejection table) are compared
// with datasets:get and items:list, and with the fixture MANIFESTs. For DICOM no identifying value from the fixture
// files (the attributes the workspace leak test searches for) may appear in the page. The form and each result pass
// the accessibility check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readDicomDataSet } from '../../electron/dicom/index.ts';
import { EXPECTED as DICOM_EXPECTED } from '../unit/dicom/fixture-table.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, nonLoopbackRequests, num, ROOT, screenshot, until, useServedApp } from './harness.ts';

const DICOM = join(ROOT, 'tests', 'fixtures', 'dicom');
const FORMATS = join(ROOT, 'tests', 'fixtures', 'formats');
const IMPORT_TIMEOUT_MS = 60_000;
/** tests/fixtures/formats/MANIFEST.md */
const PMC = {
  csv: join(FORMATS, 'pmc-vqa', 'train.csv'),
  zip: join(FORMATS, 'pmc-vqa', 'images.zip'),
  imported: 5,
  rejected: [
    [7, 'image-missing'],
    [8, 'bad-answer-label'],
    [9, 'unsafe-path'],
  ],
};
const RAD = {
  json: join(FORMATS, 'vqa-rad', 'testset.json'),
  images: join(FORMATS, 'vqa-rad', 'images'),
  imported: 451,
  closed: 272,
  open: 179,
  firstWithImages: 20,
};
const SLAKE = { json: join(FORMATS, 'slake', 'test.json'), imported: 2094, closed: 836, open: 1258 };

const skip = chromiumMissingReason();

interface Rejection {
  file: string;
  row: number | null;
  code: string;
  reason: string;
}
interface DatasetDetail {
  id: string;
  source: string;
  imported: number;
  rejected: number;
  duplicates: number;
  quarantined: number;
  warnings: number;
  byModality: Record<string, number>;
  bySplit: Record<string, number>;
  deidentification: Record<string, unknown> | null;
  rejections: Rejection[];
  quarantine: Rejection[];
  warningList: Rejection[];
}
interface ItemRow {
  id: string;
  sourceKey: string;
  modality: string;
  modalitySource: string;
  questionType: string;
  imageHash: string | null;
  patient: string | null;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The DICOM files tests/fixtures/dicom/MANIFEST.md lists (first column of its table). */
function manifestDicomFiles(): string[] {
  const text = readFileSync(join(DICOM, 'MANIFEST.md'), 'utf8');
  return [...text.matchAll(/^\| ([^|]+\.dcm) \|/gm)].map((m) => (m[1] as string).trim());
}

/**
 * Identifying values in the fixture files, found as tests/integration/data/dicom-import-leak.test.ts finds them: the
 * same attributes, whole values and their name parts, leaving out placeholders and short numbers that occur anywhere.
 */
const IDENTIFYING: Record<string, string> = {
  x00100010: 'PatientName',
  x00100020: 'PatientID',
  x00100030: 'PatientBirthDate',
  x00080050: 'AccessionNumber',
  x00080080: 'InstitutionName',
  x00080081: 'InstitutionAddress',
  x00080090: 'ReferringPhysicianName',
  x00081070: 'OperatorsName',
  x00081050: 'PerformingPhysicianName',
  x00081010: 'StationName',
};
function meaningful(s: string): boolean {
  if (/^\d+$/.test(s) && s.length < 6) return false;
  return s.length >= 4 && new Set(s.replace(/[^A-Za-z0-9]/g, '')).size >= 2;
}
function identifyingStrings(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const f of files) {
    const r = readDicomDataSet(new Uint8Array(readFileSync(f)), f);
    if (!r.ok) continue;
    for (const [tag, name] of Object.entries(IDENTIFYING)) {
      let v: string | undefined;
      try {
        v = r.dataSet.string(tag);
      } catch {
        v = undefined;
      }
      const whole = (v ?? '').replace(/\0/g, '').trim();
      const parts = whole.split(/[\\^=]/).map((s) => s.trim());
      for (const p of [...parts, whole]) if (meaningful(p)) found.set(p, `${name} of ${relative(DICOM, f)}`);
    }
  }
  return found;
}

describe('Data step imports: DICOM, PMC-VQA, VQA-RAD, SLAKE (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 240_000 }, () => {
  const app = useServedApp();
  const { page, text, api } = app;
  const imported: Record<string, number> = {};
  let previous = '';

  /** Every item of a dataset through items:list, page by page (the contract caps a page at 500). */
  async function allItems(datasetId: string): Promise<ItemRow[]> {
    const out: ItemRow[] = [];
    for (;;) {
      const r = await api<{ total: number; items: ItemRow[] }>('items:list', { datasetId, offset: out.length, limit: 500 });
      out.push(...r.items);
      if (out.length >= r.total || r.items.length === 0) return out;
    }
  }
  const countBy = <T>(rows: readonly T[], key: (r: T) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return out;
  };
  const bars = (testid: string) =>
    page
      .getByTestId(testid)
      .locator('rect.bar')
      .evaluateAll((rects) => Object.fromEntries(rects.map((b) => [b.getAttribute('data-key'), Number(b.getAttribute('data-value'))])));
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

  async function accessible(what: string): Promise<void> {
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], `${what}: accessibility problems`);
    assert.ok(r.checkedControls > 5, `${what}: the check saw the form (${r.checkedControls} controls)`);
  }

  /** Starts the import filled in, waits for its summary, and checks every number it shows against datasets:get. */
  async function startAndCompare(label: string): Promise<{ detail: DatasetDetail; items: ItemRow[] }> {
    await page.getByTestId('import-start').click();
    const id = await until(
      `the ${label} import summary`,
      async () => {
        // one atomic read: the summary is replaced while an import starts, so count-then-read could wait on a vanished node
        return page.evaluate(() => document.querySelector('[data-testid="import-summary"]')?.getAttribute('data-dataset-id') ?? '');
      },
      (v) => v !== '' && v !== previous,
      IMPORT_TIMEOUT_MS,
      100,
    );
    previous = id;
    const detail = await api<DatasetDetail>('datasets:get', { id, rejectionsLimit: 5000 });
    await until(
      `${label}: the summary shows ${detail.imported} imported`,
      () => text('summary-imported'),
      (t) => num(t) === detail.imported,
    );
    for (const key of ['imported', 'rejected', 'duplicates', 'quarantined', 'warnings'] as const) {
      assert.equal(num(await text(`summary-${key}`)), detail[key], `${label}: ${key} shown`);
    }
    assert.deepEqual(sorted(await bars('summary-by-modality')), sorted(detail.byModality), `${label}: modality bars`);
    assert.deepEqual(sorted(await bars('summary-by-split')), sorted(detail.bySplit), `${label}: split bars`);
    const items = await allItems(id);
    assert.equal(items.length, detail.imported, `${label}: items:list holds what was imported`);
    assert.deepEqual(sorted(countBy(items, (i) => i.modality)), sorted(detail.byModality), `${label}: modalities of the items`);
    // The rejection table (first page of 20) shows the contract's rejections in order: file, row, code, reason.
    const shownRows = await page
      .locator('[data-testid="rejections-row"]')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.deepEqual(
      shownRows,
      detail.rejections.slice(0, 20).map((r) => [r.file, r.row === null ? '—' : String(r.row), r.code, r.reason]),
      `${label}: rejection table`,
    );
    // The warnings table says what each warning is.
    const shownWarnings = await page
      .locator('[data-testid="warnings-row"]')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.equal(detail.warningList.length, detail.warnings, `${label}: every warning listed`);
    assert.deepEqual(
      shownWarnings,
      detail.warningList.map((r) => [r.file, r.row === null ? '—' : String(r.row), r.code, r.reason]),
      `${label}: warnings table`,
    );
    imported[id] = detail.imported;
    return { detail, items };
  }

  it('opens the Data step; the DICOM form offers labels, date handling and a question template, and passes the a11y check', async () => {
    await page.goto(app.host.url);
    await page.waitForURL(/#\/data$/);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('import-source').selectOption('dicom');
    for (const id of ['import-labels', 'import-dates-remove', 'import-dates-shift', 'import-question', 'import-seed']) await page.getByTestId(id).waitFor();
    assert.equal(await page.getByTestId('import-images').count(), 0, 'no images field for DICOM');
    assert.equal(await page.getByTestId('import-dates-remove').isChecked(), true, 'dates are removed by default');
    // Shifting dates asks for the days; a bad number is named before anything is sent.
    await page.getByTestId('import-dates-shift').check();
    await page.getByTestId('import-shift').fill('99999');
    await page.getByTestId('import-path').fill(DICOM);
    await page.getByTestId('import-start').click();
    await page.locator('#import-shift-error').waitFor();
    assert.equal(await page.getByTestId('import-shift').getAttribute('aria-invalid'), 'true');
    await accessible('DICOM form with an error');
    await page.getByTestId('import-dates-remove').check();
    assert.equal(await page.getByTestId('import-shift').count(), 0);
  });

  it('imports the DICOM fixture folder: every file imported or rejected with its reason, numbers equal the contract, no identifying value shown', async () => {
    const files = walk(DICOM).map((f) => relative(DICOM, f));
    const listed = manifestDicomFiles();
    assert.deepEqual(files.filter((f) => f.endsWith('.dcm')).sort(), [...listed].sort(), 'MANIFEST.md lists every .dcm file');
    const { detail, items } = await startAndCompare('DICOM');
    assert.equal(detail.source, 'dicom');
    // Every file in the folder (the MANIFEST's 33 DICOM files and MANIFEST.md itself) is accounted for.
    assert.equal(detail.imported + detail.rejected + detail.quarantined, files.length);
    const rejectedBy = new Map(detail.rejections.map((r) => [r.file, r]));
    assert.equal(rejectedBy.get('MANIFEST.md')?.code, 'dicom/not-dicom');
    for (const [file, expected] of Object.entries(DICOM_EXPECTED)) {
      const r = rejectedBy.get(file);
      if (!expected.decoded) assert.equal(r?.code, expected.code, `${file} is rejected as the fixture table says`);
      // A readable image is only refused when nothing can be asked about it: no askable modality and no labels CSV.
      else if (r) assert.match(r.reason, /labels CSV/, `${file}: ${r.reason}`);
    }
    assert.equal(detail.rejected, detail.rejections.length);
    assert.ok(
      items.every((i) => i.modalitySource === 'dicom-tag' && i.imageHash !== null && /^P-[0-9a-f]+$/.test(i.patient ?? '')),
      'DICOM items: modality from the tag, an image, a pseudonym',
    );
    // The de-identification record is shown with its profile and method code.
    assert.match(await text('deidentification'), /Annex E/);
    assert.match((await page.getByTestId('import-summary').textContent()) ?? '', /DCM 113100/);
    await accessible('DICOM import summary');
    await page.getByTestId('import-summary').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-imports-01-dicom');

    const secrets = identifyingStrings(walk(DICOM).filter((f) => f.endsWith('.dcm')));
    assert.ok(secrets.size >= 20, `found ${secrets.size} identifying strings to look for`);
    /** All text of the page: text nodes, form values and attributes, without image data URLs. */
    const pageText = () =>
      page.evaluate(() => {
        const parts = [document.body.textContent ?? ''];
        for (const el of document.querySelectorAll('*')) {
          for (const a of el.attributes) if (!a.value.startsWith('data:')) parts.push(a.value);
          if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) parts.push(el.value);
        }
        return parts.join('\n');
      });
    const leaks = async (where: string) => {
      const t = await pageText();
      return [...secrets].filter(([s]) => t.includes(s)).map(([s, what]) => `${what} ("${s}") on ${where}`);
    };
    assert.ok((await pageText()).includes(detail.id), 'the scan sees the summary text');
    const found = await leaks('the import summary');
    // Browse the DICOM items and open one (question, options, patient pseudonym, modality source).
    await page.getByTestId('summary-browse').click();
    await until(
      'the DICOM items',
      () => text('items-total'),
      (t) => num(t) === detail.imported,
    );
    await page.getByTestId('item-row').first().click();
    await page.getByTestId('item-detail').waitFor();
    await page.getByTestId('item-image').waitFor();
    const opened = (await page.getByTestId('item-detail').getAttribute('data-item-id')) ?? '';
    const pseudonym = items.find((i) => i.id === opened)?.patient ?? '';
    assert.ok(pseudonym && (await pageText()).includes(pseudonym), 'the item shows its patient pseudonym, which the scan sees');
    found.push(...(await leaks('the item browser')));
    await page.getByTestId('nav-audit').click();
    await page.locator('[data-testid="audit-row"]').first().waitFor({ timeout: 10_000 });
    found.push(...(await leaks('the audit log')));
    assert.deepEqual(found, []);
    // The check can fail: the values are in the fixture files.
    const inputBytes = Buffer.concat(
      walk(DICOM)
        .filter((f) => f.endsWith('.dcm'))
        .map((f) => readFileSync(f)),
    );
    assert.ok([...secrets.keys()].filter((s) => inputBytes.includes(Buffer.from(s, 'utf8'))).length >= secrets.size * 0.9);
    await page.getByTestId('nav-data').click();
    await page.getByTestId('data-tab-import').click();
  });

  it('imports PMC-VQA with its images.zip: images are required, bad rows rejected by row number as the MANIFEST says', async () => {
    await page.getByTestId('import-source').selectOption('pmc-vqa');
    assert.match(await page.locator('label[for="import-images"]').innerText(), /Images folder or \.zip/);
    assert.equal(await page.getByTestId('import-seed').count(), 0, 'PMC-VQA keeps its published option order: no seed');
    await page.getByTestId('import-path').fill(PMC.csv);
    await page.getByTestId('import-start').click();
    await page.locator('#import-images-error').waitFor();
    await page.getByTestId('import-images').fill(PMC.zip);
    await page.getByTestId('import-split').selectOption('train');
    await accessible('PMC-VQA form');
    const { detail, items } = await startAndCompare('PMC-VQA');
    assert.equal(detail.imported, PMC.imported);
    assert.deepEqual(
      detail.rejections.map((r) => [r.row, r.code]),
      PMC.rejected,
    );
    assert.deepEqual(detail.bySplit, { train: PMC.imported });
    assert.ok(
      items.every((i) => i.imageHash !== null),
      'every imported PMC-VQA item has its figure',
    );
    await accessible('PMC-VQA import summary');
  });

  it('imports VQA-RAD with its partial image folder: 451 questions, 272 closed / 179 open, misses summed up in one warning', async () => {
    await page.getByTestId('import-source').selectOption('vqa-rad');
    // VQA-RAD reads images from a folder only: the field must not offer a .zip.
    assert.match(await page.locator('label[for="import-images"]').innerText(), /^Images folder\s*\(optional\)$/);
    await page.getByTestId('import-path').fill(RAD.json);
    await page.getByTestId('import-images').fill(RAD.images);
    await accessible('VQA-RAD form');
    const { detail, items } = await startAndCompare('VQA-RAD');
    assert.equal(detail.imported, RAD.imported);
    assert.equal(detail.rejected, 0);
    assert.equal(detail.warnings, 1, 'the missing images are one summary warning');
    assert.deepEqual(
      countBy(items, (i) => i.questionType),
      { closed: RAD.closed, open: RAD.open },
    );
    assert.ok(
      items.slice(0, RAD.firstWithImages).every((i) => i.imageHash !== null),
      'the first 20 questions have their images',
    );
    assert.deepEqual(detail.bySplit, { test: RAD.imported });
    await accessible('VQA-RAD import summary');
  });

  it('imports SLAKE without images: 2094 questions (836 closed / 1258 open), modality from the source', async () => {
    await page.getByTestId('import-source').selectOption('slake');
    await page.getByTestId('import-path').fill(SLAKE.json);
    const { detail, items } = await startAndCompare('SLAKE');
    assert.equal(detail.imported, SLAKE.imported);
    assert.equal(detail.rejected, 0);
    assert.equal(detail.warnings, 1, 'images absent is said once');
    assert.deepEqual(
      countBy(items, (i) => i.questionType),
      { closed: SLAKE.closed, open: SLAKE.open },
    );
    assert.ok(items.every((i) => i.modalitySource === 'source' && i.imageHash === null));
    for (const [m, n] of Object.entries(detail.byModality)) {
      const r = await api<{ total: number }>('items:list', { datasetId: detail.id, modality: m, limit: 1 });
      assert.equal(r.total, n, `items:list of ${m}`);
    }
    await accessible('SLAKE import summary');
    // The list of datasets shows all four imports with the counts the contract gives.
    const rows = await page.getByTestId('dataset-row').count();
    assert.equal(rows, 4);
    const shown = (await page.getByTestId('dataset-imported').allTextContents()).map(num);
    assert.deepEqual(shown, Object.values(imported));
    const total = Object.values(imported).reduce((a, b) => a + b, 0);
    assert.match(await text('step-lead'), new RegExp(`^4 datasets · ${total.toLocaleString('en-US')} items`));
    await page.getByTestId('dataset-list').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-imports-02-datasets');
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.ok(app.session.requests.length > 0, 'requests were recorded');
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
