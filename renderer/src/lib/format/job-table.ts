// The Jobs table in words: per job its kind (SFT, GRPO, import of MedMNIST BreastMNIST…), the dataset or version it
// worked on, progress in its unit, how long it took, its outcome (done / stopped early at step N / failed with the
// reason / cancelled at …), the page its run is shown on, whether Resume can succeed (shared/job-resume.ts, the
// host's rule), and its raw parameters and result as readable entries. Pure: no DOM, no state; unit-tested in
// tests/unit/renderer/job-table.test.ts.
import type { Job } from '../../../../shared/api/jobs.ts';
import type { RunSplit } from '../../../../shared/api/runs.ts';
import { resumeRefusal } from '../../../../shared/job-resume.ts';
import { getMedMnistTask } from '../../../../shared/medmnist-tasks.ts';
import { runIdForJob } from '../../../../shared/run-ids.ts';
import { trainAlgorithmWord } from '../../../../shared/training-algorithms.ts';
import { formatCount, formatDuration, shortHash } from './format.ts';
import { selectionQuery } from './diagnose-selection.ts';
import { jobName, jobUnit, type Tone } from './jobs.ts';
import { hrefFor, type StepId } from '../routes.ts';

/** What a job came to, for the outcome column and its filter. */
export type OutcomeKey = 'active' | 'done' | 'stopped-early' | 'failed' | 'cancelled' | 'interrupted';

export const OUTCOME_LABEL: Readonly<Record<OutcomeKey, string>> = {
  active: 'Running or queued',
  done: 'Done',
  'stopped-early': 'Stopped early',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** Names the table shows instead of ids, from the lists the app already holds (datasets:list, versions:list). */
export interface JobNames {
  datasets: Readonly<Record<string, string>>;
  versions: Readonly<Record<string, string>>;
}

export const NO_NAMES: JobNames = { datasets: {}, versions: {} };

export interface JobOutcomeText {
  key: OutcomeKey;
  text: string;
  tone: Tone;
}

export interface RunLink {
  run: string;
  step: StepId;
  href: string;
  /** The link's words: the page it opens. */
  label: string;
}

export interface JobRow {
  id: string;
  /** "SFT", "GRPO", "Import of MedMNIST BreastMNIST", "Diagnosis"… */
  kind: string;
  /** The kind filter's group: the training algorithm, else the kind without its subject ("Import"). */
  kindGroup: string;
  /** The dataset or version the job worked on (names where known). */
  subject: string;
  progress: string;
  duration: string;
  outcome: JobOutcomeText;
  run: RunLink | null;
  /** Null when Resume can succeed (or is not relevant: see `resumable`); else why it is not offered. */
  resumeRefusal: string | null;
  resumable: boolean;
}

/** shared/api/datasets.ts ImportSource `source`, in words. */
const SOURCE_WORDS: Readonly<Record<string, string>> = {
  medmnist: 'MedMNIST',
  'pmc-vqa': 'PMC-VQA',
  'vqa-rad': 'VQA-RAD',
  slake: 'SLAKE',
  'image-folder': 'an image folder',
  dicom: 'a DICOM folder',
};

/** shared/api/runs.ts RunSplit. */
const SPLITS: readonly RunSplit[] = ['train', 'val', 'test', 'all'];

/** Singular of a progress unit ("1 step", "1 file"). */
const UNIT_SINGULAR: Readonly<Record<string, string>> = { files: 'file', items: 'item', steps: 'step', runs: 'run', images: 'image' };

/** Durations under this many seconds get decimals (a 0.46 s check would otherwise read "0 s"). */
const DECIMAL_SECONDS_BELOW = 10;

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The last part of a POSIX or Windows path. */
export function fileName(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((p) => p.length > 0)
      .pop() ?? path
  );
}

/**
 * Absolute paths (POSIX or Windows) in a message; each is shown as its last part in the table (whole in the details).
 * A path is taken up to its first space, so one with spaces is shortened only that far.
 */
