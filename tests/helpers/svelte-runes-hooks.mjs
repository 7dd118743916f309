// Node module hooks that compile the renderer's rune files (`*.svelte.ts`) the way Vite does for the app: TypeScript
// stripped by esbuild, then `compileModule` from svelte/compiler (client output, so `$state` is a real signal).
// Registered by tests/helpers/svelte-runes.ts; every other file is left to the next loader (tsx).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { compileModule } from 'svelte/compiler';

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.svelte.ts')) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const typescript = await readFile(filename, 'utf8');
  const stripped = await transform(typescript, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: filename });
  const compiled = compileModule(stripped.code, { filename, generate: 'client', dev: false });
  return { format: 'module', source: compiled.js.code, shortCircuit: true };
}
