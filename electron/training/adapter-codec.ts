// Byte-stable checkpoint format of an adapter: a fixed 56-byte little-endian header, then the
// parameters as raw little-endian floats. The same parameters always give the same bytes, so
// the SHA-256 of `adapterBytes` identifies a policy.
import { allocate, dtypeOf, type FloatDType } from './float-array.ts';
import { adapterLayout, resolveAdapterConfig, wrapAdapter, type Adapter, type AdapterConfig } from './adapter.ts';

export const ADAPTER_MAGIC = 0x4441424d; // "MBAD" read as a little-endian u32
export const ADAPTER_FORMAT_VERSION = 1;
export const ADAPTER_HEADER_BYTES = 56;

const BYTES_PER: Record<FloatDType, number> = { float32: 4, float64: 8 };

/**
 * Header: u32 magic, u16 version, u8 bytes-per-float, u8 reserved 0, u32 rank, u32 imageDim,
 * u32 textDim, u32 numLabels, f64 scale, f64 temperature, f64 initStd, u32 parameter count,
 * u32 reserved 0 — all little-endian.
 */
export function adapterBytes(adapter: Adapter): Uint8Array {
  const c = adapter.config;
  const dtype = dtypeOf(adapter.params);
  const width = BYTES_PER[dtype];
  const n = adapter.params.length;
  const out = new Uint8Array(ADAPTER_HEADER_BYTES + n * width);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ADAPTER_MAGIC, true);
  dv.setUint16(4, ADAPTER_FORMAT_VERSION, true);
  dv.setUint8(6, width);
  dv.setUint8(7, 0);
  dv.setUint32(8, c.rank, true);
  dv.setUint32(12, c.imageDim, true);
  dv.setUint32(16, c.textDim, true);
  dv.setUint32(20, c.numLabels, true);
  dv.setFloat64(24, c.scale, true);
  dv.setFloat64(32, c.temperature, true);
  dv.setFloat64(40, c.initStd, true);
  dv.setUint32(48, n, true);
  dv.setUint32(52, 0, true);
  const p = adapter.params;
  let o = ADAPTER_HEADER_BYTES;
  if (width === 4) for (let i = 0; i < n; i++, o += 4) dv.setFloat32(o, p[i]!, true);
  else for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, p[i]!, true);
  return out;
}

export const serializeAdapter = adapterBytes;

export function deserializeAdapter(bytes: Uint8Array): Adapter {
  if (bytes.length < ADAPTER_HEADER_BYTES) throw new RangeError(`adapter checkpoint is ${bytes.length} bytes; header needs ${ADAPTER_HEADER_BYTES}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== ADAPTER_MAGIC) throw new RangeError('not an adapter checkpoint (bad magic)');
  const version = dv.getUint16(4, true);
  if (version !== ADAPTER_FORMAT_VERSION) throw new RangeError(`unsupported adapter checkpoint version ${version}`);
  const width = dv.getUint8(6);
  if (width !== 4 && width !== 8) throw new RangeError(`unsupported float width ${width}`);
  const config: AdapterConfig = resolveAdapterConfig({
    rank: dv.getUint32(8, true),
    imageDim: dv.getUint32(12, true),
    textDim: dv.getUint32(16, true),
    numLabels: dv.getUint32(20, true),
    scale: dv.getFloat64(24, true),
    temperature: dv.getFloat64(32, true),
    initStd: dv.getFloat64(40, true),
  });
  const n = dv.getUint32(48, true);
  if (n !== adapterLayout(config).size) throw new RangeError(`checkpoint holds ${n} parameters; its config needs ${adapterLayout(config).size}`);
  if (bytes.length !== ADAPTER_HEADER_BYTES + n * width) throw new RangeError(`checkpoint length ${bytes.length} does not match ${n} parameters`);
  const params = allocate(width === 4 ? 'float32' : 'float64', n);
  let o = ADAPTER_HEADER_BYTES;
  if (width === 4) for (let i = 0; i < n; i++, o += 4) params[i] = dv.getFloat32(o, true);
  else for (let i = 0; i < n; i++, o += 8) params[i] = dv.getFloat64(o, true);
  return wrapAdapter(config, params);
}
