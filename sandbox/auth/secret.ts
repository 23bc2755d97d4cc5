/**
 * Secrets (bearer tokens, fixed keys) are never compared with `===`: a string compare stops at
 * the first differing character, and its timing tells an attacker how much of a guess is right.
 * Both sides are hashed first, so the compare runs on equal-length digests (timingSafeEqual
 * throws on unequal lengths, and the length of the secret is not revealed either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digestOf(given), digestOf(expected));
}

/** A map key for a secret: its SHA-256, so the secret itself is kept nowhere and never compared. */
export function secretKey(secret: string): string {
  return digestOf(secret).toString('base64url');
}
