// Model packs: register a local folder (its files verified against their SHA-256, identified by the pack id) and list them.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { Job } from './jobs.ts';
import { AbsolutePath, AbsolutePathOrHubId } from './local-path.ts';

export const ModelPackKind = z.enum(['vision', 'vlm', 'reference']);
export type ModelPackKind = z.infer<typeof ModelPackKind>;

export const ModelPackSummary = z.object({
  /** SHA-256 over the pack's files (electron/models/pack-identity.ts). */
  id: z.string(),
  name: z.string(),
  kind: ModelPackKind,
  label: z.string(),
  path: z.string(),
  architecture: z.string().nullable(),
  files: z.number().int(),
  bytes: z.number().int(),
  addedAt: z.string(),
});
export type ModelPackSummary = z.infer<typeof ModelPackSummary>;

export const RegisterModelParams = z.strictObject({ path: AbsolutePath });
export type RegisterModelParams = z.infer<typeof RegisterModelParams>;

/** Numeric precision of a converted pack's graphs: fp32 (exact), fp16 (half the size), q8 (int8 weights, a quarter). */
export const ConvertDtype = z.enum(['fp32', 'fp16', 'q8']);
export const ConvertModelParams = z.strictObject({
  /** A local Hugging Face VLM folder (config.json + safetensors + tokenizer + processor). A hub id is refused. */
  source: AbsolutePathOrHubId,
  /** Where the pack is written: a full path to a folder that does not exist yet or is empty. */
  out: AbsolutePath,
  dtype: ConvertDtype.default('fp32'),
});
export type ConvertModelParams = z.infer<typeof ConvertModelParams>;

export const modelsCalls = {
  'models:add': defineCall({
    name: 'models:add',
    summary: 'Register a model-pack folder after checking every file against its SHA-256 (audited; adding the same pack again changes nothing).',
    mutates: true,
    input: z.strictObject({ path: AbsolutePath }),
    output: ModelPackSummary.extend({ created: z.boolean() }),
  }),
  'models:register': defineCall({
    name: 'models:register',
    summary:
      'Register a model-pack folder as a job: its files are hashed in a worker with progress in MB (large packs take minutes); on success the pack is listed (audited in job:done).',
    mutates: true,
    input: RegisterModelParams,
    output: Job,
  }),
  'models:register-reference': defineCall({
    name: 'models:register-reference',
    summary: 'Register the reference model pack shipped with MedBridge (the host knows where it is installed), as a models:register job.',
    mutates: true,
    input: z.strictObject({}),
    output: Job,
  }),
  'models:convert': defineCall({
    name: 'models:convert',
    summary:
      'Convert a local Hugging Face VLM folder into a model pack (ONNX graphs + manifest with every SHA-256 and the conversion provenance) as a job with progress, then register it (audited in job:done). Needs the Python environment (npm run setup:engines).',
    mutates: true,
    input: ConvertModelParams,
    output: Job,
  }),
  'models:list': defineCall({
    name: 'models:list',
    summary: 'Registered model packs.',
    mutates: false,
    input: z.strictObject({}),
    output: z.array(ModelPackSummary),
  }),
} as const;
