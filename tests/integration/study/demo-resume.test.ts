// Acceptance (guided study): the demo completes the study and leaves an HTML + PDF report; killing the host
// mid-training and starting again resumes the study where it was, and the audit log shows the interruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI_ENTRY, REPO_ROOT, runCli, tempDir, waitUntil } from '../../helpers/cli.ts';

function trainingJob(ws: string): { id: string; state: string; done: number } | undefined {
  if (!existsSync(join(ws, 'workspace.sqlite'))) return undefined;
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT id, state, progress_done AS done FROM jobs WHERE kind = 'train' ORDER BY created_at LIMIT 1").get() as
      { id: string; state: string; done: number } | undefined;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

test('demo: kill -9 of the host during training, run again → resumes the same training job and finishes with a report', { timeout: 900_000 }, async (t) => {
  const { dir, cleanup } = tempDir('demo');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const first = spawn(process.execPath, [CLI_ENTRY, 'demo', '--workspace', ws], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  first.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let firstDone = false;
  const exited = new Promise<void>((r) =>
    first.once('exit', () => {
      firstDone = true;
      r();
    }),
  );
  // Kill the host as soon as the first training job is running (the job row says so for the whole run).
  const job = await waitUntil(
    'training to start',
    () => {
      if (firstDone) throw new Error(`the demo ended before training was caught running: ${stderr}`);
      const j = trainingJob(ws);
      return j && j.state === 'running' ? j : undefined;
    },
    600_000,
    20,
  );
  first.kill('SIGKILL');
  await exited;

  const second = runCli(['demo', '--workspace', ws, '--json']);
  assert.equal(second.code, 0, second.stderr);
  const out = second.json as {
    runs: Record<string, string>;
    report: { html: string; pdf: string | null; manifestHash: string };
    metrics: Record<string, { acc1: number }>;
  };
  assert.ok(existsSync(out.report.html), 'HTML report written');
  assert.ok(out.report.pdf && existsSync(out.report.pdf), 'PDF report written');
  assert.equal(
    readFileSync(out.report.pdf as string)
      .subarray(0, 5)
      .toString(),
    '%PDF-',
  );
  const html = readFileSync(out.report.html, 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /https?:\/\//);

  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  t.after(() => db.close());
  const actions = (db.prepare('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq').all(job.id) as Array<{ action: string }>).map((r) => r.action);
  assert.deepEqual(actions.slice(0, 4), ['job:start', 'job:interrupted', 'job:resume', 'job:done'], 'the interrupted training job was resumed, not restarted');
  const jobRow = db.prepare('SELECT state, attempts FROM jobs WHERE id = ?').get(job.id) as { state: string; attempts: number };
  assert.deepEqual(jobRow, { state: 'done', attempts: 2 });
  const sftRuns = db.prepare("SELECT count(*) AS n FROM runs WHERE kind = 'sft'").get() as { n: number };
  assert.equal(sftRuns.n, 1, 'no second SFT run was started');
  assert.ok(out.metrics.bridged && out.metrics.base, 'metrics before and after bridging reported');
  assert.equal(runCli(['audit', 'verify', '--workspace', ws]).code, 0);
});
