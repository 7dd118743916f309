// Host-side writes of a run (only the host writes SQLite): the run row, its per-item results, feature-cache rows,
// and run events. Called inside the job runner's transactions.
import { AppError } from '../../shared/errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { FEATURE_BLOB_MEDIA_TYPE } from './feature-blob.ts';
import { runEnvironment } from './environment.ts';
import type { NewCacheEntry, ScoredItem } from './score-items.ts';

export { RUN_ID_PREFIX, runIdForJob } from '../../shared/run-ids.ts';

export function runOfJob(ws: Workspace, jobId: string): string {
  const row = ws.db.prepare('SELECT id FROM runs WHERE job_id = ?').get(jobId) as { id: string } | undefined;
  if (!row) throw new Error(`no run for job ${jobId}`);
  return row.id;
}

export function packRow(ws: Workspace, packId: string): { id: string; kind: string; path: string; name: string } {
  const row = ws.db.prepare('SELECT id, kind, path, name FROM model_packs WHERE id = ?').get(packId) as { id: string; kind: string; path: string; name: string } | undefined;
  if (!row) throw new AppError('not-found', `There is no registered model pack ${packId.slice(0, 12)}…; add it with "models add PATH" first.`, { pack: packId });
  return row;
}

export function requireVersion(ws: Workspace, versionId: string): void {
  if (!ws.db.prepare('SELECT 1 FROM dataset_versions WHERE id = ?').get(versionId)) throw new AppError('not-found', `There is no dataset version ${versionId} in this workspace.`, { version: versionId });
}

export function insertRun(ws: Workspace, r: { id: string; kind: 'diagnose' | 'probe'; packId: string; versionId: string; split: string; config: Record<string, unknown>; seed: number; jobId: string }): void {
  ws.db.prepare(`INSERT INTO runs (id, kind, pack_id, version_id, split, config, seed, job_id, state, environment, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`).run(r.id, r.kind, r.packId, r.versionId, r.split, JSON.stringify(r.config), r.seed, r.jobId, JSON.stringify(runEnvironment()), new Date().toISOString());
}

export function insertCacheEntries(ws: Workspace, packId: string, entries: readonly NewCacheEntry[]): void {
  const now = new Date().toISOString();
  const blob = ws.db.prepare('INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, ?, ?)');
  const row = ws.db.prepare('INSERT OR REPLACE INTO feature_cache (pack_id, image_hash, template_hash, blob_hash) VALUES (?, ?, ?, ?)');
  for (const e of entries) {
    blob.run(e.blob, e.size, FEATURE_BLOB_MEDIA_TYPE, now);
    row.run(packId, e.imageHash, e.templateHash, e.blob);
  }
}

export function insertRunItems(ws: Workspace, runId: string, results: readonly ScoredItem[]): void {
  const insert = ws.db.prepare('INSERT INTO run_items (run_id, item_id, split, probs, correct) VALUES (?, ?, ?, ?, ?)');
  for (const r of results) insert.run(runId, r.item, r.split, JSON.stringify(r.probs), r.correct);
}

export function appendRunEvent(ws: Workspace, runId: string, kind: string, payload: unknown, step: number | null = null): void {
  const seq = ((ws.db.prepare('SELECT max(seq) AS s FROM run_events WHERE run_id = ?').get(runId) as { s: number | null }).s ?? 0) + 1;
  ws.db.prepare('INSERT INTO run_events (run_id, seq, kind, step, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(runId, seq, kind, step, JSON.stringify(payload), new Date().toISOString());
}

export function recordProvider(ws: Workspace, runId: string, provider: unknown): void {
  ws.db.prepare("UPDATE runs SET environment = json_set(environment, '$.executionProvider', json(?)) WHERE id = ?").run(JSON.stringify(provider), runId);
}

export function cacheLookup(ws: Workspace, packId: string): (imageHash: string, templateHash: string) => string | null {
  const q = ws.db.prepare('SELECT blob_hash FROM feature_cache WHERE pack_id = ? AND image_hash = ? AND template_hash = ?');
  return (imageHash, templateHash) => (q.get(packId, imageHash, templateHash) as { blob_hash: string } | undefined)?.blob_hash ?? null;
}

/** Sums the cache hits and misses recorded by the run's batch events. */
export function cacheCounts(ws: Workspace, runId: string): { hits: number; misses: number } {
  const r = ws.db.prepare("SELECT coalesce(sum(json_extract(payload, '$.hits')), 0) AS hits, coalesce(sum(json_extract(payload, '$.misses')), 0) AS misses FROM run_events WHERE run_id = ? AND kind = 'batch'").get(runId) as { hits: number; misses: number };
  return { hits: r.hits, misses: r.misses };
}
