/**
 * Card sign-in while the platform is unreachable (issue 16: « open on the local store »).
 *
 * After a successful online card sign-in, `rememberCardHolder` keeps, in the professional's own
 * keychain entry (SecretStore account `card-holder:<idNatPS>`, beside `store-key:<RPPS>`;
 * docs/secrets.md), what recognises them later without the platform: the card's authentication
 * certificate (public) and the professional the platform named (id, RPPS, role; no secret).
 *
 * Offline, `offlineCardSignIn` proves the card is that card: PIN → card login → the card's
 * authentication key signs a fresh local statement (relais-card-auth-v1, origin
 * `relais-offline:`, a random nonce, the time) → logout; the signature is verified with the
 * CACHED certificate's public key, and the card's certificate must be the cached one. So:
 *   - a PIN is still required, and a wrong PIN still fails (PIN_INCORRECT / PIN_LOCKED);
 *   - a card never signed in online on this machine is refused with a reason the window words
 *     in French (CARD_UNKNOWN_OFFLINE), as is a renewed card or one whose key does not match;
 *   - nothing is learnt from the platform, so the session is limited to the local store: the
 *     journal from the cache, writes into the outbox, and a new online sign-in (PIN) once the
 *     platform answers.
 * The PIN is a parameter of this call only, never kept, logged or put into an error.
 */
import { createVerify, randomBytes, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { RelaisError, ProfessionalSchema, type Professional } from '../../contract';
import { parseCardCertificate } from '../../native-bridges/card/certificate';
import type { CardReader } from '../../native-bridges/card/types';
import type { SecretStore } from '../../native-bridges/secrets/port';
import { cardAuthMessage } from './card-challenge';

export const OFFLINE_ORIGIN = 'relais-offline:';
/** The audit action of an offline sign-in (the profile's audit trail, once the store is open). */
export const OFFLINE_SIGN_IN_AUDIT = 'auth.offline-sign-in';

const CachedHolderSchema = z.object({
  v: z.literal(1),
  certificatePem: z.string().min(1),
  professional: ProfessionalSchema,
  savedAt: z.string(),
});
export type CachedCardHolder = z.infer<typeof CachedHolderSchema>;

export type OfflineFailure = 'CARD_UNKNOWN_OFFLINE' | 'CARD_MISMATCH_OFFLINE';

/** An offline sign-in refused: crosses the API as PLATFORM_UNREACHABLE, its reason worded by the window. */
export class OfflineSignInError extends RelaisError {
  constructor(
    readonly reason: OfflineFailure,
    message: string,
  ) {
    super('PLATFORM_UNREACHABLE', `offline card sign-in: ${message}`);
    this.name = 'OfflineSignInError';
  }
}

export function holderAccount(idNatPs: string): string {
  return `card-holder:${idNatPs}`;
}

/** After an online sign-in: what recognises this card holder offline next time. */
export async function rememberCardHolder(secrets: SecretStore, certificatePem: string, professional: Professional, now = new Date()): Promise<void> {
  const identity = parseCardCertificate(certificatePem);
  if (identity.idNatPs !== professional.idNatPs) throw new RelaisError('FORBIDDEN', 'the platform named another professional than the card');
  const entry: CachedCardHolder = { v: 1, certificatePem, professional, savedAt: now.toISOString() };
  await secrets.set(holderAccount(identity.idNatPs), JSON.stringify(entry));
}

export async function cachedCardHolder(secrets: SecretStore, idNatPs: string): Promise<CachedCardHolder | null> {
  const raw = await secrets.get(holderAccount(idNatPs));
  if (!raw) return null;
  try {
    return CachedHolderSchema.parse(JSON.parse(raw));
  } catch {
    return null; // unreadable: treated as never seen (a fresh online sign-in rewrites it)
  }
}

export interface OfflineSignInResult {
  professional: Professional;
  certificatePem: string;
  /** When the holder last signed in online on this machine. */
  lastOnlineAt: string;
}

export async function offlineCardSignIn(options: {
  reader: CardReader;
  slotId: string;
  secrets: SecretStore;
  pin: string;
  now?: () => Date;
}): Promise<OfflineSignInResult> {
  const { reader, slotId, secrets, pin } = options;
  const now = options.now ?? (() => new Date());
  const pem = await reader.readAuthCertificate(slotId);
  const identity = parseCardCertificate(pem);
  const cached = await cachedCardHolder(secrets, identity.idNatPs);
  // Refused before the PIN is used: nothing to check it against.
  if (!cached) throw new OfflineSignInError('CARD_UNKNOWN_OFFLINE', 'this card never signed in online on this machine');
  const cachedCert = new X509Certificate(cached.certificatePem);
  if (!new X509Certificate(pem).raw.equals(cachedCert.raw)) {
    throw new OfflineSignInError('CARD_MISMATCH_OFFLINE', 'the card certificate is not the one seen online (renewed or another card)');
  }
  if (Date.parse(cachedCert.validTo) <= now().getTime()) throw new OfflineSignInError('CARD_MISMATCH_OFFLINE', 'the card certificate has expired');
  const message = cardAuthMessage({ origin: OFFLINE_ORIGIN, nonce: randomBytes(24).toString('base64url'), signedAt: now().toISOString() });
  await reader.login(slotId, pin);
  let signature: Uint8Array;
  try {
    signature = await reader.sign(slotId, message);
  } finally {
    await reader.logout(slotId);
  }
  // The card's own key, checked against the certificate kept from the online sign-in.
  const valid = createVerify('RSA-SHA256').update(message).verify(cachedCert.publicKey, Buffer.from(signature));
  if (!valid) throw new OfflineSignInError('CARD_MISMATCH_OFFLINE', 'the card signature does not match the certificate seen online');
  return { professional: cached.professional, certificatePem: pem, lastOnlineAt: cached.savedAt };
}
