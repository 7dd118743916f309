// Where the installation's signing key is kept. Headless: a JSON key file (mode 0600, folder 0700) in the config
// folder. The Electron shell passes a KeyProtector built on safeStorage (the OS key store), so the private key is
// written encrypted; services never import Electron. The public key is always stored in clear so other processes
// of the same installation (e.g. the CLI beside the app) know it as one of the installation's keys.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { SigningKey, fingerprintOf } from './signing-key.ts';

export const KEY_FILE_FORMAT = 'medbridge-signing-key/1';
export const HEADLESS_KEY_FILE = 'signing-key.json';

/** Encrypts the private key at rest (the Electron shell: safeStorage). */
export interface KeyProtector {
  readonly name: string;
  protect(plain: Buffer): Buffer;
  unprotect(sealed: Buffer): Buffer;
}

export interface KeyStore {
  /** The key file this store reads and writes (for messages). */
  readonly file: string;
  /** The installation's key, created on first use. */
  loadOrCreate(): SigningKey;
}

interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  algorithm: 'ed25519';
  protection: string;
  publicKey: string;
  fingerprint: string;
  privateKey: string;
  createdAt: string;
}

export class FileKeyStore implements KeyStore {
  readonly file: string;
  private readonly protector: KeyProtector | null;
  private cached: SigningKey | null = null;

  constructor(file: string, protector: KeyProtector | null = null) {
    this.file = file;
    this.protector = protector;
  }

  loadOrCreate(): SigningKey {
    if (this.cached) return this.cached;
    if (!existsSync(this.file)) this.create();
    this.cached = this.load();
    return this.cached;
  }

  private create(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const key = SigningKey.generate();
    const der = key.privateKeyDer();
    const content: KeyFile = {
      format: KEY_FILE_FORMAT,
      algorithm: 'ed25519',
      protection: this.protector?.name ?? 'file-permissions',
      publicKey: key.publicKey,
      fingerprint: key.fingerprint,
      privateKey: (this.protector ? this.protector.protect(der) : der).toString('base64'),
      createdAt: new Date().toISOString(),
    };
    try {
      // 'wx': two processes starting at once must not both create a key; the second reads the first's.
      writeFileSync(this.file, `${JSON.stringify(content, null, 1)}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(this.file, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError(
          'signing/key-unwritable',
          `MedBridge could not create its signing key ${this.file}: ${(e as Error).message}. Set MEDBRIDGE_CONFIG_DIR to a folder you can write.`,
          { file: this.file },
        );
      }
    }
  }

  private load(): SigningKey {
    if (process.platform !== 'win32' && (statSync(this.file).mode & 0o077) !== 0) {
      throw new AppError(
        'signing/key-permissions',
        `The signing key ${this.file} can be read by other users of this computer; make it private (chmod 600 "${this.file}") and check that nobody copied it.`,
        { file: this.file },
      );
    }
    let k: KeyFile;
    try {
      k = JSON.parse(readFileSync(this.file, 'utf8')) as KeyFile;
      if (k.format !== KEY_FILE_FORMAT) throw new Error(`unknown format ${String(k.format)}`);
    } catch (e) {
      throw new AppError(
        'signing/key-unreadable',
        `The signing key ${this.file} cannot be read (${(e as Error).message}). Restore it from your backup; a new key would not match the fingerprint printed in earlier reports.`,
        { file: this.file },
      );
    }
    const sealed = Buffer.from(k.privateKey, 'base64');
    let key: SigningKey;
    try {
      key = SigningKey.fromPrivateKeyDer(k.protection === 'file-permissions' ? sealed : this.requireProtector(k.protection).unprotect(sealed));
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('signing/key-unreadable', `The signing key ${this.file} cannot be decoded (${(e as Error).message}).`, { file: this.file });
    }
    if (key.publicKey !== k.publicKey)
      throw new AppError('signing/key-unreadable', `The signing key ${this.file} is inconsistent: its private key does not belong to its public key.`, {
        file: this.file,
      });
    return key;
  }

  private requireProtector(protection: string): KeyProtector {
    if (!this.protector || this.protector.name !== protection) {
      throw new AppError('signing/key-unreadable', `The signing key ${this.file} is protected by ${protection}, which this MedBridge process cannot use.`, {
        file: this.file,
      });
    }
    return this.protector;
  }
}

/** Fingerprints of every key file of this installation in the folder (public parts only; nothing is decrypted). */
export function installationKeyFingerprints(configDir: string): string[] {
  if (!existsSync(configDir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(configDir)) {
    if (!/^signing-key.*\.json$/.test(name)) continue;
    try {
      const k = JSON.parse(readFileSync(join(configDir, name), 'utf8')) as Partial<KeyFile>;
      if (k.format === KEY_FILE_FORMAT && typeof k.publicKey === 'string') out.push(fingerprintOf(k.publicKey));
    } catch {
      // An unreadable file is not a key of this installation.
    }
  }
  return out;
}
