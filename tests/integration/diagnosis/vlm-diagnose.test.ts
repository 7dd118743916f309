// The transformers.js path through the app: the tiny random-weight LLaVA folder registered with `models add`,
// diagnosed end to end in a worker (small version); broken pack folders fail with coded, file-naming errors.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../helpers/cli.ts';
import { copyPack, rehashInManifest } from '../models/pack-copy.ts';
import { TINY_LLAVA, buildDiagnosisWorkspace, cli, ok } from './diagnosis-workspace.ts';

const SMALL_TOTAL = 20;
let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;

before(() => {
  ({ dir, cleanup } = tempDir('vlm-diagnose'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, SMALL_TOTAL);
});
after(() => cleanup());

test('tiny LLaVA: models add registers it by hash, diagnose runs it end to end', () => {
  const added = ok(['models', 'add', TINY_LLAVA], ws);
  assert.equal(added.kind, 'vlm');
  assert.equal(added.architecture, 'llava');
  assert.match(added.id, /^[0-9a-f]{64}$/);
  assert.equal(ok(['models', 'add', TINY_LLAVA], ws).created, false, 'adding the same pack twice changes nothing');
  assert.equal(ok(['models', 'list'], ws).length, 1);
  const d = ok(['diagnose', '--model', added.id.slice(0, 12), '--version', version, '--split', 'all', '--dump', join(dir, 'dump')], ws);
  assert.equal(d.pack, added.id);
  assert.equal(d.overall.n, ok(['versions', 'show', version], ws).n);
  assert.equal(d.environment.executionProvider.provider, 'cpu');
  assert.ok(d.environment.transformers, 'transformers.js version recorded');
  const lines = readFileSync(join(dir, 'dump', 'items.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  for (const l of lines) assert.ok(Math.abs(l.probs.reduce((s: number, p: number) => s + p, 0) - 1) < 1e-9);
});

test('a changed byte in a pack is model/hash-mismatch naming the file; a broken graph fails the job with model/corrupt-onnx', async () => {
  const copy = copyPack(TINY_LLAVA, 'tiny-llava');
  try {
    const graph = join(copy.dir, 'onnx', 'embed_tokens.onnx');
    const bytes = readFileSync(graph);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(graph, bytes);
    const r = cli(['models', 'add', copy.dir], ws);
    assert.equal(r.code, 1);
    assert.equal(r.json.error.code, 'model/hash-mismatch');
    assert.match(r.stderr, /onnx\/embed_tokens\.onnx/);

    writeFileSync(graph, Buffer.from('not an onnx protobuf'));
    await rehashInManifest(copy.dir, 'onnx/embed_tokens.onnx');
    const d = cli(['diagnose', '--model', copy.dir, '--version', version, '--split', 'all'], ws);
    assert.equal(d.code, 1);
    assert.equal(d.json.error.code, 'model/corrupt-onnx', d.stderr);
    assert.match(d.json.error.message, /embed_tokens\.onnx/);
    assert.equal(d.json.error.detail.state, 'failed');

    rmSync(join(copy.dir, 'manifest.json'));
    rmSync(join(copy.dir, 'config.json'));
    const missing = cli(['models', 'add', copy.dir], ws);
    assert.equal(missing.json.error.code, 'model/missing-file');
    assert.match(missing.json.error.message, /config\.json/);
  } finally {
    copy.cleanup();
  }
});
