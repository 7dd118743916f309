// `exportOnnxPack` and `TrainingService.exportOnnx` without a trained workspace: a fake reference base pack (three
// "graphs" of arbitrary bytes — the export copies them, it does not run them) in a temp folder and a seeded adapter.
// Checked: a normal export writes every listed file and leaves no temporary file; a base pack that lists a file the
// export writes itself (README.md, adapter_head.onnx) is refused with export/base-file-conflict naming it; a base
// manifest that is not JSON gives model/invalid-manifest; an export whose audited change does not commit leaves no
// folder behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AppError } from '../../../shared/errors.ts';
import type { PackFile } from '../../../electron/models/manifest.ts';
import { computePackId } from '../../../electron/models/pack-identity.ts';
import { adapterBytes, createAdapter } from '../../../electron/training/index.ts';
import { exportOnnxPack, type ExportedRunInfo } from '../../../electron/training/onnx/export-pack.ts';
import { TrainingService } from '../../../electron/services/training-service.ts';
import type { Workspace } from '../../../electron/storage/workspace.ts';
import type { JobRunner } from '../../../electron/jobs/job-runner.ts';
import type { ModelsService } from '../../../electron/services/models-service.ts';
import { tempDir } from '../../helpers/cli.ts';

const IMAGE_DIM = 8;
const OPTION_DIM = 4;
const RUN = 'run-0123456789abcdef';

const { dir: root, cleanup } = tempDir('onnx-export-pack');
after(cleanup);
let seq = 0;

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A reference pack folder whose manifest lists `files` (path → contents) and the three graphs. */
function fakeBasePack(extra: Record<string, string> = {}): { dir: string; pack: string } {
  const dir = join(root, `base-${++seq}`);
  mkdirSync(dir);
  const contents: Record<string, string> = { 'vision_encoder.onnx': 'vision', 'option_encoder.onnx': 'option', 'answer_head.onnx': 'answer', ...extra };
  const files: PackFile[] = Object.entries(contents).map(([path, text]) => {
    writeFileSync(join(dir, path), text);
    return { path, sha256: sha256(text), bytes: Buffer.byteLength(text) };
  });
  const graph = (file: string) => ({ file, inputs: ['x'], outputs: ['y'] });
  const manifest = {
    schemaVersion: 1,
    kind: 'reference',
    name: 'fake-reference',
    version: '1.0.0',
    label: 'fake - not a medical device',
    notMedicalDevice: true,
    intendedUse: 'tests',
    licence: { weights: 'none' },
    files,
    preprocessing: {
      size: [8, 8],
      channels: 3,
      greyToRgb: 'replicate',
      resize: 'bilinear-antialiased',
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
      scale: 1 / 255,
    },
    textEncoding: { kind: 'hashed-char-trigram', dim: 16 },
    graphs: { vision: graph('vision_encoder.onnx'), optionEncoder: graph('option_encoder.onnx'), answerHead: graph('answer_head.onnx') },
    featureDims: { image: IMAGE_DIM, option: OPTION_DIM },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { dir, pack: computePackId(files) };
}

function runInfo(base: { dir: string; pack: string }): ExportedRunInfo {
  const bytes = adapterBytes(createAdapter({ imageDim: IMAGE_DIM, textDim: OPTION_DIM, rank: 2 }, 1));
  return {
    run: RUN,
    algorithm: 'sft',
    configJson: '{"algorithm":"sft","steps":3}',
    seed: 1,
    version: null,
    initRun: null,
    adapterHash: sha256(bytes),
    adapterBytes: bytes,
    basePack: base.pack,
    basePackDir: base.dir,
    auditHead: { seq: 1, hash: 'a'.repeat(64) },
  };
}

function appError(code: string, detail: Record<string, unknown>) {
  return (e: unknown) => {
    assert.ok(e instanceof AppError, `an AppError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const [k, v] of Object.entries(detail)) assert.equal(e.detail?.[k], v, `detail.${k}`);
    return true;
  };
}

test('a normal export: every listed file in the folder with its SHA-256, no temporary file left', () => {
  const out = join(root, 'out-ok', 'pack');
  const r = exportOnnxPack(runInfo(fakeBasePack()), out);
  assert.deepEqual(
    r.files.map((f) => f.path),
    ['README.md', 'adapter_head.onnx', 'answer_head.onnx', 'option_encoder.onnx', 'vision_encoder.onnx'],
  );
  for (const f of r.files) assert.equal(sha256(readFileSync(join(out, f.path))), f.sha256, f.path);
  assert.deepEqual(readdirSync(out).sort(), [...r.files.map((f) => f.path), 'manifest.json'].sort());
  assert.deepEqual(readdirSync(join(root, 'out-ok')), ['pack'], 'no partial folder beside it');
});

for (const file of ['README.md', 'adapter_head.onnx']) {
  test(`a base pack listing its own ${file} is refused (the export would overwrite it and list it twice)`, () => {
    const out = join(root, `out-clash-${file}`);
    assert.throws(() => exportOnnxPack(runInfo(fakeBasePack({ [file]: 'the base pack’s own' })), out), appError('export/base-file-conflict', { file }));
    assert.equal(existsSync(out), false, 'nothing written');
  });
}

test('a base manifest that is not JSON: model/invalid-manifest naming the folder and file, not a bare SyntaxError', () => {
  const base = fakeBasePack();
  writeFileSync(join(base.dir, 'manifest.json'), '{"schemaVersion": 1, "kind": ');
  const out = join(root, 'out-bad-json');
  assert.throws(
    () => exportOnnxPack(runInfo(base), out),
    (e: unknown) => {
      appError('model/invalid-manifest', { path: base.dir, file: 'manifest.json' })(e);
      assert.match((e as Error).message, /not valid JSON/);
      return true;
    },
  );
  assert.equal(existsSync(out), false);
});

/** The service over a stand-in workspace whose change runs the export and then commits or fails. */
function service(base: { dir: string; pack: string }, commit: boolean): TrainingService {
  const info = runInfo(base);
  const row = {
    kind: 'sft',
    state: 'done',
    pack_id: base.pack,
    version_id: null,
    init_run: null,
    adapter_hash: info.adapterHash,
    config: info.configJson,
    seed: 1,
    metrics: null,
    path: base.dir,
  };
  const ws = {
    read: { get: () => row },
    blobs: { get: () => info.adapterBytes },
    audit: { head: () => info.auditHead },
    change<T>(entry: (r: T) => unknown, fn: () => T): T {
      const r = fn();
      entry(r);
      if (!commit) throw new Error('SQLITE_FULL: database or disk is full');
      return r;
    },
  };
  return new TrainingService(ws as unknown as Workspace, {} as JobRunner, {} as ModelsService);
}

test('the audited change fails after the folder was written: the folder is removed, the error passes through', () => {
  const out = join(root, 'out-uncommitted', 'pack');
  assert.throws(() => service(fakeBasePack(), false).exportOnnx({ run: RUN, out }, 'test'), /SQLITE_FULL/);
  assert.equal(existsSync(out), false, 'no unaudited pack left');
  assert.deepEqual(readdirSync(join(root, 'out-uncommitted')), [], 'nor a partial folder');
});

test('the audited change commits: the folder stays', () => {
  const out = join(root, 'out-committed');
  const r = service(fakeBasePack(), true).exportOnnx({ run: RUN, out }, 'test');
  assert.equal(r.out, out);
  assert.ok(existsSync(join(out, 'manifest.json')));
});
