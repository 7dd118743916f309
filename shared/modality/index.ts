// MedBridge modality auto-labelling (design.md §5): layers that each return {modality, source, confidence} or
// null; pure, no Node/DOM.
//
//   modalityFromDicomTag(value) — (0008,0060) defined term → Modality, confidence 1; OT/SC/unknown → null
//   modalityFromText(question, caption?) / explainTextRules(...) — keyword rules (TEXT_RULES), null if ambiguous
//   cheapImageFeatures(image) — 89 deterministic numbers (IMAGE_FEATURE_NAMES)
//   trainModalityClassifier(examples, {seed}) → ModalityClassifierModel (plain JSON)
//   predictModality(model, features, threshold = 0.6) — 'none' below the threshold or out of distribution
//   labelItem(input, {classifier, threshold}) — dicom tag → text → classifier → vlm → 'none', with every layer's outcome
export { DICOM_MODALITY_CODES, DICOM_TAG_CONFIDENCE, modalityFromDicomTag } from './dicom-tag.ts';
export {
  CLASSIFIER_FORMAT,
  classifierProbabilities,
  DEFAULT_CLASSIFIER_L2_GRID,
  DEFAULT_CLASSIFIER_THRESHOLD,
  ModalityClassifierModel,
  predictModality,
  trainModalityClassifier,
  TRUSTED_SOURCES,
  type ClassifierOutput,
  type ClassifierTrainOptions,
  type LabelledFeatures,
} from './feature-classifier.ts';
export { cheapImageFeatures, EDGE_THRESHOLD, IMAGE_FEATURE_LENGTH, IMAGE_FEATURE_NAMES, type FeatureImage } from './image-features.ts';
export {
  DEFAULT_LABEL_THRESHOLD,
  labelItem,
  type LabelDecision,
  type LabelInput,
  type LabelLayer,
  type LabelOptions,
  type LayerOutcome,
} from './label-item.ts';
export { EXPLICIT, HINT, TECHNIQUE, TEXT_RULES, type TextRule } from './text-rule-table.ts';
export {
  CONFLICT_PENALTY,
  explainTextRules,
  HYPOTHESIS_CONFIDENCE,
  modalityFromText,
  STRONG_HIT,
  type TextRuleExplanation,
  type TextRuleHit,
} from './text-rules.ts';
export type { ModalityLabel } from './types.ts';
