#!/usr/bin/env node
// The `medbridge` command: loads the TypeScript CLI through tsx in this same process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exit(await main(process.argv.slice(2)));
