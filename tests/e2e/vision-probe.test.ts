/// <reference lib="dom" />
// The Diagnose step with a vision-only pack probed beside the VLM: the built renderer in Debian's Chromium against
// `medbridge serve`. The workspace is seeded through the CLI (BreastMNIST fixture + blood-cell folder, balanced to 200
// items on their source splits); in the UI the vision pack (the reference pack's own vision_encoder.onnx with a
// kind-"vision" manifest, tests/integration/models/vision-pack-fixture.ts) is registered first, then the bundled
// reference pack. The diagnosis model picker never lists the vision pack and never defaults to it; running the
// diagnosis with the vision pack chosen starts its probe on the same version, whose per-task accuracies and intervals
// shown in "Linear probe vs VLM per task" are compared with runs:get of that run. "Use the vision pack's probe as the
// reference" enters its overall accuracy, re-runs the VLM probe with it and remakes the recommendation; a reload keeps
// the vision probe.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempVisionPack } from '../integration/models/vision-pack-fixture.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, until, useServedApp } from './harness.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats');
const BREAST = join(FIXTURES, 'medmnist', 'BreastMNIST.npz');
const BLOOD = join(FIXTURES, 'images', 'blood-cell-pbc');
const BALANCE_TOTAL = 200;
const JOB_TIMEOUT_MS = 90_000;
/** The name in the generated vision pack's manifest. */
const VISION_NAME = 'medbridge-test-vision';
const VISION_SERIES = `Vision-only probe: ${VISION_NAME} (test)`;

const skip = chromiumMissingReason();

interface Pack {
  id: string;
  kind: string;
  name: string;
}
interface ProbeTask {
  accuracy: number | null;
  accuracyCi: [number, number] | null;
  counts: { test: number };
  referenceAccuracy: number | null;
}
interface RunBody {
  id: string;
  kind: string;
  pack: string;
  version: string | null;
  state: string;
  metrics: { kind?: string; byTask: Record<string, ProbeTask> } | null;
  recommendation: { probeRun: string | null } | null;
}

