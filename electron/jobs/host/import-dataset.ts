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

export const importDatasetHandler: JobKindHandler<ImportJobParams> = {
  kind: 'import',
  params: ImportJobParams,
  create(ws, jobId, params) {
    // The per-workspace key for patient pseudonyms and replacement UIDs: made once, never leaves the workspace.
    ws.db.prepare("INSERT OR IGNORE INTO workspace_secrets (name, value, created_at) VALUES ('pseudonym-key', ?, ?)").run(randomBytes(32), new Date().toISOString());
    const dataset = datasetId(params.contentId);
    const { contentId: _contentId, ...request } = params;
    const earlier = ws.db.prepare('SELECT state, job_id FROM datasets WHERE id = ?').get(dataset) as { state: string; job_id: string | null } | undefined;
    const now = new Date().toISOString();
    if (earlier) {
      // An earlier attempt at the same content that did not finish (DatasetsService answers ready and running ones):
      // this attempt takes its id over, so a failure never shifts ids. What it had committed is cleared.
      if (earlier.state === 'ready') throw new AppError('conflict', `Dataset ${dataset} is already imported.`, { dataset });
      ws.db.prepare('DELETE FROM items WHERE dataset_id = ?').run(dataset);
      ws.db.prepare('DELETE FROM import_issues WHERE dataset_id = ?').run(dataset);
      ws.db.prepare("UPDATE datasets SET name = ?, params = ?, state = 'importing', job_id = ?, deidentification = NULL, warnings = 0, duplicates = 0, created_at = ? WHERE id = ?")
        .run(defaultDatasetName(request), JSON.stringify(request), jobId, now, dataset);
      return { dataset, contentId: params.contentId, replacesAttempt: earlier.job_id };
    }
    ws.db.prepare("INSERT INTO datasets (id, name, source, params, state, job_id, created_at) VALUES (?, ?, ?, ?, 'importing', ?, ?)")
      .run(dataset, defaultDatasetName(request), params.source, JSON.stringify(request), jobId, now);
    return { dataset, contentId: params.contentId };
  },
  prepareInput(ws, jobId, params): Input {
    const row = ws.db.prepare('SELECT id FROM datasets WHERE job_id = ?').get(jobId) as { id: string } | undefined;
    if (!row) {
      // A later import of the same content took this attempt's dataset over (create above).
      const later = params.contentId ? (ws.db.prepare('SELECT id, job_id FROM datasets WHERE id = ?').get(datasetId(params.contentId)) as { id: string; job_id: string } | undefined) : undefined;
      throw new AppError('import/replaced', later ? `This import was replaced by a later import of the same content (dataset ${later.id}, job ${later.job_id}).` : `There is no dataset for import job ${jobId}.`, { job: jobId });
    }
    const secret = ws.db.prepare("SELECT value FROM workspace_secrets WHERE name = 'pseudonym-key'").get() as { value: Buffer } | undefined;
    if (!secret) throw new Error('workspace secret missing');
    return { datasetId: row.id, secretHex: secret.value.toString('hex') };
  },
  applyCheckpoint(ws, ctx, raw) {
    const output = raw as Output;
    const dataset = (ws.db.prepare('SELECT id FROM datasets WHERE job_id = ?').get(ctx.jobId) as { id: string }).id;
    const now = new Date().toISOString();
    const blob = ws.db.prepare("INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, 'image/png', ?)");
    const item = ws.db.prepare(`INSERT INTO items (id, dataset_id, source_key, question, options, correct, answer, kind, modality, modality_source,
      modality_confidence, task, benchmark, question_type, source_split, patient, option_seed, image_hash, thumb_hash, phash, width, height, extra)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const issue = ws.db.prepare('INSERT INTO import_issues (dataset_id, severity, file, row, code, reason) VALUES (?, ?, ?, ?, ?, ?)');
    for (const s of output.items) {
      const d = s.draft;
      if (s.image) {
        blob.run(s.image.hash, s.image.size, now);
        blob.run(s.image.thumb, s.image.thumbSize, now);
      }
      item.run(itemId(dataset, d.sourceKey), dataset, d.sourceKey, d.question, JSON.stringify(d.options), d.correct, d.answer, d.kind, d.modality, d.modalitySource,
        d.modalityConfidence, d.task, d.benchmark, d.questionType, d.sourceSplit, d.patient, d.optionSeed, s.image?.hash ?? null, s.image?.thumb ?? null,
        s.image?.phash ?? null, s.image?.width ?? null, s.image?.height ?? null, JSON.stringify(s.extra));
    }
    for (const i of output.issues) issue.run(dataset, i.severity, i.file, i.row, i.code, i.reason);
    if (output.deidentification) ws.db.prepare('UPDATE datasets SET deidentification = ? WHERE id = ?').run(JSON.stringify(output.deidentification), dataset);
  },
  summarise(ws, jobId) {
    const dataset = (ws.db.prepare('SELECT id FROM datasets WHERE job_id = ?').get(jobId) as { id: string }).id;
    const count = (sql: string) => (ws.db.prepare(sql).get(dataset) as { n: number }).n;
    const duplicates = count('SELECT count(*) - count(DISTINCT image_hash) AS n FROM items WHERE dataset_id = ? AND image_hash IS NOT NULL');
    const warnings = count("SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = 'warning'");
    ws.db.prepare("UPDATE datasets SET state = 'ready', duplicates = ?, warnings = ? WHERE id = ?").run(duplicates, warnings, dataset);
    return {
      dataset,
      imported: count('SELECT count(*) AS n FROM items WHERE dataset_id = ?'),
      rejected: count("SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = 'rejection'"),
      quarantined: count("SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = 'quarantine'"),
      duplicates,
      warnings,
    };
  },
};
