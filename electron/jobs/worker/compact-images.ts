// The worker half of this job kind (its host half: electron/jobs/host/compact-images.ts).
// Grey images that older versions stored as RGB PNGs (three equal channels, about three times the bytes) are written
// again as grey PNGs of the same pixels, with their thumbnails, exactly as an import writes them today (encodePng,
// encodeThumbnail): so the new files are the ones a fresh import of the same source would have made. Only PNGs whose
// header says RGB are decoded; real colour images are left as they are. New files are made durable in one batch
// per checkpoint, before the checkpoint that names them (storage/blob-batch.ts).
import { CompactImagesParams } from '../../../shared/api/jobs.ts';
import { decodeImage, encodePng } from '../../formats/index.ts';
import { encodeThumbnail } from '../../formats/image-normalise.ts';
import { BlobBatch } from '../../storage/blob-batch.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { WorkerTask } from '../worker-task.ts';
import { THUMBNAIL_SIDE } from './import-dataset.ts';

const CHECKPOINT_EVERY_IMAGES = 50;
const CHECKPOINT_EVERY_MS = 1000;
/** PNG: 8-byte signature, IHDR length and type, width, height, bit depth; the colour type is byte 25 (2 = RGB). */
const PNG_COLOUR_TYPE_OFFSET = 25;
const PNG_COLOUR_RGB = 2;
/** Stored images are never resized here: whatever their size, the same pixels. */
const NO_RESIZE = 1 << 16;

export type Cursor = { lastHash: string; done: number };

export type Input = { images: Array<{ image: string; thumb: string | null }>; total: number };

export interface ReplacedImage {
  image: string;
  thumb: string | null;
  newImage: { hash: string; size: number };
  /** null: the image fits the thumbnail box and is its own thumbnail. */
  newThumb: { hash: string; size: number } | null;
  bytesBefore: number;
  bytesAfter: number;
}

export type Output = { replaced: ReplacedImage[] };

function isRgbPng(bytes: Uint8Array): boolean {
  return bytes.length > PNG_COLOUR_TYPE_OFFSET && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[PNG_COLOUR_TYPE_OFFSET] === PNG_COLOUR_RGB;
}

export const compactImagesTask: WorkerTask<CompactImagesParams, Cursor, Input> = {
  kind: 'compact-images',
  async run(ctx) {
    const store = new BlobStore(ctx.workspaceDir);
    const batch = new BlobBatch(store);
    let done = ctx.cursor?.done ?? 0;
    const startedAt = done;
    let lastHash = ctx.cursor?.lastHash ?? '';
    let pending: ReplacedImage[] = [];
    let lastFlush = Date.now();
    let replacedThisAttempt = 0;
    const flush = async () => {
      await batch.commit();
      ctx.checkpoint({ lastHash, done }, { replaced: pending } satisfies Output, done, ctx.input.total);
      pending = [];
      lastFlush = Date.now();
    };
    for (const { image, thumb } of ctx.input.images) {
      if (ctx.cancelled()) break;
      const bytes = store.get(image);
      if (isRgbPng(bytes)) {
        const decoded = await decodeImage(bytes, { maxSide: NO_RESIZE });
        // decodeImage gives one channel exactly when the three channels are equal everywhere
        if (decoded.channels === 1) {
          const newImage = batch.put(await encodePng(decoded));
          const thumbPng = await encodeThumbnail(decoded, THUMBNAIL_SIDE);
          const newThumb = thumbPng ? batch.put(thumbPng) : null;
          const oldThumbBytes = thumb && thumb !== image ? store.size(thumb) : 0;
          pending.push({
            image,
            thumb,
            newImage: { hash: newImage.hash, size: newImage.size },
            newThumb: newThumb ? { hash: newThumb.hash, size: newThumb.size } : null,
            bytesBefore: bytes.length + oldThumbBytes,
            bytesAfter: newImage.size + (newThumb?.size ?? 0),
          });
          replacedThisAttempt++;
        }
      }
      done++;
      lastHash = image;
      ctx.progress(done, ctx.input.total, `Checked ${done} of ${ctx.input.total} stored images (${replacedThisAttempt} rewritten as grey)`);
      if (pending.length >= CHECKPOINT_EVERY_IMAGES || Date.now() - lastFlush >= CHECKPOINT_EVERY_MS) await flush();
    }
    await flush();
    return { checkedThisAttempt: done - startedAt, resumedFrom: startedAt };
  },
};
