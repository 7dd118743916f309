// What creating a study asks of the runs table: whether a run it names exists.
import type { ReadDb } from '../sql-handles.ts';

export function runExists(db: ReadDb, id: string): boolean {
  return db.get('SELECT 1 FROM runs WHERE id = ?', id) !== undefined;
}
