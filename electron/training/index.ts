// MedBridge training: the trainable policy on top of a frozen model pack, and its optimisation.
// Everything is Float32Array (Float64Array in gradient checks) with hand-derived gradients.
//
// Policy, per item with m options, base logits b, image features v, option text features t_j:
//   logits_j = b_j + s · (U v)·(W t_j) + (H v)_{label(j)},   p = softmax(logits / T)
//   U ∈ R^{r×dv} (small random), W ∈ R^{r×dt} (0), H ∈ R^{L×dv} (0, optional) — starts as the identity.
// SFT:   L = −log p_c.
// GRPO:  a_1..a_G ~ π_old; r_i = 1[a_i = c] (+ format hook); A_i = (r_i − mean_g r) / (std + 1e-4);
//        ρ_i = π_θ(a_i)/π_old(a_i); L = −mean_i[min(ρ_i A_i, clip(ρ_i, 1−ε_low, 1+ε_high) A_i) − β k3_i],
//        k3_i = r − log r − 1 with r = π_ref(a_i)/π_θ(a_i); μ Adam updates per sampled batch.
// GRPO-CARE: reference = EMA of θ (d = 0.995 every 10 steps), β = 0; the G answers are drawn
//        round-robin from the original option order and caller-supplied permuted views (mapped back
//        to original indices); a correct answer with consistency ½(π_ref(a | its view) + mean over
//        views of π_ref(a)) ≥ mean over the group's correct answers − margin gets +0.5 reward.
// Optimiser: bias-corrected Adam(W) after global L2 gradient clipping.
export * from './float-array.ts';
export * from './softmax.ts';
export * from './adapter.ts';
export * from './adapter-codec.ts';
export * from './train-item.ts';
export * from './sft-loss.ts';
export * from './grpo-advantages.ts';
export * from './grpo-loss.ts';
export * from './grpo-care.ts';
export * from './grpo-rollout.ts';
export * from './batch-objectives.ts';
export * from './adam.ts';
export * from './clip-grad.ts';
export * from './trainer-step.ts';
export * from './trainer-state-codec.ts';
export * from './apply-adapter.ts';
