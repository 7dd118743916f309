// What each job kind is called and what its progress counts: one table for the renderer (job cards, toasts) and the
// Electron shell (OS notifications when a job ends).

/**
 * Names per job kind. Keyed by string rather than JobKind so a kind added to the contract does not break the
 * renderer build; a unit test (tests/unit/renderer/jobs-format.test.ts) fails instead until it has a label here.
 */
export const JOB_KIND_LABEL: Readonly<Record<string, { title: string; unit: string } | undefined>> = {
  'verify-blobs': { title: 'Verify stored files', unit: 'files' },
  import: { title: 'Import dataset', unit: 'items' },
  'label-modality': { title: 'Auto-label modality', unit: 'items' },
  'register-model': { title: 'Register model pack', unit: 'MB' },
  'convert-model': { title: 'Convert Hugging Face model', unit: 'steps' },
  diagnose: { title: 'Diagnose model', unit: 'items' },
  probe: { title: 'Linear probe', unit: 'items' },
  train: { title: 'Train policy', unit: 'steps' },
  transfer: { title: 'Transfer matrix', unit: 'runs' },
};

export function jobTitle(kind: string): string {
  return JOB_KIND_LABEL[kind]?.title ?? kind;
}

export function jobUnit(kind: string): string {
  return JOB_KIND_LABEL[kind]?.unit ?? 'items';
}
