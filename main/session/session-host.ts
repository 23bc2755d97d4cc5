/**
 * What both hosts run around the core: nobody is signed in when Relais starts. The window shows
 * the sign-in screen; a card + PIN (or the demo identity, when no card is present and the install
 * allows it) opens that professional's profile — their encrypted store, outbox and rights — and
 * only then a core exists. Another card signing in closes the first profile before opening the
 * second (ProfileSwitcher), and the window reloads, so nothing of A stays in B's window.
 *
 * Launches from the practice software that arrive before the sign-in are held (the newest one)
 * and opened right after it: an unsigned launch never shows a patient to nobody.
 */
import {
  API,
  RelaisError,
  isApiMethod,
  isAuthMethod,
  type ApiRequest,
  type AuthMethod,
  type AuthStatus,
  type CardStatus,
  type LaunchContext,
  type OpenedPatient,
  type RelaisEvent,
  type Result,
} from '../../contract';
import type { CardReader, CardSlot } from '../../native-bridges/card/types';
import { watchCards, type CardWatch } from '../../native-bridges/card/watch';
import { canSignDocuments, type SignatureKeyReader } from '../../native-bridges/card/signature-key';
import { CardSession } from '../auth/card-session';
import { PscError, ProSanteConnect, type OpenExternal, type PendingSignIn, type PscConfig, type PscSignIn } from '../auth/psc';
import { PscPlatformSession } from '../auth/psc-session';
import { platformUrlProblem } from '../config/platform-url';
import { lockedSettings, machinePolicy } from '../config/policy';
import type { ComposeOptions, Composition } from '../compose';
import { toErrorShape } from '../errors';
import { EventBus } from '../events';
import { ProfileSwitcher } from '../profiles/switcher';
import { offlineFallback, rememberOnline, startOfflineSession, type PlatformProbe } from './offline-card';
import type { OfflineSignInResult } from '../auth/offline-card';

export interface SessionHostOptions {
  /** Everything composeCore needs except who signs in. */
  compose: Omit<ComposeOptions, 'rpps' | 'demo' | 'card' | 'psc'>;
  /** The PKCS#11 reader of this machine (Cryptolib CPS, SoftHSM in tests); absent: no middleware. */
  cardReader?: CardReader | null;
  cardPollMs?: number;
  /** RPPS of the demo identity offered when no card is present; null: cards only (GPO / settings). */
  demoRpps?: string | null;
  /**
   * Pro Santé Connect (docs/pro-sante-connect.md), when this install has a PSC client
   * (RELAIS_PSC_ISSUER / RELAIS_PSC_CLIENT_ID / RELAIS_PSC_CLIENT_SECRET): the sign-in screen
   * offers it. `openExternal` opens the authorization URL in the system browser.
   */
  psc?: { config: PscConfig; openExternal: OpenExternal } | null;
  /** Practice-software following (settings.json), applied to each professional's core. */
  followLgc?: boolean;
  /** After a profile opened: the host starts background sync and the alert watcher. */
  onSignedIn?: (composition: Composition) => void;
  /** Test seam: composeCore by default. */
  composeCore?: (options: ComposeOptions) => Promise<Composition>;
}

type AuthHandlers = { [M in AuthMethod]: (request: ApiRequest<M>) => Promise<AuthStatus> };

export class SessionHost {
  readonly events = new EventBus();
  private readonly switcher: ProfileSwitcher;
  private method: 'card' | 'demo' | 'psc' | null = null;
  private unsubscribeCore: (() => void) | null = null;
  private pendingLaunch: { context: LaunchContext; channel: string } | null = null;
  private cardWatch: CardWatch | null = null;
  private cardStatus: CardStatus | null;
  private cardSession: CardSession | null = null;
  private pscSession: PscPlatformSession | null = null;
  /** The PSC sign-in waiting for the browser (one at a time: a new click replaces it). */
  private pscPending: PendingSignIn | null = null;
  /** The certificate read of the last inserted card (start() waits for it). */
  private reading: Promise<void> = Promise.resolve();
  private readonly initialFollowLgc: boolean;
  /** Why no sign-in can happen on this install (no platform URL, or plain http off the machine). */
  private readonly platformError: RelaisError | null;
  private platformUnreachable = false;
  /** An offline card session waiting for the platform (main/session/offline-card.ts). */
  private offlineProbe: PlatformProbe | null = null;

  constructor(private readonly options: SessionHostOptions) {
    this.platformError = platformUrlProblem(options.compose.platformUrl);
    this.switcher = new ProfileSwitcher(
      { ...options.compose, demo: false } as Omit<ComposeOptions, 'rpps'>,
      options.composeCore,
    );
    this.initialFollowLgc = options.followLgc ?? true;
    this.cardStatus = options.cardReader ? { present: false, holder: null, readerError: false } : null;
  }

