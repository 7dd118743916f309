#!/usr/bin/env node
// The `medbridge` command: loads the TypeScript CLI through tsx in this same process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
const { exitAfterDrain } = await import('../electron/cli/exit-after-drain.ts');
// Exit only once stdout/stderr have drained: a piped `--json` result must arrive whole.
await exitAfterDrain(await main(process.argv.slice(2)));
