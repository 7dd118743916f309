// A folder tree of DICOM files → de-identified multiple-choice items. Every file is read in memory only; identifying
// attributes never leave this function (only the de-identified record, the pseudonym and an 8-bit rendering do).
// Labels come from an optional CSV joined on SOP/Series/Study Instance UID; without one, the question is the
// image's modality (a real recognition task) with options drawn from a fixed list.
import { createHmac } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { deriveSeed, createRng, shuffled } from '../../shared/random.ts';
import type { ItemDraft, Modality } from '../../shared/items.ts';
import { modalityFromDicomTag } from '../../shared/modality/dicom-tag.ts';
import { decodeDicom, deidentify, readDicom, type DeidentifiedRecord, type DicomFile } from '../dicom/index.ts';
import { readString } from '../dicom/attribute-values.ts';
import { TAG } from '../dicom/tags.ts';
import { fileChunks } from '../formats/source-bytes.ts';
import { walkFolder } from '../formats/folder-walk.ts';
import { textTooLong } from '../formats/item-builder.ts';
import { readCsvTable } from '../formats/csv-table.ts';
import type { ImportEvent, ResumePoint } from './import-event.ts';
import { toIssue, type IssueCode } from '../formats/index.ts';

const MAX_DICOM_FILE_BYTES = 2 * 1024 * 1024 * 1024;
export const SOURCE_KEY_HEX = 20;
const DEFAULT_LABEL_QUESTION = 'What does this {modality} image show?';
const MODALITY_QUESTION = 'Which imaging modality produced this image?';
const MODALITY_DISTRACTORS: readonly string[] = ['CT', 'MRI', 'X-ray', 'ultrasound', 'PET', 'nuclear medicine', 'mammography', 'angiography'];
const MODALITY_OPTION_COUNT = 4;
const MODALITY_NAMES: Partial<Record<Modality, string>> = {
  ct: 'CT',
  mri: 'MRI',
  'x-ray': 'X-ray',
  ultrasound: 'ultrasound',
  pet: 'PET',
  'nuclear-medicine': 'nuclear medicine',
  mammography: 'mammography',
  angiography: 'angiography',
};

export interface DicomFolderOptions {
  labels?: string | undefined;
  question?: string | undefined;
  dates: 'remove' | 'shift';
  shiftDays?: number | undefined;
  seed: number;
  secret: Uint8Array;
}

async function readLabels(file: string): Promise<{ labels: Map<string, string>; events: ImportEvent[] }> {
  const labels = new Map<string, string>();
  const events: ImportEvent[] = [];
  const uidColumns = ['sopinstanceuid', 'seriesinstanceuid', 'studyinstanceuid'];
  for await (const ev of readCsvTable(
    file,
    await fileChunks(file),
    { label: ['label', 'Label', 'finding', 'class'] },
    { sop: ['SOPInstanceUID', 'sop_instance_uid'], series: ['SeriesInstanceUID', 'series_instance_uid'], study: ['StudyInstanceUID', 'study_instance_uid'] },
  )) {
    if (ev.type === 'rejection') {
      events.push(ev);
      continue;
    }
    const label = ev.values.get('label')?.trim();
    const uid = ev.values.get('sop') || ev.values.get('series') || ev.values.get('study');
    if (!label || !uid) {
      events.push({ type: 'rejection', issue: { file, row: ev.row, code: 'row-invalid', reason: `needs a label and one of ${uidColumns.join(', ')}` } });
      continue;
    }
    labels.set(uid.trim(), label);
  }
  return { labels, events };
}

/** Every file under the root (hidden names skipped), and one rejection per link leading outside it; throws when the root cannot be listed. */
export async function listDicomFiles(root: string): Promise<{ files: string[]; refused: ImportEvent[] }> {
  // Symbolic links are followed inside the folder and refused (one rejection each) when they lead outside it.
  const files: string[] = [];
  const refused: ImportEvent[] = [];
  for await (const entry of walkFolder(root, { skipHidden: true })) {
    if (entry.type === 'file') files.push(entry.path);
    else refused.push({ type: 'rejection', issue: { file: entry.rel, code: entry.code, reason: entry.reason } });
  }
  return { files, refused };
}

