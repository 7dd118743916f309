// Acceptance: no original PatientName, PatientID, birth date, accession number or institution string from the DICOM
// inputs appears anywhere in the workspace folder (database, WAL and blobs) after a DICOM import; every input file
// is imported or rejected with a stated reason; burned-in annotation is quarantined, not imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readDicomDataSet } from '../../../electron/dicom/index.ts';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';

const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'dicom');
/** Identifying attributes whose values must not survive (tag → name). */
const IDENTIFYING: Record<string, string> = {
  x00100010: 'PatientName',
  x00100020: 'PatientID',
  x00100030: 'PatientBirthDate',
  x00080050: 'AccessionNumber',
  x00080080: 'InstitutionName',
  x00080081: 'InstitutionAddress',
  x00080090: 'ReferringPhysicianName',
  x00081070: 'OperatorsName',
  x00081050: 'PerformingPhysicianName',
  x00081010: 'StationName',
};
/** Values too generic to search for as bytes (they occur by chance in PNG data and SQLite pages). */
const MIN_SEARCH_LENGTH = 4;
/** Short all-digit values (e.g. AccessionNumber "0010") occur by chance in any SQLite page or PNG: search from 6 digits. */
const MIN_NUMERIC_SEARCH_LENGTH = 6;
/** Placeholders such as "^^^^", "----" or "000000000" carry no identity: at least two distinct letters or digits. */
function meaningful(s: string): boolean {
  if (/^\d+$/.test(s) && s.length < MIN_NUMERIC_SEARCH_LENGTH) return false;
  return s.length >= MIN_SEARCH_LENGTH && new Set(s.replace(/[^A-Za-z0-9]/g, '')).size >= 2;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function identifyingStrings(root: string, files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const f of files) {
    const r = readDicomDataSet(new Uint8Array(readFileSync(f)), f);
    if (!r.ok) continue;
    for (const [tag, name] of Object.entries(IDENTIFYING)) {
      let v: string | undefined;
      try {
        v = r.dataSet.string(tag);
      } catch {
        v = undefined;
      }
      const parts = (v ?? '')
        .split(/[\\^=]/)
        .map((s) => s.replace(/\0/g, '').trim())
        .filter((s) => s.length >= MIN_SEARCH_LENGTH);
      for (const p of [...parts, (v ?? '').replace(/\0/g, '').trim()]) if (meaningful(p)) found.set(p, `${name} of ${relative(root, f)}`);
    }
  }
  return found;
}

test('DICOM import: every file accounted for, burned-in quarantined, no identifying string anywhere in the workspace', async (t) => {
  const { dir, cleanup } = tempDir('dicom-leak');
  t.after(cleanup);
  const source = join(dir, 'source');
  cpSync(FIXTURES, source, { recursive: true });
  // A burned-in-annotation image: MR_small (explicit VR LE) with BurnedInAnnotation (0028,0301) = "YES " inserted
  // just before the pixel data element, which keeps the tags in ascending order.
  const mr = readFileSync(join(FIXTURES, 'pydicom', 'MR_small.dcm'));
  assert.equal(mr.indexOf(Buffer.from([0x28, 0x00, 0x01, 0x03])), -1, 'fixture has no BurnedInAnnotation yet');
  const pixelTag = mr.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  const element = Buffer.concat([Buffer.from([0x28, 0x00, 0x01, 0x03]), Buffer.from('CS'), Buffer.from([4, 0]), Buffer.from('YES ')]);
  mkdirSync(join(source, 'burned'));
  writeFileSync(join(source, 'burned', 'burned_in.dcm'), Buffer.concat([mr.subarray(0, pixelTag), element, mr.subarray(pixelTag)]));
  const inputs = walk(source);
  const dicomFiles = inputs.filter((f) => f.endsWith('.dcm'));
  const secrets = identifyingStrings(source, dicomFiles);
  assert.ok(secrets.size >= 20, `found ${secrets.size} identifying strings to look for`);

  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const r = runCli(['import', 'dicom', source, '--workspace', ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = r.json as {
    imported: number;
    rejected: Array<{ file: string; reason: string; code: string }>;
    quarantined: number;
    deidentification: { profile: string; methods: Array<{ code: string }> };
  };
  // Every input file: imported (one item per DICOM image) or rejected with a reason.
  const rejectedFiles = new Set(out.rejected.map((x) => x.file));
  assert.equal(out.imported + out.rejected.length + out.quarantined, inputs.length, JSON.stringify(out.rejected));
  for (const x of out.rejected) assert.ok(x.reason.length > 10, `reason for ${x.file}`);
  assert.ok(rejectedFiles.has('pydicom/priv_SQ.dcm'), 'the file without pixel data is rejected');
  assert.ok(rejectedFiles.has('MANIFEST.md'), 'a non-DICOM file is rejected');
  assert.equal(out.rejected.find((x) => x.file === 'MANIFEST.md')?.code, 'dicom/not-dicom');
  assert.match(out.rejected.find((x) => x.file === 'pydicom/priv_SQ.dcm')?.reason ?? '', /pixel data/i);
  assert.equal(out.deidentification.methods[0]?.code, '113100');
  assert.equal(out.quarantined, 1, 'the burned-in image is quarantined for review');

  // Grep every byte of the workspace folder for every identifying string.
  const wsFiles = walk(ws);
  const leaks: string[] = [];
  for (const f of wsFiles) {
    const bytes = readFileSync(f);
    for (const [s, where] of secrets) if (bytes.includes(Buffer.from(s, 'utf8'))) leaks.push(`${where} ("${s}") found in ${relative(ws, f)}`);
  }
  assert.deepEqual(leaks, []);
  // And the check can fail: the same strings are present in the inputs.
  const inputBytes = Buffer.concat(dicomFiles.map((f) => readFileSync(f)));
  const present = [...secrets.keys()].filter((s) => inputBytes.includes(Buffer.from(s, 'utf8')));
  assert.ok(present.length >= secrets.size * 0.9, 'the searched strings are really in the inputs');
});
