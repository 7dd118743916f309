// Input and output shapes of the balancing algorithm.
import type { Modality, Split } from '../items.ts';

/** One candidate item as the balancing wizard sees it (a projection of a stored item). */
export interface BalanceCandidate {
  id: string;
  modality: Modality;
  /** Index of the correct option (multiple choice) or null (free-form). */
  correct: number | null;
  /** Number of options (2–26) for multiple choice; 0 for free-form. */
  optionCount: number;
  /** Keyed-hash patient pseudonym, or null when the source has none. */
  patient: string | null;
  sourceSplit: Split | null;
  /** SHA-256 of the image bytes (null when unknown: never an exact duplicate). */
  imageHash: string | null;
  /** 64-bit dHash as 16 hex digits (null when unknown: never a near duplicate). */
  phash: string | null;
  kind: 'multiple-choice' | 'free-form';
  task: string;
  benchmark: string;
  /**
   * Question text. Duplicates are the same picture *and* the same question; the same picture with different
   * questions is kept but the items are kept in one split. Missing = '' (then the picture alone decides).
   */
  question?: string;
}

export type RemovalReason = 'excluded-modality' | 'exact-duplicate' | 'near-duplicate' | 'over-quota';

export interface RemovedItem {
  id: string;
  reason: RemovalReason;
  /** For duplicates: the kept item it duplicates. */
  duplicateOf?: string;
}

export interface BalancedItem {
  id: string;
  split: Split;
  /** Display order: position j shows original option optionOrder[j]. Identity for free-form ([]). */
  optionOrder: number[];
}

/** Row key of the count tables: a split, or 'unassigned' (no source split, before balancing). */
export type CountSplit = Split | 'unassigned';
/** Column key: the correct answer's letter ('A'…'Z'), or 'free-form'. */
export type CountLetter = string;
/** counts[modality][split][letter] = number of items. */
export type CountTable = Record<string, Record<string, Record<CountLetter, number>>>;

export interface BalanceResult {
  /** Sorted by id. */
  items: BalancedItem[];
  /** In the order the rules removed them (exclusion, exact, near, quota), each group sorted by id. */
  removed: RemovedItem[];
  counts: { before: CountTable; after: CountTable };
  /** Human-readable facts for the preview, e.g. "mri: asked 2667, only 400 available". */
  notes: string[];
}
