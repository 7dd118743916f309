// `medbridge <verb>`: the command-line door to the same contract. `--json` prints machine-readable results on stdout;
// human-readable errors go to stderr; the exit code is 0 only on success (2 for usage errors).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError, type Result } from '../../shared/errors.ts';
import type { Job } from '../../shared/api/jobs.ts';
import type { AuditVerification } from '../../shared/api/audit.ts';
import { startHeadlessServer } from '../host/http-server.ts';
import { flagString, parseArgs, type ParsedArgs } from './args.ts';
import { connect, type CallClient } from './call-client.ts';
import { runDemo } from './demo.ts';
import { UsageError, formatJob, print, waitForJob } from './cli-output.ts';
import { balanceVerb, datasetsVerb, importVerb, modalityVerb, versionsVerb } from './data-verbs.ts';
import { diagnoseVerb, modelsVerb, probeVerb, recommendVerb, runsVerb } from './model-verbs.ts';
import { exportJobVerb, importRunVerb, runEventsVerb, trainVerb, transferVerb } from './training-verbs.ts';
import { reportVerb, studiesVerb, verifyBundleVerb } from './report-verbs.ts';
import { exportOnnxVerb } from './export-verbs.ts';
import { exitAfterDrain } from './exit-after-drain.ts';

const USAGE = `Usage: medbridge <verb> --workspace DIR [--json]

  init                         create a workspace folder
  status                       schema version, integrity, counts
  blobs add FILE...            copy files into the content-addressed store
  jobs list                    list jobs
  jobs start verify-blobs [--rate N]   check every stored file against its hash (N files/s, 0 = no limit)
  jobs start compact-images           store grey images that older versions kept as RGB PNGs as grey PNGs (same
                                      pixels, same ids; the old files are removed)
  jobs cancel ID | jobs resume ID
  audit verify [--bundle DIR]  recompute the audit hash chain, check its signatures, the anchor log outside the
                               workspace and the append-only triggers (and a report bundle's manifest, signature and
                               audit excerpt); exit 1 naming every file or entry that does not match; says which key
                               signed (--bundle works without --workspace)
  import medmnist|pmcvqa|vqa-rad|slake|image-folder|dicom PATH [--images DIR] [--labels CSV] [--task T] [--modality M]
                               [--volume every-slice|middle-slice|most-tissue|montage[:N]]
                               import a data source as a dataset (de-identified for DICOM); --volume: per DICOM series
                               or MedMNIST 3D volume, every slice an item (default) or one item from a key slice or a
                               montage of N evenly spaced slices
  datasets list | show ID | delete ID
                               datasets and their import summaries; delete one no frozen version uses
  modality label --dataset ID  auto-label modality;  modality override ITEM... --modality M
  balance --datasets ID,… [--total N] [--quotas equal|ct=N,…] [--split source|patient-random] [--seed N] [--preview]
                               freeze a balanced dataset version (or preview its counts)
  versions list | show ID      frozen dataset versions with per-split/modality/letter counts
  models add PATH | models list          register a model-pack folder (files checked against their SHA-256) / list packs
  diagnose --model M --version V [--k 1,2,4,8,16] [--split val|test|train|all] [--temperature T] [--adapter RUN] [--dump DIR]
                               Accuracy@1, Pass@K vs chance, calibration per modality/task/split (M = pack id or folder)
  probe --model M --version V [--reference-accuracy A]   linear probe of the frozen vision tower per task
  recommend --run R [--k 8] [--support-target 0.8] [--sharpen-gap 0.1] [--perception-margin 0.1]
                               bridge / sharpen / improve-vision / done, stored with the numbers behind it
  runs list | show ID | compare A B      runs, one run's details, paired comparison of two diagnoses
  runs events ID [--kind eval]           a run's events: training curves, support-collapse, checkpoints
  train sft|grpo|grpo-care --model M --version V [--init RUN] [--config FILE] [--seed N] [--steps N] [--lr X] [--k K]
                               train an adapter on the frozen pack (checkpointed, resumable, support guard)
  transfer --model M --version V --train-task T | --train-modality M [--algorithm grpo] [--init RUN]
                               train on one subset; Δ Acc@1 / Δ Pass@K in-domain, within- and cross-modality
  export-job --engine verl|trl|easyr1 (--run R | --version V) --out DIR [--lr 1e-6] [--base-model M]
                               write data + engine config + reward + launch script for a GPU server
  export --run R --out DIR     a finished training run as a runnable ONNX model pack: the base pack's graphs +
                               adapter_head.onnx + manifest.json (SHA-256 of every file) + provenance README (audited)
  import-run DIR               bring an engine run back: metrics.jsonl as events, checkpoint/ as a model pack
  studies create --name N --runs R1,R2 --intended-use TEXT | studies list   name an ordered set of runs as a study
  report --study S [--out DIR] [--pdf]   HTML + PDF report and evidence bundle (SHA-256 manifest); new version when records change
  report list --study S | report comment --report R --author A --text T | report sign --report R --name N --role R --meaning M
  serve [--port N] [--token-file F] serve the interface and the API on 127.0.0.1 (token from F, MEDBRIDGE_TOKEN,
                               or --token T, which other users can see in ps; else a random one)
  demo                         run the guided demo study on the bundled sample and the reference model

The workspace can also be given by MEDBRIDGE_WORKSPACE.`;

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has('json');
  const [verb, sub, ...rest] = args.positionals;
  if (!verb || args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return verb ? 0 : 2;
  }
  try {
    const workspace = flagString(args, 'workspace') ?? process.env.MEDBRIDGE_WORKSPACE;
    const bundle = verb === 'audit' && sub === 'verify' ? flagString(args, 'bundle') : undefined;
    if (bundle && !workspace) return await verifyBundleVerb(null, bundle, json);
    if (!workspace) throw new UsageError('--workspace DIR is required.');
    if (bundle) return await withClient(workspace, {}, (c) => verifyBundleVerb(c, bundle, json));
    switch (verb) {
      case 'init':
        return await withClient(workspace, { init: true }, async (c) =>
          print(json, await c.call('workspace:status', {}), (s) => `Created workspace ${(s as { path: string }).path}`),
        );
      case 'status':
        return await withClient(workspace, {}, async (c) => print(json, await c.call('workspace:status', {}), formatStatus));
      case 'blobs':
        if (sub !== 'add' || rest.length === 0) throw new UsageError('blobs add FILE...');
        return await withClient(workspace, {}, async (c) =>
          print(json, await c.call('blobs:add', { paths: rest.map((p) => resolve(p)) }), (v) => `Added ${(v as { added: unknown[] }).added.length} file(s).`),
        );
      case 'jobs':
        return await jobsVerb(workspace, sub, rest, args, json);
      case 'audit':
        if (sub !== 'verify') throw new UsageError('audit verify');
        return await withClient(workspace, {}, async (c) => {
          const r = await c.call('audit:verify', {});
          if (!r.ok) return print(json, r, () => '');
          const v = r.value as AuditVerification;
          if (json) process.stdout.write(`${JSON.stringify(v)}\n`);
          if (v.ok) {
            if (!json) process.stdout.write(`Audit log verified: ${v.entries} entries, head ${v.headHash}\n${v.guarantee.summary}\n`);
            return 0;
          }
          process.stderr.write(
            `Audit log FAILED verification (${v.problems.length} problem(s)):\n${v.problems.map((p) => `  [${p.kind}]${p.seq !== null ? ` entry #${p.seq}` : ''}: ${p.message}`).join('\n')}\n`,
          );
          return 1;
        });
      case 'serve':
        return await serve(workspace, args);
      case 'import':
        return await withClient(workspace, {}, (c) => importVerb(c, sub, rest[0], args, json));
      case 'datasets':
        return await withClient(workspace, {}, (c) => datasetsVerb(c, sub, rest, json));
      case 'modality':
        return await withClient(workspace, {}, (c) => modalityVerb(c, sub, rest, args, json));
      case 'balance':
        return await withClient(workspace, {}, (c) => balanceVerb(c, args, json));
      case 'versions':
        return await withClient(workspace, {}, (c) => versionsVerb(c, sub, rest, json));
      case 'models':
        return await withClient(workspace, {}, (c) => modelsVerb(c, sub, rest, json, args));
      case 'diagnose':
        return await withClient(workspace, {}, (c) => diagnoseVerb(c, args, json));
      case 'probe':
        return await withClient(workspace, {}, (c) => probeVerb(c, args, json));
      case 'recommend':
        return await withClient(workspace, {}, (c) => recommendVerb(c, args, json));
      case 'runs':
        if (sub === 'events') return await withClient(workspace, {}, (c) => runEventsVerb(c, rest[0], args, json));
        return await withClient(workspace, {}, (c) => runsVerb(c, sub, rest, args, json));
      case 'train':
        return await withClient(workspace, {}, (c) => trainVerb(c, sub, args, json));
      case 'transfer':
        return await withClient(workspace, {}, (c) => transferVerb(c, args, json));
      case 'export-job':
        return await withClient(workspace, {}, (c) => exportJobVerb(c, args, json));
      case 'export':
        return await withClient(workspace, {}, (c) => exportOnnxVerb(c, args, json));
      case 'import-run':
        return await withClient(workspace, {}, (c) => importRunVerb(c, sub, json));
      case 'demo':
        return await withClient(workspace, {}, async (c) => runDemo(c, json));
      case 'studies':
        return await withClient(workspace, {}, (c) => studiesVerb(c, sub, args, json));
      case 'report':
        return await withClient(workspace, {}, (c) => reportVerb(c, sub, args, json));
      default:
        throw new UsageError(`Unknown verb "${verb}".`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    const shape = e instanceof AppError ? e.toShape() : { code: 'internal', message: (e as Error).message };
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: shape })}\n`);
    process.stderr.write(`Error [${shape.code}]: ${shape.message}\n`);
    return 1;
  }
}

async function withClient(workspace: string, opts: { init?: boolean }, fn: (c: CallClient) => Promise<number>): Promise<number> {
  const client = connect(workspace, opts);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

async function jobsVerb(workspace: string, sub: string | undefined, rest: string[], args: ParsedArgs, json: boolean): Promise<number> {
  return withClient(workspace, {}, async (c) => {
    switch (sub) {
      case 'list':
        return print(json, await c.call('jobs:list', {}), (v) => (v as Job[]).map(formatJob).join('\n') || 'No jobs.');
      case 'start': {
        if (rest[0] === 'compact-images') return finishJob(c, await c.call('jobs:start', { kind: 'compact-images', params: {} }), json);
        if (rest[0] !== 'verify-blobs') throw new UsageError('jobs start verify-blobs [--rate N] | jobs start compact-images');
        const rate = Number(flagString(args, 'rate') ?? '0');
        return finishJob(c, await c.call('jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond: rate } }), json);
      }
      case 'cancel':
        if (!rest[0]) throw new UsageError('jobs cancel ID');
        return print(json, await c.call('jobs:cancel', { id: rest[0] }), (v) => formatJob(v as Job));
      case 'resume':
        if (!rest[0]) throw new UsageError('jobs resume ID');
        return finishJob(c, await c.call('jobs:resume', { id: rest[0] }), json);
      default:
        throw new UsageError('jobs list | start KIND | cancel ID | resume ID');
    }
  });
}

/** In-process, a started job is run to its end with progress on stderr; through a host, the host runs it. */
async function finishJob(c: CallClient, started: Result<unknown>, json: boolean): Promise<number> {
  if (!started.ok || !c.core) return print(json, started, (v) => formatJob(v as Job));
  const job = await waitForJob(c, (started.value as Job).id, json);
  process.stdout.write(json ? `${JSON.stringify(job)}\n` : `${formatJob(job)}\n`);
  return job.state === 'done' ? 0 : 1;
}

async function serve(workspace: string, args: ParsedArgs): Promise<number> {
  const client = connect(workspace, { mode: 'headless' });
  if (!client.core) {
    throw new AppError('workspace/locked', 'This workspace is already being served by another MedBridge process.');
  }
  const core = client.core;
  const token = serveToken(args);
  const port = Number(flagString(args, 'port') ?? '0');
  const staticDir = fileURLToPath(new URL('../../renderer/dist', import.meta.url));
  const server = await startHeadlessServer({ core, token, port, staticDir });
  const url = `${server.url}?token=${token}`;
  core.ws.lock.advertise(url, token);
  process.stdout.write(`MedBridge is serving ${url}\n`);
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ url, port: server.port, token })}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  client.close();
  return 0;
}

/**
 * The access token of `serve`: from --token-file F or MEDBRIDGE_TOKEN (neither shows in `ps`), else --token T (kept for
 * scripts, with a warning: any local user can read a command line), else a fresh random one.
 */
function serveToken(args: ParsedArgs): string {
  const fileArg = flagString(args, 'token-file');
  if (fileArg !== undefined) {
    const file = resolve(fileArg);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AppError('request/invalid-input', `Cannot read the token file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, {
        path: file,
      });
    }
    const token = text.trim();
    if (!token) throw new AppError('request/invalid-input', `The token file ${file} is empty.`, { path: file });
    return token;
  }
  const given = flagString(args, 'token');
  if (given !== undefined) {
    process.stderr.write(
      'Warning: a token given with --token is visible to every user of this machine (ps). Use --token-file FILE or the MEDBRIDGE_TOKEN environment variable instead.\n',
    );
    return given;
  }
  const fromEnv = process.env.MEDBRIDGE_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  return randomBytes(24).toString('base64url');
}

function formatStatus(v: unknown): string {
  const s = v as { path: string; schemaVersion: number; journalMode: string; integrity: string; counts: Record<string, number>; auditHead: string };
  return [
    `Workspace ${s.path}`,
    `  schema ${s.schemaVersion}, journal ${s.journalMode}, integrity ${s.integrity}`,
    `  ${s.counts.blobs} files, ${s.counts.jobs} jobs, ${s.counts.auditEntries} audit entries`,
    `  audit head ${s.auditHead}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => exitAfterDrain(code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      return exitAfterDrain(1);
    },
  );
}
