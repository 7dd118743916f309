import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWithFallback, planExecutionProviders, probeExecutionProviders, type ProviderProbe } from '../../../electron/models/index.ts';

const linuxCudaBuild: ProviderProbe = {
  platform: 'linux',
  backends: [
    { name: 'cpu', bundled: true },
    { name: 'webgpu', bundled: true },
    { name: 'cuda', bundled: false },
  ],
  cudaProviderDir: null,
  cudaRuntimeFound: false,
  enableWebGpu: false,
};

test('Linux without the CUDA provider library: CPU, and the reason says what is missing', () => {
  const plan = planExecutionProviders(linuxCudaBuild);
  assert.deepEqual(
    plan.map((c) => c.provider),
    ['cpu'],
  );
  assert.match(plan[0]!.reason, /libonnxruntime_providers_cuda\.so not installed/);
});

test('Linux with provider library but no CUDA 12 runtime: CPU; with both: CUDA then CPU', () => {
  const noRuntime = planExecutionProviders({ ...linuxCudaBuild, cudaProviderDir: '/opt/ort-cuda' });
  assert.deepEqual(
    noRuntime.map((c) => c.provider),
    ['cpu'],
  );
  assert.match(noRuntime[0]!.reason, /CUDA 12 runtime/);
  const full = planExecutionProviders({ ...linuxCudaBuild, cudaProviderDir: '/opt/ort-cuda', cudaRuntimeFound: true });
  assert.deepEqual(
    full.map((c) => c.provider),
    ['cuda', 'cpu'],
  );
  assert.match(full[0]!.reason, /\/opt\/ort-cuda/);
});

test('Windows prefers DirectML, macOS CoreML, WebGPU only when enabled', () => {
  const win = planExecutionProviders({
    ...linuxCudaBuild,
    platform: 'win32',
    backends: [
      { name: 'cpu', bundled: true },
      { name: 'dml', bundled: true },
    ],
  });
  assert.deepEqual(
    win.map((c) => c.provider),
    ['dml', 'cpu'],
  );
  const mac = planExecutionProviders({
    ...linuxCudaBuild,
    platform: 'darwin',
    backends: [
      { name: 'cpu', bundled: true },
      { name: 'coreml', bundled: true },
    ],
  });
  assert.deepEqual(
    mac.map((c) => c.provider),
    ['coreml', 'cpu'],
  );
  assert.deepEqual(
    planExecutionProviders({ ...linuxCudaBuild, enableWebGpu: true }).map((c) => c.provider),
    ['webgpu', 'cpu'],
  );
});

test('fallback: a failing provider is recorded and the next one is used', async () => {
  const plan = [
    { provider: 'cuda' as const, reason: 'test' },
    { provider: 'cpu' as const, reason: 'fallback' },
  ];
  const { value, choice } = await createWithFallback(plan, async (p) => {
    if (p === 'cuda') throw new Error('libcublasLt.so.12: cannot open shared object file');
    return `session on ${p}`;
  });
  assert.equal(value, 'session on cpu');
  assert.equal(choice.provider, 'cpu');
  assert.equal(choice.attempts.length, 2);
  assert.equal(choice.attempts[0]!.ok, false);
  assert.match(choice.attempts[0]!.error ?? '', /libcublasLt/);
  assert.match(choice.reason, /after 1 failed attempt/);
  await assert.rejects(
    createWithFallback(plan, async () => {
      throw new Error('broken everywhere');
    }),
    /broken everywhere/,
  );
});

test('this machine (no GPU, CUDA install script skipped) plans CPU', async () => {
  const probe = await probeExecutionProviders({ env: {} });
  assert.ok(probe.backends.some((b) => b.name === 'cpu'));
  const plan = planExecutionProviders(probe);
  assert.equal(plan.at(-1)!.provider, 'cpu');
});
