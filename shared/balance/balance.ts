// The balancing wizard's algorithm: exclusion → exact/near dedupe → per-modality quotas (whole patients where
// possible) → correct-letter balance → patient-level splits. Pure and deterministic given spec.seed.
import { compareIds, dedupe } from './dedupe.ts';
import { addCount, letterColumn, UNASSIGNED_ROW } from './counts.ts';
import { groupItems, type ItemGroup } from './groups.ts';
import { assignOptionOrders } from './letter-balance.ts';
import { planQuotas } from './quotas.ts';
import { selectForQuota } from './select.ts';
import { resolveBalanceSpec, type BalanceSpecInput } from './spec.ts';
import { assertNoPatientLeakage, assignSplits } from './splits.ts';
import type { BalanceCandidate, BalancedItem, BalanceResult, CountTable, RemovedItem } from './types.ts';
import { validateCandidates } from './validate.ts';

const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);

export function balanceItems(candidates: readonly BalanceCandidate[], specInput: BalanceSpecInput): BalanceResult {
  const spec = resolveBalanceSpec(specInput);
  validateCandidates(candidates);
  const before: CountTable = {};
  for (const c of candidates) addCount(before, c.modality, c.sourceSplit ?? UNASSIGNED_ROW, letterColumn(c.correct));

  // Excluded modalities go first, so a `none` copy never wins a duplicate tie against a labelled one.
  const excluded = new Set<string>(spec.excludeModalities);
  const removed: RemovedItem[] = candidates
    .filter((c) => excluded.has(c.modality))
    .map((c) => ({ id: c.id, reason: 'excluded-modality' as const }))
    .sort(byId);
  const eligible = candidates.filter((c) => !excluded.has(c.modality));

  const dd = dedupe(eligible, spec.dedupe.nearHammingMax);
  removed.push(...dd.removed.filter((r) => r.reason === 'exact-duplicate'), ...dd.removed.filter((r) => r.reason === 'near-duplicate'));

  const available = new Map<string, number>();
  for (const c of dd.kept) available.set(c.modality, (available.get(c.modality) ?? 0) + 1);
  const plan = planQuotas(available, spec);
  const groups = groupItems(dd.kept, dd.sameImage);
  const selected: BalanceCandidate[] = [];
  const overQuota: BalanceCandidate[] = [];
  for (const modality of [...available.keys()].sort()) {
    const inModality: ItemGroup[] = [];
    for (const g of groups) {
      const items = g.items.filter((c) => c.modality === modality);
      if (items.length > 0) inModality.push({ key: (items[0] as BalanceCandidate).id, items });
    }
    const sel = selectForQuota(inModality, plan.take.get(modality) ?? 0, spec.seed, modality);
    selected.push(...sel.selected);
    overQuota.push(...sel.overQuota);
  }
  removed.push(...overQuota.map((c) => ({ id: c.id, reason: 'over-quota' as const })).sort(byId));
  selected.sort(byId);

  const orders = assignOptionOrders(selected, spec.seed, spec.letterBalance);
  const assignment = assignSplits(groupItems(selected, dd.sameImage), spec);
  assertNoPatientLeakage(selected, assignment.split);

  const after: CountTable = {};
  const items: BalancedItem[] = selected.map((c) => {
    const split = assignment.split.get(c.id);
    const optionOrder = orders.get(c.id);
    if (split === undefined || optionOrder === undefined) throw new Error(`internal: item ${c.id} missing split or option order`);
    addCount(after, c.modality, split, letterColumn(c.correct === null ? null : optionOrder.indexOf(c.correct)));
    return { id: c.id, split, optionOrder };
  });
  const notes = [...plan.notes, ...assignment.notes];
  const dupes = dd.removed.length;
  if (dupes > 0)
    notes.push(
      `dedupe: ${dupes} duplicates removed (${dd.removed.filter((r) => r.reason === 'exact-duplicate').length} exact, ${dd.removed.filter((r) => r.reason === 'near-duplicate').length} near)`,
    );
  return { items, removed, counts: { before, after }, notes };
}
