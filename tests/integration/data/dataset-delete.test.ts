// Deleting a dataset (issue 18: mistakes must not leave junk): through the CLI, a dataset no frozen version uses goes
// with its items and import issues in one audited change; a dataset a version holds is refused with a coded error
// naming the version, and nothing changes; the same content imported again gets its old id back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';

const FX = join(REPO_ROOT, 'tests', 'fixtures', 'formats');

function json<T>(args: string[], ws: string): T {
  const r = runCli([...args, '--workspace', ws, '--json']);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.json as T;
}

function counts(ws: string, dataset: string): { items: number; issues: number; datasets: number; audit: number; lastAction: string } {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const n = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
    return {
      items: n('SELECT count(*) AS n FROM items WHERE dataset_id = ?', dataset),
      issues: n('SELECT count(*) AS n FROM import_issues WHERE dataset_id = ?', dataset),
      datasets: n('SELECT count(*) AS n FROM datasets WHERE id = ?', dataset),
      audit: n('SELECT count(*) AS n FROM audit_log'),
      lastAction: (db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string }).action,
    };
  } finally {
    db.close();
  }
}

test('datasets delete: a dataset no version uses goes whole and audited; one a version holds is refused untouched', { timeout: 600_000 }, () => {
  const { dir, cleanup } = tempDir('dataset-delete');
  try {
    const ws = join(dir, 'W');
    assert.equal(runCli(['init', '--workspace', ws]).code, 0);
    const breast = json<{ dataset: string }>(['import', 'medmnist', join(FX, 'medmnist', 'BreastMNIST.npz')], ws).dataset;
    const bloodArgs = ['import', 'image-folder', join(FX, 'images', 'blood-cell-pbc'), '--modality', 'microscopy', '--task', 'blood-cell-type'];
    const blood = json<{ dataset: string }>(bloodArgs, ws).dataset;
    const version = json<{ id: string }>(['balance', '--datasets', breast, '--total', '60', '--seed', '3'], ws).id;
    const listed = json<Array<{ id: string; imported: number; rejected: number; warnings: number; quarantined: number }>>(['datasets', 'list'], ws);
    const bloodListed = listed.find((d) => d.id === blood);
    assert.ok(bloodListed && bloodListed.imported > 0, 'the image folder imported');

    // A dataset whose items a frozen version holds: refused with the version named; nothing changes.
    const before = counts(ws, breast);
    const refused = runCli(['datasets', 'delete', breast, '--workspace', ws, '--json']);
    assert.notEqual(refused.code, 0);
    const error = (refused.json as { error: { code: string; message: string; detail: { versions: string[] } } }).error;
    assert.equal(error.code, 'dataset/in-version');
    assert.deepEqual(error.detail.versions, [version]);
    assert.match(error.message, new RegExp(`frozen version ${version} holds some of its items`));
    assert.deepEqual(counts(ws, breast), before);

    // A dataset no version uses: its rows go in one change with one audit entry.
    const bloodBefore = counts(ws, blood);
    assert.equal(bloodBefore.items, bloodListed.imported);
    const deleted = json<{ deleted: string; items: number; issues: number }>(['datasets', 'delete', blood], ws);
    assert.deepEqual(deleted.deleted, blood);
    assert.equal(deleted.items, bloodBefore.items);
    assert.equal(deleted.issues, bloodBefore.issues);
    const after = counts(ws, blood);
    assert.deepEqual({ items: after.items, issues: after.issues, datasets: after.datasets }, { items: 0, issues: 0, datasets: 0 });
    assert.equal(after.audit, bloodBefore.audit + 1, 'exactly one audit entry');
    assert.equal(after.lastAction, 'datasets:delete');
    assert.deepEqual(
      json<Array<{ id: string }>>(['datasets', 'list'], ws).map((d) => d.id),
      [breast],
    );
    assert.equal(json<{ ok: boolean }>(['audit', 'verify'], ws).ok, true);

    // Unknown ids are named; the same content imported again comes back under its old id with the same items.
    const unknown = runCli(['datasets', 'delete', 'ds-000000000000', '--workspace', ws, '--json']);
    assert.equal((unknown.json as { error: { code: string } }).error.code, 'not-found');
    const again = json<{ dataset: string; created: boolean }>(bloodArgs, ws);
    assert.deepEqual([again.dataset, again.created], [blood, true]);
    assert.equal(counts(ws, blood).items, bloodBefore.items);
  } finally {
    cleanup();
  }
});
