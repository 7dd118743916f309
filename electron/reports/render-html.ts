// The report as one self-contained HTML page: inline CSS, inline SVG charts, no script and no external reference.
// Every number is a cited <data> element pointing at the bundle file and field it came from (cite.ts).
import { WORST_PER_TASK } from './failure-analysis.ts';
import type { MetricsReport, GroupMetrics } from '../../shared/metrics/index.ts';
import type { ProbeReport, StoredRecommendation } from '../../shared/api/runs.ts';
import type { ReportComment, Signature } from '../../shared/api/reports.ts';
import { AUDIT_FILE, DERIVED_FILE, REVIEW_FILE, STUDY_FILE, datasetFile, modelFile, runFile, versionFile, versionManifestFile } from './bundle-layout.ts';
import { SECTIONS, TRAINING_KINDS, sectionNumber, type SectionId } from './checklist.ts';
import { dec3, escapeHtml, int, interval, num, pct, plain, pp, secs, svgCite, valueAt, type PathPart, type Source } from './cite.ts';
import type { AuditExcerpt } from './audit-excerpt.ts';
import type { ReportDerived } from './report-derived.ts';
import { formatFingerprint } from '../audit/signing-key.ts';
import type { ReportData, RunRecord } from './report-data.ts';
import { PREFERRED_K, SUMMARY_FORMATS, kOf, reportTitle, summaryParts } from './report-summary.ts';
import { PALETTE, barChart, heatMap, lineChart, type Series } from './svg-charts.ts';

export interface ReviewRecord {
  report: string;
  version: number;
  signed: boolean;
  comments: ReportComment[];
  signatures: Signature[];
}

export interface RenderInput {
  data: ReportData;
  derived: ReportDerived;
  review: ReviewRecord;
  audit: AuditExcerpt;
  /** The Ed25519 key that signs the audit log and this bundle, and every key the workspace's log recorded (null: unsigned). */
  signing?: { fingerprint: string; keys: string[] } | null;
  /** Thumbnails of the items the failure analysis lists: blob SHA-256 → PNG bytes as base64. */
  thumbnails?: Record<string, string>;
}

function signingParagraph(signing: RenderInput['signing']): string {
  if (!signing) return '<p class="warn"><b>Audit log not signed:</b> hash chain only — it detects accidental or naive edits, not a rewrite.</p>';
  const others = signing.keys.filter((k) => k !== signing.fingerprint);
  return `<p><b>Audit signed by key <code class="hash">${e(formatFingerprint(signing.fingerprint))}</code></b> (Ed25519). Every audit-log entry and this bundle's <code>manifest.json</code> are signed with this key, which is kept outside the workspace by the MedBridge installation that made the report; <code>medbridge audit verify</code> detects a rewrite of the log or of this bundle by anyone who does not hold the key. It does not detect a rewrite by someone holding the key. Compare this fingerprint with the one <code>audit verify</code> prints.${others.length ? ` Other keys that signed this workspace's log (other installations): ${others.map((k) => `<code class="hash">${e(formatFingerprint(k))}</code>`).join(', ')}.` : ''}</p>`;
}

/** Full width of a chart on an A4 page (CSS px at 96 dpi inside 14 mm margins). */
const CHART_W = 680;
/** Two charts side by side. */
const HALF_W = 330;

const e = escapeHtml;
/** Diagnoses, and training runs whose validation produced a metrics report. */
const isDiagnosis = (r: RunRecord): boolean => r.metrics !== null && typeof (r.metrics as { overall?: unknown }).overall === 'object';
const isProbe = (r: RunRecord): boolean => r.kind === 'probe' && r.metrics !== null && (r.metrics as { kind?: unknown }).kind === 'probe';
const runSrc = (r: RunRecord): Source => ({ file: runFile(r.id), root: r });
const runName = (r: RunRecord): string => `Run ${r.position} · ${r.kind}`;
const code = (s: string): string => `<code>${e(s)}</code>`;
const shortHash = (h: string): string => `<code title="${e(h)}">${e(h.slice(0, 16))}…</code>`;

