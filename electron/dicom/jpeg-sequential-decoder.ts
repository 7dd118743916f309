// Sequential DCT JPEG decoder (ITU-T T.81 Processes 1, 2 and 4: Huffman coding, 8- or 12-bit samples), written
// for DICOM JPEG Extended (1.2.840.10008.1.2.4.51), whose 12-bit images the 8-bit libjpeg-turbo build cannot read.
// Progressive and arithmetic-coded JPEG are rejected.

const BLOCK = 8;
const BLOCK_SIZE = 64;
/** Zig-zag order → natural (row-major) order of the 8×8 coefficients (T.81 Figure A.6). */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);
const M = { SOF0: 0xc0, SOF1: 0xc1, DHT: 0xc4, SOI: 0xd8, EOI: 0xd9, SOS: 0xda, DQT: 0xdb, DRI: 0xdd, RST0: 0xd0, RST7: 0xd7, APP14: 0xee } as const;
/** Max image side accepted, so a corrupt header cannot request a huge allocation. */
const MAX_SIDE = 1 << 15;

export interface JpegImage {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** Pixel-interleaved samples. */
  samples: Uint16Array;
  convertedToRgb: boolean;
}

class JpegError extends Error {}

interface Huffman {
  /** Per code length 1..16: max code, offset into values, min code. */
  maxCode: Int32Array;
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  plane: Float32Array;
  planeWidth: number;
  dcTable: number;
  acTable: number;
  pred: number;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  let code = 0,
    k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    if (n > 0) {
      valPtr[len] = k;
      minCode[len] = code;
      code += n;
      k += n;
      maxCode[len] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { maxCode, valPtr, minCode, values };
}

/** Float 8×8 inverse DCT (T.81 A.3.3), precomputed cosines. */
const COS = (() => {
  const t = new Float64Array(BLOCK * BLOCK);
  for (let x = 0; x < BLOCK; x++) {
    for (let u = 0; u < BLOCK; u++) {
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      t[x * BLOCK + u] = (cu * Math.cos(((2 * x + 1) * u * Math.PI) / 16)) / 2;
    }
  }
  return t;
})();

function idct(coef: Float64Array, out: Float64Array): void {
  const tmp = new Float64Array(BLOCK_SIZE);
  for (let v = 0; v < BLOCK; v++) {
    for (let x = 0; x < BLOCK; x++) {
      let s = 0;
      for (let u = 0; u < BLOCK; u++) s += COS[x * BLOCK + u]! * coef[v * BLOCK + u]!;
      tmp[v * BLOCK + x] = s;
    }
  }
  for (let x = 0; x < BLOCK; x++) {
    for (let y = 0; y < BLOCK; y++) {
      let s = 0;
      for (let v = 0; v < BLOCK; v++) s += COS[y * BLOCK + v]! * tmp[v * BLOCK + x]!;
      out[y * BLOCK + x] = s;
    }
  }
}

class BitReader {
  private bitBuf = 0;
  private bitCount = 0;
  /** Set when a marker was met inside entropy-coded data. */
  marker: number | undefined;
  constructor(
    private readonly data: Uint8Array,
    public pos: number,
  ) {}

  private fill(): void {
    let byte = 0;
    if (this.marker === undefined && this.pos < this.data.length) {
      byte = this.data[this.pos]!;
      if (byte === 0xff) {
        const next = this.data[this.pos + 1];
        if (next === 0) {
          this.pos += 2;
        } else {
          this.marker = next;
          byte = 0;
        }
      } else {
        this.pos += 1;
      }
    } else if (this.marker === undefined) {
      throw new JpegError('the compressed data ends early');
    }
    this.bitBuf = (this.bitBuf << 8) | byte;
    this.bitCount += 8;
  }

  bit(): number {
    if (this.bitCount === 0) this.fill();
    this.bitCount -= 1;
    return (this.bitBuf >> this.bitCount) & 1;
  }

  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }

