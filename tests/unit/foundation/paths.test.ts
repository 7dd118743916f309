// shared/paths.ts: which strings are absolute paths on the host, and the training:export-onnx input schema that uses it
// (a relative `out` is refused at the contract boundary, before any handler runs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALLS } from '../../../shared/api/index.ts';
import { isAbsolutePath } from '../../../shared/paths.ts';

test('isAbsolutePath: POSIX, Windows drive and UNC paths; nothing relative', () => {
  for (const p of ['/', '/tmp/pack', 'C:\\packs\\run', 'd:/packs', 'Z:\\', '\\\\server\\share\\pack']) assert.equal(isAbsolutePath(p), true, p);
  for (const p of ['', 'pack', './pack', '../pack', '~/pack', 'C:pack', 'C:', '1:\\x', '\\single', ' /tmp/pack']) assert.equal(isAbsolutePath(p), false, p);
});

test('training:export-onnx refuses a relative out with the shared absolute-path message; absolute ones pass', () => {
  const input = CALLS['training:export-onnx'].input;
  for (const out of ['/tmp/pack', 'C:\\packs\\run', '\\\\server\\share\\pack']) assert.equal(input.safeParse({ run: 'r1', out }).success, true, out);
  for (const out of ['pack', './pack', 'C:pack']) {
    const r = input.safeParse({ run: 'r1', out });
    assert.equal(r.success, false, out);
    assert.deepEqual(
      r.error?.issues.map((i) => [i.path.join('.'), i.message]),
      [['out', 'must be a full (absolute) path, such as /data/study or C:\\data\\study']],
      out,
    );
  }
});
