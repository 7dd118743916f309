// Reports for review boards: gather the study's records, freeze them as a report version (the version is the hash
// of the data: unchanged records reuse it, changed records make the next one), render the HTML (and the PDF through
// the printer the door supplies), write the evidence bundle, and record the generation in the audit log with the
// manifest's hash. Comments and signatures attach to a version; a signed version never changes.
import { resolve, join } from 'node:path';
import type { BundleVerification, GeneratedReport, ReportComment, ReportVersion, Signature } from '../../shared/api/reports.ts';
import type { AuditEntry } from '../../shared/api/audit.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import type { Workspace } from '../storage/workspace.ts';
import { auditExcerpt, subjectsOf } from '../reports/audit-excerpt.ts';
import {
  AUDIT_FILE,
  DERIVED_FILE,
  HTML_FILE,
  PDF_FILE,
  REVIEW_FILE,
  STUDY_FILE,
  datasetFile,
  modelFile,
  runFile,
  versionFile,
  versionManifestFile,
} from '../reports/bundle-layout.ts';
import { verifyBundle, type WorkspaceAuditView } from '../reports/bundle-verify.ts';
import { jsonFile, writeBundle, type BundleEntry } from '../reports/evidence-bundle.ts';
import type { PdfPrinter } from '../reports/pdf-printer.ts';
import { deriveReport } from '../reports/report-derived.ts';
import { gatherReportData, studyRecord, versionManifestBytes, type ReportData } from '../reports/report-data.ts';
import { renderReportHtml, type ReviewRecord } from '../reports/render-html.ts';
import { reportTitle } from '../reports/report-summary.ts';
import { auditEntryBySeq, auditRecordsReportManifest } from '../storage/repositories/audit-log.ts';
import { insertBlobIfAbsent } from '../storage/repositories/blobs.ts';
import {
  insertReport,
  insertReview,
  insertSignature,
  lastReviewSeq,
  lastSignatureSeq,
  latestReportOfStudy,
  latestReportVersion,
  reportById,
  reportIdsOfStudy,
  reportsOfStudyLatestFirst,
  reviewsOfReport,
  signaturesOfReport,
  type ReportRow,
} from '../storage/repositories/reports.ts';

export const REPORTS_FOLDER = 'reports';
const DATA_MEDIA_TYPE = 'application/vnd.medbridge.report-data+json';

export function reportIdFor(study: string, version: number): string {
  return `rep-${study.replace(/^st-/, '')}-v${version}`;
}

export class ReportsService {
  private readonly ws: Workspace;
  private readonly printer: () => PdfPrinter;
  constructor(ws: Workspace, printer: () => PdfPrinter) {
    this.ws = ws;
    this.printer = printer;
  }

  private row(id: string): ReportRow {
    const r = reportById(this.ws.read, id);
    if (!r) throw new AppError('not-found', `There is no report ${id} in this workspace (see: medbridge report list --study S).`, { report: id });
    return r;
  }

  private comments(id: string): ReportComment[] {
    return reviewsOfReport(this.ws.read, id).map((c) => ({ seq: c.seq, author: c.author, text: c.text, createdAt: c.created_at }));
  }

  private signatures(id: string): Signature[] {
    return signaturesOfReport(this.ws.read, id).map((s) => ({
      seq: s.seq,
      name: s.name,
      role: s.role,
      meaning: s.meaning,
      signedAt: s.signed_at,
      signedHash: s.signed_hash,
      auditSeq: s.audit_seq,
    }));
  }

  private version(r: ReportRow): ReportVersion {
    const signatures = this.signatures(r.id);
    return {
      id: r.id,
      study: r.study_id,
      version: r.version,
      dataHash: r.data_hash,
      createdAt: r.created_at,
      signed: signatures.length > 0,
      comments: this.comments(r.id),
      signatures,
    };
  }

  list(study: string): ReportVersion[] {
    studyRecord(this.ws, study);
    return reportsOfStudyLatestFirst(this.ws.read, study).map((r) => this.version(r));
  }

