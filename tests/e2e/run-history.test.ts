/// <reference lib="dom" />
// Run history and compare on the Bridge and Sharpen steps (issue 18, item 6): the built renderer in Debian's Chromium against
// `medbridge serve`. The workspace is seeded through the CLI: BreastMNIST balanced to 200 items, the reference pack, its
// base diagnosis on val, and two short SFT runs with different seeds (and label budgets). The history's rows equal
// runs:list and runs:get for the same runs (seed, start, steps, label budget, final val Acc@1 and Pass@K at the run's
// guard K, how it ended from its `final` event); ticking a run shows it with its final numbers as runs:get has them, and
// the address keeps it over a reload; ticking both opens the compare view, whose paired deltas and intervals equal
// runs:compare for the same pair (A = the earlier run) — and those equal an independent numpy computation from both
// runs' per-item results (runs:items) — and whose curves are the two runs' eval events. Two short GRPO runs do the
// same on Sharpen, opened straight from an address that names both.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, until, useServedApp } from './harness.ts';
import { findProjectNumpyPython, runReference } from '../unit/metrics/python-reference.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const README_SHOT = join(ROOT, 'build', 'screenshots', 'run-history-compare.png');
/** Two quick bridging runs: few steps, validation every 5 so each has a curve of three points. */
const RUNS = [
  { seed: 1, steps: 10, budget: 16 },
  { seed: 2, steps: 10, budget: 32 },
] as const;
/** Two quick sharpening runs from the base model (Sharpen lists GRPO runs the same way). */
const GRPO_RUNS = [{ seed: 3 }, { seed: 4 }] as const;
const GRPO_STEPS = 6;
/** Far above the default, so six steps move the policy and the deltas are not all zero. */
const GRPO_LR = 5e-3;
const EVAL_EVERY = 5;
/** Paired numbers from the host and numpy agree to rounding. */
const TOL = 1e-9;

const skip = chromiumMissingReason();

interface Group {
  n: number;
  acc1: number;
  passAtK: Record<string, number | null>;
}
interface RunBody {
  id: string;
  kind: string;
  seed: number;
  state: string;
  version: string;
  createdAt: string;
  config: { config: { steps: number; passK: number; labelBudget?: number } };
  metrics: { overall: Group } | null;
}
interface RunEventBody {
  kind: string;
  step: number | null;
  payload: Record<string, unknown>;
}
interface Paired {
  config: { ks: number[]; bootstrapSamples: number; seed: number; confidence: number };
  pairing: { nPaired: number };
  overall: {
    n: number;
    deltaAcc1: number;
    deltaAcc1Ci: [number, number];
    deltaPassAtK: Record<string, number | null>;
    deltaPassAtKCi: Record<string, [number, number] | null>;
  };
}
interface RunItemBody {
  item: string;
  probs: number[];
  correct: number | null;
}

