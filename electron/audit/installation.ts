// What this MedBridge installation trusts, all kept outside any workspace in the config folder:
//   signing-key*.json   the installation's Ed25519 key(s) (headless file; the app's safeStorage-protected file)
//   known-keys.txt      fingerprints of other installations' keys, one per line (# comments), added by hand
//   anchors/<workspace id>.jsonl   append-only log of the signed audit heads of each workspace used here
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { medbridgeConfigDir } from './config-dir.ts';
import { FileKeyStore, HEADLESS_KEY_FILE, installationKeyFingerprints, type KeyStore } from './key-store.ts';
import type { SigningKey } from './signing-key.ts';

export const KNOWN_KEYS_FILE = 'known-keys.txt';
export const ANCHORS_FOLDER = 'anchors';

export class Installation {
  readonly configDir: string;
  readonly keyStore: KeyStore;

  constructor(configDir: string, keyStore: KeyStore = new FileKeyStore(join(configDir, HEADLESS_KEY_FILE))) {
    this.configDir = configDir;
    this.keyStore = keyStore;
  }

  /** The installation from MEDBRIDGE_CONFIG_DIR / XDG_CONFIG_HOME / ~/.config, with the given key store (default: the headless key file). */
  static fromEnvironment(keyStore?: KeyStore): Installation {
    return new Installation(medbridgeConfigDir(), keyStore);
  }

  /** The key that signs (created on first use). */
  signingKey(): SigningKey {
    return this.keyStore.loadOrCreate();
  }

  anchorFile(workspaceId: string): string {
    return join(this.configDir, ANCHORS_FOLDER, `${workspaceId.replace(/[^A-Za-z0-9_-]/g, '_')}.jsonl`);
  }

  /** This installation's own key fingerprints plus those listed in known-keys.txt. Never creates a key. */
  trustedFingerprints(): Set<string> {
    return this.trust().trusted;
  }

  /** Fingerprints of this installation's own key files (the subset of trustedFingerprints it holds a private key for). */
  ownFingerprints(): Set<string> {
    return new Set(installationKeyFingerprints(this.configDir));
  }

  /** Both sets, reading the key files once. */
  trust(): { trusted: Set<string>; own: Set<string> } {
    const own = this.ownFingerprints();
    const out = new Set(own);
    const file = join(this.configDir, KNOWN_KEYS_FILE);
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const fp = line.replace(/#.*/, '').replace(/[\s:]/g, '').toLowerCase();
        if (/^[0-9a-f]{32}$/.test(fp)) out.add(fp);
      }
    }
    return { trusted: out, own };
  }
}
