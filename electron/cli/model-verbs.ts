// Model and diagnosis verbs: models add|list, diagnose (with --dump of per-item probabilities), probe, recommend,
// runs list|show|compare. Jobs run to their end with progress on an interactive stderr.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Job } from '../../shared/api/jobs.ts';
import type { ModelPackSummary } from '../../shared/api/models.ts';
import type { ProbeReport, RunDetail, RunItem, RunSummary, StoredRecommendation } from '../../shared/api/runs.ts';
import type { Result } from '../../shared/errors.ts';
import type { MetricsReport } from '../../shared/metrics/index.ts';
import { definedOnly, flagNumber, flagString, modelRef, type ParsedArgs } from './args.ts';
import type { CallClient } from './call-client.ts';
import { UsageError, print, waitForJob } from './cli-output.ts';

/** Items per runs:items page when dumping. */
const DUMP_PAGE = 5000;
export const DUMP_FILE = 'items.jsonl';

function fail(json: boolean, r: Result<unknown>): number {
  return print(json, r, () => '');
}

/** A source that exists here is sent as a full path; anything else as typed, so a hub id is refused by name. */
function sourceArg(source: string): string {
  return existsSync(source) ? resolve(source) : source;
}

/** models convert HF_FOLDER --out PACK [--dtype fp32]: a conversion job to its end, then the registered pack. */
async function convertVerb(c: CallClient, source: string, args: ParsedArgs, json: boolean): Promise<number> {
  const out = flagString(args, 'out');
  if (!out) throw new UsageError('models convert HF_FOLDER --out PACK_FOLDER [--dtype fp32]');
  const started = await c.call('models:convert', definedOnly({ source: sourceArg(source), out: resolve(out), dtype: flagString(args, 'dtype') }));
  if (!started.ok) return fail(json, started);
  const job = await waitForJob(c, (started.value as Job).id, json);
  if (job.state !== 'done') {
    const error = job.error ?? { code: 'job/failed', message: `The conversion job ended ${job.state}.` };
    return fail(json, { ok: false, error: { ...error, detail: { ...(error.detail ?? {}), job: job.id, state: job.state } } });
  }
  const converted: Result<unknown> = { ok: true, value: { job: job.id, ...job.result } };
  return print(json, converted, (v) => {
    const r = v as { packId: string; path: string; files: number; bytes: number; conversion: { sourceSha256: string; libraries: Record<string, string> } };
    return `Converted and registered VLM pack ${r.packId}\n  ${r.path}: ${r.files} files, ${r.bytes} bytes\n  source identity ${r.conversion.sourceSha256}\n  ${Object.entries(
      r.conversion.libraries,
    )
      .map(([k, ver]) => `${k} ${ver}`)
      .join(', ')}`;
  });
}

export async function modelsVerb(c: CallClient, sub: string | undefined, rest: string[], json: boolean, args?: ParsedArgs): Promise<number> {
  if (sub === 'convert' && rest[0] && args) return convertVerb(c, rest[0], args, json);
  if (sub === 'add' && rest[0]) {
    return print(json, await c.call('models:add', { path: resolve(rest[0]) }), (v) => {
      const p = v as ModelPackSummary & { created: boolean };
      return `${p.created ? 'Registered' : 'Already registered'} ${p.kind} pack ${p.id}\n  ${p.label}\n  ${p.files} files, ${p.bytes} bytes, ${p.path}`;
    });
  }
  if (sub === 'list')
    return print(
      json,
      await c.call('models:list', {}),
      (v) =>
        (v as ModelPackSummary[]).map((p) => `${p.id.slice(0, 16)}  ${p.kind.padEnd(9)} ${p.name}  (${p.label})`).join('\n') || 'No model packs registered.',
    );
  throw new UsageError('models add PATH | models list | models convert HF_FOLDER --out PACK_FOLDER');
}

