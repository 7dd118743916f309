// The exact bytes a dataset version is named by (design.md §2 "dataset version: frozen, content-hashed"):
// canonical JSON of the sorted selection plus the resolved spec. The Node side hashes it with SHA-256.
import { canonicalJson } from '../canonical-json.ts';
import { compareIds } from './dedupe.ts';
import { resolveBalanceSpec, type BalanceSpecInput } from './spec.ts';
import type { BalanceResult } from './types.ts';

export const VERSION_MANIFEST_FORMAT = 'medbridge-dataset-version/1';

export function versionManifest(result: Pick<BalanceResult, 'items'>, spec: BalanceSpecInput): string {
  const items = result.items.map((i) => ({ id: i.id, split: i.split, optionOrder: i.optionOrder.slice() })).sort((a, b) => compareIds(a.id, b.id));
  return canonicalJson({ format: VERSION_MANIFEST_FORMAT, items, spec: resolveBalanceSpec(spec) });
}
