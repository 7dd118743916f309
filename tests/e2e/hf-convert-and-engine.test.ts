/// <reference lib="dom" />
// Real VLMs in the UI, against `medbridge serve` in Debian's Chromium: in the Diagnose step, "Convert a Hugging Face
// model folder" refuses a model-hub name before any call, then converts a tiny Hugging Face model folder (qwen2_vl,
// seeded random weights) in a background job whose progress the page shows; the converted pack is registered and
// becomes the diagnosis model (models:list has it with its architecture). In the Sharpen step, "Run on an engine
// instead" writes a TRL job folder for that version and shows the command to run; importing a folder without
// metrics.jsonl shows the coded error. Accessibility checked on both panels.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, ROOT, screenshot, until, useServedApp } from './harness.ts';
import { enginePythonMissing } from '../helpers/engine-python.ts';
import { tinyHfModel } from '../helpers/tiny-hf-models.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const skip = chromiumMissingReason() ?? enginePythonMissing();

interface Pack {
  id: string;
  kind: string;
  architecture: string | null;
}

describe('Convert a Hugging Face folder and run on an engine (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 300_000 }, () => {
  let version = '';
  let hf = '';
  const app = useServedApp({
    prepare: (ws) => {
      const breast = (JSON.parse(cli(['import', 'medmnist', BREAST, '--workspace', ws.workspace, '--json'])) as { dataset: string }).dataset;
      version = (
        JSON.parse(cli(['balance', '--datasets', breast, '--split', 'source', '--total', '40', '--workspace', ws.workspace, '--json'])) as { id: string }
      ).id;
      hf = tinyHfModel('qwen2_vl').hf;
    },
  });
  const { page, api } = app;

  it('refuses a hub name in the form, then converts a local folder in a job and picks the new pack', async () => {
    await page.goto(`${app.host.url.split('#')[0]}#/diagnose`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByText('Convert a Hugging Face model folder').click();
    await page.getByTestId('convert-source').fill('Qwen/Qwen2.5-VL-7B-Instruct');
    await page.getByTestId('convert-out').fill(join(app.ws.dir, 'pack'));
    await page.getByTestId('convert-start').click();
    assert.match(await page.getByTestId('convert-problem').innerText(), /model-hub name is not downloaded/);
    assert.deepEqual(await api<Pack[]>('models:list', {}), []);

    await page.getByTestId('convert-source').fill(hf);
    await page.getByTestId('convert-start').click();
    await page.getByTestId('register-progress').waitFor({ timeout: 30_000 });
    const packs = await until(
      'the converted pack',
      () => api<Pack[]>('models:list', {}),
      (p) => p.length === 1,
      120_000,
      500,
    );
    assert.equal(packs[0]!.kind, 'vlm');
    assert.equal(packs[0]!.architecture, 'qwen2_vl');
    await until(
      'the converted pack picked',
      () => page.getByTestId('pick-model').inputValue(),
      (v) => v === packs[0]!.id,
      10_000,
    );
    const manifest = JSON.parse(readFileSync(join(app.ws.dir, 'pack', 'manifest.json'), 'utf8')) as { conversion: { sourceFolder: string } };
    assert.equal(manifest.conversion.sourceFolder, hf);
    await page.getByText('Convert a Hugging Face model folder').scrollIntoViewIfNeeded();
    await screenshot(page, 'diagnose-convert');
    const { problems } = await checkAccessibility(page);
    assert.deepEqual(problems, []);
  });

  it('writes a TRL job folder from the Sharpen step and shows the command; a folder without metrics.jsonl is refused by name', async () => {
    await page.goto(`${app.host.url.split('#')[0]}#/sharpen`);
    await page.getByTestId('step-sharpen').waitFor();
    await page.getByText('Run on an engine instead').click();
    const out = join(app.ws.dir, 'trl-job');
    await page.getByTestId('engine-base').fill(hf);
    await page.getByTestId('engine-out').fill(out);
    await page.getByTestId('engine-export').click();
    await page.getByTestId('engine-exported').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('engine-command').innerText(), `cd ${out} && ./launch.sh`);
    const config = JSON.parse(readFileSync(join(out, 'trl_config.json'), 'utf8')) as { algorithm: string; baseModel: string };
    assert.deepEqual([config.algorithm, config.baseModel], ['grpo', hf]);
    assert.ok(existsSync(join(out, 'launch.sh')));
    await page.getByTestId('engine-import').click();
    await page
      .getByText(/import\/missing-metrics|metrics\.jsonl/)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.getByTestId('engine-job').scrollIntoViewIfNeeded();
    await screenshot(page, 'sharpen-engine-job');
    const { problems } = await checkAccessibility(page);
    assert.deepEqual(problems, []);
    void version;
  });
});
