// Datasets and their items: import (as a job), summaries with rejections, the browser's item queries,
// thumbnails, and audited modality overrides.
import { ImportSource as ImportSourceSchema, type DatasetSummary, type FacetCount, type ImportSource, type ItemFacets, type ItemFilter, type ItemRow, type ItemSelection, type Rejection } from '../../shared/api/datasets.ts';
import type { Job, JobState } from '../../shared/api/jobs.ts';
import type { Modality } from '../../shared/items.ts';
import { AppError } from '../../shared/errors.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { datasetId } from '../jobs/host/import-dataset.ts';
import { preflightImport } from '../importers/import-preflight.ts';
import { importContentId } from '../importers/source-fingerprint.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { FACET_FIELDS, itemQuery, type FacetField } from './item-query.ts';

interface DatasetRow { id: string; name: string; source: string; state: 'importing' | 'ready' | 'failed'; job_id: string | null; created_at: string; duplicates: number; warnings: number; deidentification: string | null }
interface ItemDbRow {
  id: string; dataset_id: string; source_key: string; question: string; options: string; correct: number | null; answer: string; kind: ItemRow['kind'];
  modality: Modality; modality_source: ItemRow['modalitySource']; modality_confidence: number; task: string; benchmark: string; question_type: string;
  source_split: ItemRow['sourceSplit']; patient: string | null; image_hash: string | null; thumb_hash: string | null; width: number | null; height: number | null;
  extra?: string | null;
}

/** A dataset's state as listed and checked (datasets list, balance): an import whose job failed is 'failed' (its row stays 'importing'). */
export function datasetState(rowState: DatasetRow['state'], jobState: string | null | undefined): DatasetRow['state'] {
  return rowState === 'importing' && jobState === 'failed' ? 'failed' : rowState;
}

/** Job states in which an import is still under way. */
const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'running', 'cancelling'];

export function toItemRow(r: ItemDbRow): ItemRow {
  return {
    id: r.id, datasetId: r.dataset_id, sourceKey: r.source_key, question: r.question, options: JSON.parse(r.options) as string[], correct: r.correct, answer: r.answer,
    kind: r.kind, modality: r.modality, modalitySource: r.modality_source, modalityConfidence: r.modality_confidence, task: r.task, benchmark: r.benchmark,
    questionType: r.question_type, sourceSplit: r.source_split, patient: r.patient, imageHash: r.image_hash, thumbHash: r.thumb_hash, width: r.width, height: r.height,
    slices: volumeSlices(r.extra),
  };
}

/** The slices of a volume an item shows, from what the importer recorded in its extra (`slices`, `sliceCount`). */
function volumeSlices(extra: string | null | undefined): ItemRow['slices'] {
  if (!extra) return null;
  const e = JSON.parse(extra) as Record<string, string>;
  if (e['slices'] === undefined || e['sliceCount'] === undefined) return null;
  return { indices: e['slices'].split(',').map(Number), of: Number(e['sliceCount']) };
}

export class DatasetsService {
  private readonly ws: Workspace;
  private readonly jobs: JobRunner;
  constructor(ws: Workspace, jobs: JobRunner) {
    this.ws = ws;
    this.jobs = jobs;
  }

  /**
   * Starts an import, after checking its paths and options (coded errors before any job exists) and computing its
   * content id. The same content again answers with the dataset already imported (created: false, audited); an
   * earlier attempt that did not finish is replaced by the new one under the same id.
   */
  async import(params: ImportSource, actor: string): Promise<{ dataset: string; job: Job; created: boolean }> {
    // Parsed here too (defaults filled in) so a caller inside the process gets the same content id as the API's.
    const request = await preflightImport(ImportSourceSchema.parse(params));
    const contentId = await importContentId(request);
    const dataset = datasetId(contentId);
    const existing = this.ws.db.prepare('SELECT state, job_id FROM datasets WHERE id = ?').get(dataset) as { state: string; job_id: string | null } | undefined;
    const existingJob = existing?.job_id ? this.jobs.get(existing.job_id) : undefined;
    if (existing?.state === 'ready' && existingJob) {
      this.ws.change({ actor, action: 'datasets:import-existing', subject: dataset, payload: { contentId, source: request.source, path: request.path, job: existingJob.id } }, () => undefined);
      return { dataset, job: existingJob, created: false };
    }
    if (existingJob && ACTIVE_JOB_STATES.includes(existingJob.state)) {
      throw new AppError('conflict', `The same content is being imported now by job ${existingJob.id}; wait for it to finish.`, { dataset, job: existingJob.id });
    }
    const job = this.jobs.start('import', { ...request, contentId }, actor);
    return { dataset, job, created: true };
  }

