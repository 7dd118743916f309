// Tags used by the reader, in dicom-parser's key format 'xGGGGEEEE' (names from DICOM PS3.6).

export const TAG = {
  transferSyntaxUid: 'x00020010',
  specificCharacterSet: 'x00080005',
  sopClassUid: 'x00080016',
  sopInstanceUid: 'x00080018',
  studyDate: 'x00080020',
  seriesDate: 'x00080021',
  acquisitionDate: 'x00080022',
  contentDate: 'x00080023',
  modality: 'x00080060',
  patientName: 'x00100010',
  patientId: 'x00100020',
  patientBirthDate: 'x00100030',
  bodyPartExamined: 'x00180015',
  studyInstanceUid: 'x0020000d',
  seriesInstanceUid: 'x0020000e',
  samplesPerPixel: 'x00280002',
  photometricInterpretation: 'x00280004',
  planarConfiguration: 'x00280006',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  highBit: 'x00280102',
  pixelRepresentation: 'x00280103',
  burnedInAnnotation: 'x00280301',
  windowCenter: 'x00281050',
  windowWidth: 'x00281051',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
  voiLutFunction: 'x00281056',
  redPaletteDescriptor: 'x00281101',
  greenPaletteDescriptor: 'x00281102',
  bluePaletteDescriptor: 'x00281103',
  redPaletteData: 'x00281201',
  greenPaletteData: 'x00281202',
  bluePaletteData: 'x00281203',
  voiLutSequence: 'x00283010',
  lutDescriptor: 'x00283002',
  lutData: 'x00283006',
  pixelData: 'x7fe00010',
  floatPixelData: 'x7fe00008',
  doubleFloatPixelData: 'x7fe00009',
} as const;

/** 'xGGGGEEEE' → '(GGGG,EEEE)', for messages and for the de-identification table. */
export function tagToKeyword(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;
}

/** Private data elements have an odd group number (PS3.5 Section 7.8.1). */
export function isPrivateTag(tag: string): boolean {
  const group = Number.parseInt(tag.slice(1, 5), 16);
  return Number.isFinite(group) && group % 2 === 1;
}
