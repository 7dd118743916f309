// Bridge data ≠ sharpen data: an SFT run with labelBudget N trains on at most N labelled train items per task (the
// seeded draw of shared/recipe/label-budget.ts over the version's train split), a GRPO run from it on the whole train
// split; each run's output records where it started (step-0 val Acc@1, Pass@K and their gap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/cli.ts';
import { selectWithinBudget } from '../../../shared/recipe/label-budget.ts';
import { buildBreastBloodWorkspace, evals, ok, train } from './training-workspace.ts';

test('labelBudget: SFT on N per task (answers in turn), GRPO on the whole train split, each with its starting gap', (t) => {
  const { dir, cleanup } = tempDir('label-budget');
  t.after(cleanup);
  const ws = join(dir, 'W');
  const { breast, blood } = buildBreastBloodWorkspace(ws);
  const version = ok(['balance', '--datasets', `${breast},${blood}`, '--split', 'source', '--total', '160'], ws).id as string;

  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  const rows = db
    .prepare(
      `SELECT v.item_id AS item, i.task AS task, i.options AS options, i.correct AS correct FROM version_items v JOIN items i ON i.id = v.item_id
    WHERE v.version_id = ? AND v.split = 'train' AND i.kind = 'multiple-choice' AND i.image_hash IS NOT NULL`,
    )
    .all(version) as Array<{ item: string; task: string; options: string; correct: number }>;
  db.close();
  const trainSplit = rows.map((r) => ({ item: r.item, task: r.task, answer: (JSON.parse(r.options) as string[])[r.correct] as string }));
  const perTask = new Map<string, number>();
  for (const r of trainSplit) perTask.set(r.task, (perTask.get(r.task) ?? 0) + 1);
  assert.ok(perTask.size >= 2 && [...perTask.values()].every((n) => n > 6), `two tasks with more than 6 train items each: ${JSON.stringify([...perTask])}`);

  const seed = 17;
  const expected = selectWithinBudget(trainSplit, 6, seed);
  assert.equal(expected.size, 6 * perTask.size, 'hand check: 6 per task');
  const sft = train(ws, 'sft', version, { steps: 4, evalEvery: 2, labelBudget: 6 }, ['--seed', String(seed)]);
  assert.equal(sft.trainItems, expected.size, 'SFT trained on the budgeted items only');
  assert.equal(ok(['runs', 'show', sft.run], ws).config.config.labelBudget, 6, 'the budget is part of the run config (and its audit entry)');

  const grpo = train(ws, 'grpo', version, { steps: 2, evalEvery: 1 }, ['--init', sft.run, '--seed', String(seed)]);
  assert.equal(grpo.trainItems, trainSplit.length, 'GRPO sharpens on the whole train split');
  const first = evals(grpo)[0];
  assert.ok(first && first.step === 0);
  assert.deepEqual(grpo.start, { n: grpo.val.n, k: grpo.start.k, acc1: first.acc1, passAtK: first.passK, gap: first.passK - first.acc1 });
  // GRPO starts from the SFT run's kept adapter: its step-0 validation is the SFT run's final validation
  assert.ok(Math.abs(grpo.start.acc1 - sft.val.acc1) < 1e-12, `${grpo.start.acc1} vs ${sft.val.acc1}`);
});
