// Train/val/test assignment by whole groups (design.md §5 "patient-level splits"): a patient, or a set of items
// showing the same picture, never spans two splits.
//   patient-random: groups in seeded-shuffle order, largest first, each to the split whose per-modality
//     shortfall against ratio × count is largest (so every split gets close to the ratios for every modality).
//   source: a group keeps its source split; if its members disagree it goes to the most held-out one
//     (test > val > train: a test item never moves into training); groups without any source split are
//     assigned as in patient-random, with the ratios applied to them alone.
import type { Split } from '../items.ts';
import { createRng, deriveSeed, shuffled } from '../random.ts';
import type { ItemGroup } from './groups.ts';
import type { BalanceSpec } from './spec.ts';
import type { BalanceCandidate } from './types.ts';

export const SPLITS: readonly Split[] = ['train', 'val', 'test'];
/** Most held-out first. */
const HELD_OUT_ORDER: readonly Split[] = ['test', 'val', 'train'];

export interface SplitAssignment {
  split: Map<string, Split>;
  notes: string[];
}

export function assignSplits(groups: readonly ItemGroup[], spec: BalanceSpec): SplitAssignment {
  const split = new Map<string, Split>();
  const notes: string[] = [];
  let pool: ItemGroup[] = groups.slice();
  if (spec.split.mode === 'source') {
    pool = [];
    let conflicts = 0;
    for (const g of groups) {
      const given = new Set(g.items.map((c) => c.sourceSplit).filter((s): s is Split => s !== null));
      if (given.size === 0) {
        pool.push(g);
        continue;
      }
      const chosen = HELD_OUT_ORDER.find((s) => given.has(s)) as Split;
      if (given.size > 1) conflicts++;
      for (const c of g.items) split.set(c.id, chosen);
    }
    if (conflicts > 0) notes.push(`split: ${conflicts} patient/picture groups had items in several source splits; moved whole to the most held-out one`);
    if (pool.length > 0) notes.push(`split: ${pool.reduce((n, g) => n + g.items.length, 0)} items without a source split assigned by patient-random`);
  }
  assignRandom(pool, spec, split);
  return { split, notes };
}

function assignRandom(groups: readonly ItemGroup[], spec: BalanceSpec, out: Map<string, Split>): void {
  if (groups.length === 0) return;
  const { ratios } = spec.split;
  const open = SPLITS.filter((s) => ratios[s] > 0);
  const perModality = new Map<string, number>();
  for (const g of groups) for (const c of g.items) perModality.set(c.modality, (perModality.get(c.modality) ?? 0) + 1);
  const current = new Map<string, number>();
  const key = (s: Split, m: string) => `${s}\u0000${m}`;
  const rng = createRng(deriveSeed(spec.seed, 'split'));
  const order = shuffled(groups, rng);
  // Stable sort keeps the shuffled order among groups of equal size.
  order.sort((a, b) => b.items.length - a.items.length);
  for (const g of order) {
    const composition = new Map<string, number>();
    for (const c of g.items) composition.set(c.modality, (composition.get(c.modality) ?? 0) + 1);
    let best: Split = open[0] as Split;
    let bestScore = -Infinity;
    for (const s of open) {
      let score = 0;
      for (const [m, n] of composition) score += n * (ratios[s] * (perModality.get(m) as number) - (current.get(key(s, m)) ?? 0));
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
    for (const [m, n] of composition) current.set(key(best, m), (current.get(key(best, m)) ?? 0) + n);
    for (const c of g.items) out.set(c.id, best);
  }
}

/** Throws when a patient has items in more than one split (the no-leakage invariant). */
export function assertNoPatientLeakage(items: readonly BalanceCandidate[], split: ReadonlyMap<string, Split>): void {
  const seen = new Map<string, Split>();
  for (const c of items) {
    if (c.patient === null) continue;
    const s = split.get(c.id);
    if (s === undefined) throw new Error(`item ${c.id} has no split`);
    const prior = seen.get(c.patient);
    if (prior === undefined) seen.set(c.patient, s);
    else if (prior !== s) throw new Error(`patient ${c.patient} appears in both ${prior} and ${s}`);
  }
}
