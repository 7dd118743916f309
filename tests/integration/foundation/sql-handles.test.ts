// The database handles make "one change = one transaction + one audit entry" hold by construction: the read handle
// refuses any statement that writes, the write handle exists only inside Workspace.change (or a running job's
// bookkeeping) and refuses to run outside a transaction, and a mutating call that tries to write any other way fails
// with nothing committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Core } from '../../../electron/core/core.ts';
import { createDispatch } from '../../../electron/core/dispatch.ts';
import { createHandlers, type Handlers } from '../../../electron/core/handlers.ts';
import { inProcessLauncher } from '../../../electron/jobs/in-process-launcher.ts';
import type { WriteDb } from '../../../electron/storage/sql-handles.ts';
import { tempDir } from '../../helpers/cli.ts';

function openCore(t: { after: (fn: () => void) => void }): Core {
  const { dir, cleanup } = tempDir('sql-handles');
  t.after(cleanup);
  const core = new Core({ workspaceDir: join(dir, 'W'), mode: 'cli', actor: 'test', launcher: inProcessLauncher, init: true });
  t.after(() => core.close());
  return core;
}

function auditCount(core: Core): number {
  return core.ws.read.value<number>('SELECT COUNT(*) FROM audit_log') ?? -1;
}

test('the read handle refuses a writing statement before it runs', (t) => {
  const core = openCore(t);
  const before = auditCount(core);
  assert.throws(
    () => core.ws.read.get("INSERT INTO studies (id, name, created_by, created_at) VALUES ('s', 'n', 't', 'x') RETURNING id"),
    (e: unknown) => (e as { code?: string }).code === 'storage/write-outside-change',
  );
  assert.throws(
    () => core.ws.read.all('DELETE FROM audit_log'),
    (e: unknown) => (e as { code?: string }).code === 'storage/write-outside-change',
  );
  assert.equal(auditCount(core), before);
});

test('a change commits its writes with exactly one audit entry; its handle is dead once the change ends', (t) => {
  const core = openCore(t);
  const before = auditCount(core);
  let kept: WriteDb | undefined;
  core.ws.change({ actor: 'test', action: 'test:two-writes', subject: 'x', payload: {} }, (tx) => {
    kept = tx;
    tx.run('CREATE TEMP TABLE scratch (n INTEGER)');
    tx.run('INSERT INTO scratch (n) VALUES (1), (2)');
  });
  assert.equal(auditCount(core), before + 1);
  assert.equal(core.ws.read.value<string>('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1'), 'test:two-writes');
  assert.throws(
    () => kept!.run('INSERT INTO scratch (n) VALUES (3)'),
    (e: unknown) => (e as { code?: string }).code === 'storage/write-outside-change',
  );
  assert.equal(core.ws.read.value<number>('SELECT COUNT(*) FROM scratch'), 2);
});

test('a change that throws leaves neither its writes nor its audit entry', (t) => {
  const core = openCore(t);
  const before = auditCount(core);
  core.ws.change({ actor: 'test', action: 'test:table', subject: 'x', payload: {} }, (tx) => tx.run('CREATE TEMP TABLE scratch (n INTEGER)'));
  assert.throws(() =>
    core.ws.change({ actor: 'test', action: 'test:fails', subject: 'x', payload: {} }, (tx) => {
      tx.run('INSERT INTO scratch (n) VALUES (1)');
      throw new Error('simulated failure');
    }),
  );
  assert.equal(auditCount(core), before + 1);
  assert.equal(core.ws.read.value<number>('SELECT COUNT(*) FROM scratch'), 0);
});

test('a mutating call that writes outside an audited change fails, and nothing is committed', async (t) => {
  const core = openCore(t);
  const before = auditCount(core);
  const studiesBefore = core.ws.read.value<number>('SELECT COUNT(*) FROM studies');
  const handlers: Handlers = {
    ...createHandlers(core),
    'studies:create': () => {
      core.ws.read.get("INSERT INTO studies (id, name, created_by, created_at) VALUES ('study-x', 'x', 't', 'now') RETURNING id");
      throw new Error('unreachable: the write above must be refused');
    },
  };
  const dispatch = createDispatch(handlers, () => undefined, true);
  const result = await dispatch('studies:create', { name: 'A study', runs: ['run-1'], intendedUse: 'Research only, not for clinical use.' }, { actor: 'test' });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, 'storage/write-outside-change');
  assert.equal(auditCount(core), before);
  assert.equal(core.ws.read.value<number>('SELECT COUNT(*) FROM studies'), studiesBefore);
});
