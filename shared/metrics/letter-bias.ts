// Letter-position bias: per option letter, accuracy when that letter is correct and how often the model picks it.
import { argmax } from './accuracy.ts';
import { OPTION_LETTERS } from './constants.ts';

export interface LetterStats {
  /** Items that have this letter among their options. */
  nOffered: number;
  /** Items whose correct answer is this letter. */
  nCorrect: number;
  /** Accuracy@1 over the items whose correct answer is this letter; null when none. */
  accWhenCorrect: number | null;
  /** Items whose argmax is this letter. */
  picks: number;
  /** picks / nOffered. Compare with correctRate: a pick rate far above it is a position bias. */
  pickRate: number;
  /** nCorrect / nOffered, the rate an unbiased perfect model would pick this letter. */
  correctRate: number;
}

/** Per-letter statistics keyed "A", "B", … up to the largest option count seen. */
export function letterBias(items: readonly { probs: readonly number[]; correct: number }[]): Record<string, LetterStats> {
  let maxM = 0;
  for (const it of items) maxM = Math.max(maxM, it.probs.length);
  const offered = new Array<number>(maxM).fill(0);
  const nCorrect = new Array<number>(maxM).fill(0);
  const hits = new Array<number>(maxM).fill(0);
  const picks = new Array<number>(maxM).fill(0);
  for (const it of items) {
    for (let j = 0; j < it.probs.length; j++) offered[j] = (offered[j] as number) + 1;
    const pick = argmax(it.probs);
    picks[pick] = (picks[pick] as number) + 1;
    nCorrect[it.correct] = (nCorrect[it.correct] as number) + 1;
    if (pick === it.correct) hits[it.correct] = (hits[it.correct] as number) + 1;
  }
  const out: Record<string, LetterStats> = {};
  for (let j = 0; j < maxM; j++) {
    const nOff = offered[j] as number;
    const nC = nCorrect[j] as number;
    out[OPTION_LETTERS[j] as string] = {
      nOffered: nOff,
      nCorrect: nC,
      accWhenCorrect: nC > 0 ? (hits[j] as number) / nC : null,
      picks: picks[j] as number,
      pickRate: (picks[j] as number) / nOff,
      correctRate: nC / nOff,
    };
  }
  return out;
}
