// Where a tabular dataset's images live — a folder or a zip — resolved safely by relative path, decoded on demand.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DecodedImage } from '../../shared/items.ts';
import { resolveInsideRoot } from './folder-walk.ts';
import { decodeImage, type DecodeOptions } from './image-normalise.ts';
import { FormatError, type Issue } from './issues.ts';
import { normaliseRelativePath } from './safe-path.ts';
import { openZipFile, type ZipArchive, type ZipEntry, type ZipLimits } from './zip-reader.ts';

/** Largest single image file read (a 100-megapixel 8-bit RGB TIFF is ~300 MB). */
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;
/** Decoded images kept for consecutive questions about the same picture (VQA lists group questions by image). */
const DECODED_CACHE_SIZE = 8;

export interface ImageStore {
  /** Human-readable location, for messages. */
  readonly location: string;
  /** Decodes the image at a relative path; throws FormatError (`unsafe-path`, `image-missing`, `image-undecodable`, …). */
  load(relPath: string): Promise<DecodedImage>;
  close(): Promise<void>;
}

class CachedStore implements ImageStore {
  private cache = new Map<string, DecodedImage>();
  constructor(
    readonly location: string,
    private readonly readBytes: (path: string) => Promise<Uint8Array>,
    private readonly decode: DecodeOptions,
    private readonly onClose: () => Promise<void>,
  ) {}

  async load(relPath: string): Promise<DecodedImage> {
    const safe = normaliseRelativePath(relPath);
    if (!safe.ok) throw new FormatError('unsafe-path', `image path "${relPath}" refused: ${safe.reason}`);
    const hit = this.cache.get(safe.path);
    if (hit) return hit;
    const img = await decodeImage(await this.readBytes(safe.path), this.decode);
    this.cache.set(safe.path, img);
    if (this.cache.size > DECODED_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return img;
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

export function folderImageStore(dir: string, decode: DecodeOptions = {}): ImageStore {
  let dirReal: Promise<string> | null = null;
  return new CachedStore(
    dir,
    async (path) => {
      const full = join(dir, path);
      // Symbolic links are followed only while they stay inside the image folder (folder-walk.ts).
      const r = await resolveInsideRoot(await (dirReal ??= realpath(dir)), full);
      if (!r.ok && r.code !== 'file-unreadable') throw new FormatError(r.code, `image "${path}": ${r.reason}`);
      if (!r.ok || !r.stat.isFile()) throw new FormatError('image-missing', `image "${path}" not found in ${dir}`);
      const size = r.stat.size;
      if (size > MAX_IMAGE_FILE_BYTES) throw new FormatError('image-too-large', `image "${path}" is ${size} bytes`);
      return new Uint8Array(await readFile(full));
    },
    decode,
    async () => {},
  );
}

/**
 * Images inside a zip. Paths are looked up exactly, then under the zip's single top-level folder (`images/x.jpg` for `x.jpg`),
 * then by unique file name. Entry-level problems found when opening are returned as issues.
 */
export async function zipImageStore(
  zipPath: string,
  decode: DecodeOptions = {},
  limits: Partial<ZipLimits> = {},
): Promise<{ store: ImageStore; issues: Issue[] }> {
  const { archive, issues } = await openZipFile(zipPath, limits);
  const byBase = new Map<string, ZipEntry | null>();
  for (const e of archive.entries()) {
    if (e.isDirectory) continue;
    const base = e.name.slice(e.name.lastIndexOf('/') + 1);
    byBase.set(base, byBase.has(base) ? null : e);
  }
  const find = (path: string): ZipEntry | undefined => {
    const exact = archive.get(path);
    if (exact) return exact;
    const base = path.slice(path.lastIndexOf('/') + 1);
    return byBase.get(base) ?? undefined;
  };
  const store = new CachedStore(
    zipPath,
    async (path) => {
      const e = find(path);
      if (!e) throw new FormatError('image-missing', `image "${path}" not found in ${zipPath}`);
      if (e.uncompressedSize > MAX_IMAGE_FILE_BYTES) throw new FormatError('image-too-large', `image "${path}" is ${e.uncompressedSize} bytes`);
      return readEntry(archive, e);
    },
    decode,
    () => archive.close(),
  );
  return { store, issues };
}

function readEntry(archive: ZipArchive, e: ZipEntry): Promise<Uint8Array> {
  return archive.read(e);
}

/** Opens a folder or a .zip (by extension) as an image store. */
export async function openImageStore(
  location: string,
  decode: DecodeOptions = {},
  limits: Partial<ZipLimits> = {},
): Promise<{ store: ImageStore; issues: Issue[] }> {
  if (location.toLowerCase().endsWith('.zip')) return zipImageStore(location, decode, limits);
  const st = await stat(location).catch(() => null);
  if (!st || !st.isDirectory()) throw new FormatError('file-not-found', `image folder "${location}" does not exist`);
  return { store: folderImageStore(location, decode), issues: [] };
}
