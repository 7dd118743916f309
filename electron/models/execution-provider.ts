// Chooses the ONNX Runtime execution provider for this machine and records what was chosen and why.
// Order: CUDA (Linux, provider library + CUDA 12 runtime + cuDNN 9 found), DirectML (Windows),
// CoreML (macOS), WebGPU (only when explicitly enabled), then CPU, which always closes the list.
// Session creation walks the list and falls back on failure; every attempt is kept for the run record.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ExecutionProviderName = (typeof EXECUTION_PROVIDERS)[number];

/** onnxruntime-node 1.30 CUDA builds need CUDA 12 and cuDNN 9. */
export const REQUIRED_CUDA_MAJOR = 12;
export const REQUIRED_CUDNN_MAJOR = 9;
const CUDA_PROVIDER_LIBRARY = 'libonnxruntime_providers_cuda.so';
const CUDA_SHARED_PROVIDER_LIBRARY = 'libonnxruntime_providers_shared.so';
const CUDA_SYSTEM_DIRS = ['/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib/aarch64-linux-gnu'];

/** What the machine offers, gathered by `probeExecutionProviders` (or given by a test). */
export interface ProviderProbe {
  platform: NodeJS.Platform;
  /** Backends the onnxruntime-node binary was built with (`listSupportedBackends`). */
  backends: ReadonlyArray<{ name: string; bundled: boolean }>;
  /** Folder holding the CUDA provider libraries, or null when none was found. */
  cudaProviderDir: string | null;
  /** Whether libcudart.so.12 and libcudnn.so.9 were found. */
  cudaRuntimeFound: boolean;
  enableWebGpu: boolean;
}

export interface ProviderCandidate {
  provider: ExecutionProviderName;
  reason: string;
}

export interface ProviderAttempt extends ProviderCandidate {
  ok: boolean;
  error?: string;
}

/** Recorded in every run: the provider used, why, and what was tried before it. */
export interface ExecutionProviderChoice {
  provider: ExecutionProviderName;
  reason: string;
  attempts: ProviderAttempt[];
}

export interface ProbeOptions {
  /** Extra folder with the optional CUDA provider libraries shipped as resources (see build/cuda-provider-notes.md). */
  cudaProviderDir?: string;
  /** WebGPU is experimental in Node; off unless asked for. */
  enableWebGpu?: boolean;
  /** Environment to read LD_LIBRARY_PATH / CUDA_PATH from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

function hasBackend(probe: ProviderProbe, name: string): boolean {
  return probe.backends.some((b) => b.name === name);
}

/** Pure: the ordered candidates for a probe, always ending with CPU. */
export function planExecutionProviders(probe: ProviderProbe): ProviderCandidate[] {
  const out: ProviderCandidate[] = [];
  const skipped: string[] = [];
  if (probe.platform === 'linux') {
    if (!hasBackend(probe, 'cuda')) skipped.push('cuda: not in this onnxruntime-node build');
    else if (!probe.cudaProviderDir) skipped.push(`cuda: ${CUDA_PROVIDER_LIBRARY} not installed`);
    else if (!probe.cudaRuntimeFound) skipped.push(`cuda: CUDA ${REQUIRED_CUDA_MAJOR} runtime / cuDNN ${REQUIRED_CUDNN_MAJOR} not found`);
    else out.push({ provider: 'cuda', reason: `CUDA provider in ${probe.cudaProviderDir} and CUDA ${REQUIRED_CUDA_MAJOR} runtime found` });
  }
  if (probe.platform === 'win32') {
    if (hasBackend(probe, 'dml')) out.push({ provider: 'dml', reason: 'Windows: DirectML is bundled with onnxruntime-node' });
    else skipped.push('dml: not in this onnxruntime-node build');
  }
  if (probe.platform === 'darwin') {
    if (hasBackend(probe, 'coreml')) out.push({ provider: 'coreml', reason: 'macOS: CoreML is bundled with onnxruntime-node' });
    else skipped.push('coreml: not in this onnxruntime-node build');
  }
  if (probe.enableWebGpu) {
    if (hasBackend(probe, 'webgpu')) out.push({ provider: 'webgpu', reason: 'WebGPU explicitly enabled' });
    else skipped.push('webgpu: enabled but not in this onnxruntime-node build');
  }
  const why = out.length === 0 ? `no accelerator available${skipped.length ? ` (${skipped.join('; ')})` : ''}` : 'fallback';
  out.push({ provider: 'cpu', reason: why });
  return out;
}

function libraryDirs(env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const cudaPath = env.CUDA_PATH ? [join(env.CUDA_PATH, 'lib64')] : [];
  let versioned: string[] = [];
  try {
    versioned = readdirSync('/usr/local')
      .filter((d) => d.startsWith(`cuda-${REQUIRED_CUDA_MAJOR}`))
      .map((d) => join('/usr/local', d, 'lib64'));
  } catch {
    versioned = [];
  }
  return [...fromEnv, ...cudaPath, ...versioned, ...CUDA_SYSTEM_DIRS];
}

function findLibrary(dirs: readonly string[], prefix: string): boolean {
  return dirs.some((d) => existsSync(join(d, prefix)));
}

function onnxRuntimeBinDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('onnxruntime-node/package.json');
    return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/** Looks at the machine (files only; nothing is loaded). */
export async function probeExecutionProviders(options: ProbeOptions = {}): Promise<ProviderProbe> {
  const ort = await import('onnxruntime-node');
  const env = options.env ?? process.env;
  const providerDirs = [options.cudaProviderDir, onnxRuntimeBinDir()].filter((d): d is string => !!d);
  const cudaProviderDir = providerDirs.find((d) => existsSync(join(d, CUDA_PROVIDER_LIBRARY)) && existsSync(join(d, CUDA_SHARED_PROVIDER_LIBRARY))) ?? null;
  const dirs = [...(cudaProviderDir ? [cudaProviderDir] : []), ...libraryDirs(env)];
  const cudaRuntimeFound = findLibrary(dirs, `libcudart.so.${REQUIRED_CUDA_MAJOR}`) && findLibrary(dirs, `libcudnn.so.${REQUIRED_CUDNN_MAJOR}`);
  return {
    platform: process.platform,
    backends: ort.listSupportedBackends(),
    cudaProviderDir,
    cudaRuntimeFound,
    enableWebGpu: options.enableWebGpu ?? false,
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Creates something (a session, a set of sessions) with the first candidate that works.
 * Throws the last error (the CPU one) only when every candidate fails.
 */
export async function createWithFallback<T>(
  candidates: readonly ProviderCandidate[],
  create: (provider: ExecutionProviderName) => Promise<T>,
): Promise<{ value: T; choice: ExecutionProviderChoice }> {
  const attempts: ProviderAttempt[] = [];
  let lastError: unknown = new Error('no execution provider candidates');
  for (const c of candidates) {
    try {
      const value = await create(c.provider);
      attempts.push({ ...c, ok: true });
      const reason = attempts.length > 1 ? `${c.reason}; after ${attempts.length - 1} failed attempt(s)` : c.reason;
      return { value, choice: { provider: c.provider, reason, attempts } };
    } catch (e) {
      attempts.push({ ...c, ok: false, error: message(e) });
      lastError = e;
    }
  }
  throw lastError;
}
