// Decoded images for the scoring loops, optionally one batch ahead. onnxruntime-node runs a session synchronously
// on the worker's JavaScript thread, while image decoding (sharp) runs on libuv's thread pool: decoding the next
// batch while the current one is scored overlaps the two instead of adding them.
import type { DecodedImage } from '../../shared/items.ts';
import { decodeImage } from '../formats/image-normalise.ts';
import type { BlobStore } from '../storage/blob-store.ts';

export interface ImageSource {
  /** The decoded images, in the order of `hashes`. */
  take(hashes: readonly string[]): Promise<DecodedImage[]>;
}

/** Decodes on request, nothing ahead. */
export function directImages(store: BlobStore): ImageSource {
  return { take: (hashes) => Promise.all(hashes.map((h) => decodeImage(store.get(h)))) };
}

/** Decodes on request, and ahead of time for the hashes passed to `warm` (each prefetched image is handed out once). */
export class ImagePrefetch implements ImageSource {
  private readonly pending = new Map<string, Promise<DecodedImage>>();

  constructor(private readonly store: BlobStore) {}

  /** Starts decoding these images now; a failure surfaces when the image is taken. */
  warm(hashes: readonly string[]): void {
    for (const h of hashes) {
      if (this.pending.has(h)) continue;
      const p = decodeImage(this.store.get(h));
      p.catch(() => undefined);
      this.pending.set(h, p);
    }
  }

  take(hashes: readonly string[]): Promise<DecodedImage[]> {
    const now = new Map<string, Promise<DecodedImage>>();
    for (const h of hashes) {
      if (now.has(h)) continue;
      const p = this.pending.get(h) ?? decodeImage(this.store.get(h));
      this.pending.delete(h);
      now.set(h, p);
    }
    return Promise.all(hashes.map((h) => now.get(h) as Promise<DecodedImage>));
  }

  /** Images warmed but never taken (e.g. served from the feature cache after all). */
  get waiting(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
  }
}
