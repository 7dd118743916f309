// Runs the Python converter (resources/python/medbridge_convert) on a source folder into a staging folder and
// relays its JSON-line messages: progress while it works, then the result or a coded error. Cancelling kills it.
import { spawn } from 'node:child_process';
import { AppError } from '../../../shared/errors.ts';
import { PYTHON_CODE_DIR } from '../../environment/python-environment.ts';

export interface ConverterResult {
  architecture: string;
  hiddenSize: number;
  /** Library versions the converter ran with (torch, transformers, onnx). */
  versions: Record<string, string>;
  weights: string[];
}

export interface ConverterRun {
  python: string;
  source: string;
  staging: string;
  dtype: string;
  onProgress(stage: string, done: number, total: number): void;
  cancelled(): boolean;
}

interface Message {
  event: 'progress' | 'done' | 'error';
  stage?: string;
  done?: number;
  total?: number;
  code?: string;
  message?: string;
  file?: string | null;
}

/** Resolves with the converter's result, null when cancelled; rejects with its coded error. */
export function runConverter(run: ConverterRun): Promise<ConverterResult | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.python, ['-m', 'medbridge_convert', '--src', run.source, '--out', run.staging, '--dtype', run.dtype], {
      cwd: PYTHON_CODE_DIR,
      env: { ...process.env, PYTHONPATH: PYTHON_CODE_DIR, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let stderr = '';
    let result: ConverterResult | null = null;
    let failure: AppError | null = null;
    let stopped = false;
    const poll = setInterval(() => {
      if (run.cancelled() && !stopped) {
        stopped = true;
        child.kill('SIGKILL');
      }
    }, 200);
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let m: Message;
        try {
          m = JSON.parse(line) as Message;
        } catch {
          continue; // a library printed something of its own
        }
        if (m.event === 'progress') run.onProgress(m.stage ?? '', m.done ?? 0, m.total ?? 0);
        else if (m.event === 'done') result = m as unknown as ConverterResult;
        else if (m.event === 'error')
          failure = new AppError((m.code ?? 'convert/failed') as `${string}/${string}`, m.message ?? 'The converter failed.', {
            file: m.file ?? '.',
            path: run.source,
          });
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('error', (e) => {
      clearInterval(poll);
      reject(new AppError('python/missing-environment', `The converter could not be started with ${run.python}: ${e.message}`, { python: run.python }));
    });
    child.on('close', (code) => {
      clearInterval(poll);
      if (stopped) return resolve(null);
      if (failure) return reject(failure);
      if (code === 0 && result) return resolve(result);
      const last = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
      reject(new AppError('convert/failed', `The converter stopped (exit code ${code}): ${last || 'no message'}`, { path: run.source }));
    });
  });
}
