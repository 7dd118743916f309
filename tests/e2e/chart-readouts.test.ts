/// <reference lib="dom" />
// Chart readouts on the Diagnose and Sharpen steps: the built renderer in Debian's Chromium against `medbridge serve`.
// The workspace is seeded through the CLI (the BreastMNIST fixture balanced to 200 items, the reference pack, a
// diagnosis, GRPO at its default 120 steps — more steps than a summary table shows). What the page shows is compared
// with the API's records of the same runs (runs:get, runs:events):
//   - the value-axis tick labels are the nice ticks of exactly those data (and are nice: a multiple of a 1/2/2.5/5 ×
//     10^k step, covering the data within one step, not a fixed 0–100% for the zoomed validation curve);
//   - hovering a step, or focusing the chart and moving there with the arrow keys, reads every series' value at that
//     step (text and raw value), in a polite live region;
//   - the hidden table of the 120-step objective chart shows at most 100 steps (first and last included), while its
//     CSV link downloads every step with the stored values.
// Screenshots of the readouts at 1280×720 and 1440×900, and an accessibility check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTick, valueAxis } from '../../renderer/src/lib/format/axis-ticks.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, useServedApp } from './harness.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
/** GRPO's default number of steps: more than the 100 a summary table shows. */
const GRPO_STEPS = 120;
const MAX_TABLE_ROWS = 100;

const skip = chromiumMissingReason();

interface RunEvent {
  seq: number;
  kind: string;
  step: number | null;
  payload: Record<string, unknown>;
}
interface Group {
  n: number;
  passAtK: Record<string, number | null>;
  passAtKCi: Record<string, [number, number] | null>;
  chanceAtK: Record<string, number | null>;
}
interface RunBody {
  id: string;
  kind: string;
  state: string;
  metrics: { overall: Group; byModality: Record<string, Group> } | null;
}

/** A percentage as the readout writes it (one decimal), written here independently of the renderer. */
const pctText = (v: number) => `${(v * 100).toFixed(1)}%`;
/** An objective value to three significant digits. */
const sig3 = (v: number) => String(Number(v.toPrecision(3)));
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

