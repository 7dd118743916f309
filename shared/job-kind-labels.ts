// What each job kind is called and what its progress counts: one table for the renderer (job cards, toasts) and the
// Electron shell (OS notifications when a job ends).

/**
 * Names per job kind: `title` is the action (job cards, toasts, notifications: "Verify stored files cancelled"),
 * `name` the noun the Jobs table lists it by ("Stored-files check"). Keyed by string rather than JobKind so a kind added to the contract does not break the
 * renderer build; a unit test (tests/unit/renderer/jobs-format.test.ts) fails instead until it has a label here.
 */
export const JOB_KIND_LABEL: Readonly<Record<string, { title: string; name: string; unit: string } | undefined>> = {
  'verify-blobs': { title: 'Verify stored files', name: 'Stored-files check', unit: 'files' },
  'compact-images': { title: 'Store grey images as grey', name: 'Image storage compaction', unit: 'images' },
  import: { title: 'Import dataset', name: 'Import', unit: 'items' },
  'label-modality': { title: 'Auto-label modality', name: 'Modality labelling', unit: 'items' },
  'register-model': { title: 'Register model pack', name: 'Model pack registration', unit: 'MB' },
  'convert-model': { title: 'Convert Hugging Face model', name: 'Model conversion', unit: 'steps' },
  diagnose: { title: 'Diagnose model', name: 'Diagnosis', unit: 'items' },
  probe: { title: 'Linear probe', name: 'Linear probe', unit: 'items' },
  train: { title: 'Train policy', name: 'Training', unit: 'steps' },
  transfer: { title: 'Transfer matrix', name: 'Transfer matrix', unit: 'runs' },
};

export function jobTitle(kind: string): string {
  return JOB_KIND_LABEL[kind]?.title ?? kind;
}

export function jobUnit(kind: string): string {
  return JOB_KIND_LABEL[kind]?.unit ?? 'items';
}

/** The noun a job kind is listed by in the Jobs table. */
export function jobName(kind: string): string {
  return JOB_KIND_LABEL[kind]?.name ?? kind;
}
