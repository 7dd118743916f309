// Bundles the Electron side for packaging: the shell (ESM), the preload (CommonJS: sandboxed preloads cannot be
// ES modules) and the job worker. Native modules stay external (unpacked from the asar and rebuilt for Electron).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = ['electron', 'better-sqlite3', 'onnxruntime-node', 'sharp', '@huggingface/transformers'];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, external, absWorkingDir: root, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/shell/main.ts'],
  outfile: 'dist/electron/main.js',
  format: 'esm',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: ['electron/jobs/worker-main.ts'],
  outfile: 'dist/electron/worker-main.js',
  format: 'esm',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: ['electron/jobs/pool-thread.ts'],
  outfile: 'dist/electron/pool-thread.js',
  format: 'esm',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] });
console.log('built dist/electron/{main.js, worker-main.js, pool-thread.js, preload.cjs}');

// The renderer (built by `npm run build:renderer`) travels next to the shell as dist/renderer.
import { cpSync, existsSync } from 'node:fs';
if (existsSync(`${root}/renderer/dist/index.html`)) {
  cpSync(`${root}/renderer/dist`, `${root}/dist/renderer`, { recursive: true });
  console.log('copied renderer/dist → dist/renderer');
} else {
  console.warn('renderer/dist is missing: run `npm run build:renderer` before packaging');
}
