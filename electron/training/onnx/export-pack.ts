// A trained run as a runnable model pack outside MedBridge: the frozen reference pack's three graphs (copied, each
// checked against the base manifest's SHA-256) + `adapter_head.onnx` (the trained adapter, adapter-head.ts) +
// README.md (provenance, not a medical device) + manifest.json (kind "reference" with a fourth graph "adapterHead";
// every file listed with its SHA-256, so `models add` verifies the folder like any pack). The reference runner
// applies an "adapterHead" graph after the answer head when a manifest declares one, so diagnosing the exported pack
// scores what `diagnose --adapter RUN` scores on the base pack.
//
// The folder is written beside its target under a temporary name (every file temp → fsync → rename, storage/atomic-file.ts)
// and renamed into place, then the folder and its parent are fsynced, so a failed export or a crash leaves no half-written
// pack where the caller asked for one. The caller records the export in the audit log and removes the folder with
// `removeExportedPack` if that record fails, so no exported pack exists without its audit entry.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { canonicalJson } from '../../../shared/canonical-json.ts';
import { AppError } from '../../../shared/errors.ts';
import { MANIFEST_FILE, ModelPackManifest, type PackFile } from '../../models/manifest.ts';
import { computePackId } from '../../models/pack-identity.ts';
import { deserializeAdapter } from '../adapter-codec.ts';
import { fsyncDirectory, writeFileAtomic } from '../../storage/atomic-file.ts';
import { ADAPTER_HEAD_INITIALIZERS, ADAPTER_HEAD_INPUTS, ADAPTER_HEAD_OUTPUT, AdapterExportError, adapterHeadOnnx } from './adapter-head.ts';

export const ADAPTER_HEAD_FILE = 'adapter_head.onnx';
export const ADAPTER_HEAD_GRAPH = 'adapterHead';
export const EXPORT_README = 'README.md';
export const ONNX_EXPORT_FORMAT = 'medbridge-onnx-pack/v1';
/** Files the export writes itself; a base pack that lists one of them cannot be exported (it would be overwritten). */
export const EXPORT_OWN_FILES: readonly string[] = [ADAPTER_HEAD_FILE, EXPORT_README, MANIFEST_FILE];

/** What the export needs to know about the training run (read from the workspace by the caller). */
export interface ExportedRunInfo {
  run: string;
  algorithm: string;
  /** The run's stored config (JSON text, as in runs.config); its hash names the configuration. */
  configJson: string;
  seed: number;
  version: string | null;
  initRun: string | null;
  /** SHA-256 of the adapter blob (runs.adapter_hash). */
  adapterHash: string;
  /** The serialised adapter (adapter-codec.ts). */
  adapterBytes: Uint8Array;
  /** The frozen base pack: its id and folder. */
  basePack: string;
  basePackDir: string;
  /** Audit head (seq, hash) when the export was made — the export's own entry follows it. */
  auditHead: { seq: number; hash: string };
  /** Validation numbers of the run, for the README (optional). */
  val?: { n: number; acc1: number; passAtK: Record<string, number> } | null;
  producerVersion?: string;
}

export interface OnnxPackExport {
  out: string;
  /** Id of the exported pack (SHA-256 over its listed files, as `models add` computes it). */
  pack: string;
  basePack: string;
  run: string;
  adapterHash: string;
  configHash: string;
  files: PackFile[];
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of the run's configuration as canonical JSON (shared/canonical-json.ts: keys sorted, no spaces). */
export function configHashOf(configJson: string): string {
  return sha256(canonicalJson(JSON.parse(configJson)));
}

function readBaseManifest(dir: string): ModelPackManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path))
    throw new AppError('model/missing-file', `The base model pack folder ${dir} has no ${MANIFEST_FILE}.`, { path: dir, file: MANIFEST_FILE });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new AppError(
      'model/invalid-manifest',
      `The base model pack's ${MANIFEST_FILE} in ${dir} is not valid JSON (${e.message}); the pack folder was changed or damaged after it was registered.`,
      { path: dir, file: MANIFEST_FILE },
    );
  }
  const parsed = ModelPackManifest.safeParse(json);
  if (!parsed.success)
    throw new AppError('model/invalid-manifest', `The base model pack's ${MANIFEST_FILE} does not match the schema.`, { path: dir, file: MANIFEST_FILE });
  return parsed.data;
}

/** The target must be absent or an empty folder; nothing is overwritten. */
function checkTarget(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory() || readdirSync(out).length > 0) {
    throw new AppError('export/out-not-empty', `${out} already exists and is not an empty folder; choose a new folder for the exported pack.`, { out });
  }
}

