// NumPy .npy arrays: header parsing (format versions 1.0, 2.0, 3.0), whole-array decode and row-by-row streaming.
// Format per numpy.lib.format (NEP 1): magic "\x93NUMPY", major, minor, header length (u16 in v1, u32 in v2/v3), a Python dict literal.
import { FormatError } from './issues.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE_V1 = 10;
const PREAMBLE_V2 = 12;
/** numpy refuses headers longer than this by default (`max_header_size`, numpy ≥ 1.24); so do we. */
export const MAX_NPY_HEADER_BYTES = 10_000;
/** Largest array `parseNpy` decodes in memory; bigger arrays must be streamed by row. */
export const MAX_IN_MEMORY_NPY_BYTES = 1024 * 1024 * 1024;

export type NpyTypedArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigUint64Array | BigInt64Array | Float32Array | Float64Array;

export interface NpyDtype {
  /** As written in the header, e.g. `<f8`. */
  descr: string;
  kind: 'u' | 'i' | 'f' | 'b';
  itemSize: 1 | 2 | 4 | 8;
  littleEndian: boolean;
}

export interface NpyHeader {
  version: 1 | 2 | 3;
  dtype: NpyDtype;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data after the header. */
  dataOffset: number;
  /** Number of elements (product of shape; 1 for a 0-d array). */
  size: number;
}

export interface NpyArray {
  header: NpyHeader;
  shape: number[];
  /** Elements in C (row-major) order, whatever the file's order. bool arrays are Uint8Array of 0/1. */
  data: NpyTypedArray;
}

const DESCR = /^([<>|=])([uifb])([1248])$/;

function parseDtype(descr: string): NpyDtype {
  const m = DESCR.exec(descr);
  if (!m) throw new FormatError('npy-unsupported-dtype', `dtype '${descr}' is not supported (unsigned/signed integers, float32/64 and bool only)`);
  const kind = m[2] as NpyDtype['kind'];
  const itemSize = Number(m[3]) as NpyDtype['itemSize'];
  if (kind === 'f' && itemSize < 4) throw new FormatError('npy-unsupported-dtype', `dtype '${descr}' (half precision) is not supported`);
  if (kind === 'b' && itemSize !== 1) throw new FormatError('npy-unsupported-dtype', `dtype '${descr}' is not supported`);
  return { descr, kind, itemSize, littleEndian: m[1] !== '>' };
}

