/**
 * The card's SIGNATURE key pair (non-repudiation), distinct from the authentication pair used to
 * sign in. A CPS carries both; by the convention of docs/card-sign-in.md the signature
 * certificate and key share a CKA_ID whose last byte is 0x10 (authentication: 0x20). Documents
 * (the ordonnance, main/signature/) are signed with this key only — never with the
 * authentication key, and there is no fallback to it: a card without a signature pair cannot
 * sign a document.
 *
 * A reader that can do it implements SignatureKeyReader next to CardReader (Pkcs11CardReader,
 * FakeCardReader); the caller logs in with the PIN first (CardReader.login) and logs out after.
 */
import type { CardReader } from './types';

export const SIGNATURE_ID_SUFFIX = 0x10;

export interface SignatureKeyReader {
  /** The signature certificate (PEM); no PIN needed. INVALID_INPUT when the card has none. */
  readSignatureCertificate(slotId: string): Promise<string>;
  /**
   * RSA PKCS#1 v1.5 signature of SHA-256(data) by the signature key (CKM_SHA256_RSA_PKCS), the
   * card computing both the digest and the signature. Needs a logged-in session (login first).
   */
  signWithSignatureKey(slotId: string, data: Uint8Array): Promise<Uint8Array>;
}

export function canSignDocuments(reader: CardReader): reader is CardReader & SignatureKeyReader {
  const r = reader as Partial<SignatureKeyReader>;
  return typeof r.readSignatureCertificate === 'function' && typeof r.signWithSignatureKey === 'function';
}
