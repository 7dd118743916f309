// Durable file writes: temp file → fsync → rename → fsync of the directory, so a crash leaves the old or the new file, never half of one.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** `durable: false` skips the fsyncs (still atomic by rename) for data that is recomputable and checked on read. */
export function writeFileAtomic(target: string, data: Uint8Array, tempDir = dirname(target), durable = true): void {
  mkdirSync(dirname(target), { recursive: true });
  mkdirSync(tempDir, { recursive: true });
  const temp = join(tempDir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    if (durable) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temp, target);
  if (durable) fsyncDirectory(dirname(target));
}

export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
