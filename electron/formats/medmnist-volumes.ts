// MedMNIST 3D splits: `<split>_images` of shape (N, S, S, S) — or (N, S, S, S, 1) — uint8 with S = 28 or 64, one
// volume per row, read one volume at a time. Slices are taken along the first volume axis (axis 1 of the array): slice
// k is the S × S plane volume[k, :, :]. What becomes items follows the import's volume mode (shared/volume-slices.ts):
//   every slice — S items per volume, sourceKey `<split>/<index>/slice/<k>`, the volume (`<split>/<index>`) as its
//                 patient so a patient-level split keeps a volume's slices together;
//   one per volume — sourceKey `<split>/<index>` (as a 2D image's), its image the chosen slice or the montage.
// Each item records `slices` (the chosen indices) and `sliceCount` (S) in its extra.
import type { DecodedImage, ItemDraft, Split } from '../../shared/items.ts';
import { MEDMNIST_3D_SIZES, type MedMnistTask } from '../../shared/medmnist-tasks.ts';
import { chooseSlices, tissueFraction, type VolumeMode } from '../../shared/volume-slices.ts';
import { composeMontage } from '../importers/montage-image.ts';
import { FormatError, type ReadEvent } from './issues.ts';
import { itemEvent, shuffleOptions } from './item-builder.ts';
import type { NpzFile } from './npz.ts';

const BENCHMARK = 'medmnist';
const EVERY_SLICE: VolumeMode = { mode: 'every-slice' };

/** The side S of a volume array's shape, or a FormatError naming the expected shapes. */
function volumeSide(split: Split, shape: readonly number[], descr: string, kind: string, itemSize: number): number {
  if (kind !== 'u' || itemSize !== 1) throw new FormatError('medmnist-bad-volume', `${split}_images has dtype '${descr}', expected uint8`);
  const [, d, h, w, c] = shape;
  const cubic = (shape.length === 4 || (shape.length === 5 && c === 1)) && d === h && h === w;
  if (!cubic || !(MEDMNIST_3D_SIZES as readonly number[]).includes(d as number)) {
    throw new FormatError(
      'medmnist-bad-volume',
      `${split}_images has shape (${shape.join(', ')}); a MedMNIST 3D file holds volumes (N, 28, 28, 28) or (N, 64, 64, 64)`,
    );
  }
  return d as number;
}

function slice(volume: Uint8Array, side: number, k: number): DecodedImage {
  const plane = side * side;
  return { width: side, height: side, channels: 1, data: volume.slice(k * plane, (k + 1) * plane) };
}

/** Items of one split of a 3D task; labels are already read (one row per volume). Throws FormatError for a bad array. */
export async function* readVolumeSplit(
  npz: NpzFile,
  file: string,
  task: MedMnistTask,
  split: Split,
  labels: number[][],
  seed: number,
  volume: VolumeMode | undefined,
): AsyncGenerator<ReadEvent> {
  const mode = volume ?? EVERY_SLICE;
  const rows = await npz.openRows(`${split}_images`);
  const { shape, dtype } = rows.header;
  const side = volumeSide(split, shape, dtype.descr, dtype.kind, dtype.itemSize);
  const n = shape[0] as number;
  if (n !== labels.length) throw new FormatError('npz-shape-mismatch', `${split}_images has ${n} volumes but ${split}_labels has ${labels.length} labels`);
  let index = 0;
  for await (const bytes of rows.read()) {
    const i = index++;
    const row = i + 1;
    const v = labels[i]?.[0] as number;
    if (!Number.isInteger(v) || v < 0 || v >= task.classes.length) {
      yield {
        type: 'rejection',
        issue: { file, row, code: 'label-out-of-range', reason: `${split}_labels row ${row}: label ${v} is not a class index 0–${task.classes.length - 1}` },
      };
      continue;
    }
    const base = {
      kind: 'multiple-choice' as const,
      modality: task.modality,
      modalitySource: 'source' as const,
      modalityConfidence: 1,
      task: task.id,
      benchmark: BENCHMARK,
      questionType: 'class-label',
      sourceSplit: split,
      question: task.question,
    };
    const item = (sourceKey: string, image: DecodedImage, indices: readonly number[], patient: string | null): ReadEvent => {
      const s = shuffleOptions(task.classes, v, seed, sourceKey);
      const draft: ItemDraft = {
        ...base,
        sourceKey,
        patient,
        options: s.options,
        correct: s.correct,
        answer: s.options[s.correct] as string,
        optionSeed: s.optionSeed,
      };
      return itemEvent(
        draft,
        image,
        `${split}_images[${i}]`,
        { medmnistTask: task.id, volumeMode: mode.mode, slices: indices.join(','), sliceCount: String(side) },
        file,
        row,
      );
    };
    if (mode.mode === 'every-slice') {
      for (let k = 0; k < side; k++) yield item(`${split}/${i}/slice/${k}`, slice(bytes, side, k), [k], `${split}/${i}`);
      continue;
    }
    const scores = mode.mode === 'most-tissue' ? Array.from({ length: side }, (_, k) => tissueFraction(slice(bytes, side, k))) : undefined;
    const chosen = chooseSlices(side, mode, scores);
    const image = chosen.length === 1 ? slice(bytes, side, chosen[0] as number) : composeMontage(chosen.map((k) => slice(bytes, side, k)));
    yield item(`${split}/${i}`, image, chosen, null);
  }
}
