// The anchor log outside the workspace: appended lines read back in order with their line numbers; a line that
// is not an anchor line is reported (the file was edited), except a last line cut short without its newline
// (a write interrupted by power loss), which is only left out. Only committed heads are anchored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchorLog, type AnchorLine } from '../../../electron/audit/anchor-log.ts';
import { Installation } from '../../../electron/audit/installation.ts';
import { Workspace } from '../../../electron/storage/workspace.ts';

const line = (seq: number): AnchorLine => ({
  workspace: 'w1',
  dir: '/ws',
  seq,
  hash: String(seq).repeat(64).slice(0, 64),
  key: 'k',
  publicKey: 'p',
  signature: 's',
});

test('anchor lines: appended and read back; an edited line is reported; a torn last line is not', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-anchor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = new AnchorLog(join(dir, 'anchors', 'w1.jsonl'));
  assert.deepEqual(log.read(), { lines: [], unreadable: [] });
  log.append(line(1));
  log.append(line(2));
  assert.equal(statSync(log.file).mode & 0o777, 0o600);
  assert.deepEqual(
    log.read().lines.map((l) => [l.seq, l.lineNumber]),
    [
      [1, 1],
      [2, 2],
    ],
  );

  appendFileSync(log.file, '{"workspace":"w1","seq":3,"ha');
  assert.deepEqual(log.read(), { lines: log.read().lines, unreadable: [] });
  assert.equal(log.read().lines.length, 2);

  writeFileSync(log.file, `${JSON.stringify(line(1))}\nnot json\n${JSON.stringify({ seq: 2 })}\n${JSON.stringify(line(3))}\n`);
  const r = log.read();
  assert.deepEqual(r.unreadable, [2, 3]);
  assert.deepEqual(
    r.lines.map((l) => [l.seq, l.lineNumber]),
    [
      [1, 1],
      [3, 4],
    ],
  );
});

test('a head whose transaction rolled back is never anchored, whoever opened the transaction', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-anchor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const installation = new Installation(join(dir, 'cfg'));
  const ws = Workspace.init(join(dir, 'W'), 'test', installation);
  t.after(() => ws.close());
  const log = new AnchorLog(installation.anchorFile(ws.audit.workspaceId() as string));
  const anchored = (): number[] => log.read().lines.map((l) => l.seq);
  assert.deepEqual(anchored(), [1]);
  assert.throws(() =>
    ws.change({ actor: 'test', action: 'x', subject: 'a', payload: null }, () => {
      throw new Error('refused');
    }),
  );
  // A caller's own transaction that appends and then fails (as a job checkpoint does).
  assert.throws(() =>
    ws.jobBookkeeping((tx) => {
      ws.audit.append(tx, { actor: 'test', action: 'x', subject: 'b', payload: null });
      throw new Error('refused');
    }),
  );
  ws.audit.flushAnchor();
  assert.deepEqual(anchored(), [1]);
  ws.change({ actor: 'test', action: 'x', subject: 'c', payload: null }, () => undefined);
  assert.deepEqual(anchored(), [1, 2]);
  assert.equal(ws.audit.verify().ok, true);
});
