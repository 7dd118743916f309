import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunDetail } from '../../../../shared/api/runs.ts';
import { FakeClient, ok, settle } from './fake-client.ts';
import { detail, PACK, pack, reportVersion, study as studyRecord, VERSION, VISION_PACK } from './fixtures.ts';
import { StudyState } from './study-setup.ts';

const { STORAGE_KEY } = await import('../../../../renderer/src/lib/state/study/stored-study.ts');

/** A localStorage for the test (Node has none): the study's reopen shortcut is written here. */
function fakeStorage(): Map<string, string> {
  const items = new Map<string, string>();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
  return items;
}

function workspace(runs: RunDetail[]) {
  const client = new FakeClient();
  client.answer('models:list', ok([pack(PACK), pack(VISION_PACK, 'vision')]));
  client.answer('runs:list', ok(runs.map(({ config: _c, environment: _e, metrics: _m, cache: _h, recommendation: _r, ...s }) => s)));
  client.answer(
    'studies:list',
    ok([
      studyRecord(
        's-1',
        runs.map((r) => r.id),
      ),
    ]),
  );
  client.answer('runs:get', (input) => {
    const d = runs.find((r) => r.id === input.id);
    return d ? ok(d) : { ok: false, error: { code: 'run/not-found', message: `No run ${input.id}.` } };
  });
  client.answer('runs:events', ok([]));
  client.answer('reports:list', ok([reportVersion('rep-1', 's-1')]));
  return client;
}

test('a stored study is reopened: its choices and runs come back, ids this workspace does not know are dropped', async () => {
  const items = fakeStorage();
  items.set(
    `${STORAGE_KEY}:/ws`,
    JSON.stringify({
      model: PACK,
      version: VERSION,
      split: 'test',
      runs: { diagnosis: 'r-diag', probe: 'r-gone' },
      study: 's-1',
      visionModel: VISION_PACK,
      visionProbe: 'r-gone-too',
    }),
  );
  const client = workspace([detail('r-diag', { split: 'test' })]);
  const study = new StudyState(client, () => {});
  await study.restore('/ws');
  await settle();
  assert.equal(study.restored, true);
  assert.deepEqual([study.selection.model, study.selection.version, study.selection.split, study.selection.visionModel], [PACK, VERSION, 'test', VISION_PACK]);
  assert.equal(study.runs.ids.diagnosis, 'r-diag');
  assert.equal(study.runs.ids.probe, null);
  assert.equal(study.runs.visionProbe, null);
  assert.equal(study.reports.study, 's-1');
  assert.deepEqual(
    study.reports.reports.map((r) => r.id),
    ['rep-1'],
  );
  const saved = JSON.parse(items.get(`${STORAGE_KEY}:/ws`) ?? '{}');
  assert.equal(saved.runs.probe, null, 'the cleaned study is stored again');
  // Restoring the same workspace again asks nothing.
  const n = client.calls.length;
  await study.restore('/ws');
  assert.equal(client.calls.length, n);
});

test('without a store the study is rebuilt from the newest runs of each role, and the picker takes the diagnosis’s split', async () => {
  fakeStorage();
  const runs = [
    detail('r-gd', { adapter: 'r-grpo', config: { adapter: 'r-grpo' }, createdAt: '2026-01-05T00:00:00.000Z' }),
    detail('r-grpo', { kind: 'grpo', createdAt: '2026-01-04T00:00:00.000Z' }),
    detail('r-sd', { adapter: 'r-sft', config: { adapter: 'r-sft' }, createdAt: '2026-01-03T00:00:00.000Z' }),
    detail('r-sft', { kind: 'sft', createdAt: '2026-01-02T00:00:00.000Z' }),
    detail('r-probe', { kind: 'probe', createdAt: '2026-01-01T00:00:01.000Z' }),
    detail('r-diag', { split: 'all', createdAt: '2026-01-01T00:00:00.000Z' }),
  ];
  const client = workspace(runs);
  const study = new StudyState(client, () => {});
  await study.restore('/ws');
  assert.deepEqual(study.runs.ids, { diagnosis: 'r-diag', probe: 'r-probe', sft: 'r-sft', sftDiagnosis: 'r-sd', grpo: 'r-grpo', grpoDiagnosis: 'r-gd' });
  assert.equal(study.selection.model, PACK);
  assert.equal(study.selection.version, VERSION);
  assert.equal(study.selection.split, 'all');
  assert.equal(study.reports.study, 's-1', 'the newest study record');
  assert.equal(study.readyToTrain, true);
});

test('an empty workspace restores to the first pack that answers, with nothing ready to train', async () => {
  const items = fakeStorage();
  const client = workspace([]);
  const study = new StudyState(client, () => {});
  await study.restore('/empty');
  assert.equal(study.selection.model, PACK);
  assert.equal(study.selection.visionModel, null);
  assert.equal(study.readyToTrain, false);
  assert.deepEqual(Object.values(study.runs.ids), [null, null, null, null, null, null]);
  study.selection.selectSplit('train');
  assert.equal(JSON.parse(items.get(`${STORAGE_KEY}:/empty`) ?? '{}').split, 'train', 'a choice is stored under the workspace');
});
