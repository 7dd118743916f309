// What the compact-images job reads and changes beyond the blob tables: the items' images (items), the feature
// cache rows of a replaced image (feature_cache), and whether anything still names a blob (items, feature_cache,
// runs, blob_replacements).
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface ItemImage {
  image: string;
  thumb: string | null;
}

/** Every distinct item image after `afterHash`, in hash order, with one of its thumbnails. */
export function itemImagesAfter(db: ReadDb, afterHash: string): ItemImage[] {
  return db.all<ItemImage>(
    'SELECT image_hash AS image, min(thumb_hash) AS thumb FROM items WHERE image_hash > ? GROUP BY image_hash ORDER BY image_hash',
    afterHash,
  );
}

/** Whether anything still names this blob: an item (image or thumbnail), a feature cache row, a run, a replacement. */
export function blobStillNamed(db: ReadDb, hash: string): boolean {
  const r = db.get<{ named: number }>(
    `SELECT (EXISTS (SELECT 1 FROM items WHERE image_hash = @h OR thumb_hash = @h)
    OR EXISTS (SELECT 1 FROM feature_cache WHERE blob_hash = @h) OR EXISTS (SELECT 1 FROM runs WHERE adapter_hash = @h)
    OR EXISTS (SELECT 1 FROM blob_replacements WHERE new_hash = @h)) AS named`,
    { h: hash },
  );
  return r?.named === 1;
}

/** Points every item that named `oldImage` at the new image and thumbnail. */
export function repointItemImage(tx: WriteDb, oldImage: string, newImage: string, newThumb: string): void {
  tx.run('UPDATE items SET image_hash = ?, thumb_hash = ? WHERE image_hash = ?', newImage, newThumb, oldImage);
}

/** Drops the feature cache rows computed from `image` (recomputed when next needed). */
export function dropImageFeatures(tx: WriteDb, image: string): void {
  tx.run('DELETE FROM feature_cache WHERE image_hash = ?', image);
}
