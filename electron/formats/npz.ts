// NumPy .npz archives: a zip of `<name>.npy` entries (numpy.savez / savez_compressed), read through the safe zip reader.
import { FormatError, type Issue } from './issues.ts';
import { NpyRowStream, parseNpy, type NpyArray, type NpyHeader } from './npy.ts';
import { openZipBytes, openZipFile, type ZipArchive, type ZipEntry, type ZipLimits } from './zip-reader.ts';

const NPY_SUFFIX = '.npy';

export class NpzFile {
  private constructor(
    private readonly zip: ZipArchive,
    private readonly byArray: Map<string, ZipEntry>,
  ) {}

  get file(): string {
    return this.zip.file;
  }

  /** Opens an .npz from disk, or from memory when `bytes` is given. Whole-file problems throw a FormatError. */
  static async open(file: string, bytes?: Uint8Array, limits: Partial<ZipLimits> = {}): Promise<{ npz: NpzFile; issues: Issue[] }> {
    const { archive, issues } = bytes ? await openZipBytes(file, bytes, limits) : await openZipFile(file, limits);
    const byArray = new Map<string, ZipEntry>();
    for (const e of archive.entries()) {
      if (!e.isDirectory && e.name.endsWith(NPY_SUFFIX)) byArray.set(e.name.slice(0, -NPY_SUFFIX.length), e);
    }
    return { npz: new NpzFile(archive, byArray), issues };
  }

  /** Array names (entry names without `.npy`). */
  arrays(): string[] {
    return [...this.byArray.keys()];
  }

  has(name: string): boolean {
    return this.byArray.has(name);
  }

  private entry(name: string): ZipEntry {
    const e = this.byArray.get(name);
    if (!e) throw new FormatError('npz-missing-array', `array '${name}' is not in the archive`);
    return e;
  }

  /** Decodes a whole array in memory (for labels and small arrays). */
  async readArray(name: string): Promise<NpyArray> {
    return parseNpy(await this.zip.read(this.entry(name)));
  }

  /** Reads only the header of an array (cheap: stops decompressing after the header). */
  async readHeader(name: string): Promise<NpyHeader> {
    const rows = await this.openRows(name);
    return rows.header;
  }

  /** Streams an array row by row (for image stacks too large for memory). */
  openRows(name: string): Promise<NpyRowStream> {
    return NpyRowStream.open(this.zip.stream(this.entry(name)));
  }

  close(): Promise<void> {
    return this.zip.close();
  }
}