function h2(id: SectionId): string {
  const title = SECTIONS.find(([s]) => s === id)?.[1] ?? id;
  return `<h2 id="${id}">${sectionNumber(id)}. ${e(title)}</h2>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  if (!rows.length) return '<p class="muted">None.</p>';
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function countsTable(src: Source, path: PathPart[], counts: Record<string, number>, keyName: string): string {
  return table(
    [e(keyName), 'n'],
    Object.keys(counts).map((k) => [e(k), num(src, [...path, k], int)]),
    'narrow',
  );
}

/** Page 1's paragraph with the key numbers, each cited like the same number in the tables below. */
export function summaryParagraph(d: ReportData): string {
  const html = summaryParts(d).map((p) => {
    if ('text' in p) return e(p.text);
    const run = d.runs.find((r) => r.id === p.run) as RunRecord;
    return p.interval ? interval(runSrc(run), p.path, SUMMARY_FORMATS[p.format]) : num(runSrc(run), p.path, SUMMARY_FORMATS[p.format]);
  });
  return `<section class="summary" aria-labelledby="summary-title"><h2 id="summary-title" class="summary-title">Summary</h2><p data-testid="report-summary">${html.join('')}</p></section>`;
}

/** Diagnoses of trained adapters against the base diagnosis, item by item (the change page 1 quotes). */
export function changeTable(d: ReportData): string {
  const changed = d.runs.filter((r) => r.changeFromBase);
  if (!changed.length) return '';
  const rows = changed.map((r) => {
    const s = runSrc(r);
    const c = r.changeFromBase as NonNullable<RunRecord['changeFromBase']>;
    const base = d.runs.find((x) => x.id === c.base);
    const k = base && isDiagnosis(base) ? kOf(base, base.metrics as unknown as MetricsReport) : PREFERRED_K;
    const p: PathPart[] = ['changeFromBase', 'overall'];
    const K = String(k);
    return [
      `${e(runName(r))} ${code(r.id)}`,
      code(c.trainedBy),
      code(c.base),
      num(s, [...p, 'n'], int),
      num(s, [...p, 'acc1A'], pct),
      num(s, [...p, 'acc1B'], pct),
      `${num(s, [...p, 'deltaAcc1'], pp)} ${interval(s, [...p, 'deltaAcc1Ci'], pp)}`,
      `Pass@${k}: ${num(s, [...p, 'passAtKA', K], pct)} → ${num(s, [...p, 'passAtKB', K], pct)}, ${num(s, [...p, 'deltaPassAtK', K], pp)} ${interval(s, [...p, 'deltaPassAtKCi', K], pp)}`,
    ];
  });
  return `<h3 id="change-from-base">Change from the base model (paired, same items)</h3>
  <p class="small">Each diagnosis of a trained adapter against the study's diagnosis of the base pack on the same dataset version and split, item by item: Δ = after − before, intervals from a paired bootstrap over the shared items (the base diagnosis's B, seed and confidence).</p>
  ${table(['diagnosis', 'trained by', 'base diagnosis', 'n', 'Accuracy@1 before', 'after', 'Δ Accuracy@1 [CI]', 'Pass@K before → after, Δ [CI]'], rows, 'metrics')}`;
}

// ---------------------------------------------------------------- sections

function scope(d: ReportData): string {
  const src: Source = { file: STUDY_FILE, root: d.study };
  const rows = d.runs.map((r) => [num(runSrc(r), ['position'], int), e(r.kind), code(r.id), e(r.state), r.version ? code(r.version) : '—', e(r.split ?? '—')]);
  return `${h2('scope')}
  <p><b>Intended use (stated for this study):</b> ${d.study.intendedUse ? e(d.study.intendedUse) : '<span class="warn">Not stated when the study was created.</span>'}</p>
  <p><b>Scope of the software:</b> MedBridge measures a vision-language model on a frozen, content-hashed dataset version (Accuracy@1 vs Pass@K, linear probe of the vision tower), adapts it with supervised fine-tuning and GRPO on the team's own workstation, and records every step in a hash-chained audit log. It is research software; results here describe the listed runs on the listed data only.</p>
  <p>Study ${code(d.study.id)} “${e(d.study.name)}”, created ${e(d.study.createdAt)} by ${e(d.study.createdBy)}; ${num(src, ['runs', 'length'], int)} run(s) in this order:</p>
  ${table(['#', 'kind', 'run', 'state', 'dataset version', 'split'], rows)}`;
}

/** The balancing spec's split: its mode, plus ratios when items were split by patient at random. */
export function splitMethod(spec: Record<string, unknown>): string {
  const sp = spec.split as { mode?: string; ratios?: Record<string, number> } | string | undefined;
  if (!sp) return 'unrecorded';
  if (typeof sp === 'string') return sp;
  const ratios = sp.ratios ? ` (train/val/test ${['train', 'val', 'test'].map((k) => sp.ratios?.[k] ?? 0).join('/')} where the source gives none)` : '';
  return `${sp.mode ?? 'unrecorded'}${sp.mode === 'source' ? ratios : sp.ratios ? ` ${['train', 'val', 'test'].map((k) => sp.ratios?.[k] ?? 0).join('/')}` : ''}`;
}

function dataSection(d: ReportData): string {
  const parts: string[] = [h2('data')];
  parts.push('<h3>Imported datasets</h3>');
  parts.push(
    table(
      ['dataset', 'source', 'imported', 'rejected', 'quarantined', 'duplicates', 'warnings', 'by modality', 'by source split'],
      d.datasets.map((x) => {
        const s: Source = { file: datasetFile(x.id), root: x };
        return [
          `${e(x.name)}<br>${code(x.id)}`,
          e(x.source),
          num(s, ['imported'], int),
          num(s, ['rejected'], int),
          num(s, ['quarantined'], int),
          num(s, ['duplicates'], int),
          num(s, ['warnings'], int),
          Object.keys(x.byModality)
            .map((k) => `${e(k)} ${num(s, ['byModality', k], int)}`)
            .join('<br>'),
          Object.keys(x.bySplit)
            .map((k) => `${e(k)} ${num(s, ['bySplit', k], int)}`)
            .join('<br>'),
        ];
      }),
    ),
  );
  for (const x of d.datasets) {
    const s: Source = { file: datasetFile(x.id), root: x };
    if (x.rejected > 0) {
      parts.push(`<h4>Rejected at import — ${e(x.name)}</h4>`);
      parts.push(
        table(
          ['reason code', 'files'],
          Object.keys(x.rejectionsByCode).map((k) => [code(k), num(s, ['rejectionsByCode', k], int)]),
          'narrow',
        ),
      );
      parts.push(`<p class="small">First ${x.rejections.length} listed by file in ${code(datasetFile(x.id))}.</p>`);
    }
    if (x.quarantined > 0) {
      parts.push(`<h4>Quarantined images — ${e(x.name)}</h4>`);
      parts.push(
        table(
          ['file', 'code', 'reason'],
          x.quarantine.slice(0, 20).map((q) => [e(q.file), code(q.code), e(q.reason)]),
        ),
      );
    }
  }
  for (const v of d.versions) {
    const s: Source = { file: versionFile(v.id), root: v };
    const splits = ['train', 'val', 'test'].filter((sp) => Object.values(v.byModalitySplit).some((c) => c[sp] !== undefined));
    parts.push(`<h3>Dataset version ${code(v.id)} — ${e(v.name)}</h3>`);
    parts.push(
      `<p>${num(s, ['n'], int)} items, frozen ${e(v.createdAt)}; split method <b>${e(splitMethod(v.spec))}</b>; seed ${num(s, ['spec', 'seed'], plain)}; manifest SHA-256 ${shortHash(v.manifestHash)} (${code(versionManifestFile(v.id))}).</p>`,
    );
    parts.push(
      table(
        ['modality', ...splits, 'total'],
        Object.keys(v.byModalitySplit)
          .map((m) => [e(m), ...splits.map((sp) => num(s, ['byModalitySplit', m, sp], int)), num(s, ['byModality', m], int)])
          .concat([['<b>total</b>', ...splits.map((sp) => num(s, ['bySplit', sp], int)), num(s, ['n'], int)]]),
      ),
    );
    parts.push(
      `<div class="cols"><div><h4>By task</h4>${countsTable(s, ['byTask'], v.byTask, 'task')}</div><div><h4>By correct letter</h4>${countsTable(s, ['byLetter'], v.byLetter, 'letter')}</div><div><h4>Left out by balancing</h4>${Object.keys(v.removed).length ? countsTable(s, ['removed'], v.removed, 'reason') : '<p class="muted">Nothing.</p>'}</div></div>`,
    );
    if (v.notes.length) parts.push(`<p class="small"><b>Balancing notes:</b> ${v.notes.map(e).join(' · ')}</p>`);
  }
  return parts.join('\n');
}

function deidSection(d: ReportData, derived: ReportDerived): string {
  const parts: string[] = [h2('deid'), '<h3>De-identification</h3>'];
  for (const x of d.datasets) {
    if (!x.deidentification) {
      parts.push(
        `<p><b>${e(x.name)}</b> (${e(x.source)}): no de-identification record — not a DICOM import, so MedBridge applied none; the source's own de-identification is not known to the software.</p>`,
      );
      continue;
    }
    const rows = Object.entries(x.deidentification).map(([k, v]) => [
      e(k),
      typeof v === 'number' ? num({ file: datasetFile(x.id), root: x }, ['deidentification', k], plain) : e(typeof v === 'string' ? v : JSON.stringify(v)),
    ]);
    parts.push(`<h4>${e(x.name)} (${e(x.source)})</h4>${table(['option', 'applied'], rows)}`);
    if (x.quarantined > 0)
      parts.push(
        `<p>${num({ file: datasetFile(x.id), root: x }, ['quarantined'], int)} image(s) quarantined (burned-in text or unverifiable de-identification); they are not in any dataset version.</p>`,
      );
  }
  parts.push('<h3>Modality label sources</h3>');
  for (const v of d.versions) {
    const s: Source = { file: versionFile(v.id), root: v };
    const shares: Source = { file: DERIVED_FILE, root: derived };
    parts.push(
      `<h4>${code(v.id)}</h4>${table(
        ['label source', 'items', 'share'],
        Object.keys(v.labelSources).map((k) => [e(k), num(s, ['labelSources', k], int), num(shares, ['labelShares', v.id, k], pct)]),
        'narrow',
      )}`,
    );
  }
  parts.push(
    '<p class="small">Reference standard: the correct option of each item is the source dataset\'s label; the software records which file and row it came from but not who labelled it.</p>',
  );
  return parts.join('\n');
}

