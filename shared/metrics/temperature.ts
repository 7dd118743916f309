// Option distribution from answer-letter logits at sampling temperature T: softmax(z / T).

/** softmax(logits / T), computed with the max subtracted so large logits do not overflow. */
export function probsFromLogits(logits: readonly number[], temperature = 1): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError(`temperature must be a positive finite number, got ${temperature}`);
  if (logits.length === 0) throw new RangeError('logits must not be empty');
  let max = -Infinity;
  for (const z of logits) {
    if (!Number.isFinite(z)) throw new RangeError(`logits must be finite, got ${z}`);
    if (z > max) max = z;
  }
  const exps = logits.map((z) => Math.exp((z - max) / temperature));
  const total = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / total);
}
