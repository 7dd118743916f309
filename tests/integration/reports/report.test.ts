// Reports end to end through the CLI on real runs (diagnosis, probe, SFT, GRPO from SFT, transfer with the shipped
// reference pack): the HTML opens in Chromium with the network cut and shows every section; no script and no URL;
// the PDF has selectable text and page numbers and rasterises at 100 dpi; every number in the page equals the value
// in the bundle, and the bundle equals the database; one changed byte in any bundle file, or one changed audit row,
// fails `audit verify --bundle` naming it; signing is audited, shown, and freezes the version.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { CLI_ENTRY, REPO_ROOT, tempDir, runCli } from '../../helpers/cli.ts';
import { REFERENCE_PACK, buildDiagnosisWorkspace, cli, ok } from '../diagnosis/diagnosis-workspace.ts';
import { SECTIONS } from '../../../electron/reports/checklist.ts';
import { resolvePointer } from '../../../electron/reports/cite.ts';
import { manifestBytes, manifestSeal, type BundleManifest } from '../../../electron/reports/evidence-bundle.ts';
import { sha256Hex } from '../../../electron/storage/blob-store.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const STEPS = '20';

let dir: string;
let cleanup: () => void;
let ws: string;
let out: string;
let diag: string;
let study: string;
let generated: any;
const runs = {} as { probe: string; sft: string; afterSft: string; grpo: string; transfer: string };
let versionId: string;
let studiesBefore: number;
/** Studies the CLI refused to create: [field, exit code, error] for a blank name and a blank intended use. */
const refusals: Array<[string, number, any]> = [];

before(() => {
  ({ dir, cleanup } = tempDir('reports'));
  ws = join(dir, 'W');
  const version = buildDiagnosisWorkspace(ws);
  diag = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'all'], ws).run;
  runs.probe = ok(['probe', '--model', REFERENCE_PACK, '--version', version], ws).run;
  ok(['recommend', '--run', diag], ws);
  runs.sft = ok(['train', 'sft', '--model', REFERENCE_PACK, '--version', version, '--steps', STEPS], ws).run;
  runs.afterSft = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'all', '--adapter', runs.sft], ws).run;
  runs.grpo = ok(['train', 'grpo', '--model', REFERENCE_PACK, '--version', version, '--init', runs.sft, '--steps', STEPS], ws).run;
  runs.transfer = ok(['transfer', '--model', REFERENCE_PACK, '--version', version, '--train-task', 'blood-cell', '--steps', STEPS], ws).run;
  versionId = version;
  studiesBefore = ok(['studies', 'list'], ws).length;
  for (const [field, name, use] of [
    ['name', '   ', 'Research only.'],
    ['intendedUse', 'A study', ' \t '],
  ] as const) {
    const r = cli(['studies', 'create', '--name', name, '--runs', diag, '--intended-use', use], ws);
    refusals.push([field, r.code, r.json?.error]);
  }
  study = ok(
    [
      'studies',
      'create',
      '--name',
      'Report test study',
      '--runs',
      [diag, runs.probe, runs.sft, runs.afterSft, runs.grpo, runs.transfer].join(','),
      '--intended-use',
      'Research only: test of the report.',
    ],
    ws,
  ).id;
  out = join(dir, 'out');
  generated = ok(['report', '--study', study, '--out', out, '--pdf'], ws);
});
after(() => cleanup());

const readJson = (p: string): any => JSON.parse(readFileSync(p, 'utf8'));

test('report --json names the version, the files and the audit head; the manifest lists every file with its SHA-256', () => {
  assert.equal(generated.version, 1);
  assert.equal(generated.newVersion, true);
  assert.equal(generated.signed, false);
  const manifest = readJson(join(out, 'manifest.json')) as BundleManifest;
  assert.equal(manifest.auditHead.hash, generated.auditHead.hash);
  const paths = manifest.files.map((f) => f.path);
  for (const p of ['report.html', 'report.pdf', 'study.json', 'audit-log.json', 'report.json', 'review.json']) assert.ok(paths.includes(p), p);
  for (const id of [diag, ...Object.values(runs)]) assert.ok(paths.includes(`runs/${id}.json`), id);
  assert.ok(paths.some((p) => /^versions\/dv-.*\.manifest\.json$/.test(p)));
  for (const f of manifest.files) assert.equal(sha256Hex(readFileSync(join(out, f.path))), f.sha256, f.path);
  const audit = runCli(['audit', 'verify', '--bundle', out, '--workspace', ws, '--json']);
  assert.equal(audit.code, 0, audit.stderr);
  assert.equal((audit.json as any).checkedAgainstWorkspace, true);
});

