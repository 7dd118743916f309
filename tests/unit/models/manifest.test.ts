import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ModelPackManifest } from '../../../electron/models/index.ts';

const shipped = JSON.parse(readFileSync(new URL('../../../resources/models/reference-v1/manifest.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const tinyVlm = JSON.parse(readFileSync(new URL('../../fixtures/models/tiny-llava/manifest.json', import.meta.url), 'utf8')) as Record<string, unknown>;

test('the shipped reference manifest and the tiny VLM manifest validate', () => {
  const ref = ModelPackManifest.parse(shipped);
  assert.equal(ref.kind, 'reference');
  assert.equal(ref.notMedicalDevice, true);
  assert.match(ref.label, /not a medical device/);
  assert.deepEqual(ref.preprocessing?.size, [64, 64]);
  assert.deepEqual(ref.featureDims, { image: 128, option: 64 });
  assert.equal(ModelPackManifest.parse(tinyVlm).architecture, 'llava');
});

test('paths that leave the pack are rejected', () => {
  for (const bad of ['../x.onnx', '/etc/passwd', 'a/../../b', 'C:/x.onnx', 'a\\b.onnx', 'a//b']) {
    const files = [{ path: bad, sha256: 'a'.repeat(64), bytes: 1 }];
    const r = ModelPackManifest.safeParse({ ...shipped, files, graphs: {} });
    assert.equal(r.success, false, bad);
  }
});

test('structural rules: graphs name listed files, kinds carry what they need, label is mandatory', () => {
  const notListed = { ...shipped, graphs: { vision: { file: 'other.onnx', inputs: ['a'], outputs: ['b'] } } };
  assert.equal(ModelPackManifest.safeParse(notListed).success, false);
  const { preprocessing: _p, ...noPre } = shipped;
  assert.equal(ModelPackManifest.safeParse(noPre).success, false);
  assert.equal(ModelPackManifest.safeParse({ ...shipped, notMedicalDevice: false }).success, false);
  assert.equal(ModelPackManifest.safeParse({ ...shipped, kind: 'vlm' }).success, false, 'vlm needs architecture');
  assert.equal(ModelPackManifest.safeParse({ ...shipped, files: [] }).success, false);
  const badHash = { ...shipped, files: (shipped.files as Array<Record<string, unknown>>).map((f) => ({ ...f, sha256: 'XYZ' })) };
  assert.equal(ModelPackManifest.safeParse(badHash).success, false);
});
