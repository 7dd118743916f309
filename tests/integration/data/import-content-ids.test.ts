// Acceptance (issue 16, item 5): dataset, item and version ids derive from the imported content and options. The same
// bytes imported under two names (one with --name), in two workspaces (one after a failed import), give the same
// dataset id and the same frozen version id; a re-import in the same workspace answers with the ready dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';

const BREAST = join(REPO_ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');

interface ImportOut {
  dataset: string;
  created: boolean;
  state: string;
  imported: number;
}

function importOk(ws: string, args: string[]): ImportOut {
  const r = runCli(['import', ...args, '--workspace', ws, '--json']);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.json as ImportOut;
}

function balance(ws: string, dataset: string): string {
  const r = runCli(['balance', '--datasets', dataset, '--total', '100', '--seed', '3', '--workspace', ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (r.json as { id: string }).id;
}

test('the same bytes under two names, in two workspaces, give the same dataset and version ids', { timeout: 300_000 }, (t) => {
  const { dir, cleanup } = tempDir('content-ids');
  t.after(cleanup);
  mkdirSync(join(dir, 'copyA'));
  copyFileSync(BREAST, join(dir, 'copyA', 'breastmnist.npz'));
  copyFileSync(BREAST, join(dir, 'BreastMNIST.npz'));
  copyFileSync(BREAST, join(dir, 'study-data.npz'));

  const wsA = join(dir, 'A');
  const wsB = join(dir, 'B');
  assert.equal(runCli(['init', '--workspace', wsA]).code, 0);
  assert.equal(runCli(['init', '--workspace', wsB]).code, 0);

  const a = importOk(wsA, ['medmnist', join(dir, 'copyA', 'breastmnist.npz')]);
  assert.equal(a.created, true);
  assert.equal(a.imported, 780);

  // Workspace B first sees a failed import (a truncated file under the same name), then the real bytes with --name.
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'BreastMNIST.npz'), readFileSync(BREAST).subarray(0, 5000));
  const failed = runCli(['import', 'medmnist', join(dir, 'broken', 'BreastMNIST.npz'), '--workspace', wsB, '--json']);
  assert.notEqual(failed.code, 0);
  const failedId = (failed.json as { dataset: string }).dataset;
  const refused = runCli(['balance', '--datasets', failedId, '--workspace', wsB, '--json']);
  assert.equal(refused.code, 1, 'a failed import cannot be balanced');
  assert.match(refused.stderr, /failed to import/);
  const b = importOk(wsB, ['medmnist', join(dir, 'BreastMNIST.npz'), '--name', 'X']);
  assert.equal(b.created, true);
  assert.equal(b.dataset, a.dataset, 'same content → same dataset id, whatever the name, --name or history');

  const vA = balance(wsA, a.dataset);
  const vB = balance(wsB, b.dataset);
  assert.match(vA, /^dv-[0-9a-f]{16}$/);
  assert.equal(vB, vA, 'same content → same frozen version id in both workspaces');

  // Item ids agree too.
  const itemIds = (ws: string) => {
    const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
    const ids = (db.prepare('SELECT id FROM items ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
    db.close();
    return ids;
  };
  assert.deepEqual(itemIds(wsB).slice(-780), itemIds(wsA));

  // A renamed file whose name names no task: told with --task, it is the same content and options → same dataset.
  const again = importOk(wsA, ['medmnist', join(dir, 'study-data.npz'), '--task', 'breastmnist']);
  assert.equal(again.created, false, 'the same content again answers with the ready dataset');
  assert.equal(again.dataset, a.dataset);
  assert.equal(again.imported, 780);
  const datasets = runCli(['datasets', 'list', '--workspace', wsA, '--json']).json as Array<{ id: string }>;
  assert.equal(datasets.length, 1, 'no second dataset');
  const audit = new Database(join(wsA, 'workspace.sqlite'), { readonly: true });
  const answered = audit.prepare("SELECT subject FROM audit_log WHERE action = 'datasets:import-existing'").all() as Array<{ subject: string }>;
  audit.close();
  assert.deepEqual(
    answered.map((r) => r.subject),
    [a.dataset],
    'the answer from the existing dataset is audited',
  );

  // Another option (seed) is another dataset.
  const seeded = importOk(wsA, ['medmnist', join(dir, 'BreastMNIST.npz'), '--seed', '7']);
  assert.notEqual(seeded.dataset, a.dataset);
});

test('an attempt that did not finish is replaced under the same id; the finished dataset is whole', { timeout: 300_000 }, async (t) => {
  const { Core } = await import('../../../electron/core/core.ts');
  const { inProcessLauncher } = await import('../../../electron/jobs/in-process-launcher.ts');
  const { dir, cleanup } = tempDir('content-ids-retry');
  t.after(cleanup);
  const core = new Core({ workspaceDir: join(dir, 'W'), mode: 'cli', actor: 'test', launcher: inProcessLauncher, init: true });
  t.after(() => core.close());
  const params = { source: 'medmnist' as const, path: BREAST, seed: 5 };
  const first = await core.datasets.import(params, 'test');
  try {
    core.jobs.cancel(first.job.id, 'test');
  } catch {
    // already finished: the second call then answers with it
  }
  const firstEnd = await core.jobs.waitFor(first.job.id);
  const second = await core.datasets.import(params, 'test');
  assert.equal(second.dataset, first.dataset, 'same content → same id, whether the first attempt finished or not');
  assert.equal(second.created, firstEnd.state !== 'done');
  assert.equal((await core.jobs.waitFor(second.job.id)).state, 'done');
  const d = core.datasets.get(first.dataset, 10);
  assert.equal(d.state, 'ready');
  assert.equal(d.imported, 780, 'nothing of the replaced attempt is counted twice');
  assert.equal(core.datasets.list().length, 1);
  if (firstEnd.state !== 'done') {
    // The replaced attempt cannot be resumed onto the finished dataset.
    assert.throws(
      () => core.jobs.resume(first.job.id, 'test'),
      (e: { code?: string }) => e.code === 'import/replaced',
    );
    assert.equal(core.datasets.get(first.dataset, 10).state, 'ready');
    assert.equal(core.datasets.get(first.dataset, 10).imported, 780);
  }
  t.diagnostic(`first attempt ended ${firstEnd.state}`);
});
