// Acceptance (issue 16, 1), the end-to-end forgery: a run's Acc@1 raised in the report bundle (run record and
// report.html), manifest.json recomputed and re-sealed, the workspace's reports:generate entry given the new
// manifest hash, the chain recomputed and the append-only triggers put back with the sqlite3 tool. Detected by
// `audit verify --bundle` without and with --workspace, and by `audit verify`. A bundle re-signed with another
// key is refused against the workspace and, alone, reported as signed by a key this installation does not know.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { REFERENCE_PACK, buildDiagnosisWorkspace, ok } from '../diagnosis/diagnosis-workspace.ts';
import { manifestBytes, manifestSeal, signManifest, type BundleManifest } from '../../../electron/reports/evidence-bundle.ts';
import { formatFingerprint, SigningKey } from '../../../electron/audit/signing-key.ts';
import { sha256Hex } from '../../../electron/storage/blob-store.ts';
import { readRows, rechainSql, sqlite3, sqlite3Available, NO_SQLITE3, workspaceIdOf } from './audit-tamper-tools.ts';

const HAVE_SQLITE3 = sqlite3Available();

let dir: string;
let cleanup: () => void;
let ws: string;
let bundle: string;
let run: string;

before(() => {
  ({ dir, cleanup } = tempDir('audit-bundle'));
  ws = join(dir, 'W');
  const version = buildDiagnosisWorkspace(ws, 40);
  run = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'all'], ws).run;
  const study = ok(
    ['studies', 'create', '--name', 'Forgery test', '--runs', run, '--intended-use', 'Software test of bundle tampering; not for clinical use.'],
    ws,
  ).id;
  bundle = join(dir, 'bundle');
  ok(['report', '--study', study, '--out', bundle], ws);
});
after(() => cleanup());

const verifyBundle = (b: string, withWorkspace: boolean) => runCli(['audit', 'verify', '--bundle', b, ...(withWorkspace ? ['--workspace', ws] : []), '--json']);
const kinds = (r: { json: unknown }): string[] => ((r.json as any)?.problems ?? []).map((p: { kind: string }) => p.kind);