  /** The stored data of a report version (what was frozen when it was made). */
  /** PNG thumbnails (base64) of the items the failure analysis lists, from the blob store; a missing blob is left out. */
  private thumbnails(data: ReportData): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of data.runs) {
      for (const f of Object.values(r.failures ?? {})) {
        for (const w of f.worst)
          if (w.thumb && !(w.thumb in out) && this.ws.blobs.has(w.thumb)) out[w.thumb] = Buffer.from(this.ws.blobs.get(w.thumb)).toString('base64');
      }
    }
    return out;
  }

  storedData(id: string): ReportData {
    return JSON.parse(this.ws.blobs.get(this.row(id).data_hash).toString('utf8')) as ReportData;
  }

  async generate(input: { study: string; out?: string | undefined; pdf: boolean }, actor: string): Promise<GeneratedReport> {
    const gathered = gatherReportData(this.ws, input.study);
    const dataText = canonicalJson(gathered);
    const dataHash = sha256Hex(dataText);
    const latest = latestReportOfStudy(this.ws.read, input.study);
    const newVersion = !latest || latest.data_hash !== dataHash;
    const version = latest && !newVersion ? latest.version : (latest?.version ?? 0) + 1;
    const reportId = reportIdFor(input.study, version);
    // A signed version is rendered from the data it froze (identical by hash to what was just gathered).
    const data = newVersion ? gathered : this.storedData(reportId);
    const generatedAt = new Date().toISOString();
    const out = resolve(input.out ?? join(this.ws.dir, REPORTS_FOLDER, reportId));

    const priorReports = reportIdsOfStudy(this.ws.read, input.study);
    const audit = auditExcerpt(this.ws, subjectsOf(this.ws, data, [...priorReports, reportId]));
    const signatures = newVersion ? [] : this.signatures(reportId);
    const review: ReviewRecord = { report: reportId, version, signed: signatures.length > 0, comments: newVersion ? [] : this.comments(reportId), signatures };
    const derived = deriveReport(data, { report: reportId, version, dataHash, generatedAt });
    const key = this.ws.audit.signingKey();
    const workspaceId = this.ws.audit.workspaceId();
    const signer = key && workspaceId ? { workspace: workspaceId, key } : null;
    const html = renderReportHtml({
      data,
      derived,
      review,
      audit,
      signing: signer ? { fingerprint: signer.key.fingerprint, keys: this.ws.audit.keyFingerprints() } : null,
      thumbnails: this.thumbnails(data),
    });

    const entries: BundleEntry[] = [
      { path: STUDY_FILE, bytes: jsonFile(data.study) },
      ...data.runs.map((r) => ({ path: runFile(r.id), bytes: jsonFile(r) })),
      ...data.versions.flatMap((v) => [
        { path: versionFile(v.id), bytes: jsonFile(v) },
        { path: versionManifestFile(v.id), bytes: versionManifestBytes(this.ws, v) },
      ]),
      ...data.datasets.map((d) => ({ path: datasetFile(d.id), bytes: jsonFile(d) })),
      ...data.models.map((m) => ({ path: modelFile(m.id), bytes: jsonFile(m) })),
      { path: AUDIT_FILE, bytes: jsonFile(audit) },
      { path: DERIVED_FILE, bytes: jsonFile(derived) },
      { path: REVIEW_FILE, bytes: jsonFile(review) },
      { path: HTML_FILE, bytes: Buffer.from(html, 'utf8') },
    ];
    if (input.pdf) {
      const printed = await this.printer().print(html, { footer: `MedBridge · ${reportTitle(data)} · report ${reportId} · data ${dataHash.slice(0, 12)}` });
      if (printed.blockedRequests.length)
        throw new AppError(
          'internal',
          `The report page tried to load ${printed.blockedRequests.length} resource(s) while printing (${printed.blockedRequests[0]}); a report must be self-contained.`,
        );
      entries.push({ path: PDF_FILE, bytes: printed.pdf });
    }
    const written = writeBundle(out, entries, { report: reportId, study: input.study, version, dataHash, generatedAt, auditHead: audit.head }, signer);

    const dataBlob = newVersion ? this.ws.blobs.put(new TextEncoder().encode(dataText)) : null;
    this.ws.change(
      {
        actor,
        action: 'reports:generate',
        subject: reportId,
        payload: { study: input.study, version, newVersion, dataHash, manifestHash: written.manifestHash, auditHead: audit.head, out, pdf: input.pdf },
      },
      (tx) => {
        if (dataBlob) {
          insertBlobIfAbsent(tx, { hash: dataBlob.hash, size: dataBlob.size, mediaType: DATA_MEDIA_TYPE, createdAt: generatedAt });
          insertReport(tx, { id: reportId, study_id: input.study, version, data_hash: dataHash, created_at: generatedAt });
        }
      },
    );
    return {
      ...this.version(this.row(reportId)),
      newVersion,
      out,
      html: join(out, HTML_FILE),
      pdf: input.pdf ? join(out, PDF_FILE) : null,
      manifest: join(out, 'manifest.json'),
      manifestHash: written.manifestHash,
      auditHead: audit.head,
      files: written.files,
    };
  }

  private requireOpenLatest(id: string, what: string): ReportRow {
    const r = this.row(id);
    const latest = latestReportVersion(this.ws.read, r.study_id);
    if (r.version !== latest)
      throw new AppError('conflict', `Report ${id} is superseded by version ${latest}; ${what} the latest version.`, {
        report: id,
        latest: reportIdFor(r.study_id, latest),
      });
    return r;
  }

  comment(input: { report: string; author: string; text: string }, actor: string): ReportVersion {
    const r = this.requireOpenLatest(input.report, 'comment on');
    if (this.signatures(r.id).length)
      throw new AppError('conflict', `Report ${r.id} is signed and cannot change; comments go on a new version (generated after the records change).`, {
        report: r.id,
      });
    this.ws.change({ actor, action: 'reports:comment', subject: r.id, payload: { author: input.author, text: input.text } }, (tx) => {
      const seq = (lastReviewSeq(tx, r.id) ?? 0) + 1;
      insertReview(tx, r.id, { seq, author: input.author, text: input.text, created_at: new Date().toISOString() });
    });
    return this.version(r);
  }

  sign(input: { report: string; name: string; role: string; meaning: string }, actor: string): ReportVersion {
    const r = this.requireOpenLatest(input.report, 'sign');
    const signedHash = sha256Hex(canonicalJson({ dataHash: r.data_hash, comments: this.comments(r.id) }));
    const signedAt = new Date().toISOString();
    this.ws.change(
      {
        actor,
        action: 'reports:sign',
        subject: r.id,
        payload: { study: r.study_id, version: r.version, name: input.name, role: input.role, meaning: input.meaning, signedHash, signedAt },
      },
      (tx) => {
        const seq = (lastSignatureSeq(tx, r.id) ?? 0) + 1;
        // The audit entry that ws.change appends right after this function, in the same transaction.
        const auditSeq = this.ws.audit.head().seq + 1;
        insertSignature(tx, {
          report_id: r.id,
          seq,
          name: input.name,
          role: input.role,
          meaning: input.meaning,
          signed_hash: signedHash,
          audit_seq: auditSeq,
          signed_at: signedAt,
        });
      },
    );
    return this.version(r);
  }

  verify(dir: string): BundleVerification {
    const ws = this.ws;
    const view: WorkspaceAuditView = {
      verify: () => ws.audit.verify(),
      entry: (seq) => {
        const row = auditEntryBySeq(ws.read, seq);
        return row
          ? ({
              seq: row.seq,
              ts: row.ts,
              actor: row.actor,
              action: row.action,
              subject: row.subject,
              payload: row.payload,
              prevHash: row.prev_hash,
              hash: row.hash,
            } satisfies AuditEntry)
          : null;
      },
      recordsManifest: (hash) => auditRecordsReportManifest(ws.read, hash),
      workspaceId: ws.audit.workspaceId(),
      keyFingerprints: () => ws.audit.keyFingerprints(),
    };
    return verifyBundle(resolve(dir), view, ws.audit.trust());
  }
}
