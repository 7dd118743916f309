// The "Export as ONNX pack" action of a finished training run (training:export-onnx): the folder the user typed,
// checked before the call, and the call's result in words. Pure, so it is unit-tested under plain Node.
import type { CallOutput } from '../../../../shared/api/index.ts';
import { isAbsolutePath } from '../../../../shared/paths.ts';
import { formatCount, shortHash } from './format.ts';

export type OnnxExport = CallOutput<'training:export-onnx'>;

/** The folder to export into, trimmed, or why it cannot be used. The host writes it; it must be new or empty. The host
 *  refuses a relative folder with the same test (shared/paths.ts, in the training:export-onnx input schema). */
export function checkExportFolder(path: string): { ok: true; out: string } | { ok: false; error: string } {
  const out = path.trim();
  if (!out) return { ok: false, error: 'Enter a folder on this computer for the exported pack: a new or empty folder.' };
  if (!isAbsolutePath(out))
    return {
      ok: false,
      error: `Give the full path of the folder (starting with / or a drive letter), not ${out}: the MedBridge host writes it on this computer.`,
    };
  return { ok: true, out };
}

/** Bytes as B / kB / MB / GB (decimal, one decimal place from kB). */
export function bytesText(n: number): string {
  if (n < 1000) return `${formatCount(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 999.95 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export interface ExportSummary {
  folder: string;
  pack: string;
  files: number;
  bytes: number;
  /** "4 files, 1.2 MB". */
  size: string;
  /** Where the export is recorded in the audit log. */
  auditNote: string;
}

/** What the UI says about a finished export. */
export function exportSummary(r: OnnxExport): ExportSummary {
  const bytes = r.files.reduce((s, f) => s + f.bytes, 0);
  const files = r.files.length;
  return {
    folder: r.out,
    pack: r.pack,
    files,
    bytes,
    size: `${formatCount(files)} ${files === 1 ? 'file' : 'files'}, ${bytesText(bytes)}`,
    auditNote: `Recorded in the audit log as training:export-onnx with every file’s SHA-256, the entry after ${shortHash(r.auditHead)}; the pack’s README names run ${r.run} and its configuration hash ${shortHash(r.configHash)}.`,
  };
}

/** A Hugging Face folder to convert and the folder for the pack, trimmed, or why they cannot be used (models:convert). */
export function checkConvertFolders(source: string, out: string): { ok: true; source: string; out: string } | { ok: false; error: string } {
  const src = source.trim();
  if (!src) return { ok: false, error: 'Enter the folder of the Hugging Face model on this computer (the one with config.json).' };
  if (!isAbsolutePath(src))
    return {
      ok: false,
      error: `Give the full path of the model folder (starting with / or a drive letter), not ${src}. MedBridge converts only a folder on this computer: a model-hub name is not downloaded.`,
    };
  const pack = checkExportFolder(out);
  if (!pack.ok) return pack;
  if (pack.out === src) return { ok: false, error: 'The pack needs a folder of its own, not the model folder.' };
  return { ok: true, source: src, out: pack.out };
}