/** The labels CSV as a map from original UID to label, or the one rejection that stops the import; null without a CSV. */
export async function* readLabelsOption(opts: DicomFolderOptions): AsyncGenerator<ImportEvent, Map<string, string> | null | 'failed'> {
  if (!opts.labels) return null;
  let read: Awaited<ReturnType<typeof readLabels>>;
  try {
    read = await readLabels(opts.labels);
  } catch (e) {
    // Without its labels the folder cannot be asked about as requested: one rejection naming the CSV, no items.
    yield { type: 'rejection', issue: toIssue(opts.labels, e) };
    return 'failed';
  }
  for (const e of read.events) yield e;
  return read.labels;
}

/** A file's bytes, or the rejection saying why not (too large, unreadable). */
export async function readDicomBytes(path: string, rel: string): Promise<Uint8Array | ImportEvent> {
  try {
    const st = await stat(path);
    if (st.size > MAX_DICOM_FILE_BYTES) {
      return {
        type: 'rejection',
        issue: { file: rel, code: 'file-too-large', reason: `file is ${st.size} bytes, over the ${MAX_DICOM_FILE_BYTES}-byte limit` },
      };
    }
    return new Uint8Array(await readFile(path));
  } catch (e) {
    return { type: 'rejection', issue: { file: rel, code: 'file-unreadable', reason: (e as Error).message } };
  }
}

/** The de-identification applied, reported once per import (from the first file's record). */
export function deidentificationEvent(record: DeidentifiedRecord, opts: DicomFolderOptions): ImportEvent {
  return {
    type: 'deidentification',
    record: {
      profile: record.profile,
      methods: record.methods,
      dates: opts.dates,
      shiftDays: opts.shiftDays ?? (opts.dates === 'shift' ? 'per-patient keyed shift' : null),
      pseudonyms: 'HMAC-SHA-256 with the workspace secret',
      uids: 'keyed-hash 2.25 UIDs',
      privateTags: 'removed',
      originalFilesCopied: false,
    },
  };
}

/** The label a file has in the labels CSV: joined on its original SOP, then Series, then Study Instance UID. */
export function labelOf(dataSet: DicomFile['dataSet'], labels: Map<string, string>): string | undefined {
  const original = (t: string) => readString(dataSet, t)?.replace(/\0/g, '').trim();
  return (
    labels.get(original(TAG.sopInstanceUid) ?? '') ?? labels.get(original(TAG.seriesInstanceUid) ?? '') ?? labels.get(original(TAG.studyInstanceUid) ?? '')
  );
}

/**
 * The item for one image (or one series): with labels, the question template over the label set; without, which
 * modality produced it. A rejection reason (code item-invalid) when the modality is not one MedBridge can ask about.
 */
export function dicomDraft(
  sourceKey: string,
  metadata: DeidentifiedRecord['metadata'],
  patient: string | null,
  label: string | undefined,
  labelSet: string[] | null,
  opts: DicomFolderOptions,
): ItemDraft | { reason: string } {
  const tag = modalityFromDicomTag(metadata.modality);
  const modality: Modality = tag?.modality ?? 'none';
  const itemSeed = deriveSeed(opts.seed, sourceKey);
  if (labelSet) {
    const options = shuffled(labelSet, createRng(itemSeed));
    const question = (opts.question ?? DEFAULT_LABEL_QUESTION)
      .replace('{modality}', MODALITY_NAMES[modality] ?? 'medical')
      .replace('{bodyPart}', (metadata.bodyPartExamined ?? '').toLowerCase());
    return baseDraft(
      sourceKey,
      question,
      options,
      options.indexOf(label ?? ''),
      modality,
      tag ? 'dicom-tag' : 'none',
      tag?.confidence ?? 0,
      'dicom-label',
      patient,
      itemSeed,
    );
  }
  const name = MODALITY_NAMES[modality];
  if (!name)
    return { reason: `no labels CSV was given and the modality "${metadata.modality ?? 'missing'}" is not one MedBridge can ask about; give a labels CSV` };
  const rng = createRng(itemSeed);
  const distractors = shuffled(
    MODALITY_DISTRACTORS.filter((d) => d !== name),
    rng,
  ).slice(0, MODALITY_OPTION_COUNT - 1);
  const options = shuffled([name, ...distractors], rng);
  return baseDraft(
    sourceKey,
    MODALITY_QUESTION,
    options,
    options.indexOf(name),
    modality,
    'dicom-tag',
    tag?.confidence ?? 1,
    'dicom-modality',
    patient,
    itemSeed,
  );
}

