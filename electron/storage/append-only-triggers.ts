// The append-only guard of the audit tables: one BEFORE UPDATE and one BEFORE DELETE trigger per table, each
// refusing the statement. Written by the migrations, and checked by `audit verify` (a missing or altered trigger
// means someone used a tool to make the log writable).
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_keys', 'audit_signatures', 'workspace_identity'] as const;

export function appendOnlyTriggerSql(table: string, op: 'UPDATE' | 'DELETE'): string {
  return `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table === 'audit_log' ? 'audit log' : table} is append-only'); END;`;
}

export interface TriggerRow {
  name: string;
  tbl_name: string;
  sql: string | null;
}

const normal = (sql: string): string => sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();

/** Triggers that are missing or whose text differs from what the migrations wrote (names, as "table: trigger"). */
export function missingAppendOnlyTriggers(present: readonly TriggerRow[], tables: readonly string[]): string[] {
  const missing: string[] = [];
  for (const table of tables) {
    for (const op of ['UPDATE', 'DELETE'] as const) {
      const expected = appendOnlyTriggerSql(table, op);
      const name = `${table}_no_${op.toLowerCase()}`;
      const row = present.find((t) => t.name === name);
      if (!row || row.tbl_name !== table || !row.sql || normal(row.sql) !== normal(expected)) missing.push(name);
    }
  }
  return missing;
}
