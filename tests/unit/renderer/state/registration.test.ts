import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../../../shared/api/jobs.ts';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { deferred, FakeClient, fail, ok, settle } from './fake-client.ts';
import { job, PACK, pack, VISION_PACK } from './fixtures.ts';

registerSvelteRunes();
const { RegistrationState } = await import('../../../../renderer/src/lib/state/study/registration.svelte.ts');
const { ModelCatalogState } = await import('../../../../renderer/src/lib/state/study/model-catalog.svelte.ts');
const { StudySelectionState } = await import('../../../../renderer/src/lib/state/study/selection.svelte.ts');
const { StudyActivityState } = await import('../../../../renderer/src/lib/state/study/activity.svelte.ts');

const NEW_PACK = 'd'.repeat(64);
const FOLDER = '/packs/new';

function setup() {
  const client = new FakeClient();
  const activity = new StudyActivityState();
  const catalog = new ModelCatalogState(client, activity);
  let saved = 0;
  const persist = () => saved++;
  const selection = new StudySelectionState(catalog, persist);
  const shown: Job[] = [];
  const registration = new RegistrationState(client, { activity, catalog, selection, onJob: (j) => shown.push(j), persist });
  return { client, activity, catalog, selection, registration, shown, saved: () => saved };
}

const folder = (kind: 'missing' | 'folder') => ({
  path: FOLDER,
  kind,
  content: kind === 'missing' ? null : ('other-folder' as const),
  sampled: 0,
  dicom: 0,
  images: 0,
  other: 0,
  classFolders: [],
  complete: true,
});

test('a folder the host finds missing is refused at the field of the picker it was typed into; no job starts', async () => {
  const { client, registration } = setup();
  client.answer('paths:inspect', ok(folder('missing')));
  assert.equal(await registration.registerModel(FOLDER, 'vision'), false);
  assert.equal(registration.packPathError?.target, 'vision');
  assert.match(registration.packPathError?.message ?? '', /^Nothing is at \/packs\/new\./);
  assert.equal(registration.registering, false);
  assert.deepEqual(client.names, ['paths:inspect']);
  // A failed inspection shows the host's message there too.
  client.answer('paths:inspect', fail('path/unreadable', 'Permission denied.'));
  await registration.registerModel(FOLDER);
  assert.deepEqual(registration.packPathError, { target: 'diagnosis', message: 'Permission denied.' });
});

test('a registration is followed to its end: the new pack is listed and chosen as the diagnosis model, and stored', async () => {
  const { client, activity, registration, selection, shown, saved } = setup();
  activity.error = { code: 'old', message: 'earlier' };
  client.answer('paths:inspect', ok(folder('folder')));
  client.answer('models:register', ok(job('j-reg', { kind: 'register-model' })));
  assert.equal(await registration.registerModel(FOLDER), true);
  assert.equal(registration.packPathError, null);
  assert.equal(registration.registering, true);
  assert.equal(registration.registration?.id, 'j-reg');
  assert.equal(activity.error, null);
  assert.deepEqual(
    shown.map((j) => j.id),
    ['j-reg'],
  );
  assert.deepEqual(client.inputs('models:register'), [{ path: FOLDER }]);

  registration.onJob(job('j-reg', { kind: 'register-model', progress: { done: 2, total: 5, rate: 1, etaSeconds: 3, message: 'Hashing weights' } }));
  assert.equal(registration.registration?.progress.message, 'Hashing weights');
  client.answer('models:list', ok([pack(PACK), pack(NEW_PACK, 'vlm')]));
  registration.onJob(job('j-reg', { kind: 'register-model', state: 'done', updatedAt: '2026-01-01T00:01:00.000Z', result: { packId: NEW_PACK } }));
  await settle();
  assert.equal(registration.registering, false);
  assert.equal(selection.model, NEW_PACK);
  assert.equal(saved(), 1);
});

test('a vision-only pack registered from the vision picker becomes the vision pack, never the diagnosis model', async () => {
  const { client, registration, selection } = setup();
  selection.model = PACK;
  client.answer('paths:inspect', ok(folder('folder')));
  client.answer('models:register', ok(job('j-vis', { kind: 'register-model' })));
  await registration.registerModel(FOLDER, 'vision');
  client.answer('models:list', ok([pack(PACK), pack(VISION_PACK, 'vision')]));
  registration.onJob(job('j-vis', { kind: 'register-model', state: 'done', updatedAt: '2026-01-01T00:01:00.000Z', result: { packId: VISION_PACK } }));
  await settle();
  assert.equal(selection.visionModel, VISION_PACK);
  assert.equal(selection.model, PACK);
});

test('a job that ended before the start call answered is taken as ended (the pushed copy is newer)', async () => {
  const { client, registration, selection } = setup();
  const answer = deferred<ReturnType<typeof ok<Job>>>();
  client.answer('models:register-reference', () => answer.promise);
  client.answer('models:list', ok([pack(PACK)]));
  const starting = registration.registerModel();
  assert.equal(registration.registering, true);
  registration.onJob(job('j-ref', { kind: 'register-model', state: 'done', updatedAt: '2026-01-01T00:00:05.000Z', result: { packId: PACK } }));
  answer.resolve(ok(job('j-ref', { kind: 'register-model', state: 'running' })));
  assert.equal(await starting, true);
  assert.equal(registration.registration?.state, 'done');
  assert.equal(registration.registering, false);
  assert.equal(selection.model, PACK);
});

test('a failed registration puts its error in the study; a refused start leaves nothing registering', async () => {
  const { client, activity, registration } = setup();
  client.answer('models:convert', fail('convert/not-a-model', 'No config.json in /hf.'));
  assert.equal(await registration.convertModel('/hf', '/packs/out'), false);
  assert.equal(registration.registering, false);
  assert.deepEqual(activity.error, { code: 'convert/not-a-model', message: 'No config.json in /hf.' });
  assert.deepEqual(client.inputs('models:convert'), [{ source: '/hf', out: '/packs/out', dtype: 'fp32' }]);

  client.answer('models:convert', ok(job('j-conv', { kind: 'convert-model' })));
  await registration.convertModel('/hf', '/packs/out');
  const error = { code: 'convert/failed', message: 'The converter stopped.' };
  registration.onJob(job('j-conv', { kind: 'convert-model', state: 'failed', error }));
  await settle();
  assert.equal(registration.registering, false);
  assert.deepEqual(activity.error, error);
  assert.equal(client.inputs('models:list').length, 0, 'a failed job adds no pack');
});

test('only one registration at a time; another client’s finished registration still lists its pack', async () => {
  const { client, registration, selection } = setup();
  client.answer('models:register-reference', ok(job('j-1', { kind: 'register-model' })));
  await registration.registerModel();
  assert.equal(await registration.registerModel(), false);
  assert.equal(client.inputs('models:register-reference').length, 1);
  client.answer('models:list', ok([pack(NEW_PACK)]));
  registration.onJob(job('j-other', { kind: 'register-model', state: 'done', result: { packId: NEW_PACK } }));
  await settle();
  assert.equal(client.inputs('models:list').length, 1);
  assert.equal(selection.model, NEW_PACK, 'with no model chosen yet the new pack is taken');
  assert.equal(registration.registering, true, 'ours is still running');
});
