// Builds the renderer into renderer/dist: relative asset URLs (the Electron custom protocol and the headless host
// both serve it from a folder), external module scripts only, so the app's CSP (`script-src 'self'`) holds.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill would be the only reason for extra inline code; every target browser supports modulepreload.
    modulePreload: { polyfill: false },
    // Keep every asset a real file: nothing becomes a data: URL that a stricter CSP would have to allow.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
