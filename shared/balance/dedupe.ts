// Duplicate removal (design.md §5): exact duplicates (same image bytes and question), then near duplicates
// (dHash within a Hamming radius and same question). Items showing the same or a near-identical picture with a
// different question are kept but reported as linked, so the split step can keep them together (no leakage).
import { bandValues, hamming64, parsePhash, PHASH_BITS, type Phash64 } from './phash.ts';
import type { BalanceCandidate, RemovedItem } from './types.ts';

export interface DedupeResult {
  /** Survivors, in the deterministic order used to pick them (id order). */
  kept: BalanceCandidate[];
  removed: RemovedItem[];
  /** Pairs of kept item ids showing the same or a near-identical picture (different questions). */
  sameImage: [string, string][];
}

/** Questions compared case-insensitively with runs of white space collapsed. */
export function questionKey(q: string | undefined): string {
  return (q ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keeps the first item (by id) of every duplicate set. Near duplicates are found by banding: with r = nearHammingMax,
 * the hash is cut into r + 1 bands and only pairs sharing a band value are compared (pigeonhole, so none is missed).
 */
export function dedupe(candidates: readonly BalanceCandidate[], nearHammingMax: number): DedupeResult {
  const ordered = candidates.slice().sort((a, b) => compareIds(a.id, b.id));
  const removed: RemovedItem[] = [];
  const sameImage: [string, string][] = [];

  // 1. Exact: same image hash + same question.
  const firstByExact = new Map<string, string>();
  const firstByImage = new Map<string, string>();
  const afterExact: BalanceCandidate[] = [];
  for (const c of ordered) {
    if (c.imageHash === null) {
      afterExact.push(c);
      continue;
    }
    const key = `${c.imageHash}\u0000${questionKey(c.question)}`;
    const first = firstByExact.get(key);
    if (first !== undefined) {
      removed.push({ id: c.id, reason: 'exact-duplicate', duplicateOf: first });
      continue;
    }
    firstByExact.set(key, c.id);
    const imageFirst = firstByImage.get(c.imageHash);
    if (imageFirst === undefined) firstByImage.set(c.imageHash, c.id);
    else sameImage.push([imageFirst, c.id]);
    afterExact.push(c);
  }

  // 2. Near: distinct hash values are nodes; neighbours found through shared bands.
  const nodeOf = new Map<string, number>();
  const hashes: Phash64[] = [];
  for (const c of afterExact) {
    if (c.phash === null) continue;
    const hex = c.phash.toLowerCase();
    if (!nodeOf.has(hex)) {
      nodeOf.set(hex, hashes.length);
      hashes.push(parsePhash(hex));
    }
  }
  const neighbours = nearNeighbours(hashes, nearHammingMax);

  // Greedy in id order: an item is a near duplicate when a kept item on its node or a neighbouring node has its question.
  const keptByNode = new Map<string, string>(); // `${node}\u0000${question}` → kept id
  const firstOnNode: (string | undefined)[] = hashes.map(() => undefined);
  const kept: BalanceCandidate[] = [];
  for (const c of afterExact) {
    if (c.phash === null) {
      kept.push(c);
      continue;
    }
    const node = nodeOf.get(c.phash.toLowerCase()) as number;
    const q = questionKey(c.question);
    let duplicateOf: string | undefined;
    const near = neighbours[node] as number[];
    for (let k = -1; k < near.length; k++) {
      const hit = keptByNode.get(`${k < 0 ? node : near[k]}\u0000${q}`);
      if (hit !== undefined && (duplicateOf === undefined || compareIds(hit, duplicateOf) < 0)) duplicateOf = hit;
    }
    if (duplicateOf !== undefined) {
      removed.push({ id: c.id, reason: 'near-duplicate', duplicateOf });
      continue;
    }
    keptByNode.set(`${node}\u0000${q}`, c.id);
    const first = firstOnNode[node];
    if (first === undefined) firstOnNode[node] = c.id;
    else sameImage.push([first, c.id]);
    kept.push(c);
  }
  // Link kept pictures on neighbouring nodes (one edge per node pair is enough for grouping).
  for (let a = 0; a < hashes.length; a++) {
    const fa = firstOnNode[a];
    if (fa === undefined) continue;
    for (const b of neighbours[a] as number[]) {
      const fb = firstOnNode[b];
      if (b > a && fb !== undefined) sameImage.push([fa, fb]);
    }
  }
  return { kept, removed, sameImage };
}

/** For each hash, the indices of the other hashes within `radius` bits. */
export function nearNeighbours(hashes: readonly Phash64[], radius: number): number[][] {
  const out: number[][] = hashes.map(() => []);
  if (radius <= 0 || hashes.length < 2) return out;
  const bands = Math.min(radius + 1, PHASH_BITS);
  const bandsOf = hashes.map((h) => bandValues(h, bands));
  for (let b = 0; b < bands; b++) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < hashes.length; i++) {
      const v = (bandsOf[i] as number[])[b] as number;
      const bucket = buckets.get(v);
      if (bucket === undefined) buckets.set(v, [i]);
      else bucket.push(i);
    }
    for (const members of buckets.values()) {
      for (let x = 0; x < members.length; x++) {
        const i = members[x] as number;
        const bi = bandsOf[i] as number[];
        for (let y = x + 1; y < members.length; y++) {
          const j = members[y] as number;
          // Each pair is compared once: in the first band the two hashes share.
          if (sharesEarlierBand(bi, bandsOf[j] as number[], b)) continue;
          if (hamming64(hashes[i] as Phash64, hashes[j] as Phash64) <= radius) {
            (out[i] as number[]).push(j);
            (out[j] as number[]).push(i);
          }
        }
      }
    }
  }
  for (const list of out) list.sort((a, b) => a - b);
  return out;
}

function sharesEarlierBand(a: readonly number[], b: readonly number[], band: number): boolean {
  for (let k = 0; k < band; k++) if (a[k] === b[k]) return true;
  return false;
}