function modelsSection(d: ReportData): string {
  const parts: string[] = [h2('models')];
  for (const m of d.models) {
    const man = m.manifest;
    const files = Array.isArray(man.files) ? (man.files as Array<{ path: string; sha256: string; bytes: number }>) : [];
    const s: Source = { file: modelFile(m.id), root: m };
    parts.push(`<h3>${e(m.name)} <span class="muted">(${e(m.kind)})</span></h3>
    <p>Pack id (SHA-256 over its files): ${code(m.id)}<br>${[man.label ? `Label: ${e(String(man.label))}` : '', man.version ? `version ${e(String(man.version))}` : '', man.architecture ? `architecture ${e(String(man.architecture))}` : '', `registered ${e(m.addedAt)} from ${code(m.path)}`].filter(Boolean).join('; ')}.</p>
    ${man.intendedUse ? `<p class="small"><b>Pack's stated intended use:</b> ${e(String(man.intendedUse))}</p>` : ''}
    ${table(
      ['file', 'SHA-256', 'bytes'],
      files.map((f, i) => [code(f.path), `<code class="hash">${e(f.sha256)}</code>`, num(s, ['manifest', 'files', i, 'bytes'], int)]),
    )}`);
  }
  parts.push('<h3>Where each run ran</h3>');
  parts.push(
    table(
      ['run', 'execution provider', 'CPU', 'cores', 'memory (GiB)', 'app', 'node', 'onnxruntime', 'platform'],
      d.runs.map((r) => {
        const s = runSrc(r);
        const env = r.environment;
        const ep = env.executionProvider as { provider?: string } | null | undefined;
        const memory =
          typeof env.memoryBytes === 'number'
            ? `<data value="${env.memoryBytes}" data-p="${e(`${runFile(r.id)}#/environment/memoryBytes`)}">${(env.memoryBytes / 2 ** 30).toFixed(1)}</data>`
            : '—';
        return [
          e(runName(r)),
          e(ep?.provider ?? '—'),
          e(String(env.cpu ?? '—')),
          num(s, ['environment', 'cores'], int),
          memory,
          e(String(env.app ?? '—')),
          e(String(env.node ?? '—')),
          e(String(env.onnxruntime ?? '—')),
          e(`${String(env.platform ?? '')} ${String(env.arch ?? '')}`),
        ];
      }),
    ),
  );
  return parts.join('\n');
}

function flatConfig(o: unknown, prefix = ''): Array<[string, string]> {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [[prefix, JSON.stringify(o)]];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flatConfig(v, prefix ? `${prefix}.${k}` : k));
}

function runsSection(d: ReportData): string {
  const parts: string[] = [h2('runs')];
  parts.push(
    table(
      ['#', 'kind', 'run', 'pack', 'init', 'adapter', 'seed', 'created', 'duration', 'items'],
      d.runs.map((r) => {
        const s = runSrc(r);
        return [
          num(s, ['position'], int),
          e(r.kind),
          code(r.id),
          shortHash(r.pack),
          r.initRun ? code(r.initRun) : 'base',
          r.adapterHash ? shortHash(r.adapterHash) : '—',
          num(s, ['seed'], plain),
          e(r.createdAt.replace('T', ' ').slice(0, 19)),
          num(s, ['durationSeconds'], secs),
          num(s, ['itemsScored'], int),
        ];
      }),
    ),
  );
  const engineRuns = d.runs.filter((r) => r.kind === 'external');
  if (engineRuns.length > 0) {
    parts.push('<h3>Runs trained on an external engine</h3>');
    for (const r of engineRuns) {
      const c = r.config as {
        engine?: string | null;
        engineVersion?: string | null;
        algorithm?: string | null;
        configSha256?: string | null;
        baseModel?: string | null;
        baseModelSha256?: string | null;
        importedFrom?: string;
      };
      parts.push(
        `<p class="engine-run"><b>${code(r.id)}</b>: trained by <b>${e(c.engine ?? 'an unnamed engine')}</b> ${e(c.engineVersion ?? '(version not recorded)')}${c.algorithm ? ` (${e(c.algorithm)})` : ''}; engine config SHA-256 ${c.configSha256 ? code(c.configSha256) : '(not recorded)'}; base model ${c.baseModel ? code(c.baseModel) : '(not recorded)'} with file identity SHA-256 ${c.baseModelSha256 ? code(c.baseModelSha256) : '(not recorded)'}; result registered as pack ${shortHash(r.pack)}${c.importedFrom ? `, imported from ${code(c.importedFrom)}` : ''}.</p>`,
      );
    }
  }
  parts.push('<h3>Configurations</h3>');
  for (const r of d.runs) {
    const kv = flatConfig(r.config)
      .map(([k, v]) => `<span class="kv"><b>${e(k)}</b>=${e(v)}</span>`)
      .join(' ');
    parts.push(`<p class="config"><b>${e(runName(r))}</b> ${code(r.id)}: ${kv}</p>`);
  }
  return parts.join('\n');
}

function groupRow(s: Source, path: PathPart[], g: GroupMetrics, name: string, k: number): string[] {
  const K = String(k);
  return [
    name,
    num(s, [...path, 'n'], int),
    `${num(s, [...path, 'acc1'], pct)} ${interval(s, [...path, 'acc1Ci'], pct)}`,
    num(s, [...path, 'pass1Expected'], pct),
    g.passAtK[K] === undefined ? '—' : `${num(s, [...path, 'passAtK', K], pct)} ${interval(s, [...path, 'passAtKCi', K], pct)}`,
    num(s, [...path, 'chanceAtK', K], pct),
    `${num(s, [...path, 'supportGapAtK', K], pp)} ${interval(s, [...path, 'supportGapAtKCi', K], pp)}`,
    num(s, [...path, 'ece'], dec3),
    num(s, [...path, 'brier'], dec3),
    num(s, [...path, 'entropy'], dec3),
  ];
}

function metricsSection(d: ReportData, derived: ReportDerived): string {
  const parts: string[] = [h2('metrics')];
  parts.push(
    `<p class="small">Accuracy@1: the most probable option is correct (ties → lowest index), with a Wilson interval. Pass@K (exact): 1 − (1 − p<sub>correct</sub>)<sup>K</sup>, the chance that K sampled answers include the correct one; chance level 1 − (1 − 1/m)<sup>K</sup> for m options. Support gap: Pass@K − Accuracy@1. Pass@K and gap intervals: seeded percentile bootstrap over items. Pass@1 (expected) is the mean probability of the correct option. ECE uses 15 equal-width bins; entropy is in nats.</p>`,
  );
  const diags = d.runs.filter(isDiagnosis);
  if (!diags.length) parts.push('<p class="muted">No diagnosis runs in this study.</p>');
  for (const r of diags) {
    const m = r.metrics as unknown as MetricsReport;
    const s = runSrc(r);
    const k = kOf(r, m);
    const rows: string[][] = [groupRow(s, ['metrics', 'overall'], m.overall, '<b>overall</b>', k)];
    for (const dim of ['byModality', 'byTask', 'bySplit'] as const)
      for (const [g, v] of Object.entries(m[dim])) rows.push(groupRow(s, ['metrics', dim, g], v, `${e(dim.slice(2).toLowerCase())}: ${e(g)}`, k));
    parts.push(`<h3>${e(runName(r))} — ${code(r.id)} on ${code(r.version ?? '—')} split ${e(r.split ?? '—')}</h3>
    <p class="small">K = ${k}; bootstrap B = ${num(s, ['metrics', 'config', 'bootstrapSamples'], int)}, seed ${num(s, ['metrics', 'config', 'seed'], plain)}, confidence ${num(s, ['metrics', 'config', 'confidence'], pct)}.</p>
    ${table(['group', 'n', 'Accuracy@1 [95% CI]', 'Pass@1 (exp.)', `Pass@${k} [CI]`, `chance@${k}`, `gap@${k} [CI]`, 'ECE', 'Brier', 'entropy'], rows, 'metrics')}`);
  }
  parts.push(changeTable(d));
  parts.push(seedVariabilityPart(derived));
  return parts.join('\n');
}

/** Seed variability: training runs that differ only in their seed, each seed's numbers and mean ± sd (report.json). */
function seedVariabilityPart(derived: ReportDerived): string {
  const groups = derived.seedVariability;
  if (!groups) return '';
  if (groups.length === 0)
    return '<h3>Seed variability</h3><p class="small">Every trained configuration in this study was run with one seed, so its variability across seeds is not measured here.</p>';
  const s: Source = { file: DERIVED_FILE, root: derived };
  const parts = [
    "<h3>Seed variability</h3><p class=\"small\">Training runs that differ only in their seed (same kind, version, start and configuration). Validation numbers are each run's own; test numbers come from the study's diagnosis of that run's adapter. Mean ± sample standard deviation over seeds.</p>",
  ];
  groups.forEach((g, gi) => {
    const p: PathPart[] = ['seedVariability', gi];
    const ms = (key: 'valAcc1' | 'valPassAtK' | 'testAcc1' | 'testPassAtK') =>
      g[key] ? `${num(s, [...p, key, 'mean'], pct)} ± ${num(s, [...p, key, 'sd'], pct)}` : '—';
    const rows = g.runs.map((r, ri) => [
      code(r.run),
      num(s, [...p, 'runs', ri, 'seed'], plain),
      r.valAcc1 === null ? '—' : num(s, [...p, 'runs', ri, 'valAcc1'], pct),
      r.valPassAtK === null ? '—' : num(s, [...p, 'runs', ri, 'valPassAtK'], pct),
      r.testAcc1 === null ? '—' : num(s, [...p, 'runs', ri, 'testAcc1'], pct),
      r.testPassAtK === null ? '—' : num(s, [...p, 'runs', ri, 'testPassAtK'], pct),
    ]);
    rows.push(['<b>mean ± sd</b>', `${g.runs.length} seeds`, ms('valAcc1'), ms('valPassAtK'), ms('testAcc1'), ms('testPassAtK')]);
    parts.push(
      `<h4>${e(g.kind.toUpperCase())} from ${e(g.start)} on ${code(g.version ?? '—')}</h4>${table(['run', 'seed', 'val Accuracy@1', `val Pass@${g.k}`, 'test Accuracy@1', `test Pass@${g.k}`], rows, 'narrow')}`,
    );
  });
  return parts.join('\n');
}

function failuresSection(d: ReportData, thumbnails: Record<string, string>): string {
  const parts: string[] = [h2('failures')];
  const diags = d.runs.filter((r) => r.failures);
  if (!diags.length) {
    parts.push('<p class="muted">No diagnosis in this study, or one frozen before failure analysis was recorded.</p>');
    return parts.join('\n');
  }
  parts.push(
    `<p class="small">Per task, each scored item counted by its correct answer (rows) and the answer the model chose first (columns), by answer text — option order differs per item, so letters would mean nothing. The diagonal holds the right answers. Below each matrix, the items the model got wrong with the highest confidence (the probability it gave its choice), up to ${WORST_PER_TASK} per task.</p>`,
  );
  for (const r of diags) {
    const s = runSrc(r);
    parts.push(`<h3>${e(runName(r))} — ${code(r.id)} on ${code(r.version ?? '—')} split ${e(r.split ?? '—')}</h3>`);
    for (const [task, f] of Object.entries(r.failures ?? {})) {
      const p: PathPart[] = ['failures', task];
      const head = ['correct ↓ / chosen →', ...f.classes.map((c) => e(c))];
      const rows = f.classes.map((c, i) => [
        `<b>${e(c)}</b>`,
        ...f.classes.map((_, j) => (i === j ? `<b>${num(s, [...p, 'confusion', i, j], int)}</b>` : num(s, [...p, 'confusion', i, j], int))),
      ]);
      parts.push(`<h4>Task ${e(task)}: ${num(s, [...p, 'wrong'], int)} wrong of ${num(s, [...p, 'n'], int)}</h4>${table(head, rows, 'confusion')}`);
      if (f.worst.length) {
        parts.push(
          table(
            ['image', 'item', 'question', 'correct answer', 'chosen answer', 'confidence'],
            f.worst.map((w, i) => [
              w.thumb && thumbnails[w.thumb] ? `<img class="thumb" alt="item ${e(w.item)}" src="data:image/png;base64,${thumbnails[w.thumb]}">` : '—',
              code(w.item),
              e(w.question),
              e(w.correct),
              `<b>${e(w.chosen)}</b>`,
              num(s, [...p, 'worst', i, 'confidence'], pct),
            ]),
            'errors',
          ),
        );
      }
    }
  }
  return parts.join('\n');
}

function passkSection(d: ReportData): string {
  const parts: string[] = [h2('passk')];
  const diags = d.runs.filter(isDiagnosis);
  if (!diags.length) parts.push('<p class="muted">No diagnosis runs in this study.</p>');
  for (const r of diags) {
    const m = r.metrics as unknown as MetricsReport;
    const s = runSrc(r);
    const ks = [...m.config.ks].sort((a, b) => a - b);
    const groups: Array<[string, PathPart[], GroupMetrics]> = [
      ['overall', ['metrics', 'overall'], m.overall],
      ...Object.entries(m.byModality).map(([g, v]) => [`modality ${g}`, ['metrics', 'byModality', g], v] as [string, PathPart[], GroupMetrics]),
    ];
    const charts = groups.map(([name, path, g]) => {
      const pass: Series = {
        name: 'Pass@K',
        color: PALETTE[0],
        labelLast: true,
        points: ks
          .filter((k) => typeof g.passAtK[String(k)] === 'number')
          .map((k) => ({ x: k, y: g.passAtK[String(k)] as number, cite: svgCite(s, [...path, 'passAtK', String(k)]) })),
      };
      const chance: Series = {
        name: 'chance',
        color: '#666666',
        dashed: true,
        points: ks.filter((k) => typeof g.chanceAtK[String(k)] === 'number').map((k) => ({ x: k, y: g.chanceAtK[String(k)] as number })),
      };
      const acc: Series = {
        name: 'Accuracy@1',
        color: PALETTE[1],
        dashed: true,
        points: [
          { x: ks[0] as number, y: g.acc1 },
          { x: ks.at(-1) as number, y: g.acc1 },
        ],
      };
      return `<figure>${lineChart({ title: `${name} (n=${g.n})`, width: HALF_W, height: 210, xScale: 'log2', xLabel: 'K (samples)', yLabel: 'rate', series: [pass, chance, acc] })}</figure>`;
    });
    parts.push(`<h3>${e(runName(r))} — Pass@K against chance</h3><div class="grid">${charts.join('')}</div>`);
    const letters = Object.keys(m.overall.letterBias);
    if (letters.length) {
      parts.push(
        `<figure class="wide">${barChart({
          title: `${runName(r)} — letter-position bias (overall)`,
          width: CHART_W,
          height: 220,
          yLabel: 'rate',
          valueLabels: letters.length <= 8,
          groups: letters.map((l) => ({
            label: l,
            bars: [
              {
                name: 'picked (share of answers)',
                color: PALETTE[0],
                value: m.overall.letterBias[l]?.pickRate ?? null,
                cite: svgCite(s, ['metrics', 'overall', 'letterBias', l, 'pickRate']),
              },
              {
                name: 'correct (share of items)',
                color: PALETTE[2],
                value: m.overall.letterBias[l]?.correctRate ?? null,
                cite: svgCite(s, ['metrics', 'overall', 'letterBias', l, 'correctRate']),
              },
              {
                name: 'accuracy when correct',
                color: PALETTE[4],
                value: m.overall.letterBias[l]?.accWhenCorrect ?? null,
                cite: svgCite(s, ['metrics', 'overall', 'letterBias', l, 'accWhenCorrect']),
              },
            ],
          })),
        })}</figure>`,
      );
      parts.push(
        table(
          ['letter', 'offered', 'correct here', 'picked', 'pick rate', 'correct rate', 'accuracy when correct'],
          letters.map((l) => {
            const p: PathPart[] = ['metrics', 'overall', 'letterBias', l];
            return [
              e(l),
              num(s, [...p, 'nOffered'], int),
              num(s, [...p, 'nCorrect'], int),
              num(s, [...p, 'picks'], int),
              num(s, [...p, 'pickRate'], pct),
              num(s, [...p, 'correctRate'], pct),
              num(s, [...p, 'accWhenCorrect'], pct),
            ];
          }),
          'narrow',
        ),
      );
    }
  }
  return parts.join('\n');
}

function probeSection(d: ReportData): string {
  const parts: string[] = [h2('probe')];
  const probes = d.runs.filter(isProbe);
  if (!probes.length) parts.push('<p class="muted">No linear-probe runs in this study.</p>');
  for (const r of probes) {
    const p = r.metrics as unknown as ProbeReport;
    const s = runSrc(r);
    const tasks = Object.keys(p.byTask);
    const kOfVlm = (t: string) => {
      const ks = Object.keys(p.byTask[t]?.vlm?.passAtK ?? {})
        .map(Number)
        .sort((a, b) => a - b);
      return ks.includes(PREFERRED_K) ? PREFERRED_K : ks.at(-1);
    };
    const refs = [...new Set(tasks.map((t) => p.byTask[t]?.referenceAccuracy).filter((x): x is number => typeof x === 'number'))];
    parts.push(`<h3>${e(runName(r))} — ${code(r.id)} (${num(s, ['metrics', 'dim'], int)}-dimensional features)</h3>`);
    parts.push(
      `<figure class="wide">${barChart({
        title: 'Probe vs VLM per task (test split)',
        width: CHART_W,
        height: 230,
        yLabel: 'accuracy',
        valueLabels: true,
        refs: refs.map((y) => ({ y, label: `vision-only reference ${Math.round(100 * y)}%`, color: '#B00020' })),
        groups: tasks.map((t) => {
          const x = p.byTask[t];
          const k = kOfVlm(t);
          return {
            label: t,
            bars: [
              {
                name: 'linear probe',
                color: PALETTE[2],
                value: x?.accuracy ?? null,
                ci: x?.accuracyCi ?? null,
                cite: svgCite(s, ['metrics', 'byTask', t, 'accuracy']),
              },
              { name: 'VLM Accuracy@1', color: PALETTE[1], value: x?.vlm?.acc1 ?? null, cite: svgCite(s, ['metrics', 'byTask', t, 'vlm', 'acc1']) },
              {
                name: `VLM Pass@${k ?? 'K'}`,
                color: PALETTE[0],
                value: k !== undefined ? (x?.vlm?.passAtK[String(k)] ?? null) : null,
                cite: k !== undefined ? svgCite(s, ['metrics', 'byTask', t, 'vlm', 'passAtK', String(k)]) : '',
              },
            ],
          };
        }),
      })}</figure>`,
    );
    parts.push(
      table(
        ['task', 'modality', 'classes', 'train / val / test', 'L2', 'probe accuracy [CI]', 'VLM Accuracy@1', 'VLM run', 'reference', 'note'],
        tasks.map((t) => {
          const b: PathPart[] = ['metrics', 'byTask', t];
          const x = p.byTask[t];
          return [
            e(t),
            e(x?.modality ?? ''),
            num(s, [...b, 'classes'], int),
            `${num(s, [...b, 'counts', 'train'], int)} / ${num(s, [...b, 'counts', 'val'], int)} / ${num(s, [...b, 'counts', 'test'], int)}`,
            num(s, [...b, 'l2'], plain),
            `${num(s, [...b, 'accuracy'], pct)} ${interval(s, [...b, 'accuracyCi'], pct)}`,
            num(s, [...b, 'vlm', 'acc1'], pct),
            x?.vlm ? code(x.vlm.run) : '—',
            num(s, [...b, 'referenceAccuracy'], pct),
            e(x?.note ?? ''),
          ];
        }),
      ),
    );
  }
  return parts.join('\n');
}

function decisionsSection(d: ReportData): string {
  const parts: string[] = [h2('decisions')];
  const withRec = d.runs.filter((r) => r.recommendation);
  if (!withRec.length) parts.push('<p class="muted">No recipe recommendation is stored for the runs of this study.</p>');
  for (const r of withRec) {
    const rec = r.recommendation as unknown as StoredRecommendation;
    const s = runSrc(r);
    const base: PathPart[] = ['recommendation', 'recipe'];
    const scopes: Array<[string, PathPart[]]> = [
      ...(rec.recipe.overall ? [['overall', [...base, 'overall']] as [string, PathPart[]]] : []),
      ...Object.keys(rec.recipe.byModality).map((m) => [`modality ${m}`, [...base, 'byModality', m]] as [string, PathPart[]]),
      ...Object.keys(rec.recipe.byTask).map((t) => [`task ${t}`, [...base, 'byTask', t]] as [string, PathPart[]]),
    ];
    parts.push(`<h3>${e(runName(r))} — ${code(r.id)}</h3>
    <p class="small">Decided ${e(rec.createdAt)} at K = ${num(s, [...base, 'k'], int)}; thresholds: support target ${num(s, [...base, 'thresholds', 'supportTarget'], pct)}, sharpen gap ${num(s, [...base, 'thresholds', 'sharpenGap'], pp)}, perception margin ${num(s, [...base, 'thresholds', 'perceptionMargin'], pp)}${rec.probeRun ? `; probe run ${code(rec.probeRun)}` : '; no probe run'}.</p>
    <table class="decisions"><thead><tr>${['scope', 'decision', 'Accuracy@1 [CI]', 'Pass@K [CI]', 'chance', 'gap [CI]', 'probe', 'reference'].map((h) => `<th>${h}</th>`).join('')}</tr></thead>${scopes
      .map(([name, p]) => {
        const dec = valueAt(r, p) as { decision: string; uncertain: boolean; rule: string };
        const n = [...p, 'numbers'];
        const cells = [
          e(name),
          `<b class="dec-${e(dec.decision)}">${e(dec.decision)}</b>${dec.uncertain ? ' <span class="warn">uncertain</span>' : ''}`,
          `${num(s, [...n, 'acc1'], pct)} ${interval(s, [...n, 'acc1Ci'], pct)}`,
          `${num(s, [...n, 'passAtK'], pct)} ${interval(s, [...n, 'passAtKCi'], pct)}`,
          num(s, [...n, 'chanceAtK'], pct),
          `${num(s, [...n, 'supportGap'], pp)} ${interval(s, [...n, 'supportGapCi'], pp)}`,
          num(s, [...n, 'probeAccuracy'], pct),
          num(s, [...n, 'referenceAccuracy'], pct),
        ];
        return `<tbody class="keep"><tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr><tr class="rule"><td colspan="8">${e(dec.rule)}</td></tr></tbody>`;
      })
      .join('')}</table>`);
  }
  return parts.join('\n');
}

/** Numeric fields of an event payload, one level of nesting flattened ("passAtK.8"); counters and step numbers left out. */
const NOT_A_CURVE = new Set(['n', 'k', 'attempt', 'step', 'seq']);
function numericFields(payload: unknown): Array<[string, number]> {
  if (payload === null || typeof payload !== 'object') return [];
  const out: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(payload as Record<string, unknown>)) {
    if (NOT_A_CURVE.has(k) || /Step$/.test(k)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) if (typeof v2 === 'number' && Number.isFinite(v2)) out.push([`${k}.${k2}`, v2]);
  }
  return out;
}

/** Validation events (support guard input) and per-step training signals, as the training job records them. */
const EVAL_EVENT = 'eval';
const TRAIN_EVENT = 'train';
/** Validation fields drawn on the support chart (the gap is their difference, shown in the tables). */
const EVAL_FIELDS = /^(acc1|pass1|passAtK\.)/;

type Curve = Array<{ x: number; y: number; cite: string }>;

function curvesOf(r: RunRecord, kind: string): Map<string, Curve> {
  const s = runSrc(r);
  const out = new Map<string, Curve>();
  r.events.forEach((ev, i) => {
    if (ev.kind !== kind || ev.step === null) return;
    for (const [f, v] of numericFields(ev.payload)) {
      const c = out.get(f) ?? [];
      c.push({ x: ev.step, y: v, cite: svgCite(s, ['events', i, 'payload', ...f.split('.')]) });
      out.set(f, c);
    }
  });
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  acc1: 'Accuracy@1',
  pass1: 'Pass@1 (expected)',
  loss: 'loss',
  accuracy: 'batch accuracy',
  reward: 'mean reward',
  kl: 'KL to reference',
  consistency: 'consistency',
  gradNorm: 'gradient norm',
  clipFraction: 'clipped fraction',
  bonusFraction: 'bonus fraction',
};
const fieldName = (f: string): string => FIELD_NAMES[f] ?? (f.startsWith('passAtK.') ? `Pass@${f.slice(8)}` : f);

function curvesSection(d: ReportData): string {
  const parts: string[] = [h2('curves')];
  const trainingRuns = d.runs.filter(
    (r) => TRAINING_KINDS.has(r.kind) || r.kind === 'transfer' || r.events.some((x) => x.kind === EVAL_EVENT || x.kind === 'support-collapse'),
  );
  if (!trainingRuns.length) parts.push('<p class="muted">No training runs in this study.</p>');
  for (const r of trainingRuns) {
    const s = runSrc(r);
    const collapses = r.events.map((ev, i) => ({ ev, i })).filter(({ ev }) => ev.kind === 'support-collapse');
    const markers = collapses.filter(({ ev }) => ev.step !== null).map(({ ev }) => ({ x: ev.step as number, label: 'support collapse' }));
    const evals = [...curvesOf(r, EVAL_EVENT).entries()].filter(([f, c]) => EVAL_FIELDS.test(f) && c.length >= 1);
    const train = [...curvesOf(r, TRAIN_EVENT).entries()].filter(([, c]) => c.length >= 2 && c.some((p) => p.y !== c[0]?.y));
    parts.push(`<h3>${e(runName(r))} — ${code(r.id)}${r.initRun ? ` from ${code(r.initRun)}` : ' from the base pack'}</h3>`);
    if (!evals.length && !train.length) parts.push('<p class="muted">No training curves recorded for this run.</p>');
    if (evals.length) {
      parts.push(
        `<figure class="wide">${lineChart({
          title: 'Validation: Accuracy@1 and Pass@K (the support guard watches Pass@K)',
          width: CHART_W,
          height: 240,
          xScale: 'linear',
          xLabel: 'training step',
          yLabel: 'rate',
          markers,
          series: evals.slice(0, PALETTE.length).map(([f, c], i) => ({ name: fieldName(f), color: PALETTE[i] as string, points: c, labelLast: true })),
        })}</figure>`,
      );
    }
    if (train.length) {
      const charts = train.map(([f, c], i) => {
        const ys = c.map((p) => p.y);
        const lo = Math.min(...ys);
        const hi = Math.max(...ys);
        const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
        return `<figure>${lineChart({ title: fieldName(f), width: HALF_W, height: 170, xScale: 'linear', xLabel: 'training step', yLabel: '', yRange: [lo - pad, hi + pad], yFormat: (y) => String(Number(y.toPrecision(3))), markers: markers.map((m) => ({ ...m, label: '' })), series: [{ name: fieldName(f), color: PALETTE[i % PALETTE.length] as string, points: c, labelLast: true }] })}</figure>`;
      });
      parts.push(`<h4>Training signals per step</h4><div class="grid">${charts.join('')}</div>`);
    }
    const stops = r.events
      .map((ev, i) => ({ ev, i }))
      .filter(({ ev }) => ev.kind === 'support-collapse' || ev.kind === 'early-stopping' || ev.kind === 'final');
    parts.push(
      stops.length
        ? table(
            ['event', 'step', 'recorded', 'details'],
            stops.map(({ ev, i }) => [
              ev.kind === 'support-collapse' ? '<b class="warn">support-collapse</b>' : e(ev.kind),
              num(s, ['events', i, 'step'], int),
              e(ev.createdAt),
              [
                ...numericFields(ev.payload).map(([f]) => `${e(f)} ${num(s, ['events', i, 'payload', ...f.split('.')], dec3)}`),
                ...Object.entries((ev.payload ?? {}) as Record<string, unknown>)
                  .filter(([, v]) => typeof v === 'string' && v.length < 80)
                  .map(([k, v]) => `${e(k)} ${e(String(v))}`),
              ].join('; '),
            ]),
          )
        : '',
    );
    if (!collapses.length) parts.push('<p>No support-collapse event was recorded.</p>');
  }
  return parts.join('\n');
}

interface TransferCellShape {
  regime: string;
  n: number;
  k: number;
  deltaAcc1: number;
  deltaAcc1Ci: [number, number] | null;
  deltaPassAtK: number;
  deltaPassAtKCi: [number, number] | null;
}

function transferSection(d: ReportData): string {
  const parts: string[] = [h2('transfer')];
  const runs = d.runs.filter((r) => r.kind === 'transfer' && Array.isArray((r.metrics as { cells?: unknown } | null)?.cells));
  if (!runs.length) {
    parts.push('<p class="muted">No transfer runs in this study.</p>');
    return parts.join('\n');
  }
  const regimes = ['in-domain', 'within-modality', 'cross-modality'];
  const rowName = (r: RunRecord) => {
    const t = (r.metrics as { train?: { tasks?: string[]; modalities?: string[] } }).train ?? {};
    return `${runName(r)}: ${[...(t.tasks ?? []), ...(t.modalities ?? [])].join(', ') || 'all'}`;
  };
  const cellsOf = (r: RunRecord) => (r.metrics as { cells: TransferCellShape[] }).cells;
  // a run rolled back (or early-stopped) to step 0 kept no update: its cells compare the start with itself
  const noUpdate = (r: RunRecord) => (r.metrics as { noUpdateKept?: boolean }).noUpdateKept === true;
  for (const [field, title] of [
    ['deltaAcc1', 'Δ Accuracy@1 (after − before)'],
    ['deltaPassAtK', 'Δ Pass@K (after − before)'],
  ] as const) {
    const values = runs.filter((r) => !noUpdate(r)).flatMap((r) => cellsOf(r).map((c) => Math.abs(c[field])));
    parts.push(
      `<figure class="wide">${heatMap({
        title,
        width: CHART_W,
        rows: runs.map(rowName),
        cols: regimes,
        limit: Math.max(0.05, ...values),
        format: (v) => pp(v),
        cells: runs.map((r) =>
          regimes.map((g) => {
            const i = cellsOf(r).findIndex((c) => c.regime === g);
            if (i < 0) return { value: null };
            if (noUpdate(r)) return { value: null, label: 'no update kept' };
            return { value: cellsOf(r)[i]?.[field] ?? null, cite: svgCite(runSrc(r), ['metrics', 'cells', i, field]) };
          }),
        ),
      })}</figure>`,
    );
  }
  parts.push(
    table(
      ['train run', 'regime', 'n', 'K', 'Δ Accuracy@1 [CI]', 'Δ Pass@K [CI]'],
      runs.flatMap((r) =>
        cellsOf(r).map((c, i) => {
          const s = runSrc(r);
          const p: PathPart[] = ['metrics', 'cells', i];
          if (noUpdate(r))
            return [e(rowName(r)), e(c.regime), num(s, [...p, 'n'], int), num(s, [...p, 'k'], int), '<b>no update kept</b>', '<b>no update kept</b>'];
          return [
            e(rowName(r)),
            e(c.regime),
            num(s, [...p, 'n'], int),
            num(s, [...p, 'k'], int),
            `${num(s, [...p, 'deltaAcc1'], pp)} ${interval(s, [...p, 'deltaAcc1Ci'], pp)}`,
            `${num(s, [...p, 'deltaPassAtK'], pp)} ${interval(s, [...p, 'deltaPassAtKCi'], pp)}`,
          ];
        }),
      ),
    ),
  );
  return parts.join('\n');
}

function limitationsSection(derived: ReportDerived): string {
  return `${h2('limitations')}${derived.limitations.length ? `<ul>${derived.limitations.map((l) => `<li>${l.html}</li>`).join('')}</ul>` : '<p>No limitation was found in the records; this does not mean there are none.</p>'}`;
}

function checklistSection(derived: ReportDerived): string {
  const label: Record<string, string> = {
    answered: 'answered',
    partly: 'partly',
    'not-answered': 'not answered by the software',
    'not-applicable': 'not applicable',
  };
  const link = (section: string | null) => (section ? `<a href="#${section}">${sectionNumber(section as SectionId)}</a>` : '—');
  const status = (s: string) => `<span class="st-${s}">${e(label[s] ?? s)}</span>`;
  if (!derived.checklistItems) {
    return `${h2('checklist')}<p class="small">Topics of CLAIM 2024 and TRIPOD+AI that apply to this kind of study, with the section answering each. “Not answered by the software” marks what the team must supply.</p>
  ${table(
    ['guideline', 'topic', 'section', 'status', 'note'],
    derived.checklist.map((c) => [e(c.guidelines.join(', ')), e(c.topic), link(c.section), status(c.status), `<span class="small">${e(c.note)}</span>`]),
    'checklist',
  )}`;
  }
  const items = derived.checklistItems;
  const guidelineTable = (g: string, cite: string) => `<h3>${e(g)} <span class="small muted">(${cite})</span></h3>
  ${table(
    ['item', 'part', 'topic', 'section', 'status', 'how the report answers it'],
    items
      .filter((i) => i.guideline === g)
      .map((i) => [
        `<b>${e(i.item)}</b>`,
        `<span class="small">${e(i.part)}</span>`,
        e(i.topic),
        link(i.section),
        status(i.status),
        `<span class="small">${e(i.note)}</span>`,
      ]),
    'checklist',
  )}`;
  return `${h2('checklist')}<p class="small">Every item of CLAIM 2024 and TRIPOD+AI by its published number, with the section of this report that answers it. “Not answered by the software” marks what the study team must supply; “not applicable” says why. Item topics are paraphrased: the wording of each item is in the published checklist.</p>
  ${guidelineTable('CLAIM 2024', 'Tejani et al., Radiology: Artificial Intelligence 2024, doi:10.1148/ryai.240300')}
  ${guidelineTable('TRIPOD+AI', 'Collins et al., BMJ 2024;385:e078378, doi:10.1136/bmj-2023-078378')}`;
}

function reviewSection(review: ReviewRecord): string {
  const src: Source = { file: REVIEW_FILE, root: review };
  const comments = review.comments.length
    ? `<ol class="comments">${review.comments.map((c) => `<li><b>${e(c.author)}</b> <span class="muted">${e(c.createdAt)}</span><br>${e(c.text)}</li>`).join('')}</ol>`
    : '<p class="muted">No reviewer comments.</p>';
  const sigs = review.signatures.length
    ? table(
        ['name', 'role', 'meaning of the signature', 'signed at', 'signed content (SHA-256)', 'audit entry'],
        review.signatures.map((g, i) => [
          `<b>${e(g.name)}</b>`,
          e(g.role),
          e(g.meaning),
          e(g.signedAt),
          `<code class="hash">${e(g.signedHash)}</code>`,
          `#${num(src, ['signatures', i, 'auditSeq'], int)}`,
        ]),
      )
    : '<p class="warn">Not signed. Signatures are recorded in MedBridge (medbridge report sign), which appends them to the audit log.</p>';
  return `${h2('review')}<p>Report ${code(review.report)}, version ${num(src, ['version'], int)} — ${review.signed ? '<b>signed: this version is immutable; any later change to the records produces a new version.</b>' : 'draft (unsigned).'}</p><h3>Comments</h3>${comments}<h3>Signatures</h3>${sigs}`;
}

