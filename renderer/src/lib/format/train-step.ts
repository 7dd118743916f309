// What tells the Bridge and Sharpen steps apart on their shared page (views/TrainStep.svelte): each step's view fills
// one of these in its own words, so the page itself never asks which step it is.
import type { TrainStep } from './run-history.ts';

export interface TrainStepSpec {
  step: TrainStep;
  /** The study role of the step's training run and of its trained model's diagnosis. */
  role: 'sft' | 'grpo';
  diagRole: 'sftDiagnosis' | 'grpoDiagnosis';
  /** Its curves and comparisons show GRPO's rewards and the support guard. */
  grpo: boolean;
  number: number;
  title: string;
  intro: string;
  /** The step's own address (the study summary's "you are here"). */
  here: string;
  /** Heading of the configuration card. */
  heading: string;
  /** What the step is doing while it trains, capitalised ("Bridging"). */
  doing: string;
  /** The lead before any run of the step was started. */
  idleLead: string;
  /** Label of the start button while no run is training. */
  startLabel: string;
  /** The model the next run starts from ("the base model"). */
  startsFrom: string;
  /** The trained model, as in "Diagnose the bridged model". */
  made: string;
  /** The study's next step once the trained model is diagnosed. */
  next: { href: string; label: string };
  /** The diagnosis the trained model is compared against, and what the comparison calls each side. */
  beforeId: string | null;
  beforeName: string;
  afterName: string;
  /** Why this step, from the stored recommendation (null until there is one). */
  why: string | null;
}
