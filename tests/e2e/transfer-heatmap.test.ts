/// <reference lib="dom" />
// The transfer matrix on the Sharpen step: the built renderer in Debian's Chromium against `medbridge serve`. The
// workspace is seeded through the CLI (BreastMNIST fixture = ultrasound; the blood-cell folder split into two
// microscopy tasks, granulocytes and other cells, as in tests/integration/training/transfer.test.ts; balanced to 200
// items with patient-level random splits; the reference pack; a diagnosis; a short SFT). In the UI: "Compute transfer
// matrix" starts one GRPO transfer job per task from the bridged model; while they run the section says so; when
// they are done every heat-map cell's value, interval, significance dot and in-domain outline is compared with the
// runs' stored transfer reports (runs:get), for Δ Accuracy@1 and Δ Pass@K, and with the table. Then GRPO-CARE rows
// (from the base model) are started and cancelled: the section shows the stopped rows with their job cards, and resuming them finishes the
// matrix. Accessibility check and screenshots at each state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, until, useServedApp } from './harness.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats');
const BREAST = join(FIXTURES, 'medmnist', 'BreastMNIST.npz');
const BLOOD = join(FIXTURES, 'images', 'blood-cell-pbc');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const GRANULOCYTES = ['basophil', 'eosinophil', 'ig', 'neutrophil'];
const OTHER_CELLS = ['erythroblast', 'lymphocyte', 'monocyte', 'platelet'];
const TASKS = ['breastmnist', 'granulocytes', 'other-cells'];
const JOB_TIMEOUT_MS = 120_000;

const skip = chromiumMissingReason();

interface Cell {
  regime: string;
  tasks: string[];
  modalities: string[];
  n: number;
  k: number;
  deltaAcc1: number;
  deltaAcc1Ci: [number, number] | null;
  deltaPassAtK: number;
  deltaPassAtKCi: [number, number] | null;
}
interface TransferRun {
  id: string;
  kind: string;
  pack: string;
  state: string;
  jobId: string | null;
  config: { algorithm: string; init: string | null; train: { tasks?: string[] } };
  metrics: { kind: 'transfer'; k: number; init: string | null; algorithm: string; train: { tasks?: string[] }; cells: Cell[]; noUpdateKept?: boolean } | null;
}
interface JobBody {
  id: string;
  kind: string;
  state: string;
}

/** The cell text, written independently of the renderer: signed, one decimal, percentage points, true minus. */
function ppText(v: number): string {
  const s = (Math.abs(v) < 0.0005 ? 0 : v * 100).toFixed(1);
  const sign = s === '0.0' ? '' : v > 0 ? '+' : '−';
  return `${sign}${s.replace('-', '')} pp`;
}
function ciText(ci: [number, number] | null): string {
  return ci ? `[${ppText(ci[0]).replace(' pp', '')}, ${ppText(ci[1]).replace(' pp', '')}]` : 'no interval';
}

