// `medbridge demo`: the guided study on the bundled sample data and the reference model, every step through the
// contract: import → balance → register model → diagnose → probe → recommend → bridge (SFT) → diagnose the bridged
// adapter → sharpen (GRPO from SFT) → diagnose the sharpened adapter → study → report (HTML + PDF).
// Each step first looks for its result in the workspace: finished work is reused, an interrupted job is resumed,
// so running the demo again after a crash continues the study where it stopped (the audit log shows the interruption).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Job } from '../../shared/api/jobs.ts';
import type { Result } from '../../shared/errors.ts';
import { RESUMABLE_STATES } from '../../shared/job-resume.ts';
import type { CallClient } from './call-client.ts';
import { waitForJob } from './cli-output.ts';
import { chancePassAtK, informativeK } from '../../shared/recipe/index.ts';
import { DEFAULT_BRIDGE_LABEL_BUDGET } from '../../shared/recipe/label-budget.ts';
import { referencePackIn } from '../core/core.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_SAMPLES = ['breastmnist', 'pneumoniamnist'] as const;
export const DEMO_MODEL = referencePackIn();
export const DEMO_SEED = 20260101;
export const DEMO_TOTAL = 800;
export const DEMO_STUDY = 'Guided demo: reference model on MedMNIST pneumonia and breast';
const DIAGNOSE_SPLIT = 'test';
/**
 * Support is checked at the largest K whose chance level stays below the support target (0.8): with two options,
 * chance Pass@8 is 0.996 and says nothing, chance Pass@2 is 0.75 (chance = 1 − (1 − 1/m)^K, design.md §3).
 */
const DEMO_OPTION_COUNT = 2;
const SUPPORT_TARGET = 0.8;
const RECIPE_K = informativeK(
  [1, 2, 4, 8, 16],
  [Object.fromEntries([1, 2, 4, 8, 16].map((k) => [String(k), chancePassAtK(DEMO_OPTION_COUNT, k)]))],
  SUPPORT_TARGET,
);
const SHOWN_K = String(RECIPE_K);

class DemoError extends Error {}

async function ok<T>(r: Promise<Result<unknown>>): Promise<T> {
  const res = await r;
  if (!res.ok) throw new DemoError(`${res.error.code}: ${res.error.message}`);
  return res.value as T;
}

/** Reuses a finished job's result, resumes an interrupted one, or starts it; then waits for it to finish. */
async function settle(c: CallClient, existingJobId: string | null, start: () => Promise<string>, say: (s: string) => void): Promise<Job> {
  let jobId = existingJobId;
  if (jobId) {
    const job = await ok<Job>(c.call('jobs:get', { id: jobId }));
    if (job.state === 'done') return job;
    if (RESUMABLE_STATES.includes(job.state)) {
      say(`resuming job ${jobId} (${job.state} at ${job.progress.done}${job.progress.total ? `/${job.progress.total}` : ''})`);
      await ok(c.call('jobs:resume', { id: jobId }));
    }
  } else jobId = await start();
  const job = await waitForJob(c, jobId, false);
  if (job.state !== 'done') throw new DemoError(`job ${jobId} ended ${job.state}: ${job.error?.message ?? ''}`);
  return job;
}

interface RunSummary {
  id: string;
  kind: string;
  version: string | null;
  split: string | null;
  state: string;
  jobId: string | null;
}
interface RunDetail extends RunSummary {
  config: Record<string, unknown>;
  metrics: Record<string, any> | null;
}

async function findRun(c: CallClient, kind: string, version: string, match: (r: RunDetail) => boolean): Promise<RunDetail | null> {
  const runs = await ok<RunSummary[]>(c.call('runs:list', { kind, version, limit: 1000 }));
  for (const r of runs) {
    const d = await ok<RunDetail>(c.call('runs:get', { id: r.id }));
    if (match(d)) return d;
  }
  return null;
}

function fmt(x: unknown): string {
  return typeof x === 'number' ? x.toFixed(3) : String(x);
}

