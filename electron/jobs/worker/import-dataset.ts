// The worker half of this job kind (its host half: electron/jobs/host/import-dataset.ts).
// Import job. Worker: streams the source's events, stores each image as a PNG blob plus a thumbnail (content-addressed,
// idempotent), and hands items and issues to the host in small checkpoints. Host: inserts them with the new cursor
// in one transaction, and on done marks the dataset ready. Resume skips the events already committed.
import { AppError } from '../../../shared/errors.ts';
import { ImportSource } from '../../../shared/api/datasets.ts';
import type { ItemDraft } from '../../../shared/items.ts';
import { dHash, encodePng, hashToHex, type Issue as ReadIssue } from '../../formats/index.ts';
import { encodeThumbnail } from '../../formats/image-normalise.ts';
import { openSource } from '../../importers/open-source.ts';
import { BlobBatch } from '../../storage/blob-batch.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import { ThreadPool } from '../thread-pool.ts';
import type { WorkerTask } from '../worker-task.ts';

const CHECKPOINT_EVERY_EVENTS = 50;

const CHECKPOINT_EVERY_MS = 1000;

/**
 * Images being encoded (PNG and thumbnail, on sharp's threads) while the next records are read and decoded on this
 * one. Items keep their source order whatever order the encodings finish in.
 */
const IMAGES_IN_FLIGHT = 4;

export const THUMBNAIL_SIDE = 96;

/**
 * Events consumed and items imported so far; `deidentified`: the de-identification event is among the consumed ones
 * (absent in cursors written before it was kept: such an import resumes by reading its source from the start).
 */
export type Cursor = { consumed: number; imported: number; deidentified?: boolean };

export type Input = { datasetId: string; secretHex: string };

export interface StoredItem {
  draft: ItemDraft;
  image: { hash: string; size: number; thumb: string; thumbSize: number; phash: string; width: number; height: number } | null;
  extra: Record<string, string>;
}

export interface Issue {
  severity: 'rejection' | 'warning' | 'quarantine';
  file: string;
  row: number | null;
  code: string;
  reason: string;
}

export interface Output {
  items: StoredItem[];
  issues: Issue[];
  deidentification: Record<string, unknown> | null;
}

async function storeImage(store: BlobBatch, image: { width: number; height: number; channels: 1 | 3; data: Uint8Array }) {
  const png = await encodePng(image);
  const main = store.put(png);
  const thumbPng = await encodeThumbnail(image, THUMBNAIL_SIDE);
  const thumb = thumbPng ? store.put(thumbPng) : main;
  return {
    hash: main.hash,
    size: main.size,
    thumb: thumb.hash,
    thumbSize: thumb.size,
    phash: hashToHex(dHash(image)),
    width: image.width,
    height: image.height,
  };
}

/** The paths an import reads, for messages. */
function sourceLabel(params: ImportSource): string {
  return [params.path, 'images' in params ? params.images : undefined, 'labels' in params ? params.labels : undefined]
    .filter((p): p is string => typeof p === 'string')
    .join(' + ');
}

/** Remembers what was rejected, to say why a source gave nothing: a whole-file problem first, else the commonest row problem. */
class RejectionTally {
  private firstWholeFile: ReadIssue | null = null;
  private firstByCode = new Map<string, { issue: ReadIssue; n: number }>();
  private total = 0;
  quarantined = 0;

  rejected(issue: ReadIssue): void {
    this.total++;
    if (issue.row === undefined && !this.firstWholeFile) this.firstWholeFile = issue;
    const seen = this.firstByCode.get(issue.code);
    if (seen) seen.n++;
    else this.firstByCode.set(issue.code, { issue, n: 1 });
  }

  failure(source: string, mainPath: string): AppError {
    const commonest = [...this.firstByCode.values()].sort((a, b) => b.n - a.n)[0];
    if (!commonest && this.quarantined > 0) {
      return new AppError(
        'import/all-quarantined',
        `Nothing was imported from ${source}: all ${this.quarantined} image${this.quarantined === 1 ? ' was' : 's were'} quarantined (burned-in annotation); see the import's quarantine list.`,
        { path: source, quarantined: this.quarantined },
      );
    }
    if (!commonest) {
      return new AppError('import/no-items', `Nothing was imported from ${source}: the source holds no items (nothing to read and nothing rejected).`, {
        path: source,
        rejected: 0,
      });
    }
    const { issue, n } = this.firstWholeFile ? { issue: this.firstWholeFile, n: 1 } : commonest;
    const where = `${issue.file === mainPath ? '' : `${issue.file}${issue.row !== undefined ? ' ' : ': '}`}${issue.row !== undefined ? `row ${issue.row}: ` : ''}`;
    const others = this.total - n;
    return new AppError(
      `import/${issue.code.replaceAll('/', '-')}`,
      `Nothing was imported from ${source}: ${where}${issue.reason.replace(/\.$/, '')}${n > 1 ? ` (and ${n - 1} more like it)` : ''}${others > 0 ? `; ${others} other rejection${others === 1 ? '' : 's'}` : ''}.`,
      {
        path: issue.file,
        ...(issue.row !== undefined ? { row: issue.row } : {}),
        issue: issue.code,
        rejected: this.total,
      },
    );
  }
}

