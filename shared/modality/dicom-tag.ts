// Layer 1: the DICOM Modality attribute (0008,0060). Defined terms: DICOM PS3.3 §C.7.3.1.1.1 (incl. retired ones).
// Codes that do not say what the picture looks like (OT other, SC secondary capture, SR/PR/KO/DOC documents,
// unknown codes) return null so later layers decide.
import type { Modality } from '../items.ts';
import type { ModalityLabel } from './types.ts';

export const DICOM_TAG_CONFIDENCE = 1;

/** Defined term → our modality. */
export const DICOM_MODALITY_CODES: Readonly<Record<string, Modality>> = {
  CT: 'ct',
  MR: 'mri',
  CR: 'x-ray', // computed radiography
  DX: 'x-ray', // digital radiography
  RG: 'x-ray', // radiographic imaging (conventional film/screen)
  DR: 'x-ray', // older vendors' digital radiography (not a defined term, common in the wild)
  IO: 'x-ray', // intra-oral radiography
  PX: 'x-ray', // panoramic X-ray
  BMD: 'x-ray', // bone densitometry (DXA, a projection X-ray)
  RF: 'x-ray', // radio fluoroscopy: barium studies, VCUG… projection X-ray, not necessarily vessels
  US: 'ultrasound',
  IVUS: 'ultrasound', // intravascular ultrasound
  CD: 'ultrasound', // retired: colour flow Doppler
  DD: 'ultrasound', // retired: duplex Doppler
  MG: 'mammography',
  XA: 'angiography', // X-ray angiography
  DS: 'angiography', // retired: digital subtraction angiography
  NM: 'nuclear-medicine',
  PT: 'pet',
  OP: 'fundus', // ophthalmic photography
  OPT: 'oct', // ophthalmic tomography
  OCT: 'oct', // optical coherence tomography (non-ophthalmic)
  IVOCT: 'oct', // intravascular OCT
  SM: 'pathology', // slide microscopy: whole-slide imaging of stained tissue
  GM: 'microscopy', // general microscopy (not a photograph)
  ES: 'endoscopy',
  XC: 'photo', // external-camera photography
};

/** Maps a Modality tag value to our label; null when absent, non-imaging, generic or unknown. */
export function modalityFromDicomTag(value: string | null | undefined): ModalityLabel | null {
  if (value === null || value === undefined) return null;
  // The attribute is single-valued; tolerate stray padding and multi-values by requiring one agreed answer.
  const codes = value
    .split('\\')
    .map((v) => v.trim().toUpperCase())
    .filter((v) => v.length > 0);
  const mapped = new Set(codes.map((c) => DICOM_MODALITY_CODES[c] ?? null));
  if (mapped.size !== 1) return null;
  const modality = [...mapped][0];
  if (modality === null || modality === undefined) return null;
  return { modality, source: 'dicom-tag', confidence: DICOM_TAG_CONFIDENCE, detail: codes.join('\\') };
}
