// Datasets and their items: import (as a job), summaries with rejections, the browser's item queries,
// thumbnails, and audited modality overrides.
import {
  ImportSource as ImportSourceSchema,
  type DatasetSummary,
  type FacetCount,
  type ImportSource,
  type ItemFacets,
  type ItemFilter,
  type ItemRow,
  type ItemSelection,
  type Rejection,
} from '../../shared/api/datasets.ts';
import type { Job, JobState } from '../../shared/api/jobs.ts';
import type { Modality } from '../../shared/items.ts';
import { AppError } from '../../shared/errors.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { datasetId } from '../jobs/host/import-dataset.ts';
import { preflightImport } from '../importers/import-preflight.ts';
import { importContentId } from '../importers/source-fingerprint.ts';
import type { Workspace } from '../storage/workspace.ts';
import { isStoredImage } from '../storage/repositories/blobs.ts';
import { importJobState } from '../storage/repositories/dataset-lookups.ts';
import {
  allDatasets,
  datasetById,
  datasetExists,
  datasetImportById,
  deleteDataset,
  type DatasetRow,
  type DatasetRowState,
} from '../storage/repositories/datasets.ts';
import {
  countIssuesBySeverity,
  countIssuesOfDataset,
  deleteIssuesOfDataset,
  issuesOfDataset,
  type ImportIssueSeverity,
} from '../storage/repositories/import-issues.ts';
import {
  countItemsOfDataset,
  countItemsOfDatasetBy,
  deleteItemsOfDataset,
  FACET_FIELDS,
  facetGroups,
  itemModality,
  matchingItemsPage,
  setManualModality,
  type FacetField,
} from '../storage/repositories/items.ts';
import { versionExists } from '../storage/repositories/dataset-versions.ts';
import { versionsHoldingDataset } from '../storage/repositories/version-items.ts';

/** A dataset's state as listed and checked (datasets list, balance): an import whose job failed is 'failed' (its row stays 'importing'). */
export function datasetState(rowState: DatasetRowState, jobState: string | null | undefined): DatasetRowState {
  return rowState === 'importing' && jobState === 'failed' ? 'failed' : rowState;
}