test('a study with a blank name or intended use is refused at the host with a coded error naming the field; none is created', () => {
  assert.equal(refusals.length, 2);
  for (const [field, code, error] of refusals) {
    assert.equal(code, 1, field);
    assert.equal(error.code, 'request/invalid-input', field);
    assert.equal(error.detail.field, field);
    assert.match(error.message, new RegExp(`${field}: The study needs an? ${field === 'name' ? 'name' : 'intended use'}`));
  }
  assert.equal(ok(['studies', 'list'], ws).length, studiesBefore + 1, 'only the valid study was created');
});

test('page 1: the title is the version name (its hash in the details) and the summary states the numbers the tables print', async () => {
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const base = readJson(join(out, 'runs', `${diag}.json`));
  const after = readJson(join(out, 'runs', `${runs.afterSft}.json`));
  const v = readJson(join(out, 'versions', `${versionId}.json`));
  const h1 = /<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? '';
  assert.equal(h1, `Report test study — ${v.name}`);
  assert.doesNotMatch(h1, /dv-/);
  assert.match(html, new RegExp(`class="subtitle">[^\n]*<code>${versionId}</code>`));
  // the change the summary quotes is the paired comparison of the adapter's diagnosis with the base one
  assert.equal(after.changeFromBase.base, diag);
  assert.equal(after.changeFromBase.trainedBy, runs.sft);
  assert.equal(after.changeFromBase.overall.n, base.metrics.overall.n);
  assert.equal(after.changeFromBase.overall.acc1A, base.metrics.overall.acc1);
  assert.equal(after.changeFromBase.overall.acc1B, after.metrics.overall.acc1);
  // every number in the summary paragraph appears, cited to the same field with the same text, in a table below it
  const para = /<p data-testid="report-summary">(.*?)<\/p>/s.exec(html)?.[1] ?? '';
  const summaryNumbers = [...para.matchAll(/<data value="([^"]*)" data-p="([^"]+)">([^<]*)<\/data>/g)].map((m) => ({ value: m[1], ref: m[2], text: m[3] }));
  assert.ok(summaryNumbers.length >= 10, `${summaryNumbers.length} numbers in the summary`);
  const rest = html.slice(html.indexOf('</header>'));
  for (const x of summaryNumbers) assert.ok(rest.includes(`<data value="${x.value}" data-p="${x.ref}">${x.text}</data>`), `${x.ref} in a table`);
  const k = base.recommendation.recipe.k;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pt`;
  const expected = [
    `n = ${base.metrics.overall.n} items`,
    pct(base.metrics.overall.acc1),
    `K = ${k}`,
    pct(base.metrics.overall.passAtK[String(k)]),
    `Pass@${k}`,
    pct(base.metrics.overall.chanceAtK[String(k)]),
    'Bridged with SFT',
    pp(after.changeFromBase.overall.deltaAcc1),
    pp(after.changeFromBase.overall.deltaAcc1Ci[0]),
    pp(after.changeFromBase.overall.deltaAcc1Ci[1]),
    'The recipe recommended',
  ];
  // page 1 of the PDF carries them (pdftotext of page 1 only)
  const page1 = spawnSync('pdftotext', ['-f', '1', '-l', '1', join(out, 'report.pdf'), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  for (const s of expected) assert.ok(page1.includes(s), `page 1 has "${s}":\n${page1}`);
  assert.ok(page1.includes(`${v.name}`), 'version name on page 1');
  const png = join(dir, 'page');
  assert.equal(spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', join(out, 'report.pdf'), png]).status, 0);
  mkdirSync(join(REPO_ROOT, 'test-artifacts', 'reports'), { recursive: true });
  for (const f of readdirSync(dir).filter((f) => f.startsWith('page'))) cpSync(join(dir, f), join(REPO_ROOT, 'test-artifacts', 'reports', `report-${f}`));
});

test('the HTML opens in Chromium with the network cut, makes no request, and shows every section', async () => {
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.doesNotMatch(html, /https?:\/\//i);
  assert.doesNotMatch(html, /<script/i);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const requests: string[] = [];
    const self = `file://${join(out, 'report.html')}`;
    // Everything but the page itself is aborted and recorded.
    await context.route('**/*', (route) => {
      if (route.request().url() === self) return route.continue();
      requests.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (r.url() !== self) requests.push(r.url());
    });
    await page.goto(self);
    assert.deepEqual(requests, []);
    for (const [id, title] of SECTIONS) {
      const h = page.locator(`h2#${id}`);
      assert.ok(await h.isVisible(), `section ${id} visible`);
      assert.match((await h.textContent()) ?? '', new RegExp(title.replace(/[+/()]/g, '.')));
    }
    assert.ok((await page.locator('svg.chart').count()) >= 8, 'charts drawn');
  } finally {
    await browser.close();
  }
});