const ABSOLUTE_PATH = /(?:[A-Za-z]:)?(?:[\\/][^\s\\/:;,"'()]+){2,}[\\/]?/g;

/** "Nothing was imported from /data/x/breastmnist.npz: …" → "Nothing was imported from breastmnist.npz: …". */
export function shortenPaths(message: string): string {
  return message.replace(ABSOLUTE_PATH, (p) => fileName(p));
}

/** "0.46 s", "4.2 s", then as formatDuration ("12 s", "2 min 05 s"); "—" when unknown. */
export function formatElapsed(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < DECIMAL_SECONDS_BELOW) return `${seconds.toFixed(1)} s`;
  return formatDuration(seconds);
}

/** "SFT", "GRPO", "Import of MedMNIST BreastMNIST", "Diagnosis"… (where a run started from is in its details). */
export function kindInWords(job: Pick<Job, 'kind' | 'params'>): string {
  const p = job.params;
  if (job.kind === 'train') return trainAlgorithmWord(String(p.algorithm)) ?? jobName('train');
  if (job.kind === 'transfer') return `Transfer matrix (${trainAlgorithmWord(String(p.algorithm)) ?? 'GRPO'})`;
  if (job.kind === 'import') {
    const source = String(p.source);
    const words = SOURCE_WORDS[source] ?? source;
    if (source === 'medmnist') {
      const task = str(p.task) ? getMedMnistTask(String(p.task)) : undefined;
      // "BreastMNIST (breast ultrasound)" → "BreastMNIST": the short name the release uses
      return task ? `Import of ${words} ${task.title.split(' (')[0]}` : `Import of ${words}`;
    }
    return `Import of ${words}`;
  }
  if (job.kind === 'diagnose' && str(p.adapter)) return 'Diagnosis of a trained adapter';
  return jobName(job.kind);
}

/** The kind filter's group: training runs by algorithm, transfer by itself, everything else by its kind. */
export function kindGroup(job: Pick<Job, 'kind' | 'params'>): string {
  if (job.kind === 'train') return kindInWords(job);
  if (job.kind === 'diagnose') return jobName('diagnose');
  return jobName(job.kind);
}

function versionName(id: unknown, names: JobNames): string {
  const v = str(id);
  if (!v) return '—';
  return names.versions[v] ?? v;
}

/** The dataset or version a job worked on. */
export function subjectOf(job: Pick<Job, 'kind' | 'params' | 'result'>, names: JobNames = NO_NAMES): string {
  const p = job.params;
  switch (job.kind) {
    case 'import': {
      const dataset = str(job.result?.dataset);
      return (dataset ? names.datasets[dataset] : undefined) ?? str(p.name) ?? (str(p.path) ? fileName(String(p.path)) : '—');
    }
    case 'label-modality': {
      const dataset = str(p.datasetId);
      return dataset ? (names.datasets[dataset] ?? dataset) : '—';
    }
    case 'diagnose':
      return `${versionName(p.version, names)} · ${str(p.split) ?? 'val'} split`;
    case 'probe':
    case 'train':
      return versionName(p.version, names);
    case 'transfer': {
      const train = (p.train ?? {}) as { tasks?: unknown; modalities?: unknown };
      const on = [train.tasks, train.modalities].flatMap((x) => (Array.isArray(x) ? x.map(String) : []));
      return on.length > 0 ? `${versionName(p.version, names)} · trained on ${on.join(', ')}` : versionName(p.version, names);
    }
    case 'register-model':
      return str(p.path) ? fileName(String(p.path)) : '—';
    case 'convert-model':
      return str(p.source) ? `${fileName(String(p.source))}${str(p.out) ? ` → ${fileName(String(p.out))}` : ''}` : '—';
    case 'verify-blobs':
      return 'every stored file';
    case 'compact-images':
      return 'every item image';
    default:
      return '—';
  }
}

function unitFor(kind: string, n: number): string {
  const unit = jobUnit(kind);
  return n === 1 ? (UNIT_SINGULAR[unit] ?? unit) : unit;
}

/** "40 / 300 steps", "780 items" (total not known), "—" before anything happened. */
export function progressText(job: Pick<Job, 'kind' | 'progress'>): string {
  const { done, total } = job.progress;
  if (total > 0) return `${formatCount(done)} / ${formatCount(total)} ${unitFor(job.kind, total)}`;
  if (done > 0) return `${formatCount(done)} ${unitFor(job.kind, done)}`;
  return '—';
}

/** Where a stopped job is: "step 40" for training, "12 of 60 files", or "780 items" when the total is not known. */
function stoppedAt(job: Pick<Job, 'kind' | 'progress'>): string {
  const { done, total } = job.progress;
  if (jobUnit(job.kind) === 'steps') return `step ${formatCount(done)}`;
  if (total > 0) return `${formatCount(done)} of ${formatCount(total)} ${unitFor(job.kind, total)}`;
  return `${formatCount(done)} ${unitFor(job.kind, done)}`;
}

/** Time from the job's start to its last change (to `now` while it is still active). */
export function durationSeconds(job: Pick<Job, 'state' | 'createdAt' | 'updatedAt'>, now: number): number | null {
  const start = Date.parse(job.createdAt);
  const active = job.state === 'queued' || job.state === 'running' || job.state === 'cancelling';
  const end = active ? now : Date.parse(job.updatedAt);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return null;
  return (end - start) / 1000;
}

function percentText(v: unknown): string | null {
  const x = num(v);
  return x === null ? null : `${(x * 100).toFixed(1)}%`;
}

/** What a finished job produced, in a few words (null when there is nothing short to say). */
function doneSummary(job: Pick<Job, 'kind' | 'result'>): { text: string; tone: Tone } | null {
  const r = job.result ?? {};
  switch (job.kind) {
    case 'import': {
      const imported = num(r.imported);
      if (imported === null) return null;
      const rejected = num(r.rejected) ?? 0;
      return { text: `${formatCount(imported)} ${imported === 1 ? 'item' : 'items'} imported, ${formatCount(rejected)} rejected`, tone: 'success' };
    }
    case 'diagnose': {
      const acc = percentText(r.acc1);
      const passKey = Object.keys(r).find((k) => /^passAt\d+$/.test(k));
      const pass = passKey ? percentText(r[passKey]) : null;
      if (!acc) return null;
      return { text: `Acc@1 ${acc}${pass && passKey ? `, Pass@${passKey.slice('passAt'.length)} ${pass}` : ''}`, tone: 'success' };
    }
    case 'train': {
      const acc = percentText(r.acc1);
      return acc ? { text: `val Acc@1 ${acc}`, tone: 'success' } : null;
    }
    case 'verify-blobs': {
      const checked = num(r.checked) ?? 0;
      const corrupt = Array.isArray(r.corrupt) ? r.corrupt.length : 0;
      if (corrupt > 0)
        return {
          text: `${corrupt} of ${checked} stored ${checked === 1 ? 'file does' : 'files do'} not match ${corrupt === 1 ? 'its' : 'their'} hash`,
          tone: 'danger',
        };
      return { text: `all ${checked} stored ${checked === 1 ? 'file matches its' : 'files match their'} hash`, tone: 'success' };
    }
    case 'compact-images': {
      const n = num(r.imagesRewritten) ?? 0;
      if (n === 0) return { text: 'no image to rewrite: grey images are already stored as grey', tone: 'success' };
      const mb = ((num(r.bytesRemoved) ?? 0) - (num(r.bytesOfNewFiles) ?? 0)) / 1e6;
      return { text: `${n} grey ${n === 1 ? 'image' : 'images'} rewritten as grey PNGs, ${mb.toFixed(1)} MB freed`, tone: 'success' };
    }
    case 'register-model':
    case 'convert-model': {
      const name = str(r.name);
      if (!name) return null;
      return { text: `pack ${name} ${r.created === false ? 'was already registered' : 'registered'}`, tone: 'success' };
    }
    default:
      return null;
  }
}

/** The job's outcome in words, and the filter it falls under. */
export function outcomeOf(job: Pick<Job, 'kind' | 'state' | 'progress' | 'result' | 'error'>): JobOutcomeText {
  switch (job.state) {
    case 'queued':
      return { key: 'active', text: 'queued', tone: 'neutral' };
    case 'running':
      return {
        key: 'active',
        text: `running, at ${stoppedAt(job)}${job.progress.rate > 0 && job.progress.etaSeconds !== null ? `, ${formatDuration(job.progress.etaSeconds)} left` : ''}`,
        tone: 'active',
      };
    case 'cancelling':
      return { key: 'active', text: `cancelling at ${stoppedAt(job)}…`, tone: 'warning' };
    case 'cancelled':
      return { key: 'cancelled', text: `cancelled at ${stoppedAt(job)}`, tone: 'warning' };
    case 'interrupted':
      return { key: 'interrupted', text: `interrupted at ${stoppedAt(job)}`, tone: 'warning' };
    case 'failed':
      return { key: 'failed', text: `failed: ${job.error ? shortenPaths(job.error.message) : 'no reason was recorded'}`, tone: 'danger' };
    case 'done':
      break;
  }
  const r = job.result ?? {};
  if (job.kind === 'train' || job.kind === 'transfer') {
    // where it stopped; the step whose adapter was kept is in the details (result.keptStep)
    const at = formatCount(job.progress.done);
    if (r.stopReason === 'early-stopping') return { key: 'stopped-early', text: `stopped early at step ${at}`, tone: 'success' };
    if (r.stopReason === 'support-collapse') return { key: 'stopped-early', text: `stopped by the support guard at step ${at}`, tone: 'warning' };
  }
  const summary = doneSummary(job);
  return { key: 'done', text: summary ? `done: ${summary.text}` : 'done', tone: summary?.tone ?? 'success' };
}

/**
 * The page a job's run is shown on: Bridge for SFT, Sharpen for GRPO and transfer, Diagnose for a diagnosis of the
 * pack as it is (with its model, version and split picked) and for the probe. A diagnosis of a trained adapter is
 * shown after its training run, so it links to that run's step (found among `trainSteps`).
 */
export function runLink(job: Pick<Job, 'id' | 'kind' | 'params' | 'result'>, trainSteps: ReadonlyMap<string, StepId> = new Map()): RunLink | null {
  const p = job.params;
  const run = str(job.result?.run) ?? runIdForJob(job.id);
  const link = (step: StepId, query = ''): RunLink => ({
    run,
    step,
    href: hrefFor(step, query),
    label: step === 'bridge' ? 'Bridge' : step === 'sharpen' ? 'Sharpen' : 'Diagnose',
  });
  switch (job.kind) {
    case 'train':
      return link(p.algorithm === 'sft' ? 'bridge' : 'sharpen');
    case 'transfer':
      return link('sharpen');
    case 'diagnose': {
      const adapter = str(p.adapter);
      if (adapter) {
        const step = trainSteps.get(adapter);
        return step ? link(step) : null;
      }
      const split = str(p.split);
      return link('diagnose', selectionQuery({ model: str(p.pack), version: str(p.version), split: SPLITS.find((x) => x === split) ?? 'val', k: null }));
    }
    case 'probe':
      return link('diagnose', probeQuery(str(p.pack), str(p.version)));
    default:
      return null;
  }
}

/** Diagnose's model and version pickers for a probe (a probe has no split). */
function probeQuery(model: string | null, version: string | null): string {
  const q = new URLSearchParams();
  if (model) q.set('model', model);
  if (version) q.set('version', version);
  return q.toString();
}

/** Training runs (by run id) and the step that shows them, for linking diagnoses of their adapters. */
export function trainingSteps(jobs: readonly Pick<Job, 'id' | 'kind' | 'params' | 'result'>[]): Map<string, StepId> {
  const out = new Map<string, StepId>();
  for (const j of jobs) {
    if (j.kind !== 'train') continue;
    out.set(str(j.result?.run) ?? runIdForJob(j.id), j.params.algorithm === 'sft' ? 'bridge' : 'sharpen');
  }
  return out;
}

/** One row per job, in the order given. `now` (ms) times jobs still running. */
export function jobRows(jobs: readonly Job[], names: JobNames, now: number): JobRow[] {
  const steps = trainingSteps(jobs);
  return jobs.map((job) => {
    const refusal = resumeRefusal(job);
    return {
      id: job.id,
      kind: kindInWords(job),
      kindGroup: kindGroup(job),
      subject: subjectOf(job, names),
      progress: progressText(job),
      duration: formatElapsed(durationSeconds(job, now)),
      outcome: outcomeOf(job),
      run: runLink(job, steps),
      resumable: refusal === null,
      resumeRefusal: refusal,
    };
  });
}

// ---- filters -----------------------------------------------------------------------------------------------------

export interface JobFilter {
  /** A `kindGroup`, or null for every kind. */
  kind: string | null;
  outcome: OutcomeKey | null;
}

export const NO_FILTER: JobFilter = { kind: null, outcome: null };

export function filterRows<R extends Pick<JobRow, 'kindGroup' | 'outcome'>>(rows: readonly R[], f: JobFilter): R[] {
  return rows.filter((r) => (f.kind === null || r.kindGroup === f.kind) && (f.outcome === null || r.outcome.key === f.outcome));
}

export interface FilterOption<V> {
  value: V;
  label: string;
  count: number;
}

/** The kinds and outcomes present, with their counts (kinds in first-seen order, outcomes in OUTCOME_LABEL order). */
export function filterOptions(rows: readonly Pick<JobRow, 'kindGroup' | 'outcome'>[]): { kinds: FilterOption<string>[]; outcomes: FilterOption<OutcomeKey>[] } {
  const kinds = new Map<string, number>();
  const outcomes = new Map<OutcomeKey, number>();
  for (const r of rows) {
    kinds.set(r.kindGroup, (kinds.get(r.kindGroup) ?? 0) + 1);
    outcomes.set(r.outcome.key, (outcomes.get(r.outcome.key) ?? 0) + 1);
  }
  return {
    kinds: [...kinds].map(([value, count]) => ({ value, label: value, count })),
    outcomes: (Object.keys(OUTCOME_LABEL) as OutcomeKey[])
      .filter((k) => outcomes.has(k))
      .map((k) => ({ value: k, label: OUTCOME_LABEL[k], count: outcomes.get(k) ?? 0 })),
  };
}

// ---- details -----------------------------------------------------------------------------------------------------

/** One line of a job's folded details: a dotted key and its value as text, or a hash shown short. */
export type DetailEntry = { key: string; kind: 'text'; value: string } | { key: string; kind: 'hash'; value: string };

/** Nesting shown as dotted keys (config.guard.margin); deeper objects are summarised. */
const MAX_DETAIL_DEPTH = 3;
/** Scalars of an array listed before "… N more". */
const MAX_LISTED = 6;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A number as people read it, by what its key says it is: seconds, bytes, MB, a fraction, a count. */
export function formatDetailNumber(key: string, n: number): string {
  const leaf = key.split('.').pop() ?? key;
  if (/seconds$/i.test(leaf)) return formatElapsed(n);
  if (/bytes$/i.test(leaf)) return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (/Mb$/.test(leaf)) return `${formatCount(n)} MB`;
  if (Number.isInteger(n)) return Math.abs(n) >= 10_000 && !/seed/i.test(leaf) ? formatCount(n) : String(n);
  // three significant digits: 0.7317073170731707 → 0.732, 0.000123456 → 0.000123
  return String(Number(n.toPrecision(3)));
}

function scalarText(key: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return formatDetailNumber(key, v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** A parameters or result record as flat, readable entries (hashes marked so they are shown short). */
export function detailEntries(record: Readonly<Record<string, unknown>> | null, prefix = '', depth = 1): DetailEntry[] {
  if (!record) return [];
  const out: DetailEntry[] = [];
  for (const [k, v] of Object.entries(record)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' && SHA256_HEX.test(v)) out.push({ key, kind: 'hash', value: v });
    else if (Array.isArray(v)) {
      if (v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) {
        const shown = v.slice(0, MAX_LISTED).map((x) => (typeof x === 'string' && SHA256_HEX.test(x) ? shortHash(x) : scalarText(key, x)));
        out.push({
          key,
          kind: 'text',
          value: v.length === 0 ? 'none' : `${shown.join(', ')}${v.length > MAX_LISTED ? `, … ${v.length - MAX_LISTED} more` : ''}`,
        });
      } else out.push({ key, kind: 'text', value: `${v.length} ${v.length === 1 ? 'entry' : 'entries'}` });
    } else if (v !== null && typeof v === 'object') {
      if (depth < MAX_DETAIL_DEPTH) out.push(...detailEntries(v as Record<string, unknown>, key, depth + 1));
      else out.push({ key, kind: 'text', value: `${Object.keys(v).length} fields` });
    } else out.push({ key, kind: 'text', value: scalarText(key, v) });
  }
  return out;
}
