// Streaming SHA-256 of a file (model weights can be gigabytes), reporting bytes read as it goes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Called after each chunk with the number of bytes just hashed. */
export type BytesHashed = (bytes: number) => void;

export async function sha256File(path: string, onBytes?: BytesHashed): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}
