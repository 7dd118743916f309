// Keyed hashes for pseudonyms and replacement UIDs: HMAC-SHA-256 with the workspace secret, so the same input
// maps to the same output within a workspace and cannot be reversed or recomputed without the secret.
import { createHmac } from 'node:crypto';

/** A workspace secret shorter than this is refused (128 bits). */
export const MIN_SECRET_BYTES = 16;
/** Patient pseudonyms: "P-" + 16 hex digits (64 bits of the HMAC). */
const PSEUDONYM_HEX_DIGITS = 16;
/** Replacement UIDs use 128 bits of the HMAC, as a UUID-derived UID would (PS3.5 Annex B.2, root 2.25). */
const UID_HEX_DIGITS = 32;
const UUID_DERIVED_ROOT = '2.25.';

function hmacHex(secret: Uint8Array, domain: string, value: string): string {
  if (secret.length < MIN_SECRET_BYTES) throw new TypeError(`the de-identification secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return createHmac('sha256', secret).update(`${domain}\u0000${value}`, 'utf8').digest('hex');
}

export function pseudonymFor(secret: Uint8Array, kind: string, value: string): string {
  return `P-${hmacHex(secret, `patient:${kind}`, value).slice(0, PSEUDONYM_HEX_DIGITS)}`;
}

export function replacementUid(secret: Uint8Array, uid: string): string {
  return UUID_DERIVED_ROOT + BigInt(`0x${hmacHex(secret, 'uid', uid).slice(0, UID_HEX_DIGITS)}`).toString(10);
}

/** A whole number in [0, modulus) derived from the secret and a value (for per-patient date shifts). */
export function keyedInteger(secret: Uint8Array, domain: string, value: string, modulus: number): number {
  return Number(BigInt(`0x${hmacHex(secret, domain, value).slice(0, 12)}`) % BigInt(modulus));
}
