// Acceptance (issue 16, 1): on a workspace with real entries whose signing key is NOT in the workspace, every
// tampering an insider can do with the sqlite3 tool — including the careful ones that re-chain the log, fix the
// head and put the append-only triggers back — makes `audit verify` exit 1 naming what failed; the untouched
// workspace passes and says it is signed by this installation's key. Prints the table case → verdict.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { buildDiagnosisWorkspace } from '../diagnosis/diagnosis-workspace.ts';
import { headMessage } from '../../../electron/audit/signed-messages.ts';
import { SigningKey } from '../../../electron/audit/signing-key.ts';
import {
  DROP_TRIGGERS,
  RESTORE_TRIGGERS,
  headOf,
  readRows,
  rechainSql,
  sqlite3,
  sqlite3Available,
  NO_SQLITE3,
  sqlQuote as q,
  workspaceIdOf,
  type Row,
} from './audit-tamper-tools.ts';

const HAVE_SQLITE3 = sqlite3Available();
const CONFIG_DIR = process.env.MEDBRIDGE_CONFIG_DIR;

let dir: string;
let cleanup: () => void;
let ws: string;
let pristine: string;
let older: string;
let rows: Row[];

function verify(): { code: number; v: any; stderr: string } {
  const r = runCli(['audit', 'verify', '--workspace', ws, '--json']);
  return { code: r.code, v: r.json, stderr: r.stderr };
}

/** Puts the untampered workspace back in place (same folder: the anchor log names the folder). */
function restore(from = pristine): void {
  rmSync(ws, { recursive: true, force: true });
  cpSync(from, ws, { recursive: true });
}

before(() => {
  assert.ok(CONFIG_DIR, 'tests/run.js sets MEDBRIDGE_CONFIG_DIR to a temporary folder');
  ({ dir, cleanup } = tempDir('audit-signed'));
  ws = join(dir, 'W');
  // Real entries: init, two imports (jobs with their lifecycle entries), balance → a frozen version.
  buildDiagnosisWorkspace(ws, 40);
  older = join(dir, 'older');
  cpSync(ws, older, { recursive: true }); // an older copy of the whole workspace, two entries behind
  for (const i of [1, 2]) {
    const f = join(dir, `note-${i}.txt`);
    writeFileSync(f, `note ${i}\n`);
    assert.equal(runCli(['blobs', 'add', f, '--workspace', ws]).code, 0);
  }
  pristine = join(dir, 'pristine');
  cpSync(ws, pristine, { recursive: true });
  rows = readRows(join(ws, 'workspace.sqlite'));
});
after(() => cleanup());

test('the signing key lives in the config folder with mode 0600, and nothing of it is in the workspace', () => {
  const keyFile = join(CONFIG_DIR as string, 'signing-key.json');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateKey: string; publicKey: string };
  const der = Buffer.from(key.privateKey, 'base64');
  const seed = der.subarray(der.length - 32); // the Ed25519 private key proper
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  for (const f of walk(ws)) {
    const bytes = readFileSync(f);
    assert.equal(bytes.indexOf(seed), -1, `private key bytes in ${f}`);
    assert.equal(bytes.indexOf(Buffer.from(key.privateKey)), -1, `private key text in ${f}`);
  }
});

test('untouched: verify passes and says which key signed', () => {
  restore();
  const { code, v, stderr } = verify();
  assert.equal(code, 0, stderr);
  assert.equal(v.ok, true);
  assert.ok(v.entries >= 8, `real entries (${v.entries})`);
  assert.equal(v.guarantee.level, 'signed');
  assert.equal(v.guarantee.keys.length, 1);
  assert.equal(v.guarantee.keys[0].thisInstallation, true);
  assert.equal(v.guarantee.keys[0].entries, v.entries);
  assert.equal(v.guarantee.anchor.lastSeq, v.entries);
  const human = runCli(['audit', 'verify', '--workspace', ws]);
  assert.match(human.stdout, new RegExp(`signed by key ${v.guarantee.keys[0].fingerprint.slice(0, 4)} `));
});

