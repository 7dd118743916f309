/// <reference lib="dom" />
// The Report step insists on a study's essentials: the built renderer in Debian's Chromium against `medbridge serve`
// on a workspace seeded through the CLI (BreastMNIST fixture balanced to 120 items, the bundled reference pack
// diagnosed on the test split). Creating a study with an empty name, then with an intended use of spaces only, is
// refused at the field (message under it, aria-invalid, focus moved there) and no study exists (studies:list); the
// host refuses the same blank values from any door with a coded error naming the field; with both stated, the study
// is created with the values typed, and the page shows the study the API lists. Screenshots at 1280×720 and 1440×900.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { STUDY_FIELD_REQUIRED } from '../../shared/study-fields.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, until, useServedApp } from './harness.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const BALANCE_TOTAL = 120;
const NAME = 'BreastMNIST test split, reference model';
const INTENDED_USE = 'Research only: does the reference model separate benign from malignant? Not for clinical use.';

const skip = chromiumMissingReason();

interface Study {
  id: string;
  name: string;
  intendedUse: string | null;
  runs: string[];
}

describe('Report step: a study needs a name and an intended use (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 240_000 }, () => {
  let diagnosis = '';
  const app = useServedApp({
    prepare: (ws) => {
      const at = ['--workspace', ws.workspace, '--json'];
      const breast = (JSON.parse(cli(['import', 'medmnist', BREAST, ...at])) as { dataset: string }).dataset;
      const version = (JSON.parse(cli(['balance', '--datasets', breast, '--split', 'source', '--total', String(BALANCE_TOTAL), ...at])) as { id: string }).id;
      diagnosis = (JSON.parse(cli(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'test', ...at])) as { run: string }).run;
    },
  });
  const { page, api } = app;
  const requests: string[] = [];

  const studies = () => api<Study[]>('studies:list', {});
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');

  /** The raw answer of a call from inside the page (callApi fails on {ok:false}; here the refusal is the point). */
  const rawCall = (name: string, input: unknown) =>
    page.evaluate(
      async ([n, i]) => (await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i) })).json(),
      [name, input] as const,
    ) as Promise<{ ok: boolean; error?: { code: string; message: string; detail?: { field?: string } } }>;

  it('refuses an empty name at its field, with focus moved there, and creates nothing', async () => {
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${app.host.url}#/report`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await until('the diagnosis offered for the study', () => page.locator(`[data-testid="study-run"][data-run-id="${diagnosis}"]`).count(), (n) => n === 1, 20_000);
    await page.getByTestId('study-use').fill(INTENDED_USE);
    await page.getByTestId('create-study').click();
    await page.getByTestId('study-name-error').waitFor();
    assert.equal(await app.text('study-name-error'), STUDY_FIELD_REQUIRED.name);
    assert.equal(await focusedId(), 'study-name', 'focus on the name field');
    const name = page.getByTestId('study-name');
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.equal(await name.getAttribute('aria-describedby'), 'study-name-error');
    assert.equal(await page.getByTestId('study-use-error').count(), 0, 'the intended use was given');
    assert.deepEqual(await studies(), []);
    await screenshot(page, 'report-essentials-1280x720-name-refused');
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'accessibility problems with the error shown');
  });

  it('refuses an intended use of spaces only at its field, and the name error goes once a name is typed', async () => {
    await page.getByTestId('study-name').fill(NAME);
    assert.equal(await page.getByTestId('study-name-error').count(), 0, 'typing clears the name error');
    await page.getByTestId('study-use').fill('   \n  ');
    await page.getByTestId('create-study').click();
    await page.getByTestId('study-use-error').waitFor();
    assert.equal(await app.text('study-use-error'), STUDY_FIELD_REQUIRED.intendedUse);
    assert.equal(await focusedId(), 'study-use', 'focus on the intended-use field');
    assert.equal(await page.getByTestId('study-use').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await studies(), []);
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'report-essentials-1440x900-use-refused');
  });

  it('the host refuses the same blank values from any door with a coded error naming the field', async () => {
    for (const [field, input] of [
      ['name', { name: '  ', intendedUse: INTENDED_USE, runs: [diagnosis] }],
      ['intendedUse', { name: NAME, intendedUse: ' ', runs: [diagnosis] }],
      ['intendedUse', { name: NAME, runs: [diagnosis] }],
    ] as const) {
      const r = await rawCall('studies:create', input);
      assert.equal(r.ok, false, JSON.stringify(input));
      assert.equal(r.error?.code, 'request/invalid-input');
      assert.equal(r.error?.detail?.field, field);
      assert.ok(r.error?.message.includes(STUDY_FIELD_REQUIRED[field]), r.error?.message);
    }
    assert.deepEqual(await studies(), []);
  });

  it('with both stated, creates the study with the values typed; the page shows the study the API lists', async () => {
    await page.getByTestId('study-use').fill(`  ${INTENDED_USE}  `);
    assert.equal(await page.getByTestId('study-use-error').count(), 0, 'typing clears the intended-use error');
    await page.getByTestId('create-study').click();
    await page.getByTestId('study-id').waitFor();
    const listed = await studies();
    assert.equal(listed.length, 1);
    const study = listed[0] as Study;
    assert.equal(study.name, NAME);
    assert.equal(study.intendedUse, INTENDED_USE, 'trimmed');
    assert.deepEqual(study.runs, [diagnosis]);
    const shown = await app.text('study-id');
    assert.ok(shown.includes(study.id) && shown.includes(INTENDED_USE), shown);
    await screenshot(page, 'report-essentials-1440x900-created');
    assert.deepEqual(nonLoopbackRequests(requests), []);
  });
});
