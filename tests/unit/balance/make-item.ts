// A hand-built candidate with defaults, for small balance tests.
import type { BalanceCandidate } from '../../../shared/balance/index.ts';

let counter = 0;

export function item(overrides: Partial<BalanceCandidate> & { id: string }): BalanceCandidate {
  counter++;
  return {
    modality: 'ct',
    correct: 0,
    optionCount: 4,
    patient: null,
    sourceSplit: null,
    imageHash: `image-of-${overrides.id}`,
    phash: null,
    kind: 'multiple-choice',
    task: 'task',
    benchmark: 'test',
    question: `question ${counter}`,
    ...overrides,
  };
}

/** n items of one modality with ids `${prefix}-00`, `${prefix}-01`, … */
export function many(prefix: string, n: number, overrides: Partial<BalanceCandidate> = {}): BalanceCandidate[] {
  return Array.from({ length: n }, (_, i) => item({ id: `${prefix}-${String(i).padStart(2, '0')}`, ...overrides }));
}

export function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}
