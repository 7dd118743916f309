// Picks each modality's quota by seeded shuffle of split groups (patients / same-picture sets), taking whole
// groups while they fit and cutting only the last one needed to fill the quota exactly.
import { createRng, deriveSeed, shuffled } from '../random.ts';
import type { ItemGroup } from './groups.ts';
import type { BalanceCandidate } from './types.ts';

export interface Selection {
  selected: BalanceCandidate[];
  overQuota: BalanceCandidate[];
}

/** `groups` must contain only items of one modality. */
export function selectForQuota(groups: readonly ItemGroup[], quota: number, seed: number, modality: string): Selection {
  const rng = createRng(deriveSeed(seed, `quota:${modality}`));
  const order = shuffled(groups, rng);
  const selected: BalanceCandidate[] = [];
  const skipped: ItemGroup[] = [];
  let left = quota;
  for (const g of order) {
    if (g.items.length <= left) {
      selected.push(...g.items);
      left -= g.items.length;
    } else skipped.push(g);
  }
  const overQuota: BalanceCandidate[] = [];
  for (const g of skipped) {
    if (left > 0) {
      // No whole group fits any more: cut this one (its other items are dropped, so nothing leaks across splits).
      const part = shuffled(g.items, rng);
      selected.push(...part.slice(0, left));
      overQuota.push(...part.slice(left));
      left = 0;
    } else overQuota.push(...g.items);
  }
  return { selected, overQuota };
}
