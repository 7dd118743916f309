// MedMNIST v2 .npz → one multiple-choice item per image (class names as options, seeded order), official split kept.
// 3D tasks (`*mnist3d*.npz`): volumes, items as the import's volume mode says (medmnist-volumes.ts).
// Multi-label tasks (ChestMNIST): one yes/no item per image and finding, 14 per image; sourceKey `<split>/<index>/<finding>`.
import { basename } from 'node:path';
import type { DecodedImage, ItemDraft, Split } from '../../shared/items.ts';
import { detectMedMnistTask, getMedMnistTask, type MedMnistTask } from '../../shared/medmnist-tasks.ts';
import type { VolumeMode } from '../../shared/volume-slices.ts';
import { readVolumeSplit } from './medmnist-volumes.ts';
import { FormatError, toIssue, type Issue, type ReadEvent } from './issues.ts';
import { itemEvent, shuffleOptions } from './item-builder.ts';
import { toTypedArray, type NpyArray } from './npy.ts';
import { NpzFile } from './npz.ts';
import type { ZipLimits } from './zip-reader.ts';

export const MEDMNIST_SPLITS: readonly Split[] = ['train', 'val', 'test'];
/** Largest image side accepted from an .npz (MedMNIST+ stops at 224; anything far beyond is a corrupt header). */
export const MEDMNIST_MAX_SIDE = 4096;
const YES = 'yes';
const NO = 'no';
const BENCHMARK = 'medmnist';

export interface MedMnistOptions {
  /** Import seed; each item's option order uses deriveSeed(seed, sourceKey). */
  seed: number;
  /** Task id (e.g. 'breastmnist'); detected from the file name when omitted. */
  task?: string;
  /** Read from memory instead of disk (`file` is then only a name). */
  bytes?: Uint8Array;
  splits?: readonly Split[];
  zipLimits?: Partial<ZipLimits>;
  /** 3D tasks: which slices of each volume become items (default every slice); ignored for 2D tasks. */
  volume?: VolumeMode | undefined;
}

/** Streams items from a MedMNIST .npz. Never throws: problems come out as rejection events. */
export async function* readMedMnist(file: string, opts: MedMnistOptions): AsyncGenerator<ReadEvent> {
  const task = opts.task ? getMedMnistTask(opts.task) : detectMedMnistTask(basename(file));
  if (!task) {
    yield {
      type: 'rejection',
      issue: {
        file,
        code: 'medmnist-unknown-task',
        reason: opts.task ? `'${opts.task}' is not a MedMNIST task` : 'cannot tell the MedMNIST task from the file name; name it explicitly',
      },
    };
    return;
  }
  let npz: NpzFile;
  try {
    let zipIssues: Issue[];
    ({ npz, issues: zipIssues } = await NpzFile.open(file, opts.bytes, opts.zipLimits));
    // Entries the safe zip reader refused (a bomb, a `../` name, a bad CRC…) are named, not dropped silently.
    for (const issue of zipIssues) yield { type: 'rejection', issue };
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err) };
    return;
  }
  try {
    let found = 0;
    for (const split of opts.splits ?? MEDMNIST_SPLITS) {
      const hasImages = npz.has(`${split}_images`);
      const hasLabels = npz.has(`${split}_labels`);
      if (!hasImages && !hasLabels) continue;
      found++;
      if (!hasImages || !hasLabels) {
        yield {
          type: 'rejection',
          issue: { file, code: 'npz-missing-array', reason: `split '${split}' has ${hasImages ? 'images but no labels' : 'labels but no images'}` },
        };
        continue;
      }
      yield* readSplit(npz, file, task, split, opts.seed, opts.volume);
    }
    if (found === 0) {
      yield {
        type: 'rejection',
        issue: { file, code: 'npz-missing-array', reason: `no <split>_images/<split>_labels arrays (found: ${npz.arrays().join(', ') || 'none'})` },
      };
    }
  } finally {
    await npz.close().catch(() => undefined);
  }
}

