// DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile, as a table (PS3.15 Table E.1-1, "Basic
// Prof." column). Where the table offers a choice (e.g. X/Z/D) the strictest action that keeps the record usable
// is taken. Attributes absent from the table and from SAFE_ATTRIBUTES are removed: stricter than the profile,
// which keeps them, because free-text and vendor attributes outside the table can still carry identity.

/** D replace with dummy, Z zero-length, X remove, K keep, C clean, U replace UID (PS3.15 E.1.1). */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U';

export interface ProfileEntry {
  tag: string;
  name: string;
  action: ProfileAction;
}

const E = (tag: string, name: string, action: ProfileAction): ProfileEntry => ({ tag, name, action });

export const BASIC_PROFILE: readonly ProfileEntry[] = [
  // UIDs: replaced consistently (U).
  E('x00020003', 'Media Storage SOP Instance UID', 'U'),
  E('x00080014', 'Instance Creator UID', 'U'),
  E('x00080018', 'SOP Instance UID', 'U'),
  E('x00081155', 'Referenced SOP Instance UID', 'U'),
  E('x00083010', 'Irradiation Event UID', 'U'),
  E('x0020000d', 'Study Instance UID', 'U'),
  E('x0020000e', 'Series Instance UID', 'U'),
  E('x00200052', 'Frame of Reference UID', 'U'),
  E('x00200200', 'Synchronization Frame of Reference UID', 'U'),
  E('x00181002', 'Device UID', 'U'),
  E('x0040a124', 'UID', 'U'),
  E('x00880140', 'Storage Media File-set UID', 'U'),
  E('x30060024', 'Referenced Frame of Reference UID', 'U'),
  E('x300600c2', 'Related Frame of Reference UID', 'U'),
  // Patient.
  E('x00100010', "Patient's Name", 'Z'),
  E('x00100020', 'Patient ID', 'Z'),
  E('x00100021', 'Issuer of Patient ID', 'X'),
  E('x00100030', "Patient's Birth Date", 'Z'),
  E('x00100032', "Patient's Birth Time", 'X'),
  E('x00100040', "Patient's Sex", 'Z'),
  E('x00100050', "Patient's Insurance Plan Code Sequence", 'X'),
  E('x00101000', 'Other Patient IDs', 'X'),
  E('x00101001', 'Other Patient Names', 'X'),
  E('x00101002', 'Other Patient IDs Sequence', 'X'),
  E('x00101005', "Patient's Birth Name", 'X'),
  E('x00101010', "Patient's Age", 'X'),
  E('x00101020', "Patient's Size", 'X'),
  E('x00101030', "Patient's Weight", 'X'),
  E('x00101040', "Patient's Address", 'X'),
  E('x00101060', "Patient's Mother's Birth Name", 'X'),
  E('x00101090', 'Medical Record Locator', 'X'),
  E('x00102000', 'Medical Alerts', 'X'),
  E('x00102110', 'Allergies', 'X'),
  E('x00102150', 'Country of Residence', 'X'),
  E('x00102152', 'Region of Residence', 'X'),
  E('x00102154', "Patient's Telephone Numbers", 'X'),
  E('x00102160', 'Ethnic Group', 'X'),
  E('x00102180', 'Occupation', 'X'),
  E('x001021a0', 'Smoking Status', 'X'),
  E('x001021b0', 'Additional Patient History', 'X'),
  E('x001021c0', 'Pregnancy Status', 'X'),
  E('x001021d0', 'Last Menstrual Date', 'X'),
  E('x001021f0', "Patient's Religious Preference", 'X'),
  E('x00104000', 'Patient Comments', 'X'),
  E('x00380010', 'Admission ID', 'X'),
  E('x00380300', 'Current Patient Location', 'X'),
  E('x00380400', "Patient's Institution Residence", 'X'),
  // Dates and times (shifted afterwards when the date-shift option is chosen).
  E('x00080012', 'Instance Creation Date', 'X'),
  E('x00080013', 'Instance Creation Time', 'X'),
  E('x00080020', 'Study Date', 'Z'),
  E('x00080021', 'Series Date', 'X'),
  E('x00080022', 'Acquisition Date', 'X'),
  E('x00080023', 'Content Date', 'Z'),
  E('x00080024', 'Overlay Date', 'X'),
  E('x00080025', 'Curve Date', 'X'),
  E('x0008002a', 'Acquisition DateTime', 'X'),
  E('x00080030', 'Study Time', 'Z'),
  E('x00080031', 'Series Time', 'X'),
  E('x00080032', 'Acquisition Time', 'X'),
  E('x00080033', 'Content Time', 'Z'),
  E('x00080034', 'Overlay Time', 'X'),
  E('x00080035', 'Curve Time', 'X'),
  E('x00080201', 'Timezone Offset From UTC', 'X'),
  E('x00400244', 'Performed Procedure Step Start Date', 'X'),
  E('x00400245', 'Performed Procedure Step Start Time', 'X'),
  // Study, visit, order.
  E('x00080050', 'Accession Number', 'Z'),
  E('x00200010', 'Study ID', 'Z'),
  E('x00081030', 'Study Description', 'X'),
  E('x0008103e', 'Series Description', 'X'),
  E('x00081080', 'Admitting Diagnoses Description', 'X'),
  E('x00082111', 'Derivation Description', 'X'),
  E('x00081111', 'Referenced Performed Procedure Step Sequence', 'X'),
  E('x00081120', 'Referenced Patient Sequence', 'X'),
  E('x00081140', 'Referenced Image Sequence', 'X'),
  E('x00181030', 'Protocol Name', 'X'),
  E('x00189424', 'Acquisition Protocol Description', 'X'),
  E('x00204000', 'Image Comments', 'X'),
  E('x00321032', 'Requesting Physician', 'X'),
  E('x00321033', 'Requesting Service', 'X'),
  E('x00321060', 'Requested Procedure Description', 'X'),
  E('x00324000', 'Study Comments', 'X'),
  E('x00400253', 'Performed Procedure Step ID', 'X'),
  E('x00400254', 'Performed Procedure Step Description', 'X'),
  E('x00400275', 'Request Attributes Sequence', 'X'),
  E('x00401001', 'Requested Procedure ID', 'X'),
  E('x00402016', 'Placer Order Number / Imaging Service Request', 'Z'),
  E('x00402017', 'Filler Order Number / Imaging Service Request', 'Z'),
  E('x0040a730', 'Content Sequence', 'X'),
  E('x04000561', 'Original Attributes Sequence', 'X'),
  E('x40000010', 'Arbitrary', 'X'),
  E('x40004000', 'Text Comments', 'X'),
  // Staff, institution, equipment.
  E('x00080080', 'Institution Name', 'X'),
  E('x00080081', 'Institution Address', 'X'),
  E('x00080082', 'Institution Code Sequence', 'X'),
  E('x00080090', "Referring Physician's Name", 'Z'),
  E('x00080092', "Referring Physician's Address", 'X'),
  E('x00080094', "Referring Physician's Telephone Numbers", 'X'),
  E('x00080096', 'Referring Physician Identification Sequence', 'X'),
  E('x00081010', 'Station Name', 'X'),
  E('x00081040', 'Institutional Department Name', 'X'),
  E('x00081048', 'Physician(s) of Record', 'X'),
  E('x00081049', 'Physician(s) of Record Identification Sequence', 'X'),
  E('x00081050', "Performing Physician's Name", 'X'),
  E('x00081052', 'Performing Physician Identification Sequence', 'X'),
  E('x00081060', 'Name of Physician(s) Reading Study', 'X'),
  E('x00081062', 'Physician(s) Reading Study Identification Sequence', 'X'),
  E('x00081070', "Operators' Name", 'X'),
  E('x00181000', 'Device Serial Number', 'X'),
  E('x0018700a', 'Detector ID', 'D'),
  E('x00400001', 'Scheduled Station AE Title', 'X'),
  E('x00400006', 'Scheduled Performing Physician Name', 'X'),
  E('x00400010', 'Scheduled Station Name', 'X'),
  E('x00400011', 'Scheduled Procedure Step Location', 'X'),
  E('x00400241', 'Performed Station AE Title', 'X'),
  E('x00400242', 'Performed Station Name', 'X'),
  E('x00400243', 'Performed Location', 'X'),
  E('x40080114', 'Physician Approving Interpretation', 'X'),
];

