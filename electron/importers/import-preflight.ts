// Checks an import request before its job starts (main side): the paths exist and are what the source needs (a regular
// file or a folder; a FIFO or device is refused without being opened), and a MedMNIST file's task is known and fits
// its arrays (2D images for a 2D task, volumes for a 3D one). Returns the request with what was resolved filled in (the
// MedMNIST task) and the default volume mode (every slice) left out, so the job and the content id see the same
// options and a request that names the default gets the same dataset as one that does not.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportSource } from '../../shared/api/datasets.ts';
import { AppError } from '../../shared/errors.ts';
import { MEDMNIST_TASKS, detectMedMnistTask, getMedMnistTask, type MedMnistTask } from '../../shared/medmnist-tasks.ts';
import { isPerVolume, volumeModeLabel, type VolumeMode } from '../../shared/volume-slices.ts';
import { NpzFile } from '../formats/npz.ts';
import { MEDMNIST_SPLITS } from '../formats/medmnist.ts';

type Kind = 'file' | 'folder' | 'file-or-folder';

async function requirePath(path: string, kind: Kind, role: string, missingCode: string): Promise<void> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new AppError(`import/${missingCode}`, `The ${role} ${path} does not exist.`, { path, role });
  if (kind === 'folder' && !st.isDirectory()) throw new AppError('import/not-a-folder', `The ${role} ${path} is not a folder.`, { path, role });
  if (kind === 'file' && st.isDirectory()) throw new AppError('import/not-a-file', `The ${role} ${path} is a folder; give the file itself.`, { path, role });
  if (!st.isDirectory() && !st.isFile()) {
    throw new AppError('import/not-a-regular-file', `The ${role} ${path} is not a regular file (a FIFO, socket or device); refused without reading it.`, {
      path,
      role,
    });
  }
}

/** Validates the request's paths and resolves its options; throws a coded AppError naming the path otherwise. */
export async function preflightImport(params: ImportSource): Promise<ImportSource> {
  switch (params.source) {
    case 'medmnist': {
      await requirePath(params.path, 'file', 'MedMNIST file', 'file-not-found');
      const task = await resolveMedMnistTask(params.path, params.task);
      if (!task.volumetric && isPerVolume(params.volume)) {
        throw new AppError(
          'import/volume-mode-2d',
          `${task.title} is a 2D task: each image is already one item. Slice choices (${volumeModeLabel(params.volume)}) apply to MedMNIST 3D files and DICOM series.`,
          { path: params.path, task: task.id },
        );
      }
      return withoutDefaultVolume({ ...params, task: task.id });
    }
    case 'pmc-vqa':
      await requirePath(params.path, 'file', 'PMC-VQA CSV', 'file-not-found');
      await requirePath(params.images, params.images.toLowerCase().endsWith('.zip') ? 'file' : 'folder', 'image folder or zip', 'images-not-found');
      return params;
    case 'vqa-rad':
    case 'slake':
      await requirePath(params.path, 'file', `${params.source === 'slake' ? 'SLAKE' : 'VQA-RAD'} annotation file`, 'file-not-found');
      // Not giving --images is a choice (items without images, one warning); naming a folder that is not there is a mistake.
      if (params.images !== undefined) await requirePath(params.images, 'folder', 'image folder', 'images-not-found');
      return params;
    case 'image-folder':
      await requirePath(params.path, 'folder', 'image folder', 'folder-not-found');
      return params;
    case 'dicom':
      await requirePath(params.path, 'folder', 'DICOM folder', 'folder-not-found');
      if (params.labels !== undefined) await requirePath(params.labels, 'file', 'labels CSV', 'labels-not-found');
      return withoutDefaultVolume(params);
  }
}

/** Every slice an item is what an import does without a volume mode: the request leaves it out. */
function withoutDefaultVolume<T extends { volume?: VolumeMode | undefined }>(params: T): T {
  if (params.volume === undefined || isPerVolume(params.volume)) return params;
  const { volume: _volume, ...rest } = params;
  return rest as T;
}

