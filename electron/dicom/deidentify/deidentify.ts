// De-identification on import: applies the Basic Application Level Confidentiality Profile (PS3.15 Annex E) to a
// parsed data set and returns only a small record that is safe to store: image description, keyed-hash
// pseudonym and UIDs, optionally shifted dates, and the methods applied (CID 7050). No original identifier is
// copied into the result.
import { readIntegerString, readString, readUint16 } from '../attribute-values.ts';
import type { DataSet } from '../dicom-parser-lib.ts';
import { isPrivateTag, TAG } from '../tags.ts';
import { profileAction, PROFILE_NAME, type ProfileAction } from './confidentiality-profile.ts';
import { shiftDicomDate } from './dates.ts';
import { keyedInteger, pseudonymFor, replacementUid } from './keyed-hash.ts';

/** CID 7050 De-identification Method codes (scheme DCM). */
export const DEID_METHOD = {
  basicProfile: { code: '113100', scheme: 'DCM', meaning: 'Basic Application Confidentiality Profile' },
  modifiedDates: { code: '113107', scheme: 'DCM', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
} as const;
export type DeidMethod = (typeof DEID_METHOD)[keyof typeof DEID_METHOD];

/** Largest automatic date shift: ten years back, derived per patient from the secret. */
export const MAX_AUTO_SHIFT_DAYS = 3650;

export interface DeidentifyOptions {
  /** Workspace secret (≥ 16 bytes) keying pseudonyms, UIDs and automatic date shifts. */
  secret: Uint8Array;
  /** 'remove': no dates in the output. 'shift': dates moved by shiftDays (or a per-patient keyed shift). */
  dates: 'remove' | 'shift';
  shiftDays?: number;
}

export interface SafeDicomMetadata {
  modality: string | null;
  bodyPartExamined: string | null;
  sopClassUid: string | null;
  transferSyntaxUid: string | null;
  photometric: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  samplesPerPixel: number | null;
  bitsAllocated: number | null;
  bitsStored: number | null;
  pixelRepresentation: number | null;
  /** Keyed-hash replacements (2.25.<decimal>), consistent within one secret. */
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  /** Present only with dates: 'shift'. */
  studyDate: string | null;
  seriesDate: string | null;
  acquisitionDate: string | null;
  contentDate: string | null;
}

export interface DeidentifiedRecord {
  profile: typeof PROFILE_NAME;
  methods: DeidMethod[];
  /** "P-" + 16 hex digits, or null when the object names no patient, study or instance at all. */
  patientPseudonym: string | null;
  /** What the pseudonym was derived from (never the value itself). */
  pseudonymSource: 'patient-id' | 'name-and-birth-date' | 'study-instance-uid' | 'none';
  metadata: SafeDicomMetadata;
  /** Days added to every date (negative = earlier), when dates were shifted. */
  dateShiftDays: number | null;
  /** Burned In Annotation (0028,0301) = YES: the pixels may show identity; keep out of training until reviewed. */
  quarantine: boolean;
  quarantineReason: string | null;
  /** Counts of profile actions applied to the top-level attributes, for the review-board report. */
  actionCounts: Record<ProfileAction | 'private-removed', number>;
}

export interface DeidentifySource {
  dataSet: DataSet;
  transferSyntaxUid?: string;
}

function patientKey(ds: DataSet): { kind: DeidentifiedRecord['pseudonymSource']; value: string } {
  const id = readString(ds, TAG.patientId);
  if (id) return { kind: 'patient-id', value: id };
  const name = readString(ds, TAG.patientName);
  const birth = readString(ds, TAG.patientBirthDate);
  if (name) return { kind: 'name-and-birth-date', value: `${name}\u0000${birth ?? ''}` };
  const study = readString(ds, TAG.studyInstanceUid);
  if (study) return { kind: 'study-instance-uid', value: study };
  return { kind: 'none', value: '' };
}

function countActions(ds: DataSet): DeidentifiedRecord['actionCounts'] {
  const counts: DeidentifiedRecord['actionCounts'] = { D: 0, Z: 0, X: 0, K: 0, C: 0, U: 0, 'private-removed': 0 };
  for (const tag of Object.keys(ds.elements)) {
    if (isPrivateTag(tag)) counts['private-removed'] += 1;
    else counts[profileAction(tag)] += 1;
  }
  return counts;
}

export function deidentify(source: DeidentifySource, options: DeidentifyOptions): DeidentifiedRecord {
  const ds = source.dataSet;
  const { secret } = options;
  const key = patientKey(ds);
  const patientPseudonym = key.kind === 'none' ? null : pseudonymFor(secret, key.kind, key.value);
  const uid = (tag: string): string | null => {
    const v = readString(ds, tag);
    return v ? replacementUid(secret, v.replace(/\0/g, '')) : null;
  };
  let dateShiftDays: number | null = null;
  if (options.dates === 'shift') {
    if (options.shiftDays !== undefined) {
      if (!Number.isInteger(options.shiftDays)) throw new TypeError('shiftDays must be a whole number of days');
      dateShiftDays = options.shiftDays;
    } else {
      // One shift per patient keeps intervals between a patient's studies intact (PS3.15 E.3.6).
      dateShiftDays = -(1 + keyedInteger(secret, 'date-shift', patientPseudonym ?? '', MAX_AUTO_SHIFT_DAYS));
    }
  }
  const date = (tag: string): string | null => {
    if (dateShiftDays === null) return null;
    const v = readString(ds, tag);
    return v ? (shiftDicomDate(v, dateShiftDays) ?? null) : null;
  };
  const str = (tag: string): string | null => readString(ds, tag) ?? null;
  const num = (tag: string): number | null => readUint16(ds, tag) ?? null;
  const burnedIn = readString(ds, TAG.burnedInAnnotation)?.toUpperCase() === 'YES';
  const metadata: SafeDicomMetadata = {
    modality: str(TAG.modality),
    bodyPartExamined: str(TAG.bodyPartExamined),
    sopClassUid: str(TAG.sopClassUid),
    transferSyntaxUid: source.transferSyntaxUid ?? str(TAG.transferSyntaxUid),
    photometric: str(TAG.photometricInterpretation),
    rows: num(TAG.rows),
    columns: num(TAG.columns),
    frames: ds.elements[TAG.numberOfFrames] ? (readIntegerString(ds, TAG.numberOfFrames) ?? null) : ds.elements[TAG.pixelData] ? 1 : null,
    samplesPerPixel: num(TAG.samplesPerPixel),
    bitsAllocated: num(TAG.bitsAllocated),
    bitsStored: num(TAG.bitsStored),
    pixelRepresentation: num(TAG.pixelRepresentation),
    studyInstanceUid: uid(TAG.studyInstanceUid),
    seriesInstanceUid: uid(TAG.seriesInstanceUid),
    sopInstanceUid: uid(TAG.sopInstanceUid),
    studyDate: date(TAG.studyDate),
    seriesDate: date(TAG.seriesDate),
    acquisitionDate: date(TAG.acquisitionDate),
    contentDate: date(TAG.contentDate),
  };
  const methods: DeidMethod[] = [DEID_METHOD.basicProfile];
  if (dateShiftDays !== null) methods.push(DEID_METHOD.modifiedDates);
  return {
    profile: PROFILE_NAME,
    methods,
    patientPseudonym,
    pseudonymSource: key.kind,
    metadata,
    dateShiftDays,
    quarantine: burnedIn,
    quarantineReason: burnedIn ? 'Burned In Annotation (0028,0301) is YES: the pixels may show identifying text.' : null,
    actionCounts: countActions(ds),
  };
}
