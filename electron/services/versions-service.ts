// The balancing wizard on stored items: preview counts, and freeze an immutable dataset version whose id is the
// SHA-256 of its canonical manifest (shared/balance/version-manifest.ts). Same inputs and seed → same id.
import type { BalancePreview, BalanceSpec, DuplicateReason, RemovedDuplicates, VersionDetail, VersionSummary } from '../../shared/api/datasets.ts';
import { balanceItems, versionManifest, type BalanceCandidate, type BalanceResult, type BalanceSpecInput } from '../../shared/balance/index.ts';
import { OPTION_LETTERS, type Modality, type Split } from '../../shared/items.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import { datasetState, toItemRow } from './datasets-service.ts';
import type { Workspace } from '../workspace/workspace.ts';

export const VERSION_ID_PREFIX = 'dv-';
const VERSION_ID_HEX = 16;
/** The item kinds the balancing wizard can ask for (BalanceSpec.kinds), most common first. */
const KIND_CHOICES: ReadonlyArray<readonly string[]> = [['multiple-choice'], ['multiple-choice', 'free-form'], ['free-form']];

interface CandidateRow { id: string; modality: Modality; correct: number | null; options: string; patient: string | null; source_split: Split | null; image_hash: string | null; phash: string | null; kind: 'multiple-choice' | 'free-form'; task: string; benchmark: string; question: string }