/** A file of the folder that parsed, was de-identified and is not quarantined. */
export interface DeidentifiedFile {
  type: 'dicom-file';
  path: string;
  /** Relative to the import root, with forward slashes. */
  rel: string;
  read: DicomFile;
  record: DeidentifiedRecord;
}

/** What both DICOM readers start with: the folder's files, and the labels CSV when one was given. */
export interface DicomFolderScan {
  files: string[];
  labels: Map<string, string> | null;
  labelSet: string[] | null;
}

/**
 * Lists the folder (entries it refuses come out as events) and reads the labels CSV; null when either failed (the
 * rejection has been yielded).
 */
export async function* scanDicomFolder(root: string, opts: DicomFolderOptions): AsyncGenerator<ImportEvent, DicomFolderScan | null> {
  let listed: Awaited<ReturnType<typeof listDicomFiles>>;
  try {
    listed = await listDicomFiles(root);
  } catch (e) {
    yield { type: 'rejection', issue: { file: root, code: 'file-not-found', reason: `cannot list the folder (${(e as Error).message})` } };
    return null;
  }
  yield* listed.refused;
  const labels = yield* readLabelsOption(opts);
  if (labels === 'failed') return null;
  return { files: listed.files, labels, labelSet: labels ? [...new Set(labels.values())].sort() : null };
}

/** Reads and de-identifies one file: a rejection or quarantine event, or the usable file with its record. */
export async function deidentifyFile(
  path: string,
  root: string,
  opts: DicomFolderOptions,
): Promise<{ event: ImportEvent | DeidentifiedFile; record: DeidentifiedRecord | null }> {
  const rel = relative(root, path).split(sep).join('/');
  const bytes = await readDicomBytes(path, rel);
  if (!(bytes instanceof Uint8Array)) return { event: bytes, record: null };
  const read = readDicom(bytes, rel);
  if (!read.ok) return { event: { type: 'rejection', issue: { file: rel, code: read.error.code as IssueCode, reason: read.error.message } }, record: null };
  const record = deidentify(
    { dataSet: read.dataSet, transferSyntaxUid: read.transferSyntaxUid },
    { secret: opts.secret, dates: opts.dates, ...(opts.shiftDays !== undefined ? { shiftDays: opts.shiftDays } : {}) },
  );
  if (record.quarantine) return { event: { type: 'quarantine', file: rel, reason: record.quarantineReason ?? 'burned-in annotation' }, record };
  return { event: { type: 'dicom-file', path, rel, read, record }, record };
}

/**
 * Reads and de-identifies each file in turn: unreadable files and quarantined ones come out as events, the
 * de-identification applied once (from the first file's record), and every usable file as a `dicom-file`.
 */
export async function* deidentifiedFiles(root: string, files: readonly string[], opts: DicomFolderOptions): AsyncGenerator<ImportEvent | DeidentifiedFile> {
  let profileReported = false;
  for (const path of files) {
    const { event, record } = await deidentifyFile(path, root, opts);
    if (record && !profileReported) {
      profileReported = true;
      yield deidentificationEvent(record, opts);
    }
    yield event;
  }
}

/** What the labels CSV gives every file of an import (read once, before the files). */
export interface DicomLabels {
  labels: Map<string, string> | null;
  labelSet: string[] | null;
}

/** One file's events (a rejection, a quarantine or its item), and the de-identification event when the file was read. */
export interface DicomFileEvents {
  deidentification: ImportEvent | null;
  events: ImportEvent[];
}

