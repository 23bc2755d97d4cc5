import { join } from 'node:path';
import { RelaisError, type Professional } from '../contract';
import { createApiDispatcher, type ApiDispatcher } from './api/dispatch';
import { RelaisCore, type CoreOptions } from './core';
import { createFhirPlatform } from './platform/fhir/index';
import type { Platform } from './platform/port';
import { LocalStore } from './store/store';
import { defaultBundledSource, openDrugCatalog } from './drugs/catalog';
import { checkedProfileId, profileIdOf, Profiles } from './profiles/profiles';
import { loadSettings } from './settings/settings';
import { ensurePrivateDirs } from './store/private-files';
import type { SecretStore } from '../native-bridges/secrets/port';
import type { BackoffPolicy } from './outbox/policy';
import type { CardSession } from './auth/card-session';
import type { PscPlatformSession } from './auth/psc-session';
import { cardDocumentSigner } from './signature/card-document-signer';
import { FILTER_CHECK_MS, PushClient, type PushTarget } from './platform/subscriptions/push-client';

export interface ComposeOptions {
  platformUrl: string;
  dataDir: string;
  /** RPPS of the signed-in professional. Until card sign-in exists, the demo identity. */
  rpps: string;
  demo: boolean;
  platform?: Platform;
  /** Outbox retry backoff (docs/outbox.md); tests shorten it. */
  outboxBackoff?: BackoffPolicy;
  /** Alert watcher poll interval in ms (default 30 s; RELAIS_ALERT_POLL_MS overrides); tests shorten it. */
  alertPollMs?: number;
  /** Keychain of the machine (native-bridges/secrets); holds each professional's store key. */
  secretStore?: SecretStore;
  /** Background sync: between passes, and first delay of reconnection attempts (tests shorten them). */
  syncIntervalMs?: number;
  reconnectBaseMs?: number;
  /**
   * The host found a usable OS keychain (`secretStore`): open the professional's SQLCipher store
   * (key in secretStore, created on first sign-in). Without it only the demo identity, or a
   * machine whose settings.json allows it (`storage.allowUnencrypted`), opens a plain file; a real
   * professional is refused with KEYCHAIN_UNAVAILABLE (docs/secrets.md).
   */
  encrypt?: boolean;
  /**
   * Card session (main/auth/card-session.ts), already signed in: the RPPS comes from the card,
   * the platform gets its access token, removal locks, expiry asks for the PIN again. Off by
   * default (demo identity); composition closes it.
   */
  card?: CardSession;
  /**
   * The professional as an offline card sign-in knows them (main/auth/offline-card.ts: kept from
   * the last online sign-in): not looked up on the unreachable platform.
   */
  professional?: Professional;
  /** Card unlock while the platform is unreachable: the card checked offline instead (main/session/offline-card.ts). */
  offlineUnlock?: (pin: string) => Promise<void>;
  /**
   * Pro Santé Connect session (main/auth/psc-session.ts), already signed in: the professional is
   * resolved by idNatPS like a card holder, the platform's bearer token is the PSC access token,
   * expiry asks for a new PSC sign-in (no PIN, no card watch); composition closes it.
   */
  psc?: PscPlatformSession;
  /** Idle lock delay in ms (RELAIS_IDLE_LOCK_MS overrides; default 15 min with a card, off without). */
  idleLockMs?: number;
  /** Clock of the panels, alerts and agenda (« from today », « not in the past »); tests pin it. */
  now?: () => Date;
  /** The BDPM files the drug database is built from at first use (default: defaultBundledSource()). */
  bdpmSource?: string | null;
  /**
   * Push (FHIR Subscriptions, main/platform/subscriptions): built unless false, started by the
   * host after sign-in (`composition.push.start()`); it stays idle on a platform without them.
   * Tests shorten the heartbeat (s) and the reconnection delay (ms).
   */
  push?: false | { heartbeatSeconds?: number; reconnectBaseMs?: number; filterCheckMs?: number };
}

