// "Export as ONNX pack" (renderer/src/lib/format/export.ts): which folders are sent to training:export-onnx, and what
// the card says about the result. Expected values are worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesText, checkConvertFolders, checkExportFolder, exportSummary, type OnnxExport } from '../../../renderer/src/lib/format/export.ts';

test('checkExportFolder trims, and refuses an empty or relative folder before any call', () => {
  assert.deepEqual(checkExportFolder('  /tmp/out pack  '), { ok: true, out: '/tmp/out pack' });
  const empty = checkExportFolder('   ');
  assert.equal(empty.ok, false);
  assert.match(empty.ok ? '' : empty.error, /Enter a folder/);
  const relative = checkExportFolder('exported');
  assert.equal(relative.ok, false);
  assert.match(relative.ok ? '' : relative.error, /full path .* not exported:/);
  // The same test as the host's input schema (shared/paths.ts): a Windows drive and a UNC share pass, C:x does not.
  for (const p of ['C:\\packs\\run', '\\\\server\\share\\pack']) assert.equal(checkExportFolder(p).ok, true, p);
  assert.equal(checkExportFolder('C:packs').ok, false);
});

test('bytesText: bytes below 1000, then decimal units with one decimal', () => {
  assert.equal(bytesText(0), '0 B');
  assert.equal(bytesText(999), '999 B');
  assert.equal(bytesText(1000), '1.0 kB');
  assert.equal(bytesText(1_234_567), '1.2 MB');
  assert.equal(bytesText(999_949), '999.9 kB');
  assert.equal(bytesText(999_999), '1.0 MB');
  assert.equal(bytesText(5_600_000_000), '5.6 GB');
});

test('exportSummary: folder, pack id, file count and total size, and the audit note', () => {
  const h = (c: string) => c.repeat(64);
  const r: OnnxExport = {
    out: '/tmp/pack',
    run: 'run-1234567890abcdef',
    pack: h('a'),
    basePack: h('b'),
    adapterHash: h('c'),
    configHash: h('d'),
    auditHead: h('e'),
    files: [
      { path: 'adapter_head.onnx', sha256: h('1'), bytes: 2_000 },
      { path: 'model.onnx', sha256: h('2'), bytes: 1_000_000 },
      { path: 'README.md', sha256: h('3'), bytes: 500 },
    ],
  };
  const s = exportSummary(r);
  assert.equal(s.folder, '/tmp/pack');
  assert.equal(s.pack, h('a'));
  assert.equal(s.files, 3);
  assert.equal(s.bytes, 1_002_500);
  assert.equal(s.size, '3 files, 1.0 MB');
  assert.match(s.auditNote, /^Recorded in the audit log as training:export-onnx with every file’s SHA-256, the entry after eeeeeeeeeeee/);
  assert.match(s.auditNote, /run run-1234567890abcdef/);
  assert.match(s.auditNote, /configuration hash dddddddddddd/);
  assert.equal(exportSummary({ ...r, files: [r.files[0]!] }).size, '1 file, 2.0 kB');
});

test('checkConvertFolders: both full paths, trimmed; a hub name, a relative or empty path, or the same folder twice is refused before the call', () => {
  assert.deepEqual(checkConvertFolders(' /models/qwen ', ' /models/qwen-pack '), { ok: true, source: '/models/qwen', out: '/models/qwen-pack' });
  assert.deepEqual(checkConvertFolders('C:\\models\\qwen', 'D:\\packs\\qwen'), { ok: true, source: 'C:\\models\\qwen', out: 'D:\\packs\\qwen' });
  const hub = checkConvertFolders('Qwen/Qwen2.5-VL-7B-Instruct', '/models/pack');
  assert.equal(hub.ok, false);
  assert.match((hub as { error: string }).error, /model-hub name is not downloaded/);
  assert.match((checkConvertFolders('', '/x') as { error: string }).error, /config\.json/);
  assert.match((checkConvertFolders('/models/qwen', 'pack') as { error: string }).error, /full path/);
  assert.match((checkConvertFolders('/models/qwen', '') as { error: string }).error, /new or empty folder/);
  assert.match((checkConvertFolders('/models/qwen', '/models/qwen') as { error: string }).error, /folder of its own/);
});