/** Runs a started run's job to its end; returns the finished run, or prints the job's error. */
async function finishRun(c: CallClient, started: Result<unknown>, json: boolean): Promise<{ code: number; run?: RunDetail; job?: Job }> {
  if (!started.ok) return { code: fail(json, started) };
  const { run, job } = started.value as { run: string; job: Job };
  const finished = await waitForJob(c, job.id, json);
  if (finished.state !== 'done') {
    const error = finished.error ?? { code: 'job/failed', message: `The ${job.kind} job ended ${finished.state}.` };
    return {
      code: fail(json, { ok: false, error: { ...error, detail: { ...(error.detail ?? {}), run, job: job.id, state: finished.state } } }),
      job: finished,
    };
  }
  const detail = await c.call('runs:get', { id: run });
  if (!detail.ok) return { code: fail(json, detail) };
  return { code: 0, run: detail.value as RunDetail, job: finished };
}

export async function diagnoseVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const version = flagString(args, 'version');
  if (!version)
    throw new UsageError(
      'diagnose --model M --version V [--k 1,2,4,8,16] [--split val|test|train|all] [--temperature 1] [--bootstrap 1000] [--seed N] [--batch 64] [--adapter RUN] [--dump DIR]',
    );
  const k = flagString(args, 'k');
  const ks = k?.split(',').map((x) => Number(x.trim()));
  if (ks?.some((x) => !Number.isInteger(x))) throw new UsageError('--k takes whole numbers separated by commas, e.g. 1,2,4,8,16');
  const input = definedOnly({
    model: modelRef(args),
    version,
    split: flagString(args, 'split'),
    ks,
    temperature: flagNumber(args, 'temperature'),
    bootstrap: flagNumber(args, 'bootstrap'),
    seed: flagNumber(args, 'seed'),
    batchSize: flagNumber(args, 'batch'),
    adapter: flagString(args, 'adapter'),
  });
  const { code, run, job } = await finishRun(c, await c.call('runs:diagnose', input), json);
  if (!run) return code;
  const report = run.metrics as MetricsReport;
  const dumpDir = flagString(args, 'dump');
  let dumped: string | null = null;
  if (dumpDir) {
    dumped = await dumpItems(c, run.id, dumpDir);
    if (dumped === null) return 1;
  }
  const out = {
    run: run.id,
    pack: run.pack,
    version: run.version,
    split: run.split,
    job: job?.id,
    overall: report.overall,
    byModality: report.byModality,
    byTask: report.byTask,
    bySplit: report.bySplit,
    config: report.config,
    cache: run.cache,
    environment: run.environment,
    ...(dumped ? { dump: dumped } : {}),
  };
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${formatDiagnosis(run, report)}${dumped ? `\nPer-item probabilities: ${dumped}` : ''}\n`);
  return 0;
}

/** Writes one JSON line per item: {item, probs (displayed order), correct, modality, task, split, question, options (displayed order), image (blob hash)}. */
async function dumpItems(c: CallClient, run: string, dir: string): Promise<string | null> {
  const lines: string[] = [];
  for (let offset = 0; ; offset += DUMP_PAGE) {
    const page = await c.call('runs:items', { id: run, offset, limit: DUMP_PAGE });
    if (!page.ok) {
      fail(false, page);
      return null;
    }
    const { total, items } = page.value as { total: number; items: RunItem[] };
    for (const x of items)
      lines.push(
        JSON.stringify({
          item: x.item,
          probs: x.probs,
          correct: x.correct,
          modality: x.modality,
          task: x.task,
          split: x.split,
          question: x.question,
          options: x.options,
          image: x.imageHash,
        }),
      );
    if (offset + DUMP_PAGE >= total) break;
  }
  mkdirSync(dir, { recursive: true });
  const path = join(resolve(dir), DUMP_FILE);
  writeFileSync(path, lines.length ? `${lines.join('\n')}\n` : '');
  return path;
}

function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)}%`;
}

function formatDiagnosis(run: RunDetail, r: MetricsReport): string {
  const ks = r.config.ks.map(String);
  const line = (name: string, g: MetricsReport['overall']) =>
    `  ${name.padEnd(22)} n=${String(g.n).padEnd(5)} Acc@1 ${pct(g.acc1)} [${pct(g.acc1Ci[0])}–${pct(g.acc1Ci[1])}]  ` +
    ks.map((k) => `P@${k} ${pct(g.passAtK[k])} (chance ${pct(g.chanceAtK[k])})`).join('  ');
  return [
    `Diagnosis ${run.id} (${run.packLabel}) on ${run.version} split ${run.split}, provider ${(run.environment.executionProvider as { provider?: string } | null)?.provider ?? '?'}`,
    line('overall', r.overall),
    ...Object.entries(r.byModality).map(([m, g]) => line(`modality ${m}`, g)),
    ...Object.entries(r.byTask).map(([t, g]) => line(`task ${t}`, g)),
    `  feature cache: ${run.cache.hits} hits, ${run.cache.misses} misses`,
  ].join('\n');
}

