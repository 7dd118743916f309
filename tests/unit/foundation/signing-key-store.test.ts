// The installation's signing key: created once with mode 0600 in the config folder, the same key on every load,
// refused when other users can read it, encrypted at rest through a KeyProtector (the app's safeStorage), and the
// config folder chosen from MEDBRIDGE_CONFIG_DIR / XDG_CONFIG_HOME / ~/.config. Signatures bind their message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { medbridgeConfigDir } from '../../../electron/audit/config-dir.ts';
import { FileKeyStore, type KeyProtector } from '../../../electron/audit/key-store.ts';
import { Installation } from '../../../electron/audit/installation.ts';
import { SigningKey, fingerprintOf, verifySignature } from '../../../electron/audit/signing-key.ts';

function temp(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'medbridge-keys-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('config folder: MEDBRIDGE_CONFIG_DIR, else XDG_CONFIG_HOME/medbridge, else ~/.config/medbridge', () => {
  assert.equal(medbridgeConfigDir({ MEDBRIDGE_CONFIG_DIR: '/a/b', XDG_CONFIG_HOME: '/x' }), '/a/b');
  assert.equal(medbridgeConfigDir({ XDG_CONFIG_HOME: '/x' }), '/x/medbridge');
  assert.equal(medbridgeConfigDir({}), join(homedir(), '.config', 'medbridge'));
});

test('the key file is created once with mode 0600 and loads as the same key', (t) => {
  const dir = temp(t);
  const file = join(dir, 'cfg', 'signing-key.json');
  const a = new FileKeyStore(file).loadOrCreate();
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'cfg')).mode & 0o777, 0o700);
  const b = new FileKeyStore(file).loadOrCreate();
  assert.equal(b.fingerprint, a.fingerprint);
  assert.match(a.fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(fingerprintOf(a.publicKey), a.fingerprint);
});

test('a key file other users can read is refused with a coded error naming it', (t) => {
  const file = join(temp(t), 'signing-key.json');
  new FileKeyStore(file).loadOrCreate();
  chmodSync(file, 0o644);
  assert.throws(
    () => new FileKeyStore(file).loadOrCreate(),
    (e: any) => e.code === 'signing/key-permissions' && e.message.includes(file),
  );
});

test('a damaged key file is refused, not silently replaced by a new key', (t) => {
  const file = join(temp(t), 'signing-key.json');
  new FileKeyStore(file).loadOrCreate();
  writeFileSync(file, '{"format":"medbridge-signing-key/1","protection":"file-permissions","publicKey":"x","privateKey":"AAAA"}', { mode: 0o600 });
  assert.throws(
    () => new FileKeyStore(file).loadOrCreate(),
    (e: any) => e.code === 'signing/key-unreadable',
  );
});

test('with a protector the private key is stored encrypted, and only that protector opens it', (t) => {
  const file = join(temp(t), 'signing-key.app.json');
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
  const protector: KeyProtector = { name: 'test-xor', protect: xor, unprotect: xor };
  const key = new FileKeyStore(file, protector).loadOrCreate();
  const stored = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(stored.protection, 'test-xor');
  assert.notEqual(
    stored.privateKey,
    Buffer.from(SigningKey.fromPrivateKeyDer(xor(Buffer.from(stored.privateKey, 'base64'))).privateKeyDer()).toString('base64'),
  );
  assert.equal(new FileKeyStore(file, protector).loadOrCreate().fingerprint, key.fingerprint);
  assert.throws(
    () => new FileKeyStore(file).loadOrCreate(),
    (e: any) => e.code === 'signing/key-unreadable' && /test-xor/.test(e.message),
  );
});

test('trusted fingerprints: the installation key files plus known-keys.txt (comments and spacing ignored)', (t) => {
  const dir = temp(t);
  const inst = new Installation(dir);
  const own = inst.signingKey().fingerprint;
  const other = SigningKey.generate().fingerprint;
  writeFileSync(join(dir, 'known-keys.txt'), `# the registry's workstation\n${other.replace(/(.{4})/g, '$1 ')}  # Dr X\nnot-a-fingerprint\n`);
  assert.deepEqual([...inst.ownFingerprints()], [own]);
  assert.deepEqual([...inst.trustedFingerprints()].sort(), [own, other].sort());
});

test('a signature verifies only for its message and its key', () => {
  const k = SigningKey.generate();
  const s = k.sign('{"seq":1}');
  assert.equal(verifySignature(k.publicKey, '{"seq":1}', s), true);
  assert.equal(verifySignature(k.publicKey, '{"seq":2}', s), false);
  assert.equal(verifySignature(SigningKey.generate().publicKey, '{"seq":1}', s), false);
  assert.equal(verifySignature('garbage', '{"seq":1}', s), false);
});