test('the PDF has selectable text with section titles, numbers and page numbers, and rasterises at 100 dpi', () => {
  const pdf = join(out, 'report.pdf');
  const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
  for (const [, title] of SECTIONS) assert.ok(text.replace(/\s+/g, ' ').includes(title.split(':')[0] as string), title);
  const pages = Number(/of (\d+)/.exec(text)?.[1]);
  assert.ok(pages >= 5, `page count ${pages}`);
  for (let p = 1; p <= pages; p++) assert.ok(text.includes(`page ${p} of ${pages}`), `page ${p} numbered`);
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const metrics = JSON.parse((db.prepare('SELECT metrics FROM runs WHERE id = ?').get(diag) as { metrics: string }).metrics);
  db.close();
  assert.ok(text.includes(`${(100 * metrics.overall.acc1).toFixed(1)}%`), 'overall Accuracy@1 printed');
  // tagged (a structure tree screen readers follow) with a document outline from the section headings
  const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
  assert.match(info, /^Tagged:\s+yes$/m, info);
  const raw = readFileSync(pdf).toString('latin1');
  assert.match(raw, /\/StructTreeRoot/, 'structure tree');
  assert.match(raw, /\/Outlines/, 'document outline');
  const png = join(dir, 'png');
  const r = spawnSync('pdftoppm', ['-r', '100', '-png', pdf, png]);
  assert.equal(r.status, 0);
  assert.equal(readdirSync(dir).filter((f) => f.startsWith('png')).length, pages);
});

test('every number in the page equals its bundle value, and the bundle equals the database', () => {
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const cited = [...html.matchAll(/<(?:data value|text[^>]*data-v)="([^"]*)"[^>]*data-p="([^"]+)"/g)];
  assert.ok(cited.length > 300, `${cited.length} cited numbers`);
  const files = new Map<string, unknown>();
  for (const [, value, ref] of cited) {
    const [file, pointer] = (ref as string).replace(/&amp;/g, '&').split('#') as [string, string];
    if (!files.has(file)) files.set(file, readJson(join(out, file)));
    const v = resolvePointer(files.get(file), pointer);
    assert.equal(String(v), value, `${ref}`);
  }
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  try {
    for (const id of [diag, ...Object.values(runs)]) {
      const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as any;
      const b = readJson(join(out, 'runs', `${id}.json`));
      assert.deepEqual(b.metrics, JSON.parse(row.metrics), `${id} metrics`);
      assert.deepEqual(b.config, JSON.parse(row.config), `${id} config`);
      assert.deepEqual(b.environment, JSON.parse(row.environment), `${id} environment`);
      assert.equal(b.seed, row.seed);
      assert.equal(b.adapterHash, row.adapter_hash);
      assert.equal(b.itemsScored, (db.prepare('SELECT count(*) AS n FROM run_items WHERE run_id = ?').get(id) as any).n);
      const events = db
        .prepare("SELECT seq, kind, step, payload FROM run_events WHERE run_id = ? AND kind NOT IN ('batch','recommendation') ORDER BY seq")
        .all(id) as any[];
      assert.deepEqual(
        b.events.map((e: any) => [e.seq, e.kind, e.step, e.payload]),
        events.map((e) => [e.seq, e.kind, e.step, JSON.parse(e.payload)]),
      );
    }
    const rec = db.prepare("SELECT payload FROM run_events WHERE run_id = ? AND kind = 'recommendation' ORDER BY seq DESC LIMIT 1").get(diag) as any;
    assert.deepEqual(readJson(join(out, 'runs', `${diag}.json`)).recommendation, JSON.parse(rec.payload));
    const v = db.prepare('SELECT * FROM dataset_versions').get() as any;
    const bv = readJson(join(out, 'versions', `${v.id}.json`));
    assert.equal(bv.n, v.n);
    for (const r of db.prepare('SELECT modality, split, count(*) AS n FROM version_items WHERE version_id = ? GROUP BY modality, split').all(v.id) as any[])
      assert.equal(bv.byModalitySplit[r.modality][r.split], r.n);
    for (const r of db
      .prepare('SELECT i.modality_source AS s, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY s')
      .all(v.id) as any[])
      assert.equal(bv.labelSources[r.s], r.n);
    assert.equal(sha256Hex(readFileSync(join(out, 'versions', `${v.id}.manifest.json`))), v.manifest_hash);
    for (const d of db.prepare('SELECT id FROM datasets').all() as any[]) {
      const bd = readJson(join(out, 'datasets', `${d.id}.json`));
      assert.equal(bd.imported, (db.prepare('SELECT count(*) AS n FROM items WHERE dataset_id = ?').get(d.id) as any).n);
      assert.equal(bd.rejected, (db.prepare("SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = 'rejection'").get(d.id) as any).n);
    }
    const pack = db.prepare('SELECT * FROM model_packs').get() as any;
    assert.deepEqual(readJson(join(out, 'models', `${pack.id}.json`)).manifest, JSON.parse(pack.manifest));
    const head = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = ?').get(generated.auditHead.seq) as any;
    assert.equal(head.hash, readJson(join(out, 'audit-log.json')).head.hash);
    const derived = readJson(join(out, 'report.json'));
    for (const [source, share] of Object.entries(derived.labelShares[v.id])) assert.equal(share, bv.labelSources[source] / v.n);
  } finally {
    db.close();
  }
});

