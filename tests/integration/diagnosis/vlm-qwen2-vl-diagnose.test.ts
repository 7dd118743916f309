// The Qwen2-VL family through the app: the tiny random-weight qwen2_vl folder registered with `models add`
// and diagnosed end to end in a worker on a small version (28×28 BreastMNIST images resized up by the
// Qwen2-VL image processor, blood-cell images resized down); per-item probabilities dumped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';
import { buildDiagnosisWorkspace, ok } from './diagnosis-workspace.ts';

const TINY_QWEN2_VL = join(REPO_ROOT, 'tests/fixtures/models/tiny-qwen2-vl');
const TINY_QWEN2_5_VL = join(REPO_ROOT, 'tests/fixtures/models/tiny-qwen2_5-vl');
const SMALL_TOTAL = 20;
let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;

before(() => {
  ({ dir, cleanup } = tempDir('vlm-qwen2-vl-diagnose'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, SMALL_TOTAL);
});
after(() => cleanup());

test('tiny Qwen2-VL: models add registers it by hash, diagnose runs it end to end and dumps per-item probabilities', () => {
  const added = ok(['models', 'add', TINY_QWEN2_VL], ws);
  assert.equal(added.kind, 'vlm');
  assert.equal(added.architecture, 'qwen2_vl');
  assert.match(added.id, /^[0-9a-f]{64}$/);
  const d = ok(['diagnose', '--model', added.id.slice(0, 12), '--version', version, '--split', 'all', '--dump', join(dir, 'dump')], ws);
  assert.equal(d.pack, added.id);
  const n = ok(['versions', 'show', version], ws).n;
  assert.equal(d.overall.n, n);
  assert.equal(d.environment.executionProvider.provider, 'cpu');
  const lines = readFileSync(join(dir, 'dump', 'items.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, n);
  for (const l of lines) {
    assert.ok(Math.abs(l.probs.reduce((s: number, p: number) => s + p, 0) - 1) < 1e-9);
    assert.ok(l.probs.every((p: number) => p > 0 && p < 1));
  }
  // the random model is not uniform and not constant across items
  assert.ok(new Set(lines.map((l) => l.probs.map((p: number) => p.toFixed(6)).join(','))).size > 1);
});

test('tiny Qwen2.5-VL (same weights, short preprocessor config) gives the same per-item probabilities', () => {
  const added = ok(['models', 'add', TINY_QWEN2_5_VL], ws);
  assert.equal(added.architecture, 'qwen2_5_vl');
  ok(['diagnose', '--model', added.id.slice(0, 12), '--version', version, '--split', 'all', '--dump', join(dir, 'dump25')], ws);
  const read = (d: string) =>
    readFileSync(join(dir, d, 'items.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  const a = read('dump');
  const b = read('dump25');
  assert.equal(b.length, a.length);
  const byItem = new Map(a.map((l) => [l.item, l.probs as number[]]));
  for (const l of b) {
    const ref = byItem.get(l.item);
    assert.ok(ref, `item ${l.item} in both runs`);
    l.probs.forEach((p: number, j: number) => assert.ok(Math.abs(p - (ref[j] as number)) < 1e-6, `item ${l.item}`));
  }
});
