// MedBridge balancing wizard (design.md §5): pure, deterministic given spec.seed; no Node/DOM.
//
//   balanceItems(candidates: BalanceCandidate[], spec: BalanceSpecInput): BalanceResult
//     1. drop spec.excludeModalities (default ['none'])          → removed 'excluded-modality'
//     2. exact duplicates (imageHash + question), then near ones  → removed 'exact-duplicate' | 'near-duplicate'
//        (dHash Hamming ≤ nearHammingMax, banded search); first by id is kept
//     3. quotas per modality ('equal' or explicit), capped by availability, shortfall not redistributed
//        unless redistributeLeftover; whole patient groups by seeded shuffle → removed 'over-quota'
//     4. option order per item: correct letters within ±1 per letter per modality and option count
//     5. splits: 'source' or 'patient-random'; no patient (or same picture) in two splits (asserted)
//   versionManifest(result, spec): string — canonical JSON whose SHA-256 is the dataset version id.
export { balanceItems } from './balance.ts';
export { FREE_FORM_COLUMN, UNASSIGNED_ROW } from './counts.ts';
export { dedupe, nearNeighbours, questionKey, type DedupeResult } from './dedupe.ts';
export { hamming64, parsePhash, type Phash64 } from './phash.ts';
export {
  BalanceSpec,
  DEFAULT_EXCLUDED_MODALITIES,
  DEFAULT_NEAR_HAMMING_MAX,
  DEFAULT_SPLIT_RATIOS,
  DEFAULT_TOTAL,
  resolveBalanceSpec,
  type BalanceSpecInput,
} from './spec.ts';
export { assertNoPatientLeakage, SPLITS } from './splits.ts';
export type { BalanceCandidate, BalancedItem, BalanceResult, CountTable, RemovalReason, RemovedItem } from './types.ts';
export { VERSION_MANIFEST_FORMAT, versionManifest } from './version-manifest.ts';