export async function probeVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const version = flagString(args, 'version');
  if (!version) throw new UsageError('probe --model M --version V [--reference-accuracy 0.9] [--seed N]');
  const input = definedOnly({ model: modelRef(args), version, referenceAccuracy: flagNumber(args, 'reference-accuracy'), seed: flagNumber(args, 'seed') });
  const { code, run } = await finishRun(c, await c.call('runs:probe', input), json);
  if (!run) return code;
  const report = run.metrics as ProbeReport;
  const out = { run: run.id, pack: run.pack, version: run.version, dim: report.dim, byTask: report.byTask, cache: run.cache, environment: run.environment };
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    process.stdout.write(`Linear probe ${run.id} (${run.packLabel}), ${report.dim}-dimensional features\n`);
    for (const t of Object.values(report.byTask)) {
      const ci = t.accuracyCi ? ` [${pct(t.accuracyCi[0])}–${pct(t.accuracyCi[1])}]` : '';
      const vlm = t.vlm ? `; VLM Acc@1 ${pct(t.vlm.acc1)}` : '';
      process.stdout.write(
        `  ${t.task.padEnd(24)} probe ${pct(t.accuracy)}${ci} on ${t.counts.test} test items (L2 ${t.l2 ?? '—'})${vlm}${t.note ? ` — ${t.note}` : ''}\n`,
      );
    }
  }
  return 0;
}

export async function recommendVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const run = flagString(args, 'run');
  if (!run) throw new UsageError('recommend --run R [--k 8] [--support-target 0.8] [--sharpen-gap 0.1] [--perception-margin 0.1]');
  const thresholds = definedOnly({
    supportTarget: flagNumber(args, 'support-target'),
    sharpenGap: flagNumber(args, 'sharpen-gap'),
    perceptionMargin: flagNumber(args, 'perception-margin'),
  });
  const input = definedOnly({ run, k: flagNumber(args, 'k'), thresholds: Object.keys(thresholds).length ? thresholds : undefined });
  return print(json, await c.call('runs:recommend', input), (v) => {
    const s = v as StoredRecommendation;
    const rows = [
      ...(s.recipe.overall ? [['overall', s.recipe.overall] as const] : []),
      ...Object.entries(s.recipe.byModality).map(([m, d]) => [`modality ${m}`, d] as const),
      ...Object.entries(s.recipe.byTask).map(([t, d]) => [`task ${t}`, d] as const),
    ];
    return [
      `Recommendation for ${s.run} at K=${s.recipe.k}${s.probeRun ? ` (probe ${s.probeRun})` : ' (no probe run yet)'}`,
      ...rows.map(([scope, d]) => `  ${scope.padEnd(24)} ${d.decision}${d.uncertain ? ' (uncertain)' : ''}: ${d.rule}`),
    ].join('\n');
  });
}

export async function runsVerb(c: CallClient, sub: string | undefined, rest: string[], args: ParsedArgs, json: boolean): Promise<number> {
  if (sub === 'list')
    return print(
      json,
      await c.call('runs:list', definedOnly({ kind: flagString(args, 'kind'), version: flagString(args, 'version') })),
      (v) =>
        (v as RunSummary[]).map((r) => `${r.id}  ${r.kind.padEnd(9)} ${r.state.padEnd(11)} ${r.version ?? ''} ${r.split ?? ''}  n=${r.n}`).join('\n') ||
        'No runs.',
    );
  if (sub === 'show' && rest[0]) return print(json, await c.call('runs:get', { id: rest[0] }), (v) => JSON.stringify(v, null, 2));
  if (sub === 'compare' && rest[0] && rest[1]) return print(json, await c.call('runs:compare', { a: rest[0], b: rest[1] }), (v) => JSON.stringify(v, null, 2));
  throw new UsageError('runs list [--kind diagnose|probe] | runs show ID | runs compare A B');
}
