// The feature_cache table: which blob holds a model pack's features of an image under a prompt template, so a run
// scores or embeds an image it has seen before without opening the model.
import { FEATURE_BLOB_MEDIA_TYPE } from '../../diagnosis/feature-blob.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';
import { insertBlobIfAbsent } from './blobs.ts';

/** A feature vector the worker wrote into the blob store. */
export interface NewFeatureCacheEntry {
  imageHash: string;
  templateHash: string;
  blob: string;
  size: number;
}

/** Records each entry's feature blob and points the pack's cache row at it, replacing an older one. */
export function insertCacheEntries(tx: WriteDb, packId: string, entries: readonly NewFeatureCacheEntry[]): void {
  const now = new Date().toISOString();
  for (const e of entries) {
    insertBlobIfAbsent(tx, { hash: e.blob, size: e.size, mediaType: FEATURE_BLOB_MEDIA_TYPE, createdAt: now });
    tx.run(
      'INSERT OR REPLACE INTO feature_cache (pack_id, image_hash, template_hash, blob_hash) VALUES (?, ?, ?, ?)',
      packId,
      e.imageHash,
      e.templateHash,
      e.blob,
    );
  }
}

/** A lookup of the pack's cached feature blob by image and template hash (null on a miss). */
export function featureCacheLookup(db: ReadDb, packId: string): (imageHash: string, templateHash: string) => string | null {
  return (imageHash, templateHash) =>
    db.value<string>('SELECT blob_hash FROM feature_cache WHERE pack_id = ? AND image_hash = ? AND template_hash = ?', packId, imageHash, templateHash) ?? null;
}
