// The evidence bundle writer: every file of the report folder written atomically, then manifest.json listing the
// SHA-256 and size of every other file, the audit head the bundle was cut at, and a seal (SHA-256 of the manifest's
// own canonical JSON without the seal) so a change to manifest.json itself is detected too. The manifest is written
// as canonical JSON: its bytes are a function of its content. Last, signature.json: the installation's Ed25519
// signature over the manifest's SHA-256 (a recomputed manifest no longer matches it without the key).
import { existsSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { canonicalJson } from '../../shared/canonical-json.ts';
import type { GeneratedReport } from '../../shared/api/reports.ts';
import { AppError } from '../../shared/errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT, SIGNATURE_FILE, SIGNATURE_FORMAT } from './bundle-layout.ts';
import { bundleMessage } from '../audit/signed-messages.ts';
import type { SigningKey } from '../audit/signing-key.ts';

/** The key that signs the bundle and the workspace it comes from. */
export interface BundleSigner {
  workspace: string;
  key: SigningKey;
}

export interface BundleSignature {
  format: typeof SIGNATURE_FORMAT;
  workspace: string;
  manifestSha256: string;
  key: string;
  publicKey: string;
  signature: string;
}

export interface BundleEntry {
  path: string;
  bytes: Uint8Array;
}

export interface BundleManifest {
  format: typeof MANIFEST_FORMAT;
  report: string;
  study: string;
  version: number;
  dataHash: string;
  generatedAt: string;
  auditHead: { seq: number; hash: string };
  files: GeneratedReport['files'];
  seal: string;
}

export function manifestSeal(m: Omit<BundleManifest, 'seal'> & { seal?: string }): string {
  const { seal: _seal, ...rest } = m;
  return sha256Hex(canonicalJson(rest));
}

export function manifestBytes(m: BundleManifest): Buffer {
  return Buffer.from(`${canonicalJson(m)}\n`, 'utf8');
}

/** Pretty JSON for the human-readable bundle files (numbers keep their exact shortest round-trip form). */
export function jsonFile(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 1)}\n`, 'utf8');
}

/** Files below dir, as bundle paths with "/" separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** An empty folder, or one holding a previous bundle (whose listed files are removed first). Anything else is refused. */
export function prepareOutDir(dir: string): void {
  if (!existsSync(dir)) return;
  const present = listFiles(dir);
  if (!present.length) return;
  const manifestPath = join(dir, MANIFEST_FILE);
  let listed: string[] | null = null;
  try {
    listed = (JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest).files.map((f) => f.path);
  } catch {
    listed = null;
  }
  const foreign = listed ? present.filter((p) => p !== MANIFEST_FILE && p !== SIGNATURE_FILE && !listed.includes(p)) : present;
  if (foreign.length)
    throw new AppError(
      'conflict',
      `${dir} holds files that are not part of a MedBridge report bundle (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); choose an empty folder.`,
      { dir, files: foreign.slice(0, 20) },
    );
  for (const p of [...(listed ?? []), MANIFEST_FILE, SIGNATURE_FILE]) rmSync(join(dir, p), { force: true });
  for (const p of listed ?? []) {
    for (let d = dirname(join(dir, p)); resolve(d) !== resolve(dir); d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
    }
  }
}

export function writeBundle(
  dir: string,
  entries: readonly BundleEntry[],
  meta: Omit<BundleManifest, 'files' | 'seal' | 'format'>,
  signer: BundleSigner | null = null,
): { files: GeneratedReport['files']; manifest: BundleManifest; manifestHash: string } {
  prepareOutDir(dir);
  const files: GeneratedReport['files'] = [];
  for (const f of entries) {
    if (f.path === MANIFEST_FILE || f.path.includes('..') || f.path.startsWith('/')) throw new Error(`bad bundle path ${f.path}`);
    writeFileAtomic(join(dir, ...f.path.split('/')), f.bytes);
    files.push({ path: f.path, sha256: sha256Hex(f.bytes), bytes: f.bytes.length });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const unsealed = { format: MANIFEST_FORMAT, ...meta, files };
  const manifest: BundleManifest = { ...unsealed, seal: manifestSeal(unsealed) };
  const bytes = manifestBytes(manifest);
  writeFileAtomic(join(dir, MANIFEST_FILE), bytes);
  const manifestHash = sha256Hex(bytes);
  if (signer) writeFileAtomic(join(dir, SIGNATURE_FILE), jsonFile(signManifest(manifestHash, signer)));
  return { files, manifest, manifestHash };
}

export function signManifest(manifestSha256: string, signer: BundleSigner): BundleSignature {
  const { key, workspace } = signer;
  return {
    format: SIGNATURE_FORMAT,
    workspace,
    manifestSha256,
    key: key.fingerprint,
    publicKey: key.publicKey,
    signature: key.sign(bundleMessage({ workspace, manifestSha256, key: key.fingerprint })),
  };
}
