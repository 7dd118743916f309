// Shared last step of every reader: seeded option shuffling and validation of the finished ItemDraft.
import { ItemDraft, type DecodedImage } from '../../shared/items.ts';
import { createRng, deriveSeed, shuffled } from '../../shared/random.ts';
import type { ReadEvent } from './issues.ts';

/** Text caps per item (characters): a question longer than a page, or an option/answer longer than a paragraph, is not a
 *  multiple-choice item but a broken row (e.g. a CSV whose quote never closed swallowing the file); rejected as `text-too-long`. */
export const MAX_QUESTION_CHARS = 4000;
export const MAX_OPTION_CHARS = 1000;
export const MAX_ANSWER_CHARS = 1000;

/** Why a draft's text is over the caps, or null. */
export function textTooLong(draft: Pick<ItemDraft, 'question' | 'options' | 'answer'>): string | null {
  if (draft.question.length > MAX_QUESTION_CHARS) return `question is ${draft.question.length} characters (limit ${MAX_QUESTION_CHARS})`;
  const long = draft.options.findIndex((o) => o.length > MAX_OPTION_CHARS);
  if (long >= 0) return `option ${long + 1} is ${(draft.options[long] as string).length} characters (limit ${MAX_OPTION_CHARS})`;
  if (draft.answer.length > MAX_ANSWER_CHARS) return `answer is ${draft.answer.length} characters (limit ${MAX_ANSWER_CHARS})`;
  return null;
}

export interface ShuffledOptions {
  options: string[];
  correct: number;
  optionSeed: number;
}

/** Shuffles options with the seed derived from (import seed, sourceKey), so each item's order is reproducible on its own. */
export function shuffleOptions(options: readonly string[], correctIndex: number, seed: number, sourceKey: string): ShuffledOptions {
  const optionSeed = deriveSeed(seed, sourceKey);
  const order = shuffled(
    options.map((_, i) => i),
    createRng(optionSeed),
  );
  return { options: order.map((i) => options[i] as string), correct: order.indexOf(correctIndex), optionSeed };
}

/** Validates a draft against the shared schema: a valid item event, or an `item-invalid` rejection naming the fields. */
export function itemEvent(
  draft: ItemDraft,
  image: DecodedImage | null,
  imageRef: string | null,
  extra: Record<string, string>,
  file: string,
  row: number,
): ReadEvent {
  const tooLong = textTooLong(draft);
  if (tooLong) return { type: 'rejection', issue: { file, row, code: 'text-too-long', reason: tooLong } };
  const parsed = ItemDraft.safeParse(draft);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
    return { type: 'rejection', issue: { file, row, code: 'item-invalid', reason: `item does not fit the item schema (${fields})` } };
  }
  if (draft.correct !== null && draft.correct >= draft.options.length) {
    return { type: 'rejection', issue: { file, row, code: 'item-invalid', reason: 'correct option index is out of range' } };
  }
  return { type: 'item', item: parsed.data, image, imageRef, extra };
}
