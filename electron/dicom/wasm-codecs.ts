// The WebAssembly codecs (libjpeg-turbo, CharLS, OpenJPEG builds by Cornerstone): loaded once, asynchronously,
// and reloaded after a decoder aborts (an aborted Emscripten instance cannot be reused).
import { createRequire } from 'node:module';

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  delete(): void;
  getInterleaveMode?(): number;
}

type DecoderCtor = new () => WasmDecoder;
export type WasmCodecName = 'libjpeg-turbo' | 'charls' | 'openjpeg';

const MODULES: Record<WasmCodecName, { path: string; ctor: string }> = {
  'libjpeg-turbo': { path: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', ctor: 'JPEGDecoder' },
  charls: { path: '@cornerstonejs/codec-charls/decodewasmjs', ctor: 'JpegLSDecoder' },
  openjpeg: { path: '@cornerstonejs/codec-openjpeg/decodewasmjs', ctor: 'J2KDecoder' },
};

type Factory = (moduleArg: Record<string, unknown>) => Promise<Record<string, unknown>>;

const require = createRequire(import.meta.url);
const loaded = new Map<WasmCodecName, Promise<DecoderCtor>>();

async function instantiate(name: WasmCodecName): Promise<DecoderCtor> {
  const spec = MODULES[name];
  const factory = require(spec.path) as Factory;
  // Codec diagnostics go nowhere: failures surface as coded errors instead.
  const instance = await factory({ print: () => undefined, printErr: () => undefined });
  const ctor = instance[spec.ctor];
  if (typeof ctor !== 'function') throw new Error(`codec ${name} has no ${spec.ctor}`);
  return ctor as DecoderCtor;
}

export function loadWasmCodec(name: WasmCodecName): Promise<DecoderCtor> {
  let p = loaded.get(name);
  if (!p) {
    p = instantiate(name);
    loaded.set(name, p);
    p.catch(() => loaded.delete(name));
  }
  return p;
}

/** Forgets an instance after a failed decode, so the next decode starts from a fresh WebAssembly memory. */
export function discardWasmCodec(name: WasmCodecName): void {
  loaded.delete(name);
}

/** Loads all codecs up front (optional: decoding loads them on first use). */
export async function initCodecs(): Promise<void> {
  await Promise.all((Object.keys(MODULES) as WasmCodecName[]).map((n) => loadWasmCodec(n)));
}

export interface WasmDecodeOutput {
  info: WasmFrameInfo;
  /** A copy of the decoded bytes (little-endian samples, as the codec wrote them). */
  bytes: Uint8Array;
  interleaveMode: number | undefined;
}

/** Runs one decode; the decoder object is freed whatever happens. Throws on codec failure. */
export async function wasmDecode(name: WasmCodecName, encoded: Uint8Array): Promise<WasmDecodeOutput> {
  const Ctor = await loadWasmCodec(name);
  let decoder: WasmDecoder | undefined;
  try {
    decoder = new Ctor();
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const bytes = decoder.getDecodedBuffer().slice();
    const interleaveMode = decoder.getInterleaveMode?.();
    return { info: { ...info }, bytes, interleaveMode };
  } catch (e) {
    discardWasmCodec(name);
    throw e;
  } finally {
    try {
      decoder?.delete();
    } catch {
      discardWasmCodec(name);
    }
  }
}