  /** Starts watching the card reader (insertion shows the holder on the sign-in screen). */
  async start(): Promise<void> {
    const reader = this.options.cardReader;
    if (!reader) return;
    this.cardWatch = watchCards(
      reader,
      {
        onInserted: (slot) => {
          this.reading = this.cardInserted(slot);
        },
        onRemoved: () => this.cardRemoved(),
        onError: () => this.setCard({ present: false, holder: null, readerError: true }),
      },
      this.options.cardPollMs ?? 500,
    );
    await this.cardWatch.poll();
    // The sign-in screen's first paint already names the holder of a card left in the reader.
    await this.reading;
  }

  /** The signed-in professional's choice (settings.followLgc), else the install's setting. */
  get followLgc(): boolean {
    return this.composition?.core.followLgc ?? this.initialFollowLgc;
  }

  get composition(): Composition | null {
    return this.switcher.composition;
  }

  status(): AuthStatus {
    const composition = this.composition;
    return {
      signedIn: composition !== null,
      professional: composition?.core.professional ?? null,
      method: composition ? this.method : null,
      card: this.cardStatus,
      demoAllowed: this.demoAllowed(),
      pendingLaunch: this.pendingLaunch !== null,
      pscAvailable: Boolean(this.options.psc),
      pscPending: this.pscPending !== null,
      ...(this.platformError ? { platformConfigured: false } : {}),
      ...(this.platformUnreachable && !composition ? { platformUnreachable: true } : {}),
      ...policyStatus(),
    };
  }

  /** The shell's retry loop says whether the platform answered (the sign-in screen shows it). */
  setPlatformReachable(reachable: boolean): void {
    if (this.platformUnreachable === !reachable) return;
    this.platformUnreachable = !reachable;
    this.announce();
  }

  private demoAllowed(): boolean {
    return Boolean(this.options.demoRpps) && !this.cardStatus?.present && !this.platformError;
  }

  readonly authHandlers: AuthHandlers = {
    'auth.status': async () => this.status(),
    'auth.signInCard': async ({ pin }) => this.signInWithCard(this.usablePlatform() && pin),
    'auth.signInDemo': async () => this.usablePlatform() && this.signInDemo(),
    'auth.signInPsc': async () => this.usablePlatform() && this.signInPsc(),
    'auth.cancelPsc': async () => {
      await this.pscPending?.cancel();
      return this.status();
    },
    'auth.signOut': async () => this.signOut(),
  };

