// Studies: a named, ordered set of runs (the bridge-then-sharpen recipe applied to one data version and model, or
// any runs a team wants reported together). Fixed at creation (audited); reports are made from them.
import { randomUUID } from 'node:crypto';
import type { StudySummary } from '../../shared/api/reports.ts';
import { AppError } from '../../shared/errors.ts';
import type { Workspace } from '../workspace/workspace.ts';

export const STUDY_ID_PREFIX = 'st-';

interface StudyRow { id: string; name: string; intended_use: string | null; created_by: string; created_at: string }

export class StudiesService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  create(input: { name: string; runs: string[]; intendedUse: string }, actor: string): StudySummary {
    const dup = input.runs.find((r, i) => input.runs.indexOf(r) !== i);
    if (dup) throw new AppError('request/invalid-input', `Run ${dup} is listed twice; a study names each run once, in order.`, { run: dup });
    for (const r of input.runs) {
      if (!this.ws.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(r)) throw new AppError('not-found', `There is no run ${r} in this workspace (see: medbridge runs list).`, { run: r });
    }
    const id = `${STUDY_ID_PREFIX}${randomUUID().slice(0, 13)}`;
    const now = new Date().toISOString();
    this.ws.change({ actor, action: 'studies:create', subject: id, payload: { name: input.name, runs: input.runs, intendedUse: input.intendedUse } }, () => {
      this.ws.db.prepare('INSERT INTO studies (id, name, intended_use, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(id, input.name, input.intendedUse, actor, now);
      const insert = this.ws.db.prepare('INSERT INTO study_runs (study_id, position, run_id) VALUES (?, ?, ?)');
      input.runs.forEach((r, i) => insert.run(id, i + 1, r));
    });
    return this.get(id);
  }

  get(id: string): StudySummary {
    const row = this.ws.db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as StudyRow | undefined;
    if (!row) throw new AppError('not-found', `There is no study ${id} in this workspace.`, { study: id });
    return this.summary(row);
  }

  list(): StudySummary[] {
    return (this.ws.db.prepare('SELECT * FROM studies ORDER BY created_at DESC, rowid DESC').all() as StudyRow[]).map((r) => this.summary(r));
  }

  private summary(r: StudyRow): StudySummary {
    const runs = (this.ws.db.prepare('SELECT run_id FROM study_runs WHERE study_id = ? ORDER BY position').all(r.id) as Array<{ run_id: string }>).map((x) => x.run_id);
    const reports = (this.ws.db.prepare('SELECT count(*) AS n FROM reports WHERE study_id = ?').get(r.id) as { n: number }).n;
    return { id: r.id, name: r.name, intendedUse: r.intended_use, runs, createdAt: r.created_at, createdBy: r.created_by, reports };
  }
}
