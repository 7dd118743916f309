// Checks a `models:convert` request before a job starts, so every refusal is immediate and nothing is written:
// the source folder (hub id, config, model_type, weights, tokenizer), the output folder (a full path, new or empty,
// its parent present), then the Python environment.
import { readdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConvertModelParams } from '../../../shared/api/models.ts';
import { AppError } from '../../../shared/errors.ts';
import { isAbsolutePath } from '../../../shared/paths.ts';
import { findPythonEnvironment, type PythonEnvironment } from '../../environment/python-environment.ts';
import { inspectHfSource, type HfSource } from './hf-source-folder.ts';

export interface CheckedConversion {
  source: HfSource;
  out: string;
  python: PythonEnvironment;
}

export async function checkOutFolder(out: string): Promise<void> {
  if (!isAbsolutePath(out)) throw new AppError('request/invalid-input', `The pack folder must be a full path (got "${out}").`, { out });
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : e.code === 'ENOTDIR' ? ['(file)'] : []));
  if (entries && entries.length > 0) throw new AppError('convert/out-not-empty', `${out} already exists and is not empty; choose a new folder.`, { out });
  const parent = await stat(dirname(out)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!parent) throw new AppError('convert/out-parent-missing', `The folder ${dirname(out)} (where the pack would go) does not exist.`, { out });
}

export async function checkConversionRequest(params: ConvertModelParams, env: NodeJS.ProcessEnv = process.env): Promise<CheckedConversion> {
  const source = await inspectHfSource(params.source);
  await checkOutFolder(params.out);
  const python = await findPythonEnvironment(env);
  return { source, out: params.out, python };
}
