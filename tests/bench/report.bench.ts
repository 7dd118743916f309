// Report generation for a study of 50 runs over a 20,000-item dataset version (synthetic records written through the
// real tables), timed against writing the same evidence-bundle JSON without rendering (gather + JSON files +
// manifest) in the same run. Target: under 10 s of work. The PDF print of the same page is timed on its own row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { computeMetricsReport } from '../../shared/metrics/index.ts';
import { recommendFromReport } from '../../shared/recipe/index.ts';
import { createRng } from '../../shared/random.ts';
import { runEnvironment } from '../../electron/environment/run-environment.ts';
import { ChromiumPdfPrinter } from '../../electron/reports/pdf-printer.ts';
import { gatherReportData } from '../../electron/reports/report-data.ts';
import { jsonFile, writeBundle } from '../../electron/reports/evidence-bundle.ts';
import { runFile, versionFile, versionManifestFile, datasetFile, modelFile, STUDY_FILE } from '../../electron/reports/bundle-layout.ts';
import { ReportsService } from '../../electron/services/reports-service.ts';
import { StudiesService } from '../../electron/services/studies-service.ts';
import { Workspace } from '../../electron/storage/workspace.ts';
import type { Benchmark, BenchRow } from './harness.ts';
import { medianSeconds } from './harness.ts';

const ITEMS = 20_000;
const RUNS = 50;
/** Diagnoses among the runs (the rest are training runs with curves). */
const DIAGNOSES = 20;
const EVAL_EVERY = 10;
const TRAIN_STEPS = 200;
const MODALITIES = ['ct', 'mri', 'x-ray', 'ultrasound', 'microscopy', 'none'] as const;
const TASKS = 12;
const TARGET_SECONDS = 10;

