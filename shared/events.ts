// Events pushed from the main side to every open UI (IPC in Electron, Server-Sent Events headless).
import type { Job } from './api/jobs.ts';

export type AppEvent = { type: 'job-updated'; job: Job } | { type: 'audit-appended'; seq: number; action: string; subject: string };
