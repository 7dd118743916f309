// Seeded temperature / nucleus (top-p) sampling of one token from a logits row
// (nucleus sampling: Holtzman et al., "The Curious Case of Neural Text Degeneration", ICLR 2020).
import type { Rng } from '../../shared/random.ts';

export interface SamplingOptions {
  /** 0 = greedy (argmax, ties to the lowest id); otherwise logits are divided by it. */
  temperature: number;
  /** Keep the smallest set of most likely tokens whose probability reaches topP (1 = all). */
  topP: number;
}

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

export function sampleToken(row: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  const { temperature, topP } = options;
  if (!(temperature >= 0)) throw new RangeError(`temperature must be >= 0, got ${temperature}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}`);
  if (temperature === 0) return argmax(row);
  const n = row.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, (row[i] as number) / temperature);
  const probs = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    probs[i] = Math.exp((row[i] as number) / temperature - max);
    sum += probs[i] as number;
  }
  // stable order: probability descending, then token id ascending
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  const kept: number[] = [];
  let mass = 0;
  for (const i of order) {
    kept.push(i);
    mass += (probs[i] as number) / sum;
    if (mass >= topP) break;
  }
  let u = rng.next() * kept.reduce((acc, i) => acc + (probs[i] as number), 0);
  for (const i of kept) {
    u -= probs[i] as number;
    if (u < 0) return i;
  }
  return kept[kept.length - 1] as number;
}
