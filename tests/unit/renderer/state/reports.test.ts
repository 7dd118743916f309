import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { deferred, FakeClient, fail, ok } from './fake-client.ts';
import { generated, reportVersion, study } from './fixtures.ts';

registerSvelteRunes();
const { ReportsState } = await import('../../../../renderer/src/lib/state/study/reports.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

function setup() {
  const client = new FakeClient();
  const activity = new StudyActivityState();
  let saved = 0;
  const reports = new ReportsState(client, activity, () => saved++);
  return { client, activity, reports, saved: () => saved };
}

test('creating a study chooses it, clears what was generated for the previous one, stores it and lists the studies again', async () => {
  const { client, activity, reports, saved } = setup();
  activity.error = { code: 'old', message: 'an earlier failure' };
  reports.study = 's0';
  reports.generated = generated('rep0', 's0');
  reports.reports = [reportVersion('rep0', 's0')];
  client.answer('studies:create', ok(study('s1', ['r-diag', 'r-probe'])));
  client.answer('studies:list', ok([study('s1', ['r-diag', 'r-probe']), study('s0')]));
  assert.equal(await reports.createStudy('Chest study', 'research only', ['r-diag', 'r-probe']), true);
  assert.equal(reports.study, 's1');
  assert.equal(reports.generated, null);
  assert.deepEqual(reports.reports, []);
  assert.deepEqual(
    reports.studies.map((s) => s.id),
    ['s1', 's0'],
  );
  assert.equal(activity.error, null);
  assert.equal(saved(), 1);
  assert.deepEqual(client.inputs('studies:create'), [{ name: 'Chest study', runs: ['r-diag', 'r-probe'], intendedUse: 'research only' }]);
});

test('a refused study keeps the chosen one and puts the host’s error (with its detail) in the study; no runs = no call', async () => {
  const { client, activity, reports, saved } = setup();
  reports.study = 's0';
  assert.equal(await reports.createStudy('x', 'y', []), false);
  assert.equal(client.calls.length, 0);
  client.answer('studies:create', { ok: false, error: { code: 'input/invalid', message: 'Name too short.', detail: { field: 'name' } } });
  assert.equal(await reports.createStudy('x', 'research', ['r1']), false);
  assert.equal(reports.study, 's0');
  assert.deepEqual(activity.error, { code: 'input/invalid', message: 'Name too short.', detail: { field: 'name' } });
  assert.equal(saved(), 0);
});

test('generating a report keeps it and reloads the versions and studies; one at a time', async () => {
  const { client, reports } = setup();
  reports.study = 's1';
  const answer = deferred<ReturnType<typeof ok<ReturnType<typeof generated>>>>();
  client.answer('reports:generate', () => answer.promise);
  client.answer('reports:list', ok([reportVersion('rep1', 's1')]));
  client.answer('studies:list', ok([study('s1')]));
  const running = reports.generateReport();
  assert.equal(reports.generating, true);
  await reports.generateReport();
  assert.equal(client.inputs('reports:generate').length, 1, 'a second click while writing starts nothing');
  answer.resolve(ok(generated('rep1', 's1')));
  await running;
  assert.equal(reports.generating, false);
  assert.equal(reports.generated?.id, 'rep1');
  assert.deepEqual(
    reports.reports.map((r) => r.id),
    ['rep1'],
  );
  assert.deepEqual(client.inputs('reports:generate'), [{ study: 's1', pdf: true }]);
  assert.deepEqual(client.inputs('reports:list'), [{ study: 's1' }]);
});

test('a failed generation leaves nothing generated and the error in the study; without a study nothing is asked', async () => {
  const { client, activity, reports } = setup();
  await reports.generateReport();
  assert.equal(client.calls.length, 0);
  reports.study = 's1';
  client.answer('reports:generate', fail('report/pdf-failed', 'Chromium could not print the PDF.'));
  await reports.generateReport();
  assert.equal(reports.generated, null);
  assert.equal(reports.generating, false);
  assert.deepEqual(activity.error, { code: 'report/pdf-failed', message: 'Chromium could not print the PDF.' });
});

test('choosing a study stores it, drops the generated report and loads its versions', async () => {
  const { client, reports, saved } = setup();
  reports.generated = generated('rep0', 's0');
  client.answer('reports:list', ok([reportVersion('rep2', 's2', 2, true), reportVersion('rep1', 's2')]));
  reports.selectStudy('s2');
  assert.equal(reports.study, 's2');
  assert.equal(reports.generated, null);
  assert.equal(saved(), 1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    reports.reports.map((r) => r.version),
    [2, 1],
  );
});

test('a comment or a signature reloads the versions; a refused one reports false with the error kept', async () => {
  const { client, activity, reports } = setup();
  reports.study = 's1';
  client.answer('reports:comment', ok(reportVersion('rep1', 's1')));
  client.answer('reports:list', ok([reportVersion('rep1', 's1', 1, true)]));
  assert.equal(await reports.comment('rep1', 'Dr. A', 'Looks right.'), true);
  assert.equal(reports.reviewing, false);
  assert.equal(reports.reports[0]?.signed, true);
  client.answer('reports:sign', fail('report/already-signed', 'Version 1 is signed already.'));
  assert.equal(await reports.sign('rep1', 'Dr. A', 'Reviewer', 'reviewed'), false);
  assert.deepEqual(activity.error, { code: 'report/already-signed', message: 'Version 1 is signed already.' });
  assert.equal(reports.reviewing, false);
  assert.deepEqual(client.names, ['reports:comment', 'reports:list', 'reports:sign']);
});

test('reset forgets the chosen study and its reports (a new diagnosis starts a new study)', () => {
  const { reports } = setup();
  reports.study = 's1';
  reports.reports = [reportVersion('rep1', 's1')];
  reports.generated = generated('rep1', 's1');
  reports.reset();
  assert.equal(reports.study, null);
  assert.deepEqual(reports.reports, []);
  assert.equal(reports.generated, null);
});
