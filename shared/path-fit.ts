// Whether what `paths:inspect` found at a path fits the field it was typed into, and if not, a message for the
// field that says what is there instead and, where another source reads it, which one ("this folder holds DICOM
// files — import it as a DICOM folder?"). Pure: the forms call it with the host's answer; tested on the fixtures in
// tests/integration/data/paths-inspect.test.ts.
import type { PathInspection } from './api/paths.ts';

/** What a form field expects at its path. */
export type PathRole =
  'medmnist-file' | 'csv-file' | 'vqa-file' | 'labels-csv' | 'class-image-folder' | 'images-folder' | 'images-folder-or-zip' | 'dicom-folder' | 'model-pack';

/** The import sources a misplaced path may belong to (the `source` values of datasets:import). */
export type SuggestedSource = 'medmnist' | 'image-folder' | 'dicom';

export interface PathProblem {
  code: string;
  message: string;
  /** The source that reads what is there, offered as a one-click switch. */
  suggest?: SuggestedSource;
}

const FOLDER_ROLES: ReadonlySet<PathRole> = new Set(['class-image-folder', 'images-folder', 'dicom-folder', 'model-pack']);

const WHAT: Record<PathRole, string> = {
  'medmnist-file': 'a MedMNIST .npz file',
  'csv-file': 'a CSV file',
  'vqa-file': 'an annotation file (JSON or CSV)',
  'labels-csv': 'a labels CSV file',
  'class-image-folder': 'a folder with one sub-folder of images per class',
  'images-folder': 'a folder of images',
  'images-folder-or-zip': 'a folder of images or a .zip file',
  'dicom-folder': 'a folder of DICOM files',
  'model-pack': 'a model-pack folder (manifest.json, or config.json with an onnx/ folder)',
};

function sampleNote(i: PathInspection): string {
  return i.complete ? `${i.sampled} file${i.sampled === 1 ? '' : 's'}` : `the first ${i.sampled} files looked at`;
}

/** What a folder holds, in words, for messages. */
function folderHolds(i: PathInspection): string {
  switch (i.content) {
    case 'dicom-folder':
      return `holds DICOM files (${i.dicom} of ${sampleNote(i)})`;
    case 'class-image-folder':
      return `holds images in class sub-folders (${i.classFolders.slice(0, 4).join(', ')}${i.classFolders.length > 4 ? ', …' : ''})`;
    case 'flat-image-folder':
      return `holds images directly, not in class sub-folders (${i.images} of ${sampleNote(i)})`;
    case 'model-pack':
      return 'is a model pack';
    case 'empty-folder':
      return 'is empty';
    default:
      return `holds no images or DICOM files (${sampleNote(i)})`;
  }
}

/** null when the path fits the role; else the problem to show at the field. */
export function pathProblem(i: PathInspection, role: PathRole): PathProblem | null {
  const path = i.path;
  if (i.kind === 'missing')
    return { code: 'path/not-found', message: `Nothing is at ${path}. Check the spelling: the path is read on the computer running MedBridge.` };
  if (i.kind === 'special')
    return { code: 'path/not-a-regular-file', message: `${path} is not a regular file or folder (a FIFO, socket or device); it is not opened.` };
  const wantsFolder = FOLDER_ROLES.has(role);
  if (wantsFolder && i.kind === 'file') {
    const suggest: SuggestedSource | undefined = i.content === 'npz' && role !== 'model-pack' ? 'medmnist' : undefined;
    return {
      code: 'path/not-a-folder',
      message: `${path} is a file; give ${WHAT[role]}.${suggest ? ' It is an .npz file — import it as MedMNIST?' : ''}`,
      ...(suggest ? { suggest } : {}),
    };
  }
  if (role === 'images-folder-or-zip') {
    if (i.kind === 'file') return i.content === 'zip' ? null : { code: 'path/not-a-zip', message: `${path} is not a .zip file; give ${WHAT[role]}.` };
    return i.content === 'class-image-folder' || i.content === 'flat-image-folder'
      ? null
      : { code: 'path/no-images', message: `${path} ${folderHolds(i)}; give ${WHAT[role]}.` };
  }
  if (!wantsFolder && i.kind === 'folder') {
    return {
      code: 'path/not-a-file',
      message: `${path} is a folder; give ${WHAT[role]} itself.${i.content === 'dicom-folder' ? ' This folder holds DICOM files — import it as a DICOM folder?' : ''}`,
      ...(i.content === 'dicom-folder' ? { suggest: 'dicom' as const } : {}),
    };
  }
  switch (role) {
    case 'medmnist-file':
      return i.content === 'npz' ? null : { code: 'path/not-npz', message: `${path} is not an .npz file (MedMNIST v2 files are NumPy .npz archives).` };
    case 'csv-file':
    case 'labels-csv':
      return i.content === 'csv' ? null : { code: 'path/not-csv', message: `${path} is not a .csv file; give ${WHAT[role]}.` };
    case 'vqa-file':
      return i.content === 'json' || i.content === 'csv'
        ? null
        : { code: 'path/not-json-or-csv', message: `${path} is not a .json or .csv file; give ${WHAT[role]}.` };
    case 'class-image-folder':
      if (i.content === 'class-image-folder') {
        return i.classFolders.length >= 2
          ? null
          : {
              code: 'path/too-few-classes',
              message: `${path} has one class sub-folder with images (${i.classFolders[0] ?? ''}); at least two classes are needed, one sub-folder each.`,
            };
      }
      if (i.content === 'dicom-folder')
        return {
          code: 'path/dicom-folder',
          message: `This folder holds DICOM files (${i.dicom} of ${sampleNote(i)}) — import it as a DICOM folder?`,
          suggest: 'dicom',
        };
      return { code: 'path/not-an-image-folder', message: `${path} ${folderHolds(i)}; give ${WHAT[role]}.` };
    case 'images-folder':
      return i.content === 'class-image-folder' || i.content === 'flat-image-folder'
        ? null
        : { code: 'path/no-images', message: `${path} ${folderHolds(i)}; give ${WHAT[role]}.` };
    case 'dicom-folder':
      if (i.content === 'dicom-folder') return null;
      if (i.content === 'class-image-folder')
        return {
          code: 'path/image-folder',
          message: `This folder ${folderHolds(i)} and no DICOM files — import it as an image folder?`,
          suggest: 'image-folder',
        };
      return { code: 'path/no-dicom', message: `${path} ${folderHolds(i)}; give ${WHAT[role]}.` };
    case 'model-pack':
      // Only what is surely not a pack is refused here; the register job checks a pack's files and says what is wrong.
      if (i.content === 'dicom-folder' || i.content === 'class-image-folder' || i.content === 'flat-image-folder' || i.content === 'empty-folder') {
        return { code: 'path/not-a-model-pack', message: `${path} ${folderHolds(i)}, not a model pack; give ${WHAT[role]}.` };
      }
      return null;
  }
}
