// A DICOM folder → one item per series (volume modes other than every slice; that mode is dicom-folder-reader.ts,
// unchanged). Same de-identification, labels CSV join, windowing and rejections as the per-file reader.
//
// Pass 1 reads every file's header only (parse + de-identify; no pixels kept): files are grouped into series by the
// pseudonymised (Study Instance UID, Series Instance UID) the de-identifier produces, wherever they sit in the tree; a
// file without a Series Instance UID is a series of its own. Within a series, slices are ordered by Image Position
// (Patient) projected on the slice normal (Image Orientation row × column) when every slice has both; else by
// Instance Number when every slice has one; else by relative file name (ties: Instance Number, then file name).
// A multi-frame file counts as one slice (its first frame), as in the per-file reader.
//
// Pass 2 decodes only what the mode needs, one file at a time: the middle slice, the N montage slices, or — for the
// slice with most tissue — every slice in turn, keeping only its score and the best image so far. A slice it needs
// that cannot be read or decoded is rejected by name and its series gives no item (slices it does not need are not
// decoded, so their pixel problems go unnoticed).
//
// Labels: each file's label is looked up as the per-file reader does (original SOP, then Series, then Study UID); a
// series takes the label its files share. A series with an unlabelled file is rejected (row-invalid), one whose files
// carry different labels is rejected (series-labels-disagree), each naming the series' first file and its size.
//
// The item's sourceKey is a keyed hash of the pseudonymised study and series UIDs (not a file path); its extra holds
// the mode, the chosen slice indices (0-based, in the order above) and the slice count.
import { createHmac } from 'node:crypto';
import type { DecodedImage } from '../../shared/items.ts';
import { chooseSlices, tissueFraction, type VolumeMode } from '../../shared/volume-slices.ts';
import { readIntegerString, readNumberString } from '../dicom/attribute-values.ts';
import { decodeDicom, readDicom, type DeidentifiedRecord, type DicomFile } from '../dicom/index.ts';
import { textTooLong } from '../formats/item-builder.ts';
import type { IssueCode } from '../formats/index.ts';
import { SOURCE_KEY_HEX, deidentifiedFiles, dicomDraft, labelOf, readDicomBytes, scanDicomFolder, type DicomFolderOptions } from './dicom-folder-reader.ts';
import type { ImportEvent } from './import-event.ts';
import { composeMontage } from './montage-image.ts';

export interface DicomSeriesOptions extends DicomFolderOptions {
  volume: Exclude<VolumeMode, { mode: 'every-slice' }>;
}

const IMAGE_POSITION = 'x00200032';
const IMAGE_ORIENTATION = 'x00200037';
const INSTANCE_NUMBER = 'x00200013';

interface SliceHeader {
  path: string;
  rel: string;
  /** Position along the slice normal (mm), when Image Position and Orientation are both readable. */
  position: number | null;
  instance: number | null;
  label: string | undefined;
}

interface Series {
  key: string;
  slices: SliceHeader[];
  metadata: DeidentifiedRecord['metadata'];
  patient: string | null;
}

function numbers(file: DicomFile, tag: string, count: number): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = readNumberString(file.dataSet, tag, i);
    if (v === undefined) return null;
    out.push(v);
  }
  return out;
}

/** Image Position (Patient) · (row direction × column direction): where the slice lies along its normal. */
function slicePosition(file: DicomFile): number | null {
  const p = numbers(file, IMAGE_POSITION, 3);
  const o = numbers(file, IMAGE_ORIENTATION, 6);
  if (!p || !o) return null;
  const [r0, r1, r2, c0, c1, c2] = o as [number, number, number, number, number, number];
  const normal = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0] as const;
  return p[0]! * normal[0] + p[1]! * normal[1] + p[2]! * normal[2];
}

/** The slice order stated at the top of this file. */
export function orderSlices<T extends { rel: string; position: number | null; instance: number | null }>(slices: readonly T[]): T[] {
  const byName = (a: T, b: T) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
  const byInstance = (a: T, b: T) => (a.instance !== null && b.instance !== null ? a.instance - b.instance : 0);
  if (slices.every((s) => s.position !== null))
    return [...slices].sort((a, b) => (a.position as number) - (b.position as number) || byInstance(a, b) || byName(a, b));
  if (slices.every((s) => s.instance !== null)) return [...slices].sort((a, b) => byInstance(a, b) || byName(a, b));
  return [...slices].sort(byName);
}

async function decodeSlice(slice: SliceHeader): Promise<DecodedImage | ImportEvent> {
  const bytes = await readDicomBytes(slice.path, slice.rel);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const read = readDicom(bytes, slice.rel);
  if (!read.ok) return { type: 'rejection', issue: { file: slice.rel, code: read.error.code as IssueCode, reason: read.error.message } };
  const decoded = await decodeDicom(read, { maxFrames: 1 });
  if (!decoded.ok || !decoded.frames[0]) {
    return {
      type: 'rejection',
      issue: {
        file: slice.rel,
        code: decoded.ok ? 'image-undecodable' : (decoded.error.code as IssueCode),
        reason: decoded.ok ? 'no frame could be decoded' : decoded.error.message,
      },
    };
  }
  return decoded.frames[0];
}

