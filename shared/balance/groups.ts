// Split groups: items that must land in the same split — the same patient, or the same / a near-identical picture.
// Items with neither a patient nor a linked picture are a group of their own.
import { compareIds } from './dedupe.ts';
import type { BalanceCandidate } from './types.ts';
import { UnionFind } from './union-find.ts';

const PATIENT_PREFIX = 'p:';
const ITEM_PREFIX = 'i:';

export interface ItemGroup {
  /** Smallest member id: a stable name for the group. */
  key: string;
  /** Member items sorted by id. */
  items: BalanceCandidate[];
}

/** Groups `items` by patient and by the same-picture links from deduplication. Output sorted by key. */
export function groupItems(items: readonly BalanceCandidate[], sameImage: readonly (readonly [string, string])[]): ItemGroup[] {
  const uf = new UnionFind();
  const present = new Set(items.map((c) => c.id));
  for (const c of items) {
    uf.add(ITEM_PREFIX + c.id);
    if (c.patient !== null) uf.union(ITEM_PREFIX + c.id, PATIENT_PREFIX + c.patient);
  }
  for (const [a, b] of sameImage) if (present.has(a) && present.has(b)) uf.union(ITEM_PREFIX + a, ITEM_PREFIX + b);
  const byRoot = new Map<string, BalanceCandidate[]>();
  for (const c of items) {
    const root = uf.find(ITEM_PREFIX + c.id);
    const list = byRoot.get(root);
    if (list === undefined) byRoot.set(root, [c]);
    else list.push(c);
  }
  const groups: ItemGroup[] = [];
  for (const members of byRoot.values()) {
    members.sort((a, b) => compareIds(a.id, b.id));
    groups.push({ key: (members[0] as BalanceCandidate).id, items: members });
  }
  return groups.sort((a, b) => compareIds(a.key, b.key));
}
