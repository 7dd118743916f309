// What a run records about where it ran: app and runtime versions, hardware, and (from the worker) the
// execution provider that scored the items.
import { cpus, totalmem, platform, arch, release } from 'node:os';
import { createRequire } from 'node:module';
import { APP_VERSION } from '../core/app-version.ts';

function packageVersion(name: string): string | null {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

export function runEnvironment(): Record<string, unknown> {
  const cpu = cpus();
  return {
    app: APP_VERSION,
    node: process.versions.node,
    onnxruntime: packageVersion('onnxruntime-node'),
    transformers: packageVersion('@huggingface/transformers'),
    platform: platform(),
    osRelease: release(),
    arch: arch(),
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryBytes: totalmem(),
    executionProvider: null,
  };
}