export async function runDemo(c: CallClient, json: boolean): Promise<number> {
  const say = (s: string) => {
    if (!json) process.stdout.write(`  ${s}\n`);
  };
  const step = (s: string) => {
    if (!json) process.stdout.write(`\n▶ ${s}\n`);
  };
  const summary: Record<string, unknown> = {};
  try {
    step('1/8 Import the bundled samples (MedMNIST pneumonia X-ray and breast ultrasound)');
    const datasets: string[] = [];
    for (const name of DEMO_SAMPLES) {
      const path = join(ROOT, 'resources', 'samples', 'medmnist', `${name}.npz`);
      if (!existsSync(path)) throw new DemoError(`bundled sample missing: ${path}`);
      const list = await ok<Array<{ id: string; name: string; jobId: string | null; state: string }>>(c.call('datasets:list', {}));
      const existing = list.find((d) => d.name === `demo sample: ${name}` && d.state !== 'failed');
      let dataset = existing?.id ?? '';
      await settle(
        c,
        existing?.jobId ?? null,
        async () => {
          const r = await ok<{ dataset: string; job: Job }>(
            c.call('datasets:import', { source: 'medmnist', path, seed: DEMO_SEED, name: `demo sample: ${name}` }),
          );
          dataset = r.dataset;
          return r.job.id;
        },
        say,
      );
      const d = await ok<{ imported: number; rejected: number; bySplit: Record<string, number> }>(c.call('datasets:get', { id: dataset, rejectionsLimit: 0 }));
      say(
        `${name}: ${d.imported} items (${Object.entries(d.bySplit)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}), ${d.rejected} rejected`,
      );
      datasets.push(dataset);
    }
    summary.datasets = datasets;

    step(`2/8 Balance and freeze a dataset version (${DEMO_TOTAL} items, equal per modality, source splits, seed ${DEMO_SEED})`);
    const version = await ok<{ id: string; n: number; counts: Record<string, Record<string, number>>; created: boolean }>(
      c.call('versions:create', { datasets, total: DEMO_TOTAL, split: { mode: 'source' }, seed: DEMO_SEED, name: 'Demo: balanced pneumonia + breast' }),
    );
    say(
      `version ${version.id}: ${version.n} items; by split ${JSON.stringify(version.counts.bySplit)}; by correct letter ${JSON.stringify(version.counts.byLetter)}`,
    );
    summary.version = version.id;

    step('3/8 Register the reference model pack (checked file by file against its SHA-256)');
    const pack = await ok<{ id: string; name: string }>(c.call('models:add', { path: DEMO_MODEL }));
    say(`${pack.name} — pack ${pack.id.slice(0, 16)}… (a reference model, not a medical device)`);
    summary.pack = pack.id;

    const diagnose = async (adapter: string | null, label: string): Promise<RunDetail> => {
      const found = await findRun(c, 'diagnose', version.id, (r) => r.split === DIAGNOSE_SPLIT && (r.config.adapter ?? null) === adapter);
      let runId = found?.id ?? '';
      await settle(
        c,
        found?.jobId ?? null,
        async () => {
          const r = await ok<{ run: string; job: Job }>(
            c.call('runs:diagnose', { model: pack.id, version: version.id, split: DIAGNOSE_SPLIT, seed: DEMO_SEED, ...(adapter ? { adapter } : {}) }),
          );
          runId = r.run;
          return r.job.id;
        },
        say,
      );
      const run = await ok<RunDetail>(c.call('runs:get', { id: runId }));
      const o = run.metrics?.overall;
      say(
        `${label}: n ${o?.n}, Accuracy@1 ${fmt(o?.acc1)} [${(o?.acc1Ci ?? []).map(fmt).join(', ')}], Pass@${SHOWN_K} ${fmt(o?.passAtK?.[SHOWN_K])} (chance ${fmt(o?.chanceAtK?.[SHOWN_K])}), gap ${fmt(o?.supportGapAtK?.[SHOWN_K])}`,
      );
      for (const [m, g] of Object.entries((run.metrics?.byModality ?? {}) as Record<string, any>))
        say(`   ${m}: Accuracy@1 ${fmt(g.acc1)}, Pass@${SHOWN_K} ${fmt(g.passAtK?.[SHOWN_K])} (n ${g.n})`);
      return run;
    };

    step(`4/8 Diagnose the base model on the ${DIAGNOSE_SPLIT} split: Accuracy@1 against Pass@K, and a linear probe of the vision tower`);
    const base = await diagnose(null, 'base model');
    const probe = await findRun(c, 'probe', version.id, () => true);
    let probeId = probe?.id ?? '';
    await settle(
      c,
      probe?.jobId ?? null,
      async () => {
        const r = await ok<{ run: string; job: Job }>(c.call('runs:probe', { model: pack.id, version: version.id, seed: DEMO_SEED }));
        probeId = r.run;
        return r.job.id;
      },
      say,
    );
    const probeRun = await ok<RunDetail>(c.call('runs:get', { id: probeId }));
    for (const [task, t] of Object.entries((probeRun.metrics?.byTask ?? probeRun.metrics?.tasks ?? {}) as Record<string, any>)) {
      const acc = t?.test?.accuracy ?? t?.accuracy;
      say(`   probe ${task}: test accuracy ${fmt(acc)}`);
    }

    step(
      `5/8 Recommend at K = ${RECIPE_K} (the largest K whose chance level stays below the support target): bridge (low support), sharpen (support present, Accuracy@1 lags), improve vision, or done`,
    );
    const rec = await ok<{ recipe: { overall: { decision: string; rule: string }; byModality: Record<string, { decision: string }> } }>(
      c.call('runs:recommend', { run: base.id, k: RECIPE_K }),
    );
    say(`overall: ${rec.recipe.overall.decision} — ${rec.recipe.overall.rule}`);
    for (const [m, d] of Object.entries(rec.recipe.byModality ?? {})) say(`   ${m}: ${d.decision}`);
    summary.recommendation = rec.recipe.overall.decision;

    const train = async (algorithm: 'sft' | 'grpo', init: string | null, label: string, config: Record<string, unknown> = {}): Promise<RunDetail> => {
      const budgetOf = (cfg: unknown) => (cfg as { labelBudget?: number } | undefined)?.labelBudget ?? null;
      const found = await findRun(c, algorithm, version.id, (r) => (r.config.init ?? null) === init && budgetOf(r.config.config) === budgetOf(config));
      let runId = found?.id ?? '';
      await settle(
        c,
        found?.jobId ?? null,
        async () => {
          const r = await ok<{ run: string; job: Job }>(
            c.call('training:start', { model: pack.id, version: version.id, algorithm, seed: DEMO_SEED, config, ...(init ? { init } : {}) }),
          );
          runId = r.run;
          return r.job.id;
        },
        say,
      );
      const run = await ok<RunDetail>(c.call('runs:get', { id: runId }));
      const events = await ok<Array<{ kind: string; step: number | null; payload: any }>>(c.call('runs:events', { id: runId }));
      const collapse = events.filter((e) => e.kind === 'support-collapse');
      const trained = (events.find((e) => e.kind === 'items')?.payload as { train?: number } | undefined)?.train;
      const start = events.find((e) => e.kind === 'eval' && e.step === 0)?.payload as
        { acc1: number; k: number; passAtK: Record<string, number>; n: number } | undefined;
      say(
        `${label}: run ${runId}; ${trained} train items; ${events.filter((e) => e.kind === 'eval').length} validation checks${collapse.length ? `; support guard fired at step ${collapse.map((e) => e.step).join(', ')}` : '; support guard quiet'}`,
      );
      if (start) {
        const pk = start.passAtK[String(start.k)] ?? 0;
        say(`   started at val Acc@1 ${start.acc1.toFixed(3)}, Pass@${start.k} ${pk.toFixed(3)}: gap ${(pk - start.acc1).toFixed(3)} (n = ${start.n})`);
        summary.starts = {
          ...(summary.starts as Record<string, unknown> | undefined),
          [algorithm]: { acc1: start.acc1, k: start.k, passAtK: pk, gap: pk - start.acc1, n: start.n, trainItems: trained },
        };
      }
      return run;
    };

    step(
      `6/8 Bridge: supervised fine-tuning of the adapter on a labelled fraction, at most ${DEFAULT_BRIDGE_LABEL_BUDGET} train items per task (early stopping on validation)`,
    );
    const sft = await train('sft', null, 'SFT', { labelBudget: DEFAULT_BRIDGE_LABEL_BUDGET });
    const bridged = await diagnose(sft.id, 'after bridge');

    step('7/8 Sharpen: GRPO from the bridged model on the whole train split, with the support guard watching validation Pass@K');
    const grpo = await train('grpo', sft.id, 'GRPO');
    const sharpened = await diagnose(grpo.id, 'after sharpen');
    summary.runs = { base: base.id, probe: probeId, sft: sft.id, bridged: bridged.id, grpo: grpo.id, sharpened: sharpened.id };

    step('8/8 Study and audit report (HTML, PDF, evidence bundle with a SHA-256 manifest)');
    const studies = await ok<Array<{ id: string; name: string; runs: string[] }>>(c.call('studies:list', {}));
    const runs = [base.id, probeId, sft.id, bridged.id, grpo.id, sharpened.id];
    const study =
      studies.find((s) => s.name === DEMO_STUDY && JSON.stringify(s.runs) === JSON.stringify(runs)) ??
      (await ok<{ id: string }>(
        c.call('studies:create', {
          name: DEMO_STUDY,
          runs,
          intendedUse: 'Demonstration of the MedBridge workflow on public sample data with a reference model. Not for clinical use.',
        }),
      ));
    type Generated = { id: string; html: string; pdf: string | null; manifestHash: string; out: string };
    let generated = await c.call('reports:generate', { study: study.id, pdf: true });
    if (!generated.ok && generated.error.code === 'reports/pdf-unavailable') {
      // No Chromium on this machine: the HTML report and the evidence bundle are still written.
      say(`PDF skipped: ${generated.error.message} (npm run setup:system installs Chromium)`);
      generated = await c.call('reports:generate', { study: study.id, pdf: false });
    }
    const report = await ok<Generated>(Promise.resolve(generated));
    say(`report: ${report.html}`);
    if (report.pdf) say(`pdf:    ${report.pdf}`);
    say(`evidence bundle ${report.out}, manifest SHA-256 ${report.manifestHash}`);
    summary.study = study.id;
    summary.report = { html: report.html, pdf: report.pdf, bundle: report.out, manifestHash: report.manifestHash };
    summary.metrics = Object.fromEntries(
      [
        ['base', base],
        ['bridged', bridged],
        ['sharpened', sharpened],
      ].map(([k, r]) => [
        k as string,
        { acc1: (r as RunDetail).metrics?.overall?.acc1, [`passAt${SHOWN_K}`]: (r as RunDetail).metrics?.overall?.passAtK?.[SHOWN_K] },
      ]),
    );
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`\nDemo study complete. Report: ${report.pdf ?? report.html}\n`);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'demo/failed', message }, progress: summary })}\n`);
    process.stderr.write(`Demo stopped: ${message}\nRun the demo again to continue from here.\n`);
    return 1;
  }
}
