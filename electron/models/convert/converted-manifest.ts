// manifest.json of a converted pack: kind vlm, every file with its SHA-256 and size, the three graphs, feature sizes
// and the conversion provenance (source folder identity, converter, Python and library versions). Checked against
// the manifest schema before it is written.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../file-hash.ts';
import { MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, ModelPackManifest } from '../manifest.ts';
import { vlmGraphFile, type VlmDtype } from '../vlm-folder.ts';

export interface ConvertedPackInfo {
  name: string;
  architecture: string;
  hiddenSize: number;
  conversion: NonNullable<ModelPackManifest['conversion']>;
}

/** Pack-relative paths of every file under `dir` (sorted), manifest.json excluded. */
export async function listPackFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listPackFiles(dir, rel)));
    else if (rel !== MANIFEST_FILE) out.push(rel);
  }
  return out.sort();
}

export async function packManifestFor(dir: string, files: readonly string[], info: ConvertedPackInfo): Promise<ModelPackManifest> {
  const listed = [];
  for (const path of files) listed.push({ path, sha256: await sha256File(join(dir, path)), bytes: (await stat(join(dir, path))).size });
  const decoderInputs = ['inputs_embeds', 'attention_mask', 'position_ids'];
  const dtype = info.conversion.dtype as VlmDtype;
  return ModelPackManifest.parse({
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    kind: 'vlm',
    name: info.name,
    version: info.conversion.sourceSha256.slice(0, 12),
    label: `${info.name} (${info.architecture}, ${dtype}, converted) - not a medical device`,
    notMedicalDevice: true,
    intendedUse: "Research evaluation and adaptation inside MedBridge; the source model's own licence and intended use apply.",
    licence: { weights: 'as stated by the source model folder (see its licence file or model card)' },
    architecture: info.architecture,
    files: listed,
    graphs: {
      embedTokens: { file: vlmGraphFile('embed_tokens', dtype), inputs: ['input_ids'], outputs: ['inputs_embeds'] },
      vision: { file: vlmGraphFile('vision_encoder', dtype), inputs: ['pixel_values'], outputs: ['image_features'] },
      decoder: { file: vlmGraphFile('decoder_model_merged', dtype), inputs: decoderInputs, outputs: ['logits'] },
    },
    featureDims: { image: info.hiddenSize, option: info.hiddenSize },
    conversion: info.conversion,
  });
}
