// Per-modality quotas (design.md §5: "per-modality quotas, default equal, none excluded").
// Equal: total ÷ k modalities present, the remainder (total mod k) one each to the modalities with most items
// (ties by name). A modality with fewer items than its share keeps them all; the shortfall is NOT handed to
// the others unless spec.redistributeLeftover, which water-fills it equally over modalities that still have items.
import type { BalanceSpec } from './spec.ts';

export interface QuotaPlan {
  /** Items to take per modality (never more than available). */
  take: Map<string, number>;
  notes: string[];
}

/** `available`: modality → number of items left after exclusion and deduplication. */
export function planQuotas(available: ReadonlyMap<string, number>, spec: BalanceSpec): QuotaPlan {
  const modalities = [...available.keys()].sort();
  const notes: string[] = [];
  const take = new Map<string, number>();
  if (spec.quotas === 'equal') {
    const asked = spec.redistributeLeftover ? waterFill(available, spec.total) : equalShares(available, spec.total);
    for (const m of modalities) {
      const want = asked.get(m) ?? 0;
      const have = available.get(m) ?? 0;
      if (want > have) notes.push(`${m}: asked ${want}, only ${have} available`);
      take.set(m, Math.min(want, have));
    }
    const granted = [...take.values()].reduce((a, b) => a + b, 0);
    if (granted < spec.total) {
      notes.push(`total: asked ${spec.total}, selected ${granted}${spec.redistributeLeftover ? '' : ' (shortfall not redistributed)'}`);
    }
    return { take, notes };
  }
  const quotas = spec.quotas as Partial<Record<string, number>>;
  for (const m of Object.keys(quotas).sort()) {
    const want = quotas[m] ?? 0;
    const have = available.get(m) ?? 0;
    if (spec.excludeModalities.includes(m as never) && want > 0) notes.push(`${m}: quota ${want} ignored, modality is excluded`);
    else if (want > have) notes.push(`${m}: asked ${want}, only ${have} available`);
  }
  for (const m of modalities) {
    const want = quotas[m];
    const have = available.get(m) ?? 0;
    if (want === undefined) notes.push(`${m}: no quota given, ${have} items left out`);
    take.set(m, Math.min(want ?? 0, have));
  }
  return { take, notes };
}

/** floor(total / k) each; the remainder one each to the modalities with the most items (ties by name). */
function equalShares(available: ReadonlyMap<string, number>, total: number): Map<string, number> {
  const modalities = [...available.keys()].sort();
  const out = new Map<string, number>();
  if (modalities.length === 0) return out;
  const base = Math.floor(total / modalities.length);
  const remainder = total - base * modalities.length;
  const byAvailability = modalities.slice().sort((a, b) => (available.get(b) ?? 0) - (available.get(a) ?? 0) || (a < b ? -1 : 1));
  for (const m of modalities) out.set(m, base);
  for (const m of byAvailability.slice(0, remainder)) out.set(m, (out.get(m) as number) + 1);
  return out;
}

/** Equal shares capped by availability, the shortfall re-shared among uncapped modalities until none is left. */
function waterFill(available: ReadonlyMap<string, number>, total: number): Map<string, number> {
  const out = new Map<string, number>();
  let open = [...available.keys()].sort();
  let remaining = total;
  for (;;) {
    if (open.length === 0 || remaining <= 0) return out;
    const share = Math.floor(remaining / open.length);
    const capped = open.filter((m) => (available.get(m) ?? 0) <= share);
    if (capped.length === 0) {
      const rest = equalShares(new Map(open.map((m) => [m, available.get(m) ?? 0])), remaining);
      for (const [m, n] of rest) out.set(m, n);
      return out;
    }
    for (const m of capped) {
      const n = available.get(m) ?? 0;
      out.set(m, n);
      remaining -= n;
    }
    open = open.filter((m) => !capped.includes(m));
  }
}
