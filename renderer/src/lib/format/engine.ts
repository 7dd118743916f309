// "Run on an engine" (Bridge and Sharpen steps): which requests go to training:export and training:import, checked
// before any call, and the words shown for their results. Pure, unit-tested under plain Node.
import type { CallOutput } from '../../../../shared/api/index.ts';
import { isAbsolutePath } from '../../../../shared/paths.ts';
import { checkExportFolder } from './export.ts';

export type EngineName = 'trl' | 'verl' | 'easyr1';
export type EngineExport = CallOutput<'training:export'>;
export type EngineImport = CallOutput<'training:import'>;

export const ENGINE_CHOICES: ReadonlyArray<{ value: EngineName; label: string; where: string }> = [
  { value: 'trl', label: 'TRL (one GPU workstation, LoRA)', where: 'on the GPU workstation' },
  { value: 'verl', label: 'verl (GPU cluster, Ray)', where: 'on the cluster’s head node' },
  { value: 'easyr1', label: 'EasyR1 (GPU cluster)', where: 'on the cluster’s head node' },
];

export interface EngineExportRequest {
  engine: EngineName;
  version: string;
  out: string;
  baseModel: string;
  algorithm?: 'sft' | 'grpo';
}

/** The export request, or why it cannot be sent: the base model must be a model folder on this computer (a hub name is
 *  refused: nothing is downloaded), the job folder a full path to a new or empty folder. SFT runs on TRL only. */
export function checkEngineExport(
  engine: EngineName,
  step: 'bridge' | 'sharpen',
  version: string | null,
  baseModel: string,
  out: string,
): { ok: true; request: EngineExportRequest } | { ok: false; error: string } {
  if (!version) return { ok: false, error: 'Freeze a dataset version and pick it in Diagnose first.' };
  if (step === 'bridge' && engine !== 'trl') return { ok: false, error: 'Bridging (SFT) on an engine runs on TRL; verl and EasyR1 run GRPO.' };
  const base = baseModel.trim();
  if (!base) return { ok: false, error: 'Enter the folder of the base model (a Hugging Face folder with config.json and .safetensors weights).' };
  if (!isAbsolutePath(base)) return { ok: false, error: `Give the full path of the base model folder, not ${base}: a model-hub name is not downloaded.` };
  const folder = checkExportFolder(out);
  if (!folder.ok) return folder;
  return {
    ok: true,
    request: { engine, version, out: folder.out, baseModel: base, ...(engine === 'trl' ? { algorithm: step === 'bridge' ? 'sft' : 'grpo' } : {}) },
  };
}

/** The commands to run where the engine is, then to bring the result back. */
export function engineCommands(r: EngineExport): { run: string; smoke: string | null; back: string } {
  return {
    run: `cd ${r.out} && ./launch.sh`,
    smoke: r.engine === 'trl' ? `cd ${r.out} && ./launch.sh --max-steps 2 --cpu` : null,
    back: `medbridge import-run ${r.out}`,
  };
}

export function checkImportFolder(dir: string): { ok: true; dir: string } | { ok: false; error: string } {
  const d = dir.trim();
  if (!d) return { ok: false, error: 'Enter the job folder the engine finished (it holds metrics.jsonl and checkpoint/).' };
  if (!isAbsolutePath(d)) return { ok: false, error: `Give the full path of the job folder, not ${d}.` };
  return { ok: true, dir: d };
}

/** One sentence about an imported engine run: engine, version, steps, hashes, and the pack to diagnose. */
export function importSummary(r: EngineImport): string {
  const engine = r.engine ? `${r.engine}${r.engineVersion ? ` ${r.engineVersion}` : ''}` : 'an external engine';
  const hashes = [
    r.configSha256 ? `config SHA-256 ${r.configSha256.slice(0, 12)}…` : null,
    r.baseModelSha256 ? `base model ${r.baseModelSha256.slice(0, 12)}…` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `Imported run ${r.run} trained by ${engine} (${r.steps} logged ${r.steps === 1 ? 'step' : 'steps'}${hashes ? `; ${hashes}` : ''}); its model is registered as pack ${r.pack.slice(0, 12)}… — pick it in Diagnose to measure it.`;
}
