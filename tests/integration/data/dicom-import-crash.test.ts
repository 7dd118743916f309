// Hospital-scale import survives crashes (issue 14, acceptance 3): a 10,000-file generated DICOM tree is imported in a
// serving host (reader threads on); its worker is killed with SIGKILL a third of the way in, the job is resumed, then
// the whole host is killed with SIGKILL two thirds of the way in, and `jobs resume` finishes it from the CLI. The end
// state is what an uninterrupted import gives: one item per file — exactly the keyed source keys of the corpus's
// files, none twice, none missing, no rejection — with `integrity_check` ok and `audit verify` ok.
// Templates: the small fixtures (at most 40 kB), so the tree is about 130 MB and the test spends its time importing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { relative, sep, join } from 'node:path';
import Database from 'better-sqlite3';
import { SOURCE_KEY_HEX } from '../../../electron/importers/dicom-folder-reader.ts';
import { isProcessAlive } from '../../../electron/storage/workspace-lock.ts';
import { api, runCli, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';
import { SMALL_CORPUS_TEMPLATES, writeDicomCorpus } from '../../helpers/dicom-corpus.ts';

const FILES = 10_000;
const IMPORT_TIMEOUT_MS = 20 * 60_000;

function readDb(ws: string) {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      job: db.prepare("SELECT id, state, worker_pid AS pid, attempts FROM jobs WHERE kind = 'import' ORDER BY rowid DESC LIMIT 1").get() as
        { id: string; state: string; pid: number | null; attempts: number } | undefined,
      items: (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

test(
  `${FILES.toLocaleString('en')} DICOM files: kill -9 of the worker, then of the host, mid-import; resumed, the import equals an uninterrupted one`,
  { timeout: IMPORT_TIMEOUT_MS * 2 },
  async (t) => {
    const { dir, cleanup } = tempDir('dicom-crash');
    t.after(cleanup);
    const corpus = writeDicomCorpus(join(dir, 'src'), { files: FILES, seed: 11, templates: SMALL_CORPUS_TEMPLATES });
    const ws = join(dir, 'W');
    assert.equal(runCli(['init', '--workspace', ws]).code, 0);

    // 1. Import in a serving host; kill -9 its worker a third of the way in.
    let s = await startServe(ws);
    t.after(() => s.stop());
    const started = await api(s, 'datasets:import', { source: 'dicom', path: corpus.root, dates: 'remove', seed: 1 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const id = started.body.value.job.id as string;
    await waitUntil('a third imported', () => readDb(ws).items >= FILES / 3, IMPORT_TIMEOUT_MS, 200);
    const worker1 = readDb(ws).job!.pid;
    assert.ok(worker1 && worker1 !== s.proc.pid, 'a separate worker process runs the import');
    process.kill(worker1, 'SIGKILL');
    const interrupted = await waitUntil('interrupted after the worker kill', async () => {
      const j = await api(s, 'jobs:get', { id });
      return j.body.value.state === 'interrupted' ? j.body.value : undefined;
    });
    assert.equal(interrupted.error.code, 'job/worker-crashed');
    assert.equal(readDb(ws).integrity, 'ok');
    const atWorkerKill = readDb(ws).items;
    assert.ok(atWorkerKill < FILES, `killed before the end (${atWorkerKill} items)`);

    // 2. Resume; kill -9 the whole host two thirds of the way in (its worker goes with it).
    const resumed = await api(s, 'jobs:resume', { id });
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    await waitUntil('two thirds imported', () => readDb(ws).items >= (2 * FILES) / 3, IMPORT_TIMEOUT_MS, 200);
    const worker2 = readDb(ws).job!.pid as number;
    s.proc.kill('SIGKILL');
    await waitUntil('host gone', () => s.proc.exitCode !== null || s.proc.signalCode !== null);
    await waitUntil('orphaned worker exits', () => !isProcessAlive(worker2), 20_000);
    const atHostKill = readDb(ws);
    assert.equal(atHostKill.integrity, 'ok');
    assert.ok(atHostKill.items < FILES, `killed before the end (${atHostKill.items} items)`);
    s = { ...s, stop: async () => undefined };
    process.stdout.write(`# items committed at the worker kill: ${atWorkerKill}, at the host kill: ${atHostKill.items}\n`);

    // 3. `jobs resume` (the CLI marks the job interrupted on opening the workspace, then resumes it to the end).
    const done = runCli(['jobs', 'resume', id, '--workspace', ws, '--json'], {}, IMPORT_TIMEOUT_MS);
    assert.equal(done.code, 0, done.stderr);
    const job = done.json as { state: string; attempts: number; result: { threads: number; resumedFrom: number; resumedUnread: number } };
    assert.equal(job.state, 'done');
    assert.equal(job.attempts, 3);
    // The committed files were not read again: every committed event but the folder scan's was passed over unread.
    assert.ok(job.result.resumedFrom >= atHostKill.items, `resumed from event ${job.result.resumedFrom}`);
    assert.equal(job.result.resumedUnread, job.result.resumedFrom, 'no committed file read again (the tree has no scan-time rejection)');

    // 4. What an uninterrupted import gives: one item per file, keyed by its path; no rejection; database and log sound.
    const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
    try {
      const key = (db.prepare("SELECT value FROM workspace_secrets WHERE name = 'pseudonym-key'").get() as { value: Buffer }).value;
      const expected = corpus.files
        .map((f) => `dicom:${createHmac('sha256', key).update(relative(corpus.root, f).split(sep).join('/')).digest('hex').slice(0, SOURCE_KEY_HEX)}`)
        .sort();
      const keys = (db.prepare('SELECT source_key AS k FROM items ORDER BY source_key').all() as { k: string }[]).map((r) => r.k);
      assert.equal(keys.length, FILES);
      assert.deepEqual(keys, expected, 'every file once, no other');
      assert.equal((db.prepare('SELECT count(*) AS n FROM import_issues').get() as { n: number }).n, 0);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const missingBlobs = db
        .prepare('SELECT count(*) AS n FROM items WHERE image_hash NOT IN (SELECT hash FROM blobs) OR thumb_hash NOT IN (SELECT hash FROM blobs)')
        .get() as { n: number };
      assert.equal(missingBlobs.n, 0, 'every item names stored blobs');
    } finally {
      db.close();
    }
    const audit = runCli(['audit', 'verify', '--workspace', ws, '--json']);
    assert.equal(audit.code, 0, audit.stderr);
    // Every stored file still hashes to its name: no blob was torn by either kill.
    const blobs = runCli(['jobs', 'start', 'verify-blobs', '--workspace', ws, '--json'], {}, IMPORT_TIMEOUT_MS);
    assert.equal(blobs.code, 0, blobs.stderr);
    const checked = (blobs.json as { result: { ok: boolean; checked: number } }).result;
    assert.equal(checked.ok, true);
    process.stdout.write(`# ${checked.checked} stored files verified\n`);
  },
);
