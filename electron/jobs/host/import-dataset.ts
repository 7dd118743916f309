// The host half of this job kind (its worker half: electron/jobs/worker/import-dataset.ts).
// Import job. Worker: streams the source's events, stores each image as a PNG blob plus a thumbnail (content-addressed,
// idempotent), and hands items and issues to the host in small checkpoints. Host: inserts them with the new cursor
// in one transaction, and on done marks the dataset ready. Resume skips the events already committed.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import { ImportSource } from '../../../shared/api/datasets.ts';
import { defaultDatasetName } from '../../importers/open-source.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { ReadDb } from '../../storage/sql-handles.ts';
import { recordImageBlob } from '../../storage/repositories/blobs.ts';
import {
  datasetIdOfImportJob,
  datasetImportById,
  datasetJobById,
  insertImportingDataset,
  markDatasetReady,
  restartDatasetImport,
  setDatasetDeidentification,
} from '../../storage/repositories/datasets.ts';
import { countIssuesBySeverity, deleteIssuesOfDataset, insertImportIssue } from '../../storage/repositories/import-issues.ts';
import { countDuplicateImagesOfDataset, countItemsOfDataset, deleteItemsOfDataset, insertItem } from '../../storage/repositories/items.ts';
import { insertPseudonymKeyIfMissing, pseudonymKey } from '../../storage/repositories/workspace-secrets.ts';
import type { Input, Output } from '../worker/import-dataset.ts';

const DATASET_ID_HEX = 12;

/** An import job's parameters: the request (preflighted: its MedMNIST task resolved) and its content id (source-fingerprint.ts). */
export type ImportJobParams = ImportSource & { contentId: string };

const ContentId = z.string().regex(/^[0-9a-f]{64}$/);

export const ImportJobParams = z.discriminatedUnion(
  'source',
  ImportSource.options.map((o) => o.extend({ contentId: ContentId })) as unknown as typeof ImportSource.options,
) as unknown as z.ZodType<ImportJobParams>;

/**
 * Dataset ids derive from the imported content and options (electron/importers/source-fingerprint.ts), not from the
 * file name, --name, the machine or earlier attempts: the same bytes imported anywhere get the same dataset, item and
 * version ids. (DICOM items are keyed with the workspace's pseudonym secret, so their item ids differ per workspace.)
 */
export function datasetId(contentId: string): string {
  return `ds-${contentId.slice(0, DATASET_ID_HEX)}`;
}

export function itemId(datasetId: string, sourceKey: string): string {
  return `it-${createHash('sha256').update(`${datasetId}\u0000${sourceKey}`).digest('hex').slice(0, 24)}`;
}

/** The dataset a running import job fills (its job created it, and no later import of the same content can start while it runs). */
function datasetOfRunningImport(db: ReadDb, jobId: string): string {
  const dataset = datasetIdOfImportJob(db, jobId);
  if (dataset === undefined) throw new Error(`There is no dataset for import job ${jobId}.`);
  return dataset;
}

export const importDatasetHandler: JobKindHandler<ImportJobParams> = {
  kind: 'import',
  params: ImportJobParams,
  create(_ws, jobId, params, tx) {
    // The per-workspace key for patient pseudonyms and replacement UIDs: made once, never leaves the workspace.
    insertPseudonymKeyIfMissing(tx, randomBytes(32), new Date().toISOString());
    const dataset = datasetId(params.contentId);
    const { contentId: _contentId, ...request } = params;
    const earlier = datasetImportById(tx, dataset);
    const now = new Date().toISOString();
    if (earlier) {
      // An earlier attempt at the same content that did not finish (DatasetsService answers ready and running ones):
      // this attempt takes its id over, so a failure never shifts ids. What it had committed is cleared.
      if (earlier.state === 'ready') throw new AppError('conflict', `Dataset ${dataset} is already imported.`, { dataset });
      deleteItemsOfDataset(tx, dataset);
      deleteIssuesOfDataset(tx, dataset);
      restartDatasetImport(tx, { id: dataset, name: defaultDatasetName(request), params: request, jobId, createdAt: now });
      return { dataset, contentId: params.contentId, replacesAttempt: earlier.job_id };
    }
    insertImportingDataset(tx, { id: dataset, name: defaultDatasetName(request), source: params.source, params: request, jobId, createdAt: now });
    return { dataset, contentId: params.contentId };
  },
  prepareInput(ws, jobId, params): Input {
    const dataset = datasetIdOfImportJob(ws.read, jobId);
    if (dataset === undefined) {
      // A later import of the same content took this attempt's dataset over (create above).
      const later = params.contentId ? datasetJobById(ws.read, datasetId(params.contentId)) : undefined;
      throw new AppError(
        'import/replaced',
        later
          ? `This import was replaced by a later import of the same content (dataset ${later.id}, job ${later.job_id}).`
          : `There is no dataset for import job ${jobId}.`,
        { job: jobId },
      );
    }
    const secret = pseudonymKey(ws.read);
    if (!secret) throw new Error('workspace secret missing');
    return { datasetId: dataset, secretHex: secret.toString('hex') };
  },
  applyCheckpoint(_ws, ctx, raw, tx) {
    const output = raw as Output;
    const dataset = datasetOfRunningImport(tx, ctx.jobId);
    const now = new Date().toISOString();
    for (const s of output.items) {
      if (s.image) {
        recordImageBlob(tx, s.image.hash, s.image.size, now);
        recordImageBlob(tx, s.image.thumb, s.image.thumbSize, now);
      }
      insertItem(tx, { id: itemId(dataset, s.draft.sourceKey), datasetId: dataset, draft: s.draft, image: s.image, extra: s.extra });
    }
    for (const i of output.issues) insertImportIssue(tx, dataset, i);
    if (output.deidentification) setDatasetDeidentification(tx, dataset, output.deidentification);
  },
  summarise(_ws, jobId, _result, tx) {
    const dataset = datasetOfRunningImport(tx, jobId);
    const duplicates = countDuplicateImagesOfDataset(tx, dataset);
    const warnings = countIssuesBySeverity(tx, dataset, 'warning');
    markDatasetReady(tx, dataset, duplicates, warnings);
    return {
      dataset,
      imported: countItemsOfDataset(tx, dataset),
      rejected: countIssuesBySeverity(tx, dataset, 'rejection'),
      quarantined: countIssuesBySeverity(tx, dataset, 'quarantine'),
      duplicates,
      warnings,
    };
  },
};
