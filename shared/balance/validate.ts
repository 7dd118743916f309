// Candidate sanity checks: a malformed item is a caller bug, reported by id before anything is selected.
import { MAX_OPTIONS, MIN_OPTIONS } from '../items.ts';
import { parsePhash } from './phash.ts';
import type { BalanceCandidate } from './types.ts';

export function validateCandidates(candidates: readonly BalanceCandidate[]): void {
  const ids = new Set<string>();
  for (const c of candidates) {
    if (ids.has(c.id)) throw new RangeError(`duplicate candidate id ${c.id}`);
    ids.add(c.id);
    if (c.kind === 'multiple-choice') {
      if (!Number.isInteger(c.optionCount) || c.optionCount < MIN_OPTIONS || c.optionCount > MAX_OPTIONS) {
        throw new RangeError(`item ${c.id}: optionCount ${c.optionCount} outside ${MIN_OPTIONS}–${MAX_OPTIONS}`);
      }
      if (c.correct === null || !Number.isInteger(c.correct) || c.correct < 0 || c.correct >= c.optionCount) {
        throw new RangeError(`item ${c.id}: correct ${c.correct} is not an option index below ${c.optionCount}`);
      }
    } else if (c.correct !== null) {
      throw new RangeError(`item ${c.id}: free-form item with a correct option index`);
    }
    if (c.phash !== null) {
      try {
        parsePhash(c.phash);
      } catch {
        throw new RangeError(`item ${c.id}: phash must be 16 hex digits, got "${c.phash}"`);
      }
    }
  }
}
