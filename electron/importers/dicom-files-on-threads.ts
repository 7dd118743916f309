// The every-slice DICOM import's files on a pool of threads (electron/jobs/thread-pool.ts): one per core, results in
// file order. Small folders stay on the calling thread, where starting the threads (each loads the DICOM toolkit and
// its WebAssembly codecs) would cost more than it saves; and so are the files of a worker whose threads cannot start.
import { defaultThreadCount, ThreadPool } from '../jobs/thread-pool.ts';
import { dicomFilesInTurn, type DicomFileEvents, type DicomFilesInParallel } from './dicom-folder-reader.ts';

/** Fewer files than this are read on the calling thread. */
export const MIN_FILES_FOR_THREADS = 200;

export const dicomFilesOnThreads: DicomFilesInParallel = (root, files, opts, labels) => {
  const threads = defaultThreadCount();
  if (files.length < MIN_FILES_FOR_THREADS || threads < 2) return null;
  return (async function* () {
    let pool: ThreadPool<string, DicomFileEvents>;
    try {
      pool = await ThreadPool.start<string, DicomFileEvents>('dicom-file', { root, opts, labels }, threads);
    } catch (e) {
      // Slower, same result: the files are read on the worker's own thread.
      process.stderr.write(`MedBridge: the DICOM reader threads did not start (${(e as Error).message}); reading on one thread.\n`);
      yield* dicomFilesInTurn(root, files, opts, labels);
      return;
    }
    yield* pool.map(files);
  })();
};
