/// <reference lib="dom" />
// The Report step insists on a study's essentials: the built renderer in Debian's Chromium against `medbridge serve`
// on a workspace seeded through the CLI (BreastMNIST fixture balanced to 120 items, the bundled reference pack
// diagnosed on the test split). Creating a study with an empty name, then with an intended use of spaces only, is
// refused at the field (message under it, aria-invalid, focus moved there) and no study exists (studies:list); the
// host refuses the same blank values from any door with a coded error naming the field; with both stated, the study
// is created with the values typed, and the page shows the study the API lists. The generated report's HTML and PDF
// are links: opened and downloaded, their bytes have the SHA-256 the bundle manifest lists; only files of the
// workspace's report folder are served (a file linked out of it, another name, no session: refused). Screenshots at
// 1280×720 and 1440×900.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
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
    await until(
      'the diagnosis offered for the study',
      () => page.locator(`[data-testid="study-run"][data-run-id="${diagnosis}"]`).count(),
      (n) => n === 1,
      20_000,
    );
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
  });

  it('links the report files: opened and downloaded, each has the SHA-256 the manifest lists; only the report folder is served', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('generate-report').click();
    await page.getByTestId('report-files').waitFor({ timeout: 120_000 });
    const report = (await page.getByTestId('report-files').getAttribute('data-report-id')) ?? '';
    const htmlPath = await app.text('report-html');
    const manifest = JSON.parse(readFileSync(join(htmlPath, '..', 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    const listed = (path: string) => manifest.files.find((f) => f.path === path)?.sha256;
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    for (const [file, testid] of [
      ['report.html', 'html'],
      ['report.pdf', 'pdf'],
    ] as const) {
      const open = page.getByTestId(`open-report-${testid}`);
      assert.equal(await open.getAttribute('href'), `/report-files/${report}/${file}`);
      assert.equal(await open.getAttribute('target'), '_blank');
      // what the link opens, fetched as the page would (same origin, session cookie)
      const opened = await page.evaluate(
        async (href) => {
          const r = await fetch(href);
          const bytes = new Uint8Array(await r.arrayBuffer());
          const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
          return {
            status: r.status,
            type: r.headers.get('content-type'),
            disposition: r.headers.get('content-disposition'),
            csp: r.headers.get('content-security-policy'),
            digest,
          };
        },
        (await open.getAttribute('href')) ?? '',
      );
      assert.equal(opened.status, 200, file);
      assert.equal(opened.digest, listed(file), `${file} opened = manifest`);
      assert.match(opened.disposition ?? '', /^inline/);
      assert.match(opened.csp ?? '', /^sandbox; default-src 'none'/);
      assert.equal(opened.type, file === 'report.pdf' ? 'application/pdf' : 'text/html; charset=utf-8');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-report-${testid}`).click()]);
      assert.equal(download.suggestedFilename(), `${report}-${file}`);
      assert.equal(sha(readFileSync(await download.path())), listed(file), `${file} downloaded = manifest`);
    }
    await app.scrollTo('report-files');
    await screenshot(page, 'report-essentials-1280x720-report-links');
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'accessibility problems with the links shown');

    // outside the report folder: a report.html linked to a file elsewhere, another file name, a made-up report
    const reports = join(app.ws.workspace, 'reports');
    mkdirSync(join(reports, 'rep-linked-out-v1'), { recursive: true });
    symlinkSync(join(app.ws.workspace, 'workspace.sqlite'), join(reports, 'rep-linked-out-v1', 'report.html'));
    const status = (href: string) => page.evaluate(async (h) => (await fetch(h)).status, href);
    assert.equal(await status('/report-files/rep-linked-out-v1/report.html'), 404);
    assert.equal(await status(`/report-files/${report}/review.json`), 404);
    assert.equal(await status(`/report-files/${report}/..%2F..%2Fworkspace.sqlite`), 404);
    assert.equal(await status('/report-files/rep-nothing-v9/report.pdf'), 404);
    // without the session's token
    assert.equal((await fetch(`${app.host.url}report-files/${report}/report.pdf`)).status, 401);
    assert.deepEqual(nonLoopbackRequests(requests), []);
  });
});
