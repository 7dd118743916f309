// Studies: a named, ordered set of runs (the bridge-then-sharpen recipe applied to one data version and model, or
// any runs a team wants reported together). Fixed at creation (audited); reports are made from them.
import { randomUUID } from 'node:crypto';
import type { StudySummary } from '../../shared/api/reports.ts';
import { AppError } from '../../shared/errors.ts';
import { reportCountOfStudy } from '../storage/repositories/reports.ts';
import { runExists } from '../storage/repositories/runs.ts';
import { insertStudy, insertStudyRun, studiesNewestFirst, studyById, studyRunIds, type StudyRow } from '../storage/repositories/studies.ts';
import type { Workspace } from '../storage/workspace.ts';

export const STUDY_ID_PREFIX = 'st-';

export class StudiesService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  create(input: { name: string; runs: string[]; intendedUse: string }, actor: string): StudySummary {
    const dup = input.runs.find((r, i) => input.runs.indexOf(r) !== i);
    if (dup) throw new AppError('request/invalid-input', `Run ${dup} is listed twice; a study names each run once, in order.`, { run: dup });
    for (const r of input.runs) {
      if (!runExists(this.ws.read, r)) throw new AppError('not-found', `There is no run ${r} in this workspace (see: medbridge runs list).`, { run: r });
    }
    const id = `${STUDY_ID_PREFIX}${randomUUID().slice(0, 13)}`;
    const now = new Date().toISOString();
    this.ws.change({ actor, action: 'studies:create', subject: id, payload: { name: input.name, runs: input.runs, intendedUse: input.intendedUse } }, (tx) => {
      insertStudy(tx, { id, name: input.name, intended_use: input.intendedUse, created_by: actor, created_at: now });
      input.runs.forEach((r, i) => insertStudyRun(tx, id, i + 1, r));
    });
    return this.get(id);
  }

  get(id: string): StudySummary {
    const row = studyById(this.ws.read, id);
    if (!row) throw new AppError('not-found', `There is no study ${id} in this workspace.`, { study: id });
    return this.summary(row);
  }

  list(): StudySummary[] {
    return studiesNewestFirst(this.ws.read).map((r) => this.summary(r));
  }

  private summary(r: StudyRow): StudySummary {
    const runs = studyRunIds(this.ws.read, r.id);
    const reports = reportCountOfStudy(this.ws.read, r.id);
    return { id: r.id, name: r.name, intendedUse: r.intended_use, runs, createdAt: r.created_at, createdBy: r.created_by, reports };
  }
}
