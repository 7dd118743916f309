// The anchor log: one JSON line per committed audit head (seq, hash, workspace, key, public key, signature),
// appended to a file in this installation's config folder — outside the workspace — so that deleting the log's
// tail, deleting every entry or putting back an older copy of workspace.sqlite leaves a signed head the workspace
// no longer has. The file is only appended to; its lines are signed, so an edit without the key is detected too.
// Each line names the workspace folder (real path) it was written for: a copy of a workspace folder has the same
// workspace id, and work continued in the copy must not look like a rewrite of the original. So a line is checked
// only against the folder it names; putting an older database back in the same folder is what it catches.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../../shared/canonical-json.ts';

export interface AnchorLine {
  workspace: string;
  /** Real path of the workspace folder the head was committed in. */
  dir: string;
  seq: number;
  hash: string;
  key: string;
  publicKey: string;
  signature: string;
}

export class AnchorLog {
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  append(line: AnchorLine): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${canonicalJson(line)}\n`, { mode: 0o600 });
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  /** Parsed lines with their 1-based line numbers, and the numbers of lines that are not anchor lines. */
  read(): { lines: Array<AnchorLine & { lineNumber: number }>; unreadable: number[] } {
    const lines: Array<AnchorLine & { lineNumber: number }> = [];
    const unreadable: number[] = [];
    if (!this.exists()) return { lines, unreadable };
    const text = readFileSync(this.file, 'utf8').split('\n');
    text.forEach((raw, i) => {
      if (!raw.trim()) return;
      // A last line without its newline is a write cut short (power loss), not an edit: that head is simply not anchored.
      const torn = i === text.length - 1;
      try {
        const l = JSON.parse(raw) as AnchorLine;
        if (
          typeof l.seq !== 'number' ||
          typeof l.hash !== 'string' ||
          typeof l.key !== 'string' ||
          typeof l.publicKey !== 'string' ||
          typeof l.signature !== 'string' ||
          typeof l.workspace !== 'string' ||
          typeof l.dir !== 'string'
        )
          throw new Error('shape');
        lines.push({ ...l, lineNumber: i + 1 });
      } catch {
        if (!torn) unreadable.push(i + 1);
      }
    });
    return { lines, unreadable };
  }
}
