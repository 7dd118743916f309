// Packaging cannot run here (electron-builder downloads Electron), so the configuration is validated with
// electron-builder's own schema check, and the file list the package would contain is computed and checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../helpers/cli.ts';
import { buildRendererIfStale } from '../../helpers/renderer-build.mjs';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(REPO_ROOT, 'build', 'electron-builder.json'), 'utf8'));

test('electron-builder accepts the configuration (its own schema validation)', async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration: (c: unknown, log: { isEnabled: boolean; add(): void }) => Promise<void>;
  };
  await validateConfiguration(config, { isEnabled: false, add: () => undefined });
  await assert.rejects(
    validateConfiguration({ ...config, linux: { target: 'AppImage', notAnOption: 1 } }, { isEnabled: false, add: () => undefined }),
    /notAnOption/,
  );
});

test('targets, native modules unpacked and rebuilt, offline extra resources, fuses', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  for (const m of ['better-sqlite3', 'onnxruntime-node', 'sharp'])
    assert.ok(
      config.asarUnpack.some((g: string) => g.startsWith(`node_modules/${m}/`)),
      m,
    );
  assert.equal(config.npmRebuild, true);
  assert.ok(config.extraResources.some((r: { from: string }) => r.from === 'resources/models'));
  assert.ok(config.extraResources.some((r: { from: string }) => r.from === 'build/cuda-provider'));
  assert.ok(existsSync(join(REPO_ROOT, config.afterPack)));
  const fuses = require(join(REPO_ROOT, 'build', 'fuse-settings.cjs')) as Record<string, boolean>;
  const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
  const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
  assert.deepEqual(Object.keys(fuses).sort(), known.sort(), 'every fuse this Electron knows is set explicitly');
  assert.equal(fuses.RunAsNode, false);
  assert.equal(fuses.OnlyLoadAppFromAsar, true);
  assert.equal(fuses.EnableEmbeddedAsarIntegrityValidation, true);
  assert.equal(fuses.EnableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.EnableNodeCliInspectArguments, false);
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

test('the package would contain the bundled app, the renderer, the models and only production modules', () => {
  // The renderer script builds into a folder of this test's own: rebuilding renderer/dist here would empty it under
  // the browser tests that serve it at the same time (tests/run.js built it before any test started).
  const rendererOut = mkdtempSync(join(tmpdir(), 'medbridge-renderer-build-'));
  try {
    const r = spawnSync('npm', ['run', '-s', 'build:renderer', '--', '--outDir', rendererOut, '--emptyOutDir'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `build:renderer: ${r.stderr}`);
    assert.ok(existsSync(join(rendererOut, 'index.html')), 'build:renderer writes index.html');
  } finally {
    rmSync(rendererOut, { recursive: true, force: true });
  }
  buildRendererIfStale(REPO_ROOT); // what build:electron copies (a no-op under tests/run.js, which built it already)
  const r = spawnSync('npm', ['run', '-s', 'build:electron'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `build:electron: ${r.stderr}`);
  const appFiles = [...walk(join(REPO_ROOT, 'dist', 'electron')), ...walk(join(REPO_ROOT, 'dist', 'renderer'))]
    .map((f) => relative(REPO_ROOT, f))
    .filter((f) => !f.endsWith('.map'));
  for (const f of [
    'dist/electron/main.js',
    'dist/electron/preload.cjs',
    'dist/electron/worker-main.js',
    'dist/electron/pool-thread.js',
    'dist/renderer/index.html',
  ])
    assert.ok(appFiles.includes(f), f);
  assert.ok(
    appFiles.every((f) => !f.endsWith('.ts')),
    'no TypeScript sources in the package',
  );
  const models = walk(join(REPO_ROOT, 'resources', 'models')).map((f) => relative(join(REPO_ROOT, 'resources', 'models'), f));
  assert.ok(models.some((f) => f.endsWith('manifest.json')) && models.some((f) => f.endsWith('.onnx')), 'reference pack shipped');
  const prod = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map((p) => relative(REPO_ROOT, p));
  const names = new Set(prod.map((p) => p.replace(/^.*node_modules\//, '')));
  for (const m of ['better-sqlite3', 'onnxruntime-node', 'zod', 'sharp', 'dicom-parser']) assert.ok(names.has(m), `${m} is a production dependency`);
  for (const m of ['electron', 'vite', 'svelte', 'playwright-core', 'typescript', 'electron-builder']) assert.ok(!names.has(m), `${m} must not be packaged`);
  assert.ok(
    existsSync(join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')),
    'native module present to rebuild for Electron',
  );
});