  decode(h: Huffman): number {
    let code = this.bit();
    for (let len = 1; len <= 16; len++) {
      if (code <= h.maxCode[len]!) return h.values[h.valPtr[len]! + code - h.minCode[len]!] ?? 0;
      code = (code << 1) | this.bit();
    }
    throw new JpegError('an invalid Huffman code was found');
  }

  /** T.81 F.2.2.1 EXTEND: turns an s-bit magnitude into a signed value. */
  receiveExtend(s: number): number {
    if (s === 0) return 0;
    if (s > 16) throw new JpegError('an invalid coefficient size was found');
    const v = this.bits(s);
    return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
  }

  /** After a scan: leaves `pos` at the next marker that is not a restart marker. */
  seekMarker(): void {
    let q = this.pos;
    while (q + 1 < this.data.length) {
      const next = this.data[q + 1]!;
      if (this.data[q] === 0xff && next !== 0 && next !== 0xff && !(next >= M.RST0 && next <= M.RST7)) break;
      q++;
    }
    this.pos = q;
    this.marker = undefined;
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  /** Byte-aligns and consumes an expected RSTn marker (T.81 F.1.2.3). */
  restart(): void {
    this.bitBuf = 0;
    this.bitCount = 0;
    if (this.marker === undefined) {
      while (this.pos + 1 < this.data.length && !(this.data[this.pos] === 0xff && this.data[this.pos + 1]! >= M.RST0 && this.data[this.pos + 1]! <= M.RST7))
        this.pos++;
      this.marker = this.data[this.pos + 1];
    }
    if (this.marker !== undefined && this.marker >= M.RST0 && this.marker <= M.RST7) {
      this.pos += 2;
      this.marker = undefined;
    }
  }
}

export function decodeJpegSequential(data: Uint8Array): JpegImage {
  const u16 = (p: number): number => {
    if (p + 1 >= data.length) throw new JpegError('a JPEG segment runs past the end of the data');
    return (data[p]! << 8) | data[p + 1]!;
  };
  if (data[0] !== 0xff || data[1] !== M.SOI) throw new JpegError('the data does not start with a JPEG SOI marker');
  const quant: (Uint16Array | undefined)[] = [];
  const dcTables: (Huffman | undefined)[] = [];
  const acTables: (Huffman | undefined)[] = [];
  let components: Component[] = [];
  let width = 0,
    height = 0,
    precision = 0,
    hMax = 1,
    vMax = 1,
    mcusPerLine = 0,
    mcusPerColumn = 0;
  let restartInterval = 0;
  let adobeTransform: number | undefined;
  let p = 2;
  let sawScan = false;
  while (p < data.length) {
    if (data[p] !== 0xff) {
      p++;
      continue;
    }
    const marker = data[p + 1];
    if (marker === undefined) break;
    if (marker === 0xff) {
      p++;
      continue;
    }
    p += 2;
    if (marker === M.EOI) break;
    if (marker >= M.RST0 && marker <= M.RST7) continue;
    const length = u16(p);
    const end = p + length;
    if (length < 2 || end > data.length) throw new JpegError('a JPEG segment length is invalid');
    switch (marker) {
      case M.DQT: {
        let q = p + 2;
        while (q < end) {
          const pq = data[q]! >> 4,
            tq = data[q]! & 15;
          q++;
          const table = new Uint16Array(BLOCK_SIZE);
          for (let i = 0; i < BLOCK_SIZE; i++) {
            table[ZIGZAG[i]!] = pq === 0 ? data[q + i]! : u16(q + 2 * i);
          }
          q += pq === 0 ? BLOCK_SIZE : 2 * BLOCK_SIZE;
          quant[tq & 3] = table;
        }
        break;
      }
      case M.DHT: {
        let q = p + 2;
        while (q + 17 <= end) {
          const tc = data[q]! >> 4,
            th = data[q]! & 15;
          const counts = data.slice(q + 1, q + 17);
          const total = counts.reduce((s, c) => s + c, 0);
          const values = data.slice(q + 17, q + 17 + total);
          if (values.length < total) throw new JpegError('a Huffman table is incomplete');
          (tc === 0 ? dcTables : acTables)[th & 3] = buildHuffman(counts, values);
          q += 17 + total;
        }
        break;
      }
      case M.SOF0:
      case M.SOF1: {
        precision = data[p + 2]!;
        height = u16(p + 3);
        width = u16(p + 5);
        const n = data[p + 7]!;
        if (precision !== 8 && precision !== 12) throw new JpegError(`sample precision ${precision} is not 8 or 12`);
        if (!width || !height || width > MAX_SIDE || height > MAX_SIDE) throw new JpegError('the JPEG image size is invalid');
        if (n < 1 || n > 4 || p + 8 + 3 * n > end) throw new JpegError('the JPEG component list is invalid');
        components = [];
        for (let i = 0; i < n; i++) {
          const b = p + 8 + 3 * i;
          const h = data[b + 1]! >> 4,
            v = data[b + 1]! & 15;
          if (h < 1 || h > 4 || v < 1 || v > 4) throw new JpegError('a JPEG sampling factor is invalid');
          components.push({
            id: data[b]!,
            h,
            v,
            tq: data[b + 2]! & 3,
            blocksPerLine: 0,
            blocksPerColumn: 0,
            plane: new Float32Array(0),
            planeWidth: 0,
            dcTable: 0,
            acTable: 0,
            pred: 0,
          });
        }
        hMax = Math.max(...components.map((c) => c.h));
        vMax = Math.max(...components.map((c) => c.v));
        mcusPerLine = Math.ceil(width / (BLOCK * hMax));
        mcusPerColumn = Math.ceil(height / (BLOCK * vMax));
        for (const c of components) {
          c.blocksPerLine = Math.ceil(Math.ceil((width * c.h) / hMax) / BLOCK);
          c.blocksPerColumn = Math.ceil(Math.ceil((height * c.v) / vMax) / BLOCK);
          c.planeWidth = mcusPerLine * c.h * BLOCK;
          c.plane = new Float32Array(c.planeWidth * mcusPerColumn * c.v * BLOCK);
        }
        break;
      }
      case M.DRI:
        restartInterval = u16(p + 2);
        break;
      case M.APP14:
        // Adobe segment: transform flag 0 means the components are not YCbCr.
        if (length >= 14 && String.fromCharCode(...data.subarray(p + 2, p + 7)) === 'Adobe') adobeTransform = data[p + 13];
        break;
      case M.SOS: {
        if (components.length === 0) throw new JpegError('a scan came before the frame header');
        const ns = data[p + 2]!;
        const scanComps: Component[] = [];
        for (let i = 0; i < ns; i++) {
          const id = data[p + 3 + 2 * i];
          const c = components.find((x) => x.id === id);
          if (!c) throw new JpegError('a scan names an unknown component');
          c.dcTable = data[p + 4 + 2 * i]! >> 4;
          c.acTable = data[p + 4 + 2 * i]! & 15;
          scanComps.push(c);
        }
        const reader = new BitReader(data, end);
        decodeScan(reader, scanComps, { quant, dcTables, acTables, mcusPerLine, mcusPerColumn, restartInterval, precision });
        sawScan = true;
        p = reader.pos;
        continue;
      }
      default:
        if (marker >= 0xc2 && marker <= 0xcf && marker !== M.DHT && marker !== 0xc8 && marker !== 0xcc) {
          throw new JpegError('progressive, lossless or arithmetic-coded JPEG is not handled by this decoder');
        }
    }
    p = end;
  }
  if (!sawScan) throw new JpegError('the JPEG data contains no image scan');
  return assemble(components, width, height, precision, hMax, vMax, adobeTransform);
}

interface ScanContext {
  quant: (Uint16Array | undefined)[];
  dcTables: (Huffman | undefined)[];
  acTables: (Huffman | undefined)[];
  mcusPerLine: number;
  mcusPerColumn: number;
  restartInterval: number;
  precision: number;
}

function decodeScan(reader: BitReader, comps: Component[], ctx: ScanContext): void {
  const coef = new Float64Array(BLOCK_SIZE);
  const spatial = new Float64Array(BLOCK_SIZE);
  const levelShift = 2 ** (ctx.precision - 1);
  for (const c of comps) c.pred = 0;
  const decodeBlock = (c: Component, row: number, col: number): void => {
    const dc = ctx.dcTables[c.dcTable],
      ac = ctx.acTables[c.acTable],
      q = ctx.quant[c.tq];
    if (!dc || !ac || !q) throw new JpegError('a scan uses a missing Huffman or quantisation table');
    coef.fill(0);
    const t = reader.decode(dc);
    c.pred += reader.receiveExtend(t);
    coef[0] = c.pred * q[0]!;
    for (let k = 1; k < BLOCK_SIZE;) {
      const rs = reader.decode(ac);
      const r = rs >> 4,
        s = rs & 15;
      if (s === 0) {
        if (r !== 15) break; // EOB
        k += 16;
        continue;
      }
      k += r;
      if (k >= BLOCK_SIZE) throw new JpegError('a coefficient index runs past the block');
      const z = ZIGZAG[k]!;
      coef[z] = reader.receiveExtend(s) * q[z]!;
      k++;
    }
    idct(coef, spatial);
    const x0 = col * BLOCK,
      y0 = row * BLOCK;
    if ((y0 + BLOCK) * c.planeWidth > c.plane.length || x0 + BLOCK > c.planeWidth) return;
    for (let y = 0; y < BLOCK; y++) {
      for (let x = 0; x < BLOCK; x++) c.plane[(y0 + y) * c.planeWidth + x0 + x] = spatial[y * BLOCK + x]! + levelShift;
    }
  };
  const single = comps.length === 1;
  const total = single ? comps[0]!.blocksPerLine * comps[0]!.blocksPerColumn : ctx.mcusPerLine * ctx.mcusPerColumn;
  for (let n = 0; n < total; n++) {
    if (ctx.restartInterval > 0 && n > 0 && n % ctx.restartInterval === 0) {
      reader.restart();
      for (const c of comps) c.pred = 0;
    }
    if (single) {
      const c = comps[0]!;
      decodeBlock(c, Math.floor(n / c.blocksPerLine), n % c.blocksPerLine);
    } else {
      const mr = Math.floor(n / ctx.mcusPerLine),
        mc = n % ctx.mcusPerLine;
      for (const c of comps) {
        for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, mr * c.v + v, mc * c.h + h);
      }
    }
  }
  reader.seekMarker();
}