  list(): DatasetSummary[] {
    const rows = this.ws.db.prepare('SELECT * FROM datasets ORDER BY created_at, rowid').all() as DatasetRow[];
    return rows.map((r) => this.summary(r));
  }

  /**
   * Deletes a dataset that no frozen version uses: its items, its import issues and the dataset row, in one audited
   * change. Refused while its import runs, and when a version holds any of its items (a frozen version keeps its
   * items). The stored image files stay: they are content-addressed and may be shared with other datasets.
   */
  delete(id: string, actor: string): { deleted: string; name: string; items: number; issues: number } {
    const row = this.ws.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
    if (!row) throw new AppError('not-found', `There is no dataset ${id} in this workspace.`, { id });
    const job = row.job_id ? this.jobs.get(row.job_id) : undefined;
    if (job && ACTIVE_JOB_STATES.includes(job.state)) {
      throw new AppError('conflict', `Dataset "${row.name}" is still being imported (job ${job.id}); cancel the import first, then delete it.`, { id, job: job.id });
    }
    const versions = (this.ws.db.prepare('SELECT DISTINCT v.version_id AS id FROM version_items v JOIN items i ON i.id = v.item_id WHERE i.dataset_id = ? ORDER BY v.version_id').all(id) as Array<{ id: string }>).map((r) => r.id);
    if (versions.length > 0) {
      throw new AppError('dataset/in-version', `Dataset "${row.name}" cannot be deleted: frozen version${versions.length === 1 ? '' : 's'} ${versions.join(', ')} ${versions.length === 1 ? 'holds' : 'hold'} some of its items, and a frozen version keeps its items.`, { id, versions });
    }
    const count = (sql: string) => (this.ws.db.prepare(sql).get(id) as { n: number }).n;
    const items = count('SELECT count(*) AS n FROM items WHERE dataset_id = ?');
    const issues = count('SELECT count(*) AS n FROM import_issues WHERE dataset_id = ?');
    this.ws.change({ actor, action: 'datasets:delete', subject: id, payload: { name: row.name, source: row.source, state: row.state, items, issues } }, () => {
      this.ws.db.prepare('DELETE FROM import_issues WHERE dataset_id = ?').run(id);
      this.ws.db.prepare('DELETE FROM items WHERE dataset_id = ?').run(id);
      this.ws.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    });
    return { deleted: id, name: row.name, items, issues };
  }

  get(id: string, rejectionsLimit: number): DatasetSummary & { rejections: Rejection[]; quarantine: Rejection[]; warningList: Rejection[] } {
    const row = this.ws.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
    if (!row) throw new AppError('not-found', `There is no dataset ${id} in this workspace.`, { id });
    const issues = (severity: string) => this.ws.db.prepare('SELECT file, row, code, reason FROM import_issues WHERE dataset_id = ? AND severity = ? ORDER BY rowid LIMIT ?').all(id, severity, rejectionsLimit) as Rejection[];
    return { ...this.summary(row), rejections: issues('rejection'), quarantine: issues('quarantine'), warningList: issues('warning') };
  }

  private summary(r: DatasetRow): DatasetSummary {
    const db = this.ws.db;
    const group = (col: string) => Object.fromEntries((db.prepare(`SELECT coalesce(${col}, 'none') AS k, count(*) AS n FROM items WHERE dataset_id = ? GROUP BY k ORDER BY k`).all(r.id) as Array<{ k: string; n: number }>).map((x) => [x.k, x.n]));
    const issues = (severity: string) => (db.prepare('SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = ?').get(r.id, severity) as { n: number }).n;
    const imported = (db.prepare('SELECT count(*) AS n FROM items WHERE dataset_id = ?').get(r.id) as { n: number }).n;
    const jobState = r.job_id ? (db.prepare('SELECT state FROM jobs WHERE id = ?').get(r.job_id) as { state: string } | undefined)?.state : undefined;
    const state = datasetState(r.state, jobState);
    return {
      id: r.id, name: r.name, source: r.source, state, jobId: r.job_id, createdAt: r.created_at, imported, rejected: issues('rejection'), duplicates: r.duplicates,
      quarantined: issues('quarantine'), warnings: issues('warning'), byModality: group('modality'), bySplit: group("source_split"),
      deidentification: r.deidentification ? (JSON.parse(r.deidentification) as Record<string, unknown>) : null,
    };
  }

