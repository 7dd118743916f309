/// <reference lib="dom" />
// The Diagnose step shows only what its pickers say: the built renderer in Debian's Chromium against `medbridge serve`.
// The workspace is seeded through the CLI: BreastMNIST fixture + blood-cell folder balanced into two versions (A: 200
// items, B: 120), the bundled reference pack, and base diagnoses of A on val and test, of B on test (the newest, so the
// study's) and of B on all splits at K = 1, 2 only. Changing version, split and K on the page shows either the stored
// diagnosis of exactly that selection (Acc@1, Pass@K, K and n equal runs:get of it) or the "No diagnosis for this
// selection" card with no numbers at all; the selection is in the address and a reload keeps pickers and numbers.
// Running the diagnosis from that card diagnoses the selection, and the study summary names that run's K, split and n.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, until, useServedApp } from './harness.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats');
const BREAST = join(FIXTURES, 'medmnist', 'BreastMNIST.npz');
const BLOOD = join(FIXTURES, 'images', 'blood-cell-pbc');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const JOB_TIMEOUT_MS = 120_000;

const skip = chromiumMissingReason();

interface Group {
  n: number;
  acc1: number;
  passAtK: Record<string, number | null>;
}
interface RunBody {
  id: string;
  kind: string;
  pack: string;
  version: string;
  split: string;
  adapter: string | null;
  state: string;
  metrics: { overall: Group } | null;
  recommendation: { recipe: { k: number } } | null;
}

