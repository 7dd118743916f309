// Data verbs: import, datasets, modality, balance, versions.
import { resolve } from 'node:path';
import type { Job } from '../../shared/api/jobs.ts';
import type { Result } from '../../shared/errors.ts';
import { definedOnly, flagNumber, flagString, type ParsedArgs } from './args.ts';
import type { CallClient } from './call-client.ts';
import { UsageError, print, waitForJob } from './cli-output.ts';
import { MONTAGE_DEFAULT_SLICES, MONTAGE_MAX_SLICES, type VolumeMode } from '../../shared/volume-slices.ts';

const SOURCES: Record<string, string> = {
  medmnist: 'medmnist',
  pmcvqa: 'pmc-vqa',
  'pmc-vqa': 'pmc-vqa',
  dicom: 'dicom',
  'vqa-rad': 'vqa-rad',
  vqarad: 'vqa-rad',
  slake: 'slake',
  'image-folder': 'image-folder',
  images: 'image-folder',
};

const VOLUME_USAGE = `--volume every-slice | middle-slice | most-tissue | montage[:N] (N = 2–${MONTAGE_MAX_SLICES}, default ${MONTAGE_DEFAULT_SLICES})`;

/** `--volume` of a DICOM or MedMNIST 3D import: which slices of each series or volume become items. */
export function volumeFlag(value: string | undefined): VolumeMode | undefined {
  if (value === undefined) return undefined;
  const [mode, n, ...more] = value.split(':');
  if (more.length === 0 && n === undefined && (mode === 'every-slice' || mode === 'middle-slice' || mode === 'most-tissue')) return { mode };
  if (mode === 'montage' && more.length === 0) {
    const slices = n === undefined ? MONTAGE_DEFAULT_SLICES : Number(n);
    if (Number.isInteger(slices) && slices >= 2 && slices <= MONTAGE_MAX_SLICES) return { mode, slices };
  }
  throw new UsageError(`'${value}' is not a volume mode: ${VOLUME_USAGE}`);
}

export async function importVerb(c: CallClient, sourceArg: string | undefined, path: string | undefined, args: ParsedArgs, json: boolean): Promise<number> {
  const source = sourceArg ? SOURCES[sourceArg] : undefined;
  if (!source || !path)
    throw new UsageError(
      'import medmnist|pmcvqa|vqa-rad|slake|image-folder|dicom PATH [--images DIR] [--labels CSV] [--task T] [--modality M] [--question Q] [--seed N] [--dates remove|shift] [--volume every-slice|middle-slice|most-tissue|montage[:N]] [--name NAME]',
    );
  // Paths are made absolute here: a running host that receives them may have another working directory.
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(p));
  const input = definedOnly({
    source,
    path: resolve(path),
    images: abs(flagString(args, 'images')),
    labels: abs(flagString(args, 'labels')),
    task: flagString(args, 'task'),
    modality: flagString(args, 'modality'),
    question: flagString(args, 'question'),
    seed: flagNumber(args, 'seed'),
    dates: flagString(args, 'dates'),
    shiftDays: flagNumber(args, 'shift-days'),
    name: flagString(args, 'name'),
    split: flagString(args, 'split'),
    volume: volumeFlag(flagString(args, 'volume')),
  });
  const started = await c.call('datasets:import', input);
  if (!started.ok) return print(json, started, () => '');
  const { dataset, job, created } = started.value as { dataset: string; job: Job; created: boolean };
  const finished = await waitForJob(c, job.id, json);
  const detail = await c.call('datasets:get', { id: dataset, rejectionsLimit: 100_000 });
  if (!detail.ok) return print(json, detail, () => '');
  const d = detail.value as {
    imported: number;
    rejected: number;
    duplicates: number;
    quarantined: number;
    warnings: number;
    byModality: Record<string, number>;
    bySplit: Record<string, number>;
    rejections: Array<{ file: string; row: number | null; code: string; reason: string }>;
    quarantine: Array<{ file: string; reason: string }>;
    deidentification: unknown;
  };
  const out = {
    dataset,
    created,
    job: finished.id,
    state: finished.state,
    ...(finished.error ? { error: finished.error } : {}),
    imported: d.imported,
    rejected: d.rejections.map((r) => ({ file: r.file, ...(r.row !== null ? { row: r.row } : {}), code: r.code, reason: r.reason })),
    duplicates: d.duplicates,
    quarantined: d.quarantined,
    quarantine: d.quarantine.map((q) => ({ file: q.file, reason: q.reason })),
    warnings: d.warnings,
    byModality: d.byModality,
    bySplit: d.bySplit,
    deidentification: d.deidentification,
  };
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    if (!created) process.stdout.write(`The same content was imported before, as dataset ${dataset}; nothing new was imported.\n`);
    process.stdout.write(
      `Dataset ${dataset}: ${d.imported} items imported, ${d.rejected} rejected, ${d.duplicates} duplicate images, ${d.quarantined} quarantined (${finished.state}).\n`,
    );
    for (const r of d.rejections.slice(0, 20)) process.stdout.write(`  rejected ${r.file}${r.row !== null ? ` row ${r.row}` : ''}: ${r.reason}\n`);
    if (d.rejections.length > 20) process.stdout.write(`  … and ${d.rejections.length - 20} more (use --json for all)\n`);
  }
  // A failed import says why on stderr in both modes (the code names the problem, the message the path).
  if (finished.error) process.stderr.write(`Error [${finished.error.code}]: ${finished.error.message}\n`);
  return finished.state === 'done' ? 0 : 1;
}

