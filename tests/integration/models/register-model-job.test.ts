// Acceptance (issue 5, item 5): registering a large model pack never blocks the app. The folder is hashed by the
// `register-model` job in a worker, progress arrives in MB with the file being read, the host keeps answering, and
// the verified pack is recorded in the job:done transaction (its audit entry carries the pack id). A changed file
// fails the job naming the file; a cancelled job records nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { api, runCli, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';
import { sha256File } from '../../../electron/models/index.ts';
import { copyPack } from './pack-copy.ts';
import { REFERENCE_PACK_DIR } from './image-set-fixture.ts';

const MB = 1024 * 1024;
/** A sparse file: the disk stays free, the hash still reads every byte. */
const LARGE_FILE_MB = 640;
const LARGE_FILE = 'weights/extra-weights.bin';

async function largePack(sizeMb = LARGE_FILE_MB): Promise<{ dir: string; cleanup: () => void }> {
  const copy = copyPack(REFERENCE_PACK_DIR, 'large-pack');
  const path = join(copy.dir, LARGE_FILE);
  await import('node:fs').then((fs) => fs.mkdirSync(join(copy.dir, 'weights')));
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.from('medbridge test weights'), 0, 22, sizeMb * MB - 22);
  closeSync(fd);
  const manifestPath = join(copy.dir, 'manifest.json');
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Array<{ path: string; sha256: string; bytes: number }> };
  m.files.push({ path: LARGE_FILE, sha256: sizeMb === LARGE_FILE_MB ? await sha256File(path) : '0'.repeat(64), bytes: sizeMb * MB });
  writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return copy;
}

interface Snapshot {
  state: string;
  done: number;
  total: number;
  message: string;
}

const ENDED = ['done', 'failed', 'cancelled', 'interrupted'];

/** Polls jobs:get until the job has ended; `whileRunning` runs between polls while it is still running. */
async function jobEnd(s: { base: string; token: string }, id: string, whileRunning: () => Promise<void> = async () => undefined, stepMs = 50): Promise<any> {
  return waitUntil(
    `job ${id} to end`,
    async () => {
      const j = (await api(s, 'jobs:get', { id })).body.value;
      if (j.state === 'running') await whileRunning();
      return ENDED.includes(j.state) ? j : undefined;
    },
    180_000,
    stepMs,
  );
}

/** What the UI sees: job-updated events from the host's event stream, for one job. */
function collectJobEvents(s: { base: string; token: string }, signal: AbortSignal): { events: Array<Snapshot & { id: string }>; ready: Promise<void> } {
  const events: Array<Snapshot & { id: string }> = [];
  const ready = (async () => {
    const res = await fetch(`${s.base}/api/events`, { headers: { Authorization: `Bearer ${s.token}` }, signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffered += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffered.indexOf('\n\n')) >= 0) {
            const block = buffered.slice(0, cut);
            buffered = buffered.slice(cut + 2);
            if (!block.startsWith('data: ')) continue;
            const e = JSON.parse(block.slice(6)) as {
              type: string;
              job?: { id: string; state: string; progress: { done: number; total: number; message: string } };
            };
            if (e.type === 'job-updated' && e.job)
              events.push({ id: e.job.id, state: e.job.state, done: e.job.progress.done, total: e.job.progress.total, message: e.job.progress.message });
          }
        }
      } catch {
        // aborted at the end of the test
      }
    })();
  })();
  return { events, ready };
}

