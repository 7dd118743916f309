import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvParser, parseCsvBytes, type CsvEvent } from '../../../electron/formats/csv.ts';
import { readCsvTable, type TableEvent } from '../../../electron/formats/csv-table.ts';
import { utf8 } from './helpers.ts';

const records = (evs: CsvEvent[]): string[][] => evs.flatMap((e) => (e.type === 'record' ? [e.fields] : []));

test('RFC 4180 quoting, CRLF, BOM and embedded newlines', () => {
  const evs = parseCsvBytes(utf8('\ufeffa,b\r\n1,"x,""y"""\r\n"multi\r\nline",2\n"",\n'));
  assert.deepEqual(records(evs), [
    ['a', 'b'],
    ['1', 'x,"y"'],
    ['multi\r\nline', '2'],
    ['', ''],
  ]);
  assert.deepEqual(
    evs.map((e) => e.row),
    [1, 2, 3, 4],
  );
});

test('same result whatever the chunking (BOM and CRLF split across chunks)', () => {
  const text = utf8('\ufeffq,a\r\n"he said ""hi""",é\r\nlast,row');
  const whole = parseCsvBytes(text);
  for (const size of [1, 2, 3, 5]) {
    const p = new CsvParser();
    const evs: CsvEvent[] = [];
    for (let i = 0; i < text.length; i += size) evs.push(...p.push(text.subarray(i, i + size)));
    evs.push(...p.end());
    assert.deepEqual(evs, whole, `chunk ${size}`);
  }
  assert.deepEqual(records(whole), [
    ['q', 'a'],
    ['he said "hi"', 'é'],
    ['last', 'row'],
  ]);
});

test('invalid UTF-8, stray quote and unterminated quote are per-row errors; later rows survive', () => {
  const bytes = Uint8Array.from([...utf8('a,b\n'), 0xc3, 0x28, ...utf8(',1\n"x"y,2\nok,3\n"open,4\n5,6')]);
  const evs = parseCsvBytes(bytes);
  assert.deepEqual(
    evs.map((e) => (e.type === 'error' ? `${e.row}:${e.code}` : `${e.row}:ok`)),
    ['1:ok', '2:csv-invalid-utf8', '3:csv-bad-quote', '4:ok', '5:csv-unterminated-quote'],
  );
});

test('an oversized record is rejected and parsing resumes at the next line', () => {
  const evs = parseCsvBytes(utf8(`a\n${'x'.repeat(100)}\nshort\n`), 50);
  assert.deepEqual(
    evs.map((e) => (e.type === 'error' ? e.code : e.fields[0])),
    ['a', 'csv-record-too-large', 'short'],
  );
});

test('table: missing columns give one rejection naming all of them; field-count errors name the row', async () => {
  const collect = async (text: string): Promise<TableEvent[]> => {
    const out: TableEvent[] = [];
    for await (const ev of readCsvTable('t.csv', [utf8(text)], { q: ['Question'], a: ['Answer', 'Anwser'], img: ['Figure_path'] })) out.push(ev);
    return out;
  };
  const missing = await collect('Question,Other\nx,y\n');
  assert.equal(missing.length, 1);
  assert.equal(missing[0]!.type, 'rejection');
  if (missing[0]!.type === 'rejection') {
    assert.equal(missing[0]!.issue.code, 'missing-columns');
    assert.match(missing[0]!.issue.reason, /missing columns: Answer, Figure_path/);
  }
  const ok = await collect(' question ,ANWSER,Figure_path\nq1,a1,f1\n\nq2,a2\nq3,a3,f3\n');
  assert.deepEqual(
    ok.map((e) => (e.type === 'row' ? `${e.row}:${e.values.get('q')}/${e.values.get('a')}` : `${e.issue.row}:${e.issue.code}`)),
    ['2:q1/a1', '4:csv-field-count', '5:q3/a3'],
  );
  const empty = await collect('');
  assert.equal(empty[0]!.type === 'rejection' && empty[0]!.issue.code, 'csv-empty');
});