test('every tampering with the sqlite3 tool is detected and named', (t) => {
  if (!HAVE_SQLITE3) return t.skip(NO_SQLITE3);
  const db = (): string => join(ws, 'workspace.sqlite');
  const n = rows.length;
  const wsId = workspaceIdOf(db());
  const edited = (r: Row): Row => ({ ...r, payload: { ...(r.payload as object), tampered: true } });
  const mid = Math.floor(n / 2);
  const other = SigningKey.generate();

  const anchorFile = join(CONFIG_DIR as string, 'anchors', `${wsId}.jsonl`);
  const anchorText = readFileSync(anchorFile, 'utf8');
  const cases: Array<{ name: string; expect: string; tamper: () => void; undo?: () => void }> = [
    {
      name: "edit a row's payload",
      expect: 'hash-mismatch',
      tamper: () => sqlite3(db(), `${DROP_TRIGGERS} UPDATE audit_log SET payload = json_set(payload, '$.tampered', 1) WHERE seq = ${mid}; ${RESTORE_TRIGGERS}`),
    },
    { name: 'edit a row and re-chain', expect: 'signature-invalid', tamper: () => sqlite3(db(), rechainSql(rows.map((r) => (r.seq === mid ? edited(r) : r)))) },
    {
      name: 'delete the last rows and fix the head',
      expect: 'anchor-ahead',
      tamper: () =>
        sqlite3(
          db(),
          `${DROP_TRIGGERS} DELETE FROM audit_log WHERE seq > ${n - 3}; UPDATE audit_head SET seq = ${n - 3}, hash = ${q(headOf(rows.slice(0, n - 3)))}; ${RESTORE_TRIGGERS}`,
        ),
    },
    {
      name: 'delete the last rows, fix the head, delete their signatures',
      expect: 'anchor-ahead',
      tamper: () =>
        sqlite3(
          db(),
          `${DROP_TRIGGERS} DELETE FROM audit_log WHERE seq > ${n - 3}; DELETE FROM audit_signatures WHERE seq > ${n - 3}; UPDATE audit_head SET seq = ${n - 3}, hash = ${q(headOf(rows.slice(0, n - 3)))}; ${RESTORE_TRIGGERS}`,
        ),
    },
    {
      name: 'reorder two rows and re-chain',
      expect: 'signature-invalid',
      tamper: () => sqlite3(db(), rechainSql(rows.map((r, i) => (i === mid ? rows[mid + 1] : i === mid + 1 ? rows[mid] : r) as Row))),
    },
    {
      name: 'insert a row and re-chain',
      expect: 'signature-invalid',
      tamper: () =>
        sqlite3(
          db(),
          rechainSql([
            ...rows.slice(0, mid),
            { ...(rows[mid] as Row), action: 'blobs:add', subject: 'inserted', payload: { inserted: true } },
            ...rows.slice(mid),
          ]),
        ),
    },
    {
      name: 'delete all rows and the head',
      expect: 'anchor-ahead',
      tamper: () => sqlite3(db(), `${DROP_TRIGGERS} DELETE FROM audit_log; DELETE FROM audit_head; DELETE FROM audit_signatures; ${RESTORE_TRIGGERS}`),
    },
    { name: 'drop the append-only triggers', expect: 'triggers-missing', tamper: () => sqlite3(db(), DROP_TRIGGERS) },
    {
      name: 'drop the triggers, then edit a row',
      expect: 'triggers-missing',
      tamper: () => sqlite3(db(), `${DROP_TRIGGERS} UPDATE audit_log SET actor = 'someone-else' WHERE seq = ${mid};`),
    },
    {
      name: 'replace the database with an older copy',
      expect: 'anchor-ahead',
      tamper: () => {
        for (const f of ['workspace.sqlite', 'workspace.sqlite-wal', 'workspace.sqlite-shm']) rmSync(join(ws, f), { force: true });
        cpSync(join(older, 'workspace.sqlite'), db());
      },
    },
    {
      name: 'forge a signature row with another key (key not recorded)',
      expect: 'signature-key-unrecorded',
      tamper: () => {
        const fp = other.fingerprint;
        const last = headOf(rows);
        sqlite3(
          db(),
          `${DROP_TRIGGERS} DELETE FROM audit_signatures WHERE seq = ${n}; INSERT INTO audit_signatures (seq, key, signature) VALUES (${n}, ${q(fp)}, ${q(other.sign(headMessage({ workspace: wsId, seq: n, hash: last, key: fp })))}); ${RESTORE_TRIGGERS}`,
        );
      },
    },
    {
      name: 'edit the last row, re-chain, re-sign it with another key recorded in the workspace',
      expect: 'anchor-mismatch',
      tamper: () => {
        const forged = rows.map((r) => (r.seq === n ? edited(r) : r));
        const fp = other.fingerprint;
        const sig = other.sign(headMessage({ workspace: wsId, seq: n, hash: headOf(forged), key: fp }));
        sqlite3(
          db(),
          rechainSql(forged).replace(
            'COMMIT;',
            `${DROP_TRIGGERS} INSERT INTO audit_keys (fingerprint, algorithm, public_key, first_seq, added_at) VALUES (${q(fp)}, 'ed25519', ${q(other.publicKey)}, ${n}, '2026-01-01T00:00:00.000Z'); DELETE FROM audit_signatures WHERE seq = ${n}; INSERT INTO audit_signatures (seq, key, signature) VALUES (${n}, ${q(fp)}, ${q(sig)}); ${RESTORE_TRIGGERS} COMMIT;`,
          ),
        );
      },
    },
    {
      name: 'rewrite the last line of the anchor log (outside the workspace) to a forged head',
      expect: 'anchor-forged',
      tamper: () => {
        const lines = anchorText.trimEnd().split('\n');
        const last = JSON.parse(lines.at(-1) as string);
        lines[lines.length - 1] = JSON.stringify({ ...last, hash: 'f'.repeat(64) });
        writeFileSync(anchorFile, `${lines.join('\n')}\n`);
      },
      undo: () => writeFileSync(anchorFile, anchorText),
    },
  ];

  const table: string[] = [];
  for (const c of cases) {
    restore();
    c.tamper();
    const { code, v, stderr } = verify();
    c.undo?.();
    const kinds: string[] = (v?.problems ?? []).map((p: { kind: string }) => p.kind);
    table.push(`${c.name.padEnd(84)} exit ${code}  ${code === 1 ? 'DETECTED' : 'MISSED  '}  ${kinds.join(', ')}`);
    assert.equal(code, 1, `${c.name}: expected exit 1, got ${code}: ${JSON.stringify(v?.guarantee)}`);
    assert.equal(v.ok, false, c.name);
    assert.ok(kinds.includes(c.expect), `${c.name}: expected ${c.expect} among ${kinds.join(', ')}`);
    assert.match(stderr, new RegExp(`\\[${c.expect}\\]`), `${c.name}: named on stderr`);
  }
  restore();
  const control = verify();
  table.push(`${'untampered control'.padEnd(84)} exit ${control.code}  ${control.code === 0 ? 'PASSES  ' : 'FAILS   '}  ${control.v.guarantee.level}`);
  process.stdout.write(`\naudit tampering (sqlite3 tool, signing key outside the workspace):\n${table.map((l) => `  ${l}`).join('\n')}\n`);
  assert.equal(control.code, 0, control.stderr);
});

