// Which report-file URLs the doors answer: exactly /report-files/<report id>/<report.html|report.pdf|manifest.json>;
// anything with a path, another name or an odd id is not asked for at all. And where a report was written: only the
// workspace's report folder (…/reports/<report id>) is linked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inWorkspaceReportFolder, parseReportFilePath, reportFileHref } from '../../../shared/report-files.ts';
import { reportFileOnDisk } from '../../../electron/reports/report-file.ts';

test('a report file URL names a report id and a served file, nothing else', () => {
  assert.deepEqual(parseReportFilePath(reportFileHref('rep-3c6ee8c6-788d-v2', 'report.pdf')), { report: 'rep-3c6ee8c6-788d-v2', file: 'report.pdf' });
  assert.deepEqual(parseReportFilePath('/report-files/rep-a-v1/manifest.json'), { report: 'rep-a-v1', file: 'manifest.json' });
  for (const bad of [
    '/report-files/rep-a-v1/review.json',
    '/report-files/rep-a-v1/../x/report.html',
    '/report-files/../rep-a-v1/report.html',
    '/report-files/st-a/report.html',
    '/report-files/rep-a-v1/sub/report.html',
    '/report-files/rep-a-v1',
    '/reports/rep-a-v1/report.html',
    '/report-files/rep-a%2Fb/report.html',
    '/report-files/rep-a-v1/report.html/',
  ]) {
    assert.equal(parseReportFilePath(bad), null, bad);
  }
  assert.equal(reportFileHref('rep-a-v1', 'report.html', true), '/report-files/rep-a-v1/report.html?download=1');
});

test('only reports written to the workspace report folder are linked', () => {
  assert.equal(inWorkspaceReportFolder('/data/W/reports/rep-a-v1', 'rep-a-v1'), true);
  assert.equal(inWorkspaceReportFolder('C:\\W\\reports\\rep-a-v1', 'rep-a-v1'), true);
  assert.equal(inWorkspaceReportFolder('/home/me/out', 'rep-a-v1'), false);
  assert.equal(inWorkspaceReportFolder('/home/me/reports/rep-b-v1', 'rep-a-v1'), false);
});

test('on disk: a regular file inside the report folder, never one linked out of it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-report-file-'));
  try {
    const reports = join(dir, 'reports');
    mkdirSync(join(reports, 'rep-a-v1'), { recursive: true });
    writeFileSync(join(reports, 'rep-a-v1', 'report.html'), '<p>ok</p>');
    writeFileSync(join(dir, 'secret'), 'not a report');
    mkdirSync(join(reports, 'rep-b-v1'));
    symlinkSync(join(dir, 'secret'), join(reports, 'rep-b-v1', 'report.html'));
    mkdirSync(join(reports, 'rep-c-v1', 'report.pdf'), { recursive: true });
    assert.equal(reportFileOnDisk(reports, 'rep-a-v1', 'report.html'), join(reports, 'rep-a-v1', 'report.html'));
    assert.equal(reportFileOnDisk(reports, 'rep-a-v1', 'report.pdf'), null, 'missing');
    assert.equal(reportFileOnDisk(reports, 'rep-b-v1', 'report.html'), null, 'linked out of the folder');
    assert.equal(reportFileOnDisk(reports, 'rep-c-v1', 'report.pdf'), null, 'a folder, not a file');
    assert.equal(reportFileOnDisk(join(dir, 'none'), 'rep-a-v1', 'report.html'), null, 'no report folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
