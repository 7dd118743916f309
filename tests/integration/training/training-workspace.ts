// Builds the workspaces the training tests share through the CLI: BreastMNIST (ultrasound, 2 options, where the
// reference pack is below chance — the low-support case) balanced into a small frozen version with source splits,
// and the reference pack registered. `withBlood` adds the blood-cell images (microscopy) for transfer regimes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../helpers/cli.ts';

export const REFERENCE_PACK = join(REPO_ROOT, 'resources/models/reference-v1');
export const BREASTMNIST = join(REPO_ROOT, 'tests/fixtures/formats/medmnist/BreastMNIST.npz');
export const BLOOD_CELLS = join(REPO_ROOT, 'tests/fixtures/formats/images/blood-cell-pbc');

export function cli(args: string[], ws: string): { code: number; json: any; stdout: string; stderr: string } {
  const r = runCli([...args, '--workspace', ws, '--json']);
  return { ...r, json: r.json as any };
}

export function ok(args: string[], ws: string): any {
  const r = cli(args, ws);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.json;
}

/** Returns the version id (BreastMNIST only, `total` items, source splits). */
export function buildBreastWorkspace(ws: string, total: number): string {
  ok(['init'], ws);
  const breast = ok(['import', 'medmnist', BREASTMNIST], ws).dataset as string;
  ok(['models', 'add', REFERENCE_PACK], ws);
  return ok(['balance', '--datasets', breast, '--split', 'source', '--total', String(total)], ws).id as string;
}

/** A new workspace with BreastMNIST and the blood-cell folder imported and the reference pack added: their dataset ids. */
export function buildBreastBloodWorkspace(ws: string): { breast: string; blood: string } {
  ok(['init'], ws);
  const breast = ok(['import', 'medmnist', BREASTMNIST], ws).dataset as string;
  const blood = ok(['import', 'image-folder', BLOOD_CELLS, '--modality', 'microscopy', '--task', 'blood-cell'], ws).dataset as string;
  ok(['models', 'add', REFERENCE_PACK], ws);
  return { breast, blood };
}

/** Runs `train` and returns its --json output. */
export function train(ws: string, algorithm: string, version: string, config: Record<string, unknown>, extra: string[] = []): any {
  const file = join(ws, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return ok(['train', algorithm, '--model', REFERENCE_PACK, '--version', version, '--config', file, ...extra], ws);
}

export function evals(out: any): Array<{ step: number; acc1: number; passK: number }> {
  return out.events.filter((e: any) => e.kind === 'eval').map((e: any) => ({ step: e.step, acc1: e.acc1, passK: e.passAtK[String(e.k)] }));
}
