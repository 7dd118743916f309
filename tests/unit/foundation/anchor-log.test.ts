// The anchor log outside the workspace: appended lines read back in order with their line numbers; a line that
// is not an anchor line is reported (the file was edited), except a last line cut short without its newline
// (a write interrupted by power loss), which is only left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchorLog, type AnchorLine } from '../../../electron/audit/anchor-log.ts';

const line = (seq: number): AnchorLine => ({ workspace: 'w1', dir: '/ws', seq, hash: String(seq).repeat(64).slice(0, 64), key: 'k', publicKey: 'p', signature: 's' });

test('anchor lines: appended and read back; an edited line is reported; a torn last line is not', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-anchor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = new AnchorLog(join(dir, 'anchors', 'w1.jsonl'));
  assert.deepEqual(log.read(), { lines: [], unreadable: [] });
  log.append(line(1));
  log.append(line(2));
  assert.equal(statSync(log.file).mode & 0o777, 0o600);
  assert.deepEqual(log.read().lines.map((l) => [l.seq, l.lineNumber]), [[1, 1], [2, 2]]);

  appendFileSync(log.file, '{"workspace":"w1","seq":3,"ha');
  assert.deepEqual(log.read(), { lines: log.read().lines, unreadable: [] });
  assert.equal(log.read().lines.length, 2);

  writeFileSync(log.file, `${JSON.stringify(line(1))}\nnot json\n${JSON.stringify({ seq: 2 })}\n${JSON.stringify(line(3))}\n`);
  const r = log.read();
  assert.deepEqual(r.unreadable, [2, 3]);
  assert.deepEqual(r.lines.map((l) => [l.seq, l.lineNumber]), [[1, 1], [3, 4]]);
});