/** Tokeniser + parser for the only literal numpy writes: `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`. */
function parseHeaderDict(text: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  let i = 0;
  const bad = (what: string): never => {
    throw new FormatError('npy-bad-header', `header is not a valid numpy header (${what} at character ${i})`);
  };
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const expect = (ch: string): void => {
    ws();
    if (text[i] !== ch) bad(`expected '${ch}'`);
    i++;
  };
  const peek = (): string | undefined => {
    ws();
    return text[i];
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') bad('expected a string');
    const end = text.indexOf(q as string, i + 1);
    if (end < 0) bad('unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const int = (): number => {
    ws();
    const m = /^\d+L?/.exec(text.slice(i));
    if (!m) bad('expected an integer');
    i += (m as RegExpExecArray)[0].length;
    const v = Number((m as RegExpExecArray)[0].replace('L', ''));
    if (!Number.isSafeInteger(v)) bad('dimension too large');
    return v;
  };
  const value = (): unknown => {
    const c = peek();
    if (c === "'" || c === '"') return str();
    if (c === '(') {
      i++;
      const dims: number[] = [];
      while (peek() !== ')') {
        dims.push(int());
        if (peek() === ',') i++;
        else if (peek() !== ')') bad("expected ',' or ')'");
      }
      i++;
      return dims;
    }
    if (text.startsWith('True', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('False', i)) {
      i += 5;
      return false;
    }
    return bad('unexpected value');
  };
  expect('{');
  const fields = new Map<string, unknown>();
  while (peek() !== '}') {
    if (i >= text.length) bad('unterminated dict');
    const key = str();
    expect(':');
    if (fields.has(key)) bad(`duplicate key '${key}'`);
    fields.set(key, value());
    if (peek() === ',') i++;
    else if (peek() !== '}') bad("expected ',' or '}'");
  }
  i++;
  if (text.slice(i).trim() !== '') bad('trailing characters');
  const descr = fields.get('descr');
  const fortran = fields.get('fortran_order');
  const shape = fields.get('shape');
  if (fields.size !== 3 || typeof descr !== 'string' || typeof fortran !== 'boolean' || !Array.isArray(shape)) {
    throw new FormatError('npy-bad-header', "header must have exactly 'descr' (str), 'fortran_order' (bool) and 'shape' (tuple)");
  }
  return { descr, fortranOrder: fortran, shape: shape as number[] };
}

/** Parses the header at the start of `bytes`; needs only the header bytes, not the data. */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < MAGIC.length + 2 || MAGIC.some((b, k) => bytes[k] !== b)) {
    throw new FormatError('npy-bad-magic', 'not a .npy array (magic bytes missing)');
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  if (![1, 2, 3].includes(major) || minor !== 0)
    throw new FormatError('npy-unsupported-version', `.npy format version ${major}.${minor} is not supported (1.0, 2.0, 3.0)`);
  const preamble = major === 1 ? PREAMBLE_V1 : PREAMBLE_V2;
  if (bytes.length < preamble) throw new FormatError('npy-truncated', 'file ends inside the .npy preamble');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_NPY_HEADER_BYTES) throw new FormatError('npy-bad-header', `header is ${headerLen} bytes (limit ${MAX_NPY_HEADER_BYTES})`);
  if (bytes.length < preamble + headerLen) throw new FormatError('npy-truncated', 'file ends inside the .npy header');
  const raw = bytes.subarray(preamble, preamble + headerLen);
  let text: string;
  try {
    // v1/v2 headers are latin1 (ASCII in practice), v3 allows UTF-8.
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch {
    throw new FormatError('npy-bad-header', 'header text is not valid UTF-8');
  }
  const dict = parseHeaderDict(text);
  const dtype = parseDtype(dict.descr);
  let size = 1;
  for (const d of dict.shape) {
    size *= d;
    if (!Number.isSafeInteger(size * dtype.itemSize)) throw new FormatError('npy-too-large', `shape (${dict.shape.join(', ')}) is too large`);
  }
  return { version: major as 1 | 2 | 3, dtype, fortranOrder: dict.fortranOrder, shape: dict.shape, dataOffset: preamble + headerLen, size };
}

/** Copies `bytes` (a whole number of elements) into a typed array of the dtype, swapping byte order if needed. */
export function toTypedArray(dtype: NpyDtype, bytes: Uint8Array): NpyTypedArray {
  const copy = bytes.slice();
  if (!dtype.littleEndian && dtype.itemSize > 1) {
    for (let p = 0; p < copy.length; p += dtype.itemSize) copy.subarray(p, p + dtype.itemSize).reverse();
  }
  const buf = copy.buffer;
  switch (`${dtype.kind}${dtype.itemSize}`) {
    case 'u1':
    case 'b1':
      return new Uint8Array(buf);
    case 'i1':
      return new Int8Array(buf);
    case 'u2':
      return new Uint16Array(buf);
    case 'i2':
      return new Int16Array(buf);
    case 'u4':
      return new Uint32Array(buf);
    case 'i4':
      return new Int32Array(buf);
    case 'u8':
      return new BigUint64Array(buf);
    case 'i8':
      return new BigInt64Array(buf);
    case 'f4':
      return new Float32Array(buf);
    case 'f8':
      return new Float64Array(buf);
    default:
      throw new FormatError('npy-unsupported-dtype', `dtype '${dtype.descr}' is not supported`);
  }
}

/** Reorders a Fortran-order (column-major) array into C order. */
function fortranToC(data: NpyTypedArray, shape: number[]): NpyTypedArray {
  if (shape.length < 2) return data;
  const out = new (data.constructor as new (n: number) => NpyTypedArray)(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  const fStride: number[] = [];
  let s = 1;
  for (const d of shape) {
    fStride.push(s);
    s *= d;
  }
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let k = 0; k < shape.length; k++) f += (idx[k] as number) * (fStride[k] as number);
    (out as unknown as { [i: number]: number | bigint })[c] = (data as unknown as { [i: number]: number | bigint })[f] as number | bigint;
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (shape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Decodes a whole .npy file held in memory. Truncated or over-long data is an error. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const header = parseNpyHeader(bytes);
  const want = header.size * header.dtype.itemSize;
  if (want > MAX_IN_MEMORY_NPY_BYTES)
    throw new FormatError('npy-too-large', `array is ${want} bytes (in-memory limit ${MAX_IN_MEMORY_NPY_BYTES}); stream it by row`);
  const have = bytes.length - header.dataOffset;
  if (have < want) throw new FormatError('npy-truncated', `array data is ${have} bytes, shape needs ${want} (truncated)`);
  if (have > want) throw new FormatError('npy-size-mismatch', `array data is ${have} bytes, shape needs ${want}`);
  let data = toTypedArray(header.dtype, bytes.subarray(header.dataOffset));
  if (header.fortranOrder) data = fortranToC(data, header.shape);
  return { header, shape: header.shape.slice(), data };
}

/**
 * Streams a .npy array one row (first-axis slice) at a time from byte chunks, so an array larger than memory can be read.
 * Each row is a fresh Uint8Array of raw little/big-endian bytes (convert with `toTypedArray`). Fortran order cannot be streamed.
 */
export class NpyRowStream {
  private constructor(
    readonly header: NpyHeader,
    readonly rowBytes: number,
    private readonly rest: Uint8Array,
    private readonly chunks: AsyncIterator<Uint8Array>,
  ) {}

  static async open(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<NpyRowStream> {
    const it = (async function* () {
      yield* chunks;
    })();
    let buf: Uint8Array = new Uint8Array(0);
    const fill = async (want: number): Promise<void> => {
      while (buf.length < want) {
        const next = await it.next();
        if (next.done) return;
        buf = concat(buf, next.value);
      }
    };
    await fill(PREAMBLE_V2);
    if (buf.length === 0) throw new FormatError('npy-truncated', 'array is empty');
    if (buf.length >= PREAMBLE_V1 && MAGIC.every((b, k) => buf[k] === b)) {
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const headerLen = buf[6] === 1 ? view.getUint16(8, true) : buf.length >= PREAMBLE_V2 ? view.getUint32(8, true) : 0;
      if (headerLen <= MAX_NPY_HEADER_BYTES) await fill(PREAMBLE_V2 + headerLen);
    }
    const header = parseNpyHeader(buf);
    if (header.fortranOrder && header.shape.length > 1) throw new FormatError('npy-unsupported-layout', 'Fortran-order arrays cannot be read row by row');
    if (header.shape.length === 0) throw new FormatError('npy-unsupported-layout', 'a 0-d array has no rows');
    const rowElems = header.shape.slice(1).reduce((a, b) => a * b, 1);
    if (rowElems === 0) throw new FormatError('npy-unsupported-layout', 'rows of this array are empty');
    return new NpyRowStream(header, rowElems * header.dtype.itemSize, buf.subarray(header.dataOffset), it);
  }

  get rows(): number {
    return this.header.shape[0] as number;
  }

  /** Yields every row in order; throws `npy-truncated` if data ends early, `npy-size-mismatch` if bytes are left over. */
  async *read(): AsyncGenerator<Uint8Array> {
    const rowBytes = this.rowBytes;
    let pending: Uint8Array[] = this.rest.length > 0 ? [this.rest] : [];
    let pendingLen = this.rest.length;
    let emitted = 0;
    let done = false;
    while (emitted < this.rows) {
      while (pendingLen < rowBytes && !done) {
        const next = await this.chunks.next();
        if (next.done) done = true;
        else if (next.value.length > 0) {
          pending.push(next.value);
          pendingLen += next.value.length;
        }
      }
      if (pendingLen < rowBytes) throw new FormatError('npy-truncated', `array data ends after ${emitted} of ${this.rows} rows`, emitted + 1);
      const joined = pending.length === 1 ? (pending[0] as Uint8Array) : concatAll(pending, pendingLen);
      let off = 0;
      while (pendingLen - off >= rowBytes && emitted < this.rows) {
        yield joined.slice(off, off + rowBytes);
        off += rowBytes;
        emitted++;
      }
      const left = joined.subarray(off);
      pending = left.length > 0 ? [left] : [];
      pendingLen = left.length;
    }
    let extra = pendingLen;
    while (!done) {
      const next = await this.chunks.next();
      if (next.done) done = true;
      else extra += next.value.length;
    }
    if (extra > 0) throw new FormatError('npy-size-mismatch', `${extra} bytes after the last row`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function concatAll(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
