// What each wizard step will do and what it needs first: the honest empty state shown until the step is built.
import type { StepId } from './routes.ts';

export interface Prerequisite {
  label: string;
  /** 'workspace' is met once the workspace status has loaded; the others cannot be met in this build yet. */
  kind: 'workspace' | 'pending';
  /** What to show while it is not met. */
  missing: string;
}

export interface StepContent {
  lead: string;
  intro: string;
  comes: readonly string[];
  needs: readonly Prerequisite[];
  /** What the user can already do meanwhile, with a link to where. */
  meanwhile?: { text: string; href: string; link: string };
}

const WORKSPACE: Prerequisite = { label: 'An open workspace', kind: 'workspace', missing: 'Not loaded' };

export const STEP_CONTENT: Record<StepId, StepContent> = {
  data: {
    lead: 'Import a dataset to begin.',
    intro: 'Every later step works on a frozen, content-hashed dataset version made here. Nothing leaves this computer.',
    comes: [
      'Import MedMNIST v2 .npz files, PMC-VQA question tables with their images, or DICOM folders. DICOM is de-identified on import (PS3.15 Annex E basic profile) and original pixel data stays in this workspace.',
      'Label each item’s modality from the DICOM tag, text rules, image features or a model prompt, with the source and confidence recorded. Your overrides are audited.',
      'Balance modalities and answer letters, remove duplicates, split by patient, and freeze a dataset version that every run names.',
    ],
    needs: [WORKSPACE, { label: 'Image data on this computer or a mounted drive', kind: 'pending', missing: 'Importing arrives in a later build' }],
    meanwhile: { text: 'You can already check that every file stored in this workspace still matches its hash.', href: '#/jobs', link: 'Verify stored files' },
  },
  diagnose: {
    lead: 'Measure what the model knows before changing it.',
    intro: 'The diagnosis decides the recipe: bridge when the knowledge is missing, sharpen when the model knows more than it answers first.',
    comes: [
      'Accuracy@1 (first answer) and Pass@K (any of K sampled answers), each next to chance level, with intervals, per task, modality and split.',
      'The support gap, Pass@K − Accuracy@1, and a recommendation that names the numbers behind it.',
      'A linear probe on the frozen vision tower, to tell a perception bottleneck from an answer-selection problem.',
    ],
    needs: [
      WORKSPACE,
      { label: 'A frozen dataset version', kind: 'pending', missing: 'Made in step 1, Data' },
      { label: 'A model pack (a folder with manifest.json and ONNX files)', kind: 'pending', missing: 'Loading model packs arrives in a later build' },
    ],
  },
  bridge: {
    lead: 'Expand what the model can answer, with supervised fine-tuning.',
    intro: 'Bridging is for a low Pass@K: the right answer is rarely among the model’s samples, so it has to be taught.',
    comes: [
      'Supervised fine-tuning on labelled data close to your task, with early stopping on the validation split.',
      'Every configuration, seed, input hash and checkpoint recorded, and resumable after a crash.',
      'For full-model training on a GPU cluster, an exported job for an existing engine (verl, TRL, EasyR1) whose checkpoint you import back for evaluation.',
    ],
    needs: [WORKSPACE, { label: 'A diagnosis showing a low Pass@K', kind: 'pending', missing: 'Made in step 2, Diagnose' }],
  },
  sharpen: {
    lead: 'Turn answers the model can reach into answers it gives first.',
    intro: 'Sharpening is for a good Pass@K with a lagging Accuracy@1. It rarely adds knowledge, so support is watched throughout.',
    comes: [
      'Consistency-aware GRPO: groups of sampled answers, a verifiable reward for the correct option, a penalty for drifting from the reference model.',
      'A support guard that re-measures validation Pass@K on a schedule and stops or rolls back before support collapses, recording the event.',
      'In-domain, within-modality and cross-modality training, from the base model or the fine-tuned one, and a one-click transfer matrix.',
    ],
    needs: [
      WORKSPACE,
      { label: 'A diagnosis (Pass@K good, Accuracy@1 lagging)', kind: 'pending', missing: 'Made in step 2, Diagnose' },
      { label: 'Optionally, a bridged model', kind: 'pending', missing: 'Made in step 3, Bridge' },
    ],
  },
  report: {
    lead: 'Show the review board exactly what was done.',
    intro: 'The report is generated from the workspace and anchored to the audit log, so every number can be traced and checked.',
    comes: [
      'A self-contained HTML report and a PDF of the same page, following the CLAIM 2024 and TRIPOD+AI items that apply, with no external requests.',
      'Data counts per modality and split, model hashes, training configurations and seeds, metrics with intervals per subgroup, and each recipe decision with its numbers.',
      'A JSON bundle with a SHA-256 manifest and the audit-log head hash, checkable with `medbridge audit verify`.',
    ],
    needs: [WORKSPACE, { label: 'At least one completed run', kind: 'pending', missing: 'Made in steps 2–4' }],
    meanwhile: { text: 'The audit log that anchors the report already records every change, and its hash chain can be verified.', href: '#/audit', link: 'Open the audit log' },
  },
};
