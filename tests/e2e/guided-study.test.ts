// The guided study end to end, through the UI only: the built renderer in Debian's Chromium against `medbridge serve`
// on an empty workspace. Imports the two bundled MedMNIST samples, balances 400 items on their source splits,
// registers the bundled reference model, diagnoses it on the validation split (with the linear probe), reads the
// recommendation, bridges with SFT, diagnoses the adapter, sharpens with GRPO from the SFT run, diagnoses that, writes
// the report (HTML + PDF), comments and signs it. Each step gets a screenshot and an accessibility check; at the end
// the numbers shown are compared with the stored ones read from the API, and a reload reopens the same step and study.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePackId } from '../../electron/models/pack-identity.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, nonLoopbackRequests, num, ROOT, screenshot, until, useServedApp } from './harness.ts';

const SAMPLES = join(ROOT, 'resources', 'samples', 'medmnist');
const BREAST = join(SAMPLES, 'breastmnist.npz');
const PNEUMONIA = join(SAMPLES, 'pneumoniamnist.npz');
/** resources/samples: BreastMNIST 780 items, PneumoniaMNIST 3,166 (after exact duplicates). */
const BREAST_TOTAL = 780;
const PNEUMONIA_TOTAL = 3166;
const BALANCE_TOTAL = 400;
/** Few SFT steps keep the test short (validation every 10 still draws curves and runs the guard); GRPO keeps its
 *  default 120 steps at learning rate 1e-4, a few seconds here, so the sharpening and the guard have room to act. */
const SFT_STEPS = 40;
const IMPORT_TIMEOUT_MS = 120_000;
const JOB_TIMEOUT_MS = 90_000;
const REVIEWER = { name: 'Dr. Ada Reviewer', role: 'Chair, research ethics board', meaning: 'Reviewed; approved for continuation' };

const skip = chromiumMissingReason();

interface Group {
  n: number;
  acc1: number;
  passAtK: Record<string, number | null>;
}
interface RunDetailBody {
  id: string;
  kind: string;
  state: string;
  config: Record<string, unknown>;
  metrics: { overall: Group } | null;
  recommendation: { recipe: { overall: { decision: string } | null } } | null;
}