/** Job states in which an import is still under way. */
const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'running', 'cancelling'];

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
    const existing = datasetImportById(this.ws.read, dataset);
    const existingJob = existing?.job_id ? this.jobs.get(existing.job_id) : undefined;
    if (existing?.state === 'ready' && existingJob) {
      this.ws.change(
        {
          actor,
          action: 'datasets:import-existing',
          subject: dataset,
          payload: { contentId, source: request.source, path: request.path, job: existingJob.id },
        },
        () => undefined,
      );
      return { dataset, job: existingJob, created: false };
    }
    if (existingJob && ACTIVE_JOB_STATES.includes(existingJob.state)) {
      throw new AppError('conflict', `The same content is being imported now by job ${existingJob.id}; wait for it to finish.`, {
        dataset,
        job: existingJob.id,
      });
    }
    const job = this.jobs.start('import', { ...request, contentId }, actor);
    return { dataset, job, created: true };
  }

  list(): DatasetSummary[] {
    return allDatasets(this.ws.read).map((r) => this.summary(r));
  }

  /**
   * Deletes a dataset that no frozen version uses: its items, its import issues and the dataset row, in one audited
   * change. Refused while its import runs, and when a version holds any of its items (a frozen version keeps its
   * items). The stored image files stay: they are content-addressed and may be shared with other datasets.
   */
  delete(id: string, actor: string): { deleted: string; name: string; items: number; issues: number } {
    const row = datasetById(this.ws.read, id);
    if (!row) throw new AppError('not-found', `There is no dataset ${id} in this workspace.`, { id });
    const job = row.job_id ? this.jobs.get(row.job_id) : undefined;
    if (job && ACTIVE_JOB_STATES.includes(job.state)) {
      throw new AppError('conflict', `Dataset "${row.name}" is still being imported (job ${job.id}); cancel the import first, then delete it.`, {
        id,
        job: job.id,
      });
    }
    const versions = versionsHoldingDataset(this.ws.read, id);
    if (versions.length > 0) {
      throw new AppError(
        'dataset/in-version',
        `Dataset "${row.name}" cannot be deleted: frozen version${versions.length === 1 ? '' : 's'} ${versions.join(', ')} ${versions.length === 1 ? 'holds' : 'hold'} some of its items, and a frozen version keeps its items.`,
        { id, versions },
      );
    }
    const items = countItemsOfDataset(this.ws.read, id);
    const issues = countIssuesOfDataset(this.ws.read, id);
    this.ws.change(
      { actor, action: 'datasets:delete', subject: id, payload: { name: row.name, source: row.source, state: row.state, items, issues } },
      (tx) => {
        deleteIssuesOfDataset(tx, id);
        deleteItemsOfDataset(tx, id);
        deleteDataset(tx, id);
      },
    );
    return { deleted: id, name: row.name, items, issues };
  }

  get(id: string, rejectionsLimit: number): DatasetSummary & { rejections: Rejection[]; quarantine: Rejection[]; warningList: Rejection[] } {
    const row = datasetById(this.ws.read, id);
    if (!row) throw new AppError('not-found', `There is no dataset ${id} in this workspace.`, { id });
    const issues = (severity: ImportIssueSeverity): Rejection[] => issuesOfDataset(this.ws.read, id, severity, rejectionsLimit);
    return { ...this.summary(row), rejections: issues('rejection'), quarantine: issues('quarantine'), warningList: issues('warning') };
  }

  private summary(r: DatasetRow): DatasetSummary {
    const db = this.ws.read;
    const group = (column: 'modality' | 'source_split') => countItemsOfDatasetBy(db, r.id, column);
    const issues = (severity: ImportIssueSeverity) => countIssuesBySeverity(db, r.id, severity);
    const imported = countItemsOfDataset(db, r.id);
    const jobState = r.job_id ? importJobState(db, r.job_id) : undefined;
    const state = datasetState(r.state, jobState);
    return {
      id: r.id,
      name: r.name,
      source: r.source,
      state,
      jobId: r.job_id,
      createdAt: r.created_at,
      imported,
      rejected: issues('rejection'),
      duplicates: r.duplicates,
      quarantined: issues('quarantine'),
      warnings: issues('warning'),
      byModality: group('modality'),
      bySplit: group('source_split'),
      deidentification: r.deidentification,
    };
  }

  /** A page of the items matching the selection, in import order (rowid), with how many match in all. */
  items(f: ItemFilter): { total: number; items: ItemRow[] } {
    this.checkSelection(f);
    return matchingItemsPage(this.ws.read, f, f.limit, f.offset);
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
    const groups = facetGroups(this.ws.read, rest);
    const matches = (g: Record<FacetField, string | null>, omit?: FacetField) =>
      FACET_FIELDS.every((f) => f === omit || chosen[f] === undefined || g[f] === chosen[f]);
    const count = (field: FacetField): FacetCount[] => {
      const n = new Map<string, number>();
      for (const g of groups) {
        const value = g[field];
        if (value !== null && matches(g, field)) n.set(value, (n.get(value) ?? 0) + g.n);
      }
      // SQLite's ORDER BY on text (BINARY collation) compares UTF-8 bytes; so does this (each value encoded once).
      return [...n]
        .map(([value, c]) => ({ value, n: c, utf8: Buffer.from(value) }))
        .sort((x, y) => Buffer.compare(x.utf8, y.utf8))
        .map(({ value, n: c }) => ({ value, n: c }));
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
    if (s.datasetId !== undefined && !datasetExists(this.ws.read, s.datasetId)) {
      throw new AppError('not-found', `There is no dataset ${s.datasetId} in this workspace; choose one from the dataset list.`, {
        field: 'datasetId',
        datasetId: s.datasetId,
      });
    }
    if (s.versionId !== undefined && !versionExists(this.ws.read, s.versionId)) {
      throw new AppError('not-found', `There is no dataset version ${s.versionId} in this workspace; choose one from the version list.`, {
        field: 'versionId',
        versionId: s.versionId,
      });
    }
  }

  image(hash: string): { dataUrl: string } {
    if (!isStoredImage(this.ws.read, hash)) throw new AppError('blob/not-found', 'That image is not in this workspace.', { hash });
    return { dataUrl: `data:image/png;base64,${this.ws.blobs.get(hash).toString('base64')}` };
  }

  overrideModality(items: string[], modality: Modality, reason: string | undefined, actor: string): { changed: number } {
    return this.ws.change(
      (r: { changed: number; before: Record<string, string> }) => ({
        actor,
        action: 'modality:override',
        subject: `${r.changed} ${r.changed === 1 ? 'item' : 'items'}`,
        payload: { modality, reason: reason ?? null, before: r.before },
      }),
      (tx) => {
        const before: Record<string, string> = {};
        for (const id of items) {
          const current = itemModality(tx, id);
          if (current === undefined) throw new AppError('not-found', `There is no item ${id}.`, { id });
          before[id] = current;
          setManualModality(tx, id, modality);
        }
        return { changed: items.length, before };
      },
    );
  }
}
