// A StudyState (the composed study) over a FakeClient, for the specs of the states that work through the others
// (diagnosis, training, the run follower, restoring a study).
import type { Job } from '../../../../shared/api/jobs.ts';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { FakeClient, ok } from './fake-client.ts';
import { PACK, pack, VERSION, VISION_PACK } from './fixtures.ts';

registerSvelteRunes();
const { StudyState } = await import('../../../../renderer/src/lib/state/study.svelte.ts');

export type Study = InstanceType<typeof StudyState>;

/** A study with a pack and a version chosen (and a vision-only pack registered, not chosen); `shown` gets every job the study hands to the jobs list. */
export function studyWithSelection(): { client: FakeClient; study: Study; shown: Job[] } {
  const client = new FakeClient();
  const shown: Job[] = [];
  const study = new StudyState(client, (job) => shown.push(job));
  study.catalog.models = [pack(PACK), pack(VISION_PACK, 'vision')];
  study.selection.model = PACK;
  study.selection.version = VERSION;
  client.answer('runs:list', ok([]));
  return { client, study, shown };
}

export { StudyState };
