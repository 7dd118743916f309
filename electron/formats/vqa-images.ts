// Image policy shared by the VQA readers (VQA-RAD, SLAKE), whose annotations are often used without the image archive.
// No image folder given (or it does not exist): every item is kept with image null and ONE `images-absent` warning is emitted.
// Folder given but an image is missing: with policy 'keep' (default) the item is kept without image and the misses are
// summarised in ONE `image-missing` warning at the end; with 'reject' each such row is rejected.
// An image that exists but cannot be decoded always rejects its row.
import { stat } from 'node:fs/promises';
import type { DecodedImage } from '../../shared/items.ts';
import type { DecodeOptions } from './image-normalise.ts';
import { folderImageStore, type ImageStore } from './image-store.ts';
import { FormatError, toIssue, type Issue } from './issues.ts';

export type MissingImagePolicy = 'keep' | 'reject';
/** Example file names quoted in the summary warning. */
const EXAMPLES_IN_SUMMARY = 5;

export class VqaImages {
  private missing: string[] = [];
  private total = 0;

  private constructor(
    private readonly file: string,
    private readonly store: ImageStore | null,
    private readonly policy: MissingImagePolicy,
  ) {}

  /** Returns the helper and, when the folder is absent, the one warning to emit. */
  static async open(
    file: string,
    dir: string | undefined,
    policy: MissingImagePolicy,
    decode: DecodeOptions = {},
  ): Promise<{ images: VqaImages; warning: Issue | null }> {
    const exists = dir ? (await stat(dir).catch(() => null))?.isDirectory() === true : false;
    if (!dir || !exists) {
      const reason = dir ? `image folder "${dir}" not found; items kept without images` : 'no image folder given; items kept without images';
      return { images: new VqaImages(file, null, policy), warning: { file, code: 'images-absent', reason } };
    }
    return { images: new VqaImages(file, folderImageStore(dir, decode), policy), warning: null };
  }

  /** `{image}` (null when absent/kept) or `{issue}` when the row must be rejected. */
  async load(relPath: string, row: number): Promise<{ image: DecodedImage | null } | { issue: Issue }> {
    this.total++;
    if (!this.store) return { image: null };
    try {
      return { image: await this.store.load(relPath) };
    } catch (err) {
      if (err instanceof FormatError && err.code === 'image-missing' && this.policy === 'keep') {
        this.missing.push(relPath);
        return { image: null };
      }
      return { issue: toIssue(this.file, err, row) };
    }
  }

  /** The end-of-dataset summary warning, if any image was missing. */
  summary(): Issue | null {
    if (this.missing.length === 0) return null;
    const unique = [...new Set(this.missing)];
    return {
      file: this.file,
      code: 'image-missing',
      reason: `${this.missing.length} of ${this.total} items have no image (${unique.length} files missing, e.g. ${unique.slice(0, EXAMPLES_IN_SUMMARY).join(', ')}); items kept without images`,
    };
  }

  close(): Promise<void> {
    return this.store?.close() ?? Promise.resolve();
  }
}
