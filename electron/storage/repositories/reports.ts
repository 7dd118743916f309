// Report versions of a study (`reports`, immutable), the review comments on them (`reviews`, append-only) and their
// signatures (`signatures`). Each review and signature is numbered per report (seq 1, 2, …).
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface ReportRow {
  id: string;
  study_id: string;
  version: number;
  data_hash: string;
  created_at: string;
}

export interface ReviewRow {
  seq: number;
  author: string;
  text: string;
  created_at: string;
}

export interface SignatureRow {
  report_id: string;
  seq: number;
  name: string;
  role: string;
  meaning: string;
  signed_hash: string;
  audit_seq: number;
  signed_at: string;
}

export function reportById(db: ReadDb, id: string): ReportRow | undefined {
  return db.get<ReportRow>('SELECT * FROM reports WHERE id = ?', id);
}

/** A study's report versions, the latest first. */
export function reportsOfStudyLatestFirst(db: ReadDb, studyId: string): ReportRow[] {
  return db.all<ReportRow>('SELECT * FROM reports WHERE study_id = ? ORDER BY version DESC', studyId);
}

/** A study's latest report version, if it has one. */
export function latestReportOfStudy(db: ReadDb, studyId: string): ReportRow | undefined {
  return db.get<ReportRow>('SELECT * FROM reports WHERE study_id = ? ORDER BY version DESC LIMIT 1', studyId);
}

/** The highest version number among a study's reports (the study has at least one). */
export function latestReportVersion(db: ReadDb, studyId: string): number {
  return (db.get<{ v: number }>('SELECT max(version) AS v FROM reports WHERE study_id = ?', studyId) as { v: number }).v;
}

export function reportIdsOfStudy(db: ReadDb, studyId: string): string[] {
  return db.all<{ id: string }>('SELECT id FROM reports WHERE study_id = ?', studyId).map((r) => r.id);
}

export function reportCountOfStudy(db: ReadDb, studyId: string): number {
  return (db.get<{ n: number }>('SELECT count(*) AS n FROM reports WHERE study_id = ?', studyId) as { n: number }).n;
}

export function insertReport(tx: WriteDb, row: ReportRow): void {
  tx.run(
    'INSERT INTO reports (id, study_id, version, data_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    row.id,
    row.study_id,
    row.version,
    row.data_hash,
    row.created_at,
  );
}

/** A report's review comments in the order they were made. */
export function reviewsOfReport(db: ReadDb, reportId: string): ReviewRow[] {
  return db.all<ReviewRow>('SELECT seq, author, text, created_at FROM reviews WHERE report_id = ? ORDER BY seq', reportId);
}

/** The seq of a report's last review comment (null before the first). */
export function lastReviewSeq(db: ReadDb, reportId: string): number | null {
  return (db.get<{ s: number | null }>('SELECT max(seq) AS s FROM reviews WHERE report_id = ?', reportId) as { s: number | null }).s;
}

export function insertReview(tx: WriteDb, reportId: string, row: ReviewRow): void {
  tx.run('INSERT INTO reviews (report_id, seq, author, text, created_at) VALUES (?, ?, ?, ?, ?)', reportId, row.seq, row.author, row.text, row.created_at);
}

/** A report's signatures in the order they were given. */
export function signaturesOfReport(db: ReadDb, reportId: string): SignatureRow[] {
  return db.all<SignatureRow>('SELECT * FROM signatures WHERE report_id = ? ORDER BY seq', reportId);
}

/** The seq of a report's last signature (null before the first). */
export function lastSignatureSeq(db: ReadDb, reportId: string): number | null {
  return (db.get<{ s: number | null }>('SELECT max(seq) AS s FROM signatures WHERE report_id = ?', reportId) as { s: number | null }).s;
}

export function insertSignature(tx: WriteDb, row: SignatureRow): void {
  tx.run(
    'INSERT INTO signatures (report_id, seq, name, role, meaning, signed_hash, audit_seq, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    row.report_id,
    row.seq,
    row.name,
    row.role,
    row.meaning,
    row.signed_hash,
    row.audit_seq,
    row.signed_at,
  );
}