export class VersionsService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  private run(spec: BalanceSpec): { result: BalanceResult; algorithmSpec: BalanceSpecInput } {
    for (const d of spec.datasets) {
      const row = this.ws.db.prepare('SELECT d.state, j.state AS job_state FROM datasets d LEFT JOIN jobs j ON j.id = d.job_id WHERE d.id = ?').get(d) as { state: 'importing' | 'ready' | 'failed'; job_state: string | null } | undefined;
      if (!row) throw new AppError('not-found', `There is no dataset ${d} in this workspace.`, { dataset: d });
      const state = datasetState(row.state, row.job_state);
      if (state === 'failed') throw new AppError('conflict', `Dataset ${d} failed to import (datasets show ${d} says why); it cannot be balanced.`, { dataset: d });
      if (state !== 'ready') throw new AppError('conflict', `Dataset ${d} is still ${state}; wait for its import to finish.`, { dataset: d });
    }
    const { datasets, kinds: _kinds, name: _name, ...rest } = spec;
    const algorithmSpec: BalanceSpecInput = { ...rest, sources: [...datasets].sort() };
    return { result: balanceItems(this.candidates(spec.datasets, spec.kinds), algorithmSpec), algorithmSpec };
  }

  private candidates(datasets: readonly string[], kinds: readonly string[]): BalanceCandidate[] {
    const rows = this.ws.db
      .prepare(`SELECT id, modality, correct, options, patient, source_split, image_hash, phash, kind, task, benchmark, question FROM items
                WHERE dataset_id IN (SELECT value FROM json_each(?)) AND kind IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .all(JSON.stringify(datasets), JSON.stringify(kinds)) as CandidateRow[];
    return rows.map((r) => ({
      id: r.id, modality: r.modality, correct: r.correct, optionCount: r.kind === 'multiple-choice' ? (JSON.parse(r.options) as string[]).length : 0, patient: r.patient,
      sourceSplit: r.source_split, imageHash: r.image_hash, phash: r.phash, kind: r.kind, task: r.task, benchmark: r.benchmark, question: r.question,
    }));
  }

  /**
   * The duplicates the balancer removed when this version was frozen, each with the kept item it matched. Only the
   * removal counts are stored, so the balancing is run again on the stored spec; the list is given only when that run
   * reproduces the version exactly (same manifest hash). The item kinds are not in the stored spec: each choice the
   * wizard offers is tried, and only a run whose manifest hash matches counts.
   */
  removedDuplicates(id: string, reason: DuplicateReason, offset: number, limit: number): RemovedDuplicates {
    const row = this.ws.db.prepare('SELECT spec, manifest_hash FROM dataset_versions WHERE id = ?').get(id) as { spec: string; manifest_hash: string } | undefined;
    if (!row) throw new AppError('not-found', `There is no dataset version ${id} in this workspace.`, { id });
    const spec = JSON.parse(row.spec) as BalanceSpecInput;
    const sources = spec.sources ?? [];
    let result: BalanceResult | null = null;
    for (const kinds of KIND_CHOICES) {
      const r = balanceItems(this.candidates(sources, kinds), spec);
      if (sha256Hex(versionManifest(r, spec)) === row.manifest_hash) {
        result = r;
        break;
      }
    }
    if (!result) return { reproduced: false, total: 0, removed: [] };
    const all = result.removed.filter((r) => r.reason === reason);
    const page = all.slice(offset, offset + limit);
    const ids = [...new Set(page.flatMap((r) => (r.duplicateOf ? [r.id, r.duplicateOf] : [r.id])))];
    const rows = this.ws.db.prepare('SELECT * FROM items WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Parameters<typeof toItemRow>[0][];
    const byId = new Map(rows.map((r) => [r.id, toItemRow(r)]));
    return {
      reproduced: true,
      total: all.length,
      removed: page.flatMap((r) => {
        const item = byId.get(r.id);
        return item ? [{ item, reason, matches: r.duplicateOf ? (byId.get(r.duplicateOf) ?? null) : null }] : [];
      }),
    };
  }

  preview(spec: BalanceSpec): BalancePreview {
    const { result } = this.run(spec);
    return { before: result.counts.before, after: result.counts.after, removed: countReasons(result), notes: result.notes, n: result.items.length };
  }

  create(spec: BalanceSpec, actor: string): VersionSummary & { created: boolean } {
    const { result, algorithmSpec } = this.run(spec);
    if (result.items.length === 0) throw new AppError('conflict', 'The balancing settings select no items; nothing to freeze. Check the modality exclusions and quotas.');
    const manifest = versionManifest(result, algorithmSpec);
    const hash = sha256Hex(manifest);
    const id = `${VERSION_ID_PREFIX}${hash.slice(0, VERSION_ID_HEX)}`;
    if (this.ws.db.prepare('SELECT 1 FROM dataset_versions WHERE id = ?').get(id)) return { ...this.summary(id), created: false };
    const blob = this.ws.blobs.put(new TextEncoder().encode(manifest));
    const name = spec.name ?? `Balanced ${result.items.length} items (seed ${spec.seed})`;
    this.ws.change({ actor, action: 'versions:create', subject: id, payload: { manifestHash: blob.hash, n: result.items.length, spec: algorithmSpec, notes: result.notes } }, () => {
      const now = new Date().toISOString();
      this.ws.db.prepare("INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, 'application/json', ?)").run(blob.hash, blob.size, now);
      this.ws.db.prepare('INSERT INTO dataset_versions (id, name, spec, manifest_hash, notes, removed, n, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, name, JSON.stringify(algorithmSpec), blob.hash, JSON.stringify(result.notes), JSON.stringify(countReasons(result)), result.items.length, now);
      const insert = this.ws.db.prepare('INSERT INTO version_items (version_id, item_id, split, option_order, modality) VALUES (?, ?, ?, ?, (SELECT modality FROM items WHERE id = ?))');
      for (const it of result.items) insert.run(id, it.id, it.split, JSON.stringify(it.optionOrder), it.id);
    });
    return { ...this.summary(id), created: true };
  }

  list(): VersionSummary[] {
    const ids = this.ws.db.prepare('SELECT id FROM dataset_versions ORDER BY created_at, rowid').all() as Array<{ id: string }>;
    return ids.map((r) => this.summary(r.id));
  }

  summary(id: string): VersionSummary {
    const row = this.ws.db.prepare('SELECT * FROM dataset_versions WHERE id = ?').get(id) as { id: string; name: string; created_at: string; n: number; spec: string } | undefined;
    if (!row) throw new AppError('not-found', `There is no dataset version ${id} in this workspace.`, { id });
    const items = this.versionItems(id);
    const tally = (key: (x: (typeof items)[number]) => string) => {
      const out: Record<string, number> = {};
      for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
      return out;
    };
    return { id, name: row.name, createdAt: row.created_at, n: row.n, spec: JSON.parse(row.spec) as Record<string, unknown>, counts: { bySplit: tally((x) => x.split), byModality: tally((x) => x.modality), byLetter: tally((x) => x.correctLetter ?? '-') } };
  }

  show(id: string): VersionDetail {
    const s = this.summary(id);
    const row = this.ws.db.prepare('SELECT notes, removed FROM dataset_versions WHERE id = ?').get(id) as { notes: string; removed: string };
    const items = this.versionItems(id);
    const counts: VersionDetail['countsByModalitySplitLetter'] = {};
    for (const it of items) {
      const m = (counts[it.modality] ??= {});
      const sp = (m[it.split] ??= {});
      const l = it.correctLetter ?? '-';
      sp[l] = (sp[l] ?? 0) + 1;
    }
    const classRows = this.ws.db
      .prepare('SELECT i.task, i.answer, v.split, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY i.task, i.answer, v.split ORDER BY i.task, i.answer, v.split')
      .all(id) as Array<{ task: string; answer: string; split: Split; n: number }>;
    const countsByTaskClassSplit: VersionDetail['countsByTaskClassSplit'] = {};
    for (const r of classRows) ((countsByTaskClassSplit[r.task] ??= {})[r.answer] ??= {})[r.split] = r.n;
    return { ...s, countsByModalitySplitLetter: counts, countsByTaskClassSplit, notes: JSON.parse(row.notes) as string[], removed: JSON.parse(row.removed) as Record<string, number>, items };
  }

  /** The version's items with the correct letter as displayed (after the frozen option order). */
  versionItems(id: string): VersionDetail['items'] {
    const rows = this.ws.db.prepare('SELECT v.item_id, v.split, v.option_order, v.modality, i.correct, i.patient FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? ORDER BY v.item_id').all(id) as Array<{ item_id: string; split: Split; option_order: string; modality: Modality; correct: number | null; patient: string | null }>;
    return rows.map((r) => {
      const order = JSON.parse(r.option_order) as number[];
      const pos = r.correct === null ? -1 : order.length ? order.indexOf(r.correct) : r.correct;
      return { item: r.item_id, split: r.split, modality: r.modality, correctLetter: pos >= 0 ? (OPTION_LETTERS[pos] ?? null) : null, patient: r.patient, optionOrder: order };
    });
  }
}

function countReasons(result: BalanceResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of result.removed) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return out;
}