test('register-model job: progress in MB while a large pack is hashed, host answering, pack recorded once verified', async (t) => {
  const { dir, cleanup } = tempDir('register-model');
  t.after(cleanup);
  const pack = await largePack();
  t.after(pack.cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const s = await startServe(ws);
  t.after(() => s.stop());

  const stream = new AbortController();
  t.after(() => stream.abort());
  const sse = collectJobEvents(s, stream.signal);
  await sse.ready;
  const started = await api(s, 'models:register', { path: pack.dir });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const jobId = started.body.value.id as string;
  assert.equal(started.body.value.kind, 'register-model');

  let statusAnsweredWhileRunning = 0;
  const job = await jobEnd(
    s,
    jobId,
    async () => {
      const st = await api(s, 'workspace:status', {});
      if (st.status === 200 && st.body.ok) statusAnsweredWhileRunning++;
    },
    10,
  );
  // the event stream may still be delivering the last updates when jobs:get already says done
  await waitUntil('the done event on the stream', () => sse.events.some((e) => e.id === jobId && e.state === 'done'), 30_000, 10);
  const snapshots = sse.events.filter((e) => e.id === jobId);
  assert.equal(job.state, 'done', JSON.stringify(job.error));

  const running = snapshots.filter((x) => x.state === 'running' && x.total > 0);
  const expectedTotalMb = Math.round((LARGE_FILE_MB * MB + 534_197) / MB);
  assert.ok(running.length >= 1, `saw ${running.length} progress snapshots while hashing`);
  for (const x of running) assert.ok(x.total >= LARGE_FILE_MB && x.total <= expectedTotalMb + 1, `total ${x.total} MB`);
  // the last report is always sent: all of it checked (messages in between are throttled to 10 a second, so how many
  // arrive depends on the machine's speed)
  const last = running.at(-1) as Snapshot;
  assert.equal(last.done, last.total, `the last progress covers the whole pack: ${last.done} of ${last.total} MB`);
  for (let i = 1; i < running.length; i++) assert.ok((running[i] as Snapshot).done >= (running[i - 1] as Snapshot).done, 'progress never goes back');
  assert.ok(
    running.some((x) => /^Checked [\d.]+ (MB|GB) of [\d.]+ (MB|GB) \(weights\/extra-weights\.bin\)$/.test(x.message)),
    running.map((x) => x.message).join(' | '),
  );
  assert.ok(statusAnsweredWhileRunning >= 3, `host answered ${statusAnsweredWhileRunning} status calls while hashing`);

  // recorded once, with the hash list, and audited in job:done
  const listed = (await api(s, 'models:list', {})).body.value as Array<{ id: string; kind: string; path: string; files: number; bytes: number }>;
  assert.equal(listed.length, 1);
  const row = listed[0]!;
  assert.equal(row.id, job.result.packId);
  assert.equal(row.kind, 'reference');
  assert.equal(row.path, pack.dir);
  assert.equal(row.files, 4);
  assert.ok(row.bytes > LARGE_FILE_MB * MB);
  assert.equal(job.result.created, true);
  const audit = (await api(s, 'audit:list', { limit: 50 })).body.value as
    { entries: Array<{ action: string; subject: string; payload: any }> } | Array<{ action: string; subject: string; payload: any }>;
  const entries = Array.isArray(audit) ? audit : audit.entries;
  const done = entries.find((e) => e.action === 'job:done' && e.subject === jobId);
  assert.ok(done, 'job:done audited');
  assert.equal(done!.payload.result.packId, row.id);
  assert.equal(done!.payload.result.pack.manifest.files.find((f: { path: string }) => f.path === LARGE_FILE).sha256.length, 64);

  // the same pack again: nothing new
  const again = await api(s, 'models:register', { path: pack.dir });
  const second = await jobEnd(s, again.body.value.id);
  assert.equal(second.state, 'done');
  assert.equal(second.result.created, false);
  assert.equal(((await api(s, 'models:list', {})).body.value as unknown[]).length, 1);
});

test('register-model job: a changed file fails naming it; a missing folder is refused at once; cancel records nothing', async (t) => {
  const { dir, cleanup } = tempDir('register-model-bad');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const s = await startServe(ws);
  t.after(() => s.stop());

  const missing = await api(s, 'models:register', { path: join(dir, 'no-such-pack') });
  assert.equal(missing.body.ok, false);
  assert.equal(missing.body.error.code, 'model/missing-file');
  assert.match(missing.body.error.message, /no-such-pack/);

  const broken = copyPack(REFERENCE_PACK_DIR, 'broken-pack');
  t.after(broken.cleanup);
  const head = join(broken.dir, 'answer_head.onnx');
  const bytes = readFileSync(head);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
  writeFileSync(head, bytes);
  const started = await api(s, 'models:register', { path: broken.dir });
  const failed = await jobEnd(s, started.body.value.id);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.error.code, 'model/hash-mismatch');
  assert.equal(failed.error.detail.file, 'answer_head.onnx');

  // cancel: a 4 GB (sparse) file, cancelled as soon as the event stream shows hashing under way
  const large = await largePack(4096);
  t.after(large.cleanup);
  const stream = new AbortController();
  t.after(() => stream.abort());
  const sse = collectJobEvents(s, stream.signal);
  await sse.ready;
  const job = await api(s, 'models:register', { path: large.dir });
  const id = job.body.value.id as string;
  await waitUntil('hashing under way', () => sse.events.some((e) => e.id === id && e.done > 0), 60_000, 5);
  await api(s, 'jobs:cancel', { id });
  const ended = await jobEnd(s, id);
  assert.equal(ended.state, 'cancelled');
  assert.deepEqual((await api(s, 'models:list', {})).body.value, []);

  // the folder is gone before the resume: the resume is refused with the reason and the job is failed, not stuck queued
  large.cleanup();
  const resumed = await api(s, 'jobs:resume', { id });
  assert.equal(resumed.body.ok, false);
  assert.equal(resumed.body.error.code, 'model/missing-file');
  const after = (await api(s, 'jobs:get', { id })).body.value;
  assert.equal(after.state, 'failed');
  assert.equal(after.error.code, 'model/missing-file');
});

