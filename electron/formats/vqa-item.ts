// Builds the item for one VQA question (VQA-RAD, SLAKE): closed → multiple choice when options can be derived, else free-form.
import type { DecodedImage, ItemDraft, Modality, LabelSource, Split } from '../../shared/items.ts';
import { closedOptions, type ClosedAnswerSets } from './closed-options.ts';
import type { ReadEvent } from './issues.ts';
import { itemEvent, shuffleOptions } from './item-builder.ts';

export interface VqaQuestion {
  sourceKey: string;
  question: string;
  answer: string;
  closed: boolean;
  /** Key for the closed-answer-set rule (the source's question/content type). */
  typeKey: string;
  benchmark: string;
  task: string;
  split: Split | null;
  modality: Modality;
  modalitySource: LabelSource;
  modalityConfidence: number;
}

export function vqaItemEvent(
  q: VqaQuestion,
  sets: ClosedAnswerSets,
  seed: number,
  image: DecodedImage | null,
  imageRef: string,
  extra: Record<string, string>,
  file: string,
  row: number,
): ReadEvent {
  const base = {
    sourceKey: q.sourceKey,
    question: q.question.trim(),
    task: q.task,
    benchmark: q.benchmark,
    questionType: q.closed ? 'closed' : 'open',
    sourceSplit: q.split,
    patient: null,
    modality: q.modality,
    modalitySource: q.modalitySource,
    modalityConfidence: q.modalityConfidence,
  };
  const opts = q.closed ? closedOptions(q.question, q.answer, q.typeKey, sets) : null;
  const ex = { ...extra, sourceAnswer: q.answer };
  if (opts && opts.correct >= 0) {
    const s = shuffleOptions(opts.options, opts.correct, seed, q.sourceKey);
    const draft: ItemDraft = {
      ...base,
      kind: 'multiple-choice',
      options: s.options,
      correct: s.correct,
      answer: s.options[s.correct] as string,
      optionSeed: s.optionSeed,
    };
    return itemEvent(draft, image, imageRef, { ...ex, closedOptionsRule: opts.rule }, file, row);
  }
  const draft: ItemDraft = { ...base, kind: 'free-form', options: [], correct: null, answer: q.answer.trim(), optionSeed: null };
  return itemEvent(draft, image, imageRef, q.closed ? { ...ex, closedOptionsRule: 'none' } : ex, file, row);
}
