import {
  RelaisError,
  type LaunchContext,
  type OpenedPatient,
  type Professional,
  type RelaisEvent,
  type Session,
  type Role,
  ROLE_PERMISSIONS,
  can,
  roleOf,
} from '../contract';
import { toErrorShape } from './errors';
import { auditActor } from './audit/audit-trail';
import { EventBus } from './events';
import { localDay, registerWriters, requesterOf, type CoreHandlers, type FeatureContext } from './features/feature';
import { createFeatures } from './features/index';
import { noDrugCatalog, type DrugCatalog } from './drugs/catalog';
import { BackgroundSync } from './features/journal/background-sync';
import { JournalService } from './features/journal/journal-service';
import { announceJournal } from './features/journal/posting';
import type { AlertWatcher } from './features/panels/alert-watcher';
import { Outbox } from './outbox/outbox';
import type { BackoffPolicy } from './outbox/policy';
import { binaryAttachmentUrl } from './platform/attachment-url';
import type { Platform } from './platform/port';
import type { LocalStore } from './store/store';
import { guardHandlers, SessionLock, type LockReason } from './session/lock';
import { guardPermissions } from './session/permissions';
import type { DocumentSigner } from './signature/card-document-signer';

export interface CoreOptions {
  platform: Platform;
  store: LocalStore;
  professional: Professional;
  demo: boolean;
  /** Background sync of all followed patients (ms between passes); tests shorten it. */
  syncIntervalMs?: number;
  reconnectBaseMs?: number;
  /** Alert watcher poll interval (ms, default 30 s); tests shorten it. */
  alertPollMs?: number;
  /** Clock of the features (FeatureContext.now: « from today », « not in the past »); tests pin it. */
  now?: () => Date;
  /** Outbox retry backoff (docs/outbox.md); tests shorten it. */
  outboxBackoff?: BackoffPolicy;
  /** The install's drug database (main/drugs/catalog.ts); none: search answers nothing. */
  drugs?: DrugCatalog;
  /**
   * Session lock (main/session/lock.ts). Card mode: the unlocker logs in to the card and signs in
   * again; without it (demo) the demo code unlocks. idleMs: idle lock delay (off when absent).
   */
  session?: { unlocker?: (pin: string) => Promise<void>; idleMs?: number; card?: { kind: 'CPS' | 'CPE'; idNatPs: string }; method?: 'card' | 'psc' };
  /** Card session: signs documents (the ordonnance) with the card's signature key (main/signature). */
  documentSigner?: DocumentSigner;
}

/**
 * The core of Relais, host-agnostic: both the Electron shell and the web host wire a platform,
 * a store and an identity into it, then route API calls and launches here.
 */
export class RelaisCore {
  readonly events = new EventBus();
  readonly journal: JournalService;
  readonly background: BackgroundSync;
  /** New alerts (Flag) of the followed patients → alert-raised (main/features/panels). Hosts start it. */
  readonly alerts: AlertWatcher;
  /** Every write to the platform goes through here (main/outbox, docs/outbox.md). */
  readonly outbox: Outbox;
  /** One handler per API method, from the features (main/features/feature.ts), guarded by role and lock. */
  readonly handlers: CoreHandlers;
  /** Opening patients and identity vigilance (main/features/patient). */
  private readonly patients: ReturnType<typeof createFeatures>['patients'];
  private online = true;
  /** Switch to the practice software's patient when its context file changes (settings / UI). */
  followLgc = true;
  /** Card removal, idle, manual lock: patient calls are refused while locked (main/session/lock.ts). */
  readonly lock: SessionLock;