function readme(info: ExportedRunInfo, base: ModelPackManifest, configHash: string, head: string): string {
  const val = info.val
    ? `Validation (the run's own val split, n = ${info.val.n}): Accuracy@1 ${info.val.acc1.toFixed(4)}, ${Object.entries(info.val.passAtK)
        .map(([k, v]) => `Pass@${k} ${v.toFixed(4)}`)
        .join(', ')}.`
    : '';
  return `# ${base.name} + trained adapter (run ${info.run})

**Not a medical device.** This folder is a research artefact exported by MedBridge so that a review board or another
site can run exactly what was trained. It must not be used for diagnosis, triage or any clinical decision.
Base pack intended use: ${base.intendedUse}

## Provenance

| | |
|---|---|
| format | ${ONNX_EXPORT_FORMAT} |
| training run | ${info.run} (${info.algorithm}${info.initRun ? `, started from run ${info.initRun}` : ', started from the base pack'}) |
| config hash | ${configHash} (SHA-256 of the run's configuration as canonical JSON: keys sorted, no whitespace) |
| seed | ${info.seed} |
| dataset version | ${info.version ?? '(none)'} |
| adapter blob | ${info.adapterHash} (SHA-256 of the serialised adapter in the workspace) |
| base pack | ${info.basePack} (${base.name} ${base.version}) |
| audit head at export | ${head} (the export's own \`training:export-onnx\` audit entry follows it) |

${val}

## Files

- \`${base.graphs.vision?.file ?? 'vision_encoder.onnx'}\`, \`${base.graphs.optionEncoder?.file ?? 'option_encoder.onnx'}\`, \`${base.graphs.answerHead?.file ?? 'answer_head.onnx'}\`: the frozen base pack's graphs, unchanged.
- \`${ADAPTER_HEAD_FILE}\` (ONNX opset 17): the trained adapter.
  Inputs \`${ADAPTER_HEAD_INPUTS[0]}\` [batch, ${base.featureDims.image}] (the vision output; the mean over an item's images),
  \`${ADAPTER_HEAD_INPUTS[1]}\` [batch, options, ${base.featureDims.option}] (the option encoder's output),
  \`${ADAPTER_HEAD_INPUTS[2]}\` [batch, options] (the answer head's scores); output \`${ADAPTER_HEAD_OUTPUT}\` [batch, options]:

      option_logits = base_logits + s · (U · image_features) · (W · option_features)

  with \`${ADAPTER_HEAD_INITIALIZERS.u}\` [rank, ${base.featureDims.image}], \`${ADAPTER_HEAD_INITIALIZERS.w}\` [rank, ${base.featureDims.option}] and \`${ADAPTER_HEAD_INITIALIZERS.scale}\` as initializers.
  Option probabilities are softmax(option_logits / T) over an item's real options (T is in the model metadata,
  \`medbridge.temperature\`; MedBridge's diagnosis uses its own temperature setting, default 1).
- \`${MANIFEST_FILE}\`: preprocessing, text encoding and every file above with its SHA-256 (this README included);
  \`medbridge models add <this folder>\` checks them and runs the adapter head after the answer head.
`;
}

