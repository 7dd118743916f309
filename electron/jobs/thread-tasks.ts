// The work a pool thread can do (electron/jobs/thread-pool.ts), by name: each entry sets itself up once from the data
// every input shares and then answers one input at a time, naming the buffers its output can hand over without a copy.
import { dicomFileEvents, type DicomFileEvents, type DicomFolderOptions, type DicomLabels } from '../importers/dicom-folder-reader.ts';

export interface ThreadAnswer {
  output: unknown;
  /** Buffers moved to the receiving thread instead of copied (each must belong to this output alone). */
  transfer: ArrayBuffer[];
}

export type ThreadTask = (shared: unknown) => (input: unknown) => Promise<ThreadAnswer>;

/** An image's pixel buffer, movable when the array is its buffer's only view; a copy otherwise. */
function ownBuffer(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data : data.slice();
}

/** One DICOM file of an every-slice import (dicomFileEvents); the item's pixels are moved, not copied. */
const dicomFile: ThreadTask = (shared) => {
  const { root, opts, labels } = shared as { root: string; opts: DicomFolderOptions; labels: DicomLabels };
  return async (input) => {
    const result: DicomFileEvents = await dicomFileEvents(input as string, root, opts, labels);
    const transfer: ArrayBuffer[] = [];
    for (const ev of result.events) {
      if (ev.type !== 'item' || !ev.image) continue;
      ev.image = { ...ev.image, data: ownBuffer(ev.image.data) };
      transfer.push(ev.image.data.buffer as ArrayBuffer);
    }
    return { output: result, transfer };
  };
};

export const THREAD_TASKS = { 'dicom-file': dicomFile } satisfies Record<string, ThreadTask>;

export type ThreadTaskName = keyof typeof THREAD_TASKS;