describe('Chart readouts: nice ticks, hover and keyboard values, summarised tables with a full CSV (e2e)', { skip: skip ?? false, timeout: 300_000 }, () => {
  let diagnosis = '';
  let grpo = '';
  const app = useServedApp({
    prepare: (ws) => {
      const w = ['--workspace', ws.workspace, '--json'];
      const json = <T>(args: string[]) => JSON.parse(cli([...args, ...w])) as T;
      const dataset = json<{ dataset: string }>(['import', 'medmnist', BREAST]).dataset;
      const version = json<{ id: string }>(['balance', '--datasets', dataset, '--total', '200', '--split', 'patient-random', '--ratios', '0.5,0.3,0.2']).id;
      json(['models', 'add', REFERENCE_PACK]);
      diagnosis = json<{ run: string }>(['diagnose', '--model', REFERENCE_PACK, '--version', version]).run;
      grpo = json<{ run: string }>(['train', 'grpo', '--model', REFERENCE_PACK, '--version', version, '--steps', String(GRPO_STEPS)]).run;
    },
  });
  const { page, api, scrollTo } = app;

  /** The y tick labels a chart shows, with their values. */
  const yTicks = async (chart: string) =>
    page
      .locator(`[data-testid="${chart}"] text.tick[data-axis="y"]`)
      .evaluateAll((els) => els.map((e) => ({ value: Number(e.getAttribute('data-value')), label: (e.textContent ?? '').trim() })));

  /** The shown ticks are the nice ticks of these data, and nice by their own definition. */
  async function checkTicks(chart: string, values: number[], rate: boolean): Promise<void> {
    const expected = valueAxis(values, { rate });
    const shown = await yTicks(chart);
    assert.deepEqual(
      shown.map((t) => t.value),
      expected.ticks,
      `${chart}: tick values`,
    );
    assert.deepEqual(
      shown.map((t) => t.label),
      expected.ticks.map((t) => formatTick(t, expected.step, rate ? 'percent' : 'number')),
      `${chart}: tick labels`,
    );
    // nice on their own terms: 2–6 ticks, evenly spaced by m × 10^k (m ∈ 1, 2, 2.5, 5), covering the data within a step
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const step = expected.step;
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    assert.ok(
      [1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-9),
      `${chart}: step ${step} is 1, 2, 2.5 or 5 × 10^k`,
    );
    assert.ok(shown.length >= 2 && shown.length <= 6, `${chart}: ${shown.length} ticks`);
    shown.forEach((t, i) => {
      assert.ok(Math.abs(t.value / step - Math.round(t.value / step)) < 1e-9, `${chart}: tick ${t.value} is a multiple of ${step}`);
      if (i > 0) assert.ok(Math.abs(t.value - (shown[i - 1]?.value ?? 0) - step) < 1e-9, `${chart}: even spacing`);
      assert.ok(!/\d\.\d*0{4,}\d|9{4,}/.test(t.label), `${chart}: "${t.label}" has no float noise`);
    });
    assert.ok((shown[0]?.value ?? 0) - step < lo && (shown[shown.length - 1]?.value ?? 0) + step > hi, `${chart}: ticks cover ${lo}–${hi} within one step`);
    process.stdout.write(`# ${chart}: data ${lo.toFixed(4)}–${hi.toFixed(4)} → ticks ${shown.map((t) => t.label).join(', ')}\n`);
  }

  /** The readout of a chart: its step and each series' text and raw value. */
  const readout = async (chart: string) => {
    const box = page.getByTestId(`${chart}-readout`);
    const x = await box.getAttribute('data-x');
    const rows = await box.locator('li').evaluateAll((els) =>
      els.map((e) => ({
        series: e.getAttribute('data-series') ?? '',
        value: Number(e.getAttribute('data-value')),
        text: (e.querySelector('strong')?.textContent ?? '').trim(),
      })),
    );
    return { x: x === null ? null : Number(x), rows, live: await box.getAttribute('aria-live') };
  };

  let events: RunEvent[] = [];
  let k = 0;

  it('Sharpen: the validation chart is scaled to its data with nice ticks, and hovering a step reads its stored values', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${app.host.url}#/sharpen`);
    events = await api<RunEvent[]>('runs:events', { id: grpo });
    const evals = events.filter((e) => e.kind === 'eval');
    k = Number(evals[0]?.payload.k);
    assert.ok(evals.length >= 5 && k > 0, `the run validated (${evals.length} evaluations at K = ${k})`);
    await page.getByTestId('validation-chart').waitFor();
    await page.locator('[data-testid="objective-chart"] text.tick[data-axis="y"]').first().waitFor();

    const acc1 = evals.map((e) => e.payload.acc1).filter(finite);
    const passK = evals.map((e) => (e.payload.passAtK as Record<string, unknown>)[String(k)]).filter(finite);
    const guard = events.find((e) => e.kind === 'guard')?.payload;
    const guardLine =
      guard && guard.applies !== false && finite(guard.baselinePassAtK) && finite(guard.margin) ? [Math.max(0, guard.baselinePassAtK - guard.margin)] : [];
    await checkTicks('validation-chart', [...acc1, ...passK, ...guardLine], true);

    // hover the dot of a middle validation step: the readout names that step and its stored values
    const mid = evals[Math.floor(evals.length / 2)] as RunEvent;
    await scrollTo('training-charts');
    const dot = page.locator(`[data-testid="validation-chart"] circle.dot[data-x="${mid.step}"]`).first();
    const box = await dot.boundingBox();
    assert.ok(box, `a dot at step ${mid.step}`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const r = await readout('validation-chart');
    assert.equal(r.x, mid.step, 'the readout is at the hovered step');
    assert.equal(r.live, 'polite');
    const midPass = (mid.payload.passAtK as Record<string, number>)[String(k)] as number;
    assert.deepEqual(
      r.rows,
      [
        { series: 'Val Acc@1', value: mid.payload.acc1, text: pctText(mid.payload.acc1 as number) },
        { series: `Val Pass@${k}`, value: midPass, text: pctText(midPass) },
      ],
      `step ${mid.step}: values shown = runs:events`,
    );
    assert.equal(await page.getByTestId('validation-chart-crosshair').getAttribute('data-x'), String(mid.step));
    await screenshot(page, 'chart-readouts-hover-1280');
    await page.mouse.move(5, 5);
    assert.equal((await readout('validation-chart')).x, null, 'the readout goes when the pointer leaves');
  });

  it('Sharpen: the objective chart reads values with the arrow keys, step by step', async () => {
    const train = events.filter((e) => e.kind === 'train');
    const steps = [...new Set(train.map((e) => e.step as number))].sort((a, b) => a - b);
    assert.equal(steps.length, GRPO_STEPS);
    const reward = train.map((e) => e.payload.reward).filter(finite);
    const kl = train.map((e) => e.payload.kl).filter(finite);
    const consistency = train.map((e) => e.payload.consistency).filter(finite);
    await checkTicks('objective-chart', [...reward, ...kl, ...consistency], false);

    const plot = page.getByTestId('objective-chart-plot');
    assert.equal(await plot.getAttribute('role'), 'slider');
    await plot.focus();
    await page.keyboard.press('Home');
    const target = 37;
    const index = steps.indexOf(target);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
    const at = train.find((e) => e.step === target) as RunEvent;
    const r = await readout('objective-chart');
    assert.equal(r.x, target, `arrowed ${index} times from the first step`);
    const expected = [
      { series: 'Mean reward', value: at.payload.reward as number, text: sig3(at.payload.reward as number) },
      { series: 'KL to reference', value: at.payload.kl as number, text: sig3(at.payload.kl as number) },
    ];
    assert.deepEqual(r.rows.slice(0, 2), expected, `step ${target}: values shown = runs:events`);
    assert.equal(await plot.getAttribute('aria-valuenow'), String(target));
    assert.match((await plot.getAttribute('aria-valuetext')) ?? '', new RegExp(`^Step ${target}: Mean reward ${expected[0]?.text.replace('.', '\\.')}`));
    await page.keyboard.press('End');
    assert.equal((await readout('objective-chart')).x, steps[steps.length - 1]);
    await page.keyboard.press('PageDown');
    assert.equal((await readout('objective-chart')).x, steps[steps.length - 1 - Math.round(steps.length / 10)]);
    await screenshot(page, 'chart-readouts-keyboard-1280');
  });

  it('Sharpen: the hidden table shows at most 100 of the 120 steps; its CSV has every step with the stored values', async () => {
    const train = events.filter((e) => e.kind === 'train');
    const table = page.getByTestId('objective-chart-table');
    const heads = await table.locator('tbody th').evaluateAll((els) => els.map((e) => Number(e.textContent)));
    assert.ok(heads.length <= MAX_TABLE_ROWS && heads.length >= 20, `${heads.length} rows in the hidden table`);
    assert.equal(await table.locator('tbody tr').count(), heads.length);
    assert.equal(heads[0], train[0]?.step, 'the first step is in the table');
    assert.equal(heads[heads.length - 1], train[train.length - 1]?.step, 'the last step is in the table');
    assert.match((await table.locator('caption').textContent()) ?? '', new RegExp(`${heads.length} of ${GRPO_STEPS} step values: every 2nd step`));

    const link = page.getByTestId('objective-chart-csv');
    assert.match((await link.getAttribute('href')) ?? '', /^blob:/, 'the CSV is made in the page');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'reward-and-kl-per-step.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    const header = lines[0]?.split(',') ?? [];
    assert.deepEqual(header.slice(0, 3), ['Step', 'Mean reward', 'KL to reference']);
    assert.equal(lines.length - 1, train.length, 'one CSV line per training step');
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      const e = train[i] as RunEvent;
      assert.equal(Number(cells[0]), e.step);
      assert.equal(Number(cells[1]), e.payload.reward, `step ${e.step}: reward`);
      assert.equal(Number(cells[2]), e.payload.kl, `step ${e.step}: KL`);
    });
    const validationRows = await page.getByTestId('validation-chart-table').locator('tbody tr').count();
    assert.equal(validationRows, new Set(events.filter((e) => e.kind === 'eval').map((e) => e.step)).size, 'a short series keeps every step');
  });

  it('Diagnose: Pass@K per modality has the nice ticks of its data and reads each K', async () => {
    await page.goto(`${app.host.url}#/diagnose`);
    const run = await api<RunBody>('runs:get', { id: diagnosis });
    assert.ok(run.metrics, 'the diagnosis has metrics');
    await page.getByTestId('passk-chart').waitFor();
    const values: number[] = [];
    for (const g of Object.values(run.metrics.byModality)) {
      for (const key of Object.keys(g.passAtK)) {
        values.push(...[g.passAtK[key], ...(g.passAtKCi[key] ?? []), g.chanceAtK[key]].filter(finite));
      }
    }
    await checkTicks('passk-chart', values, true);

    const [modality, g] = Object.entries(run.metrics.byModality)[0] as [string, Group];
    const ks = Object.keys(g.passAtK)
      .map(Number)
      .sort((a, b) => a - b);
    const plot = page.getByTestId('passk-chart-plot');
    await plot.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const kAt = ks[2] as number;
    const r = await readout('passk-chart');
    assert.equal(r.x, kAt);
    const row = r.rows.find((x) => x.series.startsWith(`${modality.charAt(0).toUpperCase()}${modality.slice(1)} Pass@K`));
    const v = g.passAtK[String(kAt)] as number;
    const ci = g.passAtKCi[String(kAt)] as [number, number];
    assert.deepEqual(
      row && { value: row.value, text: row.text },
      { value: v, text: `${pctText(v)} [${pctText(ci[0])} – ${pctText(ci[1])}]` },
      `K = ${kAt}: Pass@K and its interval = runs:get`,
    );
    assert.ok(
      r.rows.some((x) => x.series.startsWith('Chance') && x.value === g.chanceAtK[String(kAt)]),
      'the chance value at that K',
    );
    await screenshot(page, 'chart-readouts-diagnose-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await scrollTo('passk-chart');
    await screenshot(page, 'chart-readouts-diagnose-1440');
  });

  it('is accessible and stays on the machine', async () => {
    await page.goto(`${app.host.url}#/sharpen`);
    await page.getByTestId('validation-chart').waitFor();
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
    assert.deepEqual(app.session.consoleErrors, []);
  });
});