/** Attributes the profile keeps and that describe the image, not the person (the output's only source). */
export const SAFE_ATTRIBUTES: readonly ProfileEntry[] = [
  E('x00020010', 'Transfer Syntax UID', 'K'),
  E('x00080016', 'SOP Class UID', 'K'),
  E('x00080060', 'Modality', 'K'),
  E('x00180015', 'Body Part Examined', 'K'),
  E('x00280002', 'Samples per Pixel', 'K'),
  E('x00280004', 'Photometric Interpretation', 'K'),
  E('x00280008', 'Number of Frames', 'K'),
  E('x00280010', 'Rows', 'K'),
  E('x00280011', 'Columns', 'K'),
  E('x00280100', 'Bits Allocated', 'K'),
  E('x00280101', 'Bits Stored', 'K'),
  E('x00280103', 'Pixel Representation', 'K'),
  E('x00280301', 'Burned In Annotation', 'K'),
];

const BY_TAG = new Map([...BASIC_PROFILE, ...SAFE_ATTRIBUTES].map((e) => [e.tag, e]));

const IMAGE_PRESENTATION_GROUP = 0x0028;
const PIXEL_DATA_TAG = 'x7fe00010';

/** Overlay (60xx) and curve (50xx) groups: overlay data/comments and all curve data are removed (Table E.1-1). */
function repeatingGroupAction(tag: string): ProfileAction | undefined {
  const group = Number.parseInt(tag.slice(1, 5), 16);
  const element = tag.slice(5, 9);
  if (group >= 0x5000 && group <= 0x50ff) return 'X';
  // Image Pixel and presentation attributes describe pixels, not people; the pixels themselves are checked for
  // burned-in text separately (Burned In Annotation).
  if (group === IMAGE_PRESENTATION_GROUP || tag === PIXEL_DATA_TAG) return 'K';
  if (group >= 0x6000 && group <= 0x60ff && (element === '3000' || element === '4000')) return 'X';
  return undefined;
}

/** The action for a public (even-group) attribute; private attributes are removed before this is asked. */
export function profileAction(tag: string): ProfileAction {
  return BY_TAG.get(tag)?.action ?? repeatingGroupAction(tag) ?? 'X';
}

export const PROFILE_NAME = 'DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile';
