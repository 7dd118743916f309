// Opens a pack's ONNX graphs with one execution provider, walking the provider candidates and falling
// back (to CPU last). A graph that even CPU cannot load is reported as model/corrupt-onnx naming it;
// a graph without the inputs/outputs the manifest declares is model/unsupported-architecture.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createWithFallback, type ExecutionProviderChoice, type ProviderCandidate } from './execution-provider.ts';
import type { GraphSpec } from './manifest.ts';
import { ModelError } from './model-error.ts';

class GraphLoadError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * ONNX Runtime's pool threads busy-wait between operators by default. Here (2 cores, small graphs, the worker's
 * own JavaScript on the same cores) that waiting cost 2–2.5× the run time of the reference pack (bench: diagnose),
 * so pool threads sleep instead.
 */
export const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } as const;

export interface OpenedSessions<K extends string> {
  sessions: Record<K, ort.InferenceSession>;
  choice: ExecutionProviderChoice;
}

function checkSignature(session: ort.InferenceSession, spec: GraphSpec): void {
  const missingIn = spec.inputs.filter((n) => !session.inputNames.includes(n));
  const missingOut = spec.outputs.filter((n) => !session.outputNames.includes(n));
  if (missingIn.length || missingOut.length) {
    throw new ModelError(
      'model/unsupported-architecture',
      `graph lacks declared ${[...missingIn.map((n) => `input ${n}`), ...missingOut.map((n) => `output ${n}`)].join(', ')}`,
      { file: spec.file },
    );
  }
}

export async function openSessions<K extends string>(
  dir: string,
  graphs: Record<K, GraphSpec>,
  candidates: readonly ProviderCandidate[],
): Promise<OpenedSessions<K>> {
  const keys = Object.keys(graphs) as K[];
  try {
    const { value, choice } = await createWithFallback(candidates, async (provider) => {
      const opened: Partial<Record<K, ort.InferenceSession>> = {};
      try {
        for (const k of keys) {
          const spec = graphs[k];
          try {
            opened[k] = await ort.InferenceSession.create(join(dir, spec.file), {
              executionProviders: [provider],
              graphOptimizationLevel: 'all',
              extra: NO_SPINNING,
            });
          } catch (e) {
            throw new GraphLoadError(spec.file, e);
          }
        }
      } catch (e) {
        await Promise.all(Object.values<ort.InferenceSession | undefined>(opened).map((s) => s?.release()));
        throw e;
      }
      return opened as Record<K, ort.InferenceSession>;
    });
    try {
      for (const k of keys) checkSignature(value[k], graphs[k]);
    } catch (e) {
      await Promise.all(keys.map((k) => value[k].release()));
      throw e;
    }
    return { sessions: value, choice };
  } catch (e) {
    if (e instanceof GraphLoadError) throw new ModelError('model/corrupt-onnx', `ONNX Runtime cannot load the graph: ${e.message}`, { file: e.file, cause: e });
    throw e;
  }
}
