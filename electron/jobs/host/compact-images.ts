// The host half of this job kind (its worker half: electron/jobs/worker/compact-images.ts).
// Input: every distinct item image after the cursor (sorted by hash, so the cursor is the last hash checked). Each
// checkpoint: the new blobs, every item that named an old image pointed at the new image and thumbnail, the feature
// cache rows of the old image dropped (recomputed when next needed: the cache is keyed by stored file), and each
// replacement recorded (blob_replacements). On done: the old blobs nothing names any more are deleted from the
// database (in the job:done transaction), then their files from the store (afterCommit: a crash in between leaves
// only unnamed files). Item, dataset and version ids do not depend on stored bytes, so none changes.
import { CompactImagesParams } from '../../../shared/api/jobs.ts';
import { deleteBlob, insertBlobIfAbsent } from '../../storage/repositories/blobs.ts';
import {
  recordBlobReplacement,
  replacedBlobsRemoved,
  replacedBlobsStillStored,
  replacementCounts,
  replacementFileBytes,
} from '../../storage/repositories/blob-replacements.ts';
import { blobStillNamed, dropImageFeatures, itemImagesAfter, repointItemImage } from '../../storage/repositories/image-compaction.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { Cursor, Input, Output } from '../worker/compact-images.ts';

const PNG = 'image/png';

export const compactImagesHandler: JobKindHandler<CompactImagesParams> = {
  kind: 'compact-images',
  params: CompactImagesParams,
  prepareInput(ws, _jobId, _params, cursor): Input {
    const c = cursor as Cursor | null;
    const images = itemImagesAfter(ws.read, c?.lastHash ?? '');
    return { images, total: (c?.done ?? 0) + images.length };
  },
  applyCheckpoint(_ws, ctx, raw, tx) {
    const out = raw as Output;
    const now = new Date().toISOString();
    for (const r of out.replaced) {
      insertBlobIfAbsent(tx, { hash: r.newImage.hash, size: r.newImage.size, mediaType: PNG, createdAt: now });
      if (r.newThumb) insertBlobIfAbsent(tx, { hash: r.newThumb.hash, size: r.newThumb.size, mediaType: PNG, createdAt: now });
      const newThumb = r.newThumb?.hash ?? r.newImage.hash;
      repointItemImage(tx, r.image, r.newImage.hash, newThumb);
      dropImageFeatures(tx, r.image);
      recordBlobReplacement(tx, ctx.jobId, r.image, r.newImage.hash, 'image');
      if (r.thumb && r.thumb !== r.image && r.thumb !== newThumb) recordBlobReplacement(tx, ctx.jobId, r.thumb, newThumb, 'thumbnail');
    }
  },
  summarise(_ws, jobId, _workerResult, tx) {
    const counts = replacementCounts(tx, jobId);
    const newBytes = replacementFileBytes(tx, jobId);
    // The old blobs nothing names any more (an item, a feature cache row, a run, another replacement).
    const freed = replacedBlobsStillStored(tx, jobId).filter((b) => !blobStillNamed(tx, b.hash));
    for (const b of freed) deleteBlob(tx, b.hash);
    return {
      imagesRewritten: counts.images,
      thumbnailsReplaced: counts.thumbnails,
      oldBlobsRemoved: freed.length,
      bytesRemoved: freed.reduce((s, b) => s + b.size, 0),
      bytesOfNewFiles: newBytes,
    };
  },
  afterCommit(ws, jobId) {
    // The old blobs this job replaced whose rows the committed job:done deleted: their files go too.
    for (const hash of replacedBlobsRemoved(ws.read, jobId)) ws.blobs.remove(hash);
  },
};