  /** The one dispatcher of the hosts: auth.* here, the rest to the signed-in professional's core. */
  dispatch = async (method: unknown, payload: unknown): Promise<Result<unknown>> => {
    if (typeof method === 'string' && isApiMethod(method) && isAuthMethod(method)) {
      const parsed = API[method].request.safeParse(payload ?? {});
      if (!parsed.success) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: `${method}: ${parsed.error.issues[0]?.message ?? 'invalid'}` } };
      }
      try {
        const handler = this.authHandlers[method] as (request: unknown) => Promise<AuthStatus>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        return { ok: false, error: toErrorShape(error) };
      }
    }
    const composition = this.composition;
    if (!composition) return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'nobody is signed in to Relais' } };
    // A locked card session unlocked with another card: that is a sign-in of its holder (profile switch).
    if (method === 'session.unlock' && this.method === 'card' && this.otherCardPresent()) {
      const parsed = API['session.unlock'].request.safeParse(payload ?? {});
      if (parsed.success) {
        try {
          await this.signInWithCard(parsed.data.pin);
          return { ok: true, value: { locked: false } };
        } catch (error) {
          return { ok: false, error: toErrorShape(error) };
        }
      }
    }
    return composition.dispatch(method, payload);
  };

  /** Events of the window: the host's own (auth-changed) and the current core's. */
  replayForNewWindow(): RelaisEvent[] {
    return this.composition?.core.replayForNewWindow() ?? [];
  }

  async fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }> {
    const composition = this.composition;
    if (!composition) throw new RelaisError('UNAUTHENTICATED', 'nobody is signed in to Relais');
    return composition.core.fetchAttachment(src);
  }

  // ------------------------------------------------------------------ launches (LaunchTarget)

  async openPatient(context: LaunchContext, channel: string): Promise<OpenedPatient> {
    const composition = this.composition;
    if (!composition) {
      this.pendingLaunch = { context, channel };
      this.announce();
      throw new RelaisError('UNAUTHENTICATED', 'sign in to Relais first: the patient opens right after');
    }
    return composition.core.openPatient(context, channel);
  }

  lgcContextChanged(context: LaunchContext): void {
    const core = this.composition?.core;
    if (core) return core.lgcContextChanged(context);
    if (this.followLgc) {
      this.pendingLaunch = { context, channel: 'context-file' };
      this.announce();
    }
  }

  launchRejected(error: unknown): void {
    if (toErrorShape(error).code === 'UNAUTHENTICATED') return; // held, announced by auth-changed
    this.composition?.core.launchRejected(error);
  }

  /** Tray « Verrouiller », OS session lock. */
  lock(): void {
    this.composition?.core.lockSession('manual');
  }

  // ------------------------------------------------------------------ sign-in

  /** Every sign-in needs a platform Relais may talk to: PLATFORM_NOT_CONFIGURED otherwise. */
  private usablePlatform(): true {
    if (this.platformError) throw this.platformError;
    return true;
  }

  private async signInWithCard(pin: string): Promise<AuthStatus> {
    const reader = this.options.cardReader;
    if (!reader) throw new RelaisError('CARD_REMOVED', 'no card middleware configured on this machine');
    let offline: OfflineSignInResult | null = null;
    const card = await CardSession.open({
      reader: borrowed(reader),
      platformUrl: this.options.compose.platformUrl,
      ...(this.options.cardPollMs !== undefined ? { pollMs: this.options.cardPollMs } : {}),
    });
    try {
      // Same holder, session still open: this is an unlock, the core stays (drafts, screen).
      const current = this.composition;
      if (current && this.method === 'card' && this.cardSession?.identity.idNatPs === card.identity.idNatPs) {
        await card.close();
        await current.dispatch('session.unlock', { pin });
        return this.status();
      }
      await card.signIn(pin);
    } catch (error) {
      // Platform unreachable: a card seen online before opens the local store (main/session/offline-card.ts).
      offline = await offlineFallback(error, card, pin, this.options.compose.secretStore).catch(async (refused: unknown) => {
        await card.close();
        throw refused;
      });
    }
    const secrets = this.options.compose.secretStore;
    // Unlocking (idle, token expiry) while the platform is still away checks the card offline too.
    const offlineUnlock = secrets ? async (unlockPin: string) => void (await offlineFallback(new RelaisError('PLATFORM_UNREACHABLE', 'unlock'), card, unlockPin, secrets)) : undefined;
    await this.openProfile(
      card.identity.idNatPs,
      { card, rpps: card.identity.rpps ?? '', ...(offline ? { professional: offline.professional } : {}), ...(offlineUnlock ? { offlineUnlock } : {}) },
      'card',
    );
    this.cardSession = card;
    this.pscSession = null;
    const composition = this.composition;
    if (composition && offline) this.offlineProbe = startOfflineSession(composition, offline, this.options.compose.platformUrl);
    else if (composition) await rememberOnline(card, composition, this.options.compose.secretStore);
    return this.status();
  }

  private async signInDemo(): Promise<AuthStatus> {
    const rpps = this.options.demoRpps;
    if (!rpps) throw new RelaisError('FORBIDDEN', 'this install signs in with a card only');
    if (this.cardStatus?.present) throw new RelaisError('FORBIDDEN', 'a card is in the reader: sign in with it');
    await this.openProfile(`demo:${rpps}`, { rpps, demo: true }, 'demo');
    this.cardSession = null;
    this.pscSession = null;
    return this.status();
  }

  /**
   * Pro Santé Connect: the authorization URL opens in the system browser (the professional signs
   * in there with the e-CPS app or the card), the loopback redirect brings the code back, and the
   * professional named by userinfo (idNatPS) gets their profile, with the PSC access token as the
   * platform's bearer token. The same professional signing in again (locked, expired) unlocks.
   */
  private async signInPsc(): Promise<AuthStatus> {
    const psc = this.options.psc;
    if (!psc) throw new RelaisError('FORBIDDEN', 'this install has no Pro Santé Connect configuration');
    await this.pscPending?.cancel();
    // One client per sign-in: its tokens belong to the session it opens (closed with that profile).
    const client = new ProSanteConnect({ config: psc.config, openExternal: psc.openExternal });
    const pending = await client.begin();
    this.pscPending = pending;
    this.announce();
    let signIn: PscSignIn;
    try {
      await psc.openExternal(pending.authorizationUrl);
      signIn = await pending.result;
    } catch (error) {
      await pending.cancel();
      throw error;
    } finally {
      if (this.pscPending === pending) this.pscPending = null;
      this.announce();
    }
    const idNatPs = signIn.professional.idNatPs;
    const current = this.composition;
    if (current && this.method === 'psc' && this.pscSession?.idNatPs === idNatPs) {
      this.pscSession.replace(client);
      current.core.unlockVerified();
      return this.status();
    }
    const session = new PscPlatformSession(client, idNatPs);
    try {
      await this.openProfile(`psc:${idNatPs}`, { psc: session, rpps: signIn.professional.rpps ?? '' }, 'psc');
    } catch (error) {
      await session.close();
      if (error instanceof RelaisError && error.code === 'FORBIDDEN') {
        throw new PscError('UNKNOWN_PROFESSIONAL', `the platform does not know the professional ${idNatPs}`, error);
      }
      throw error;
    }
    this.pscSession = session;
    this.cardSession = null;
    return this.status();
  }

  private async signOut(): Promise<AuthStatus> {
    this.detachCore();
    await this.switcher.signOut();
    this.method = null;
    this.cardSession = null;
    this.pscSession = null;
    this.announce();
    return this.status();
  }

  private async openProfile(key: string, extra: Partial<ComposeOptions>, method: 'card' | 'demo' | 'psc'): Promise<void> {
    const previous = this.composition;
    this.detachCore();
    const composition = await this.switcher.signIn(key, extra);
    this.method = method;
    if (composition !== previous) {
      composition.core.followLgc = this.initialFollowLgc;
      this.options.onSignedIn?.(composition);
    }
    this.unsubscribeCore = composition.core.events.subscribe((event) => this.events.emit(event));
    this.announce();
    const launch = this.pendingLaunch;
    this.pendingLaunch = null;
    if (launch) void composition.core.launch(launch.context, `${launch.channel}+after-sign-in`);
  }

  private detachCore(): void {
    this.offlineProbe?.stop();
    this.offlineProbe = null;
    this.unsubscribeCore?.();
    this.unsubscribeCore = null;
  }

  private announce(): void {
    this.events.emit({ type: 'auth-changed', status: this.status() });
  }

  // ------------------------------------------------------------------ card watch

  private async cardInserted(slot: CardSlot): Promise<void> {
    const reader = this.options.cardReader!;
    try {
      const session = await CardSession.open({ reader: borrowed(reader), platformUrl: this.options.compose.platformUrl, slotId: slot.slotId });
      const id = session.identity;
      await session.close();
      this.setCard({
        present: true,
        holder: { displayName: `${id.givenName} ${id.familyName}`, kind: id.kind, idNatPs: id.idNatPs, profession: id.professionLabel || null },
        readerError: false,
      });
    } catch {
      this.setCard({ present: true, holder: null, readerError: true });
    }
  }

  private cardRemoved(): void {
    this.setCard({ present: false, holder: null, readerError: false });
  }

  private setCard(status: CardStatus): void {
    this.cardStatus = status;
    this.announce();
  }

  private otherCardPresent(): boolean {
    const holder = this.cardStatus?.holder;
    return Boolean(holder && this.cardSession && holder.idNatPs !== this.cardSession.identity.idNatPs);
  }

  async close(): Promise<void> {
    this.cardWatch?.stop();
    this.detachCore();
    await this.switcher.signOut();
    await this.options.cardReader?.close();
  }
}