async function* readSplit(
  npz: NpzFile,
  file: string,
  task: MedMnistTask,
  split: Split,
  seed: number,
  volume: VolumeMode | undefined,
): AsyncGenerator<ReadEvent> {
  let labels: number[][];
  try {
    labels = labelRows(await npz.readArray(`${split}_labels`), task, split);
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err) };
    return;
  }
  if (task.volumetric) {
    try {
      yield* readVolumeSplit(npz, file, task, split, labels, seed, volume);
    } catch (err) {
      yield { type: 'rejection', issue: toIssue(file, err) };
    }
    return;
  }
  let row = 0;
  try {
    const rows = await npz.openRows(`${split}_images`);
    const { shape, dtype } = rows.header;
    if (dtype.kind !== 'u' || dtype.itemSize !== 1) throw new FormatError('medmnist-bad-images', `${split}_images has dtype '${dtype.descr}', expected uint8`);
    const okShape = shape.length === 3 || (shape.length === 4 && (shape[3] === 1 || shape[3] === 3));
    const [n, h, w] = shape as [number, number, number];
    if (!okShape || h < 1 || w < 1 || h > MEDMNIST_MAX_SIDE || w > MEDMNIST_MAX_SIDE) {
      throw new FormatError('medmnist-bad-images', `${split}_images has shape (${shape.join(', ')}), expected (N, H, W) or (N, H, W, 3)`);
    }
    if (n !== labels.length) throw new FormatError('npz-shape-mismatch', `${split}_images has ${n} images but ${split}_labels has ${labels.length} labels`);
    const channels: 1 | 3 = shape.length === 4 && shape[3] === 3 ? 3 : 1;
    for await (const bytes of rows.read()) {
      const index = row++;
      const image: DecodedImage = { width: w, height: h, channels, data: bytes };
      yield* itemsForImage(file, task, split, index, labels[index] as number[], image, seed);
    }
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err, row > 0 ? row + 1 : undefined) };
  }
}

/** Labels as one row of integers per image; (N,) and (N,1) both mean one label per image. */
function labelRows(arr: NpyArray, task: MedMnistTask, split: Split): number[][] {
  const { shape, data, header } = arr;
  if (header.dtype.kind === 'f') throw new FormatError('medmnist-bad-labels', `${split}_labels has float dtype '${header.dtype.descr}', expected integers`);
  const width = task.type === 'multi-label' ? task.classes.length : 1;
  const ok = shape.length === 1 ? width === 1 : shape.length === 2 && shape[1] === width;
  if (!ok)
    throw new FormatError('medmnist-bad-labels', `${split}_labels has shape (${shape.join(', ')}), expected (N,${width === 1 ? ' or (N, 1)' : ` ${width})`}`);
  const n = shape[0] as number;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r: number[] = [];
    for (let k = 0; k < width; k++) r.push(Number(data[i * width + k]));
    out.push(r);
  }
  return out;
}

function* itemsForImage(
  file: string,
  task: MedMnistTask,
  split: Split,
  index: number,
  label: number[],
  image: DecodedImage,
  seed: number,
): Generator<ReadEvent> {
  const row = index + 1;
  const imageRef = `${split}_images[${index}]`;
  const extra = { medmnistTask: task.id };
  const base = {
    kind: 'multiple-choice' as const,
    modality: task.modality,
    modalitySource: 'source' as const,
    modalityConfidence: 1,
    task: task.id,
    benchmark: BENCHMARK,
    questionType: 'class-label',
    sourceSplit: split,
    patient: null,
  };
  if (task.type === 'multi-label') {
    for (let k = 0; k < task.classes.length; k++) {
      const finding = task.classes[k] as string;
      const v = label[k];
      if (v !== 0 && v !== 1) {
        yield {
          type: 'rejection',
          issue: { file, row, code: 'label-out-of-range', reason: `${split}_labels row ${row}, finding '${finding}': value ${v} (expected 0 or 1)` },
        };
        continue;
      }
      const sourceKey = `${split}/${index}/${finding}`;
      const s = shuffleOptions([YES, NO], v === 1 ? 0 : 1, seed, sourceKey);
      const draft: ItemDraft = {
        ...base,
        sourceKey,
        question: task.question.replace('{finding}', finding),
        options: s.options,
        correct: s.correct,
        answer: s.options[s.correct] as string,
        optionSeed: s.optionSeed,
        questionType: 'finding-present',
      };
      yield itemEvent(draft, image, imageRef, { ...extra, finding }, file, row);
    }
    return;
  }
  const v = label[0] as number;
  if (!Number.isInteger(v) || v < 0 || v >= task.classes.length) {
    yield {
      type: 'rejection',
      issue: { file, row, code: 'label-out-of-range', reason: `${split}_labels row ${row}: label ${v} is not a class index 0–${task.classes.length - 1}` },
    };
    return;
  }
  const sourceKey = `${split}/${index}`;
  const s = shuffleOptions(task.classes, v, seed, sourceKey);
  const draft: ItemDraft = {
    ...base,
    sourceKey,
    question: task.question,
    options: s.options,
    correct: s.correct,
    answer: s.options[s.correct] as string,
    optionSeed: s.optionSeed,
  };
  yield itemEvent(draft, image, imageRef, extra, file, row);
}

// Re-exported for callers that want raw row conversion of non-uint8 arrays.
export { toTypedArray };
