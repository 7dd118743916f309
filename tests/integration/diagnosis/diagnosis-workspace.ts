// Builds the workspace the diagnosis tests share: BreastMNIST (ultrasound) + blood-cell images (microscopy)
// imported through the CLI and balanced into one frozen version (source splits).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../helpers/cli.ts';

export const REFERENCE_PACK = join(REPO_ROOT, 'resources/models/reference-v1');
export const TINY_LLAVA = join(REPO_ROOT, 'tests/fixtures/models/tiny-llava');
const BREASTMNIST = join(REPO_ROOT, 'tests/fixtures/formats/medmnist/BreastMNIST.npz');
const BLOOD_CELLS = join(REPO_ROOT, 'tests/fixtures/formats/images/blood-cell-pbc');

export function cli(args: string[], ws: string): { code: number; json: any; stdout: string; stderr: string } {
  const r = runCli([...args, '--workspace', ws, '--json']);
  return { ...r, json: r.json as any };
}

export function ok(args: string[], ws: string): any {
  const r = cli(args, ws);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.json;
}

/** Returns the version id; `total` caps the balanced set. */
export function buildDiagnosisWorkspace(ws: string, total = 200): string {
  ok(['init'], ws);
  const breast = ok(['import', 'medmnist', BREASTMNIST], ws).dataset as string;
  const blood = ok(['import', 'image-folder', BLOOD_CELLS, '--modality', 'microscopy', '--task', 'blood-cell'], ws).dataset as string;
  return ok(['balance', '--datasets', `${breast},${blood}`, '--split', 'source', '--total', String(total)], ws).id as string;
}
