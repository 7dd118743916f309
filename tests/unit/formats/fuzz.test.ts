// Seeded fuzz: mutated .npz, CSV and zip inputs must never throw; every outcome is items or coded rejections/warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRng, type Rng } from '../../../shared/random.ts';
import { ISSUE_CODES, collectEvents, type Issue } from '../../../electron/formats/issues.ts';
import { readMedMnist } from '../../../electron/formats/medmnist.ts';
import { readPmcVqa } from '../../../electron/formats/pmc-vqa.ts';
import { openZipBytes } from '../../../electron/formats/zip-reader.ts';
import { buildZip, fixture, npyBytes, npzBytes, utf8 } from './helpers.ts';

const FUZZ_SEED = 20240611;
const CASES_PER_FORMAT = 400;
const KNOWN = new Set<string>(ISSUE_CODES);

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  let b = src.slice();
  const ops = 1 + rng.int(4);
  for (let k = 0; k < ops; k++) {
    const kind = rng.int(6);
    const at = rng.int(Math.max(1, b.length));
    if (kind === 0)
      b[at] = rng.int(256); // overwrite a byte
    else if (kind === 1)
      b[at] = (b[at] as number) ^ (1 << rng.int(8)); // flip a bit
    else if (kind === 2)
      b = b.slice(0, at); // truncate
    else if (kind === 3) {
      const n = 1 + rng.int(16);
      b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + n))]);
    } // delete
    else if (kind === 4) {
      const ins = Array.from({ length: 1 + rng.int(8) }, () => rng.int(256));
      b = Uint8Array.from([...b.subarray(0, at), ...ins, ...b.subarray(at)]);
    } // insert
    else {
      const from = rng.int(Math.max(1, b.length));
      b.copyWithin(at, from, from + 1 + rng.int(32));
    } // duplicate a span
  }
  return b;
}

function checkIssues(issues: Issue[], what: string): void {
  for (const i of issues) {
    assert.ok(KNOWN.has(i.code), `${what}: unknown code ${i.code}`);
    assert.notEqual(i.code, 'internal-error', `${what}: ${i.reason}`);
    assert.ok(i.reason.length > 0 && i.file.length > 0, what);
  }
}

test(`fuzz: ${CASES_PER_FORMAT} mutated .npz files`, async () => {
  const rng = createRng(FUZZ_SEED);
  const base = npzBytes({
    train_images: npyBytes(
      '|u1',
      [6, 5, 5],
      Uint8Array.from({ length: 150 }, (_, i) => i),
    ),
    train_labels: npyBytes('|u1', [6, 1], Uint8Array.from([0, 1, 1, 0, 1, 0])),
    test_images: npyBytes('|u1', [2, 5, 5, 3], new Uint8Array(150).fill(9)),
    test_labels: npyBytes('<i8', [2], new Uint8Array(16)),
  });
  const clean = await collectEvents(readMedMnist('breastmnist.npz', { seed: 1, bytes: base }));
  assert.equal(clean.items.length, 8);
  let withRejections = 0;
  for (let n = 0; n < CASES_PER_FORMAT; n++) {
    const bytes = mutate(base, rng);
    const r = await collectEvents(readMedMnist('breastmnist.npz', { seed: 1, bytes }));
    checkIssues([...r.rejections, ...r.warnings], `npz case ${n}`);
    assert.ok(r.items.length <= 8, `npz case ${n}: no items invented`);
    if (r.rejections.length > 0) withRejections++;
  }
  assert.ok(withRejections > CASES_PER_FORMAT / 2, `most mutations are caught (${withRejections})`);
});

test(`fuzz: ${CASES_PER_FORMAT} mutated PMC-VQA CSV files`, async () => {
  const rng = createRng(FUZZ_SEED + 1);
  const base = new Uint8Array(readFileSync(fixture('pmc-vqa/train.csv')));
  const images = fixture('pmc-vqa/images');
  for (let n = 0; n < CASES_PER_FORMAT; n++) {
    const bytes = mutate(base, rng);
    const r = await collectEvents(readPmcVqa('train.csv', { images, bytes }));
    checkIssues([...r.rejections, ...r.warnings], `csv case ${n}`);
    for (const { item } of r.items) assert.equal(item.options.length, 4);
  }
});

test(`fuzz: ${CASES_PER_FORMAT} mutated zip archives (listing and reading every entry)`, async () => {
  const rng = createRng(FUZZ_SEED + 2);
  const base = buildZip([
    { name: 'a.txt', data: utf8('alpha '.repeat(50)), deflate: true },
    { name: 'dir/b.bin', data: Uint8Array.from({ length: 300 }, (_, i) => i & 255) },
    { name: 'c.txt', data: utf8('gamma'), deflate: true },
  ]);
  let readable = 0;
  for (let n = 0; n < CASES_PER_FORMAT; n++) {
    const bytes = mutate(base, rng);
    const issues: Issue[] = [];
    try {
      const { archive, issues: found } = await openZipBytes('fuzz.zip', bytes);
      issues.push(...found);
      for (const e of archive.entries()) {
        try {
          const data = await archive.read(e);
          assert.equal(data.length, e.uncompressedSize);
          readable++;
        } catch (err) {
          assert.ok(err instanceof Error && 'code' in err && KNOWN.has(String(err.code)), `zip case ${n}: ${String(err)}`);
        }
      }
    } catch (err) {
      assert.ok(err instanceof Error && 'code' in err && KNOWN.has(String(err.code)), `zip case ${n}: ${String(err)}`);
    }
    checkIssues(issues, `zip case ${n}`);
  }
  assert.ok(readable > 0);
});
