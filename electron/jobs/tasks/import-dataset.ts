// Import job. Worker: streams the source's events, stores each image as a PNG blob plus a thumbnail (content-addressed,
// idempotent), and hands items and issues to the host in small checkpoints. Host: inserts them with the new cursor
// in one transaction, and on done marks the dataset ready. Resume skips the events already committed.
import sharp from 'sharp';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import { ImportSource } from '../../../shared/api/datasets.ts';
import type { ItemDraft } from '../../../shared/items.ts';
import { dHash, encodePng, hashToHex, type Issue as ReadIssue } from '../../formats/index.ts';
import { defaultDatasetName, openSource } from '../../importers/open-source.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { WorkerTask } from '../worker-task.ts';

const CHECKPOINT_EVERY_EVENTS = 50;
const CHECKPOINT_EVERY_MS = 1000;
export const THUMBNAIL_SIDE = 96;
const DATASET_ID_HEX = 12;

type Cursor = { consumed: number; imported: number };
type Input = { datasetId: string; secretHex: string };

interface StoredItem {
  draft: ItemDraft;
  image: { hash: string; size: number; thumb: string; thumbSize: number; phash: string; width: number; height: number } | null;
  extra: Record<string, string>;
}
interface Issue { severity: 'rejection' | 'warning' | 'quarantine'; file: string; row: number | null; code: string; reason: string }
interface Output { items: StoredItem[]; issues: Issue[]; deidentification: Record<string, unknown> | null }

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

async function storeImage(store: BlobStore, image: { width: number; height: number; channels: 1 | 3; data: Uint8Array }) {
  const png = await encodePng(image);
  const main = store.put(png);
  const thumbPng = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 9 })
    .toBuffer();
  const thumb = store.put(new Uint8Array(thumbPng));
  return { hash: main.hash, size: main.size, thumb: thumb.hash, thumbSize: thumb.size, phash: hashToHex(dHash(image)), width: image.width, height: image.height };
}

/** The paths an import reads, for messages. */
function sourceLabel(params: ImportSource): string {
  return [params.path, 'images' in params ? params.images : undefined, 'labels' in params ? params.labels : undefined].filter((p): p is string => typeof p === 'string').join(' + ');
}

/** Remembers what was rejected, to say why a source gave nothing: a whole-file problem first, else the commonest row problem. */
class RejectionTally {
  private firstWholeFile: ReadIssue | null = null;
  private firstByCode = new Map<string, { issue: ReadIssue; n: number }>();
  private total = 0;
  quarantined = 0;

  rejected(issue: ReadIssue): void {
    this.total++;
    if (issue.row === undefined && !this.firstWholeFile) this.firstWholeFile = issue;
    const seen = this.firstByCode.get(issue.code);
    if (seen) seen.n++;
    else this.firstByCode.set(issue.code, { issue, n: 1 });
  }

  failure(source: string, mainPath: string): AppError {
    const commonest = [...this.firstByCode.values()].sort((a, b) => b.n - a.n)[0];
    if (!commonest && this.quarantined > 0) {
      return new AppError('import/all-quarantined', `Nothing was imported from ${source}: all ${this.quarantined} image${this.quarantined === 1 ? ' was' : 's were'} quarantined (burned-in annotation); see the import's quarantine list.`, { path: source, quarantined: this.quarantined });
    }
    if (!commonest) {
      return new AppError('import/no-items', `Nothing was imported from ${source}: the source holds no items (nothing to read and nothing rejected).`, { path: source, rejected: 0 });
    }
    const { issue, n } = this.firstWholeFile ? { issue: this.firstWholeFile, n: 1 } : commonest;
    const where = `${issue.file === mainPath ? '' : `${issue.file}${issue.row !== undefined ? ' ' : ': '}`}${issue.row !== undefined ? `row ${issue.row}: ` : ''}`;
    const others = this.total - n;
    return new AppError(`import/${issue.code.replaceAll('/', '-')}`, `Nothing was imported from ${source}: ${where}${issue.reason.replace(/\.$/, '')}${n > 1 ? ` (and ${n - 1} more like it)` : ''}${others > 0 ? `; ${others} other rejection${others === 1 ? '' : 's'}` : ''}.`, {
      path: issue.file, ...(issue.row !== undefined ? { row: issue.row } : {}), issue: issue.code, rejected: this.total,
    });
  }
}

export const importDatasetTask: WorkerTask<ImportSource, Cursor, Input> = {
  kind: 'import',
  async run(ctx) {
    const store = new BlobStore(ctx.workspaceDir);
    const outcome = new RejectionTally();
    const skip = ctx.cursor?.consumed ?? 0;
    let consumed = 0;
    let imported = ctx.cursor?.imported ?? 0;
    let pending: Output = { items: [], issues: [], deidentification: null };
    let pendingEvents = 0;
    let lastFlush = Date.now();
    const flush = () => {
      if (pendingEvents === 0 && !pending.deidentification) return;
      ctx.checkpoint({ consumed, imported }, pending, consumed, 0);
      pending = { items: [], issues: [], deidentification: null };
      pendingEvents = 0;
      lastFlush = Date.now();
    };
    for await (const ev of openSource(ctx.params, Buffer.from(ctx.input.secretHex, 'hex'))) {
      consumed++;
      if (consumed <= skip) continue;
      if (ctx.cancelled()) {
        consumed--;
        break;
      }
      switch (ev.type) {
        case 'item':
          pending.items.push({ draft: ev.item, image: ev.image ? await storeImage(store, ev.image) : null, extra: ev.extra });
          imported++;
          break;
        case 'rejection':
        case 'warning':
          pending.issues.push({ severity: ev.type, file: ev.issue.file, row: ev.issue.row ?? null, code: ev.issue.code, reason: ev.issue.reason });
          if (ev.type === 'rejection') outcome.rejected(ev.issue);
          break;
        case 'quarantine':
          pending.issues.push({ severity: 'quarantine', file: ev.file, row: null, code: 'burned-in-annotation', reason: ev.reason });
          outcome.quarantined++;
          break;
        case 'deidentification':
          pending.deidentification = ev.record;
          break;
      }
      pendingEvents++;
      ctx.progress(imported, 0, `Imported ${imported} items (${consumed} records read)`);
      if (pendingEvents >= CHECKPOINT_EVERY_EVENTS || Date.now() - lastFlush >= CHECKPOINT_EVERY_MS) flush();
    }
    flush();
    // A source that gave no item at all is unusable as a whole: the job fails (its rejections stay recorded) and no
    // ready dataset is left. Resumed attempts count what earlier ones committed (cursor.imported).
    if (!ctx.cancelled() && imported === 0) throw outcome.failure(sourceLabel(ctx.params), ctx.params.path);
    // Peak resident memory of this worker (kilobytes → MB), recorded so large imports can be checked against budgets.
    return { consumed, resumedFrom: skip, workerPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  },
};
