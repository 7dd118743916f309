// The K the support guard watches, when a request names none: the largest K whose chance level 1 − (1 − 1/m)^K stays
// below the support target (0.8) in every task of the version. Two options → K = 2 (chance Pass@8 would be 0.996 and
// the guard blind); eight options (blood cells) → K = 8; a version with both → 2; an explicit K always wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../helpers/cli.ts';
import { buildBreastBloodWorkspace, ok, train } from './training-workspace.ts';

test('training picks the guard K from the version: 2 options → 2, 8 options → 8, both → 2, explicit --k wins', (t) => {
  const { dir, cleanup } = tempDir('guard-k');
  t.after(cleanup);
  const ws = join(dir, 'W');
  const { breast, blood } = buildBreastBloodWorkspace(ws);
  const version = (datasets: string[]) => ok(['balance', '--datasets', datasets.join(','), '--split', 'source', '--total', '80'], ws).id as string;
  const short = { steps: 2, evalEvery: 1 };
  const kOf = (out: any) => ok(['runs', 'show', out.run], ws).config.config.passK as number;
  assert.equal(kOf(train(ws, 'sft', version([breast]), short)), 2);
  assert.equal(kOf(train(ws, 'sft', version([blood]), short)), 8);
  assert.equal(kOf(train(ws, 'sft', version([breast, blood]), short)), 2);
  assert.equal(kOf(train(ws, 'sft', version([breast]), { ...short, passK: 16 })), 16);
});
