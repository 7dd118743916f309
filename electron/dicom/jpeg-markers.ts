// Reads the JPEG frame header (SOFn) of a codestream: sample precision, size and components (ITU-T T.81 B.2.2).

export interface JpegFrameHeader {
  /** The SOF marker's low nibble: 0 baseline, 1 extended, 3 lossless, … */
  process: number;
  precision: number;
  height: number;
  width: number;
  components: number;
}

const MARKER = 0xff;
const SOI = 0xd8;
const SOF_FIRST = 0xc0;
const SOF_LAST = 0xcf;
/** DHT, JPG and DAC share the SOF range but are not frame headers. */
const NOT_SOF = new Set([0xc4, 0xc8, 0xcc]);

export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader | undefined {
  if (bytes[0] !== MARKER || bytes[1] !== SOI) return undefined;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== MARKER) return undefined;
    const marker = bytes[p + 1]!;
    if (marker === MARKER) {
      p += 1;
      continue;
    }
    const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (marker >= SOF_FIRST && marker <= SOF_LAST && !NOT_SOF.has(marker)) {
      if (p + 10 > bytes.length) return undefined;
      return {
        process: marker - SOF_FIRST,
        precision: bytes[p + 4]!,
        height: (bytes[p + 5]! << 8) | bytes[p + 6]!,
        width: (bytes[p + 7]! << 8) | bytes[p + 8]!,
        components: bytes[p + 9]!,
      };
    }
    p += 2 + length;
  }
  return undefined;
}
