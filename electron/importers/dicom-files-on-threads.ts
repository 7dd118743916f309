// The every-slice DICOM import's files on a pool of threads (electron/jobs/thread-pool.ts): one per core, results in
// file order. Small folders stay on the calling thread, where starting the threads (each loads the DICOM toolkit and
// its WebAssembly codecs) would cost more than it saves.
import { defaultThreadCount, ThreadPool } from '../jobs/thread-pool.ts';
import type { DicomFileEvents, DicomFilesInParallel } from './dicom-folder-reader.ts';

/** Fewer files than this are read on the calling thread. */
export const MIN_FILES_FOR_THREADS = 200;

export const dicomFilesOnThreads: DicomFilesInParallel = (root, files, opts, labels) => {
  const threads = defaultThreadCount();
  if (files.length < MIN_FILES_FOR_THREADS || threads < 2) return null;
  return new ThreadPool<string, DicomFileEvents>('dicom-file', { root, opts, labels }, threads).map(files);
};