export async function datasetsVerb(c: CallClient, sub: string | undefined, rest: string[], json: boolean): Promise<number> {
  if (sub === 'list')
    return print(
      json,
      await c.call('datasets:list', {}),
      (v) =>
        (v as Array<{ id: string; name: string; imported: number; rejected: number; state: string }>)
          .map((d) => `${d.id}  ${d.state}  ${d.imported} items, ${d.rejected} rejected  ${d.name}`)
          .join('\n') || 'No datasets.',
    );
  if (sub === 'show' && rest[0]) return print(json, await c.call('datasets:get', { id: rest[0] }), (v) => JSON.stringify(v, null, 2));
  if (sub === 'delete' && rest[0]) {
    return print(json, await c.call('datasets:delete', { id: rest[0] }), (v) => {
      const d = v as { deleted: string; name: string; items: number; issues: number };
      return `Deleted dataset ${d.deleted} (${d.name}): ${d.items} items and ${d.issues} import issues; its stored image files stay.`;
    });
  }
  throw new UsageError('datasets list | datasets show ID | datasets delete ID');
}

export async function modalityVerb(c: CallClient, sub: string | undefined, rest: string[], args: ParsedArgs, json: boolean): Promise<number> {
  if (sub === 'override') {
    const modality = flagString(args, 'modality');
    if (!modality || rest.length === 0) throw new UsageError('modality override ITEM... --modality M [--reason TEXT]');
    return print(
      json,
      await c.call('modality:override', definedOnly({ items: rest, modality, reason: flagString(args, 'reason') })),
      (v) => `Changed ${(v as { changed: number }).changed} item(s).`,
    );
  }
  if (sub === 'label') {
    const dataset = flagString(args, 'dataset') ?? rest[0];
    if (!dataset) throw new UsageError('modality label --dataset ID [--threshold 0.6]');
    const started = await c.call('modality:label', definedOnly({ datasetId: dataset, threshold: flagNumber(args, 'threshold') }));
    if (!started.ok) return print(json, started, () => '');
    const job = await waitForJob(c, (started.value as Job).id, json);
    process.stdout.write(
      json ? `${JSON.stringify({ job: job.id, state: job.state, ...(job.result ?? {}) })}\n` : `${job.state}: ${JSON.stringify(job.result)}\n`,
    );
    return job.state === 'done' ? 0 : 1;
  }
  throw new UsageError('modality label --dataset ID | modality override ITEM... --modality M');
}

function parseQuotas(v: string | undefined): 'equal' | Record<string, number> | undefined {
  if (v === undefined || v === 'equal') return v;
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const [k, n] = part.split('=');
    if (!k || n === undefined || !Number.isInteger(Number(n))) throw new UsageError('--quotas equal | modality=N,modality=N');
    out[k.trim()] = Number(n);
  }
  return out;
}

export function balanceInput(args: ParsedArgs): Record<string, unknown> {
  const datasets = flagString(args, 'datasets') ?? flagString(args, 'dataset');
  if (!datasets)
    throw new UsageError(
      'balance --datasets ID[,ID…] [--total 8000] [--quotas equal|ct=100,…] [--split source|patient-random] [--ratios 0.8,0.1,0.1] [--seed N] [--near 4] [--exclude none,…] [--preview]',
    );
  const ratios = flagString(args, 'ratios')?.split(',').map(Number);
  const split = flagString(args, 'split');
  return definedOnly({
    datasets: datasets
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    total: flagNumber(args, 'total'),
    quotas: parseQuotas(flagString(args, 'quotas')),
    seed: flagNumber(args, 'seed'),
    excludeModalities: flagString(args, 'exclude')?.split(',').filter(Boolean),
    dedupe: flagString(args, 'near') !== undefined ? { exact: true, nearHammingMax: flagNumber(args, 'near') } : undefined,
    split: split || ratios ? definedOnly({ mode: split, ratios: ratios ? { train: ratios[0], val: ratios[1], test: ratios[2] } : undefined }) : undefined,
    name: flagString(args, 'name'),
  });
}

export async function balanceVerb(c: CallClient, args: ParsedArgs, json: boolean): Promise<number> {
  const input = balanceInput(args);
  const r: Result<unknown> = await c.call(args.flags.has('preview') ? 'versions:preview' : 'versions:create', input);
  return print(json, r, (v) => {
    const s = v as { id?: string; n: number; created?: boolean; notes?: string[] };
    return s.id
      ? `Dataset version ${s.id}: ${s.n} items${s.created === false ? ' (already existed)' : ''}`
      : `Preview: ${s.n} items. ${(s.notes ?? []).join(' ')}`;
  });
}

export async function versionsVerb(c: CallClient, sub: string | undefined, rest: string[], json: boolean): Promise<number> {
  if (sub === 'list')
    return print(
      json,
      await c.call('versions:list', {}),
      (v) => (v as Array<{ id: string; n: number; name: string }>).map((x) => `${x.id}  ${x.n} items  ${x.name}`).join('\n') || 'No dataset versions.',
    );
  if (sub === 'show' && rest[0])
    return print(json, await c.call('versions:show', { id: rest[0] }), (v) => {
      const d = v as { id: string; n: number; counts: Record<string, Record<string, number>>; notes: string[] };
      return [
        `${d.id}: ${d.n} items`,
        `  by split: ${JSON.stringify(d.counts.bySplit)}`,
        `  by modality: ${JSON.stringify(d.counts.byModality)}`,
        `  by correct letter: ${JSON.stringify(d.counts.byLetter)}`,
        ...d.notes.map((n) => `  note: ${n}`),
      ].join('\n');
    });
  throw new UsageError('versions list | versions show ID');
}
