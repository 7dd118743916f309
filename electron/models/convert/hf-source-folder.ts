// Checks what a user gave as the source of `models convert` before anything runs or is written: a local Hugging Face
// VLM folder (not a hub id: nothing leaves the hospital), its config.json with a model_type the runner supports,
// safetensors weights that are complete (header + tensor bytes), and a fast tokenizer. Names the file at fault.
// The converter (resources/python/medbridge_convert/source_folder.py) repeats the same checks on its side.
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors.ts';
import { isAbsolutePath } from '../../../shared/paths.ts';
import { SUPPORTED_VLM_ARCHITECTURES } from '../vlm-folder.ts';

/** "org/name" or "name" as written on a model hub, never a folder path. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;
const PICKLED = ['.bin', '.pt', '.pth', '.ckpt'];

export interface HfSourceFile {
  path: string;
  bytes: number;
}

export interface HfSource {
  dir: string;
  modelType: string;
  config: Record<string, unknown>;
  weights: string[];
  /** Every file of the folder (top level and below), for the source hash recorded in the pack's provenance. */
  files: HfSourceFile[];
}

/** A coded refusal; the message names the file at fault (the CLI prints the message). */
function refuse(code: string, message: string, dir: string, file: string): never {
  const named = file !== '.' && !message.includes(file) ? `${message} (${file})` : message;
  throw new AppError(code as `${string}/${string}`, named, { path: dir, file });
}

/** A safetensors file: 8-byte little-endian header length, JSON header, then the tensor bytes it indexes. */
export async function checkSafetensors(dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    if (bytesRead < 8) refuse('convert/truncated-weights', `${name} is truncated (${size} bytes).`, dir, name);
    const n = Number(head.readBigUInt64LE(0));
    if (n > size - 8)
      refuse('convert/truncated-weights', `${name} is truncated: its header says ${n} bytes, the file has ${size - 8} after the length.`, dir, name);
    const json = Buffer.alloc(n);
    await fh.read(json, 0, n, 8);
    let header: Record<string, { data_offsets?: [number, number] }>;
    try {
      header = JSON.parse(json.toString('utf8')) as typeof header;
    } catch {
      refuse('convert/truncated-weights', `${name} has an unreadable header.`, dir, name);
    }
    let end = 0;
    for (const [key, t] of Object.entries(header)) if (key !== '__metadata__' && t.data_offsets) end = Math.max(end, t.data_offsets[1]);
    if (8 + n + end > size)
      refuse('convert/truncated-weights', `${name} is truncated: its tensors need ${8 + n + end} bytes, the file has ${size}.`, dir, name);
  } finally {
    await fh.close();
  }
}

async function listFiles(dir: string, prefix = ''): Promise<HfSourceFile[]> {
  const out: HfSourceFile[] = [];
  for (const e of (await readdir(join(dir, prefix), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...(await listFiles(dir, rel)));
    } else if (e.isFile()) out.push({ path: rel, bytes: (await stat(join(dir, rel))).size });
  }
  return out;
}

export async function inspectHfSource(source: string): Promise<HfSource> {
  const isDir = await stat(source).then(
    (s) => s.isDirectory(),
    () => null,
  );
  if (isDir === null) {
    if (!isAbsolutePath(source) && HUB_ID.test(source)) {
      refuse(
        'convert/hub-id-refused',
        `"${source}" looks like a model-hub id. MedBridge converts only a folder on this machine (nothing is downloaded): download the model on a networked machine, copy the folder here and give its full path.`,
        source,
        '.',
      );
    }
    refuse('convert/not-found', `There is no folder at ${source}.`, source, '.');
  }
  if (!isDir) refuse('convert/not-a-folder', `${source} is a file; give the model's folder (the one with config.json).`, source, '.');
  const dir = source;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    refuse(
      missing ? 'convert/missing-file' : 'convert/invalid-config',
      missing ? 'The folder has no config.json: it is not a Hugging Face model folder.' : 'config.json is not valid JSON.',
      dir,
      'config.json',
    );
  }
  const modelType = typeof config.model_type === 'string' ? config.model_type : '(none)';
  if (!(SUPPORTED_VLM_ARCHITECTURES as readonly string[]).includes(modelType)) {
    refuse(
      'convert/unsupported-architecture',
      `model_type "${modelType}" is not supported (supported: ${SUPPORTED_VLM_ARCHITECTURES.join(', ')}).`,
      dir,
      'config.json',
    );
  }
  const files = await listFiles(dir);
  const weights = files.map((f) => f.path).filter((p) => !p.includes('/') && p.endsWith('.safetensors'));
  if (weights.length === 0) {
    const pickled = files.find((f) => PICKLED.some((s) => f.path.endsWith(s)));
    if (pickled)
      refuse(
        'convert/missing-weights',
        `The folder has no .safetensors weights; ${pickled.path} is a pickle file, which MedBridge does not load (it can run code). Re-save the model with safe_serialization=True.`,
        dir,
        pickled.path,
      );
    refuse('convert/missing-weights', 'The folder has no .safetensors weights.', dir, '.');
  }
  for (const w of weights) await checkSafetensors(dir, w);
  if (!files.some((f) => f.path === 'tokenizer.json'))
    refuse('convert/missing-file', 'The folder has no tokenizer.json (a fast tokenizer is needed).', dir, 'tokenizer.json');
  return { dir, modelType, config, weights, files };
}
