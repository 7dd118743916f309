// Whether a path is an existing regular file (false for folders, missing paths and unreadable ones).
import { stat } from 'node:fs/promises';

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
