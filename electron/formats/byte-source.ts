// Random access to bytes, from a file (read on demand, never loaded whole) or from memory.
import { open } from 'node:fs/promises';

export interface ByteSource {
  /** Name used in messages (the file path). */
  readonly name: string;
  readonly size: number;
  /** Reads up to `length` bytes at `position`; fewer only at the end of the source. */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (position, length) => bytes.subarray(Math.max(0, position), Math.max(0, Math.min(bytes.length, position + length))),
    close: async () => {},
  };
}

export async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name: path,
    size,
    read: async (position, length) => {
      const len = Math.max(0, Math.min(length, size - position));
      const buf = new Uint8Array(len);
      let done = 0;
      while (done < len) {
        const { bytesRead } = await handle.read(buf, done, len - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === len ? buf : buf.subarray(0, done);
    },
    close: () => handle.close(),
  };
}