test('a workspace made before signing existed: its old entries are reported as hash chain only', (t) => {
  if (!HAVE_SQLITE3) return t.skip(NO_SQLITE3);
  const legacy = join(dir, 'legacy');
  runCli(['init', '--workspace', legacy]);
  // Undo migration 100 as if the workspace came from a version without signing (entry #1 unsigned).
  sqlite3(
    join(legacy, 'workspace.sqlite'),
    `DROP TABLE blob_replacements; DROP TABLE audit_signatures; DROP TABLE audit_keys; DROP TABLE workspace_identity; DELETE FROM schema_migrations WHERE version IN (100, 110, 120); PRAGMA user_version = 80;`,
  );
  const r0 = runCli(['audit', 'verify', '--workspace', legacy, '--json']); // opening migrates; verify appends nothing
  assert.equal(r0.code, 0, r0.stderr);
  assert.equal((r0.json as any).guarantee.level, 'chain-only');
  assert.match((r0.json as any).guarantee.summary, /hash chain only: detects accidental or naive edits, not a rewrite/);
  const f = join(dir, 'legacy-file');
  cpSync(join(legacy, 'workspace.sqlite'), f);
  assert.equal(runCli(['blobs', 'add', f, '--workspace', legacy]).code, 0);
  const r = runCli(['audit', 'verify', '--workspace', legacy, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const g = (r.json as any).guarantee;
  assert.equal(g.level, 'partly-signed');
  assert.equal(g.chainOnlyEntries, 1);
  assert.deepEqual(
    g.keys.map((k: any) => [k.firstSeq, k.lastSeq]),
    [[2, 2]],
  );
  assert.match(g.summary, /Entries #1: hash chain only: detects accidental or naive edits, not a rewrite/);
});
