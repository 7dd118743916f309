// Where a linked report file is on disk: only inside the workspace's report folder, after following links, and only
// a regular file. Anything else (a missing version, a file linked out of the folder) is null, which the doors answer
// with 404 without saying why.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { ServedReportFile } from '../../shared/report-files.ts';

export function reportFileOnDisk(reportsDir: string, report: string, file: ServedReportFile): string | null {
  const candidate = join(reportsDir, report, file);
  if (!existsSync(reportsDir) || !existsSync(candidate)) return null;
  const root = realpathSync(reportsDir);
  const real = realpathSync(candidate);
  if (!real.startsWith(root + sep) || !statSync(real).isFile()) return null;
  return real;
}
