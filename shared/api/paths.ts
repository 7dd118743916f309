// Looking at a local path before a form starts a job: what is there (nothing, a file, a folder, something else) and,
// from a bounded sample of its bytes, what kind of source it holds. Read-only; no audit entry.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { AbsolutePath } from './local-path.ts';

export const PATH_KINDS = ['missing', 'file', 'folder', 'special'] as const;

/** What a file's first bytes (and, for a few text formats, its name) say it is. */
export const FILE_CONTENTS = ['npz', 'zip', 'csv', 'json', 'dicom-file', 'image-file', 'other-file'] as const;
/** What a folder's sampled files say it is. */
export const FOLDER_CONTENTS = ['dicom-folder', 'class-image-folder', 'flat-image-folder', 'model-pack', 'empty-folder', 'other-folder'] as const;

export const PathInspection = z.object({
  path: z.string(),
  kind: z.enum(PATH_KINDS),
  /** null for a missing path or a FIFO/socket/device (never opened). */
  content: z.enum([...FILE_CONTENTS, ...FOLDER_CONTENTS]).nullable(),
  /** Files whose first bytes were read (a folder's sample; 1 for a file). */
  sampled: z.number().int(),
  /** Among the sampled files: DICOM files, images (PNG, JPEG, BMP, TIFF, WebP) and anything else. */
  dicom: z.number().int(),
  images: z.number().int(),
  other: z.number().int(),
  /** Sub-folders directly inside the folder that hold images, by name (at most MAX_LISTED_CLASSES). */
  classFolders: z.array(z.string()),
  /** False when the folder holds more files than were sampled. */
  complete: z.boolean(),
});
export type PathInspection = z.infer<typeof PathInspection>;
export type PathContent = NonNullable<PathInspection['content']>;

export const pathsCalls = {
  'paths:inspect': defineCall({
    name: 'paths:inspect',
    summary:
      'What is at a local path (missing, file, folder) and what kind of source it holds, from a bounded read-only sample; forms check their paths with it before starting a job.',
    mutates: false,
    input: z.strictObject({ path: AbsolutePath }),
    output: PathInspection,
  }),
} as const;