test('diagnose with a large pack shows its files being checked (bytes) before scoring starts', async (t) => {
  const { dir, cleanup } = tempDir('register-model-load');
  t.after(cleanup);
  const pack = await largePack();
  t.after(pack.cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const sample = join(REFERENCE_PACK_DIR, '..', '..', 'samples', 'medmnist', 'breastmnist.npz');
  const imported = runCli(['import', 'medmnist', sample, '--workspace', ws, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const dataset = JSON.parse(imported.stdout.trim().split('\n').at(-1) as string).dataset as string;
  const balanced = runCli(['balance', '--datasets', dataset, '--total', '60', '--split', 'source', '--workspace', ws, '--json']);
  assert.equal(balanced.code, 0, balanced.stderr);
  const version = JSON.parse(balanced.stdout.trim().split('\n').at(-1) as string).id as string;
  const s = await startServe(ws);
  t.after(() => s.stop());
  const stream = new AbortController();
  t.after(() => stream.abort());
  const sse = collectJobEvents(s, stream.signal);
  await sse.ready;

  const started = await api(s, 'runs:diagnose', { model: pack.dir, version, split: 'test' });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const jobId = started.body.value.job.id as string;
  const job = await jobEnd(s, jobId);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  await waitUntil('the done event on the stream', () => sse.events.some((e) => e.id === jobId && e.state === 'done'), 30_000, 10);
  const loading = sse.events.filter((e) => e.id === jobId && /^Loading the model pack: checked [\d.]+ (MB|GB) of its files…$/.test(e.message));
  assert.ok(
    loading.length >= 1,
    `saw ${loading.length} loading messages: ${sse.events
      .filter((e) => e.id === jobId)
      .map((e) => e.message)
      .join(' | ')}`,
  );
  const mb = loading.map((e) => Number(/checked ([\d.]+) (MB|GB)/.exec(e.message)![1]) * (/GB/.test(e.message) ? 1024 : 1));
  for (let i = 1; i < mb.length; i++) assert.ok((mb[i] as number) >= (mb[i - 1] as number), 'bytes checked only grow');
  assert.ok((mb.at(-1) as number) <= LARGE_FILE_MB + 1);
});
