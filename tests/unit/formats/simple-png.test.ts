// The plain-PNG fast path must give exactly what sharp gives, and hand everything else to sharp: checked on every
// image fixture re-encoded as MedBridge stores it (grey and RGB), on PNG variants the fast path must refuse, and on
// damaged bytes (never a crash, never a different picture).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzlibSync } from 'fflate';
import sharp from 'sharp';
import { decodeImage, encodePng } from '../../../electron/formats/image-normalise.ts';
import { decodeSimplePng } from '../../../electron/formats/simple-png.ts';
import { createRng } from '../../../shared/random.ts';

const FIXTURES = new URL('../../fixtures/formats/', import.meta.url).pathname;
const MAX_SIDE = 1024;

function imageFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return imageFiles(p);
    return /\.(png|jpe?g)$/i.test(n) ? [p] : [];
  });
}

async function viaSharp(png: Uint8Array): Promise<{ width: number; height: number; channels: number; data: Buffer }> {
  // as decodeImage asks sharp: grey files stay one channel (sharp's raw output would otherwise be sRGB)
  const grey = (await sharp(png).metadata()).channels === 1;
  const { data, info } = await sharp(png)
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

test('stored PNGs (grey and RGB) decode to the same pixels as sharp, on every image fixture', async () => {
  const files = imageFiles(FIXTURES);
  assert.ok(files.length >= 50, `${files.length} fixture images`);
  const seen = { grey: 0, rgb: 0 };
  for (const f of files) {
    const decoded = await decodeImage(readFileSync(f));
    // as MedBridge stores it (sharp writes grey as RGB PNG too), and as a true grey PNG (colour type 0)
    const grey = { width: decoded.width, height: decoded.height, channels: 1 as const, data: decoded.data.filter((_, i) => i % decoded.channels === 0) };
    const greyPng = new Uint8Array(
      await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer(),
    );
    for (const [img, png] of [
      [decoded, await encodePng(decoded)],
      [grey, await encodePng(grey)],
      [grey, greyPng],
    ] as const) {
      const fast = decodeSimplePng(png, MAX_SIDE);
      assert.ok(fast, `${f}: a plain PNG takes the fast path`);
      const ref = await viaSharp(png);
      assert.deepEqual([fast.width, fast.height, fast.channels], [ref.width, ref.height, ref.channels], f);
      assert.ok(Buffer.from(fast.data).equals(ref.data), `${f}: pixels differ from sharp`);
      const back = await decodeImage(png);
      assert.equal(back.channels, img.channels, `${f}: grey comes back grey`);
      assert.ok(Buffer.from(back.data).equals(Buffer.from(img.data)), `${f}: not the pixels that were stored`);
      if (fast.channels === 1) seen.grey++;
      else seen.rgb++;
    }
  }
  assert.ok(seen.grey > 0 && seen.rgb > 0, `both kinds covered: ${JSON.stringify(seen)}`);
});

/** The filter type byte of every row (IDAT inflated), to show which filters a test exercised. */
function rowFilters(png: Uint8Array, width: number, height: number, channels: number): number[] {
  const parts: Uint8Array[] = [];
  for (let o = 8; o + 12 <= png.length;) {
    const len = new DataView(png.buffer, png.byteOffset).getUint32(o);
    if (String.fromCharCode(...png.subarray(o + 4, o + 8)) === 'IDAT') parts.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = unzlibSync(Uint8Array.from(parts.flatMap((p) => [...p])));
  return Array.from({ length: height }, (_, y) => raw[y * (width * channels + 1)] as number);
}

test('every PNG filter type is reversed exactly (rows made to need Sub, Up, Average and Paeth)', async () => {
  const rng = createRng(11);
  const filtersSeen = new Set<number>();
  for (const channels of [1, 3] as const) {
    const width = 37;
    const height = 23;
    const data = new Uint8Array(width * height * channels);
    // smooth gradients plus noise: libpng's adaptive filtering picks different filters row by row
    for (let i = 0; i < data.length; i++)
      data[i] = ((i % (width * channels)) * 3 + Math.floor(i / (width * channels)) * 5 + Math.floor(rng.next() * 20)) & 0xff;
    for (const adaptiveFiltering of [true, false]) {
      const png = new Uint8Array(
        await sharp(data, { raw: { width, height, channels } })
          .toColourspace(channels === 1 ? 'b-w' : 'srgb')
          .png({ adaptiveFiltering, compressionLevel: 9 })
          .toBuffer(),
      );
      assert.equal(png[25], channels === 1 ? 0 : 2, 'colour type');
      for (const ft of rowFilters(png, width, height, channels)) filtersSeen.add(ft);
      const fast = decodeSimplePng(png, MAX_SIDE);
      assert.ok(fast);
      assert.ok(Buffer.from(fast.data).equals(Buffer.from(data)), `channels ${channels}, adaptive ${adaptiveFiltering}`);
    }
  }
  assert.deepEqual([...filtersSeen].sort(), [0, 1, 2, 3, 4], 'all five filter types occurred');
});

test('PNGs the fast path must not decode are left to sharp: alpha, 16-bit, palette, interlaced, larger than the cap', async () => {
  const grey = { width: 8, height: 8, channels: 1 as const };
  const px = new Uint8Array(64).map((_, i) => i * 4);
  const cases: Array<[string, Promise<Buffer>]> = [
    [
      'alpha',
      sharp(new Uint8Array(8 * 8 * 4).fill(200), { raw: { width: 8, height: 8, channels: 4 } })
        .png()
        .toBuffer(),
    ],
    ['16-bit', sharp(px, { raw: grey }).toColourspace('grey16').png().toBuffer()],
    [
      'palette',
      sharp(new Uint8Array(8 * 8 * 3).fill(90), { raw: { width: 8, height: 8, channels: 3 } })
        .png({ palette: true })
        .toBuffer(),
    ],
    ['interlaced', sharp(px, { raw: grey }).png({ progressive: true }).toBuffer()],
  ];
  for (const [name, made] of cases) assert.equal(decodeSimplePng(new Uint8Array(await made), MAX_SIDE), null, name);
  const big = new Uint8Array(
    await sharp(new Uint8Array(40 * 10), { raw: { width: 40, height: 10, channels: 1 } })
      .png()
      .toBuffer(),
  );
  assert.equal(decodeSimplePng(big, 32), null, 'wider than maxSide: sharp resizes it');
  // and decodeImage still returns sharp's answer for them (alpha flattened onto black, 16-bit reduced to 8)
  const alpha = await decodeImage(new Uint8Array(await cases[0]![1]));
  assert.equal(alpha.channels, 1);
});

test('damaged stored PNGs: every single-byte corruption is refused or decoded identically to sharp, never a crash', async () => {
  const rng = createRng(5);
  const img = { width: 28, height: 28, channels: 1 as const, data: new Uint8Array(784).map(() => Math.floor(rng.next() * 256)) };
  const png = await encodePng(img);
  let refused = 0;
  for (let trial = 0; trial < 300; trial++) {
    const bad = Uint8Array.from(png);
    const at = 8 + Math.floor(rng.next() * (bad.length - 8));
    bad[at] = (bad[at] as number) ^ (1 + Math.floor(rng.next() * 255));
    const fast = decodeSimplePng(bad, MAX_SIDE);
    if (fast === null) {
      refused++;
      continue;
    }
    const ref = await viaSharp(bad);
    assert.ok(Buffer.from(fast.data).equals(ref.data), `byte ${at}: a corrupted PNG decoded differently from sharp`);
  }
  assert.ok(refused >= 290, `CRC catches corruptions: ${refused} of 300 refused`);
});
