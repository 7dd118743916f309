/// <reference lib="dom" />
// axe-core finds no violation on any page of the app (issue 18): WCAG 2.0/2.1/2.2 A and AA plus axe's best practices,
// at 1440×900, on a workspace where every step has something to show. The workspace is prepared through the CLI
// (BreastMNIST fixture and the blood-cell image folder balanced to 120 items, the reference pack diagnosed on the
// validation split with its linear probe and recommendation, SFT then GRPO from SFT with a diagnosis of each adapter, a
// transfer matrix, a study with a report), so the pages show their tables, charts and forms, not empty states. Pages
// and states checked: Data (import, item list, item detail, full-resolution viewer dialog, gallery, balance preview,
// frozen version), Diagnose (results, item drill-down with an item open), Bridge, Sharpen (with the transfer heat map),
// Report (study, files, review), Jobs, Audit log (after a verification). A failure lists each rule with the elements.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeViolations, runAxe } from './axe.ts';
import { chromiumMissingReason, cli, ROOT, screenshot, useServedApp } from './harness.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats');
const BREAST = join(FIXTURES, 'medmnist', 'BreastMNIST.npz');
const BLOOD = join(FIXTURES, 'images', 'blood-cell-pbc');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const BALANCE_TOTAL = 120;
/** Few steps: the runs only need to exist, with curves, for the pages to show them. */
const TRAIN_STEPS = '20';
const VIEWPORT = { width: 1440, height: 900 };
/** axe runs well over this many rules on a page (passed or not applicable); fewer means it did not look. */
const MIN_RULES_SEEN = 60;
const WAIT_MS = 30_000;

const skip = chromiumMissingReason();

