// The model-pack manifest (`manifest.json` beside the ONNX files): what the pack is, which files it
// holds (with SHA-256), how images are prepared, graph input/output names, feature sizes, licence
// and intended use. Every pack says it is not a medical device.
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA_VERSION = 1;
export const MODEL_PACK_KINDS = ['vision', 'vlm', 'reference'] as const;

/** The graph key of a pack's image encoder (kind vision: the only graph; kind reference: one of three). */
export const VISION_GRAPH = 'vision';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');

/** A pack-relative path with forward slashes that cannot leave the pack folder. */
export const PackRelativePath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'must be a relative path inside the pack (forward slashes, no "..")',
  );

export const PackFile = z.object({
  path: PackRelativePath,
  sha256: Sha256Hex,
  bytes: z.number().int().nonnegative(),
});
export type PackFile = z.infer<typeof PackFile>;

const Triple = z.tuple([z.number(), z.number(), z.number()]);

export const Preprocessing = z.object({
  /** [height, width] of the model input. */
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  channels: z.union([z.literal(1), z.literal(3)]),
  greyToRgb: z.literal('replicate'),
  resize: z.literal('bilinear-antialiased'),
  mean: Triple,
  std: Triple.refine((s) => s.every((v) => v > 0), 'std must be positive'),
  /** Multiplier from 8-bit values to the range mean/std refer to (1/255). */
  scale: z.number().positive(),
});
export type Preprocessing = z.infer<typeof Preprocessing>;

export const GraphSpec = z.object({
  file: PackRelativePath,
  inputs: z.array(z.string().min(1)).min(1),
  outputs: z.array(z.string().min(1)).min(1),
});
export type GraphSpec = z.infer<typeof GraphSpec>;

export const ModelPackManifest = z
  .object({
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
    kind: z.enum(MODEL_PACK_KINDS),
    name: z.string().min(1),
    version: z.string().min(1),
    /** Shown wherever the pack is named, e.g. "reference model - not a medical device". */
    label: z.string().min(1),
    notMedicalDevice: z.literal(true),
    intendedUse: z.string().min(1),
    licence: z.object({ weights: z.string().min(1), trainingData: z.array(z.string()).optional() }),
    /** For `vlm` packs: the Hugging Face `model_type` the runner must support (e.g. "llava"). */
    architecture: z.string().min(1).optional(),
    files: z.array(PackFile).min(1),
    preprocessing: Preprocessing.optional(),
    textEncoding: z.object({ kind: z.literal('hashed-char-trigram'), dim: z.number().int().positive() }).optional(),
    graphs: z.record(z.string(), GraphSpec),
    /** `image`: the vision embedding size. `option`: per-option text embedding size (kind vision has no option
     *  encoder and ignores it; give the image size). */
    featureDims: z.object({ image: z.number().int().positive(), option: z.number().int().positive() }),
    /** How a `vlm` pack was made from a Hugging Face folder by `models convert` (electron/models/convert/). */
    conversion: z
      .object({
        converter: z.string().min(1),
        sourceFolder: z.string().min(1),
        /** Pack-identity SHA-256 over every file of the source folder. */
        sourceSha256: Sha256Hex,
        sourceFiles: z.number().int().positive(),
        dtype: z.string().min(1),
        python: z.string().min(1),
        libraries: z.record(z.string(), z.string()),
      })
      .optional(),
    /** Free-form provenance written by the build script (seed, tasks, held-out metrics). */
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    const listed = new Set(m.files.map((f) => f.path));
    if (listed.size !== m.files.length) ctx.addIssue({ code: 'custom', path: ['files'], message: 'duplicate file path' });
    for (const [key, g] of Object.entries(m.graphs)) {
      if (!listed.has(g.file)) ctx.addIssue({ code: 'custom', path: ['graphs', key, 'file'], message: `${g.file} is not in files` });
    }
    if (m.kind !== 'vlm' && !m.preprocessing) ctx.addIssue({ code: 'custom', path: ['preprocessing'], message: `required for kind ${m.kind}` });
    if (m.kind === 'vision' && !m.graphs[VISION_GRAPH])
      ctx.addIssue({ code: 'custom', path: ['graphs', VISION_GRAPH], message: 'required for kind vision (the image encoder)' });
    if (m.kind === 'reference' && !m.textEncoding) ctx.addIssue({ code: 'custom', path: ['textEncoding'], message: 'required for kind reference' });
    if (m.kind === 'vlm' && !m.architecture) ctx.addIssue({ code: 'custom', path: ['architecture'], message: 'required for kind vlm' });
  });
export type ModelPackManifest = z.infer<typeof ModelPackManifest>;
