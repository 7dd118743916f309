// Correct-letter balance (design.md §3 "letter-position bias"): per modality and option count m, the correct
// answers are spread so each of the m letters gets ⌊n/m⌋ or ⌈n/m⌉ of them; the extra ones go to the letters
// that are rarest so far in the modality (groups with more options first), so mixed-m modalities stay close too.
// The other options are shuffled as well: moving only the correct one would leave it as the single option out of
// the source's order (e.g. ascending sizes), which gives the answer away.
import { createRng, deriveSeed, shuffled, type Rng } from '../random.ts';
import { compareIds } from './dedupe.ts';
import type { BalanceCandidate } from './types.ts';

const ALPHABET_SIZE = 26;

export function identityOrder(optionCount: number): number[] {
  return Array.from({ length: optionCount }, (_, i) => i);
}

/** Option order per item id. Free-form items (and all items when `balance` is false) get the identity order. */
export function assignOptionOrders(items: readonly BalanceCandidate[], seed: number, balance: boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const byModality = new Map<string, Map<number, BalanceCandidate[]>>();
  for (const c of items) {
    if (!balance || c.kind === 'free-form' || c.correct === null) {
      out.set(c.id, identityOrder(c.kind === 'free-form' ? 0 : c.optionCount));
      continue;
    }
    let byCount = byModality.get(c.modality);
    if (byCount === undefined) byModality.set(c.modality, (byCount = new Map()));
    const list = byCount.get(c.optionCount);
    if (list === undefined) byCount.set(c.optionCount, [c]);
    else list.push(c);
  }
  for (const modality of [...byModality.keys()].sort()) {
    const byCount = byModality.get(modality) as Map<number, BalanceCandidate[]>;
    const tally = new Array<number>(ALPHABET_SIZE).fill(0);
    for (const m of [...byCount.keys()].sort((a, b) => b - a)) {
      const rng = createRng(deriveSeed(seed, `letters:${modality}:${m}`));
      const group = shuffled(
        (byCount.get(m) as BalanceCandidate[]).slice().sort((a, b) => compareIds(a.id, b.id)),
        rng,
      );
      const targets = targetPositions(group.length, m, tally, rng);
      group.forEach((c, i) => out.set(c.id, orderWithCorrectAt(m, c.correct as number, targets[i] as number, rng)));
    }
  }
  return out;
}

/** n target positions in 0..m−1, each used ⌊n/m⌋ or ⌈n/m⌉ times, in random order; updates `tally`. */
function targetPositions(n: number, m: number, tally: number[], rng: Rng): number[] {
  const base = Math.floor(n / m);
  const extra = n - base * m;
  const tieBreak = shuffled(identityOrder(m), rng);
  const rank = new Array<number>(m);
  tieBreak.forEach((p, i) => (rank[p] = i));
  const rarestFirst = identityOrder(m).sort((a, b) => (tally[a] as number) - (tally[b] as number) || (rank[a] as number) - (rank[b] as number));
  const targets: number[] = [];
  for (let p = 0; p < m; p++) for (let k = 0; k < base; k++) targets.push(p);
  for (const p of rarestFirst.slice(0, extra)) targets.push(p);
  for (const p of targets) tally[p] = (tally[p] as number) + 1;
  return shuffled(targets, rng);
}

/** A permutation of 0..m−1 with `correct` shown at `target` and the other options in random order. */
function orderWithCorrectAt(m: number, correct: number, target: number, rng: Rng): number[] {
  const others = shuffled(
    identityOrder(m).filter((i) => i !== correct),
    rng,
  );
  return [...others.slice(0, target), correct, ...others.slice(target)];
}
