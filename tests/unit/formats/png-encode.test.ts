// The small-image PNG encoder: its filtered rows computed by hand on a 3×2 image, and its files read back by two
// independent decoders (libvips through sharp, and inflate + unfiltering here by the PNG specification's formulas) with
// every pixel equal, for grey and RGB images of many shapes, including every fixture small enough to take this path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { encodePngSync } from '../../../electron/formats/png-encode.ts';
import { encodePng, SMALL_IMAGE_BYTES } from '../../../electron/formats/image-normalise.ts';
import { createRng } from '../../../shared/random.ts';

interface Chunk {
  type: string;
  body: Buffer;
}
function chunks(png: Uint8Array): Chunk[] {
  const b = Buffer.from(png);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const out: Chunk[] = [];
  for (let o = 8; o < b.length;) {
    const n = b.readUInt32BE(o);
    out.push({ type: b.toString('latin1', o + 4, o + 8), body: b.subarray(o + 8, o + 8 + n) });
    o += 12 + n;
  }
  return out;
}

/** Inflate and unfilter, written from the PNG specification (section 9.2), independent of the encoder. */
function decodeBySpec(png: Uint8Array): { width: number; height: number; channels: number; filters: number[]; data: Uint8Array } {
  const cs = chunks(png);
  const ihdr = cs[0]!.body;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const channels = ihdr[9] === 0 ? 1 : 3;
  const raw = inflateSync(Buffer.concat(cs.filter((c) => c.type === 'IDAT').map((c) => c.body)));
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  const filters: number[] = [];
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    filters.push(f);
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? data[y * stride + i - channels]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? data[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, pr][f]!;
      data[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return { width, height, channels, filters, data };
}

test('a 3×2 grey image: the filter each row gets and its bytes, worked by hand', () => {
  // Row 0 [10, 20, 30]: None costs 60, Sub gives [10, 10, 10] = 30, Up = None (zero row above) 60, Average
  // [10, 15, 20] = 45, Paeth (above is zero, so it predicts the left pixel) = Sub 30 → Sub, the first lowest.
  // Row 1 [10, 20, 31]: Up gives [0, 0, 1] = 1, the lowest.
  const png = encodePngSync({ width: 3, height: 2, channels: 1, data: Uint8Array.of(10, 20, 30, 10, 20, 31) });
  const cs = chunks(png);
  assert.deepEqual(
    cs.map((c) => c.type),
    ['IHDR', 'IDAT', 'IEND'],
  );
  assert.deepEqual([...cs[0]!.body], [0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
  assert.deepEqual([...inflateSync(cs[1]!.body)], [1, 10, 10, 10, 2, 0, 0, 1]);
  // A CRC the decoder checks: sharp refuses a file whose chunk CRC is wrong.
  const broken = Buffer.from(png);
  broken[29] = broken[29]! ^ 0xff;
  return sharp(broken)
    .raw()
    .toBuffer()
    .then(
      () => assert.fail('sharp read a PNG with a damaged IHDR CRC'),
      (e: Error) => assert.match(e.message, /crc|CRC|Input buffer/),
    );
});

test('grey and RGB images of many shapes: sharp and the specification decoder return every pixel', async () => {
  const rng = createRng(20261203);
  const used = new Set<number>();
  for (const [w, h, ch, kind] of [
    [1, 1, 1, 'noise'],
    [28, 28, 1, 'smooth'],
    [28, 28, 3, 'smooth'],
    [64, 3, 3, 'noise'],
    [3, 64, 1, 'noise'],
    [96, 80, 1, 'smooth'],
    [147, 147, 3, 'edges'],
    [255, 256, 1, 'smooth'],
  ] as const) {
    const data = new Uint8Array(w * h * ch);
    for (let i = 0; i < data.length; i++) {
      const x = Math.floor(i / ch) % w;
      const y = Math.floor(i / ch / w);
      data[i] = kind === 'noise' ? rng.int(256) : kind === 'smooth' ? (x * 3 + y * 2 + (i % ch) * 40) & 0xff : ((x >> 3) + (y >> 3)) % 2 ? 230 : 20;
    }
    const png = encodePngSync({ width: w, height: h, channels: ch, data });
    const spec = decodeBySpec(png);
    assert.deepEqual([spec.width, spec.height, spec.channels], [w, h, ch]);
    assert.ok(Buffer.from(spec.data).equals(Buffer.from(data)), `${w}×${h}×${ch} ${kind}: pixels by the specification decoder`);
    for (const f of spec.filters) used.add(f);
    const { data: viaSharp, info } = await sharp(png)
      .toColourspace(ch === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, ch);
    assert.ok(viaSharp.equals(Buffer.from(data)), `${w}×${h}×${ch} ${kind}: pixels by sharp`);
  }
  assert.deepEqual([...used].sort(), [0, 1, 2, 3, 4], 'these images exercise all five filter types');
});

test('encodePng: the small path up to SMALL_IMAGE_BYTES, sharp above it, the same pixels either way', async () => {
  const side = Math.floor(Math.sqrt(SMALL_IMAGE_BYTES));
  for (const [w, h] of [
    [side, side],
    [side + 1, side + 1],
  ] as const) {
    const data = new Uint8Array(w * h).map((_, i) => (i * 7) & 0xff);
    const png = await encodePng({ width: w, height: h, channels: 1, data });
    const small = w * h <= SMALL_IMAGE_BYTES;
    assert.equal(
      Buffer.from(png).equals(Buffer.from(encodePngSync({ width: w, height: h, channels: 1, data }))),
      small,
      `${w}×${h}: ${small ? 'small' : 'sharp'} path`,
    );
    const back = await sharp(png).toColourspace('b-w').raw().toBuffer();
    assert.ok(back.equals(Buffer.from(data)), `${w}×${h}: pixels`);
  }
});
