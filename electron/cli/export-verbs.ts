// `export --run R --out DIR`: a finished training run as a runnable ONNX model pack (the base pack's graphs +
// adapter_head.onnx + manifest.json with every file's SHA-256 + a provenance README). `--json` prints
// {out, run, pack, basePack, adapterHash, configHash, auditHead, files: [{path, sha256, bytes}]}.
import { resolve } from 'node:path';
import { flagString, type ParsedArgs } from './args.ts';
import type { CallClient } from './call-client.ts';
import { UsageError, print } from './cli-output.ts';

export const EXPORT_ONNX_USAGE = 'export --run R --out DIR   (a finished sft / grpo / grpo-care / transfer run)';

export async function exportOnnxVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const run = flagString(args, 'run');
  const out = flagString(args, 'out');
  if (!run || !out) throw new UsageError(EXPORT_ONNX_USAGE);
  return print(json, await c.call('training:export-onnx', { run, out: resolve(out) }), (v) => {
    const r = v as { out: string; run: string; pack: string; files: Array<{ path: string; sha256: string; bytes: number }> };
    return [
      `Exported run ${r.run} as an ONNX model pack in ${r.out} (pack id ${r.pack}):`,
      ...r.files.map((f) => `  ${f.sha256}  ${f.path} (${f.bytes} bytes)`),
      'Run it elsewhere with onnxruntime (see its README.md), or here with "models add DIR" and "diagnose --model DIR". Not a medical device.',
    ].join('\n');
  });
}
