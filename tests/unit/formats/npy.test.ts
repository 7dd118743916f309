import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FormatError } from '../../../electron/formats/issues.ts';
import { NpyRowStream, parseNpy, parseNpyHeader } from '../../../electron/formats/npy.ts';
import { fixture, npyBytes } from './helpers.ts';

interface Expected {
  descr: string;
  shape: number[];
  fortran: boolean;
  values: (number | string | boolean)[];
  version: number[];
}
const expected = JSON.parse(readFileSync(fixture('npy/expected.json'), 'utf8')) as Record<string, Expected>;

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof FormatError && err.code === code);
}

test('npy files written by numpy decode to the same values (all dtypes, versions 1–3, Fortran order, big-endian)', () => {
  assert.equal(Object.keys(expected).length, 8);
  for (const [name, want] of Object.entries(expected)) {
    const arr = parseNpy(new Uint8Array(readFileSync(fixture(`npy/${name}.npy`))));
    assert.deepEqual(arr.shape, want.shape, name);
    assert.equal(arr.header.dtype.descr, want.descr, name);
    assert.equal(arr.header.fortranOrder, want.fortran, name);
    assert.equal(arr.header.version, want.version[0], name);
    const got = Array.from(arr.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : want.descr === '|b1' ? v === 1 : v));
    if (want.descr === '<f4') {
      got.forEach((v, i) => assert.ok(Math.abs((v as number) - (want.values[i] as number)) < 1e-6, `${name}[${i}]`));
    } else {
      assert.deepEqual(got, want.values, name);
    }
  }
});

test('int64 labels stay exact beyond 2^32', () => {
  const arr = parseNpy(new Uint8Array(readFileSync(fixture('npy/i8_labels.npy'))));
  assert.ok(arr.data instanceof BigInt64Array);
  assert.deepEqual(Array.from(arr.data, String), expected['i8_labels']!.values);
});

test('truncated, padded and malformed files give coded errors', () => {
  const good = npyBytes('|u1', [2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6]));
  assert.deepEqual(Array.from(parseNpy(good).data as Uint8Array), [1, 2, 3, 4, 5, 6]);
  throwsCode(() => parseNpy(good.subarray(0, good.length - 1)), 'npy-truncated');
  throwsCode(() => parseNpy(good.subarray(0, 20)), 'npy-truncated');
  throwsCode(() => parseNpy(Uint8Array.from([...good, 0])), 'npy-size-mismatch');
  throwsCode(() => parseNpy(new Uint8Array([1, 2, 3])), 'npy-bad-magic');
  const v9 = good.slice();
  v9[6] = 9;
  throwsCode(() => parseNpy(v9), 'npy-unsupported-version');
  throwsCode(() => parseNpy(npyBytes('<c16', [1], new Uint8Array(16))), 'npy-unsupported-dtype');
  throwsCode(() => parseNpy(npyBytes('|O', [1], new Uint8Array(8))), 'npy-unsupported-dtype');
  const badHeader = npyBytes('|u1', [2], new Uint8Array(2));
  badHeader.set(new TextEncoder().encode("{'descr': '|u1', 'fortran_order': Maybe"), 10);
  throwsCode(() => parseNpyHeader(badHeader), 'npy-bad-header');
});

test('row streaming yields the same bytes as a whole parse, across awkward chunk sizes', async () => {
  const data = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => (i * 37) & 255);
  const bytes = npyBytes('|u1', [5, 7, 3], data);
  for (const size of [1, 3, 64, 1000]) {
    const chunks = async function* (): AsyncGenerator<Uint8Array> {
      for (let p = 0; p < bytes.length; p += size) yield bytes.subarray(p, p + size);
    };
    const rows = await NpyRowStream.open(chunks());
    assert.equal(rows.rows, 5);
    const got: number[] = [];
    for await (const r of rows.read()) {
      assert.equal(r.length, 21);
      got.push(...r);
    }
    assert.deepEqual(got, Array.from(data), `chunk size ${size}`);
  }
  const cut = await NpyRowStream.open([bytes.subarray(0, bytes.length - 5)]);
  await assert.rejects(
    async () => {
      for await (const _ of cut.read()) {
        /* drain */
      }
    },
    (e: unknown) => e instanceof FormatError && e.code === 'npy-truncated' && e.row === 5,
  );
});
