// Every migration, in order. A new one is a new file here and one line below.
import type { Migration } from '../migration.ts';
import { migration as auditLog } from './0010-audit-log.ts';
import { migration as blobs } from './0020-blobs.ts';
import { migration as jobs } from './0030-jobs.ts';
import { migration as datasets } from './0040-datasets.ts';
import { migration as datasetVersions } from './0050-dataset-versions.ts';
import { migration as modelsAndRuns } from './0060-models-and-runs.ts';
import { migration as studies } from './0080-studies.ts';
import { migration as auditSignatures } from './0100-audit-signatures.ts';
import { migration as blobReplacements } from './0110-blob-replacements.ts';
import { migration as itemFacetsIndex } from './0120-item-facets-index.ts';

export const MIGRATIONS: readonly Migration[] = [
  auditLog,
  blobs,
  jobs,
  datasets,
  datasetVersions,
  modelsAndRuns,
  studies,
  auditSignatures,
  blobReplacements,
  itemFacetsIndex,
];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
