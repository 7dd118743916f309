import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { FormatError } from '../../../electron/formats/issues.ts';
import { dHash, decodeImage, encodePng, hammingDistance, hashToHex, sniffImageType } from '../../../electron/formats/image-normalise.ts';
import { fixture } from './helpers.ts';

const MRI = fixture('vqa-rad/images/synpic54610.jpg');
const CELL = fixture('images/blood-cell-pbc/basophil/BA_100102.jpg');
const OTHER_CELL = fixture('images/blood-cell-pbc/platelet/PLATELET_100161.jpg');
const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof FormatError && e.code === code);
}

test('JPEG, PNG, TIFF, WebP and BMP decode to 8-bit grey or RGB with the same pixels', async () => {
  const raw = Buffer.from(Array.from({ length: 6 * 4 * 3 }, (_, i) => (i * 11) & 255));
  const src = sharp(raw, { raw: { width: 6, height: 4, channels: 3 } });
  for (const [fmt, buf] of [
    ['png', await src.clone().png().toBuffer()],
    ['tiff', await src.clone().tiff({ compression: 'lzw' }).toBuffer()],
    ['webp', await src.clone().webp({ lossless: true }).toBuffer()],
  ] as const) {
    const img = await decodeImage(new Uint8Array(buf));
    assert.equal(sniffImageType(new Uint8Array(buf)), fmt);
    assert.deepEqual([img.width, img.height, img.channels], [6, 4, 3], fmt);
    assert.deepEqual(Array.from(img.data), Array.from(raw), fmt);
  }
  // 2×2 24-bit BMP, bottom-up rows padded to 4 bytes: bottom row blue, white; top row red, green.
  const bmp = Buffer.alloc(54 + 16);
  bmp.write('BM');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(2, 18);
  bmp.writeInt32LE(2, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  Buffer.from([255, 0, 0, 255, 255, 255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0]).copy(bmp, 54);
  const b = await decodeImage(new Uint8Array(bmp));
  assert.deepEqual(Array.from(b.data), [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
  const grey = await decodeImage(bytes(MRI));
  assert.equal(grey.channels, 1, 'a JPEG stored as RGB with equal channels becomes grey');
  const rgb = await decodeImage(bytes(CELL));
  assert.deepEqual([rgb.width, rgb.height, rgb.channels], [360, 363, 3]);
});

test('16-bit PNG is scaled to 8 bits; alpha is flattened onto black', async () => {
  // A grey16 PNG made by widening an 8-bit source: decoding must give the 8-bit values back.
  const g8 = await sharp(Buffer.from([0, 255, 128, 16]), { raw: { width: 2, height: 2, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toBuffer();
  assert.equal((await sharp(g8).metadata()).depth, 'ushort');
  const d = await decodeImage(new Uint8Array(g8));
  assert.deepEqual([d.channels, ...d.data], [1, 0, 255, 128, 16]);
  const rgba = await sharp({ create: { width: 1, height: 1, channels: 4, background: { r: 200, g: 100, b: 50, alpha: 0.5 } } })
    .png()
    .toBuffer();
  const f = await decodeImage(new Uint8Array(rgba));
  assert.deepEqual(Array.from(f.data), [100, 50, 25]);
});

test('longest side is capped keeping aspect ratio, never enlarged', async () => {
  const wide = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  const a = await decodeImage(new Uint8Array(wide));
  assert.deepEqual([a.width, a.height], [1024, 341]);
  const b = await decodeImage(new Uint8Array(wide), { maxSide: 300 });
  assert.deepEqual([b.width, b.height], [300, 100]);
  const small = await decodeImage(bytes(CELL), { maxSide: 2000 });
  assert.deepEqual([small.width, small.height], [360, 363]);
});

test('bad bytes: not an image, truncated, pixel bomb, SVG refused', async () => {
  await rejects(decodeImage(new TextEncoder().encode('hello')), 'not-an-image');
  await rejects(decodeImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), 'not-an-image');
  await rejects(decodeImage(bytes(CELL).subarray(0, 3000)), 'image-undecodable');
  // A PNG header declaring 20000×20000 pixels (IHDR only) is refused before decoding.
  const ihdr = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  const bomb = Buffer.from(ihdr);
  bomb.writeUInt32BE(20000, 16);
  bomb.writeUInt32BE(20000, 20);
  await assert.rejects(
    decodeImage(new Uint8Array(bomb)),
    (e: unknown) => e instanceof FormatError && (e.code === 'image-too-large' || e.code === 'image-undecodable'),
  );
});

test('PNG encoding round-trips exactly', async () => {
  for (const p of [MRI, CELL]) {
    const img = await decodeImage(bytes(p));
    const back = await decodeImage(await encodePng(img));
    assert.deepEqual([back.width, back.height, back.channels], [img.width, img.height, img.channels]);
    assert.ok(Buffer.from(back.data).equals(Buffer.from(img.data)));
  }
});

test('dHash: near-duplicates are close, different images far; Hamming distance is a popcount', async () => {
  assert.equal(hammingDistance(0n, 0xffff_ffff_ffff_ffffn), 64);
  assert.equal(hammingDistance(0b1011n, 0b0001n), 2);
  const cell = await decodeImage(bytes(CELL));
  const h = dHash(cell);
  assert.equal(hashToHex(h).length, 16);
  const recompressed = await decodeImage(new Uint8Array(await sharp(readFileSync(CELL)).resize(180).jpeg({ quality: 40 }).toBuffer()));
  assert.ok(hammingDistance(h, dHash(recompressed)) <= 6, 'resized + recompressed copy is a near-duplicate');
  const other = await decodeImage(bytes(OTHER_CELL));
  const mri = await decodeImage(bytes(MRI));
  assert.ok(hammingDistance(h, dHash(other)) > 10);
  assert.ok(hammingDistance(h, dHash(mri)) > 10);
  assert.equal(dHash({ width: 1, height: 1, channels: 1, data: new Uint8Array([9]) }), 0n);
});
