// Child process for the offline test: loads a VLM folder and scores one item, or (mode "control")
// deliberately reaches for the network so the test can prove the guard sees attempts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VlmPackRunner, optionProbabilities } from '../../../electron/models/index.ts';

const [mode, folder] = process.argv.slice(2);
const workspaceDir = mkdtempSync(join(tmpdir(), 'medbridge-offline-'));

if (mode === 'control') {
  const { env, AutoConfig } = await import('@huggingface/transformers');
  env.allowRemoteModels = true;
  env.cacheDir = workspaceDir;
  const attempts: string[] = [];
  try {
    await fetch('https://example.org/');
  } catch (e) {
    attempts.push(String(e));
  }
  try {
    await AutoConfig.from_pretrained('medbridge-test/no-such-model-anywhere');
  } catch (e) {
    attempts.push(String(e));
  }
  console.log(JSON.stringify({ attempts }));
} else {
  const runner = await VlmPackRunner.open(folder as string, { workspaceDir });
  const image = { width: 20, height: 24, channels: 3 as const, data: new Uint8Array(20 * 24 * 3).map((_, i) => (i * 13) % 256) };
  const [s] = await runner.scoreItems([{ images: [image], question: 'What does this show?', options: ['normal', 'pneumonia', 'effusion', 'mass'] }]);
  await runner.dispose();
  console.log(JSON.stringify({ probs: Array.from(optionProbabilities(s!.baseLogits)) }));
}
