// Checks every promise balanceItems makes, for the property and size tests.
import assert from 'node:assert/strict';
import {
  hamming64,
  parsePhash,
  questionKey,
  resolveBalanceSpec,
  type BalanceCandidate,
  type BalanceResult,
  type BalanceSpecInput,
} from '../../../shared/balance/index.ts';
import type { Split } from '../../../shared/items.ts';

export function checkInvariants(cands: readonly BalanceCandidate[], r: BalanceResult, specInput: BalanceSpecInput, opts: { bruteForceNear: boolean }): void {
  const spec = resolveBalanceSpec(specInput);
  const byId = new Map(cands.map((c) => [c.id, c]));
  // Every candidate ends up exactly once, kept or removed.
  const seen = new Set<string>();
  for (const id of [...r.items.map((x) => x.id), ...r.removed.map((x) => x.id)]) {
    assert.ok(!seen.has(id), `id ${id} reported twice`);
    seen.add(id);
  }
  assert.equal(seen.size, cands.length);
  const kept = r.items.map((x) => byId.get(x.id) as BalanceCandidate);

  // Exclusion.
  const excluded = new Set<string>(spec.excludeModalities);
  for (const c of kept) assert.ok(!excluded.has(c.modality), `${c.id} has excluded modality ${c.modality}`);
  for (const x of r.removed) if (x.reason === 'excluded-modality') assert.ok(excluded.has((byId.get(x.id) as BalanceCandidate).modality));

  // No exact duplicates left.
  const exact = new Set<string>();
  for (const c of kept) {
    if (c.imageHash === null) continue;
    const key = `${c.imageHash}|${questionKey(c.question)}`;
    assert.ok(!exact.has(key), `exact duplicate kept: ${c.id}`);
    exact.add(key);
  }
  // No near duplicates left (same question within the radius).
  if (opts.bruteForceNear) {
    const withHash = kept.filter((c) => c.phash !== null).map((c) => ({ c, h: parsePhash(c.phash as string), q: questionKey(c.question) }));
    for (let i = 0; i < withHash.length; i++) {
      for (let j = i + 1; j < withHash.length; j++) {
        const a = withHash[i]!,
          b = withHash[j]!;
        if (a.q === b.q) assert.ok(hamming64(a.h, b.h) > spec.dedupe.nearHammingMax, `near duplicates kept: ${a.c.id}, ${b.c.id}`);
      }
    }
  }
  // Every removed duplicate points at a kept item within the radius.
  for (const x of r.removed) {
    if (x.reason !== 'near-duplicate' && x.reason !== 'exact-duplicate') continue;
    const a = byId.get(x.id) as BalanceCandidate;
    const b = byId.get(x.duplicateOf as string) as BalanceCandidate;
    assert.equal(questionKey(a.question), questionKey(b.question));
    if (x.reason === 'exact-duplicate') assert.equal(a.imageHash, b.imageHash);
    else assert.ok(hamming64(parsePhash(a.phash as string), parsePhash(b.phash as string)) <= spec.dedupe.nearHammingMax);
  }

  // Quotas: equal share per modality, capped by what survived deduplication.
  if (spec.quotas === 'equal') {
    const available = new Map<string, number>();
    const removedEarly = new Set(r.removed.filter((x) => x.reason !== 'over-quota').map((x) => x.id));
    for (const c of cands) if (!removedEarly.has(c.id)) available.set(c.modality, (available.get(c.modality) ?? 0) + 1);
    const selected = new Map<string, number>();
    for (const c of kept) selected.set(c.modality, (selected.get(c.modality) ?? 0) + 1);
    const k = available.size;
    for (const [m, have] of available) {
      const got = selected.get(m) ?? 0;
      const share = Math.floor(spec.total / k);
      assert.ok(got === have || got === share || got === share + 1, `${m}: selected ${got}, available ${have}, share ${share}`);
      assert.ok(got <= Math.min(have, share + 1));
    }
  }

  // Option orders and letter balance (±1 per letter within modality × option count).
  const tallies = new Map<string, number[]>();
  for (const x of r.items) {
    const c = byId.get(x.id) as BalanceCandidate;
    if (c.kind === 'free-form') {
      assert.deepEqual(x.optionOrder, []);
      continue;
    }
    assert.equal(x.optionOrder.length, c.optionCount);
    assert.deepEqual(
      [...x.optionOrder].sort((a, b) => a - b),
      Array.from({ length: c.optionCount }, (_, i) => i),
    );
    const key = `${c.modality}|${c.optionCount}`;
    const t = tallies.get(key) ?? new Array<number>(c.optionCount).fill(0);
    const pos = x.optionOrder.indexOf(c.correct as number);
    t[pos] = (t[pos] as number) + 1;
    tallies.set(key, t);
  }
  if (spec.letterBalance) {
    for (const [key, t] of tallies) assert.ok(Math.max(...t) - Math.min(...t) <= 1, `${key}: ${t}`);
  }

  // No patient (and no picture) in two splits.
  const patientSplit = new Map<string, Split>();
  const imageSplit = new Map<string, Split>();
  for (const x of r.items) {
    const c = byId.get(x.id) as BalanceCandidate;
    if (c.patient !== null) {
      const prior = patientSplit.get(c.patient);
      assert.ok(prior === undefined || prior === x.split, `patient ${c.patient} in ${prior} and ${x.split}`);
      patientSplit.set(c.patient, x.split);
    }
    if (c.imageHash !== null) {
      const prior = imageSplit.get(c.imageHash);
      assert.ok(prior === undefined || prior === x.split, `image ${c.imageHash} in ${prior} and ${x.split}`);
      imageSplit.set(c.imageHash, x.split);
    }
  }

  // The after table adds up to the kept items.
  let total = 0;
  for (const bySplit of Object.values(r.counts.after)) for (const byLetter of Object.values(bySplit)) for (const n of Object.values(byLetter)) total += n;
  assert.equal(total, r.items.length);
  let before = 0;
  for (const bySplit of Object.values(r.counts.before)) for (const byLetter of Object.values(bySplit)) for (const n of Object.values(byLetter)) before += n;
  assert.equal(before, cands.length);
}
