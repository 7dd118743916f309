// `models convert` refuses, with a coded error naming the file (or the missing piece and the set-up command), and
// writes nothing — no pack folder, no staging folder, no job: a hub id, a missing folder, a folder without weights
// (or with only a pickle), an unsupported model_type, a truncated safetensors file, an occupied output folder, and
// a Python environment that is absent or lacks packages. The converter's own checks (Python) say the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

let dir: string;
let cleanup: () => void;
let ws: string;

/** A valid safetensors file: 8-byte LE header length, JSON header, tensor bytes. */
function safetensors(values: number[]): Buffer {
  const data = Buffer.from(new Float32Array(values).buffer);
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [values.length], data_offsets: [0, data.length] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, header, data]);
}

function hfFolder(name: string, files: Record<string, string | Buffer>): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(join(d, f), content);
  return d;
}

const LLAVA_CONFIG = JSON.stringify({ model_type: 'llava', architectures: ['LlavaForConditionalGeneration'] });

function refused(source: string, code: string, file: string | null, env: NodeJS.ProcessEnv = {}, out = join(dir, `out-${code.replace('/', '-')}`)): string {
  const r = runCli(['models', 'convert', source, '--out', out, '--workspace', ws, '--json'], env);
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, new RegExp(`Error \\[${code}\\]`), r.stderr);
  if (file) assert.ok(r.stderr.includes(file), `names ${file}: ${r.stderr}`);
  assert.equal(existsSync(out), false, 'no pack folder written');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes('.converting-')),
    [],
    'no staging folder',
  );
  return r.stderr;
}

before(() => {
  ({ dir, cleanup } = tempDir('hf-convert-refusals'));
  ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws, '--json']).code, 0);
});
after(() => cleanup());

test('a hub id is refused: nothing is downloaded', () => {
  const err = refused('Qwen/Qwen2.5-VL-7B-Instruct', 'convert/hub-id-refused', null);
  assert.match(err, /model-hub id/);
});

test('a folder that does not exist, and a file instead of a folder', () => {
  refused(join(dir, 'nowhere'), 'convert/not-found', null);
  writeFileSync(join(dir, 'plain.txt'), 'x');
  refused(join(dir, 'plain.txt'), 'convert/not-a-folder', null);
});

test('no config.json; an unsupported model_type names the supported ones', () => {
  refused(hfFolder('no-config', { 'model.safetensors': safetensors([1, 2]) }), 'convert/missing-file', 'config.json');
  const err = refused(
    hfFolder('florence', { 'config.json': JSON.stringify({ model_type: 'florence2' }), 'model.safetensors': safetensors([1]) }),
    'convert/unsupported-architecture',
    'config.json',
  );
  assert.match(err, /florence2/);
  assert.match(err, /llava, qwen2_vl, qwen2_5_vl, gemma3/);
});

test('no weights, or only a pickle file (never loaded)', () => {
  refused(hfFolder('no-weights', { 'config.json': LLAVA_CONFIG, 'tokenizer.json': '{}' }), 'convert/missing-weights', null);
  const err = refused(
    hfFolder('pickle', { 'config.json': LLAVA_CONFIG, 'tokenizer.json': '{}', 'pytorch_model.bin': 'PK' }),
    'convert/missing-weights',
    'pytorch_model.bin',
  );
  assert.match(err, /pickle/);
});

test('a truncated safetensors file is named, however it is cut', () => {
  const whole = safetensors([1, 2, 3, 4]);
  for (const [name, bytes] of [
    ['cut-data', whole.subarray(0, whole.length - 3)],
    ['cut-header', whole.subarray(0, 20)],
    ['cut-length', whole.subarray(0, 5)],
  ] as const) {
    refused(
      hfFolder(name, {
        'config.json': LLAVA_CONFIG,
        'tokenizer.json': '{}',
        'model-00002-of-00002.safetensors': bytes,
        'model-00001-of-00002.safetensors': whole,
      }),
      'convert/truncated-weights',
      'model-00002-of-00002.safetensors',
    );
  }
});

test('an occupied output folder is refused and left as it was', () => {
  const src = hfFolder('ok-source', { 'config.json': LLAVA_CONFIG, 'tokenizer.json': '{}', 'model.safetensors': safetensors([1]) });
  const out = join(dir, 'occupied');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'mine');
  const r = runCli(['models', 'convert', src, '--out', out, '--workspace', ws, '--json']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Error \[convert\/out-not-empty\]/);
  assert.deepEqual(readdirSync(out), ['keep.txt']);
});

test('without the Python environment: a coded error naming the missing piece and the set-up command', () => {
  const src = hfFolder('ok-source-2', { 'config.json': LLAVA_CONFIG, 'tokenizer.json': '{}', 'model.safetensors': safetensors([1]) });
  const err = refused(src, 'python/missing-environment', 'npm run setup:engines', { MEDBRIDGE_PYTHON: join(dir, 'no-such-python') });
  assert.match(err, /no-such-python/);
});

test('a Python environment without the packages names each missing one', () => {
  const venv = join(dir, 'bare-venv');
  const made = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
  assert.equal(made.status, 0, `python3 -m venv (the same module setup:engines uses) failed: ${made.stderr}`);
  const src = hfFolder('ok-source-3', { 'config.json': LLAVA_CONFIG, 'tokenizer.json': '{}', 'model.safetensors': safetensors([1]) });
  const err = refused(src, 'python/missing-package', 'npm run setup:engines', { MEDBRIDGE_PYTHON: join(venv, 'bin', 'python') });
  for (const pkg of ['torch', 'transformers', 'tokenizers', 'safetensors', 'onnx']) assert.match(err, new RegExp(`\\b${pkg}\\b`));
});

test('nothing of the refusals reached the workspace: no job, no pack', () => {
  const jobs = runCli(['jobs', 'list', '--workspace', ws, '--json']);
  assert.deepEqual(JSON.parse(jobs.stdout.trim().split('\n').at(-1) as string), []);
  const packs = runCli(['models', 'list', '--workspace', ws, '--json']);
  assert.deepEqual(JSON.parse(packs.stdout.trim().split('\n').at(-1) as string), []);
});

test(
  'the converter itself (Python) refuses a truncated file and an unsupported model_type with the same codes',
  { skip: enginePythonMissing() ?? false },
  () => {
    const run = (src: string) => {
      const r = spawnSync(ENGINE_PYTHON, ['-m', 'medbridge_convert', '--src', src, '--out', join(dir, 'py-out')], {
        cwd: join(REPO_ROOT, 'resources/python'),
        encoding: 'utf8',
      });
      assert.equal(r.status, 2, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    };
    const whole = safetensors([1, 2, 3, 4]);
    const cut = run(hfFolder('py-cut', { 'config.json': LLAVA_CONFIG, 'tokenizer.json': '{}', 'model.safetensors': whole.subarray(0, whole.length - 1) }));
    assert.deepEqual([cut.event, cut.code, cut.file], ['error', 'convert/truncated-weights', 'model.safetensors']);
    const other = run(hfFolder('py-gemma', { 'config.json': JSON.stringify({ model_type: 'florence2' }), 'model.safetensors': whole }));
    assert.deepEqual([other.code, other.file], ['convert/unsupported-architecture', 'config.json']);
    assert.equal(existsSync(join(dir, 'py-out')), false);
  },
);