describe('Transfer matrix heat map on the Sharpen step (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 420_000 }, () => {
  let sftRun = '';
  const app = useServedApp({
    prepare: (ws) => {
      const w = ['--workspace', ws.workspace, '--json'];
      const folder = (name: string, classes: string[]) => {
        const root = join(ws.dir, name);
        mkdirSync(root, { recursive: true });
        for (const c of classes) cpSync(join(BLOOD, c), join(root, c), { recursive: true });
        return root;
      };
      const json = <T>(args: string[]) => JSON.parse(cli([...args, ...w])) as T;
      const a = json<{ dataset: string }>([
        'import',
        'image-folder',
        folder('gran', GRANULOCYTES),
        '--modality',
        'microscopy',
        '--task',
        'granulocytes',
      ]).dataset;
      const b = json<{ dataset: string }>([
        'import',
        'image-folder',
        folder('other', OTHER_CELLS),
        '--modality',
        'microscopy',
        '--task',
        'other-cells',
      ]).dataset;
      const c = json<{ dataset: string }>(['import', 'medmnist', BREAST]).dataset;
      const version = json<{ id: string }>([
        'balance',
        '--datasets',
        `${a},${b},${c}`,
        '--split',
        'patient-random',
        '--ratios',
        '0.5,0.2,0.3',
        '--total',
        '200',
        '--quotas',
        'equal',
      ]).id;
      json(['models', 'add', REFERENCE_PACK]);
      json(['diagnose', '--model', REFERENCE_PACK, '--version', version]);
      sftRun = json<{ run: string }>(['train', 'sft', '--model', REFERENCE_PACK, '--version', version, '--steps', '30']).run;
    },
  });
  const { page, api, scrollTo } = app;
  const section = () => page.getByTestId('transfer');
  const sectionState = async () => (await section().getAttribute('data-state')) ?? '';
  const transferRuns = async (): Promise<TransferRun[]> => {
    const list = await api<{ id: string }[]>('runs:list', { kind: 'transfer' });
    return Promise.all(list.map((r) => api<TransferRun>('runs:get', { id: r.id })));
  };
  /** Every shown cell against the stored reports, for one measure. */
  const compareCells = async (runs: TransferRun[], metric: 'acc1' | 'passAtK') => {
    const heat = page.getByTestId('transfer-heatmap');
    assert.equal(await heat.getAttribute('data-metric'), metric);
    let checked = 0;
    for (const run of runs) {
      for (const c of run.metrics!.cells) {
        const value = metric === 'acc1' ? c.deltaAcc1 : c.deltaPassAtK;
        const ci = metric === 'acc1' ? c.deltaAcc1Ci : c.deltaPassAtKCi;
        const g = heat.locator(`[data-testid="transfer-cell"][data-row="${run.id}"][data-col="${[...c.tasks].sort().join(' + ')}"]`);
        assert.equal(await g.count(), 1, `${run.id} × ${c.tasks.join('+')}: one cell`);
        const what = `${run.metrics!.train.tasks?.join(',')} → ${c.tasks.join('+')} (${c.regime}) ${metric}`;
        assert.equal(Number(await g.getAttribute('data-value')), value, `${what}: value`);
        assert.equal(await g.getAttribute('data-regime'), c.regime);
        if (run.metrics!.noUpdateKept) {
          // a run rolled back to its start: the cell says so and never reads as a measured 0.0 pp
          assert.equal((await g.getByTestId('cell-value').textContent())?.trim(), 'no update', `${what}: shown value`);
          assert.equal((await g.getByTestId('cell-ci').textContent())?.trim(), 'kept');
          assert.equal(await g.getByTestId('significant-mark').count(), 0);
          process.stdout.write(`# ${what}: no update kept\n`);
          checked++;
          continue;
        }
        assert.equal((await g.getByTestId('cell-value').textContent())?.trim(), ppText(value), `${what}: shown value`);
        assert.equal((await g.getByTestId('cell-ci').textContent())?.trim(), ciText(ci), `${what}: shown interval`);
        if (ci) {
          assert.equal(Number(await g.getAttribute('data-lo')), ci[0]);
          assert.equal(Number(await g.getAttribute('data-hi')), ci[1]);
        }
        const excludes = !!ci && (ci[0] > 0 || ci[1] < 0);
        assert.equal(await g.getByTestId('significant-mark').count(), excludes ? 1 : 0, `${what}: significance dot`);
        assert.equal(await g.getByTestId('in-domain-outline').count(), c.regime === 'in-domain' ? 1 : 0, `${what}: in-domain outline`);
        process.stdout.write(
          `# ${what}: ${value.toFixed(4)} ${ci ? `[${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]` : '(no interval)'} n ${c.n} → "${ppText(value)} ${ciText(ci)}"${excludes ? ' *' : ''}\n`,
        );
        checked++;
      }
    }
    assert.equal(await heat.locator('[data-testid="transfer-cell"]').count(), checked, 'no cell without a stored value');
    return checked;
  };

  it('before anything is computed: the section says so and offers one click for the whole matrix', async () => {
    await page.goto(`${app.host.url.split('#')[0]}#/sharpen`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('step-sharpen').waitFor();
    await page.locator('[data-testid="transfer"][data-state="not-computed"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('transfer-not-computed').waitFor();
    const plan = (await page.getByTestId('transfer-plan').textContent()) ?? '';
    assert.match(plan, /one adapter per task \(breastmnist, granulocytes, other-cells\) with GRPO from the bridged model \(SFT\)/);
    assert.equal(await page.getByTestId('compute-transfer').isDisabled(), false);
    // Short runs with a learning rate that moves the adapter visibly (as the integration test does).
    await page.getByTestId('train-steps').fill('40');
    await page.getByTestId('train-learningRate').fill('0.01');
    await scrollTo('transfer');
    await screenshot(page, 'transfer-not-computed');
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'Sharpen step, transfer not computed: accessibility problems');
  });

  it('computes it: running while the jobs train, then each cell shows the stored Δ and interval', async () => {
    await page.getByTestId('compute-transfer').click();
    const seen = new Set<string>();
    await until(
      'the matrix to be done',
      async () => {
        const s = await sectionState();
        seen.add(s);
        return s;
      },
      (s) => s === 'done' || s === 'failed',
      JOB_TIMEOUT_MS,
      100,
    );
    if ((await sectionState()) === 'failed') {
      // say which job stopped and why, so a failure on a CI machine is readable from its log
      const jobs = await api<{ id: string; kind: string; state: string; error: unknown }[]>('jobs:list', {});
      assert.fail(`a transfer row stopped: ${JSON.stringify(jobs.filter((j) => j.state !== 'done'))}\nhost stderr (tail): ${app.host.stderr().slice(-3000)}`);
    }
    assert.ok(seen.has('running'), `the section showed the running state (saw ${[...seen].join(', ')})`);

    const runs = await transferRuns();
    assert.equal(runs.length, 3);
    for (const r of runs) {
      assert.equal(r.state, 'done');
      assert.equal(r.config.algorithm, 'grpo');
      assert.equal(r.config.init, sftRun, 'started from the bridged model');
    }
    assert.deepEqual(runs.map((r) => r.config.train.tasks?.[0]).sort(), TASKS);
    // Rows in task order, the in-domain cells on the diagonal.
    const rows = await page.locator('[data-testid="transfer-row"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-row')));
    const byTask = Object.fromEntries(runs.map((r) => [r.config.train.tasks![0]!, r.id]));
    assert.deepEqual(
      rows,
      TASKS.map((t) => byTask[t]),
    );
    const cols = await page.locator('[data-testid="transfer-col"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-col')));
    assert.deepEqual(cols.slice(0, 3), TASKS, 'the trained tasks first, so in-domain is the diagonal');
    for (const [i, t] of TASKS.entries()) {
      const diag = page.locator(`[data-testid="transfer-cell"][data-row="${byTask[t]}"][data-col="${cols[i]}"]`);
      assert.equal(await diag.getAttribute('data-in-domain'), 'true', `${t}: diagonal cell is in-domain`);
    }

    const n1 = await compareCells(runs, 'acc1');
    await page.getByTestId('transfer-metric-pass').check();
    const n2 = await compareCells(runs, 'passAtK');
    assert.equal(n1, n2);
    const k = runs[0]!.metrics!.k;
    assert.match((await page.getByTestId('transfer-legend').textContent()) ?? '', new RegExp(`Change in Pass@${k}`));
    await page.getByTestId('transfer-metric-acc1').check();

    // The table: one row per cell, both measures.
    await page.getByTestId('transfer-table-details').locator('summary').click();
    assert.equal(await page.getByTestId('transfer-table-row').count(), n1);
    for (const run of runs) {
      for (const c of run.metrics!.cells) {
        const tr = page.locator(`[data-testid="transfer-table-row"][data-row="${run.id}"][data-col="${[...c.tasks].sort().join(' + ')}"]`);
        const acc = (await tr.getByTestId('table-acc1').textContent())?.trim();
        const pass = (await tr.getByTestId('table-pass').textContent())?.trim();
        const withCi = (v: number, ci: [number, number] | null) =>
          run.metrics!.noUpdateKept ? 'no update kept' : `${ppText(v)} ${ci ? `[${ppText(ci[0])}, ${ppText(ci[1])}]` : '(no interval)'}`;
        assert.equal(acc, withCi(c.deltaAcc1, c.deltaAcc1Ci));
        assert.equal(pass, withCi(c.deltaPassAtK, c.deltaPassAtKCi));
      }
    }
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'Sharpen step with the transfer matrix: accessibility problems');
    await page.getByTestId('transfer-table-details').locator('summary').click();
    await scrollTo('transfer-heatmap');
    await screenshot(page, 'transfer-heatmap');
    // Every one of three rows is there for these settings: nothing left to compute.
    assert.equal(await page.getByTestId('compute-transfer').count(), 0);
  });

  it('stopped rows: GRPO-CARE jobs cancelled show as stopped with their job cards; resuming them completes the matrix', async () => {
    await page.getByTestId('algo-grpo-care').check();
    await page.getByTestId('init-base').check();
    await page.getByTestId('train-steps').fill('300');
    await page.getByTestId('compute-transfer').waitFor();
    await page.getByTestId('compute-transfer').click();
    const running = await until(
      'three GRPO-CARE transfer jobs',
      async () => (await api<JobBody[]>('jobs:list', { state: 'running' })).filter((j) => j.kind === 'transfer'),
      (js) => js.length === 3,
      20_000,
      100,
    );
    for (const j of running) await api('jobs:cancel', { id: j.id });
    await page.locator('[data-testid="transfer"][data-state="failed"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('transfer-failed').waitFor();
    const cards = page.getByTestId('transfer').locator('[data-testid="job-card"]');
    await until(
      'three stopped job cards',
      () => cards.count(),
      (n) => n === 3,
      20_000,
      100,
    );
    assert.deepEqual((await cards.evaluateAll((cs) => cs.map((c) => c.getAttribute('data-state')))).sort(), ['cancelled', 'cancelled', 'cancelled']);
    // The GRPO rows stay on the heat map while the new ones are stopped.
    assert.equal(await page.locator('[data-testid="transfer-row"]').count(), 3);
    await scrollTo('transfer');
    await screenshot(page, 'transfer-stopped');
    const a = await checkAccessibility(page);
    assert.deepEqual(a.problems, [], 'Sharpen step with stopped transfer rows: accessibility problems');

    // Shorter runs to resume: the job keeps its parameters, so only the resume matters here.
    // One card at a time, by job id, each seen to leave the stopped state before the next click: a click on a
    // `.first()` that has not re-rendered yet would press the same card's Resume twice.
    const stoppedIds = await cards.evaluateAll((cs) => cs.map((c) => c.getAttribute('data-job-id') ?? ''));
    for (const id of stoppedIds) {
      const card = page.locator(`[data-testid="job-card"][data-job-id="${id}"]`);
      await card.getByTestId('job-resume').click();
      await until(
        `job ${id} resumed`,
        async () => (await api<JobBody>('jobs:get', { id })).state,
        (s) => s !== 'cancelled',
        20_000,
        100,
      );
      await card.getByTestId('job-resume').waitFor({ state: 'detached', timeout: 20_000 });
    }
    await page.locator('[data-testid="transfer"][data-state="done"]').waitFor({ timeout: JOB_TIMEOUT_MS * 3 });
    const runs = (await transferRuns()).filter((r) => r.config.algorithm === 'grpo-care');
    assert.equal(runs.length, 3);
    assert.ok(
      runs.every((r) => r.state === 'done' && r.config.init === null),
      'GRPO-CARE from the base model',
    );
    assert.equal(await page.locator('[data-testid="transfer-row"]').count(), 6, 'GRPO and GRPO-CARE rows');
    await compareCells(await transferRuns(), 'acc1');
    await page.getByTestId('transfer-metric-pass').check();
    await compareCells(await transferRuns(), 'passAtK');
    await scrollTo('transfer-heatmap');
    await screenshot(page, 'transfer-heatmap-six-rows');
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
    assert.deepEqual(app.session.consoleErrors, []);
  });
});
