// Studies: a named, ordered set of runs (`studies`, and `study_runs` for the runs in their order). Fixed at creation.
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface StudyRow {
  id: string;
  name: string;
  intended_use: string | null;
  created_by: string;
  created_at: string;
}

export function studyById(db: ReadDb, id: string): StudyRow | undefined {
  return db.get<StudyRow>('SELECT * FROM studies WHERE id = ?', id);
}

/** Every study, the newest first. */
export function studiesNewestFirst(db: ReadDb): StudyRow[] {
  return db.all<StudyRow>('SELECT * FROM studies ORDER BY created_at DESC, rowid DESC');
}

/** The ids of a study's runs, in the study's order. */
export function studyRunIds(db: ReadDb, studyId: string): string[] {
  return db.all<{ run_id: string }>('SELECT run_id FROM study_runs WHERE study_id = ? ORDER BY position', studyId).map((r) => r.run_id);
}

export function insertStudy(tx: WriteDb, row: StudyRow): void {
  tx.run(
    'INSERT INTO studies (id, name, intended_use, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
    row.id,
    row.name,
    row.intended_use,
    row.created_by,
    row.created_at,
  );
}

/** One of a study's runs at its position (1 = first). */
export function insertStudyRun(tx: WriteDb, studyId: string, position: number, runId: string): void {
  tx.run('INSERT INTO study_runs (study_id, position, run_id) VALUES (?, ?, ?)', studyId, position, runId);
}