export interface Composition {
  core: RelaisCore;
  dispatch: ApiDispatcher;
  store: LocalStore;
  /** Push from the platform (null when options.push is false); the host starts it. */
  push: PushClient | null;
  close(): Promise<void>;
}

/** Composition root shared by both hosts: wires the real adapters into the core. */
export async function composeCore(options: ComposeOptions): Promise<Composition> {
  const card = options.card;
  const psc = options.psc;
  const getAccessToken = card ? () => card.getAccessToken() : psc ? () => psc.getAccessToken() : undefined;
  const platform = options.platform ?? createFhirPlatform({ baseUrl: options.platformUrl, ...(getAccessToken ? { getAccessToken } : {}) });
  if (card || psc) options = { ...options, demo: false };
  // A card or PSC names its holder by idNatPS: a CPS holder ('8' + RPPS) or structure staff (CPE: no RPPS).
  const idNatPs = card?.identity.idNatPs ?? psc?.idNatPs;
  const professional: Professional | null = options.professional && options.professional.idNatPs === idNatPs
    ? options.professional
    : idNatPs
    ? await platform.findProfessionalByIdNatPs(idNatPs)
    : await platform.findProfessionalByRpps(options.rpps);
  if (!professional) {
    throw new RelaisError('FORBIDDEN', `no professional with ${idNatPs ? `idNatPS ${idNatPs}` : `RPPS ${options.rpps}`} on the platform`);
  }
  // One store per professional: on a shared install, nobody reads another's cache.
  const store = await openProfessionalStore(options, profileIdOf(professional));
  const actor = professional.rpps ?? professional.idNatPs;
  if (!store.encrypted && !options.demo) store.audit(actor, 'store.unencrypted', null, 'settings.json: storage.allowUnencrypted');
  // One drug database per install (not per profile): public data, built at first search.
  const drugs = openDrugCatalog({ dataDir: options.dataDir, bundledSource: options.bdpmSource !== undefined ? options.bdpmSource : defaultBundledSource() });
  const core = new RelaisCore({
    platform,
    store,
    drugs,
    professional,
    demo: options.demo,
    ...(options.outboxBackoff ? { outboxBackoff: options.outboxBackoff } : {}),
    ...alertPollOption(options.alertPollMs),
    ...(psc ? pscSessionOption(options.idleLockMs) : sessionOption(card, options.idleLockMs, options.offlineUnlock)),
    ...(options.syncIntervalMs !== undefined ? { syncIntervalMs: options.syncIntervalMs } : {}),
    ...(options.reconnectBaseMs !== undefined ? { reconnectBaseMs: options.reconnectBaseMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    // The card signs documents with its signature key, the PIN typed again for each signature.
    ...(card ? { documentSigner: cardDocumentSigner(card.reader, card.slot.slotId, card.identity.idNatPs) } : {}),
  });
  card?.attach({
    onRemoved: () => core.lockSession('card-removed'),
    onExpired: () => core.events.emit({ type: 'sign-in-required', reason: 'token-expired' }),
  });
  psc?.attach({ onExpired: () => core.events.emit({ type: 'sign-in-required', reason: 'token-expired' }) });
  // The outbox sends what is waiting (also what a previous run left) from the start.
  core.outbox.start();
  const push =
    options.push === false
      ? null
      : new PushClient({
          baseUrl: options.platformUrl.replace(/\/+$/, ''),
          ...(getAccessToken ? { getAccessToken } : {}),
          target: pushTargetOf(core),
          // A newly followed patient joins the filter within one check: the list is asked again at
          // most that often (the steady-state cycle alone keeps it 15 min).
          followedPatientIds: () => core.background.followedPatientIds(options.push ? (options.push.filterCheckMs ?? FILTER_CHECK_MS) : FILTER_CHECK_MS),
          ...(options.push?.heartbeatSeconds !== undefined ? { heartbeatSeconds: options.push.heartbeatSeconds } : {}),
          ...(options.push?.reconnectBaseMs !== undefined ? { reconnectBaseMs: options.push.reconnectBaseMs } : {}),
          ...(options.push?.filterCheckMs !== undefined ? { filterCheckMs: options.push.filterCheckMs } : {}),
        });
  return {
    core,
    dispatch: createApiDispatcher(core),
    store,
    push,
    close: async () => {
      await push?.stop();
      await core.background.stop();
      await core.alerts.stop();
      await core.outbox.stop();
      core.lock.stop();
      await card?.close();
      await psc?.close();
      core.outbox.close();
      drugs.close();
      store.close();
    },
  };
}

/**
 * Encrypted when the host has a keychain (main/profiles). Otherwise plain only for the demo
 * identity (demo data, said so by the host) or when the machine policy allows it knowingly; a
 * card or PSC professional is refused rather than silently written in clear (issue 11, item 6).
 */
async function openProfessionalStore(options: ComposeOptions, profileId: string): Promise<LocalStore> {
  const id = checkedProfileId(profileId);
  // Owner-only from the data directory down, before any file is written (issue 11, item 5).
  ensurePrivateDirs(options.dataDir, 'profiles', id);
  if (options.encrypt && options.secretStore) return new Profiles({ dataDir: options.dataDir, secretStore: options.secretStore }).open(id);
  if (!options.demo && !loadSettings(options.dataDir).storage.allowUnencrypted) {
    throw new RelaisError(
      'KEYCHAIN_UNAVAILABLE',
      `no usable OS keychain: the store of ${id} cannot be encrypted, and settings.json does not allow unencrypted stores`,
    );
  }
  return new LocalStore(join(options.dataDir, 'profiles', id, 'store.db'));
}

function sessionOption(card: CardSession | undefined, idleLockMs: number | undefined, offlineUnlock?: (pin: string) => Promise<void>): Pick<CoreOptions, 'session'> {
  const fromEnv = Number(process.env.RELAIS_IDLE_LOCK_MS);
  const idleMs = idleLockMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : card ? 15 * 60_000 : undefined);
  if (!card) return idleMs !== undefined ? { session: { idleMs } } : {};
  return {
    session: {
      unlocker: async (pin) => {
        try {
          await card.signIn(pin);
        } catch (error) {
          if (!offlineUnlock || !(error instanceof RelaisError) || error.code !== 'PLATFORM_UNREACHABLE') throw error;
          await offlineUnlock(pin);
        }
      },
      card: { kind: card.identity.kind, idNatPs: card.identity.idNatPs },
      ...(idleMs !== undefined ? { idleMs } : {}),
    },
  };
}

/** PSC: no PIN unlocks (the host unlocks after a new PSC sign-in of the same professional); idle lock as with a card. */
function pscSessionOption(idleLockMs: number | undefined): Pick<CoreOptions, 'session'> {
  const fromEnv = Number(process.env.RELAIS_IDLE_LOCK_MS);
  const idleMs = idleLockMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 15 * 60_000);
  return {
    session: {
      method: 'psc',
      unlocker: async () => {
        throw new RelaisError('UNAUTHENTICATED', 'a Pro Santé Connect session unlocks with a new Pro Santé Connect sign-in');
      },
      idleMs,
    },
  };
}

/** Push notifications → the core: sync now, poll the alerts now, slow the polling while push works. */
function pushTargetOf(core: RelaisCore): PushTarget {
  const pollAlerts = () => void core.alerts.pollNow().catch(() => undefined);
  return {
    pushActive: (active) => {
      void core.background.onPushActive(active);
      core.alerts.setPushActive(active);
    },
    // The same targeted question as a cycle (journal and alerts of these patients), now.
    changed: (patientIds) => void core.background.notifyChanged(patientIds),
    alert: pollAlerts,
    catchUp: () => {
      void core.background.runOnce().catch(() => undefined);
      pollAlerts();
    },
  };
}

function alertPollOption(ms: number | undefined): { alertPollMs?: number } {
  const fromEnv = Number(process.env.RELAIS_ALERT_POLL_MS);
  const value = ms ?? (Number.isFinite(fromEnv) && fromEnv >= 200 ? fromEnv : undefined);
  return value !== undefined ? { alertPollMs: value } : {};
}
