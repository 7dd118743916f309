// The layered decision (design.md §5): DICOM Modality tag → text rules → feature classifier → VLM zero-shot
// (computed on the Node side and passed in) → 'none'. The first layer at or above the threshold wins; every
// layer's outcome is returned for the audit log and the import report.
import { modalityFromDicomTag } from './dicom-tag.ts';
import { DEFAULT_CLASSIFIER_THRESHOLD, predictModality, type ModalityClassifierModel } from './feature-classifier.ts';
import { explainTextRules } from './text-rules.ts';
import type { ModalityLabel } from './types.ts';

/** One threshold for every layer, the same as the classifier's by default. */
export const DEFAULT_LABEL_THRESHOLD = DEFAULT_CLASSIFIER_THRESHOLD;

export type LabelLayer = 'dicom-tag' | 'text-rules' | 'classifier' | 'vlm';

export interface LayerOutcome {
  layer: LabelLayer;
  /** skipped: no input for this layer; no-match: nothing recognised; ambiguous: conflicting evidence. */
  outcome: 'accepted' | 'below-threshold' | 'ambiguous' | 'no-match' | 'skipped';
  label?: ModalityLabel;
}

export interface LabelInput {
  /** DICOM (0008,0060) value, if the item came from DICOM. */
  dicomModality?: string | null;
  question?: string | null;
  caption?: string | null;
  /** Image feature vector for the classifier layer. */
  features?: ArrayLike<number> | null;
  /** A VLM zero-shot label computed by the caller, if any. */
  vlm?: ModalityLabel | null;
}

export interface LabelOptions {
  classifier?: ModalityClassifierModel | null;
  threshold?: number;
}

export interface LabelDecision {
  label: ModalityLabel;
  layers: LayerOutcome[];
}

export function labelItem(input: LabelInput, options: LabelOptions = {}): LabelDecision {
  const threshold = options.threshold ?? DEFAULT_LABEL_THRESHOLD;
  const layers: LayerOutcome[] = [];
  const consider = (layer: LabelLayer, label: ModalityLabel | null, miss: LayerOutcome['outcome']): ModalityLabel | null => {
    if (label === null || label.modality === 'none') {
      layers.push(label === null ? { layer, outcome: miss } : { layer, outcome: 'below-threshold', label });
      return null;
    }
    const accepted = label.confidence >= threshold;
    layers.push({ layer, outcome: accepted ? 'accepted' : 'below-threshold', label });
    return accepted ? label : null;
  };
  const done = (label: ModalityLabel): LabelDecision => ({ label, layers });

  if (input.dicomModality === undefined || input.dicomModality === null) layers.push({ layer: 'dicom-tag', outcome: 'skipped' });
  else {
    const hit = consider('dicom-tag', modalityFromDicomTag(input.dicomModality), 'no-match');
    if (hit) return done(hit);
  }

  if (!input.question && !input.caption) layers.push({ layer: 'text-rules', outcome: 'skipped' });
  else {
    const text = explainTextRules(input.question, input.caption);
    const hit = consider('text-rules', text.label, text.outcome === 'ambiguous' ? 'ambiguous' : 'no-match');
    if (hit) return done(hit);
  }

  if (!options.classifier || !input.features) layers.push({ layer: 'classifier', outcome: 'skipped' });
  else {
    const hit = consider('classifier', predictModality(options.classifier, input.features, threshold), 'no-match');
    if (hit) return done(hit);
  }

  if (!input.vlm) layers.push({ layer: 'vlm', outcome: 'skipped' });
  else {
    const hit = consider('vlm', input.vlm, 'no-match');
    if (hit) return done(hit);
  }
  return done({ modality: 'none', source: 'none', confidence: 0, detail: `no layer reached ${threshold}` });
}