function integritySection(derived: ReportDerived, audit: AuditExcerpt, signing: RenderInput['signing']): string {
  const a: Source = { file: AUDIT_FILE, root: audit };
  return `${h2('integrity')}
  <p><b>Audit-log head when this report was generated:</b> entry #${num(a, ['head', 'seq'], int)}, hash <code class="hash">${e(audit.head.hash)}</code>.</p>
  ${signingParagraph(signing)}
  <p><b>Report data SHA-256:</b> <code class="hash">${e(derived.dataHash)}</code> (canonical JSON of the records above; the same data always gives the same hash).</p>
  <p>The evidence bundle next to this page holds the records behind every number (runs, configurations, seeds, metrics, dataset-version manifests, datasets, model hashes, environment, ${num(a, ['entries', 'length'], int)} audit-log entries) and <code>manifest.json</code> with the SHA-256 of every file. In the HTML, each number names its source file and field in its <code>data-p</code> attribute (a JSON pointer into the bundle). To check the bundle and the chain: <code>medbridge audit verify --bundle DIR [--workspace W]</code> — it names any file or audit entry that does not match.</p>`;
}

const CSS = `
@page { size: A4; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 190mm; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 18pt 0 6pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #0072B2; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
h4 { font-size: 10pt; margin: 8pt 0 3pt; break-after: avoid; }
p { margin: 4pt 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; }
table.narrow { width: auto; min-width: 40%; }
th, td { border: 0.5pt solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
tr { break-inside: avoid; page-break-inside: avoid; }
td data { white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 8pt; overflow-wrap: anywhere; }
code.hash { font-size: 7pt; }
.small { font-size: 8.5pt; }
.muted, .na { color: #666; }
.warn { color: #B00020; font-weight: 600; }
.ci { color: #333; font-size: 7.5pt; white-space: nowrap; }
img.thumb { width: 56px; height: 56px; object-fit: contain; image-rendering: pixelated; border: 1px solid #ccc; background: #000; }
table.confusion td:nth-child(n+2) { text-align: right; font-variant-numeric: tabular-nums; }
table.confusion, table.errors tr { break-inside: avoid; }
h4 { break-after: avoid; }
table.errors td { vertical-align: middle; }
.grid { display: flex; flex-wrap: wrap; gap: 6pt 12pt; }
figure { margin: 4pt 0; break-inside: avoid; page-break-inside: avoid; }
figure.wide { width: 100%; }
svg.chart { display: block; max-width: 100%; height: auto; }
.cols { display: flex; gap: 14pt; flex-wrap: wrap; }
.cols > div { flex: 1 1 30%; }
.config { font-size: 7.5pt; overflow-wrap: anywhere; }
.kv { margin-right: 6pt; white-space: nowrap; }
.banner { padding: 6pt 8pt; border: 1pt solid #999; background: #f6f6f6; margin: 8pt 0; }
.banner.signed { border-color: #009E73; background: #eefaf5; }
.toc { columns: 2; font-size: 9pt; margin: 6pt 0; padding-left: 18pt; }
.dec-bridge-sft { color: #0072B2; } .dec-sharpen-rl { color: #D55E00; } .dec-improve-vision { color: #B00020; } .dec-done { color: #009E73; }
.st-answered { color: #006B4F; } .st-partly { color: #8A5A00; } .st-not-answered { color: #B00020; font-weight: 600; } .st-not-applicable { color: #666; }
table.metrics td:nth-child(n+2), table.decisions td:nth-child(n+3) { font-variant-numeric: tabular-nums; }
tbody.keep { break-inside: avoid; page-break-inside: avoid; }
tr.rule td { border-top: none; font-size: 8pt; color: #333; padding-bottom: 4pt; }
a { color: #0072B2; text-decoration: none; }
.subtitle { color: #333; }
.summary { margin: 8pt 0; padding: 6pt 8pt; border-left: 3pt solid #0072B2; background: #f3f7fb; }
h2.summary-title { margin: 0 0 3pt; border: none; font-size: 11pt; padding: 0; }
.summary p { margin: 0; font-size: 10pt; }
`;