test('the report prints the key that signed, and the untouched bundle verifies with and without the workspace', () => {
  const alone = verifyBundle(bundle, false);
  assert.equal(alone.code, 0, alone.stderr);
  const g = (alone.json as any).guarantee;
  assert.equal(g.level, 'signed-trusted');
  assert.match(g.summary, /this installation's key/);
  const html = readFileSync(join(bundle, 'report.html'), 'utf8');
  assert.ok(html.includes(`Audit signed by key <code class="hash">${formatFingerprint(g.fingerprint)}</code>`), 'fingerprint printed in the report');
  const withWs = verifyBundle(bundle, true);
  assert.equal(withWs.code, 0, withWs.stderr);
  assert.equal((withWs.json as any).guarantee.fingerprint, g.fingerprint);
  const wsVerify = runCli(['audit', 'verify', '--workspace', ws, '--json']);
  assert.equal((wsVerify.json as any).guarantee.keys[0].fingerprint, g.fingerprint, 'the same key signs the log and the bundle');
});

test('the Acc@1 forgery (bundle edited, manifest recomputed, audit entry updated, chain recomputed, triggers restored) is detected', (t) => {
  if (!HAVE_SQLITE3) return t.skip(NO_SQLITE3);
  const forged = join(dir, 'forged');
  cpSync(bundle, forged, { recursive: true });
  const oldManifestHash = sha256Hex(readFileSync(join(forged, 'manifest.json')));

  // 1. The run's Acc@1 in its record and on the page.
  const runPath = `runs/${run}.json`;
  const record = JSON.parse(readFileSync(join(forged, runPath), 'utf8'));
  const acc = record.metrics.overall.acc1 as number;
  assert.notEqual(acc, 0.978);
  record.metrics.overall.acc1 = 0.978;
  writeFileSync(join(forged, runPath), `${JSON.stringify(record, null, 1)}\n`);
  const html = readFileSync(join(forged, 'report.html'), 'utf8');
  const shown = `${(100 * acc).toFixed(1)}%`;
  assert.ok(html.includes(shown), `Acc@1 ${shown} is on the page`);
  writeFileSync(join(forged, 'report.html'), html.split(shown).join('97.8%'));

  // 2. The manifest recomputed and re-sealed.
  const m = JSON.parse(readFileSync(join(forged, 'manifest.json'), 'utf8')) as BundleManifest;
  for (const f of m.files) {
    const bytes = readFileSync(join(forged, f.path));
    f.sha256 = sha256Hex(bytes);
    f.bytes = bytes.length;
  }
  m.seal = manifestSeal(m);
  const newManifest = manifestBytes(m);
  writeFileSync(join(forged, 'manifest.json'), newManifest);
  const newManifestHash = sha256Hex(newManifest);

  // 3. The workspace: the generation entry records the new manifest hash; chain recomputed; triggers restored.
  const db = join(ws, 'workspace.sqlite');
  const rows = readRows(db);
  const gen = rows.find((r) => r.action === 'reports:generate' && (r.payload as any).manifestHash === oldManifestHash);
  assert.ok(gen, 'the generation entry');
  sqlite3(db, rechainSql(rows.map((r) => (r === gen ? { ...r, payload: { ...(r.payload as object), manifestHash: newManifestHash } } : r))));

  // 4. Another key's signature over the recomputed manifest (what an insider without the installation's key can make).
  const resigned = join(dir, 'resigned');
  cpSync(forged, resigned, { recursive: true });
  const other = SigningKey.generate();
  writeFileSync(join(resigned, 'signature.json'), `${JSON.stringify(signManifest(newManifestHash, { workspace: workspaceIdOf(db), key: other }), null, 1)}\n`);

  const table: string[] = [];
  const row = (name: string, r: { code: number; json: unknown }, verdict: string) =>
    table.push(`${name.padEnd(70)} exit ${r.code}  ${verdict.padEnd(24)} ${kinds(r).join(', ')}`);
  const alone = verifyBundle(forged, false);
  row('forged bundle, audit verify --bundle (no workspace)', alone, alone.code === 1 ? 'DETECTED' : 'MISSED');
  const against = verifyBundle(forged, true);
  row('forged bundle, audit verify --bundle --workspace (forged too)', against, against.code === 1 ? 'DETECTED' : 'MISSED');
  const wsOnly = runCli(['audit', 'verify', '--workspace', ws, '--json']);
  row('forged workspace, audit verify --workspace', wsOnly, wsOnly.code === 1 ? 'DETECTED' : 'MISSED');
  const resignedAlone = verifyBundle(resigned, false);
  const level = (resignedAlone.json as any)?.guarantee?.level;
  row('re-signed with another key, --bundle (no workspace)', resignedAlone, level === 'signed-unknown-key' ? 'UNKNOWN KEY (told)' : `level ${level}`);
  const resignedAgainst = verifyBundle(resigned, true);
  row('re-signed with another key, --bundle --workspace', resignedAgainst, resignedAgainst.code === 1 ? 'DETECTED' : 'MISSED');
  const control = verifyBundle(bundle, false);
  row('original bundle (control), --bundle (no workspace)', control, control.code === 0 ? 'PASSES' : 'FAILS');
  process.stdout.write(`\nreport-bundle forgery (Acc@1 ${acc} → 0.978):\n${table.map((l) => `  ${l}`).join('\n')}\n`);

  assert.equal(alone.code, 1, alone.stdout);
  assert.ok(kinds(alone).includes('signature-invalid'), kinds(alone).join());
  assert.match(alone.stderr, /manifest was recomputed/);
  assert.equal(against.code, 1, against.stdout);
  assert.ok(kinds(against).includes('signature-invalid'), kinds(against).join());
  assert.ok(kinds(against).includes('workspace-chain'), kinds(against).join());
  assert.match(against.stderr, /signature-invalid/);
  assert.equal(wsOnly.code, 1);
  assert.ok(kinds(wsOnly).includes('signature-invalid'), kinds(wsOnly).join());
  assert.equal(level, 'signed-unknown-key');
  assert.match(
    (resignedAlone.json as any).guarantee.summary,
    new RegExp(`which this installation does not know — compare ${formatFingerprint(other.fingerprint)} with the fingerprint printed in the report`),
  );
  assert.equal(resignedAgainst.code, 1);
  assert.ok(kinds(resignedAgainst).includes('signature-key-foreign'), kinds(resignedAgainst).join());
  assert.equal(control.code, 0, control.stderr);
});
