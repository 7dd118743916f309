// Splits encapsulated pixel data into one byte string per frame (PS3.5 Section A.4): by the Basic Offset Table,
// else one fragment per frame, else by the JPEG end-of-image marker that closes each frame's last fragment.
import type { DataSet, Element } from './dicom-parser-lib.ts';
import { DecodeFailure } from './decode-failure.ts';

/** JPEG EOI marker; JPEG-LS and JPEG 2000 (EOC) codestreams end with the same two bytes. */
const END_MARKER = [0xff, 0xd9] as const;

interface FragmentSpan {
  position: number;
  length: number;
}

function concat(bytes: Uint8Array, spans: readonly FragmentSpan[]): Uint8Array {
  const total = spans.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of spans) {
    out.set(bytes.subarray(f.position, f.position + f.length), at);
    at += f.length;
  }
  return out;
}

/** True when the fragment's last bytes (ignoring one trailing padding zero) are the end marker. */
function endsFrame(bytes: Uint8Array, f: FragmentSpan): boolean {
  let end = f.position + f.length;
  if (end > f.position && bytes[end - 1] === 0) end -= 1;
  return end - f.position >= 2 && bytes[end - 2] === END_MARKER[0] && bytes[end - 1] === END_MARKER[1];
}

export function splitEncapsulatedFrames(ds: DataSet, el: Element, numberOfFrames: number): Uint8Array[] {
  const bytes = ds.byteArray;
  const fragments: FragmentSpan[] = (el.fragments ?? []).map((f) => ({ position: f.position, length: f.length }));
  if (fragments.length === 0) throw new DecodeFailure('dicom/truncated', 'the compressed image data has no fragments');
  for (const f of fragments) {
    if (f.length < 0 || f.position + f.length > bytes.length) {
      throw new DecodeFailure('dicom/truncated', 'a compressed image fragment runs past the end of the file');
    }
  }
  if (numberOfFrames === 1) return [concat(bytes, fragments)];

  const bot = el.basicOffsetTable ?? [];
  if (bot.length === numberOfFrames) {
    // Offsets are relative to the first fragment's item tag; each fragment costs an 8-byte item header.
    const ITEM_HEADER = 8;
    const first = fragments[0]!.position - ITEM_HEADER;
    const starts = bot.map((o) => fragments.findIndex((f) => f.position - ITEM_HEADER - first === o));
    if (starts.every((s, i) => s >= 0 && (i === 0 || s > starts[i - 1]!))) {
      return starts.map((s, i) => concat(bytes, fragments.slice(s, starts[i + 1] ?? fragments.length)));
    }
  }
  if (fragments.length === numberOfFrames) return fragments.map((f) => concat(bytes, [f]));

  const frames: Uint8Array[] = [];
  let current: FragmentSpan[] = [];
  for (const f of fragments) {
    current.push(f);
    if (endsFrame(bytes, f)) {
      frames.push(concat(bytes, current));
      current = [];
    }
  }
  if (current.length > 0) frames.push(concat(bytes, current));
  if (frames.length !== numberOfFrames) {
    throw new DecodeFailure('dicom/decode-failed', `the compressed data holds ${frames.length} frame(s) but the file declares ${numberOfFrames}`);
  }
  return frames;
}

/** Lazily splits on first use and returns frame i's bytes. */
export function encapsulatedFrameSplitter(ds: DataSet, el: Element, numberOfFrames: number): (index: number) => Uint8Array {
  let frames: Uint8Array[] | undefined;
  return (index) => {
    frames ??= splitEncapsulatedFrames(ds, el, numberOfFrames);
    const f = frames[index];
    if (!f) throw new DecodeFailure('dicom/decode-failed', `frame ${index + 1} is missing from the compressed data`);
    return f;
  };
}
