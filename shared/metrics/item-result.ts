// One evaluated item as the diagnosis command dumps it (one JSON line each), validated.
import { z } from 'zod';
import { MAX_OPTIONS, MIN_OPTIONS, PROB_SUM_TOLERANCE } from './constants.ts';

/** Free-form sampling outcome: n answers sampled, c of them correct. */
export const SampleCounts = z.object({
  n: z.number().int().min(1),
  c: z.number().int().min(0),
});
export type SampleCounts = z.infer<typeof SampleCounts>;

/**
 * `{"item","probs","correct","modality","task","split"}` plus optional fields.
 * - Multiple-choice: `probs` is the option distribution at the sampling temperature (2–26
 *   entries, Σ = 1) and `correct` the index of the right option.
 * - Free-form (or reasoning traces): `samples: {n, c}` and `greedyCorrect`; `probs` may be empty
 *   and `correct` null. When `samples` is present Pass@K uses the unbiased estimator.
 */
export const ItemResult = z
  .object({
    item: z.string().min(1),
    probs: z.array(z.number().finite().min(0).max(1)).max(MAX_OPTIONS),
    correct: z.number().int().min(0).nullable(),
    modality: z.string().min(1),
    task: z.string().min(1),
    split: z.string().min(1),
    benchmark: z.string().min(1).optional(),
    samples: SampleCounts.optional(),
    /** First-try (greedy) correctness of a free-form answer; overrides the argmax of `probs`. */
    greedyCorrect: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    const hasProbs = r.probs.length > 0;
    if (hasProbs) {
      if (r.probs.length < MIN_OPTIONS) {
        ctx.addIssue({ code: 'custom', path: ['probs'], message: `needs ${MIN_OPTIONS}–${MAX_OPTIONS} options, got ${r.probs.length}` });
      }
      const sum = r.probs.reduce((s, p) => s + p, 0);
      if (Math.abs(sum - 1) > PROB_SUM_TOLERANCE) {
        ctx.addIssue({ code: 'custom', path: ['probs'], message: `must sum to 1 (got ${sum})` });
      }
      if (r.correct === null || r.correct >= r.probs.length) {
        ctx.addIssue({ code: 'custom', path: ['correct'], message: `must index one of the ${r.probs.length} options` });
      }
    }
    if (r.samples) {
      if (r.samples.c > r.samples.n) ctx.addIssue({ code: 'custom', path: ['samples', 'c'], message: 'c must be ≤ n' });
      if (!hasProbs && r.greedyCorrect === undefined) {
        ctx.addIssue({ code: 'custom', path: ['greedyCorrect'], message: 'free-form items need greedyCorrect for Accuracy@1' });
      }
    } else if (!hasProbs) {
      ctx.addIssue({ code: 'custom', path: ['probs'], message: 'an item needs option probabilities or samples {n, c}' });
    }
  });
export type ItemResult = z.infer<typeof ItemResult>;

/** Validates items; throws naming the first bad item. */
export function validateItemResults(items: readonly unknown[]): ItemResult[] {
  return items.map((raw, i) => {
    const parsed = ItemResult.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && 'item' in raw ? String((raw as { item: unknown }).item) : `#${i}`;
      throw new Error(`item ${id}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    }
    return parsed.data;
  });
}

/** Parses JSON lines (blank lines skipped); errors name the 1-based line. */
export function parseItemResultLines(text: string): ItemResult[] {
  const out: ItemResult[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new Error(`line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = ItemResult.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    }
    out.push(parsed.data);
  }
  return out;
}
