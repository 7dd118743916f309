import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { crc32Update } from '../../../electron/formats/crc32.ts';
import { FormatError } from '../../../electron/formats/issues.ts';
import { normaliseRelativePath } from '../../../electron/formats/safe-path.ts';
import { openZipBytes, openZipFile } from '../../../electron/formats/zip-reader.ts';
import { buildZip, fixture, utf8 } from './helpers.ts';

const MIB = 1024 * 1024;

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof FormatError && err.code === code);
}

test('crc32 matches the standard check value', () => {
  assert.equal(crc32Update(0, utf8('123456789')), 0xcbf43926);
  assert.equal(crc32Update(crc32Update(0, utf8('1234')), utf8('56789')), 0xcbf43926);
});

test('path normalisation refuses escapes and normalises harmless forms', () => {
  for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'c:x', 'a\\b', '..', 'a/\u0000b', '']) {
    assert.equal(normaliseRelativePath(bad).ok, false, bad);
  }
  assert.deepEqual(normaliseRelativePath('./a//b/./c.png'), { ok: true, path: 'a/b/c.png' });
  assert.deepEqual(normaliseRelativePath('a..b/c'), { ok: true, path: 'a..b/c' });
});

test('lists and reads entries written by fflate (stored and deflated)', async () => {
  const bytes = zipSync({ 'a.txt': utf8('hello'), 'dir/b.bin': [new Uint8Array(5000).fill(7), { level: 9 }], 'c.txt': [utf8('stored'), { level: 0 }] });
  const { archive, issues } = await openZipBytes('t.zip', bytes);
  assert.deepEqual(issues, []);
  assert.deepEqual(
    archive
      .entries()
      .map((e) => e.name)
      .sort(),
    ['a.txt', 'c.txt', 'dir/b.bin'],
  );
  assert.equal(new TextDecoder().decode(await archive.read(archive.get('a.txt')!)), 'hello');
  const b = await archive.read(archive.get('dir/b.bin')!);
  assert.equal(b.length, 5000);
  assert.ok(b.every((x) => x === 7));
  assert.equal(new TextDecoder().decode(await archive.read(archive.get('c.txt')!)), 'stored');
});

test('traversal, absolute, drive-letter and backslash entries are rejected, the rest still readable', async () => {
  const bytes = buildZip([
    { name: '../evil.txt', data: utf8('x') },
    { name: '/abs.txt', data: utf8('x') },
    { name: 'C:/win.txt', data: utf8('x') },
    { name: 'dir\\back.txt', data: utf8('x') },
    { name: 'ok/../../up.txt', data: utf8('x') },
    { name: 'good.txt', data: utf8('fine') },
  ]);
  const { archive, issues } = await openZipBytes('t.zip', bytes);
  assert.deepEqual(
    archive.entries().map((e) => e.name),
    ['good.txt'],
  );
  assert.equal(issues.length, 5);
  assert.ok(issues.every((i) => i.code === 'zip-unsafe-path' && i.file === 't.zip'));
  assert.match(issues[0]!.reason, /\.\.\/evil\.txt/);
  assert.equal(new TextDecoder().decode(await archive.read(archive.get('good.txt')!)), 'fine');
});

test('a high-ratio entry (50 MiB of zeros) is refused by the ratio cap', async () => {
  const bytes = buildZip([
    { name: 'zeros.bin', data: new Uint8Array(50 * MIB), deflate: true },
    { name: 'x.txt', data: utf8('x') },
  ]);
  const { archive, issues } = await openZipBytes('bomb.zip', bytes);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.code, 'zip-ratio-too-high');
  assert.deepEqual(
    archive.entries().map((e) => e.name),
    ['x.txt'],
  );
});

test('an entry that expands beyond its declared size is stopped while streaming', async () => {
  const bytes = buildZip([{ name: 'liar.bin', data: new Uint8Array(200_000).fill(1), deflate: true, declaredSize: 1000 }]);
  const { archive } = await openZipBytes('liar.zip', bytes);
  await rejects(archive.read(archive.get('liar.bin')!), 'zip-size-mismatch');
});

test('total uncompressed size over the cap refuses the archive', async () => {
  const bytes = buildZip([
    { name: 'a', data: new Uint8Array(3000) },
    { name: 'b', data: new Uint8Array(3000) },
  ]);
  await rejects(openZipBytes('t.zip', bytes, { maxTotalUncompressedBytes: 5000 }), 'zip-total-too-large');
  const { archive } = await openZipBytes('t.zip', bytes, { maxTotalUncompressedBytes: 6000 });
  assert.equal(archive.entries().length, 2);
});

test('overlapping entries (two central records, one local header) refuse the archive', async () => {
  const bytes = buildZip([
    { name: 'a.bin', data: new Uint8Array(100) },
    { name: 'b.bin', data: new Uint8Array(100), shareLocalWith: 0 },
  ]);
  await rejects(openZipBytes('overlap.zip', bytes), 'zip-overlapping-entries');
});

test('corrupt data gives a CRC error; truncation and garbage give coded errors', async () => {
  const good = buildZip([{ name: 'a.txt', data: utf8('abcdefgh') }]);
  const flipped = good.slice();
  flipped[30 + 5 + 2] = (flipped[30 + 5 + 2] as number) ^ 0xff; // a byte inside the stored data
  const { archive } = await openZipBytes('t.zip', flipped);
  await rejects(archive.read(archive.get('a.txt')!), 'zip-crc-mismatch');
  await rejects(openZipBytes('t.zip', good.subarray(0, good.length - 10)), 'zip-not-a-zip');
  await rejects(openZipBytes('t.zip', utf8('definitely not a zip file at all')), 'zip-not-a-zip');
  await rejects(openZipFile(fixture('does-not-exist.zip')), 'file-unreadable');
});

test('reads the real .npz fixture as a zip of .npy entries', async () => {
  const { archive, issues } = await openZipFile(fixture('medmnist/BreastMNIST.npz'));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    archive
      .entries()
      .map((e) => e.name)
      .sort(),
    ['test_images.npy', 'test_labels.npy', 'train_images.npy', 'train_labels.npy', 'val_images.npy', 'val_labels.npy'],
  );
  const img = await archive.read(archive.get('train_images.npy')!);
  assert.equal(img.length, archive.get('train_images.npy')!.uncompressedSize);
  await archive.close();
});