/** The CLI in a child process, asynchronously (the tamper cases run side by side). */
function cliAsync(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code: code ?? -1, stderr }));
  });
}

test('one changed byte in any bundle file fails audit verify --bundle, naming that file', async () => {
  const manifest = readJson(join(out, 'manifest.json')) as BundleManifest;
  const cases = [...manifest.files.map((f) => f.path), 'manifest.json'].map((path) => {
    const copy = join(dir, `tamper-${path.replace(/\W/g, '_')}`);
    cpSync(out, copy, { recursive: true });
    const p = join(copy, path);
    const bytes = readFileSync(p);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 0x01;
    writeFileSync(p, bytes);
    return { path, copy };
  });
  const results = await Promise.all(cases.map((c) => cliAsync(['audit', 'verify', '--bundle', c.copy])));
  cases.forEach((c, i) => {
    const r = results[i] as { code: number; stderr: string };
    assert.equal(r.code, 1, c.path);
    assert.ok(r.stderr.includes(c.path), `${c.path} named in: ${r.stderr}`);
  });
  const clean = runCli(['audit', 'verify', '--bundle', out]);
  assert.equal(clean.code, 0, clean.stderr);
  // a flipped byte that leaves valid JSON with a renamed key is an unreadable manifest, not an internal error
  const renamed = join(dir, 'tamper-renamed-key');
  cpSync(out, renamed, { recursive: true });
  writeFileSync(join(renamed, 'manifest.json'), readFileSync(join(out, 'manifest.json'), 'utf8').replace('"path"', '"pbth"'));
  const r = runCli(['audit', 'verify', '--bundle', renamed]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /manifest\.json cannot be read as a MedBridge bundle manifest/);
});