/** A checkpoint's worth of items whose images may still be encoding. */
type PendingItem = Omit<StoredItem, 'image'> & { image: Promise<StoredItem['image']> };

export const importDatasetTask: WorkerTask<ImportSource, Cursor, Input> = {
  kind: 'import',
  async run(ctx) {
    const blobs = new BlobBatch(new BlobStore(ctx.workspaceDir));
    const outcome = new RejectionTally();
    const skip = ctx.cursor?.consumed ?? 0;
    let consumed = 0;
    let imported = ctx.cursor?.imported ?? 0;
    let deidentified = ctx.cursor?.deidentified ?? false;
    /** Committed events the source passed over without reading them again. */
    let unread = 0;
    const resume = ctx.cursor && ctx.cursor.deidentified !== undefined ? { events: skip, deidentified } : undefined;
    let items: PendingItem[] = [];
    let pending: Omit<Output, 'items'> = { issues: [], deidentification: null };
    let pendingEvents = 0;
    let lastFlush = Date.now();
    const inFlight: Promise<unknown>[] = [];
    // Every image of the batch encoded and its blobs durable, then one checkpoint naming them.
    const flush = async () => {
      if (pendingEvents === 0 && !pending.deidentification) return;
      const stored: StoredItem[] = [];
      for (const it of items) stored.push({ ...it, image: await it.image });
      inFlight.length = 0;
      await blobs.commit();
      ctx.checkpoint({ consumed, imported, deidentified }, { ...pending, items: stored } satisfies Output, consumed, 0);
      items = [];
      pending = { issues: [], deidentification: null };
      pendingEvents = 0;
      lastFlush = Date.now();
    };
    try {
      await readEvents();
    } catch (e) {
      // Encodings still running would write into the batch after this; let them end, then drop what they staged.
      await Promise.allSettled(inFlight);
      blobs.discard();
      throw e;
    }
    // A source that gave no item at all is unusable as a whole: the job fails (its rejections stay recorded) and no
    // ready dataset is left. Resumed attempts count what earlier ones committed (cursor.imported).
    if (!ctx.cancelled() && imported === 0) throw outcome.failure(sourceLabel(ctx.params), ctx.params.path);
    // Peak resident memory of this worker (kilobytes → MB), recorded so large imports can be checked against budgets;
    // and how many reader threads it started (0: the files were read on this thread).
    return {
      consumed,
      resumedFrom: skip,
      resumedUnread: unread,
      threads: ThreadPool.threadsStarted,
      workerPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };

    async function readEvents(): Promise<void> {
      for await (const ev of openSource(ctx.params, Buffer.from(ctx.input.secretHex, 'hex'), { threads: true, ...(resume ? { resume } : {}) })) {
        consumed++;
        if (ev.type === 'skipped') unread++;
        if (consumed <= skip) continue;
        if (ev.type === 'skipped') throw new Error(`the source skipped event ${consumed}, past the ${skip} this import had committed`);
        if (ctx.cancelled()) {
          consumed--;
          break;
        }
        switch (ev.type) {
          case 'item':
            if (ev.image) {
              if (inFlight.length >= IMAGES_IN_FLIGHT) await inFlight.shift();
              const image = storeImage(blobs, ev.image);
              image.catch(() => undefined); // awaited by flush; a failure surfaces there, not as an unhandled rejection
              inFlight.push(image);
              items.push({ draft: ev.item, image, extra: ev.extra });
            } else {
              items.push({ draft: ev.item, image: Promise.resolve(null), extra: ev.extra });
            }
            imported++;
            break;
          case 'rejection':
          case 'warning':
            pending.issues.push({ severity: ev.type, file: ev.issue.file, row: ev.issue.row ?? null, code: ev.issue.code, reason: ev.issue.reason });
            if (ev.type === 'rejection') outcome.rejected(ev.issue);
            break;
          case 'quarantine':
            pending.issues.push({ severity: 'quarantine', file: ev.file, row: null, code: 'burned-in-annotation', reason: ev.reason });
            outcome.quarantined++;
            break;
          case 'deidentification':
            pending.deidentification = ev.record;
            deidentified = true;
            break;
        }
        pendingEvents++;
        ctx.progress(imported, 0, `Imported ${imported} items (${consumed} records read)`);
        if (pendingEvents >= CHECKPOINT_EVERY_EVENTS || Date.now() - lastFlush >= CHECKPOINT_EVERY_MS) await flush();
      }
      await flush();
    }
  },
};
