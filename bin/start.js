#!/usr/bin/env node
// `npm start`: opens the Electron app where Electron can run; otherwise (no binary, no display) runs headless:
// prepares the demo workspace, runs the guided demo study, then serves the interface on 127.0.0.1 and prints its URL.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspace = process.env.MEDBRIDGE_WORKSPACE ?? join(root, 'demo-workspace');
const cli = (args, opts = {}) => spawnSync(process.execPath, [join(root, 'bin', 'medbridge.js'), ...args], { stdio: 'inherit', cwd: root, ...opts });

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!existsSync(join(root, 'renderer', 'dist', 'index.html'))) {
  const b = spawnSync('npm', ['run', '-s', 'build:renderer'], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
if (binary && hasDisplay) {
  const b = spawnSync(process.execPath, [join(root, 'build', 'build-electron.mjs')], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
  const child = spawn(binary, [join(root, 'dist', 'electron', 'main.js'), '--workspace', workspace], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(binary ? 'No display: starting MedBridge headless.' : 'Electron is not installed on this machine: starting MedBridge headless.');
  if (!existsSync(join(workspace, 'workspace.sqlite'))) {
    const r = cli(['init', '--workspace', workspace]);
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const demo = cli(['demo', '--workspace', workspace]);
  if (demo.status !== 0) process.exit(demo.status ?? 1);
  const serve = spawn(process.execPath, [join(root, 'bin', 'medbridge.js'), 'serve', '--workspace', workspace, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
  });
  const stop = () => serve.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  serve.on('exit', (code) => process.exit(code ?? 0));
}
