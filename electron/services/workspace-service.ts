// Workspace status and the blob store's front door.
import { cpus, platform } from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { BlobRecord, WorkspaceStatus } from '../../shared/api/workspace.ts';
import { AppError } from '../../shared/errors.ts';
import type { Workspace } from '../storage/workspace.ts';
import { APP_VERSION } from '../environment/app-version.ts';
import { blobCount, insertBlobIfAbsent } from '../storage/repositories/blobs.ts';
import { jobCount } from '../storage/repositories/jobs.ts';
import { auditEntryCount } from '../storage/repositories/audit-log.ts';

export type HostMode = WorkspaceStatus['host']['mode'];

export class WorkspaceService {
  private readonly ws: Workspace;
  private readonly mode: HostMode;
  constructor(ws: Workspace, mode: HostMode) {
    this.ws = ws;
    this.mode = mode;
  }

  status(): WorkspaceStatus {
    const read = this.ws.read;
    return {
      path: this.ws.dir,
      schemaVersion: this.ws.schemaVersion(),
      journalMode: this.ws.journalMode(),
      integrity: this.ws.integrityAtOpen.result,
      appVersion: APP_VERSION,
      counts: { blobs: blobCount(read), jobs: jobCount(read), auditEntries: auditEntryCount(read) },
      auditHead: this.ws.audit.head().hash,
      host: { mode: this.mode, platform: platform(), node: process.version, cpus: cpus().length },
    };
  }

  addBlobs(paths: string[], mediaType: string, actor: string): { added: BlobRecord[]; alreadyPresent: number } {
    const files = paths.map((p) => {
      let st;
      try {
        st = statSync(p);
      } catch {
        throw new AppError('not-found', `Cannot read ${p}: no such file.`, { file: p });
      }
      if (!st.isFile()) throw new AppError('request/invalid-input', `${p} is not a regular file.`, { file: p });
      return p;
    });
    const stored = files.map((p) => ({ file: basename(p), ...this.ws.blobs.put(readFileSync(p)) }));
    const now = new Date().toISOString();
    return this.ws.change(
      (r: { added: BlobRecord[]; alreadyPresent: number }) => ({
        actor,
        action: 'blobs:add',
        subject: `${r.added.length} files`,
        payload: { added: r.added.map((b) => b.hash), alreadyPresent: r.alreadyPresent },
      }),
      (tx) => {
        const added: BlobRecord[] = [];
        let alreadyPresent = 0;
        for (const s of stored) {
          if (insertBlobIfAbsent(tx, { hash: s.hash, size: s.size, mediaType, createdAt: now }))
            added.push({ hash: s.hash, size: s.size, mediaType, createdAt: now });
          else alreadyPresent++;
        }
        return { added, alreadyPresent };
      },
    );
  }
}
