// Supervised fine-tuning loss: cross-entropy on the correct option of one item.
//   L = −log p_c,  p = softmax(logits / T)  ⇒  dL/dlogit_j = (p_j − 1[j = c]) / T
import { softmaxInto } from './softmax.ts';

/**
 * Returns −log p_correct for one item and writes `weight` · dL/dlogits into `dLogitsOut[0..m)`
 * (weight is usually 1 / batch size, for a batch-mean loss). `probs` is scratch of length ≥ m.
 */
export function sftItemLoss(
  logits: ArrayLike<number>,
  m: number,
  correct: number,
  temperature: number,
  weight: number,
  probs: Float64Array,
  dLogitsOut: Float64Array,
): number {
  if (!(correct >= 0 && correct < m)) throw new RangeError(`correct option ${correct} is outside 0..${m - 1}`);
  const logZ = softmaxInto(logits, m, temperature, probs);
  const scale = weight / temperature;
  for (let j = 0; j < m; j++) dLogitsOut[j] = scale * (probs[j]! - (j === correct ? 1 : 0));
  return logZ - logits[correct]! / temperature;
}
