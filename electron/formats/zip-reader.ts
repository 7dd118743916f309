// Lists and reads zip entries without trusting the archive: unsafe paths, bombs, overlaps and corruption become coded issues.
// Layout per PKWARE APPNOTE.TXT 6.3 (sections 4.3.7 local header, 4.3.12 central directory, 4.3.14–4.3.16 ZIP64, EOCD).
import { Inflate } from 'fflate';
import { bytesSource, fileSource, type ByteSource } from './byte-source.ts';
import { crc32Update } from './crc32.ts';
import { FormatError, type Issue } from './issues.ts';
import { normaliseRelativePath } from './safe-path.ts';

export interface ZipLimits {
  /** Most entries a central directory may list. */
  maxEntries: number;
  /** Cap on the sum of declared uncompressed sizes of all listed entries. */
  maxTotalUncompressedBytes: number;
  /** Cap on uncompressed/compressed for one entry (deflate's own ceiling is ~1032:1). */
  maxCompressionRatio: number;
  /** Entries smaller than this are exempt from the ratio cap (tiny files of zeros compress absurdly well, harmlessly). */
  ratioExemptBelowBytes: number;
  /** Largest entry `readEntry` will materialise in memory (streaming has no such cap). */
  maxInMemoryEntryBytes: number;
  /** Largest central directory we read. */
  maxCentralDirectoryBytes: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000_000,
  maxTotalUncompressedBytes: 64 * GIB,
  maxCompressionRatio: 200,
  ratioExemptBelowBytes: 1 * MIB,
  maxInMemoryEntryBytes: 512 * MIB,
  maxCentralDirectoryBytes: 256 * MIB,
};

/** Compressed bytes fed to the inflater per step; bounds the output of one step to ~64 MiB even for a bomb. */
const READ_CHUNK_BYTES = 64 * 1024;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const EOCD_MIN_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_EOCD_MIN_BYTES = 56;
const ZIP64_EXTRA_ID = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;