/** The machine policy in force, for the window: which settings it locks, what is wrong in it. */
function policyStatus(): Pick<AuthStatus, 'machinePolicy'> {
  const { policy, problems } = machinePolicy();
  const locked = lockedSettings(policy);
  return locked.length || problems.length ? { machinePolicy: { locked, problems: problems.map((p) => p.message) } } : {};
}

/**
 * The machine's reader lent to a card session: closing the session logs out of the card but
 * leaves the library loaded for the watcher and the next sign-in (one C_Initialize per process).
 */
function borrowed(reader: CardReader): CardReader {
  const lent: CardReader = {
    listSlots: () => reader.listSlots(),
    readAuthCertificate: (slotId) => reader.readAuthCertificate(slotId),
    pinStatus: (slotId) => reader.pinStatus(slotId),
    login: (slotId, pin) => reader.login(slotId, pin),
    sign: (slotId, data) => reader.sign(slotId, data),
    logout: (slotId) => reader.logout(slotId),
    close: async () => {},
  };
  // The card's signature key (the ordonnance, main/signature) is lent too, when the reader has it.
  if (!canSignDocuments(reader)) return lent;
  const withSignature: CardReader & SignatureKeyReader = {
    ...lent,
    readSignatureCertificate: (slotId) => reader.readSignatureCertificate(slotId),
    signWithSignatureKey: (slotId, data) => reader.signWithSignatureKey(slotId, data),
  };
  return withSignature;
}