  constructor(private readonly options: CoreOptions) {
    // A role without journal.read-medical never sees a medical entry from this store (page,
    // facets, search, events): the platform filters them too, this is the second line.
    options.store.hideMedical = !can(this.role, 'journal.read-medical');
    this.journal = new JournalService(options.platform, options.store, this.events, {
      selfId: options.professional.id,
      // What landed may be the other side's answer, whichever sync stored it: the window's
      // panels must follow it (the journal-updated event says so).
      onNews: (patientId) => {
        const open = this.patients.currentPatientId() === patientId ? this.options.store.getPatient(patientId) : null;
        if (open) void this.journal.refresh(open, { news: true });
      },
    });
    this.background = new BackgroundSync({
      journal: this.journal,
      events: this.events,
      followedPatientIds: async () => (await this.patients.list()).map((p) => p.id),
      // Alerts ride the same question (issue 17 item 7); `alerts` is built with the features below.
      platform: options.platform,
      alerts: () => this.alerts ?? null,
      onReachability: (online) => {
        this.online = online;
        // Back online: what waits in the outbox goes now rather than at the end of its backoff.
        if (online) this.outbox.retryNow();
      },
      ...(options.syncIntervalMs !== undefined ? { intervalMs: options.syncIntervalMs } : {}),
      ...(options.reconnectBaseMs !== undefined ? { reconnectBaseMs: options.reconnectBaseMs } : {}),
    });
    this.outbox = new Outbox({
      store: options.store,
      platform: options.platform,
      events: this.events,
      professional: options.professional,
      ...(options.outboxBackoff ? { backoff: options.outboxBackoff } : {}),
      onSent: (item) => {
        this.online = true;
        announceJournal(options.store, this.events, item.patientId);
      },
    });
    // One context for every feature; the cross-feature queries are answered by the feature that
    // owns the data, once built (nothing calls them before the constructor returns).
    const now = options.now ?? (() => new Date());
    const ctx: FeatureContext = {
      platform: options.platform,
      store: options.store,
      outbox: this.outbox,
      events: this.events,
      professional: options.professional,
      actor: this.actor,
      role: () => this.role,
      now,
      today: () => localDay(now()),
      requester: requesterOf(options.professional),
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
      track: (call) => this.withPlatform(call),
      followedPatients: () => features.queries.followedPatients(),
      careTeamOf: (patientId) => features.queries.careTeamOf(patientId),
      overlayAgenda: (panels) => features.queries.overlayAgenda(panels),
      journal: this.journal,
      drugs: options.drugs ?? noDrugCatalog,
      documentSigning: options.documentSigner ? { kind: 'card', signer: options.documentSigner } : options.demo ? { kind: 'demo' } : { kind: 'print' },
    };
    const features = createFeatures(ctx, {
      session: {
        current: () => this.session(),
        lock: () => this.lockSession('manual'),
        unlock: (pin) => this.lock.unlock(pin),
        setFollowLgc: (enabled) => (this.followLgc = enabled),
      },
      ...(options.alertPollMs !== undefined ? { alertPollMs: options.alertPollMs } : {}),
    });
    this.patients = features.patients;
    this.alerts = features.alerts;
    this.alerts.ridesOn(() => this.background.carriesAlerts());
    const { handlers, writers } = features;
    // Writers are registered before the host starts the outbox (compose.ts).
    registerWriters(this.outbox, writers);
    this.handlers = handlers;
    this.lock = new SessionLock({
      emit: (event) => this.events.emit(event),
      unlocker: options.session?.unlocker ?? demoUnlocker,
      ...(options.session?.idleMs !== undefined ? { idleMs: options.session.idleMs } : {}),
    });
    // Role first, lock outermost: a locked session is refused before anything is checked or audited.
    guardPermissions(this.handlers, {
      role: () => this.role,
      onDenied: ({ method, permission, patientId }) =>
        options.store.audit(this.actor, 'permission.denied', patientId, JSON.stringify({ method, permission })),
    });
    guardHandlers(this.handlers, this.lock);
  }

  /** Who acts, in the audit trail (RPPS, or idNatPS for staff). */
  private get actor(): string {
    return auditActor(this.options.professional);
  }

  /** Locks the session (tray « Verrouiller », card removal, idle). */
  lockSession(reason: LockReason): void {
    if (!this.lock.state.locked) this.options.store.audit(this.actor, `session.lock.${reason}`, null);
    this.lock.lock(reason);
  }

  /** Unlock after the host verified the professional again without a PIN (a new Pro Santé Connect sign-in). */
  unlockVerified(): void {
    if (this.lock.state.locked) this.options.store.audit(this.actor, 'session.unlock', null);
    this.lock.release();
  }

  /** Derived once from the card type and the profession (contract/roles.ts). */
  get role(): Role {
    // Without a card (demo identity), staff are recognised by having no RPPS.
    const cardKind = this.options.session?.card?.kind ?? (this.options.professional.rpps ? null : 'CPE');
    return roleOf({ cardKind, professionCode: this.options.professional.profession.code });
  }

  get professional(): Professional {
    return this.options.professional;
  }

