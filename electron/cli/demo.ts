// `medbridge demo`: the guided study on the bundled sample data and the reference model, step by step,
// each step through the contract. Steps are added here as the capabilities behind them land.
import type { CallClient } from './call-client.ts';

export interface DemoStep {
  name: string;
  run(c: CallClient): Promise<Record<string, unknown>>;
}

const STEPS: DemoStep[] = [
  {
    name: 'check workspace',
    run: async (c) => {
      const r = await c.call('workspace:status', {});
      if (!r.ok) throw new Error(r.error.message);
      const s = r.value as { integrity: string; schemaVersion: number };
      return { integrity: s.integrity, schemaVersion: s.schemaVersion };
    },
  },
];

export async function runDemo(c: CallClient, json: boolean): Promise<number> {
  const results: Array<{ step: string; result: Record<string, unknown> }> = [];
  for (const step of STEPS) {
    if (!json) process.stdout.write(`• ${step.name}… `);
    const result = await step.run(c);
    results.push({ step: step.name, result });
    if (!json) process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify({ steps: results })}\n`);
  return 0;
}
