// The service method answering each call of the contract. TypeScript checks this table covers every call
// with the right input and output types.
import type { CallName, CallOutput, Calls } from '../../shared/api/index.ts';
import type { z } from 'zod';
import type { Core } from './core.ts';
import { packFolder } from '../models/pack-folder.ts';
import { checkConversionRequest } from '../models/convert/conversion-request.ts';
import { inspectPath } from '../importers/inspect-path.ts';

export interface CallContext {
  /** Who asked: recorded as the audit actor. */
  actor: string;
}

export type Handlers = {
  [N in CallName]: (input: z.output<Calls[N]['input']>, ctx: CallContext) => CallOutput<N> | Promise<CallOutput<N>>;
};

export function createHandlers(core: Core): Handlers {
  return {
    'workspace:status': () => core.workspaceService.status(),
    'blobs:add': (input, ctx) => core.workspaceService.addBlobs(input.paths, input.mediaType, ctx.actor),
    'jobs:list': (input) => core.jobs.list(input.state, input.limit),
    'jobs:get': (input) => core.jobs.get(input.id),
    'jobs:start': (input, ctx) => core.jobs.start(input.kind, input.params, ctx.actor),
    'jobs:cancel': (input, ctx) => core.jobs.cancel(input.id, ctx.actor),
    'jobs:resume': (input, ctx) => core.jobs.resume(input.id, ctx.actor),
    'audit:list': (input) => core.ws.audit.list(input),
    'audit:verify': () => core.ws.audit.verify(),
    'datasets:import': (input, ctx) => core.datasets.import(input, ctx.actor),
    'datasets:list': () => core.datasets.list(),
    'datasets:get': (input) => core.datasets.get(input.id, input.rejectionsLimit),
    'datasets:delete': (input, ctx) => core.datasets.delete(input.id, ctx.actor),
    'items:list': (input) => core.datasets.items(input),
    'items:facets': (input) => core.datasets.facets(input),
    'items:image': (input) => core.datasets.image(input.hash),
    'modality:override': (input, ctx) => core.datasets.overrideModality(input.items, input.modality, input.reason, ctx.actor),
    'modality:label': (input, ctx) => core.jobs.start('label-modality', { datasetId: input.datasetId, threshold: input.threshold }, ctx.actor),
    'versions:preview': (input) => core.versions.preview(input),
    'versions:create': (input, ctx) => core.versions.create(input, ctx.actor),
    'versions:list': () => core.versions.list(),
    'versions:show': (input) => core.versions.show(input.id),
    'versions:removed': (input) => core.versions.removedDuplicates(input.id, input.reason, input.offset, input.limit),
    'paths:inspect': (input) => inspectPath(input.path),
    'models:add': (input, ctx) => core.models.add(input.path, ctx.actor),
    'models:register': (input, ctx) => core.jobs.start('register-model', { path: packFolder(input.path) }, ctx.actor),
    'models:register-reference': (_input, ctx) => core.jobs.start('register-model', { path: core.referencePackDir }, ctx.actor),
    'models:convert': async (input, ctx) => {
      await checkConversionRequest(input);
      return core.jobs.start('convert-model', input, ctx.actor);
    },
    'models:list': () => core.models.list(),
    'runs:diagnose': (input, ctx) => core.runs.diagnose(input, ctx.actor),
    'runs:probe': (input, ctx) => core.runs.probe(input, ctx.actor),
    'runs:list': (input) => core.runs.list(input),
    'runs:get': (input) => core.runs.get(input.id),
    'runs:items': (input) => core.runs.items(input),
    'runs:recommend': (input, ctx) => core.runs.recommend(input, ctx.actor),
    'runs:compare': (input) => core.runs.compare(input),
    'training:start': (input, ctx) => core.training.start(input, ctx.actor),
    'training:transfer': (input, ctx) => core.training.transfer(input, ctx.actor),
    'runs:events': (input) => core.training.events(input),
    'training:export': (input, ctx) => core.training.exportJob(input, ctx.actor),
    'training:export-onnx': (input, ctx) => core.training.exportOnnx(input, ctx.actor),
    'training:import': (input, ctx) => core.training.importRun(input.dir, ctx.actor),
    'studies:create': (input, ctx) => core.studies.create(input, ctx.actor),
    'studies:list': () => core.studies.list(),
    'reports:generate': (input, ctx) => core.reports.generate(input, ctx.actor),
    'reports:list': (input) => core.reports.list(input.study),
    'reports:comment': (input, ctx) => core.reports.comment(input, ctx.actor),
    'reports:sign': (input, ctx) => core.reports.sign(input, ctx.actor),
    'reports:verify': (input) => core.reports.verify(input.dir),
  };
}
