// Global L2-norm gradient clipping over the flat gradient, as torch.nn.utils.clip_grad_norm_:
//   g ← g · min(1, max_norm / (‖g‖₂ + 1e-6))
import type { FloatArray } from './float-array.ts';

/** The 1e-6 PyTorch adds to the norm before dividing. */
export const CLIP_NORM_EPS = 1e-6;
export const DEFAULT_MAX_GRAD_NORM = 1;

export function globalNorm(grad: ArrayLike<number>): number {
  let ss = 0;
  for (let i = 0; i < grad.length; i++) ss += grad[i]! * grad[i]!;
  return Math.sqrt(ss);
}

/** Scales `grad` in place when its norm exceeds `maxNorm`; returns the norm before clipping. */
export function clipGradNorm(grad: FloatArray, maxNorm: number): number {
  const norm = globalNorm(grad);
  if (Number.isFinite(maxNorm) && norm > maxNorm) {
    const coef = maxNorm / (norm + CLIP_NORM_EPS);
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! * coef;
  }
  return norm;
}