/** Everything one file gives the every-slice import: read, de-identify, decode the first frame, build its item. */
export async function dicomFileEvents(path: string, root: string, opts: DicomFolderOptions, { labels, labelSet }: DicomLabels): Promise<DicomFileEvents> {
  const { event: file, record } = await deidentifyFile(path, root, opts);
  const deidentification = record ? deidentificationEvent(record, opts) : null;
  if (file.type !== 'dicom-file') return { deidentification, events: [file] };
  const { rel, read } = file;
  const reject = (code: IssueCode, reason: string): DicomFileEvents => ({
    deidentification,
    events: [{ type: 'rejection', issue: { file: rel, code, reason } }],
  });
  const decoded = await decodeDicom(read, { maxFrames: 1 });
  if (!decoded.ok || !decoded.frames[0])
    return decoded.ok ? reject('image-undecodable', 'no frame could be decoded') : reject(decoded.error.code as IssueCode, decoded.error.message);
  // Several files may carry the same SOP Instance UID (re-encodings); the key is a keyed hash of the relative path.
  const sourceKey = `dicom:${createHmac('sha256', opts.secret).update(rel).digest('hex').slice(0, SOURCE_KEY_HEX)}`;
  const label = labels ? labelOf(read.dataSet, labels) : undefined;
  if (labels && !label) return reject('row-invalid', 'no label for this image in the labels CSV (joined on SOP, Series or Study Instance UID)');
  const draft = dicomDraft(sourceKey, file.record.metadata, file.record.patientPseudonym, label, labelSet, opts);
  if ('reason' in draft) return reject('item-invalid', draft.reason);
  const tooLong = textTooLong(draft);
  if (tooLong) return reject('text-too-long', tooLong);
  const extra = { frames: String(file.record.metadata.frames ?? 1), bodyPart: file.record.metadata.bodyPartExamined ?? '' };
  return { deidentification, events: [{ type: 'item', item: draft, image: decoded.frames[0], imageRef: rel, extra }] };
}

/** Runs dicomFileEvents for many files at once (a pool of threads), giving the results in the files' order. */
export type DicomFilesInParallel = (
  root: string,
  files: readonly string[],
  opts: DicomFolderOptions,
  labels: DicomLabels,
) => AsyncGenerator<DicomFileEvents> | null;

/** dicomFileEvents for each file in turn, on the calling thread. */
export async function* dicomFilesInTurn(
  root: string,
  files: readonly string[],
  opts: DicomFolderOptions,
  labels: DicomLabels,
): AsyncGenerator<DicomFileEvents> {
  for (const path of files) yield await dicomFileEvents(path, root, opts, labels);
}

/**
 * The every-slice import: one item per file (its first frame). With `parallel`, the files are read and decoded on a
 * pool of threads; the events come out in the same order either way, so the item list, the ids and a resume cursor do
 * not depend on it. With `resume`, files whose events were committed are not read again: after the folder scan's own
 * events (cheap, given again), each file gives exactly one event, plus the de-identification event once, just before
 * the first readable file's; so the committed events past the scan are the first (events − scan − 1 if the
 * de-identification event was committed, else events − scan) files, and a `skipped` place-holder stands for each.
 */
export async function* readDicomFolder(
  root: string,
  opts: DicomFolderOptions,
  parallel?: DicomFilesInParallel,
  resume?: ResumePoint,
): AsyncGenerator<ImportEvent> {
  const scanning = scanDicomFolder(root, opts);
  let scanEvents = 0;
  let step = await scanning.next();
  for (; !step.done; step = await scanning.next()) {
    scanEvents++;
    yield step.value;
  }
  const scan = step.value;
  if (!scan) return;
  const labels: DicomLabels = { labels: scan.labels, labelSet: scan.labelSet };
  let profileReported = false;
  let first = 0;
  if (resume && resume.events > scanEvents) {
    const committed = resume.events - scanEvents;
    profileReported = resume.deidentified;
    first = Math.min(scan.files.length, committed - (resume.deidentified ? 1 : 0));
    for (let i = 0; i < committed; i++) yield { type: 'skipped' };
  }
  const files = first > 0 ? scan.files.slice(first) : scan.files;
  for await (const r of parallel?.(root, files, opts, labels) ?? dicomFilesInTurn(root, files, opts, labels)) {
    if (r.deidentification && !profileReported) {
      profileReported = true;
      yield r.deidentification;
    }
    yield* r.events;
  }
}

function baseDraft(
  sourceKey: string,
  question: string,
  options: string[],
  correct: number,
  modality: Modality,
  modalitySource: ItemDraft['modalitySource'],
  modalityConfidence: number,
  task: string,
  patient: string | null,
  optionSeed: number,
): ItemDraft {
  return {
    sourceKey,
    question,
    options,
    correct,
    answer: options[correct] ?? '',
    kind: 'multiple-choice',
    modality,
    modalitySource,
    modalityConfidence,
    task,
    benchmark: 'dicom',
    questionType: 'closed',
    sourceSplit: null,
    patient,
    optionSeed,
  };
}
