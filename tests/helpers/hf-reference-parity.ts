// A pack's `diagnose --dump` against the same model run by transformers on PyTorch (tests/reference/hf_vlm_reference.py):
// the largest option-probability difference over the dumped items. Used wherever a pack must equal its HF folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.ts';
import { ENGINE_PYTHON, PYTHON_TIMEOUT_MS } from './engine-python.ts';

const REFERENCE = join(REPO_ROOT, 'tests/reference/hf_vlm_reference.py');

export function jsonl(path: string): any[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Runs the reference on the items of a `diagnose --dump` folder; returns the items, the reference rows and the largest |Δp|. */
export function compareDumpWithReference(
  ws: string,
  dumpDir: string,
  hfFolder: string,
  workDir: string,
): { items: any[]; reference: Map<string, any>; worst: number } {
  const items = jsonl(join(dumpDir, 'items.jsonl'));
  const itemsFile = join(workDir, `items-${Date.now()}.jsonl`);
  const refFile = join(workDir, `ref-${Date.now()}.jsonl`);
  writeFileSync(
    itemsFile,
    items
      .map((x) => JSON.stringify({ item: x.item, image: join(ws, 'blobs', x.image.slice(0, 2), x.image), question: x.question, options: x.options }))
      .join('\n') + '\n',
  );
  const py = spawnSync(ENGINE_PYTHON, [REFERENCE, hfFolder, itemsFile, refFile], {
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_OFFLINE: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: PYTHON_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  assert.equal(py.status, 0, py.stderr.slice(-2000));
  const reference = new Map(jsonl(refFile).map((x) => [x.item, x]));
  let worst = 0;
  for (const x of items) {
    const r = reference.get(x.item);
    assert.ok(r, `reference row for ${x.item}`);
    x.probs.forEach((p: number, j: number) => (worst = Math.max(worst, Math.abs(p - r.probs[j]))));
  }
  return { items, reference, worst };
}
