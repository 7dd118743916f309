// A streaming CSV parser of our own: RFC 4180 quoting ("" escapes, quoted commas and line breaks), CRLF/LF/CR line ends,
// UTF-8 BOM, and per-record errors (invalid UTF-8, stray quotes, unterminated quotes, oversized records) that never stop the rest.
// Works on bytes: ',', '"', CR and LF are ASCII and never occur inside a UTF-8 multi-byte sequence, so fields are split first and decoded after.
import type { IssueCode } from './issues.ts';

/** Largest record kept in memory; a longer one (e.g. a quote never closed) is rejected and skipped to the next line. */
export const MAX_CSV_RECORD_BYTES = 4 * 1024 * 1024;

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/** `row` is the 1-based record number, counting the header and blank lines (a record with embedded line breaks is one row). */
export type CsvEvent = { type: 'record'; row: number; fields: string[] } | { type: 'error'; row: number; code: IssueCode; reason: string };

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
  SkipToLineEnd,
}

export class CsvParser {
  private state = State.FieldStart;
  private field = new Uint8Array(256);
  private fieldLen = 0;
  private fields: Uint8Array[] = [];
  private recordBytes = 0;
  private row = 1;
  private problem: { code: IssueCode; reason: string } | null = null;
  private afterCr = false;
  private prefix: number[] | null = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxRecordBytes = MAX_CSV_RECORD_BYTES) {}

  push(chunk: Uint8Array): CsvEvent[] {
    const out: CsvEvent[] = [];
    if (this.prefix !== null) {
      // Hold back the first bytes until we know whether they are a BOM.
      for (const b of chunk) this.prefix.push(b);
      if (this.prefix.length < BOM.length) return out;
      const p = this.prefix;
      this.prefix = null;
      const start = BOM.every((b, i) => p[i] === b) ? BOM.length : 0;
      this.feed(Uint8Array.from(p.slice(start)), out);
      return out;
    }
    this.feed(chunk, out);
    return out;
  }

  end(): CsvEvent[] {
    const out: CsvEvent[] = [];
    if (this.prefix !== null) {
      const p = this.prefix;
      this.prefix = null;
      const isBomStart = p.every((b, i) => BOM[i] === b);
      this.feed(Uint8Array.from(isBomStart ? [] : p), out);
    }
    if (this.state === State.Quoted) {
      this.problem ??= { code: 'csv-unterminated-quote', reason: 'a quoted field is never closed (file ends inside quotes)' };
    }
    const empty = this.state === State.FieldStart && this.fields.length === 0 && this.fieldLen === 0;
    if (!empty || this.problem) this.endRecord(out);
    return out;
  }

  private feed(bytes: Uint8Array, out: CsvEvent[]): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (this.afterCr) {
        this.afterCr = false;
        if (b === LF) continue;
      }
      this.recordBytes++;
      if (this.recordBytes > this.maxRecordBytes && this.state !== State.SkipToLineEnd) {
        this.problem = {
          code: 'csv-record-too-large',
          reason: `record is longer than ${this.maxRecordBytes} bytes (unclosed quote?); skipped to the next line`,
        };
        this.state = State.SkipToLineEnd;
        this.fieldLen = 0;
        this.fields = [];
      }
      switch (this.state) {
        case State.SkipToLineEnd:
          if (b === LF || b === CR) {
            this.afterCr = b === CR;
            this.endRecord(out);
          }
          break;
        case State.FieldStart:
          if (b === QUOTE) this.state = State.Quoted;
          else if (b === COMMA) this.endField();
          else if (b === LF || b === CR) {
            this.afterCr = b === CR;
            this.endRecord(out);
          } else {
            this.append(b);
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          // A bare quote inside an unquoted field (e.g. 5" ruler) is kept literally, as most producers expect.
          if (b === COMMA) {
            this.endField();
            this.state = State.FieldStart;
          } else if (b === LF || b === CR) {
            this.afterCr = b === CR;
            this.endRecord(out);
          } else this.append(b);
          break;
        case State.Quoted:
          if (b === QUOTE) this.state = State.QuoteInQuoted;
          else this.append(b);
          break;
        case State.QuoteInQuoted:
          if (b === QUOTE) {
            this.append(QUOTE);
            this.state = State.Quoted;
          } else if (b === COMMA) {
            this.endField();
            this.state = State.FieldStart;
          } else if (b === LF || b === CR) {
            this.afterCr = b === CR;
            this.endRecord(out);
          } else {
            this.problem ??= {
              code: 'csv-bad-quote',
              reason: `unexpected character after a closing quote (RFC 4180 §2.7: quotes inside a quoted field must be doubled)`,
            };
            this.append(b);
            this.state = State.Unquoted;
          }
          break;
      }
    }
  }

  private append(b: number): void {
    if (this.fieldLen === this.field.length) {
      const bigger = new Uint8Array(this.field.length * 2);
      bigger.set(this.field);
      this.field = bigger;
    }
    this.field[this.fieldLen++] = b;
  }

  private endField(): void {
    this.fields.push(this.field.slice(0, this.fieldLen));
    this.fieldLen = 0;
  }

  private endRecord(out: CsvEvent[]): void {
    if (this.state !== State.SkipToLineEnd) this.endField();
    const row = this.row++;
    const fields = this.fields;
    this.fields = [];
    this.fieldLen = 0;
    this.recordBytes = 0;
    this.state = State.FieldStart;
    if (this.problem) {
      out.push({ type: 'error', row, code: this.problem.code, reason: this.problem.reason });
      this.problem = null;
      return;
    }
    const texts: string[] = [];
    for (let k = 0; k < fields.length; k++) {
      try {
        texts.push(this.decoder.decode(fields[k]));
      } catch {
        out.push({ type: 'error', row, code: 'csv-invalid-utf8', reason: `field ${k + 1} is not valid UTF-8 (save the file as UTF-8)` });
        return;
      }
    }
    out.push({ type: 'record', row, fields: texts });
  }
}

/** Parses a stream of byte chunks, yielding records and per-record errors. */
export async function* parseCsv(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxRecordBytes = MAX_CSV_RECORD_BYTES): AsyncGenerator<CsvEvent> {
  const parser = new CsvParser(maxRecordBytes);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}

/** Parses CSV held in memory (tests, small files). */
export function parseCsvBytes(bytes: Uint8Array, maxRecordBytes = MAX_CSV_RECORD_BYTES): CsvEvent[] {
  const parser = new CsvParser(maxRecordBytes);
  return [...parser.push(bytes), ...parser.end()];
}
