// What the report computes from the records rather than copies: label-source shares, the limitations and the
// checklist. Written to the bundle as report.json, so derived numbers are cited like stored ones.
import { buildChecklist, buildItemChecklist, type ChecklistItemRow, type ChecklistRow } from './checklist.ts';
import { findLimitations, type Limitation } from './limitations.ts';
import type { ReportData } from './report-data.ts';
import { seedVariability, type SeedGroup } from './seed-variability.ts';

export interface ReportDerived {
  report: string;
  version: number;
  /** SHA-256 of the canonical report data (what a signature signs, together with the comments). */
  dataHash: string;
  generatedAt: string;
  /** labelShares[version][source] = items labelled that way / items in the version. */
  labelShares: Record<string, Record<string, number>>;
  limitations: Limitation[];
  checklist: ChecklistRow[];
  /** Every CLAIM 2024 and TRIPOD+AI item by its number, with the section answering it (absent in reports frozen before). */
  checklistItems?: ChecklistItemRow[];
  /** Training runs that differ only in their seed, with mean ± sd (absent in reports frozen before). */
  seedVariability?: SeedGroup[];
}

export function deriveReport(data: ReportData, meta: { report: string; version: number; dataHash: string; generatedAt: string }): ReportDerived {
  const labelShares: ReportDerived['labelShares'] = {};
  for (const v of data.versions) labelShares[v.id] = Object.fromEntries(Object.entries(v.labelSources).map(([k, n]) => [k, v.n > 0 ? n / v.n : 0]));
  const checklist = buildChecklist(data);
  return {
    ...meta,
    labelShares,
    limitations: findLimitations(data),
    checklist,
    checklistItems: buildItemChecklist(checklist),
    seedVariability: seedVariability(data.runs),
  };
}