function seriesName(s: Series): string {
  return `the series of ${s.slices.length} file${s.slices.length === 1 ? '' : 's'} starting at ${s.slices[0]?.rel}`;
}

export async function* readDicomSeries(root: string, opts: DicomSeriesOptions): AsyncGenerator<ImportEvent> {
  const scan = yield* scanDicomFolder(root, opts);
  if (!scan) return;
  const { labels, labelSet } = scan;

  // ---- Pass 1: headers, grouped by pseudonymised study + series.
  const series = new Map<string, Series>();
  for await (const file of deidentifiedFiles(root, scan.files, opts)) {
    if (file.type !== 'dicom-file') {
      yield file;
      continue;
    }
    const { path, rel, read, record } = file;
    const { studyInstanceUid: study, seriesInstanceUid: seriesUid } = record.metadata;
    const key = seriesUid ? `series\u0000${study ?? ''}\u0000${seriesUid}` : `file\u0000${rel}`;
    const slice: SliceHeader = {
      path,
      rel,
      position: slicePosition(read),
      instance: readIntegerString(read.dataSet, INSTANCE_NUMBER) ?? null,
      label: labels ? labelOf(read.dataSet, labels) : undefined,
    };
    const known = series.get(key);
    if (known) known.slices.push(slice);
    else series.set(key, { key, slices: [slice], metadata: record.metadata, patient: record.patientPseudonym });
  }

  // ---- Pass 2: one item per series, decoding only what the mode needs.
  for (const s of series.values()) {
    const slices = orderSlices(s.slices);
    const first = slices[0] as SliceHeader;
    if (labels) {
      const unlabelled = slices.filter((x) => x.label === undefined);
      if (unlabelled.length > 0) {
        yield {
          type: 'rejection',
          issue: {
            file: first.rel,
            code: 'row-invalid',
            reason: `${seriesName(s)}: ${unlabelled.length} of its files have no label in the labels CSV (joined on SOP, Series or Study Instance UID), e.g. ${unlabelled[0]?.rel}`,
          },
        };
        continue;
      }
      const counts = new Map<string, number>();
      for (const x of slices) counts.set(x.label as string, (counts.get(x.label as string) ?? 0) + 1);
      if (counts.size > 1) {
        const list = [...counts.entries()]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([l, n]) => `'${l}' (${n})`)
          .join(', ');
        yield {
          type: 'rejection',
          issue: {
            file: first.rel,
            code: 'series-labels-disagree',
            reason: `${seriesName(s)}: its files carry different labels in the labels CSV — ${list}; one series is one item, so it needs one label`,
          },
        };
        continue;
      }
    }
    const sourceKey = `dicom-series:${createHmac('sha256', opts.secret).update(s.key).digest('hex').slice(0, SOURCE_KEY_HEX)}`;
    const draft = dicomDraft(sourceKey, s.metadata, s.patient, first.label, labelSet, opts);
    if ('reason' in draft) {
      yield { type: 'rejection', issue: { file: first.rel, code: 'item-invalid', reason: `${seriesName(s)}: ${draft.reason}` } };
      continue;
    }
    const tooLong = textTooLong(draft);
    if (tooLong) {
      yield { type: 'rejection', issue: { file: first.rel, code: 'text-too-long', reason: tooLong } };
      continue;
    }
    let chosen: number[];
    let image: DecodedImage;
    let failed: ImportEvent | null = null;
    if (opts.volume.mode === 'most-tissue') {
      // Every slice is decoded in turn; only its score and the best image so far are kept (ties: the lower index).
      const scores: number[] = [];
      let best: DecodedImage | null = null;
      let bestScore = -1;
      for (const x of slices) {
        const d = await decodeSlice(x);
        if (!('data' in d)) {
          failed = d;
          break;
        }
        const score = tissueFraction(d);
        if (score > bestScore) {
          best = d;
          bestScore = score;
        }
        scores.push(score);
      }
      if (failed || !best) {
        yield failed ?? { type: 'rejection', issue: { file: first.rel, code: 'image-undecodable', reason: `${seriesName(s)}: no slice could be decoded` } };
        continue;
      }
      chosen = chooseSlices(slices.length, opts.volume, scores);
      image = best;
    } else {
      chosen = chooseSlices(slices.length, opts.volume);
      const images: DecodedImage[] = [];
      for (const k of chosen) {
        const d = await decodeSlice(slices[k] as SliceHeader);
        if (!('data' in d)) {
          failed = d;
          break;
        }
        images.push(d);
      }
      if (failed) {
        yield failed;
        continue;
      }
      image = images.length === 1 ? (images[0] as DecodedImage) : composeMontage(images);
    }
    yield {
      type: 'item',
      item: draft,
      image,
      imageRef: first.rel,
      extra: {
        frames: String(s.metadata.frames ?? 1),
        bodyPart: s.metadata.bodyPartExamined ?? '',
        volumeMode: opts.volume.mode,
        slices: chosen.join(','),
        sliceCount: String(slices.length),
      },
    };
  }
}
