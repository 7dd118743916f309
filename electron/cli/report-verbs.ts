// Study and report verbs: studies create|list, report (generate) | report list|comment|sign, and
// `audit verify --bundle DIR` (with a workspace: also the chain and the bundle's entries against it; without one:
// the bundle alone). Exit 1 naming every file or entry that does not match.
import { resolve } from 'node:path';
import type { BundleVerification, GeneratedReport, ReportVersion, StudySummary } from '../../shared/api/reports.ts';
import { verifyBundle } from '../reports/bundle-verify.ts';
import { Installation } from '../audit/installation.ts';
import { flagString, type ParsedArgs } from './args.ts';
import type { CallClient } from './call-client.ts';
import { UsageError, print } from './cli-output.ts';

const STUDIES_USAGE = 'studies create --name N --runs R1,R2[,…] --intended-use TEXT | studies list';
const REPORT_USAGE =
  'report --study S [--out DIR] [--pdf] | report list --study S | report comment --report R --author NAME --text T | report sign --report R --name N --role R --meaning M';

function need(args: ParsedArgs, name: string, usage: string): string {
  const v = flagString(args, name);
  if (!v) throw new UsageError(`--${name} is required\n  ${usage}`);
  return v;
}

export async function studiesVerb(c: CallClient, sub: string | undefined, args: ParsedArgs, json: boolean): Promise<number> {
  if (sub === 'create') {
    const runs = need(args, 'runs', STUDIES_USAGE)
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    // the host judges the values (empty or only spaces is refused with the field named); the CLI only needs the flags
    const name = flagString(args, 'name');
    const intendedUse = flagString(args, 'intended-use');
    if (name === undefined || intendedUse === undefined) throw new UsageError(`--name and --intended-use are required\n  ${STUDIES_USAGE}`);
    return print(json, await c.call('studies:create', { name, runs, intendedUse }), (v) => {
      const s = v as StudySummary;
      return `Created study ${s.id} "${s.name}" with ${s.runs.length} run(s).`;
    });
  }
  if (sub === 'list')
    return print(
      json,
      await c.call('studies:list', {}),
      (v) => (v as StudySummary[]).map((s) => `${s.id}  ${s.name}  ${s.runs.length} run(s), ${s.reports} report version(s)`).join('\n') || 'No studies.',
    );
  throw new UsageError(STUDIES_USAGE);
}

function formatVersion(r: ReportVersion): string {
  const sig = r.signatures.map((s) => `    signed by ${s.name} (${s.role}) — ${s.meaning} — ${s.signedAt}, audit entry #${s.auditSeq}`);
  return [`${r.id}  version ${r.version}  ${r.signed ? 'SIGNED' : 'draft'}  data ${r.dataHash.slice(0, 16)}…  ${r.comments.length} comment(s)`, ...sig].join(
    '\n',
  );
}

export async function reportVerb(c: CallClient, sub: string | undefined, args: ParsedArgs, json: boolean): Promise<number> {
  switch (sub) {
    case undefined: {
      const out = flagString(args, 'out');
      const r = await c.call('reports:generate', {
        study: need(args, 'study', REPORT_USAGE),
        pdf: args.flags.has('pdf'),
        ...(out ? { out: resolve(out) } : {}),
      });
      return print(json, r, (v) => {
        const g = v as GeneratedReport;
        return [
          `${g.newVersion ? 'New report version' : 'Unchanged records: report version'} ${g.version} (${g.id}) ${g.signed ? '— signed' : '— draft'}`,
          `  ${g.html}`,
          ...(g.pdf ? [`  ${g.pdf}`] : []),
          `  ${g.manifest} (${g.files.length} files, SHA-256 ${g.manifestHash})`,
          `  audit head #${g.auditHead.seq} ${g.auditHead.hash}`,
        ].join('\n');
      });
    }
    case 'list':
      return print(
        json,
        await c.call('reports:list', { study: need(args, 'study', REPORT_USAGE) }),
        (v) => (v as ReportVersion[]).map(formatVersion).join('\n') || 'No report yet.',
      );
    case 'comment':
      return print(
        json,
        await c.call('reports:comment', {
          report: need(args, 'report', REPORT_USAGE),
          author: need(args, 'author', REPORT_USAGE),
          text: need(args, 'text', REPORT_USAGE),
        }),
        (v) => formatVersion(v as ReportVersion),
      );
    case 'sign':
      return print(
        json,
        await c.call('reports:sign', {
          report: need(args, 'report', REPORT_USAGE),
          name: need(args, 'name', REPORT_USAGE),
          role: need(args, 'role', REPORT_USAGE),
          meaning: need(args, 'meaning', REPORT_USAGE),
        }),
        (v) => formatVersion(v as ReportVersion),
      );
    default:
      throw new UsageError(REPORT_USAGE);
  }
}

/** Prints the verification; exit 1 when anything does not match. */
export function reportBundleVerification(v: BundleVerification, dir: string, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify(v)}\n`);
  if (v.ok) {
    if (!json)
      process.stdout.write(
        `Bundle verified: ${v.files} files match manifest.json; ${v.auditEntries} audit entries recompute up to head #${v.auditHead?.seq} ${v.auditHead?.hash}${v.checkedAgainstWorkspace ? " and match this workspace's audit log" : ' (no workspace given: not checked against the audit log)'}.\n${v.guarantee.summary}\n`,
      );
    return 0;
  }
  process.stderr.write(`Bundle ${dir} FAILED verification (${v.problems.length} problem(s)):\n`);
  for (const p of v.problems)
    process.stderr.write(`  ${p.file ? `${p.file}` : ''}${p.seq !== null ? `${p.file ? ' ' : ''}entry #${p.seq}` : ''}: ${p.message}\n`);
  return 1;
}

/** `audit verify --bundle DIR` with a workspace (through its client) or on the bundle alone. */
export async function verifyBundleVerb(c: CallClient | null, dir: string, json: boolean): Promise<number> {
  const abs = resolve(dir);
  if (!c) {
    // No workspace: trust this installation's own keys and those listed in known-keys.txt (no key is created).
    return reportBundleVerification(verifyBundle(abs, undefined, Installation.fromEnvironment().trust()), abs, json);
  }
  const r = await c.call('reports:verify', { dir: abs });
  if (!r.ok) return print(json, r, () => '');
  return reportBundleVerification(r.value as BundleVerification, abs, json);
}
