import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { normaliseOptionText, textHashEmbedding, TEXT_HASH_DIM } from '../../../electron/models/index.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

interface GoldenText {
  text: string;
  normalised: number[];
  indices: number[];
  values: number[];
}
const GOLDEN = new URL('../../fixtures/models/preprocessing-golden.json', import.meta.url);
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { textHash: GoldenText[] };
const PY = ENGINE_PYTHON;
const TOLERANCE = 1e-6;

function sparse(v: Float32Array): { indices: number[]; values: number[] } {
  const indices: number[] = [];
  const values: number[] = [];
  v.forEach((x, i) => {
    if (x !== 0) {
      indices.push(i);
      values.push(x);
    }
  });
  return { indices, values };
}

function assertMatches(g: GoldenText): void {
  assert.deepEqual(Array.from(normaliseOptionText(g.text)), g.normalised, `normalised bytes of ${JSON.stringify(g.text)}`);
  const s = sparse(textHashEmbedding(g.text));
  assert.deepEqual(s.indices, g.indices, `buckets of ${JSON.stringify(g.text)}`);
  s.values.forEach((v, i) => assert.ok(Math.abs(v - (g.values[i] as number)) < TOLERANCE, `value ${i} of ${JSON.stringify(g.text)}`));
}

test('TypeScript trigram hashing equals the Python twin (committed golden file)', () => {
  assert.ok(golden.textHash.length >= 10);
  for (const g of golden.textHash) assertMatches(g);
});

test('TypeScript trigram hashing equals the Python twin (live, in the project Python environment)', (t) => {
  const missing = enginePythonMissing();
  if (missing) return t.skip(missing);
  const texts = ['Ground-glass opacity', 'Pleural effusion (left)', 'T2 hyperintense lesion', 'normal', 'Zöliakie', 'c'];
  const script = [
    'import json, sys',
    'sys.path.insert(0, "build/reference-pack")',
    'from pack_preprocessing import text_hash_embedding, normalise_option_text',
    'import numpy as np',
    'out = []',
    'for t in json.loads(sys.argv[1]):',
    '    v = text_hash_embedding(t); nz = np.nonzero(v)[0]',
    '    out.append({"text": t, "normalised": list(normalise_option_text(t)), "indices": nz.tolist(), "values": [float(x) for x in v[nz]]})',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync(PY, ['-c', script, JSON.stringify(texts)], { cwd: new URL('../../../', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const live = JSON.parse(r.stdout) as GoldenText[];
  assert.equal(live.length, texts.length);
  for (const g of live) assertMatches(g);
});

test('embedding is unit-length, case/punctuation-insensitive, zero for text without letters or digits', () => {
  const v = textHashEmbedding('Pituitary tumor');
  assert.equal(v.length, TEXT_HASH_DIM);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-6);
  assert.deepEqual(textHashEmbedding('PITUITARY,  tumor!'), v);
  assert.notDeepEqual(textHashEmbedding('pituitary tumour'), v);
  assert.ok(textHashEmbedding('?!  ...').every((x) => x === 0));
});