describe('Guided study (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 300_000 }, () => {
  const app = useServedApp();
  const { page, text, api, scrollTo } = app;
  const a11y: Record<string, number> = {};

  const pctText = (v: number) => `${(v * 100).toFixed(1)}%`;
  const top = () => page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));

  /** The accessibility check of one step; failures name the element and the rule. */
  async function accessible(step: string): Promise<void> {
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], `${step}: accessibility problems`);
    assert.ok(r.checkedText > 20 && r.checkedControls > 5, `${step}: the check saw the page (${r.checkedText} texts, ${r.checkedControls} controls)`);
    a11y[step] = r.checkedText;
  }

  async function importSample(path: string, expected: number, previous: string | null): Promise<string> {
    await page.getByTestId('import-source').selectOption('medmnist');
    await page.getByTestId('import-path').fill(path);
    await page.getByTestId('import-start').click();
    const id = await until(
      'the import summary',
      async () => {
        // one atomic read: the summary is replaced while an import starts, so count-then-read could wait on a vanished node
        return page.evaluate(() => document.querySelector('[data-testid="import-summary"]')?.getAttribute('data-dataset-id') ?? '');
      },
      (v) => v !== '' && v !== previous,
      IMPORT_TIMEOUT_MS,
      200,
    );
    await until(
      `${expected} imported`,
      () => text('summary-imported'),
      (t) => num(t) === expected,
      10_000,
    );
    return id;
  }

  it('imports both bundled samples and freezes a balanced version of 400 items, through the Data step', async () => {
    await page.goto(app.host.url);
    await page.waitForURL(/#\/data$/);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    const breast = await importSample(BREAST, BREAST_TOTAL, null);
    await importSample(PNEUMONIA, PNEUMONIA_TOTAL, breast);
    await page.getByTestId('data-tab-balance').click();
    await page.getByTestId('balance-total').fill(String(BALANCE_TOTAL));
    await page.getByTestId('balance-split-source').check();
    await page.getByTestId('balance-preview').click();
    await page.getByTestId('balance-preview-panel').waitFor({ timeout: 20_000 });
    await page.getByTestId('balance-freeze').click();
    await page.getByTestId('version-notes').waitFor({ timeout: 20_000 });
    assert.match(await text('version-id'), /^dv-[0-9a-f]{16}$/);
    await scrollTo('version-card');
    await screenshot(page, 'study-01-data');
    await accessible('data');
  });

  it('registers the bundled reference model and diagnoses it on the validation split, with the recommendation', async () => {
    await page.getByTestId('nav-diagnose').click();
    await page.waitForURL(/#\/diagnose$/);
    await page.getByTestId('no-models').waitFor();
    await page.getByTestId('register-reference').click();
    await page.getByTestId('pick-model').waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId('pick-model').textContent()) ?? '', /reference/i);
    assert.equal(await page.getByTestId('pick-split').inputValue(), 'val');
    await page.getByTestId('run-diagnosis').click();
    // Job cards show progress while the diagnosis and probe run (they may finish before we look).
    await page.getByTestId('diagnosis-results').waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.locator('[data-testid="rec-card"][data-scope="overall"]').waitFor({ timeout: JOB_TIMEOUT_MS });
    const decision = await page.locator('[data-testid="rec-card"][data-scope="overall"]').getAttribute('data-decision');
    assert.ok(decision && ['bridge-sft', 'sharpen-rl', 'improve-vision', 'done'].includes(decision), `decision ${decision}`);
    assert.equal(await page.getByTestId('status-decision').getAttribute('data-decision'), decision, 'the study summary repeats the decision');
    assert.match(await text('execution-provider'), /CPU|CUDA|DIRECTML|COREML|WEBGPU/);
    // The probe bars appear once the probe job is done.
    await until(
      'probe bars',
      () => page.locator('[data-testid="probe-chart"] rect[data-series="Linear probe (test)"]').count(),
      (n) => n >= 2,
      JOB_TIMEOUT_MS,
      200,
    );
    // Pass@K curves: one line per modality over K = 1..16 plus chance.
    const dots = await page.locator('[data-testid="passk-chart"] circle.dot').count();
    assert.ok(dots >= 10, `Pass@K dots ${dots}`);
    await scrollTo('diagnosis-results');
    await screenshot(page, 'study-02-diagnose');
    await accessible('diagnose');

    // Thresholds can be changed and re-applied: a support target of 0 makes support "present", so the rule moves on.
    await page.getByTestId('rec-supportTarget').fill('0');
    await page.getByTestId('rec-apply').click();
    await until(
      'a new decision',
      () => page.locator('[data-testid="rec-card"][data-scope="overall"]').getAttribute('data-decision'),
      (d) => d !== decision,
      15_000,
    );
    await page.getByRole('button', { name: 'Defaults' }).click();
    await page.getByTestId('rec-apply').click();
    await until(
      'the default decision again',
      () => page.locator('[data-testid="rec-card"][data-scope="overall"]').getAttribute('data-decision'),
      (d) => d === decision,
      15_000,
    );

    // Drill down into one item: image, options with probabilities, the correct one marked.
    await page.getByTestId('drill-filter').selectOption('wrong');
    await until(
      'wrong items',
      () => page.getByTestId('drill-row').count(),
      (n) => n > 0,
    );
    await page.getByTestId('drill-row').first().click();
    await page.getByTestId('drill-image').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[data-testid="drill-options"] li[data-correct="true"]').count(), 1);
    const probs = await page.locator('[data-testid="drill-options"] li').evaluateAll((lis) => lis.map((l) => Number(l.getAttribute('data-prob'))));
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-6, `probabilities sum to 1: ${probs}`);
    await scrollTo('item-drill');
    await screenshot(page, 'study-03-drilldown');
    await accessible('drilldown');
    // Escape closes the item and gives focus back to its row.
    const opened = await page.getByTestId('drill-detail').getAttribute('data-item-id');
    await page.keyboard.press('Escape');
    await page.getByTestId('drill-detail').waitFor({ state: 'detached' });
    await until(
      'focus back on the row',
      () => page.evaluate(() => document.activeElement?.getAttribute('data-item-id') ?? null),
      (id) => id === opened,
      2_000,
    );
  });

  it('bridges with SFT and diagnoses the bridged model', async () => {
    await top();
    await page.getByTestId('next-step').click();
    await page.waitForURL(/#\/bridge$/);
    assert.match(await text('train-why'), /recommends/);
    await page.getByTestId('train-steps').fill(String(SFT_STEPS));
    await page.getByTestId('start-training').click();
    await page.locator('[data-testid="training-run"][data-state="done"]').waitFor({ timeout: JOB_TIMEOUT_MS });
    await until(
      'validation curve',
      () => page.locator('[data-testid="validation-chart"] circle.dot').count(),
      (n) => n >= 4,
      10_000,
    );
    await page.getByTestId('guard-line').waitFor({ state: 'attached' });
    await page.getByTestId('diagnose-adapter').click();
    await page.getByTestId('compare').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.match(await text('delta-acc1'), /pp/);
    await scrollTo('training-run');
    await screenshot(page, 'study-04-bridge');
    await scrollTo('after-diagnosis');
    await screenshot(page, 'study-05-bridge-compare');
    await accessible('bridge');
  });

  it('sharpens with GRPO from the SFT run and diagnoses the sharpened model', async () => {
    await page.getByTestId('next-step').click();
    await page.waitForURL(/#\/sharpen$/);
    assert.equal(await page.getByTestId('init-sft').isChecked(), true, 'Sharpen starts from the SFT run by default');
    assert.equal(await page.getByTestId('algo-grpo').isChecked(), true);
    assert.equal(await page.getByTestId('train-steps').inputValue(), '120', 'the contract default');
    // The bridged model's diagnosis has its own recommendation, and the Sharpen step explains itself from it.
    assert.match(await text('train-why'), /bridged model/);
    assert.match((await page.getByTestId('study-status').textContent()) ?? '', /Recommendation for the bridged model/);
    await screenshot(page, 'study-06-sharpen-setup');
    await page.getByTestId('start-training').click();
    await page.locator('[data-testid="training-run"][data-state="done"]').waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.getByTestId('diagnose-adapter').click();
    await page.getByTestId('compare').waitFor({ timeout: JOB_TIMEOUT_MS });
    await scrollTo('training-run');
    await screenshot(page, 'study-07-sharpen');
    await accessible('sharpen');
  });

  it('exports the sharpened run as an ONNX pack through the UI: refusals first, then files that match their SHA-256', async () => {
    const exportDir = mkdtempSync(join(tmpdir(), 'medbridge-export-'));
    try {
      const run = (await page.getByTestId('training-run').getAttribute('data-run-id')) ?? '';
      const card = page.getByTestId('export-onnx');
      await scrollTo('export-onnx');
      // A relative path is refused before any call; a folder that is not empty is refused by the host with its code.
      await card.getByTestId('export-folder').fill('exported-pack');
      await card.getByTestId('export-button').click();
      assert.match(await text('export-folder-error'), /full path/);
      assert.equal(await card.getByTestId('export-folder').getAttribute('aria-invalid'), 'true');
      const occupied = join(exportDir, 'occupied');
      mkdirSync(occupied);
      writeFileSync(join(occupied, 'keep.txt'), 'not empty');
      await card.getByTestId('export-folder').fill(occupied);
      await card.getByTestId('export-button').click();
      await card.locator('[data-testid="error-message"][data-code="export/out-not-empty"]').waitFor();
      // Chromium logs the refused request (409) as a console error; that line is this step's doing.
      const refused = (line: string) => /status of 409/.test(line) && line.includes('/api/call/training:export-onnx');
      await until(
        'Chromium to log the refused request',
        async () => app.session.consoleErrors.filter(refused).length,
        (n) => n === 1,
        2_000,
      );
      app.session.consoleErrors.splice(0, app.session.consoleErrors.length, ...app.session.consoleErrors.filter((l) => !refused(l)));
      assert.equal(await page.getByTestId('export-folder-error').count(), 0);
      assert.equal(readFileSync(join(occupied, 'keep.txt'), 'utf8'), 'not empty', 'the occupied folder is left alone');

      // A new folder: the call's own answer (read off the wire) is what the card shows.
      const out = join(exportDir, 'pack');
      await card.getByTestId('export-folder').fill(out);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/call/training:export-onnx'));
      await card.getByTestId('export-button').click();
      const body = (await (await answer).json()) as {
        ok: boolean;
        value: { out: string; run: string; pack: string; auditHead: string; files: { path: string; sha256: string; bytes: number }[] };
      };
      assert.ok(body.ok, JSON.stringify(body));
      const result = body.value;
      await card.getByTestId('export-result').waitFor();
      assert.equal(result.run, run);
      assert.equal(await text('export-pack'), result.pack, 'the UI shows the pack id the call returned');
      assert.equal(await text('export-out'), out);
      assert.equal(Number(await card.getByTestId('export-files').getAttribute('data-count')), result.files.length);
      assert.match(await text('export-audit'), /training:export-onnx/);
      assert.equal(await card.locator('[data-testid="error-message"]').count(), 0, 'the earlier refusal is cleared');

      // manifest.json lists every file with its SHA-256; each file exists with those bytes, as the call and the UI say.
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
        files: { path: string; sha256: string; bytes: number }[];
        training: { run: string };
      };
      assert.equal(manifest.training.run, run);
      assert.ok(
        manifest.files.some((f) => f.path === 'adapter_head.onnx'),
        'the adapter head is in the pack',
      );
      assert.deepEqual(manifest.files, result.files, 'the manifest lists the files the call returned');
      await card.locator('details summary').click();
      const shown = await card
        .getByTestId('export-file')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-path'), r.querySelector('[data-testid="export-file-sha256"]')?.textContent?.trim()]));
      assert.deepEqual(
        shown,
        manifest.files.map((f) => [f.path, f.sha256]),
        'the UI lists every file with its SHA-256',
      );
      for (const f of manifest.files) {
        const p = join(out, f.path);
        assert.ok(existsSync(p), `${f.path} exists`);
        const bytes = readFileSync(p);
        assert.equal(bytes.length, f.bytes, `${f.path}: size`);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, `${f.path}: SHA-256`);
      }
      assert.equal(computePackId(manifest.files), result.pack, 'the pack id is the identity of the listed files');

      // One audit entry names the run and the files.
      const entries = await api<{ action: string; subject: string }[]>('audit:list', { limit: 20 });
      assert.ok(
        entries.some((e) => e.action === 'training:export-onnx' && e.subject === run),
        'the export is audited',
      );
      await scrollTo('export-onnx');
      await screenshot(page, 'study-07b-export-onnx');
      await accessible('export');
    } finally {
      rmSync(exportDir, { recursive: true, force: true });
    }
  });

  it('creates the study, writes the report (HTML + PDF), comments and signs it', async () => {
    await page.getByTestId('next-step').click();
    await page.waitForURL(/#\/report$/);
    // Six runs offered: diagnosis, probe, SFT, its diagnosis, GRPO, its diagnosis (the view reads them as it opens).
    await until(
      'six runs offered for the study',
      () => page.getByTestId('study-run').count(),
      (n) => n === 6,
      10_000,
    );
    await page.getByTestId('study-name').fill('BreastMNIST + PneumoniaMNIST, reference model');
    await page.getByTestId('study-use').fill('Workflow demonstration on public MedMNIST samples; not for clinical use.');
    await page.getByTestId('create-study').click();
    await page.getByTestId('generate-report').click();
    await page.getByTestId('report-files').waitFor({ timeout: JOB_TIMEOUT_MS });
    const html = await text('report-html');
    const pdf = await text('report-pdf');
    assert.ok(existsSync(html), `HTML at ${html}`);
    assert.ok(existsSync(pdf), `PDF at ${pdf}`);
    assert.match(await text('manifest-hash'), /^[0-9a-f]{64}$/);
    await page.getByTestId('comment-author').fill(REVIEWER.name);
    await page.getByTestId('comment-text').fill('Support collapse handling checked against the curves.');
    await page.getByTestId('comment-add').click();
    await page.getByTestId('comment').waitFor();
    await page.getByTestId('sign-name').fill(REVIEWER.name);
    await page.getByTestId('sign-role').fill(REVIEWER.role);
    await page.getByTestId('sign-meaning').fill(REVIEWER.meaning);
    await page.getByTestId('sign-report').click();
    await page.getByTestId('signature').waitFor();
    assert.match(await text('signature'), new RegExp(REVIEWER.name));
    assert.equal(await page.getByTestId('report-version').first().getAttribute('data-signed'), 'true');
    await scrollTo('study-card');
    await screenshot(page, 'study-08-report');
    await scrollTo('report-files');
    await screenshot(page, 'study-09-report-signed');
    await accessible('report');
  });

  it('shows the stored numbers: Acc@1, Pass@K and n on every step equal runs:get', async () => {
    const study = (await api<{ id: string; runs: string[] }[]>('studies:list', {}))[0];
    assert.ok(study);
    const details = await Promise.all(study.runs.map((id) => api<RunDetailBody>('runs:get', { id })));
    const diagnoses = details.filter((d) => d.kind === 'diagnose');
    assert.equal(diagnoses.length, 3, 'base, bridged and sharpened diagnoses');
    // The report step's table: one row per run with metrics.
    for (const d of details.filter((x) => x.metrics && 'overall' in x.metrics)) {
      const row = page.locator(`[data-testid="report-row"][data-run-id="${d.id}"]`);
      const m = d.metrics!.overall;
      assert.equal(Number(await row.getByTestId('report-n').getAttribute('data-value')), m.n, `${d.id} n`);
      assert.equal(Number(await row.getByTestId('report-acc1').getAttribute('data-value')), m.acc1, `${d.id} acc1`);
      const k = (await row.getByTestId('report-passk').getAttribute('data-k')) ?? '';
      assert.equal(Number(await row.getByTestId('report-passk').getAttribute('data-value')), m.passAtK[k], `${d.id} Pass@${k}`);
      assert.ok(((await row.getByTestId('report-acc1').textContent()) ?? '').startsWith(pctText(m.acc1)));
    }
    // The Diagnose step's tiles: the base diagnosis as text and as stored.
    const base = diagnoses.find((d) => !d.config.adapter)!;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnosis-results').waitFor();
    assert.equal(await page.getByTestId('diagnosis-results').getAttribute('data-run-id'), base.id);
    const k = (await page.getByTestId('metric-passk').getAttribute('data-k')) ?? '';
    assert.equal(await text('metric-acc1'), pctText(base.metrics!.overall.acc1));
    assert.equal(await text('metric-passk'), pctText(base.metrics!.overall.passAtK[k]!));
    assert.equal(num(await text('metric-n')), base.metrics!.overall.n);
    assert.equal(Number(await page.getByTestId('metric-acc1').getAttribute('data-value')), base.metrics!.overall.acc1);
    assert.equal(
      base.recommendation?.recipe.overall?.decision,
      await page.locator('[data-testid="rec-card"][data-scope="overall"]').getAttribute('data-decision'),
    );
    // The Bridge step's after-tiles: the SFT adapter's diagnosis.
    const sftRun = details.find((d) => d.kind === 'sft')!;
    const bridged = diagnoses.find((d) => d.config.adapter === sftRun.id)!;
    await page.getByTestId('nav-bridge').click();
    const tiles = page.getByTestId('after-tiles');
    await tiles.waitFor();
    assert.equal(await page.getByTestId('after-diagnosis').getAttribute('data-run-id'), bridged.id);
    assert.equal(((await tiles.getByTestId('metric-acc1').textContent()) ?? '').trim(), pctText(bridged.metrics!.overall.acc1));
    assert.equal(num((await tiles.getByTestId('metric-n').textContent()) ?? ''), bridged.metrics!.overall.n);
    // GRPO started from the SFT run.
    const grpo = details.find((d) => d.kind === 'grpo')!;
    assert.equal(grpo.config.init, sftRun.id);
  });

  it('reopens the last step and study after a reload without a route in the address', async () => {
    await page.getByTestId('nav-report').click();
    await page.getByTestId('signature').waitFor();
    await page.goto(`${app.host.origin}/`);
    await page.waitForURL(/#\/report$/);
    await page.getByTestId('signature').waitFor({ timeout: 10_000 });
    assert.match(await text('step-lead'), /signed by Dr\. Ada Reviewer/);
  });

  it('the accessibility check itself catches a nameless button, a duplicate id, an image without alt and faint text', async () => {
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'a11y-probe';
      probe.innerHTML =
        '<button type="button" style="width:40px;height:20px"></button><span id="main">x</span><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20"><p style="color:#c8c8c8;background:#fff">Faint text</p>';
      document.querySelector('.content')?.prepend(probe);
    });
    const r = await checkAccessibility(page);
    await page.evaluate(() => document.getElementById('a11y-probe')?.remove());
    assert.deepEqual([...new Set(r.problems.map((p) => p.rule))].sort(), ['contrast', 'duplicate-id', 'img-alt', 'name']);
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.ok(app.session.requests.length > 0, 'requests were recorded');
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
    assert.deepEqual(Object.keys(a11y).sort(), ['bridge', 'data', 'diagnose', 'drilldown', 'export', 'report', 'sharpen']);
  });
});
