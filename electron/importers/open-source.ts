// One import source → one stream of ImportEvents, whatever its format.
import type { ImportSource } from '../../shared/api/datasets.ts';
import { readImageFolder, readMedMnist, readPmcVqa, readSlake, readVqaRad } from '../formats/index.ts';
import type { ImportEvent, ResumePoint } from './import-event.ts';
import { isPerVolume } from '../../shared/volume-slices.ts';

export interface OpenOptions {
  /** Read files on a pool of threads where a reader can (large DICOM folders, every-slice mode): for import jobs. */
  threads?: boolean;
  /** A resumed import: readers that can pass over its committed events without redoing them do (DICOM, every slice). */
  resume?: ResumePoint;
}

export function openSource(params: ImportSource, secret: Uint8Array, options: OpenOptions = {}): AsyncGenerator<ImportEvent> {
  switch (params.source) {
    case 'medmnist':
      return readMedMnist(params.path, {
        seed: params.seed,
        ...(params.task ? { task: params.task } : {}),
        ...(params.volume ? { volume: params.volume } : {}),
      });
    case 'pmc-vqa':
      return readPmcVqa(params.path, { images: params.images, ...(params.split !== undefined ? { split: params.split } : {}) });
    case 'vqa-rad':
      return readVqaRad(params.path, { seed: params.seed, ...(params.images ? { images: params.images } : {}) });
    case 'slake':
      return readSlake(params.path, { seed: params.seed, ...(params.images ? { images: params.images } : {}) });
    case 'image-folder':
      return readImageFolder(params.path, {
        seed: params.seed,
        modality: params.modality,
        task: params.task,
        ...(params.question ? { question: params.question } : {}),
      });
    case 'dicom':
      return readDicomLazily(params, secret, options);
  }
}

/** The DICOM toolkit (WebAssembly codecs) loads only when a DICOM import runs. */
async function* readDicomLazily(params: Extract<ImportSource, { source: 'dicom' }>, secret: Uint8Array, open: OpenOptions): AsyncGenerator<ImportEvent> {
  const { readDicomFolder } = await import('./dicom-folder-reader.ts');
  const options = { labels: params.labels, question: params.question, dates: params.dates, shiftDays: params.shiftDays, seed: params.seed, secret };
  if (isPerVolume(params.volume)) {
    const { readDicomSeries } = await import('./dicom-series-reader.ts');
    yield* readDicomSeries(params.path, { ...options, volume: params.volume });
  } else {
    const parallel = open.threads ? (await import('./dicom-files-on-threads.ts')).dicomFilesOnThreads : undefined;
    yield* readDicomFolder(params.path, options, parallel, open.resume);
  }
}

export function defaultDatasetName(params: ImportSource): string {
  const base = params.path.split(/[\\/]/).filter(Boolean).at(-1) ?? params.path;
  return params.name ?? `${params.source}: ${base}`;
}
