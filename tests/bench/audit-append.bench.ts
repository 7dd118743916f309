// Audit-log append throughput (one state change = one transaction + one hash-chained entry) against a bare
// better-sqlite3 insert loop with the same pragmas and the same one-transaction-per-row pattern.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Workspace } from '../../electron/storage/workspace.ts';
import type { Benchmark, BenchRow } from './harness.ts';
import { medianSeconds } from './harness.ts';

const N = 1_000;
const ROUNDS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export const auditAppendBench: Benchmark = {
  name: 'audit-append',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-audit-'));
    try {
      const bareDb = new Database(join(dir, 'bare.sqlite'));
      bareDb.pragma('journal_mode = WAL');
      bareDb.pragma('synchronous = FULL');
      bareDb.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, ts TEXT, actor TEXT, action TEXT, subject TEXT, payload TEXT, prev_hash TEXT, hash TEXT) STRICT');
      const insert = bareDb.prepare('INSERT INTO t (ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const oneTx = bareDb.transaction((i: number) =>
        insert.run(new Date().toISOString(), 'bench', 'bench:append', `s${i}`, JSON.stringify({ i, note: 'x' }), 'p', `h${i}`),
      );
      const ws = Workspace.init(join(dir, 'ws'), 'bench');
      // fsync cost varies with whatever else the disk is doing: interleave the two loops and take medians.
      const bareTimes: number[] = [];
      const auditTimes: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareTimes.push(
          await medianSeconds(() => {
            for (let i = 0; i < N; i++) oneTx(i);
          }, 1),
        );
        auditTimes.push(
          await medianSeconds(() => {
            for (let i = 0; i < N; i++) ws.change({ actor: 'bench', action: 'bench:append', subject: `s${i}`, payload: { i, note: 'x' } }, () => undefined);
          }, 1),
        );
      }
      bareDb.close();
      const bare = median(bareTimes);
      const audited = median(auditTimes);
      const verify = await medianSeconds(() => ws.audit.verify(), 3);
      const entries = ws.audit.count();
      ws.close();
      return [
        {
          name: 'audit-log append (1 tx + hash-chained entry per change)',
          value: N / audited,
          unit: 'entries/s',
          baseline: N / bare,
          baselineName: 'bare insert, 1 tx/row',
          ratio: bare / audited,
        },
        {
          name: `audit verify over ${entries} entries`,
          value: entries / verify,
          unit: 'entries/s',
          baseline: N / bare,
          baselineName: 'bare insert, 1 tx/row',
          ratio: entries / verify / (N / bare),
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