function seedWorkspace(ws: Workspace): string[] {
  const rng = createRng(7);
  const now = new Date().toISOString();
  const pack = 'a'.repeat(64);
  const results: Array<{ item: string; probs: number[]; correct: number; modality: string; task: string; split: string }> = [];
  ws.change({ actor: 'bench', action: 'bench:seed', subject: 'report', payload: { items: ITEMS, runs: RUNS } }, (tx) => {
    // Seeding writes rows directly (a bench fixture, not app code), through the change's write handle.
    const db = { prepare: (sql: string) => ({ run: (...params: unknown[]) => tx.run(sql, ...params) }) };
    db.prepare("INSERT INTO datasets (id, name, source, params, state, created_at) VALUES ('ds-bench', 'synthetic', 'medmnist', '{}', 'ready', ?)").run(now);
    const item =
      db.prepare(`INSERT INTO items (id, dataset_id, source_key, question, options, correct, answer, kind, modality, modality_source, modality_confidence, task, benchmark, question_type, source_split)
      VALUES (?, 'ds-bench', ?, 'Which finding?', '["a","b","c","d"]', ?, 'a', 'multiple-choice', ?, ?, 1, ?, 'medmnist', 'class-label', ?)`);
    const manifestItems: Array<{ id: string; optionOrder: number[]; split: string }> = [];
    for (let i = 0; i < ITEMS; i++) {
      const id = `it-${String(i).padStart(6, '0')}`;
      const modality = MODALITIES[i % MODALITIES.length] as string;
      const split = i % 10 === 0 ? 'test' : i % 10 === 1 ? 'val' : 'train';
      const correct = i % 4;
      item.run(id, `row ${i}`, correct, modality, modality === 'none' ? 'none' : i % 3 ? 'source' : 'classifier', `task-${i % TASKS}`, split);
      manifestItems.push({ id, optionOrder: [0, 1, 2, 3], split });
      const raw = [0, 1, 2, 3].map((k) => rng.next() + (k === correct ? 0.8 : 0));
      const sum = raw.reduce((a, b) => a + b, 0);
      results.push({ item: id, probs: raw.map((x) => x / sum), correct, modality, task: `task-${i % TASKS}`, split });
    }
    const manifest = new TextEncoder().encode(canonicalJson({ format: 'medbridge-dataset-version/1', items: manifestItems }));
    const blob = ws.blobs.put(manifest);
    db.prepare("INSERT INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, 'application/json', ?)").run(blob.hash, blob.size, now);
    db.prepare(
      "INSERT INTO dataset_versions (id, name, spec, manifest_hash, notes, removed, n, created_at) VALUES ('dv-bench', 'synthetic', '{\"split\":{\"mode\":\"source\"},\"seed\":1}', ?, '[]', '{}', ?, ?)",
    ).run(blob.hash, ITEMS, now);
    const vi = db.prepare("INSERT INTO version_items (version_id, item_id, split, option_order, modality) VALUES ('dv-bench', ?, ?, '[0,1,2,3]', ?)");
    for (const r of results) vi.run(r.item, r.split, r.modality);
    db.prepare(
      "INSERT INTO model_packs (id, name, kind, path, manifest, added_at) VALUES (?, 'bench-pack', 'reference', '/nowhere', '{\"label\":\"bench\",\"files\":[]}', ?)",
    ).run(pack, now);
  });
  // One metrics report (the setup cost, not the timed work) stored on every run, as a diagnosis job would.
  const report = computeMetricsReport(results, { bootstrapSamples: 200, seed: 1 });
  const recommendation = { run: '', probeRun: null, createdAt: now, recipe: recommendFromReport(report) };
  const env = JSON.stringify({ ...runEnvironment(), executionProvider: { provider: 'cpu' } });
  const ids: string[] = [];
  ws.change({ actor: 'bench', action: 'bench:runs', subject: 'report', payload: { runs: RUNS } }, (tx) => {
    const db = { prepare: (sql: string) => ({ run: (...params: unknown[]) => tx.run(sql, ...params) }) };
    const run = db.prepare(
      "INSERT INTO runs (id, kind, pack_id, version_id, split, config, seed, state, metrics, environment, created_at, finished_at) VALUES (?, ?, ?, 'dv-bench', ?, ?, ?, 'done', ?, ?, ?, ?)",
    );
    const ev = db.prepare('INSERT INTO run_events (run_id, seq, kind, step, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    const ri = db.prepare('INSERT INTO run_items (run_id, item_id, split, probs, correct) VALUES (?, ?, ?, ?, ?)');
    for (let r = 0; r < RUNS; r++) {
      const id = `run-bench-${String(r).padStart(2, '0')}`;
      ids.push(id);
      const diagnosis = r < DIAGNOSES;
      run.run(
        id,
        diagnosis ? 'diagnose' : r % 2 ? 'grpo' : 'sft',
        pack,
        diagnosis ? 'all' : 'train',
        JSON.stringify({ steps: TRAIN_STEPS, lr: 0.01, ks: [1, 2, 4, 8, 16] }),
        r,
        JSON.stringify(report),
        env,
        now,
        now,
      );
      let seq = 0;
      if (diagnosis) {
        for (const x of results) ri.run(id, x.item, x.split, JSON.stringify(x.probs), x.correct);
        ev.run(id, ++seq, 'recommendation', null, JSON.stringify({ ...recommendation, run: id }), now);
      } else {
        for (let step = 1; step <= TRAIN_STEPS; step++) {
          ev.run(
            id,
            ++seq,
            'train',
            step,
            JSON.stringify({
              loss: 1 / step,
              accuracy: 0.5 + step / (4 * TRAIN_STEPS),
              reward: 0.5 + step / (4 * TRAIN_STEPS),
              kl: step / 1e4,
              gradNorm: 1 / Math.sqrt(step),
            }),
            now,
          );
          if (step % EVAL_EVERY === 0)
            ev.run(id, ++seq, 'eval', step, JSON.stringify({ n: 2000, acc1: 0.5 + step / 1000, pass1: 0.45, passAtK: { '8': 0.9 - step / 5000 }, k: 8 }), now);
        }
        if (r % 5 === 0) ev.run(id, ++seq, 'support-collapse', TRAIN_STEPS, JSON.stringify({ k: 8, bestPassAtK: 0.9, passAtK: 0.8, drop: 0.1 }), now);
      }
    }
  });
  return ids;
}

export const reportBench: Benchmark = {
  name: 'report',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-report-'));
    try {
      const ws = Workspace.init(join(dir, 'ws'), 'bench');
      const runIds = seedWorkspace(ws);
      const study = new StudiesService(ws).create(
        { name: 'Bench study', runs: runIds, intendedUse: 'Benchmark of report generation; not for clinical use.' },
        'bench',
      ).id;
      const reports = new ReportsService(ws, () => new ChromiumPdfPrinter());
      let round = 0;
      const full = await medianSeconds(async () => {
        await reports.generate({ study, out: join(dir, `full-${round++}`), pdf: false }, 'bench');
      }, 3);
      const bare = await medianSeconds(() => {
        const data = gatherReportData(ws, study);
        writeBundle(
          join(dir, `bare-${round++}`),
          [
            { path: STUDY_FILE, bytes: jsonFile(data.study) },
            ...data.runs.map((r) => ({ path: runFile(r.id), bytes: jsonFile(r) })),
            ...data.versions.flatMap((v) => [
              { path: versionFile(v.id), bytes: jsonFile(v) },
              { path: versionManifestFile(v.id), bytes: ws.blobs.get(v.manifestHash) },
            ]),
            ...data.datasets.map((d) => ({ path: datasetFile(d.id), bytes: jsonFile(d) })),
            ...data.models.map((m) => ({ path: modelFile(m.id), bytes: jsonFile(m) })),
          ],
          { report: 'bare', study, version: 0, dataHash: '', generatedAt: '', auditHead: ws.audit.head() },
        );
      }, 3);
      const t0 = performance.now();
      const withPdf = await reports.generate({ study, out: join(dir, 'pdf'), pdf: true }, 'bench');
      const pdfSeconds = (performance.now() - t0) / 1000;
      ws.close();
      const htmlBytes = withPdf.files.find((f) => f.path === 'report.html')?.bytes ?? 0;
      const pdfBytes = withPdf.files.find((f) => f.path === 'report.pdf')?.bytes ?? 0;
      process.stdout.write(
        `  ${RUNS} runs, ${ITEMS} items: report (HTML + bundle) ${full.toFixed(2)} s; bundle JSON alone ${bare.toFixed(2)} s; with PDF ${pdfSeconds.toFixed(2)} s (target < ${TARGET_SECONDS} s); HTML ${(htmlBytes / 1e6).toFixed(1)} MB, PDF ${(pdfBytes / 1e6).toFixed(1)} MB, ${withPdf.files.length} files\n`,
      );
      return [
        {
          name: `report HTML + bundle, ${RUNS} runs × ${ITEMS} items`,
          value: full,
          unit: 's',
          baseline: bare,
          baselineName: 'bundle JSON without rendering',
          ratio: bare / full,
          target: `< ${TARGET_SECONDS} s`,
        },
        {
          name: `report HTML + bundle + PDF (Chromium), ${RUNS} runs`,
          value: pdfSeconds,
          unit: 's',
          baseline: bare,
          baselineName: 'bundle JSON without rendering',
          ratio: bare / pdfSeconds,
          target: `< ${TARGET_SECONDS} s`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