describe('Diagnose with a vision-only pack probed beside the VLM (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 240_000 }, () => {
  let visionPack: { dir: string; cleanup(): void } | undefined;
  let version = '';
  let visionId = '';
  let referenceId = '';
  let visionRun = '';
  const app = useServedApp({
    prepare: (ws) => {
      const breast = (JSON.parse(cli(['import', 'medmnist', BREAST, '--workspace', ws.workspace, '--json'])) as { dataset: string }).dataset;
      const blood = (
        JSON.parse(cli(['import', 'image-folder', BLOOD, '--modality', 'microscopy', '--task', 'blood-cell', '--workspace', ws.workspace, '--json'])) as {
          dataset: string;
        }
      ).dataset;
      version = (
        JSON.parse(
          cli(['balance', '--datasets', `${breast},${blood}`, '--split', 'source', '--total', String(BALANCE_TOTAL), '--workspace', ws.workspace, '--json']),
        ) as { id: string }
      ).id;
      visionPack = tempVisionPack();
    },
    cleanup: () => visionPack?.cleanup(),
  });
  const { page, api, scrollTo } = app;

  const options = (testid: string) => page.locator(`[data-testid="${testid}"] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const pctText = (v: number) => `${(v * 100).toFixed(1)}%`;

  it('registers a vision pack first: it is offered only as the pack to probe beside, never as the diagnosis model', async () => {
    await page.goto(`${app.host.url.split('#')[0]}#/diagnose`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('step-diagnose').waitFor();
    await page.getByTestId('no-vision-packs').waitFor();
    await page.getByText('Register a vision-only pack folder').click();
    await page.getByTestId('vision-pack-path').fill(visionPack!.dir);
    await page.getByTestId('vision-register-path').click();
    await page.getByTestId('pick-vision').waitFor({ timeout: 30_000 });
    const packs = await api<Pack[]>('models:list', {});
    assert.deepEqual(
      packs.map((p) => p.kind),
      ['vision'],
    );
    visionId = packs[0]!.id;
    assert.equal(await page.getByTestId('pick-vision').inputValue(), visionId, 'registered from the vision picker, it is chosen there');
    // The diagnosis picker lists nothing it could diagnose, and says why.
    assert.equal(await page.getByTestId('pick-model').count(), 0);
    assert.match((await page.getByTestId('no-models').textContent()) ?? '', /vision-only packs can only be probed/);
    assert.equal(await page.getByTestId('run-diagnosis').isDisabled(), true);

    await page.getByTestId('register-reference').click();
    await page.getByTestId('pick-model').waitFor({ timeout: 30_000 });
    const all = await api<Pack[]>('models:list', {});
    referenceId = all.find((p) => p.kind === 'reference')!.id;
    assert.deepEqual(await options('pick-model'), [referenceId], 'the diagnosis picker lists the reference pack only');
    assert.equal(await page.getByTestId('pick-model').inputValue(), referenceId);
    assert.deepEqual(await options('pick-vision'), ['', visionId], 'None, then the vision pack');
    assert.equal(await page.getByTestId('pick-vision').inputValue(), visionId);
    assert.equal(await page.getByTestId('pick-version').inputValue(), version);
    await screenshot(page, 'diagnose-vision-picker');
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'Diagnose step with both pickers: accessibility problems');
  });

  it('runs the diagnosis with the vision pack: its probe accuracy per task is the stored one', async () => {
    await page.getByTestId('run-diagnosis').click();
    await page.getByTestId('diagnosis-results').waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.locator('[data-testid="rec-card"][data-scope="overall"]').waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.locator('[data-testid="vision-probe"][data-state="done"]').waitFor({ timeout: JOB_TIMEOUT_MS });
    visionRun = (await page.getByTestId('vision-probe').getAttribute('data-run-id')) ?? '';
    const run = await api<RunBody>('runs:get', { id: visionRun });
    assert.equal(run.kind, 'probe');
    assert.equal(run.pack, visionId, 'the probe is of the vision pack');
    assert.equal(run.version, version, 'on the diagnosed version');
    assert.equal(run.state, 'done');
    const tasks = Object.keys(run.metrics!.byTask).sort();
    assert.deepEqual(tasks, ['blood-cell', 'breastmnist']);

    const chart = page.getByTestId('probe-chart');
    await until(
      'vision bars',
      () => chart.locator(`rect[data-series="${VISION_SERIES}"]`).count(),
      (n) => n === tasks.length,
      JOB_TIMEOUT_MS,
      200,
    );
    for (const t of tasks) {
      const stored = run.metrics!.byTask[t]!;
      assert.ok(typeof stored.accuracy === 'number' && stored.counts.test > 0, `${t}: ${JSON.stringify(stored)}`);
      const shown = Number(await chart.locator(`rect[data-row="${t}"][data-series="${VISION_SERIES}"]`).getAttribute('data-value'));
      assert.equal(shown, stored.accuracy, `${t}: bar value`);
      // The table behind the chart: value and 95% interval as text.
      const row = chart.locator('table tr', { has: page.locator('th', { hasText: t }) }).filter({ has: page.locator('td', { hasText: VISION_SERIES }) });
      const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
      assert.deepEqual(
        cells,
        [VISION_SERIES, pctText(stored.accuracy), `${pctText(stored.accuracyCi![0])} – ${pctText(stored.accuracyCi![1])}`],
        `${t}: table row`,
      );
      process.stdout.write(
        `# vision probe ${t}: ${stored.accuracy.toFixed(4)} [${stored.accuracyCi!.map((x) => x.toFixed(4)).join(', ')}] n test ${stored.counts.test}\n`,
      );
    }
    // The VLM's own probe is of the reference pack, not the vision pack.
    const ownProbeBars = await chart.locator('rect[data-series="Linear probe (test)"]').count();
    assert.equal(ownProbeBars, tasks.length);
    // The overall accuracy offered as the reference: tasks pooled by their test items.
    const n = tasks.reduce((a, t) => a + run.metrics!.byTask[t]!.counts.test, 0);
    const pooled = tasks.reduce((a, t) => a + run.metrics!.byTask[t]!.accuracy! * run.metrics!.byTask[t]!.counts.test, 0) / n;
    assert.ok(Math.abs(Number(await page.getByTestId('vision-overall').getAttribute('data-value')) - pooled) < 1e-12);
    assert.equal(((await page.getByTestId('vision-overall').textContent()) ?? '').trim(), pctText(pooled));
    process.stdout.write(`# vision probe overall: ${pooled.toFixed(4)} (n test ${n})\n`);

    await scrollTo('probe-chart');
    await screenshot(page, 'diagnose-vision-probe');
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'Diagnose step with the vision probe: accessibility problems');
    assert.ok(r.checkedText > 20 && r.checkedControls > 5, `the check saw the page (${r.checkedText} texts, ${r.checkedControls} controls)`);
  });

  it('uses the vision pack’s overall probe accuracy as the reference: the VLM probe is re-run with it and the recommendation reads it', async () => {
    const vision = await api<RunBody>('runs:get', { id: visionRun });
    const byTask = Object.values(vision.metrics!.byTask);
    const n = byTask.reduce((a, t) => a + t.counts.test, 0);
    const expected = Math.round((byTask.reduce((a, t) => a + t.accuracy! * t.counts.test, 0) / n) * 1000) / 1000;
    const diagnosis = (await page.getByTestId('diagnosis-results').getAttribute('data-run-id')) ?? '';
    const before = (await api<RunBody>('runs:get', { id: diagnosis })).recommendation?.probeRun ?? null;
    assert.ok(before, 'the first recommendation read the VLM probe made without a reference');
    await page.getByTestId('use-vision-reference').click();
    await page.getByTestId('vision-reference-in-use').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.equal(Number(await page.getByTestId('reference-accuracy').inputValue()), expected);
    const stored = await until(
      'the recommendation made with the new probe',
      () => api<RunBody>('runs:get', { id: diagnosis }),
      (d) => d.recommendation !== null && d.recommendation.probeRun !== null && d.recommendation.probeRun !== before,
      JOB_TIMEOUT_MS,
      200,
    );
    const probe = await until(
      'the re-run probe with the reference',
      () => api<RunBody>('runs:get', { id: stored.recommendation!.probeRun! }),
      (p) => p.state === 'done',
      JOB_TIMEOUT_MS,
      200,
    );
    assert.equal(probe.pack, referenceId, 'the VLM’s own probe');
    assert.deepEqual(
      Object.values(probe.metrics!.byTask).map((t) => t.referenceAccuracy),
      byTask.map(() => expected),
      'every task checked against the one reference',
    );
  });

  it('keeps the vision pack and its probe after a reload', async () => {
    await page.reload();
    await page.locator('[data-testid="vision-probe"][data-state="done"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('vision-probe').getAttribute('data-run-id'), visionRun);
    assert.equal(await page.getByTestId('pick-vision').inputValue(), visionId);
    assert.deepEqual(await options('pick-model'), [referenceId]);
    assert.equal(await page.getByTestId('pick-model').inputValue(), referenceId);
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
