// The balancing wizard on stored items: preview counts, and freeze an immutable dataset version whose id is the
// SHA-256 of its canonical manifest (shared/balance/version-manifest.ts). Same inputs and seed → same id.
import type { BalancePreview, BalanceSpec, DuplicateReason, RemovedDuplicates, VersionDetail, VersionSummary } from '../../shared/api/datasets.ts';
import { balanceItems, versionManifest, type BalanceResult, type BalanceSpecInput } from '../../shared/balance/index.ts';
import { OPTION_LETTERS } from '../../shared/items.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import { datasetState } from './datasets-service.ts';
import { recordManifestBlob } from '../storage/repositories/blobs.ts';
import { datasetWithJobState } from '../storage/repositories/dataset-lookups.ts';
import {
  insertDatasetVersion,
  versionById,
  versionExists,
  versionIds,
  versionNotesAndRemoved,
  versionSpecAndManifest,
} from '../storage/repositories/dataset-versions.ts';
import { balanceCandidates, itemsByIds } from '../storage/repositories/items.ts';
import { insertVersionItem, versionClassCounts, versionItemRows } from '../storage/repositories/version-items.ts';
import type { Workspace } from '../storage/workspace.ts';

export const VERSION_ID_PREFIX = 'dv-';
const VERSION_ID_HEX = 16;
/** The item kinds the balancing wizard can ask for (BalanceSpec.kinds), most common first. */
const KIND_CHOICES: ReadonlyArray<readonly string[]> = [['multiple-choice'], ['multiple-choice', 'free-form'], ['free-form']];