/** Writes the exported pack folder `out` and returns what was written. Throws coded AppErrors. */
export function exportOnnxPack(info: ExportedRunInfo, out: string): OnnxPackExport {
  checkTarget(out);
  const base = readBaseManifest(info.basePackDir);
  if (base.kind !== 'reference') {
    throw new AppError(
      'model/unsupported-architecture',
      `Run ${info.run} was trained on a "${base.kind}" pack; only adapters on reference packs can be exported as an ONNX pack in this version of MedBridge.`,
      { run: info.run, kind: base.kind },
    );
  }
  if (base.graphs[ADAPTER_HEAD_GRAPH]) {
    throw new AppError(
      'model/unsupported-architecture',
      `Run ${info.run} was trained on a pack that already carries an adapter head; stacked adapters cannot be exported in this version of MedBridge.`,
      { run: info.run, pack: info.basePack },
    );
  }
  const clash = base.files.find((f) => EXPORT_OWN_FILES.includes(f.path));
  if (clash) {
    throw new AppError(
      'export/base-file-conflict',
      `The base pack of run ${info.run} has its own ${clash.path}, which the export writes (${EXPORT_OWN_FILES.join(', ')}); this pack cannot be exported in this version of MedBridge.`,
      { run: info.run, pack: info.basePack, file: clash.path },
    );
  }
  if (computePackId(base.files) !== info.basePack) {
    throw new AppError(
      'model/hash-mismatch',
      `The folder ${info.basePackDir} no longer holds the pack run ${info.run} was trained on (${info.basePack.slice(0, 12)}…).`,
      { path: info.basePackDir, pack: info.basePack },
    );
  }
  if (sha256(info.adapterBytes) !== info.adapterHash)
    throw new AppError('blob/hash-mismatch', `The stored adapter of run ${info.run} does not match its hash.`, { run: info.run, hash: info.adapterHash });
  const adapter = deserializeAdapter(info.adapterBytes);
  if (adapter.config.imageDim !== base.featureDims.image || adapter.config.textDim !== base.featureDims.option) {
    throw new AppError(
      'model/unsupported-architecture',
      `The adapter of run ${info.run} expects features of size ${adapter.config.imageDim}/${adapter.config.textDim}; the base pack gives ${base.featureDims.image}/${base.featureDims.option}.`,
      { run: info.run },
    );
  }
  const configHash = configHashOf(info.configJson);
  const head = `#${info.auditHead.seq} ${info.auditHead.hash}`;
  let headBytes: Uint8Array;
  try {
    headBytes = adapterHeadOnnx(adapter, {
      producerVersion: info.producerVersion ?? '',
      metadata: {
        'medbridge.run': info.run,
        'medbridge.algorithm': info.algorithm,
        'medbridge.config_sha256': configHash,
        'medbridge.adapter_sha256': info.adapterHash,
        'medbridge.base_pack': info.basePack,
        'medbridge.audit_head': head,
        'medbridge.not_a_medical_device': 'true',
      },
    });
  } catch (e) {
    if (e instanceof AdapterExportError) throw new AppError('export/adapter-not-exportable', `Run ${info.run}: ${e.message}.`, { run: info.run });
    throw e;
  }

  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const temp = join(parent, `.${basename(out)}.partial-${randomBytes(6).toString('hex')}`);
  mkdirSync(temp);
  try {
    const files: PackFile[] = [];
    const dirs = new Set<string>([temp]);
    const put = (path: string, bytes: Uint8Array) => {
      const target = join(temp, ...path.split('/'));
      for (let d = dirname(target); d !== temp; d = dirname(d)) dirs.add(d);
      writeFileAtomic(target, bytes);
      files.push({ path, sha256: sha256(bytes), bytes: bytes.length });
    };
    for (const f of base.files) {
      const bytes = readFileSync(join(info.basePackDir, f.path));
      if (sha256(bytes) !== f.sha256)
        throw new AppError('model/hash-mismatch', `${f.path} in the base pack does not match its SHA-256; the base pack was changed after it was registered.`, {
          path: info.basePackDir,
          file: f.path,
        });
      put(f.path, bytes);
    }
    put(ADAPTER_HEAD_FILE, headBytes);
    put(EXPORT_README, new TextEncoder().encode(readme(info, base, configHash, head)));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const manifest: ModelPackManifest = {
      ...base,
      name: `${base.name}+${info.algorithm}-${info.run.slice(0, 12)}`,
      version: `${base.version}+run.${info.run.slice(0, 12)}`,
      label: `${base.name} + ${info.algorithm} adapter (run ${info.run.slice(0, 12)}) - not a medical device`,
      notMedicalDevice: true,
      files,
      graphs: {
        ...base.graphs,
        [ADAPTER_HEAD_GRAPH]: { file: ADAPTER_HEAD_FILE, inputs: [...ADAPTER_HEAD_INPUTS], outputs: [ADAPTER_HEAD_OUTPUT] },
      },
      training: {
        format: ONNX_EXPORT_FORMAT,
        run: info.run,
        algorithm: info.algorithm,
        initRun: info.initRun,
        seed: info.seed,
        version: info.version,
        configSha256: configHash,
        adapterSha256: info.adapterHash,
        adapter: { rank: adapter.config.rank, scale: adapter.config.scale, temperature: adapter.config.temperature },
        basePack: info.basePack,
        basePackTraining: base.training ?? null,
        auditHead: info.auditHead,
      },
    };
    ModelPackManifest.parse(manifest);
    writeFileAtomic(join(temp, MANIFEST_FILE), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
    // Each file's folder was fsynced by writeFileAtomic; the pack's sub-folders' entries in their parents here, deepest first.
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncDirectory(d);
    if (existsSync(out)) rmdirSync(out);
    renameSync(temp, out);
    fsyncDirectory(out);
    fsyncDirectory(parent);
    return { out, pack: computePackId(files), basePack: info.basePack, run: info.run, adapterHash: info.adapterHash, configHash, files };
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

/** Undoes an export whose audit entry could not be recorded: the folder goes, so no unaudited pack remains. */
export function removeExportedPack(out: string): void {
  rmSync(out, { recursive: true, force: true });
  fsyncDirectory(dirname(out));
}
