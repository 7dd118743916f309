// The app's audit signing key, protected by the OS key store through Electron's safeStorage (Keychain, DPAPI,
// libsecret/kwallet). The key file sits in the same config folder as the headless one, under its own name, with the
// private key encrypted; its public key stays readable so the CLI of the same installation trusts it. Where
// safeStorage has no encryption available, the app uses the headless key file (mode 0600) instead.
import { safeStorage } from 'electron';
import { join } from 'node:path';
import { medbridgeConfigDir } from '../audit/config-dir.ts';
import { FileKeyStore, HEADLESS_KEY_FILE, type KeyProtector, type KeyStore } from '../audit/key-store.ts';

export const APP_KEY_FILE = 'signing-key.app.json';

function safeStorageProtector(): KeyProtector {
  return {
    name: 'electron-safe-storage',
    protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unprotect: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

/** Call after app 'ready' (safeStorage needs it). */
export function appKeyStore(configDir = medbridgeConfigDir()): KeyStore {
  return safeStorage.isEncryptionAvailable()
    ? new FileKeyStore(join(configDir, APP_KEY_FILE), safeStorageProtector())
    : new FileKeyStore(join(configDir, HEADLESS_KEY_FILE));
}
