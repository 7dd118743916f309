// Builds small explicit-VR little-endian Part 10 files for tests (synthetic data, no real patient).

export interface BuildElement {
  /** 'GGGGEEEE' hex. */
  tag: string;
  vr: string;
  value: string | Uint8Array | number[];
}

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function encodeValue(vr: string, value: BuildElement['value']): Uint8Array {
  if (value instanceof Uint8Array) return value.length % 2 ? Uint8Array.from([...value, 0]) : value;
  if (Array.isArray(value)) {
    const out = new Uint8Array(value.length * 2);
    const dv = new DataView(out.buffer);
    value.forEach((v, i) => dv.setUint16(2 * i, v, true));
    return out;
  }
  const pad = vr === 'UI' ? '\0' : ' ';
  return new TextEncoder().encode(value.length % 2 ? value + pad : value);
}

function encodeElement(e: BuildElement): Uint8Array {
  const group = Number.parseInt(e.tag.slice(0, 4), 16),
    element = Number.parseInt(e.tag.slice(4), 16);
  const v = encodeValue(e.vr, e.value);
  const long = LONG_VRS.has(e.vr);
  const header = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(header.buffer);
  dv.setUint16(0, group, true);
  dv.setUint16(2, element, true);
  header[4] = e.vr.charCodeAt(0);
  header[5] = e.vr.charCodeAt(1);
  if (long) dv.setUint32(8, v.length, true);
  else dv.setUint16(6, v.length, true);
  const out = new Uint8Array(header.length + v.length);
  out.set(header);
  out.set(v, header.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function buildDicom(elements: BuildElement[], transferSyntaxUid = '1.2.840.10008.1.2.1'): Uint8Array {
  const metaBody = concat([
    encodeElement({ tag: '00020001', vr: 'OB', value: new Uint8Array([0, 1]) }),
    encodeElement({ tag: '00020010', vr: 'UI', value: transferSyntaxUid }),
  ]);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaBody.length, true);
  const meta = concat([encodeElement({ tag: '00020000', vr: 'UL', value: groupLength }), metaBody]);
  const body = concat([...elements].sort((a, b) => a.tag.localeCompare(b.tag)).map(encodeElement));
  const preamble = new Uint8Array(132);
  preamble.set(new TextEncoder().encode('DICM'), 128);
  return concat([preamble, meta, body]);
}

/** A 4×4 MONOCHROME2 16-bit image with the given extra attributes. */
export function syntheticImage(extra: BuildElement[], pixels: number[] = Array.from({ length: 16 }, (_, i) => i * 100)): Uint8Array {
  return buildDicom([
    { tag: '00280002', vr: 'US', value: [1] },
    { tag: '00280004', vr: 'CS', value: 'MONOCHROME2' },
    { tag: '00280010', vr: 'US', value: [4] },
    { tag: '00280011', vr: 'US', value: [4] },
    { tag: '00280100', vr: 'US', value: [16] },
    { tag: '00280101', vr: 'US', value: [16] },
    { tag: '00280102', vr: 'US', value: [15] },
    { tag: '00280103', vr: 'US', value: [0] },
    { tag: '7fe00010', vr: 'OW', value: pixels },
    ...extra,
  ]);
}
