// The host half of this job kind (its worker half: electron/jobs/worker/compact-images.ts).
// Input: every distinct item image after the cursor (sorted by hash, so the cursor is the last hash checked). Each
// checkpoint: the new blobs, every item that named an old image pointed at the new image and thumbnail, the feature
// cache rows of the old image dropped (recomputed when next needed: the cache is keyed by stored file), and each
// replacement recorded (blob_replacements). On done: the old blobs nothing names any more are deleted from the
// database (in the job:done transaction), then their files from the store (afterCommit: a crash in between leaves
// only unnamed files). Item, dataset and version ids do not depend on stored bytes, so none changes.
import { CompactImagesParams } from '../../../shared/api/jobs.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { Cursor, Input, Output } from '../worker/compact-images.ts';

const PNG = 'image/png';

/** Whether anything still names this blob: an item (image or thumbnail), a feature cache row, a run, a replacement. */
function stillNamed(ws: Workspace, hash: string): boolean {
  const r = ws.db.prepare(`SELECT (EXISTS (SELECT 1 FROM items WHERE image_hash = @h OR thumb_hash = @h)
    OR EXISTS (SELECT 1 FROM feature_cache WHERE blob_hash = @h) OR EXISTS (SELECT 1 FROM runs WHERE adapter_hash = @h)
    OR EXISTS (SELECT 1 FROM blob_replacements WHERE new_hash = @h)) AS named`).get({ h: hash }) as { named: number };
  return r.named === 1;
}

function oldBlobsFreed(ws: Workspace, jobId: string): Array<{ hash: string; size: number }> {
  return ws.db.prepare('SELECT r.old_hash AS hash, b.size AS size FROM blob_replacements r JOIN blobs b ON b.hash = r.old_hash WHERE r.job_id = ? ORDER BY r.old_hash').all(jobId) as Array<{ hash: string; size: number }>;
}

export const compactImagesHandler: JobKindHandler<CompactImagesParams> = {
  kind: 'compact-images',
  params: CompactImagesParams,
  prepareInput(ws, _jobId, _params, cursor): Input {
    const c = cursor as Cursor | null;
    const images = ws.db.prepare('SELECT image_hash AS image, min(thumb_hash) AS thumb FROM items WHERE image_hash > ? GROUP BY image_hash ORDER BY image_hash').all(c?.lastHash ?? '') as Input['images'];
    return { images, total: (c?.done ?? 0) + images.length };
  },
  applyCheckpoint(ws, ctx, raw) {
    const out = raw as Output;
    const now = new Date().toISOString();
    const blob = ws.db.prepare('INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, ?, ?)');
    const repoint = ws.db.prepare('UPDATE items SET image_hash = ?, thumb_hash = ? WHERE image_hash = ?');
    const dropFeatures = ws.db.prepare('DELETE FROM feature_cache WHERE image_hash = ?');
    const record = ws.db.prepare('INSERT OR IGNORE INTO blob_replacements (job_id, old_hash, new_hash, role) VALUES (?, ?, ?, ?)');
    for (const r of out.replaced) {
      blob.run(r.newImage.hash, r.newImage.size, PNG, now);
      if (r.newThumb) blob.run(r.newThumb.hash, r.newThumb.size, PNG, now);
      const newThumb = r.newThumb?.hash ?? r.newImage.hash;
      repoint.run(r.newImage.hash, newThumb, r.image);
      dropFeatures.run(r.image);
      record.run(ctx.jobId, r.image, r.newImage.hash, 'image');
      if (r.thumb && r.thumb !== r.image && r.thumb !== newThumb) record.run(ctx.jobId, r.thumb, newThumb, 'thumbnail');
    }
  },
  summarise(ws, jobId) {
    const counts = ws.db.prepare("SELECT count(*) FILTER (WHERE role = 'image') AS images, count(*) FILTER (WHERE role = 'thumbnail') AS thumbnails FROM blob_replacements WHERE job_id = ?").get(jobId) as { images: number; thumbnails: number };
    const newBytes = (ws.db.prepare(`SELECT coalesce(sum(b.size), 0) AS n FROM blobs b WHERE b.hash IN (SELECT DISTINCT new_hash FROM blob_replacements WHERE job_id = ?)`).get(jobId) as { n: number }).n;
    const freed = oldBlobsFreed(ws, jobId).filter((b) => !stillNamed(ws, b.hash));
    const drop = ws.db.prepare('DELETE FROM blobs WHERE hash = ?');
    for (const b of freed) drop.run(b.hash);
    return { imagesRewritten: counts.images, thumbnailsReplaced: counts.thumbnails, oldBlobsRemoved: freed.length, bytesRemoved: freed.reduce((s, b) => s + b.size, 0), bytesOfNewFiles: newBytes };
  },
  afterCommit(ws, jobId) {
    // The old blobs this job replaced whose rows the committed job:done deleted: their files go too.
    const gone = ws.db.prepare('SELECT old_hash AS hash FROM blob_replacements WHERE job_id = ? AND old_hash NOT IN (SELECT hash FROM blobs)').all(jobId) as Array<{ hash: string }>;
    for (const { hash } of gone) ws.blobs.remove(hash);
  },
};
