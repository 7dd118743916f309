// Lets a test import the renderer's state classes (`*.svelte.ts`, which use runes such as `$state`) under plain Node.
// Call registerSvelteRunes() first, then load those modules with a dynamic `await import(...)`: static imports are
// loaded before any code of the test file runs, so they would miss the hook.
/// <reference types="svelte" />
import { register } from 'node:module';

let registered = false;

export function registerSvelteRunes(): void {
  if (registered) return;
  register(new URL('./svelte-runes-hooks.mjs', import.meta.url));
  registered = true;
}