describe(
  'Diagnose shows the diagnosis of what its pickers say, kept in the address (e2e, Chromium against the headless host)',
  { skip: skip ?? false, timeout: 300_000 },
  () => {
    const ids = { a: '', b: '', pack: '', aVal: '', aTest: '', bTest: '', bAll: '' };
    const app = useServedApp({
      prepare: (ws) => {
        const w = ['--workspace', ws.workspace, '--json'];
        const breast = (JSON.parse(cli(['import', 'medmnist', BREAST, ...w])) as { dataset: string }).dataset;
        const blood = (JSON.parse(cli(['import', 'image-folder', BLOOD, '--modality', 'microscopy', '--task', 'blood-cell', ...w])) as { dataset: string })
          .dataset;
        const balance = (total: number) =>
          (JSON.parse(cli(['balance', '--datasets', `${breast},${blood}`, '--split', 'source', '--total', String(total), ...w])) as { id: string }).id;
        ids.a = balance(200);
        ids.b = balance(120);
        ids.pack = (JSON.parse(cli(['models', 'add', REFERENCE_PACK, ...w])) as { id: string }).id;
        const diagnose = (version: string, split: string, extra: string[] = []) =>
          (JSON.parse(cli(['diagnose', '--model', ids.pack, '--version', version, '--split', split, ...extra, ...w])) as { run: string }).run;
        ids.aVal = diagnose(ids.a, 'val');
        ids.aTest = diagnose(ids.a, 'test');
        ids.bAll = diagnose(ids.b, 'all', ['--k', '1,2']);
        ids.bTest = diagnose(ids.b, 'test');
      },
    });
    const { page, api, text, scrollTo } = app;
    const pctText = (v: number) => `${(v * 100).toFixed(1)}%`;
    const top = () => page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
    const addressSelection = () => page.evaluate(() => Object.fromEntries(new URLSearchParams(window.location.hash.split('?')[1] ?? '')));

    async function accessible(step: string): Promise<void> {
      const r = await checkAccessibility(page);
      assert.deepEqual(r.problems, [], `${step}: accessibility problems`);
      assert.ok(r.checkedText > 20 && r.checkedControls > 5, `${step}: the check saw the page`);
    }

    /** The pickers as the page shows them. */
    async function pickers(): Promise<{ version: string; split: string; k: string }> {
      return {
        version: await page.getByTestId('pick-version').inputValue(),
        split: await page.getByTestId('pick-split').inputValue(),
        k: await page.getByTestId('pick-k').inputValue(),
      };
    }

    /**
     * The page shows run `id`'s stored numbers for this selection: the results carry its id, the line beside the headline
     * names its version, split, K and n, and the tiles' Acc@1, Pass@K (at that K) and n equal runs:get — as values and as
     * the text a reader sees. Returns the K shown.
     */
    async function showsStored(id: string, expect: { version: string; split: string; k?: number }): Promise<number> {
      await until(
        `the results of ${id}`,
        () => page.evaluate(() => document.querySelector('[data-testid="diagnosis-results"]')?.getAttribute('data-run-id') ?? ''),
        (v) => v === id,
        20_000,
      );
      assert.equal(await page.getByTestId('no-diagnosis').count(), 0, 'no "no diagnosis" card beside results');
      const stored = await api<RunBody>('runs:get', { id });
      assert.equal(stored.version, expect.version);
      assert.equal(stored.split, expect.split);
      assert.equal(stored.adapter, null, 'a diagnosis of the pack as it is');
      const m = stored.metrics!.overall;
      const line = page.getByTestId('result-selection');
      assert.equal(await line.getAttribute('data-version'), expect.version);
      assert.equal(await line.getAttribute('data-split'), expect.split);
      assert.equal(Number(await line.getAttribute('data-n')), m.n);
      const k = Number(await page.getByTestId('metric-passk').getAttribute('data-k'));
      if (expect.k !== undefined) assert.equal(k, expect.k, 'the K picked');
      assert.equal(Number(await line.getAttribute('data-k')), k);
      assert.match(await text('result-selection'), new RegExp(`Pass@${k} · n = ${m.n}`));
      assert.equal(Number(await page.getByTestId('metric-acc1').getAttribute('data-value')), m.acc1);
      assert.equal(await text('metric-acc1'), pctText(m.acc1));
      assert.equal(Number(await page.getByTestId('metric-passk').getAttribute('data-value')), m.passAtK[String(k)]);
      assert.equal(await text('metric-passk'), pctText(m.passAtK[String(k)]!));
      assert.equal(Number(await page.getByTestId('metric-n').getAttribute('data-value')), m.n);
      assert.match(
        await text('step-lead'),
        new RegExp(`^Acc@1 ${pctText(m.acc1).replace('.', '\\.')} vs Pass@${k} ${pctText(m.passAtK[String(k)]!).replace('.', '\\.')} on ${m.n} items`),
      );
      return k;
    }

    /** The "no diagnosis" card for this selection, and no number of any run on the page. */
    async function showsNone(expect: { version: string; split: string }): Promise<void> {
      const card = page.getByTestId('no-diagnosis');
      await card.waitFor({ timeout: 20_000 });
      assert.equal(await card.getAttribute('data-version'), expect.version);
      assert.equal(await card.getAttribute('data-split'), expect.split);
      assert.equal(await page.getByTestId('diagnosis-results').count(), 0, 'no results of another selection');
      assert.equal(await page.locator('[data-testid="metric-acc1"], [data-testid="metric-passk"], [data-testid="metric-n"]').count(), 0, 'no headline numbers');
      assert.equal(await page.getByTestId('no-diagnosis-run').isEnabled(), true, 'the card offers the run');
    }

    it('opens on the study’s diagnosis with the pickers set to its version and split', async () => {
      await page.goto(`${app.host.url.split('#')[0]}#/diagnose`);
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
      await showsStored(ids.bTest, { version: ids.b, split: 'test' });
      assert.deepEqual(await pickers(), { version: ids.b, split: 'test', k: '' });
      assert.equal(await page.getByTestId('not-study-run').count(), 0, 'the study follows this run');
    });

    it('changing version and split shows that selection’s stored diagnosis, or says there is none', async () => {
      await page.getByTestId('pick-version').selectOption(ids.a);
      await showsStored(ids.aTest, { version: ids.a, split: 'test' });
      assert.match(await text('not-study-run'), /not the study’s \(the study follows version .*, test split\)/);
      assert.deepEqual(await addressSelection(), { model: ids.pack, version: ids.a, split: 'test' });

      await page.getByTestId('pick-split').selectOption('val');
      await showsStored(ids.aVal, { version: ids.a, split: 'val' });
      assert.deepEqual(await addressSelection(), { model: ids.pack, version: ids.a, split: 'val' });

      await page.getByTestId('pick-split').selectOption('train');
      await showsNone({ version: ids.a, split: 'train' });
      assert.match(await text('no-diagnosis'), /not been diagnosed on version .*, training split/);
      assert.equal(await text('step-lead'), 'No diagnosis for this selection yet.');
      await scrollTo('pick-model');
      await screenshot(page, 'diagnose-selection-01-none');
      await accessible('no diagnosis');
    });

    it('a reload keeps the selection: pickers from the address, and the same numbers or the same "no diagnosis"', async () => {
      await page.reload();
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
      await showsNone({ version: ids.a, split: 'train' });
      assert.deepEqual(await pickers(), { version: ids.a, split: 'train', k: '' });

      await page.getByTestId('pick-split').selectOption('val');
      await showsStored(ids.aVal, { version: ids.a, split: 'val' });
      await page.getByTestId('pick-k').selectOption('2');
      await showsStored(ids.aVal, { version: ids.a, split: 'val', k: 2 });
      assert.deepEqual(await addressSelection(), { model: ids.pack, version: ids.a, split: 'val', k: '2' });

      await page.reload();
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
      await showsStored(ids.aVal, { version: ids.a, split: 'val', k: 2 });
      assert.deepEqual(await pickers(), { version: ids.a, split: 'val', k: '2' });
      for (const viewport of [
        { width: 1280, height: 720 },
        { width: 1440, height: 900 },
      ]) {
        await page.setViewportSize(viewport);
        await scrollTo('result-selection');
        await screenshot(page, `diagnose-selection-02-reloaded-${viewport.width}x${viewport.height}`);
      }
      await accessible('reloaded results');
    });

    it('a K the stored diagnosis does not hold shows no numbers for it', async () => {
      await page.getByTestId('pick-version').selectOption(ids.b);
      await page.getByTestId('pick-split').selectOption('all');
      await showsStored(ids.bAll, { version: ids.b, split: 'all', k: 2 });
      await page.getByTestId('pick-k').selectOption('8');
      await showsNone({ version: ids.b, split: 'all' });
      assert.match(await text('no-diagnosis'), /holds no Pass@8 \(it has Pass@1, Pass@2\)/);
      await page.getByTestId('pick-k').selectOption('');
      await showsStored(ids.bAll, { version: ids.b, split: 'all', k: 2 });
    });

    it('running the diagnosis from the "no diagnosis" card diagnoses that selection; the study summary names its K, split and n', async () => {
      await page.getByTestId('pick-version').selectOption(ids.a);
      await page.getByTestId('pick-split').selectOption('train');
      await showsNone({ version: ids.a, split: 'train' });
      const before = new Set((await api<RunBody[]>('runs:list', { kind: 'diagnose' })).map((r) => r.id));
      await page.getByTestId('no-diagnosis-run').click();
      const run = await until(
        'a new diagnosis',
        async () => (await api<RunBody[]>('runs:list', { kind: 'diagnose' })).find((r) => !before.has(r.id)),
        (r) => r !== undefined,
        20_000,
      );
      assert.deepEqual([run!.pack, run!.version, run!.split, run!.adapter], [ids.pack, ids.a, 'train', null]);
      await page.locator('[data-testid="rec-card"][data-scope="overall"]').waitFor({ timeout: JOB_TIMEOUT_MS });
      const k = await showsStored(run!.id, { version: ids.a, split: 'train' });
      const stored = await api<RunBody>('runs:get', { id: run!.id });
      assert.equal(k, stored.recommendation!.recipe.k, 'the headline is at the recipe’s K');
      assert.equal(await page.getByTestId('not-study-run').count(), 0, 'the new diagnosis is the study’s');
      const m = stored.metrics!.overall;
      const line = (await page.locator('[data-testid="status-run"][data-role="diagnosis"]').textContent()) ?? '';
      assert.match(
        line,
        new RegExp(`Pass@${k} ${pctText(m.passAtK[String(k)]!).replace('.', '\\.')} · training split, n = ${m.n}`),
        'the summary speaks of the headline’s K and split',
      );
      await top();
      await screenshot(page, 'diagnose-selection-03-run-from-card');
      await accessible('run from the card');
    });

    it('made no console errors and no request off the loopback interface', () => {
      assert.deepEqual(app.session.consoleErrors, []);
      assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
    });
  },
);
