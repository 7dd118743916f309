// Ed25519 keys for the audit trail (node:crypto). A public key travels as the base64url of its 32 raw bytes; its
// fingerprint is the first 32 hex digits (128 bits) of the SHA-256 of those bytes — short enough to compare by eye
// between a printed report and `medbridge audit verify`.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const KEY_ALGORITHM = 'ed25519';

export function fingerprintOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 32);
}

/** The fingerprint in groups of four hex digits, for people. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
}

// Importing a key costs more than verifying with it; a verification run meets the same few keys thousands of times.
const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(publicKey: string): KeyObject {
  let k = publicKeys.get(publicKey);
  if (!k) {
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    if (publicKeys.size > 64) publicKeys.clear();
    publicKeys.set(publicKey, k);
  }
  return k;
}

/** True when `signature` (base64) is an Ed25519 signature of `message` by `publicKey`; false for any malformed input. */
export function verifySignature(publicKey: string, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKeyObject(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export class SigningKey {
  readonly publicKey: string;
  readonly fingerprint: string;
  private readonly privateKey: KeyObject;

  private constructor(privateKey: KeyObject) {
    this.privateKey = privateKey;
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    if (typeof jwk.x !== 'string' || jwk.crv !== 'Ed25519') throw new Error('not an Ed25519 key');
    this.publicKey = jwk.x;
    this.fingerprint = fingerprintOf(this.publicKey);
  }

  static generate(): SigningKey {
    return new SigningKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** From the PKCS#8 DER bytes written by `privateKeyDer()`. */
  static fromPrivateKeyDer(der: Buffer): SigningKey {
    return new SigningKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  }

  privateKeyDer(): Buffer {
    return this.privateKey.export({ format: 'der', type: 'pkcs8' });
  }

  /** Base64 Ed25519 signature of the UTF-8 bytes of `message`. */
  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64');
  }
}
