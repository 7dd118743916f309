// Transfer syntaxes the reader knows, and how their pixel data is encoded (DICOM PS3.5 Section 10 and Annex A).

export type PixelCodec = 'native' | 'rle' | 'jpeg-baseline' | 'jpeg-extended' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  codec: PixelCodec;
  explicitVr: boolean;
  bigEndian: boolean;
  deflated: boolean;
  lossy: boolean;
}

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

const TABLE: readonly TransferSyntaxInfo[] = [
  { uid: IMPLICIT_VR_LITTLE_ENDIAN, name: 'Implicit VR Little Endian', codec: 'native', explicitVr: false, bigEndian: false, deflated: false, lossy: false },
  { uid: EXPLICIT_VR_LITTLE_ENDIAN, name: 'Explicit VR Little Endian', codec: 'native', explicitVr: true, bigEndian: false, deflated: false, lossy: false },
  {
    uid: DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
    name: 'Deflated Explicit VR Little Endian',
    codec: 'native',
    explicitVr: true,
    bigEndian: false,
    deflated: true,
    lossy: false,
  },
  { uid: EXPLICIT_VR_BIG_ENDIAN, name: 'Explicit VR Big Endian', codec: 'native', explicitVr: true, bigEndian: true, deflated: false, lossy: false },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', codec: 'rle', explicitVr: true, bigEndian: false, deflated: false, lossy: false },
  {
    uid: '1.2.840.10008.1.2.4.50',
    name: 'JPEG Baseline (Process 1)',
    codec: 'jpeg-baseline',
    explicitVr: true,
    bigEndian: false,
    deflated: false,
    lossy: true,
  },
  {
    uid: '1.2.840.10008.1.2.4.51',
    name: 'JPEG Extended (Process 2 and 4)',
    codec: 'jpeg-extended',
    explicitVr: true,
    bigEndian: false,
    deflated: false,
    lossy: true,
  },
  {
    uid: '1.2.840.10008.1.2.4.57',
    name: 'JPEG Lossless, Non-Hierarchical (Process 14)',
    codec: 'jpeg-lossless',
    explicitVr: true,
    bigEndian: false,
    deflated: false,
    lossy: false,
  },
  {
    uid: '1.2.840.10008.1.2.4.70',
    name: 'JPEG Lossless, First-Order Prediction (Process 14, SV1)',
    codec: 'jpeg-lossless',
    explicitVr: true,
    bigEndian: false,
    deflated: false,
    lossy: false,
  },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', codec: 'jpeg-ls', explicitVr: true, bigEndian: false, deflated: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', codec: 'jpeg-ls', explicitVr: true, bigEndian: false, deflated: false, lossy: true },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 (Lossless Only)', codec: 'jpeg-2000', explicitVr: true, bigEndian: false, deflated: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', codec: 'jpeg-2000', explicitVr: true, bigEndian: false, deflated: false, lossy: true },
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid);
}

export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = TABLE.map((t) => t.uid);