function assemble(
  components: Component[],
  width: number,
  height: number,
  precision: number,
  hMax: number,
  vMax: number,
  adobeTransform: number | undefined,
): JpegImage {
  const n = components.length;
  const maxValue = 2 ** precision - 1;
  const clamp = (v: number): number => (v < 0 ? 0 : v > maxValue ? maxValue : Math.round(v));
  const samples = new Uint16Array(width * height * n);
  const planes = new Float64Array(width * height * n);
  components.forEach((c, ci) => {
    const sx = c.h / hMax,
      sy = c.v / vMax;
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y * sy) * c.planeWidth;
      for (let x = 0; x < width; x++) planes[(y * width + x) * n + ci] = c.plane[row + Math.floor(x * sx)]!;
    }
  });
  // JFIF: three components are YCbCr unless an Adobe segment says "no transform" or the ids spell R, G, B.
  const ids = components.map((c) => c.id).join(',');
  const isYcc = n === 3 && adobeTransform !== 0 && ids !== '82,71,66';
  if (isYcc) {
    const centre = 2 ** (precision - 1);
    for (let i = 0; i < width * height; i++) {
      const y = planes[3 * i]!,
        cb = planes[3 * i + 1]! - centre,
        cr = planes[3 * i + 2]! - centre;
      // T.871 Section 7 (JFIF) YCbCr → RGB.
      samples[3 * i] = clamp(y + 1.402 * cr);
      samples[3 * i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      samples[3 * i + 2] = clamp(y + 1.772 * cb);
    }
  } else {
    for (let i = 0; i < planes.length; i++) samples[i] = clamp(planes[i]!);
  }
  return { width, height, components: n, precision, samples, convertedToRgb: isYcc };
}