  /** A page of the items matching the selection, in import order (rowid), with how many match in all. */
  items(f: ItemFilter): { total: number; items: ItemRow[] } {
    this.checkSelection(f);
    const q = itemQuery(f);
    const total = (this.ws.db.prepare(`SELECT count(*) AS n FROM ${q.from} ${q.where}`).get(...q.args) as { n: number }).n;
    const rows = this.ws.db.prepare(`SELECT i.* FROM ${q.from} ${q.where} ORDER BY i.rowid LIMIT ? OFFSET ?`).all(...q.args, f.limit, f.offset) as ItemDbRow[];
    return { total, items: rows.map(toItemRow) };
  }

  /**
   * Every task, class, modality and split of the selection with its count, each counted without its own filter. One
   * pass over the items: the selection without its four facet filters, grouped by the four values; each facet (and the
   * total) is then summed from those groups with the other facet filters applied — the counts of one GROUP BY per
   * facet, at a fifth of the reads (100,000 items: 222 ms before).
   */
  facets(s: ItemSelection): ItemFacets {
    this.checkSelection(s);
    const { task, answer, modality, split, ...rest } = s;
    const chosen: Record<FacetField, string | undefined> = { task, answer, modality, split };
    const base = itemQuery(rest);
    const groups = this.ws.db.prepare(`SELECT i.task AS task, i.answer AS answer, i.modality AS modality, ${base.splitColumn} AS split, count(*) AS n
      FROM ${base.from} ${base.where} GROUP BY 1, 2, 3, 4`).all(...base.args) as Array<Record<FacetField, string | null> & { n: number }>;
    const matches = (g: Record<FacetField, string | null>, omit?: FacetField) => FACET_FIELDS.every((f) => f === omit || chosen[f] === undefined || g[f] === chosen[f]);
    const count = (field: FacetField): FacetCount[] => {
      const n = new Map<string, number>();
      for (const g of groups) {
        const value = g[field];
        if (value !== null && matches(g, field)) n.set(value, (n.get(value) ?? 0) + g.n);
      }
      // SQLite's ORDER BY on text (BINARY collation) compares UTF-8 bytes; so does this (each value encoded once).
      return [...n].map(([value, c]) => ({ value, n: c, utf8: Buffer.from(value) })).sort((x, y) => Buffer.compare(x.utf8, y.utf8)).map(({ value, n: c }) => ({ value, n: c }));
    };
    return {
      total: groups.reduce((t, g) => t + (matches(g) ? g.n : 0), 0),
      tasks: count('task'),
      answers: count('answer'),
      modalities: count('modality'),
      splits: count('split'),
    };
  }

  /** A dataset or version named in a selection must exist: a typo is an error, not an empty page. */
  private checkSelection(s: ItemSelection): void {
    if (s.datasetId !== undefined && !this.ws.db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(s.datasetId)) {
      throw new AppError('not-found', `There is no dataset ${s.datasetId} in this workspace; choose one from the dataset list.`, { field: 'datasetId', datasetId: s.datasetId });
    }
    if (s.versionId !== undefined && !this.ws.db.prepare('SELECT 1 FROM dataset_versions WHERE id = ?').get(s.versionId)) {
      throw new AppError('not-found', `There is no dataset version ${s.versionId} in this workspace; choose one from the version list.`, { field: 'versionId', versionId: s.versionId });
    }
  }

  image(hash: string): { dataUrl: string } {
    const known = this.ws.db.prepare("SELECT media_type FROM blobs WHERE hash = ? AND media_type = 'image/png'").get(hash) as { media_type: string } | undefined;
    if (!known) throw new AppError('blob/not-found', 'That image is not in this workspace.', { hash });
    return { dataUrl: `data:image/png;base64,${this.ws.blobs.get(hash).toString('base64')}` };
  }

  overrideModality(items: string[], modality: Modality, reason: string | undefined, actor: string): { changed: number } {
    return this.ws.change(
      (r: { changed: number; before: Record<string, string> }) => ({ actor, action: 'modality:override', subject: `${r.changed} ${r.changed === 1 ? "item" : "items"}`, payload: { modality, reason: reason ?? null, before: r.before } }),
      () => {
        const get = this.ws.db.prepare('SELECT modality FROM items WHERE id = ?');
        const set = this.ws.db.prepare("UPDATE items SET modality = ?, modality_source = 'manual', modality_confidence = 1 WHERE id = ?");
        const before: Record<string, string> = {};
        for (const id of items) {
          const row = get.get(id) as { modality: string } | undefined;
          if (!row) throw new AppError('not-found', `There is no item ${id}.`, { id });
          before[id] = row.modality;
          set.run(modality, id);
        }
        return { changed: items.length, before };
      },
    );
  }
}