describe('Run history and compare on the Bridge and Sharpen steps (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 600_000 }, () => {
  const ids = { version: '', pack: '', runs: [] as string[], grpo: [] as string[] };
  const app = useServedApp({
    prepare: (ws) => {
      const w = ['--workspace', ws.workspace, '--json'];
      const dataset = (JSON.parse(cli(['import', 'medmnist', BREAST, ...w])) as { dataset: string }).dataset;
      ids.pack = (JSON.parse(cli(['models', 'add', REFERENCE_PACK, ...w])) as { id: string }).id;
      ids.version = (JSON.parse(cli(['balance', '--datasets', dataset, '--split', 'source', '--total', '200', ...w])) as { id: string }).id;
      cli(['diagnose', '--model', ids.pack, '--version', ids.version, '--split', 'val', ...w]);
      const config = join(ws.workspace, '..', 'run-history-config.json');
      writeFileSync(config, JSON.stringify({ evalEvery: EVAL_EVERY }));
      for (const r of RUNS) {
        const out = JSON.parse(
          cli([
            'train',
            'sft',
            '--model',
            ids.pack,
            '--version',
            ids.version,
            '--config',
            config,
            '--steps',
            String(r.steps),
            '--label-budget',
            String(r.budget),
            '--seed',
            String(r.seed),
            ...w,
          ]),
        ) as { run: string };
        ids.runs.push(out.run);
      }
      for (const r of GRPO_RUNS) {
        const out = JSON.parse(
          cli([
            'train',
            'grpo',
            '--model',
            ids.pack,
            '--version',
            ids.version,
            '--config',
            config,
            '--steps',
            String(GRPO_STEPS),
            '--lr',
            String(GRPO_LR),
            '--seed',
            String(r.seed),
            ...w,
          ]),
        ) as { run: string };
        ids.grpo.push(out.run);
      }
    },
  });
  const { page, api, scrollTo } = app;
  const pctText = (v: number) => `${(v * 100).toFixed(1)}%`;
  /** As the page writes a difference: a tenth of a point, signed, and no "-0.0" for a change under 0.05 pp. */
  const ppText = (v: number) => {
    const t = (Math.abs(v) < 0.0005 ? 0 : v * 100).toFixed(1);
    return `${v > 0 && t !== '0.0' ? '+' : ''}${t} pp`;
  };
  const address = () => page.evaluate(() => Object.fromEntries(new URLSearchParams(window.location.hash.split('?')[1] ?? '')));
  const attr = async (selector: string, name: string) => (await page.locator(selector).first().getAttribute(name)) ?? '';
  const numAttr = async (selector: string, name: string) => Number(await attr(selector, name));
  const row = (id: string) => page.locator(`[data-testid="history-row"][data-run-id="${id}"]`);
  const get = (id: string) => api<RunBody>('runs:get', { id });
  const finalEvent = async (id: string) => (await api<RunEventBody[]>('runs:events', { id })).find((e) => e.kind === 'final')?.payload ?? {};

  async function accessible(step: string): Promise<void> {
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], `${step}: accessibility problems`);
  }

  async function open(hash: string): Promise<void> {
    await page.goto(`${app.host.url.split('#')[0]}${hash}`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('run-history').waitFor({ timeout: 30_000 });
    await until(
      'both rows with their numbers',
      () => page.locator('[data-testid="history-row"] [data-testid="history-acc1"]:not([data-value=""])').count(),
      (n) => n === RUNS.length,
      20_000,
    );
  }

  /** The run panel shows run `id` with its final validation Acc@1 and Pass@K (at its guard K) as runs:get has them. */
  async function showsRun(id: string, study: boolean): Promise<void> {
    await page.locator(`[data-testid="training-run"][data-run-id="${id}"]`).waitFor({ timeout: 10_000 });
    const run = await get(id);
    const k = run.config.config.passK;
    const o = run.metrics!.overall;
    assert.equal(await attr('[data-testid="training-run"]', 'data-study'), String(study));
    assert.equal(await numAttr('[data-testid="run-final-acc1"]', 'data-value'), o.acc1);
    assert.equal(await page.getByTestId('run-final-acc1').textContent(), pctText(o.acc1));
    assert.equal(await numAttr('[data-testid="run-final-passk"]', 'data-k'), k);
    assert.equal(await numAttr('[data-testid="run-final-passk"]', 'data-value'), o.passAtK[String(k)]);
    assert.equal(await page.getByTestId('run-final-passk').textContent(), pctText(o.passAtK[String(k)]!));
    assert.equal(Number(await page.getByTestId('run-final-n').textContent()), o.n);
    assert.equal(await page.getByTestId('viewing-note').count(), study ? 0 : 1);
    // Its validation curve is its own eval events.
    const evals = (await api<RunEventBody[]>('runs:events', { id })).filter((e) => e.kind === 'eval');
    const dots = await page
      .locator('[data-testid="training-run"] [data-testid="validation-chart"] [data-series="Val Acc@1"] circle')
      .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-y'))));
    assert.deepEqual(
      dots,
      evals.map((e) => e.payload.acc1),
    );
  }

  it("lists the step's runs newest first with the values runs:list and runs:get hold", async () => {
    await open('#/bridge');
    const listed = (await api<RunBody[]>('runs:list', { kind: 'sft', version: ids.version })).map((r) => r.id);
    assert.deepEqual(listed.slice().sort(), ids.runs.slice().sort());
    const shown = await page.getByTestId('history-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-run-id')));
    assert.deepEqual(shown, listed, 'newest first, as runs:list');
    for (const id of listed) {
      const run = await get(id);
      const r = row(id);
      const k = run.config.config.passK;
      const cell = async (t: string, a = 'data-value') => (await r.getByTestId(t).getAttribute(a)) ?? '';
      assert.equal(await cell('history-when'), run.createdAt);
      assert.equal(await cell('history-method'), 'sft');
      assert.equal(Number(await cell('history-seed')), run.seed);
      assert.equal(Number(await cell('history-steps')), run.config.config.steps);
      assert.equal(Number(await cell('history-budget')), run.config.config.labelBudget);
      assert.equal(((await r.getByTestId('history-budget').textContent()) ?? '').trim(), `${run.config.config.labelBudget} per task`);
      assert.equal(Number(await cell('history-acc1')), run.metrics!.overall.acc1);
      assert.equal(((await r.getByTestId('history-acc1').textContent()) ?? '').trim(), pctText(run.metrics!.overall.acc1));
      assert.equal(Number(await cell('history-passk', 'data-k')), k);
      assert.equal(Number(await cell('history-passk')), run.metrics!.overall.passAtK[String(k)]);
      const fin = await finalEvent(id);
      assert.equal(
        ((await r.getByTestId('history-outcome').textContent()) ?? '').trim(),
        `${fin.reason === 'completed' ? 'Ran all steps' : 'Stopped early'}; kept step ${fin.keptStep as number}`,
      );
    }
    // The seeds differ, so the rows are two different runs.
    assert.notEqual(
      await row(listed[0]!).getByTestId('history-seed').getAttribute('data-value'),
      await row(listed[1]!).getByTestId('history-seed').getAttribute('data-value'),
    );
    // The study follows the newest bridging run; it is shown until another is chosen.
    assert.equal(await row(listed[0]!).getByTestId('history-study').count(), 1);
    assert.equal(await row(listed[1]!).getByTestId('history-study').count(), 0);
    await showsRun(listed[0]!, true);
    await accessible('history');
  });

  it('ticking a run shows it with its own final numbers; the address keeps it over a reload', async () => {
    const [newer, older] = (await api<RunBody[]>('runs:list', { kind: 'sft', version: ids.version })).map((r) => r.id) as [string, string];
    await row(older).getByTestId('history-choose').check();
    await showsRun(older, false);
    assert.deepEqual(await address(), { run: older });
    await page.setViewportSize({ width: 1280, height: 720 });
    await scrollTo('run-history');
    await screenshot(page, 'run-history-01-older-run-1280x720');
    await accessible('older run shown');

    await page.reload();
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await showsRun(older, false);
    assert.equal(await row(older).getByTestId('history-choose').isChecked(), true);
    assert.deepEqual(await address(), { run: older });

    // The other run, alone.
    await row(older).getByTestId('history-choose').uncheck();
    await showsRun(newer, true);
    assert.deepEqual(await address(), {});
    await row(newer).getByTestId('history-choose').check();
    await showsRun(newer, true);
    assert.deepEqual(await address(), { run: newer });
  });

  it('ticking both opens the compare view: paired deltas and intervals as runs:compare (and numpy) give them, both curves', async () => {
    const [newer, older] = (await api<RunBody[]>('runs:list', { kind: 'sft', version: ids.version })).map((r) => r.id) as [string, string];
    await row(older).getByTestId('history-choose').check();
    assert.deepEqual(await address(), { run: newer, compare: older });
    await checksCompare(older, newer);
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      await scrollTo('run-history');
      await screenshot(page, `run-history-02-compare-${viewport.width}x${viewport.height}`);
      await scrollTo('compare-table');
      await screenshot(page, `run-history-03-compare-table-${viewport.width}x${viewport.height}`);
    }
    // The README's picture: the list and the whole compare view, 1440 wide.
    await page.setViewportSize({ width: 1440, height: 1400 });
    await scrollTo('run-history');
    const box = await page.evaluate(() => {
      const top = document.querySelector('[data-testid="run-history"]')?.getBoundingClientRect();
      const bottom = document.querySelector('[data-testid="run-compare"]')?.getBoundingClientRect();
      return top && bottom ? { x: top.left - 16, y: top.top - 16, width: top.width + 32, height: bottom.bottom - top.top + 32 } : null;
    });
    assert.ok(box && box.height > 400 && box.y + box.height <= 1400, `the list and the compare view fit: ${JSON.stringify(box)}`);
    mkdirSync(join(ROOT, 'build', 'screenshots'), { recursive: true });
    await page.screenshot({ path: README_SHOT, clip: box });
    await page.setViewportSize({ width: 1440, height: 900 });
    await accessible('compare');

    await page.reload();
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await checksCompare(older, newer);
  });

  /** The compare view of A = `a` (the earlier run) and B = `b`, checked against the host and numpy. */
  async function checksCompare(a: string, b: string): Promise<void> {
    await page.getByTestId('compare-table').waitFor({ timeout: 20_000 });
    assert.equal(await attr('[data-testid="run-compare"]', 'data-a'), a);
    assert.equal(await attr('[data-testid="run-compare"]', 'data-b'), b);
    assert.equal(await page.locator('[data-testid="training-run"]').count(), 0, 'the compare view replaces the single run');
    const [ra, rb] = [await get(a), await get(b)];
    const cmp = await api<Paired>('runs:compare', { a, b });
    const k = await numAttr('[data-testid="compare-table"]', 'data-k');
    assert.equal(k, ra.config.config.passK, 'both runs watched the same K; the comparison is at it');
    const o = cmp.overall;
    const key = String(k);
    const deltaCell = (m: string) => `[data-testid="run-compare"] [data-testid="delta-${m}"]`;
    assert.equal(await numAttr(deltaCell('acc1'), 'data-value'), o.deltaAcc1);
    assert.equal(await numAttr(deltaCell('acc1'), 'data-lo'), o.deltaAcc1Ci[0]);
    assert.equal(await numAttr(deltaCell('acc1'), 'data-hi'), o.deltaAcc1Ci[1]);
    assert.equal(
      ((await page.locator(deltaCell('acc1')).textContent()) ?? '').trim(),
      `${ppText(o.deltaAcc1)} [${ppText(o.deltaAcc1Ci[0])}, ${ppText(o.deltaAcc1Ci[1])}]`,
    );
    const dk = o.deltaPassAtK[key]!;
    const dkCi = o.deltaPassAtKCi[key]!;
    assert.equal(await numAttr(deltaCell('passk'), 'data-value'), dk);
    assert.equal(await numAttr(deltaCell('passk'), 'data-lo'), dkCi[0]);
    assert.equal(await numAttr(deltaCell('passk'), 'data-hi'), dkCi[1]);
    assert.equal(((await page.locator(deltaCell('passk')).textContent()) ?? '').trim(), `${ppText(dk)} [${ppText(dkCi[0])}, ${ppText(dkCi[1])}]`);
    // Each run's own final numbers side by side.
    const cells = async (metric: string) =>
      page.locator(`[data-testid="compare-metric"][data-metric="${metric}"] td`).evaluateAll((tds) => tds.map((t) => (t.textContent ?? '').trim()));
    const [accA, accB] = await cells('acc1');
    assert.ok(accA!.startsWith(pctText(ra.metrics!.overall.acc1)) && accB!.startsWith(pctText(rb.metrics!.overall.acc1)), `${accA} | ${accB}`);
    const [pkA, pkB] = await cells('passk');
    assert.ok(pkA!.startsWith(pctText(ra.metrics!.overall.passAtK[key]!)) && pkB!.startsWith(pctText(rb.metrics!.overall.passAtK[key]!)), `${pkA} | ${pkB}`);
    assert.deepEqual((await cells('seed')).slice(0, 2), [String(ra.seed), String(rb.seed)]);
    assert.match((await page.locator('[data-testid="compare-table"] caption').textContent()) ?? '', new RegExp(`same ${cmp.pairing.nPaired} items`));
    // The same deltas from both runs' per-item results, computed independently with numpy (same resample draw).
    const { python, reason } = findProjectNumpyPython();
    if (python) {
      const items = async (id: string) =>
        (await api<{ items: RunItemBody[] }>('runs:items', { id, limit: 5000 })).items.map((x) => ({ item: x.item, probs: x.probs, correct: x.correct }));
      const ref = runReference<{
        n: number;
        deltaAcc1: number;
        deltaAcc1Ci: [number, number];
        deltaPassAtK: Record<string, number>;
        deltaPassAtKCi: Record<string, [number, number]>;
      }>(python, 'paired_reference.py', {
        a: await items(a),
        b: await items(b),
        ks: cmp.config.ks,
        samples: cmp.config.bootstrapSamples,
        seed: cmp.config.seed,
        confidence: cmp.config.confidence,
      });
      const near = (x: number, y: number, what: string) => assert.ok(Math.abs(x - y) <= TOL, `${what}: host ${x} vs numpy ${y}`);
      assert.equal(ref.n, o.n);
      near(o.deltaAcc1, ref.deltaAcc1, 'Δ Acc@1');
      near(o.deltaAcc1Ci[0], ref.deltaAcc1Ci[0], 'Δ Acc@1 low');
      near(o.deltaAcc1Ci[1], ref.deltaAcc1Ci[1], 'Δ Acc@1 high');
      near(dk, ref.deltaPassAtK[key]!, `Δ Pass@${k}`);
      near(dkCi[0], ref.deltaPassAtKCi[key]![0], `Δ Pass@${k} low`);
      near(dkCi[1], ref.deltaPassAtKCi[key]![1], `Δ Pass@${k} high`);
    } else {
      assert.fail(`the numpy cross-check needs the project's Python environment: ${reason}`);
    }
    // Both runs' validation curves on one chart: each series is that run's eval events.
    for (const [letter, id] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const evals = (await api<RunEventBody[]>('runs:events', { id })).filter((e) => e.kind === 'eval');
      const dots = (series: string) =>
        page
          .locator(`[data-testid="compare-validation-chart"] [data-series="${series}"] circle`)
          .evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('data-x')), Number(c.getAttribute('data-y'))]));
      assert.deepEqual(
        await dots(`${letter} val Acc@1`),
        evals.map((e) => [e.step, e.payload.acc1]),
      );
      assert.deepEqual(
        await dots(`${letter} val Pass@${k}`),
        evals.map((e) => [e.step, (e.payload.passAtK as Record<string, number>)[key]]),
      );
    }
  }

  it("Sharpen lists its GRPO runs; an address naming two opens their comparison with both runs' rewards", async () => {
    const listed = (await api<RunBody[]>('runs:list', { kind: 'grpo', version: ids.version })).map((r) => r.id);
    assert.deepEqual(listed.slice().sort(), ids.grpo.slice().sort());
    const [newer, older] = listed as [string, string];
    await open(`#/sharpen?run=${older}&compare=${newer}`);
    const shown = await page.getByTestId('history-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-run-id')));
    assert.deepEqual(shown, listed, 'only the GRPO runs, newest first');
    for (const id of listed) {
      const run = await get(id);
      assert.equal(await row(id).getByTestId('history-method').getAttribute('data-value'), 'grpo');
      assert.equal(Number(await row(id).getByTestId('history-seed').getAttribute('data-value')), run.seed);
      assert.equal(Number(await row(id).getByTestId('history-acc1').getAttribute('data-value')), run.metrics!.overall.acc1);
      assert.equal(await row(id).getByTestId('history-budget').textContent(), 'all');
    }
    await checksCompare(older, newer);
    for (const [letter, id] of [
      ['A', older],
      ['B', newer],
    ] as const) {
      const rewards = (await api<RunEventBody[]>('runs:events', { id })).filter((e) => e.kind === 'train' && typeof e.payload.reward === 'number');
      const dots = await page
        .locator(`[data-testid="compare-objective-chart"] [data-series="${letter} mean reward"] circle`)
        .evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('data-x')), Number(c.getAttribute('data-y'))]));
      assert.deepEqual(
        dots,
        rewards.map((e) => [e.step, e.payload.reward]),
      );
      assert.ok(dots.length === GRPO_STEPS, `${letter}: one reward per step`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await scrollTo('run-history');
    await screenshot(page, 'run-history-04-sharpen-compare-1440x900');
    await accessible('sharpen compare');
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