test('an audit entry changed in the bundle (manifest re-sealed to match) or in the workspace fails verification naming the entry', () => {
  const copy = join(dir, 'tamper-entry');
  cpSync(out, copy, { recursive: true });
  const excerpt = readJson(join(copy, 'audit-log.json'));
  const victim = excerpt.entries.find((e: any) => e.action === 'runs:recommend');
  victim.actor = 'someone-else';
  const bytes = Buffer.from(`${JSON.stringify(excerpt, null, 1)}\n`);
  writeFileSync(join(copy, 'audit-log.json'), bytes);
  const m = readJson(join(copy, 'manifest.json')) as BundleManifest;
  const f = m.files.find((x) => x.path === 'audit-log.json') as BundleManifest['files'][number];
  f.sha256 = sha256Hex(bytes);
  f.bytes = bytes.length;
  m.seal = manifestSeal(m);
  writeFileSync(join(copy, 'manifest.json'), manifestBytes(m));
  const alone = runCli(['audit', 'verify', '--bundle', copy]);
  assert.equal(alone.code, 1);
  assert.match(alone.stderr, new RegExp(`entry #${victim.seq}:`));
  const against = runCli(['audit', 'verify', '--bundle', copy, '--workspace', ws]);
  assert.equal(against.code, 1);
  assert.match(against.stderr, /manifest\.json: No report generation recorded/);

  const ws2 = join(dir, 'W-tampered');
  cpSync(ws, ws2, { recursive: true });
  const db = new Database(join(ws2, 'workspace.sqlite'));
  db.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone-else' WHERE seq = ${victim.seq};`);
  db.close();
  const r = runCli(['audit', 'verify', '--bundle', out, '--workspace', ws2]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`entry #${victim.seq}`));
});

test('sign → audit entry → the report shows the signature; a signed version is frozen; changed records make a new version', () => {
  const signed = ok(
    ['report', 'sign', '--report', generated.id, '--name', 'Dr Ada Reviewer', '--role', 'IRB chair', '--meaning', 'Reviewed and approved for continuation'],
    ws,
  );
  assert.equal(signed.signed, true);
  const entries = ok(['audit', 'verify'], ws);
  assert.equal(entries.ok, true);
  const dbAudit = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const entry = dbAudit.prepare("SELECT seq, payload FROM audit_log WHERE action = 'reports:sign' AND subject = ?").get(generated.id) as any;
  dbAudit.close();
  assert.equal(entry.seq, signed.signatures[0].auditSeq);
  assert.equal(JSON.parse(entry.payload).name, 'Dr Ada Reviewer');

  const refused = cli(['report', 'comment', '--report', generated.id, '--author', 'late', '--text', 'too late'], ws);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /signed and cannot change/);

  const out2 = join(dir, 'out2');
  const again = ok(['report', '--study', study, '--out', out2], ws);
  assert.equal(again.version, 1);
  assert.equal(again.newVersion, false);
  assert.equal(again.dataHash, generated.dataHash);
  const html = readFileSync(join(out2, 'report.html'), 'utf8');
  for (const s of ['Dr Ada Reviewer', 'IRB chair', 'Reviewed and approved for continuation', 'Signed</b> by']) assert.ok(html.includes(s), s);
  assert.equal(runCli(['audit', 'verify', '--bundle', out2, '--workspace', ws]).code, 0);

  ok(['recommend', '--run', diag, '--k', '4'], ws);
  const out3 = join(dir, 'out3');
  const next = ok(['report', '--study', study, '--out', out3], ws);
  assert.equal(next.version, 2);
  assert.equal(next.newVersion, true);
  assert.equal(next.signed, false);
  assert.notEqual(next.dataHash, generated.dataHash);
  const list = ok(['report', 'list', '--study', study], ws);
  assert.deepEqual(
    list.map((v: any) => [v.version, v.signed, v.dataHash]),
    [
      [2, false, next.dataHash],
      [1, true, generated.dataHash],
    ],
  );
  assert.equal(
    cli(['report', 'sign', '--report', generated.id, '--name', 'x', '--role', 'y', '--meaning', 'z'], ws).code,
    1,
    'a superseded version is not signed',
  );
  const commented = ok(['report', 'comment', '--report', next.id, '--author', 'Data protection officer', '--text', 'De-identification profile checked.'], ws);
  assert.equal(commented.comments.length, 1);
  assert.equal(runCli(['audit', 'verify', '--bundle', out3, '--workspace', ws]).code, 0);
  assert.ok(existsSync(join(out3, 'report.html')) && !existsSync(join(out3, 'report.pdf')));
});

test('a report folder that holds other files is refused; a previous bundle in it is replaced', () => {
  const foreign = join(dir, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'notes.txt'), 'a file that is not part of any bundle\n');
  const r = cli(['report', '--study', study, '--out', foreign], ws);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not part of a MedBridge report bundle/);
  ok(['report', '--study', study, '--out', out], ws);
  assert.equal(runCli(['audit', 'verify', '--bundle', out, '--workspace', ws]).code, 0);
  assert.ok(!existsSync(join(out, 'report.pdf')), 'the old PDF listed by the previous manifest was removed');
});
