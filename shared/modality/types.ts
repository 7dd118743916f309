// What every modality auto-labelling layer returns (design.md §5 "Modality auto-labelling": each layer recorded
// with its source and confidence).
import type { LabelSource, Modality } from '../items.ts';

export interface ModalityLabel {
  modality: Modality;
  source: LabelSource;
  /** 0–1: how sure the layer is (1.0 for a DICOM tag). */
  confidence: number;
  /** Audit detail: the tag value, the rule ids that fired, or the classifier's runner-up. */
  detail?: string;
}
