// Options of a metrics computation, resolved to the full configuration recorded in every report.
import { z } from 'zod';
import { DEFAULT_BOOTSTRAP_SAMPLES, DEFAULT_CONFIDENCE, DEFAULT_ECE_BINS, DEFAULT_METRICS_SEED, DEFAULT_PASS_AT_K, MAX_PASS_AT_K, Z_95 } from './constants.ts';
import { normalQuantile } from './normal-quantile.ts';
import { normalizeKs } from './pass-at-k.ts';

export interface MetricsOptions {
  /** K values (integers 1..64); default DEFAULT_PASS_AT_K. */
  ks?: readonly number[];
  /** Bootstrap resamples B; default 1000. */
  bootstrapSamples?: number;
  /** Seed of the bootstrap; default 0. */
  seed?: number;
  /** Two-sided level of every interval; default 0.95. */
  confidence?: number;
  /** ECE bins; default 15. */
  eceBins?: number;
}

export const MetricsConfig = z.object({
  ks: z.array(z.number().int().min(1).max(MAX_PASS_AT_K)).min(1),
  bootstrapSamples: z.number().int().min(1),
  seed: z.number().int(),
  confidence: z.number().gt(0).lt(1),
  /** Normal quantile used by the Wilson interval at this confidence. */
  z: z.number().positive(),
  eceBins: z.number().int().min(1),
});
export type MetricsConfig = z.infer<typeof MetricsConfig>;

export function resolveMetricsConfig(options: MetricsOptions = {}): MetricsConfig {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const config: MetricsConfig = {
    ks: normalizeKs(options.ks ?? DEFAULT_PASS_AT_K),
    bootstrapSamples: options.bootstrapSamples ?? DEFAULT_BOOTSTRAP_SAMPLES,
    seed: options.seed ?? DEFAULT_METRICS_SEED,
    confidence,
    z: confidence === DEFAULT_CONFIDENCE ? Z_95 : normalQuantile(1 - (1 - confidence) / 2),
    eceBins: options.eceBins ?? DEFAULT_ECE_BINS,
  };
  return MetricsConfig.parse(config);
}