export class VersionsService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  private run(spec: BalanceSpec): { result: BalanceResult; algorithmSpec: BalanceSpecInput } {
    for (const d of spec.datasets) {
      const row = datasetWithJobState(this.ws.read, d);
      if (!row) throw new AppError('not-found', `There is no dataset ${d} in this workspace.`, { dataset: d });
      const state = datasetState(row.state, row.job_state);
      if (state === 'failed')
        throw new AppError('conflict', `Dataset ${d} failed to import (datasets show ${d} says why); it cannot be balanced.`, { dataset: d });
      if (state !== 'ready') throw new AppError('conflict', `Dataset ${d} is still ${state}; wait for its import to finish.`, { dataset: d });
    }
    const { datasets, kinds: _kinds, name: _name, ...rest } = spec;
    const algorithmSpec: BalanceSpecInput = { ...rest, sources: [...datasets].sort() };
    return { result: balanceItems(balanceCandidates(this.ws.read, spec.datasets, spec.kinds), algorithmSpec), algorithmSpec };
  }

  /**
   * The duplicates the balancer removed when this version was frozen, each with the kept item it matched. Only the
   * removal counts are stored, so the balancing is run again on the stored spec; the list is given only when that run
   * reproduces the version exactly (same manifest hash). The item kinds are not in the stored spec: each choice the
   * wizard offers is tried, and only a run whose manifest hash matches counts.
   */
  removedDuplicates(id: string, reason: DuplicateReason, offset: number, limit: number): RemovedDuplicates {
    const row = versionSpecAndManifest(this.ws.read, id);
    if (!row) throw new AppError('not-found', `There is no dataset version ${id} in this workspace.`, { id });
    const spec = row.spec;
    const sources = spec.sources ?? [];
    let result: BalanceResult | null = null;
    for (const kinds of KIND_CHOICES) {
      const r = balanceItems(balanceCandidates(this.ws.read, sources, kinds), spec);
      if (sha256Hex(versionManifest(r, spec)) === row.manifest_hash) {
        result = r;
        break;
      }
    }
    if (!result) return { reproduced: false, total: 0, removed: [] };
    const all = result.removed.filter((r) => r.reason === reason);
    const page = all.slice(offset, offset + limit);
    const ids = [...new Set(page.flatMap((r) => (r.duplicateOf ? [r.id, r.duplicateOf] : [r.id])))];
    const byId = new Map(itemsByIds(this.ws.read, ids).map((item) => [item.id, item]));
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
    if (result.items.length === 0)
      throw new AppError('conflict', 'The balancing settings select no items; nothing to freeze. Check the modality exclusions and quotas.');
    const manifest = versionManifest(result, algorithmSpec);
    const hash = sha256Hex(manifest);
    const id = `${VERSION_ID_PREFIX}${hash.slice(0, VERSION_ID_HEX)}`;
    if (versionExists(this.ws.read, id)) return { ...this.summary(id), created: false };
    const blob = this.ws.blobs.put(new TextEncoder().encode(manifest));
    const name = spec.name ?? `Balanced ${result.items.length} items (seed ${spec.seed})`;
    this.ws.change(
      { actor, action: 'versions:create', subject: id, payload: { manifestHash: blob.hash, n: result.items.length, spec: algorithmSpec, notes: result.notes } },
      (tx) => {
        const now = new Date().toISOString();
        recordManifestBlob(tx, blob.hash, blob.size, now);
        insertDatasetVersion(tx, {
          id,
          name,
          spec: algorithmSpec,
          manifestHash: blob.hash,
          notes: result.notes,
          removed: countReasons(result),
          n: result.items.length,
          createdAt: now,
        });
        for (const it of result.items) insertVersionItem(tx, id, it);
      },
    );
    return { ...this.summary(id), created: true };
  }

  list(): VersionSummary[] {
    return versionIds(this.ws.read).map((id) => this.summary(id));
  }

  summary(id: string): VersionSummary {
    const row = versionById(this.ws.read, id);
    if (!row) throw new AppError('not-found', `There is no dataset version ${id} in this workspace.`, { id });
    const items = this.versionItems(id);
    const tally = (key: (x: (typeof items)[number]) => string) => {
      const out: Record<string, number> = {};
      for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
      return out;
    };
    return {
      id,
      name: row.name,
      createdAt: row.created_at,
      n: row.n,
      spec: row.spec,
      counts: { bySplit: tally((x) => x.split), byModality: tally((x) => x.modality), byLetter: tally((x) => x.correctLetter ?? '-') },
    };
  }

  show(id: string): VersionDetail {
    const s = this.summary(id);
    const row = versionNotesAndRemoved(this.ws.read, id);
    if (!row) throw new AppError('not-found', `There is no dataset version ${id} in this workspace.`, { id });
    const items = this.versionItems(id);
    const counts: VersionDetail['countsByModalitySplitLetter'] = {};
    for (const it of items) {
      const m = (counts[it.modality] ??= {});
      const sp = (m[it.split] ??= {});
      const l = it.correctLetter ?? '-';
      sp[l] = (sp[l] ?? 0) + 1;
    }
    const classRows = versionClassCounts(this.ws.read, id);
    const countsByTaskClassSplit: VersionDetail['countsByTaskClassSplit'] = {};
    for (const r of classRows) ((countsByTaskClassSplit[r.task] ??= {})[r.answer] ??= {})[r.split] = r.n;
    return { ...s, countsByModalitySplitLetter: counts, countsByTaskClassSplit, notes: row.notes, removed: row.removed, items };
  }

  /** The version's items with the correct letter as displayed (after the frozen option order). */
  versionItems(id: string): VersionDetail['items'] {
    return versionItemRows(this.ws.read, id).map((r) => {
      const order = r.option_order;
      const pos = r.correct === null ? -1 : order.length ? order.indexOf(r.correct) : r.correct;
      return {
        item: r.item_id,
        split: r.split,
        modality: r.modality,
        correctLetter: pos >= 0 ? (OPTION_LETTERS[pos] ?? null) : null,
        patient: r.patient,
        optionOrder: order,
      };
    });
  }
}

function countReasons(result: BalanceResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of result.removed) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return out;
}