/**
 * The MedMNIST task: the one named (--task), else the one the file name names, else the one whose published split
 * sizes the file's arrays have. An unknown name, a file none of these settles, or image arrays of the other kind than
 * the task's (volumes for a 2D task, 2D images for a 3D one) is a coded error.
 */
export async function resolveMedMnistTask(path: string, named: string | undefined): Promise<MedMnistTask> {
  const known = MEDMNIST_TASKS.map((t) => t.id).join(', ');
  let task: MedMnistTask | undefined;
  if (named !== undefined) {
    task = getMedMnistTask(named);
    if (!task) throw new AppError('import/medmnist-unknown-task', `'${named}' is not a MedMNIST task (known: ${known}).`, { path, task: named });
  }
  const shapes = await arrayShapes(path);
  task ??= detectMedMnistTask(basename(path));
  if (task) {
    const volumetric = task.volumetric === true;
    const imageShapes = Object.entries(shapes ?? {}).filter(([name]) => name.endsWith('_images'));
    const wrongKind = imageShapes.find(([, s]) => is3d(s) !== volumetric);
    if (wrongKind) {
      const [name, shape] = wrongKind;
      throw new AppError(
        'import/medmnist-dimensions',
        task.volumetric
          ? `${path}: ${task.title} holds volumes (N, D, H, W), but ${name} has shape (${shape.join(', ')}), which is 2D images. Name the 2D task with --task.`
          : `${path}: ${name} has shape (${shape.join(', ')}), which is volumes, but ${task.title} is a 2D task. Name the 3D task with --task (${MEDMNIST_TASKS.filter(
              (t) => t.volumetric,
            )
              .map((t) => t.id)
              .join(', ')}).`,
        { path, task: task.id, array: name, shape: [...shape] },
      );
    }
    return task;
  }
  const fromContent = shapes ? MEDMNIST_TASKS.filter((t) => matchesPublishedSizes(t, shapes)) : [];
  if (fromContent.length === 1) return fromContent[0] as MedMnistTask;
  throw new AppError(
    'import/medmnist-task-ambiguous',
    `Cannot tell which MedMNIST task ${path} holds: its name names none and its split sizes match ${fromContent.length === 0 ? 'no published task' : 'several'}. Name it with --task (one of ${known}).`,
    { path },
  );
}

/** (N, D, H, W) or (N, D, H, W, C) volumes; 2D is (N, H, W) or (N, H, W, 1|3). */
function is3d(shape: readonly number[]): boolean {
  return shape.length === 5 || (shape.length === 4 && shape[3] !== 1 && shape[3] !== 3);
}

/** Shapes of the split arrays, read from their headers; null when the file cannot be opened (the job then says why). */
async function arrayShapes(path: string): Promise<Record<string, readonly number[]> | null> {
  let npz: NpzFile;
  try {
    ({ npz } = await NpzFile.open(path));
  } catch {
    return null;
  }
  const shapes: Record<string, readonly number[]> = {};
  try {
    for (const split of MEDMNIST_SPLITS) {
      for (const name of [`${split}_images`, `${split}_labels`]) {
        if (!npz.has(name)) continue;
        try {
          shapes[name] = (await npz.readHeader(name)).shape;
        } catch {
          // an unreadable header is the job's to report, with its code
        }
      }
    }
  } finally {
    await npz.close().catch(() => undefined);
  }
  return shapes;
}

function matchesPublishedSizes(task: MedMnistTask, shapes: Record<string, readonly number[]>): boolean {
  return MEDMNIST_SPLITS.every((split) => {
    const images = shapes[`${split}_images`];
    const labels = shapes[`${split}_labels`];
    if (!images || !labels) return false;
    if (is3d(images) !== (task.volumetric === true)) return false;
    const channels = !task.volumetric && images.length === 4 ? images[3] : 1;
    const labelWidth = labels.length === 2 ? labels[1] : 1;
    return images[0] === task.samples[split] && channels === task.channels && labelWidth === (task.type === 'multi-label' ? task.classes.length : 1);
  });
}
