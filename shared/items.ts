// What an importer produces for one question before it is stored: the common shape of every data source.
import { z } from 'zod';

export const MODALITIES = [
  'x-ray',
  'ct',
  'mri',
  'ultrasound',
  'pet',
  'nuclear-medicine',
  'mammography',
  'angiography',
  'microscopy',
  'pathology',
  'dermoscopy',
  'fundus',
  'endoscopy',
  'oct',
  'photo',
  'other',
  'none',
] as const;
export const Modality = z.enum(MODALITIES);
export type Modality = z.infer<typeof Modality>;

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 26;
export const OPTION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const Split = z.enum(['train', 'val', 'test']);
export type Split = z.infer<typeof Split>;

export const LabelSource = z.enum(['source', 'dicom-tag', 'text-rules', 'classifier', 'vlm', 'manual', 'none']);
export type LabelSource = z.infer<typeof LabelSource>;

/** A decoded 8-bit image ready to be stored as a blob (PNG) and shown to a model. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Row-major, interleaved channels, 8-bit. */
  data: Uint8Array;
}

/** One question as parsed from a source, before storage. Images are referenced by a key the importer resolves. */
export const ItemDraft = z.object({
  /** Stable key inside the source (row number, file path + frame, qid), used in error messages and for resume. */
  sourceKey: z.string().min(1),
  question: z.string().min(1),
  /** Multiple-choice options (2–26). Empty for free-form questions. */
  options: z.array(z.string().min(1)).max(MAX_OPTIONS),
  /** Index of the correct option, or null for free-form items. */
  correct: z.number().int().min(0).nullable(),
  /** Reference answer text (always set: the correct option's text for multiple choice). */
  answer: z.string(),
  kind: z.enum(['multiple-choice', 'free-form']),
  modality: Modality,
  modalitySource: LabelSource,
  modalityConfidence: z.number().min(0).max(1),
  task: z.string().min(1),
  /** Benchmark or source family, e.g. "medmnist", "vqa-rad", "slake", "pmc-vqa", "dicom", "image-folder". */
  benchmark: z.string().min(1),
  /** e.g. "closed" / "open" for VQA benchmarks, "class-label" for MedMNIST. */
  questionType: z.string().min(1),
  /** Split given by the source, if any. */
  sourceSplit: Split.nullable(),
  /** Keyed-hash patient pseudonym, never a real identifier. */
  patient: z.string().nullable(),
  /** Seed used to shuffle option order, when the importer shuffled. */
  optionSeed: z.number().int().nullable(),
});
export type ItemDraft = z.infer<typeof ItemDraft>;
