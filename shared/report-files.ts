// The report files the interface links to: a report version's HTML, PDF and manifest, by the report id and the file
// name only (never a path), under one URL prefix that the headless host and the Electron app:// protocol both answer
// from the workspace's own report folder. Pure, so both sides and the tests share one rule for what may be asked.

export const REPORT_FILES_PATH = '/report-files/';
export const SERVED_REPORT_FILES = ['report.html', 'report.pdf', 'manifest.json'] as const;
export type ServedReportFile = (typeof SERVED_REPORT_FILES)[number];

/** A report id as reports-service makes it (`rep-<study>-v<version>`): letters, digits and dashes only. */
const REPORT_ID = /^rep-[A-Za-z0-9-]{1,130}$/;

export const REPORT_FILE_MEDIA_TYPES: Record<ServedReportFile, string> = {
  'report.html': 'text/html; charset=utf-8',
  'report.pdf': 'application/pdf',
  'manifest.json': 'application/json',
};

/** The link to one file of a report; `download` asks for it as an attachment rather than shown. */
export function reportFileHref(report: string, file: ServedReportFile, download = false): string {
  return `${REPORT_FILES_PATH}${encodeURIComponent(report)}/${file}${download ? '?download=1' : ''}`;
}

/** The report and file a URL path asks for, or null when it is not exactly `/report-files/<report id>/<served file>`. */
export function parseReportFilePath(pathname: string): { report: string; file: ServedReportFile } | null {
  if (!pathname.startsWith(REPORT_FILES_PATH)) return null;
  const parts = pathname.slice(REPORT_FILES_PATH.length).split('/');
  if (parts.length !== 2) return null;
  const [report, file] = parts as [string, string];
  if (!REPORT_ID.test(report)) return null;
  return (SERVED_REPORT_FILES as readonly string[]).includes(file) ? { report, file: file as ServedReportFile } : null;
}

/** Whether a report was written to the workspace's report folder (`…/reports/<report id>`), the only one served. */
export function inWorkspaceReportFolder(out: string, report: string): boolean {
  const parts = out.split(/[\\/]+/).filter(Boolean);
  return parts.at(-1) === report && parts.at(-2) === 'reports';
}