  session(): Session {
    const { professional, demo, platform } = this.options;
    const { locked, reason } = this.lock.state;
    return {
      professional,
      demo,
      platformUrl: platform.baseUrl,
      online: this.online,
      followLgc: this.followLgc,
      locked,
      lockReason: reason,
      card: this.options.session?.card ?? null,
      method: this.options.session?.method ?? (this.options.session?.card ? 'card' : demo ? 'demo' : null),
      role: this.role,
      permissions: [...ROLE_PERMISSIONS[this.role]],
    };
  }

  /** A launch from the LGC (URL, argv, CLI): opens the patient and tells every window. */
  async launch(context: LaunchContext, channel: string): Promise<void> {
    try {
      await this.openPatient(context, channel);
    } catch (error) {
      this.launchRejected(error);
    }
  }

  /**
   * The practice software now shows another patient (context file). Following it opens that
   * patient; otherwise the window offers to open it, without switching under the GP's eyes.
   */
  lgcContextChanged(context: LaunchContext): void {
    if (this.followLgc) {
      void this.launch(context, 'context-file');
      return;
    }
    this.events.emit({ type: 'lgc-context-changed', launch: context });
  }

  /** Reports a refused launch so the window can say why (a discrepancy has its own dialog). */
  launchRejected(error: unknown): void {
    const shape = toErrorShape(error);
    if (shape.code !== 'IDENTITY_MISMATCH' && shape.code !== 'PATIENT_SELECTION_REQUIRED') this.events.emit({ type: 'launch-failed', error: shape });
  }

  /** Opens a launched patient (main/features/patient); refused while the session is locked. */
  async openPatient(context: LaunchContext, channel = 'ui'): Promise<OpenedPatient> {
    this.lock.assertUnlocked();
    return this.patients.open(context, channel);
  }

  /**
   * Attachment bytes for the window (both hosts), under the same rules as the API (issue 11):
   * refused while locked; only a `Binary/<id>` of the platform (never a proxy, never another
   * resource) that a journal entry in this store lists; a medical entry's file needs
   * journal.read-medical; every open is in the audit trail. The hosts then apply
   * attachment-policy.ts to the bytes.
   */
  async fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }> {
    this.lock.assertUnlocked();
    const { url, binaryId } = binaryAttachmentUrl(this.options.platform.baseUrl, src);
    const { store } = this.options;
    const entry = store.journal.entryListingAttachment(url);
    const medical = entry?.confidentiality === 'medical';
    if (!entry || !can(this.role, 'patient.read') || (medical && !can(this.role, 'journal.read-medical'))) {
      const permission = entry && medical ? 'journal.read-medical' : 'patient.read';
      store.audit(this.actor, 'permission.denied', entry?.patientId ?? null, JSON.stringify({ method: 'attachment.open', permission, binaryId }));
      throw new RelaisError('FORBIDDEN', entry ? 'attachment of an entry this role may not read' : 'attachment listed in no journal entry of this store', 'src');
    }
    this.lock.touch();
    store.audit(this.actor, 'attachment.open', entry.patientId, binaryId);
    return this.withPlatform(() => this.options.platform.fetchAttachment(url));
  }

  /**
   * What a window that connects (or reloads) must hear first: the patient already open, so a
   * launch that arrived before the window subscribed is not lost.
   */
  replayForNewWindow(): RelaisEvent[] {
    const opened = this.patients.lastPatientChanged();
    return [this.background.status, ...(opened ? [opened] : [])];
  }

  private assertKnownPatient(patientId: string): void {
    if (!this.options.store.getPatient(patientId)) {
      throw new RelaisError('PATIENT_NOT_FOUND', 'patient not opened in this session', 'patientId');
    }
  }

  /** Tracks reachability from the outcome of every platform call. */
  private async withPlatform<T>(call: () => Promise<T>): Promise<T> {
    try {
      const value = await call();
      if (!this.online) this.outbox.retryNow();
      this.online = true;
      return value;
    } catch (error) {
      if (error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE') this.online = false;
      throw error;
    }
  }
}

/** Demo identity (no card): the lock still works, the demo code 1234 unlocks it. */
export const DEMO_UNLOCK_CODE = '1234';
async function demoUnlocker(pin: string): Promise<void> {
  if (pin !== DEMO_UNLOCK_CODE) throw new RelaisError('PIN_INCORRECT', 'wrong demo unlock code');
}
