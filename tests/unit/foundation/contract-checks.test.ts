// The contract checks the dispatcher runs in tests (MEDBRIDGE_CONTRACT_CHECKS=1): an output that does not match its
// call's schema, and an audited change committed by a call marked `mutates: false`, fail with contract/violated; a
// change made by a mutating call, or outside any call, does not. Real Workspace (SQLite, audit log) in a temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatch } from '../../../electron/core/dispatch.ts';
import type { Handlers } from '../../../electron/core/handlers.ts';
import { Installation } from '../../../electron/audit/installation.ts';
import { Workspace } from '../../../electron/storage/workspace.ts';

const ctx = { actor: 'test' } as Parameters<ReturnType<typeof createDispatch>>[2];

test('output schema and mutates flag are enforced with checks on, and not with checks off', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-checks-'));
  const ws = Workspace.init(join(dir, 'W'), 'test', new Installation(join(dir, 'cfg')));
  t.after(() => {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const change = (action: string) => ws.change({ actor: 'test', action, subject: 'x', payload: {} }, () => undefined);
  let listOutput: unknown = [];
  const handlers = {
    // mutates: false in the contract
    'datasets:list': async () => {
      await new Promise((r) => setTimeout(r, 5));
      if (listOutput === 'write') {
        change('dataset:sneaky');
        return [];
      }
      return listOutput;
    },
    // mutates: true in the contract
    'datasets:delete': () => {
      change('datasets:delete');
      return { deleted: 'ds-1', name: 'one', items: 3, issues: 0 };
    },
  } as unknown as Handlers;
  const logged: string[] = [];
  const checked = createDispatch(handlers, (m) => logged.push(m), true);
  const unchecked = createDispatch(handlers, () => undefined, false);

  assert.deepEqual(await checked('datasets:list', {}, ctx), { ok: true, value: [] });
  listOutput = [{ id: 42 }];
  const bad = await checked('datasets:list', {}, ctx);
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, 'contract/violated');
  assert.match(!bad.ok ? bad.error.message : '', /datasets:list broke its contract: its output does not match the output schema \(0\.id: /);
  assert.equal((await unchecked('datasets:list', {}, ctx)).ok, true, 'checks off: the same output passes');

  listOutput = 'write';
  const sneaky = await checked('datasets:list', {}, ctx);
  assert.equal(!sneaky.ok && sneaky.error.code, 'contract/violated');
  assert.match(!sneaky.ok ? sneaky.error.message : '', /marked as not changing anything, yet committed 1 audited change\(s\) \(dataset:sneaky\)/);
  assert.ok(logged.some((l) => l.includes('contract violated by datasets:list')));

  assert.deepEqual(await checked('datasets:delete', { id: 'ds-1' }, ctx), { ok: true, value: { deleted: 'ds-1', name: 'one', items: 3, issues: 0 } });
  // A change outside any call (as the job runner makes) is attributed to none: the next read-only call passes.
  change('job:done');
  listOutput = [];
  assert.equal((await checked('datasets:list', {}, ctx)).ok, true);
});