export function renderReportHtml(input: RenderInput): string {
  const { data: d, derived, review, audit } = input;
  const signed = review.signatures.length > 0;
  const title = reportTitle(d);
  const banner = signed
    ? `<div class="banner signed"><b>Signed</b> by ${review.signatures.map((g) => `${e(g.name)} (${e(g.role)}, “${e(g.meaning)}”, ${e(g.signedAt)})`).join('; ')}.</div>`
    : '<div class="banner"><b>Draft</b> — not signed.</div>';
  const body = [
    `<header><h1>${e(title)}</h1>
    <p class="subtitle">Study report${title.includes(d.study.name.trim()) ? '' : ` · study “${e(d.study.name)}”`} · ${code(d.study.id)}${d.versions.length ? ` · dataset version${d.versions.length > 1 ? 's' : ''} ${d.versions.map((v) => `“${e(v.name)}” ${code(v.id)}`).join(', ')}` : ''}</p>
    <p>Report ${code(review.report)} · version ${num({ file: REVIEW_FILE, root: review }, ['version'], int)} · generated ${e(derived.generatedAt)} by MedBridge · audit head #${num({ file: AUDIT_FILE, root: audit }, ['head', 'seq'], int)} <code class="hash">${e(audit.head.hash)}</code></p>${banner}
    ${summaryParagraph(d)}
    <ol class="toc">${SECTIONS.map(([id, title]) => `<li><a href="#${id}">${e(title)}</a></li>`).join('')}</ol></header>`,
    scope(d),
    dataSection(d),
    deidSection(d, derived),
    modelsSection(d),
    runsSection(d),
    metricsSection(d, derived),
    passkSection(d),
    failuresSection(d, input.thumbnails ?? {}),
    probeSection(d),
    decisionsSection(d),
    curvesSection(d),
    transferSection(d),
    limitationsSection(derived),
    checklistSection(derived),
    reviewSection(review),
    integritySection(derived, audit, input.signing ?? null),
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="MedBridge">
<title>${e(`${title} — study report v${review.version}`)}</title>
<style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
