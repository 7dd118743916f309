// The workspace: one folder with workspace.sqlite and content-addressed blobs.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { AbsolutePath } from './local-path.ts';

export const WorkspaceStatus = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  journalMode: z.string(),
  integrity: z.string(),
  appVersion: z.string(),
  counts: z.object({ blobs: z.number().int(), jobs: z.number().int(), auditEntries: z.number().int() }),
  auditHead: z.string(),
  host: z.object({ mode: z.enum(['electron', 'headless', 'cli']), platform: z.string(), node: z.string(), cpus: z.number().int() }),
});
export type WorkspaceStatus = z.infer<typeof WorkspaceStatus>;

export const BlobRecord = z.object({ hash: z.string(), size: z.number().int(), mediaType: z.string(), createdAt: z.string() });
export type BlobRecord = z.infer<typeof BlobRecord>;

export const workspaceCalls = {
  'workspace:status': defineCall({
    name: 'workspace:status',
    summary: 'Where the workspace is, its schema version, integrity and counts.',
    mutates: false,
    input: z.strictObject({}),
    output: WorkspaceStatus,
  }),
  'blobs:add': defineCall({
    name: 'blobs:add',
    summary: 'Copy local files into the content-addressed blob store.',
    mutates: true,
    input: z.strictObject({ paths: z.array(AbsolutePath).min(1).max(100_000), mediaType: z.string().min(1).max(100).default('application/octet-stream') }),
    output: z.object({ added: z.array(BlobRecord), alreadyPresent: z.number().int() }),
  }),
} as const;
