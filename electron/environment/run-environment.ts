// What a run records about where it ran: app and runtime versions, hardware, and (from the worker) the
// execution provider that scored the items.
import { cpus, totalmem, platform, arch, release } from 'node:os';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_VERSION } from './app-version.ts';

const MAX_PACKAGE_DEPTH = 6;

/** A dependency's version from its package.json (found from its entry point when `exports` hides package.json). */
function packageVersion(name: string): string | null {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    for (let i = 0; i < MAX_PACKAGE_DEPTH; i++, dir = dirname(dir)) {
      const p = join(dir, 'package.json');
      if (!existsSync(p)) continue;
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    }
  } catch {
    // not installed
  }
  return null;
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