describe('axe-core on every page (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 600_000 }, () => {
  const app = useServedApp({
    prepare: (ws) => {
      const w = ['--workspace', ws.workspace, '--json'];
      const json = <T>(args: string[]) => JSON.parse(cli([...args, ...w])) as T;
      const breast = json<{ dataset: string }>(['import', 'medmnist', BREAST]).dataset;
      const blood = json<{ dataset: string }>(['import', 'image-folder', BLOOD, '--modality', 'microscopy', '--task', 'blood-cell']).dataset;
      const pack = json<{ id: string }>(['models', 'add', REFERENCE_PACK]).id;
      const version = json<{ id: string }>(['balance', '--datasets', `${breast},${blood}`, '--split', 'source', '--total', String(BALANCE_TOTAL)]).id;
      const on = ['--model', pack, '--version', version];
      const base = json<{ run: string }>(['diagnose', ...on, '--split', 'val']).run;
      json(['probe', ...on]);
      json(['recommend', '--run', base]);
      const sft = json<{ run: string }>(['train', 'sft', ...on, '--steps', TRAIN_STEPS]).run;
      json(['diagnose', ...on, '--split', 'val', '--adapter', sft]);
      const grpo = json<{ run: string }>(['train', 'grpo', ...on, '--init', sft, '--steps', TRAIN_STEPS]).run;
      json(['diagnose', ...on, '--split', 'val', '--adapter', grpo]);
      json(['transfer', ...on, '--train-task', 'breastmnist', '--init', sft, '--steps', TRAIN_STEPS]);
      const study = json<{ id: string }>([
        'studies',
        'create',
        '--name',
        'Accessibility check study',
        '--runs',
        `${base},${sft},${grpo}`,
        '--intended-use',
        'Research only; not for clinical use.',
      ]).id;
      json(['report', '--study', study]);
    },
  });
  const { page } = app;
  const rulesSeen: Record<string, number> = {};

  /** Screenshot, then axe on the page as it is; zero violations, listed by rule and element when not. */
  async function noViolations(name: string): Promise<void> {
    await screenshot(page, `axe-${name}-1440x900`);
    const report = await runAxe(page);
    assert.equal(report.violations.length, 0, `${name}: axe-core violations\n${describeViolations(report.violations)}`);
    assert.ok(report.passes >= MIN_RULES_SEEN, `${name}: axe looked at ${report.passes} rules`);
    rulesSeen[name] = report.passes;
  }

  async function open(route: string, ready: string): Promise<void> {
    await page.goto(`${app.host.url}#/${route}`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId(ready).first().waitFor({ timeout: WAIT_MS });
  }

  it('Data: import page with the datasets and their summaries', async () => {
    await page.setViewportSize(VIEWPORT);
    await open('data', 'import-form');
    await page.getByTestId('dataset-summary').first().click();
    await page.getByTestId('import-summary').waitFor({ timeout: WAIT_MS });
    await noViolations('data-import');
  });

  it('Data: the item list, an item open, and the full-resolution viewer dialog', async () => {
    await page.getByTestId('data-tab-browse').click();
    await page.getByTestId('item-row').first().waitFor({ timeout: WAIT_MS });
    await page.getByTestId('item-thumb').first().waitFor({ timeout: WAIT_MS });
    await noViolations('data-items');
    await page.getByTestId('item-row').first().click();
    await page.getByTestId('item-detail').waitFor();
    await page.getByTestId('item-image').waitFor();
    await noViolations('data-item-detail');
    await page.getByTestId('item-view-full').click();
    await page.getByTestId('viewer-image').waitFor();
    await noViolations('data-item-viewer');
    await page.getByTestId('viewer-close').click();
    await page.getByTestId('item-viewer').waitFor({ state: 'hidden' });
  });

  it('Data: the item gallery', async () => {
    await page.getByTestId('view-gallery').click();
    await page.getByTestId('gallery-thumb').first().waitFor({ timeout: WAIT_MS });
    await noViolations('data-gallery');
  });

  it('Data: balance with a preview, and the frozen version', async () => {
    await page.getByTestId('data-tab-balance').click();
    await page.getByTestId('version-show').first().click();
    await page.getByTestId('version-card').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('balance-total').fill('60');
    await page.getByTestId('balance-split-source').check();
    await page.getByTestId('balance-preview').click();
    await page.getByTestId('balance-preview-panel').waitFor({ timeout: WAIT_MS });
    await noViolations('data-balance');
  });

  it('Diagnose: results, charts and the recommendation', async () => {
    await open('diagnose', 'diagnosis-results');
    await page.locator('[data-testid="rec-card"][data-scope="overall"]').waitFor({ timeout: WAIT_MS });
    await page.locator('[data-testid="probe-chart"]').waitFor({ timeout: WAIT_MS });
    await noViolations('diagnose');
  });

  it('Diagnose: the item drill-down with an item open', async () => {
    await page.getByTestId('drill-row').first().click();
    await page.getByTestId('drill-image').waitFor({ timeout: WAIT_MS });
    await noViolations('diagnose-drill');
  });

  it('Bridge: the SFT run, its curves and the diagnosis after it', async () => {
    await open('bridge', 'training-run');
    await page.getByTestId('after-diagnosis').waitFor({ timeout: WAIT_MS });
    await noViolations('bridge');
  });

  it('Sharpen: the GRPO run and the transfer heat map', async () => {
    await open('sharpen', 'training-run');
    await page.getByTestId('transfer-heatmap').waitFor({ timeout: WAIT_MS });
    await noViolations('sharpen');
  });

  it('Report: the study, the report files and the review', async () => {
    await open('report', 'review');
    // The files card shows what this session generated: generating again with unchanged records rewrites version 1.
    await page.getByTestId('generate-report').click();
    await page.getByTestId('report-files').waitFor({ timeout: 2 * WAIT_MS });
    await noViolations('report');
  });

  it('Jobs: every job of the preparation, ended', async () => {
    await open('jobs', 'job-row');
    // The table with one job's details unfolded.
    await page.getByTestId('job-details-toggle').first().click();
    await page.getByTestId('job-details').first().waitFor({ timeout: WAIT_MS });
    await noViolations('jobs');
  });

  it('Audit log: the entries and a verification', async () => {
    await open('audit', 'audit-verify');
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verification').waitFor({ timeout: WAIT_MS });
    await noViolations('audit');
    assert.deepEqual(Object.keys(rulesSeen).sort(), [
      'audit',
      'bridge',
      'data-balance',
      'data-gallery',
      'data-import',
      'data-item-detail',
      'data-item-viewer',
      'data-items',
      'diagnose',
      'diagnose-drill',
      'jobs',
      'report',
      'sharpen',
    ]);
  });
});
