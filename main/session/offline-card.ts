/**
 * The session host's side of the offline card sign-in (main/auth/offline-card.ts): when the
 * online sign-in cannot reach the platform, the card is checked against what the last online
 * sign-in kept; the profile then opens on the local store (journal from the cache, writes in the
 * outbox), the platform is probed, and once it answers the window asks for the PIN again
 * (`sign-in-required`): the unlock signs in online with the card, and the session is online.
 */
import { RelaisError } from '../../contract';
import type { CardSession } from '../auth/card-session';
import { OFFLINE_SIGN_IN_AUDIT, offlineCardSignIn, rememberCardHolder, type OfflineSignInResult } from '../auth/offline-card';
import type { Composition } from '../compose';
import type { SecretStore } from '../../native-bridges/secrets/port';

/** The online attempt failed: offline sign-in when the platform is unreachable and a keychain holds the card, else the original error. */
export async function offlineFallback(error: unknown, card: CardSession, pin: string, secrets: SecretStore | undefined): Promise<OfflineSignInResult> {
  if (!(error instanceof RelaisError) || error.code !== 'PLATFORM_UNREACHABLE' || !secrets) throw error;
  return offlineCardSignIn({ reader: card.reader, slotId: card.slot.slotId, secrets, pin });
}

/** After an online card sign-in: keep what recognises this holder offline (best effort: never blocks the sign-in). */
export async function rememberOnline(card: CardSession, composition: Composition, secrets: SecretStore | undefined): Promise<void> {
  if (!secrets) return;
  try {
    await rememberCardHolder(secrets, await card.reader.readAuthCertificate(card.slot.slotId), composition.core.professional);
  } catch {
    // A card pulled out meanwhile, a keychain refusing: the next online sign-in tries again.
  }
}

export interface PlatformProbe {
  stop(): void;
}

/**
 * The offline session: audited in the profile's trail, then the platform probed every
 * `intervalMs` (any HTTP answer means it is back; its content is not read). Once it answers, the
 * window asks for the PIN (`sign-in-required`), which signs in online through the session unlock.
 */
export function startOfflineSession(
  composition: Composition,
  result: OfflineSignInResult,
  platformUrl: string,
  intervalMs = Number(process.env.RELAIS_OFFLINE_PROBE_MS) || 10_000,
): PlatformProbe {
  const actor = composition.core.professional.rpps ?? composition.core.professional.idNatPs;
  composition.store.audit(actor, OFFLINE_SIGN_IN_AUDIT, null, JSON.stringify({ lastOnlineAt: result.lastOnlineAt }));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const probe = async () => {
    if (stopped) return;
    try {
      await fetch(new URL('metadata', platformUrl.endsWith('/') ? platformUrl : `${platformUrl}/`), { signal: AbortSignal.timeout(5_000) }).then((r) => r.body?.cancel());
    } catch {
      if (!stopped) timer = setTimeout(() => void probe(), intervalMs);
      timer?.unref?.();
      return;
    }
    if (stopped) return;
    stopped = true;
    composition.core.events.emit({ type: 'sign-in-required', reason: 'token-expired' });
  };
  timer = setTimeout(() => void probe(), intervalMs);
  timer.unref?.();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
