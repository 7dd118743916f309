// The whole contract: every operation any door (Electron IPC, headless HTTP, CLI) can answer.
// Adding a call = one entry in a domain file here + its handler in electron/core/handlers.ts.
import type { z } from 'zod';
import { auditCalls } from './audit.ts';
import { datasetsCalls } from './datasets.ts';
import { jobsCalls } from './jobs.ts';
import { modelsCalls } from './models.ts';
import { pathsCalls } from './paths.ts';
import { reportsCalls } from './reports.ts';
import { runsCalls } from './runs.ts';
import { trainingCalls } from './training.ts';
import { workspaceCalls } from './workspace.ts';

export const CALLS = {
  ...workspaceCalls,
  ...jobsCalls,
  ...auditCalls,
  ...datasetsCalls,
  ...modelsCalls,
  ...pathsCalls,
  ...runsCalls,
  ...trainingCalls,
  ...reportsCalls,
} as const;

export type Calls = typeof CALLS;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(CALLS, name);
}

export * from './define.ts';
export * from './audit.ts';
export * from './datasets.ts';
export * from './jobs.ts';
export * from './models.ts';
export * from './paths.ts';
export * from './reports.ts';
export * from './runs.ts';
export * from './training.ts';
export * from './workspace.ts';
