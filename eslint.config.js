// Lint gate (npm run lint: zero problems, warnings included). The recommended rules of ESLint, typescript-eslint
// (without type information, so linting needs no TypeScript program) and eslint-plugin-svelte; the few rules turned
// off below fight a deliberate pattern of this code base, each with the reason. Formatting is Prettier's job
// (npm run format:check), so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    'node_modules/',
    '.medbridge-python/',
    'dist/',
    'renderer/dist/',
    'test-artifacts/',
    'tests/fixtures/',
    'resources/models/',
    'demo-workspace/',
    '.scratch/',
    '.tmp/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  {
    // Everything outside the renderer runs in Node (the Electron main process, the CLI, workers, build scripts, tests).
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The renderer runs in the browser (Electron's renderer process, or a browser in headless mode).
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // TypeScript inside Svelte components and Svelte rune modules.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      // A leading underscore marks a binding that is unused on purpose (a parameter a signature requires, a property
      // taken out of an object so that `...rest` holds the others).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `{' '}` and `{' · '}` keep a space that Svelte would otherwise drop at an {#if} or element boundary.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    // The state classes keep private bookkeeping that is deliberately not reactive (in-flight sets, loader caches,
    // a timestamp string) in plain Map / Set / Date; what the views read is declared with $state.
    files: ['**/*.svelte.ts'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    // Tests and the demo read the CLI's and the contract's JSON results as loosely typed values.
    files: ['tests/**', 'electron/cli/demo.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS files (electron-builder hooks) load their dependencies with require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
]);
