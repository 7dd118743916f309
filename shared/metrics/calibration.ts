// Calibration of an option distribution: ECE, Brier score, entropy (design.md §3).
import { argmax } from './accuracy.ts';
import { DEFAULT_ECE_BINS } from './constants.ts';

/** Multi-class Brier score of one item: Σ_j (p_j − 1[j = correct])² (Brier 1950, Mon. Weather Rev.). */
export function brierScore(probs: readonly number[], correct: number): number {
  let s = 0;
  for (let j = 0; j < probs.length; j++) {
    const d = (probs[j] as number) - (j === correct ? 1 : 0);
    s += d * d;
  }
  return s;
}

/** Shannon entropy in nats, −Σ p ln p, with 0·ln 0 = 0. */
export function entropyNats(probs: readonly number[]): number {
  let h = 0;
  for (const p of probs) if (p > 0) h -= p * Math.log(p);
  return h;
}

/** Bin of a confidence in (0, 1] among `bins` equal-width bins ((i/M, (i+1)/M]; 0 goes to bin 0). */
export function confidenceBin(confidence: number, bins: number = DEFAULT_ECE_BINS): number {
  const b = Math.ceil(confidence * bins) - 1;
  return Math.min(bins - 1, Math.max(0, b));
}

export interface ReliabilityBin {
  /** Lower (exclusive) and upper (inclusive) confidence edge. */
  lo: number;
  hi: number;
  n: number;
  /** Mean Accuracy@1 and mean max-probability of the items in the bin; null when empty. */
  accuracy: number | null;
  confidence: number | null;
}

export interface CalibrationInput {
  probs: readonly number[];
  correct: number;
}

/**
 * Expected calibration error on the max-probability confidence, equal-width bins:
 * Σ_b (|B_b|/n) · |acc(B_b) − conf(B_b)| (Guo et al. 2017, "On Calibration of Modern Neural Networks", eq. 3).
 */
export function expectedCalibrationError(items: readonly CalibrationInput[], bins: number = DEFAULT_ECE_BINS): { ece: number; reliability: ReliabilityBin[] } {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (items.length === 0) throw new RangeError('ECE of no items');
  const count = new Array<number>(bins).fill(0);
  const accSum = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  for (const it of items) {
    const pick = argmax(it.probs);
    const conf = it.probs[pick] as number;
    const b = confidenceBin(conf, bins);
    count[b] = (count[b] as number) + 1;
    accSum[b] = (accSum[b] as number) + (pick === it.correct ? 1 : 0);
    confSum[b] = (confSum[b] as number) + conf;
  }
  let ece = 0;
  const reliability: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    const acc = n > 0 ? (accSum[b] as number) / n : null;
    const conf = n > 0 ? (confSum[b] as number) / n : null;
    if (acc !== null && conf !== null) ece += (n / items.length) * Math.abs(acc - conf);
    reliability.push({ lo: b / bins, hi: (b + 1) / bins, n, accuracy: acc, confidence: conf });
  }
  return { ece, reliability };
}
