// Shared last step of every reader: seeded option shuffling and validation of the finished ItemDraft.
import { ItemDraft, type DecodedImage } from '../../shared/items.ts';
import { createRng, deriveSeed, shuffled } from '../../shared/random.ts';
import type { ReadEvent } from './issues.ts';

export interface ShuffledOptions {
  options: string[];
  correct: number;
  optionSeed: number;
}

/** Shuffles options with the seed derived from (import seed, sourceKey), so each item's order is reproducible on its own. */
export function shuffleOptions(options: readonly string[], correctIndex: number, seed: number, sourceKey: string): ShuffledOptions {
  const optionSeed = deriveSeed(seed, sourceKey);
  const order = shuffled(options.map((_, i) => i), createRng(optionSeed));
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