export interface ZipEntry {
  /** Normalised relative path (`a/b.png`), directories end without `/` and have isDirectory. */
  name: string;
  isDirectory: boolean;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  localHeaderOffset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function u16(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (u16(b, o) + u16(b, o + 2) * 0x10000) >>> 0;
}
/** Unsigned 64-bit little-endian as a number; values beyond 2^53 are refused as corrupt. */
function u64(b: Uint8Array, o: number): number {
  const v = u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
  if (!Number.isSafeInteger(v)) throw new FormatError('zip-corrupt', 'a 64-bit size or offset is out of range');
  return v;
}

function decodeName(bytes: Uint8Array, flags: number): string {
  if (flags & FLAG_UTF8) {
    try {
      return utf8.decode(bytes);
    } catch {
      return latin1.decode(bytes);
    }
  }
  // Names without the UTF-8 flag are nominally CP437; in practice most tools write UTF-8 anyway.
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

interface RawEntry extends ZipEntry {
  flags: number;
  rawName: string;
  nameBytes: number;
}

export class ZipArchive {
  private readonly byName: Map<string, ZipEntry>;

  private constructor(
    private readonly source: ByteSource,
    private readonly list: ZipEntry[],
    private readonly limits: ZipLimits,
  ) {
    this.byName = new Map(list.map((e) => [e.name, e]));
  }

  get file(): string {
    return this.source.name;
  }

  /**
   * Reads the central directory. Whole-archive problems (not a zip, corrupt directory, overlapping entries, total
   * size over the cap) throw a FormatError; problems with single entries are returned as issues and the entry is left out.
   */
  static async open(source: ByteSource, limits: Partial<ZipLimits> = {}): Promise<{ archive: ZipArchive; issues: Issue[] }> {
    const lim = { ...DEFAULT_ZIP_LIMITS, ...limits };
    const file = source.name;
    const { cdOffset, cdSize, count } = await readEndOfCentralDirectory(source);
    if (count > lim.maxEntries) throw new FormatError('zip-too-many-entries', `archive lists ${count} entries (limit ${lim.maxEntries})`);
    if (cdSize > lim.maxCentralDirectoryBytes)
      throw new FormatError('zip-too-many-entries', `central directory is ${cdSize} bytes (limit ${lim.maxCentralDirectoryBytes})`);
    if (cdOffset + cdSize > source.size) throw new FormatError('zip-corrupt', 'central directory lies beyond the end of the file (truncated?)');
    const cd = await source.read(cdOffset, cdSize);
    const raw = parseCentralDirectory(cd, count);
    checkNoOverlap(raw, cdOffset);

    const issues: Issue[] = [];
    const entries: ZipEntry[] = [];
    const seen = new Set<string>();
    let total = 0;
    for (const e of raw) {
      const reject = (code: Issue['code'], reason: string): void => {
        issues.push({ file, code, reason: `entry "${e.rawName}": ${reason}` });
      };
      const safe = normaliseRelativePath(e.rawName);
      if (!safe.ok) {
        reject('zip-unsafe-path', safe.reason);
        continue;
      }
      if (seen.has(safe.path)) {
        reject('zip-corrupt', 'duplicate entry name');
        continue;
      }
      seen.add(safe.path);
      if (e.flags & FLAG_ENCRYPTED) {
        reject('zip-encrypted', 'entry is encrypted');
        continue;
      }
      if (e.method !== METHOD_STORED && e.method !== METHOD_DEFLATE) {
        reject('zip-unsupported-method', `compression method ${e.method} (only stored and deflate are supported)`);
        continue;
      }
      if (e.method === METHOD_STORED && e.compressedSize !== e.uncompressedSize) {
        reject('zip-size-mismatch', 'stored entry with different compressed and uncompressed sizes');
        continue;
      }
      if (e.uncompressedSize >= lim.ratioExemptBelowBytes && e.uncompressedSize > lim.maxCompressionRatio * Math.max(1, e.compressedSize)) {
        reject('zip-ratio-too-high', `expands ${e.compressedSize} → ${e.uncompressedSize} bytes (ratio limit ${lim.maxCompressionRatio}:1)`);
        continue;
      }
      total += e.uncompressedSize;
      entries.push({
        name: safe.path,
        isDirectory: e.isDirectory,
        method: e.method,
        compressedSize: e.compressedSize,
        uncompressedSize: e.uncompressedSize,
        crc32: e.crc32,
        localHeaderOffset: e.localHeaderOffset,
      });
    }
    if (total > lim.maxTotalUncompressedBytes) {
      throw new FormatError('zip-total-too-large', `entries would expand to ${total} bytes (limit ${lim.maxTotalUncompressedBytes})`);
    }
    return { archive: new ZipArchive(source, entries, lim), issues };
  }

  /** Safe entries in central-directory order (directories included, flagged). */
  entries(): readonly ZipEntry[] {
    return this.list;
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** Streams an entry's bytes, checking size and CRC as it goes; throws a FormatError on any mismatch. */
  async *stream(entry: ZipEntry): AsyncGenerator<Uint8Array> {
    const src = this.source;
    const local = await src.read(entry.localHeaderOffset, LOCAL_HEADER_BYTES);
    if (local.length < LOCAL_HEADER_BYTES || u32(local, 0) !== SIG_LOCAL) {
      throw new FormatError('zip-corrupt', `entry "${entry.name}": local header missing`);
    }
    let pos = entry.localHeaderOffset + LOCAL_HEADER_BYTES + u16(local, 26) + u16(local, 28);
    const end = pos + entry.compressedSize;
    if (end > src.size) throw new FormatError('zip-corrupt', `entry "${entry.name}": data runs past the end of the file (truncated?)`);
    let crc = 0;
    let produced = 0;
    if (entry.method === METHOD_STORED) {
      while (pos < end) {
        const chunk = await src.read(pos, Math.min(READ_CHUNK_BYTES, end - pos));
        if (chunk.length === 0) throw new FormatError('zip-corrupt', `entry "${entry.name}": unexpected end of data`);
        pos += chunk.length;
        crc = crc32Update(crc, chunk);
        produced += chunk.length;
        yield chunk;
      }
    } else {
      const pending: Uint8Array[] = [];
      let overflow = false;
      const inflater = new Inflate((data) => {
        if (overflow) return;
        produced += data.length;
        if (produced > entry.uncompressedSize) overflow = true;
        else pending.push(data);
      });
      if (entry.compressedSize === 0) throw new FormatError('zip-corrupt', `entry "${entry.name}": deflate entry has no data`);
      while (pos < end) {
        const chunk = await src.read(pos, Math.min(READ_CHUNK_BYTES, end - pos));
        if (chunk.length === 0) throw new FormatError('zip-corrupt', `entry "${entry.name}": unexpected end of data`);
        pos += chunk.length;
        try {
          inflater.push(chunk, pos >= end);
        } catch (err) {
          throw new FormatError('zip-corrupt', `entry "${entry.name}": deflate data is corrupt (${err instanceof Error ? err.message : String(err)})`);
        }
        if (overflow) {
          throw new FormatError('zip-size-mismatch', `entry "${entry.name}": expands beyond its declared ${entry.uncompressedSize} bytes`);
        }
        while (pending.length > 0) {
          const out = pending.shift() as Uint8Array;
          crc = crc32Update(crc, out);
          yield out;
        }
      }
    }
    if (produced !== entry.uncompressedSize) {
      throw new FormatError('zip-size-mismatch', `entry "${entry.name}": ${produced} bytes, declared ${entry.uncompressedSize}`);
    }
    if (crc !== entry.crc32) throw new FormatError('zip-crc-mismatch', `entry "${entry.name}": CRC-32 does not match (corrupt data)`);
  }

  /** Reads a whole entry into memory (refused above `maxInMemoryEntryBytes`). */
  async read(entry: ZipEntry): Promise<Uint8Array> {
    if (entry.uncompressedSize > this.limits.maxInMemoryEntryBytes) {
      throw new FormatError(
        'zip-entry-too-large',
        `entry "${entry.name}" is ${entry.uncompressedSize} bytes (in-memory limit ${this.limits.maxInMemoryEntryBytes})`,
      );
    }
    const out = new Uint8Array(entry.uncompressedSize);
    let off = 0;
    for await (const chunk of this.stream(entry)) {
      out.set(chunk, off);
      off += chunk.length;
    }
    return out;
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

/** Opens a zip file on disk (read on demand). */
export async function openZipFile(path: string, limits: Partial<ZipLimits> = {}): Promise<{ archive: ZipArchive; issues: Issue[] }> {
  let source: ByteSource;
  try {
    source = await fileSource(path);
  } catch (err) {
    throw new FormatError('file-unreadable', `cannot open: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return await ZipArchive.open(source, limits);
  } catch (err) {
    await source.close();
    throw err;
  }
}

/** Opens a zip held in memory. */
export function openZipBytes(name: string, bytes: Uint8Array, limits: Partial<ZipLimits> = {}): Promise<{ archive: ZipArchive; issues: Issue[] }> {
  return ZipArchive.open(bytesSource(name, bytes), limits);
}

async function readEndOfCentralDirectory(src: ByteSource): Promise<{ cdOffset: number; cdSize: number; count: number }> {
  if (src.size < EOCD_MIN_BYTES) throw new FormatError('zip-not-a-zip', 'file is too short to be a zip archive');
  const tailLen = Math.min(src.size, EOCD_MIN_BYTES + MAX_COMMENT_BYTES);
  const tailStart = src.size - tailLen;
  const tail = await src.read(tailStart, tailLen);
  let at = -1;
  for (let i = tail.length - EOCD_MIN_BYTES; i >= 0; i--) {
    // The record whose comment length reaches exactly the end of the file is the real one.
    if (u32(tail, i) === SIG_EOCD && i + EOCD_MIN_BYTES + u16(tail, i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    for (let i = tail.length - EOCD_MIN_BYTES; i >= 0; i--)
      if (u32(tail, i) === SIG_EOCD) {
        at = i;
        break;
      }
  }
  if (at < 0) throw new FormatError('zip-not-a-zip', 'no end-of-central-directory record (not a zip, or truncated)');
  let count = u16(tail, at + 10);
  let cdSize = u32(tail, at + 12);
  let cdOffset = u32(tail, at + 16);
  if (u16(tail, at + 4) !== 0 && u16(tail, at + 4) !== U16_MAX) throw new FormatError('zip-corrupt', 'multi-disk archives are not supported');
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const locPos = tailStart + at - ZIP64_LOCATOR_BYTES;
    if (locPos < 0) throw new FormatError('zip-corrupt', 'ZIP64 locator missing');
    const loc = await src.read(locPos, ZIP64_LOCATOR_BYTES);
    if (loc.length < ZIP64_LOCATOR_BYTES || u32(loc, 0) !== SIG_ZIP64_LOCATOR) throw new FormatError('zip-corrupt', 'ZIP64 locator missing');
    const z64Pos = u64(loc, 8);
    const z64 = await src.read(z64Pos, ZIP64_EOCD_MIN_BYTES);
    if (z64.length < ZIP64_EOCD_MIN_BYTES || u32(z64, 0) !== SIG_ZIP64_EOCD)
      throw new FormatError('zip-corrupt', 'ZIP64 end-of-central-directory record missing');
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  return { cdOffset, cdSize, count };
}

function parseCentralDirectory(cd: Uint8Array, count: number): RawEntry[] {
  const out: RawEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + CENTRAL_HEADER_BYTES > cd.length || u32(cd, p) !== SIG_CENTRAL) {
      throw new FormatError('zip-corrupt', `central directory entry ${n + 1} of ${count} is missing or damaged`);
    }
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let csize = u32(cd, p + 20);
    let usize = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    let offset = u32(cd, p + 42);
    const nameStart = p + CENTRAL_HEADER_BYTES;
    const extraStart = nameStart + nameLen;
    const next = extraStart + extraLen + commentLen;
    if (next > cd.length) throw new FormatError('zip-corrupt', `central directory entry ${n + 1} runs past the directory`);
    const rawName = decodeName(cd.subarray(nameStart, nameStart + nameLen), flags);
    if (usize === U32_MAX || csize === U32_MAX || offset === U32_MAX) {
      const z = findExtra(cd.subarray(extraStart, extraStart + extraLen), ZIP64_EXTRA_ID);
      if (!z) throw new FormatError('zip-corrupt', `entry "${rawName}": ZIP64 sizes missing`);
      let q = 0;
      const take = (): number => {
        if (q + 8 > z.length) throw new FormatError('zip-corrupt', `entry "${rawName}": ZIP64 extra field too short`);
        const v = u64(z, q);
        q += 8;
        return v;
      };
      if (usize === U32_MAX) usize = take();
      if (csize === U32_MAX) csize = take();
      if (offset === U32_MAX) offset = take();
    }
    out.push({
      name: rawName,
      rawName,
      nameBytes: nameLen,
      flags,
      method,
      crc32: crc,
      compressedSize: csize,
      uncompressedSize: usize,
      localHeaderOffset: offset,
      isDirectory: rawName.endsWith('/'),
    });
    p = next;
  }
  return out;
}

function findExtra(extra: Uint8Array, id: number): Uint8Array | null {
  let p = 0;
  while (p + 4 <= extra.length) {
    const fid = u16(extra, p);
    const len = u16(extra, p + 2);
    if (p + 4 + len > extra.length) return null;
    if (fid === id) return extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
  }
  return null;
}

/** Entries whose data ranges overlap (or reach into the central directory) are the "overlapping-files" zip-bomb construction (Fifield, 2019). */
function checkNoOverlap(entries: RawEntry[], cdOffset: number): void {
  const sorted = entries.slice().sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i] as RawEntry;
    // Lower bound of where this entry's data ends (the local extra field may make it longer, never shorter).
    const minEnd = e.localHeaderOffset + LOCAL_HEADER_BYTES + e.nameBytes + e.compressedSize;
    const next = sorted[i + 1];
    if (next && next.localHeaderOffset < minEnd) {
      throw new FormatError(
        'zip-overlapping-entries',
        `entries "${e.rawName}" and "${next.rawName}" share bytes (overlapping-entry zip bomb or corrupt archive)`,
      );
    }
    if (minEnd > cdOffset) throw new FormatError('zip-overlapping-entries', `entry "${e.rawName}" overlaps the central directory`);
  }
}
