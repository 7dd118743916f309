// Where each part of the report data lives in the evidence bundle (file names are also the citation targets of
// every number in the HTML).

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'medbridge-evidence-bundle/1' as const;
export const HTML_FILE = 'report.html';
export const PDF_FILE = 'report.pdf';
export const STUDY_FILE = 'study.json';
export const DERIVED_FILE = 'report.json';
export const REVIEW_FILE = 'review.json';
export const AUDIT_FILE = 'audit-log.json';
/** The Ed25519 signature over manifest.json's SHA-256 (not listed in the manifest: it signs it). */
export const SIGNATURE_FILE = 'signature.json';
export const SIGNATURE_FORMAT = 'medbridge-bundle-signature/1' as const;

const safe = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_');

export const runFile = (id: string): string => `runs/${safe(id)}.json`;
export const versionFile = (id: string): string => `versions/${safe(id)}.json`;
export const versionManifestFile = (id: string): string => `versions/${safe(id)}.manifest.json`;
export const datasetFile = (id: string): string => `datasets/${safe(id)}.json`;
export const modelFile = (id: string): string => `models/${safe(id)}.json`;
