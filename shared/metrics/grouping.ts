// Splits items into the report's subgroups, with keys in a locale-independent stable order.
import type { ItemResult } from './item-result.ts';

/** Group name used for items that do not name a benchmark, when others do. */
export const UNSPECIFIED_BENCHMARK = 'unspecified';

export type GroupDimension = 'modality' | 'task' | 'split' | 'benchmark';

export function groupKey(r: Pick<ItemResult, 'modality' | 'task' | 'split' | 'benchmark'>, dim: GroupDimension): string {
  return dim === 'benchmark' ? (r.benchmark ?? UNSPECIFIED_BENCHMARK) : r[dim];
}

/** Indices of `items` per key of `dim`, keys sorted by code unit order. */
export function groupIndices<T extends Pick<ItemResult, 'modality' | 'task' | 'split' | 'benchmark'>>(
  items: readonly T[],
  dim: GroupDimension,
): [string, number[]][] {
  const map = new Map<string, number[]>();
  items.forEach((r, i) => {
    const key = groupKey(r, dim);
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  });
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Seed label of a group, so each group's bootstrap stream does not depend on the others. */
export function groupLabel(dim: GroupDimension | 'overall', key = ''): string {
  return dim === 'overall' ? 'overall' : `${dim}:${key}`;
}
