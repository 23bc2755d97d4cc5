import {
  RelaisError,
  type CoreMethod,
  type ApiRequest,
  type ApiResponse,
  type LaunchContext,
  type OpenedPatient,
  type Patient,
  type Professional,
  type RelaisEvent,
  type TraitDiscrepancy,
  type Session,
  type Role,
  ROLE_PERMISSIONS,
  can,
  roleOf,
} from '../contract';
import { randomUUID } from 'node:crypto';
import { toErrorShape } from './errors';
import { auditActor } from './audit/audit-trail';
import { createAuditFeature } from './features/audit/handlers';
import { createPpsFeature } from './features/pps/handlers';
import { compareTraits } from './features/patient/compare-traits';
import { EventBus } from './events';
import { BackgroundSync } from './features/journal/background-sync';
import { JournalService } from './features/journal/journal-service';
import { createPanelsFeature } from './features/panels/handlers';
import { createAgendaFeature } from './features/agenda/handlers';
import { createReferralFeature } from './features/referral/handlers';
import { createPrescriptionsFeature } from './features/prescription/handlers';
import type { AlertWatcher } from './features/panels/alert-watcher';
import { Outbox } from './outbox/outbox';
import { announceJournal, createPostingHandlers } from './features/journal/posting';
import type { BackoffPolicy } from './outbox/policy';
import type { Platform } from './platform/port';
import type { LocalStore } from './store/store';
import { guardHandlers, SessionLock, type LockReason } from './session/lock';
import { guardPermissions } from './session/permissions';

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
  /** Clock of the panels and alerts (the agenda's « from today »); tests pin it. */
  now?: () => Date;
  /** Outbox retry backoff (docs/outbox.md); tests shorten it. */
  outboxBackoff?: BackoffPolicy;
  /**
   * Session lock (main/session/lock.ts). Card mode: the unlocker logs in to the card and signs in
   * again; without it (demo) the demo code unlocks. idleMs: idle lock delay (off when absent).
   */
  session?: { unlocker?: (pin: string) => Promise<void>; idleMs?: number; card?: { kind: 'CPS' | 'CPE'; idNatPs: string }; method?: 'card' | 'psc' };
}

type Handlers = { [M in CoreMethod]: (request: ApiRequest<M>) => Promise<ApiResponse<M>> };

/**
 * The core of Relais, host-agnostic: both the Electron shell and the web host wire a platform,
 * a store and an identity into it, then route API calls and launches here.
 */
export class RelaisCore {
  readonly events = new EventBus();
  readonly journal: JournalService;
  readonly background: BackgroundSync;
  /** New alerts (Flag) of the followed patients → alert-raised (main/alerts). Hosts start it. */
  readonly alerts: AlertWatcher;
  private readonly panelsFeature: ReturnType<typeof createPanelsFeature>;
  /** Every write to the platform goes through here (main/outbox, docs/outbox.md). */
  readonly outbox: Outbox;
  private readonly posting: ReturnType<typeof createPostingHandlers>;
  private readonly pps: ReturnType<typeof createPpsFeature>;
  /** Appointments and admission requests (main/agenda): what a practice secretary manages. */
  private readonly agenda: ReturnType<typeof createAgendaFeature>;
  /** Referrals (main/referral): « Adresser » the patient to a professional or service. */
  private readonly referrals: ReturnType<typeof createReferralFeature>;
  /** E-prescription: drafts, preview PDF, post through the outbox (main/prescriptions). */
  private readonly prescriptions: ReturnType<typeof createPrescriptionsFeature>;
  private readonly auditFeature: ReturnType<typeof createAuditFeature>;
  private online = true;
  private currentPatientId: string | null = null;
  private lastPatientChanged: RelaisEvent | null = null;
  /** Switch to the practice software's patient when its context file changes (settings / UI). */
  followLgc = true;
  /** Launches waiting for the professional to compare traits; short-lived, in memory only. */
  private readonly pendingConfirmations = new Map<
    string,
    { context: LaunchContext; patient: Patient; discrepancies: TraitDiscrepancy[]; channel: string; at: number }
  >();
  private readonly pendingSelections = new Map<string, { context: LaunchContext; candidates: Patient[]; channel: string; at: number }>();
  /** Card removal, idle, manual lock: patient calls are refused while locked (main/session/lock.ts). */
  readonly lock: SessionLock;

  constructor(private readonly options: CoreOptions) {
    // A role without journal.read-medical never sees a medical entry from this store (page,
    // facets, search, events): the platform filters them too, this is the second line.
    options.store.hideMedical = !can(this.role, 'journal.read-medical');
    this.journal = new JournalService(options.platform, options.store, this.events, { selfId: options.professional.id });
    this.panelsFeature = createPanelsFeature({
      platform: options.platform,
      store: options.store,
      events: this.events,
      professional: options.professional,
      followedPatients: () => this.listPatients(),
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
      track: (call) => this.withPlatform(call),
      ...(options.alertPollMs !== undefined ? { alertPollMs: options.alertPollMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.alerts = this.panelsFeature.alerts;
    this.background = new BackgroundSync({
      journal: this.journal,
      events: this.events,
      followedPatientIds: async () => (await this.listPatients()).map((p) => p.id),
      onReachability: (online) => {
        this.online = online;
        // Back online: what waits in the outbox goes now rather than at the end of its backoff.
        if (online) this.outbox.retryNow();
      },
      onSynced: (patientId, written) => {
        const open = this.currentPatientId === patientId ? this.options.store.getPatient(patientId) : null;
        if (open && written > 0) void this.journal.refresh(open);
      },
      ...(options.syncIntervalMs !== undefined ? { intervalMs: options.syncIntervalMs } : {}),
      ...(options.reconnectBaseMs !== undefined ? { reconnectBaseMs: options.reconnectBaseMs } : {}),
    });
    this.outbox = new Outbox({
      dbPath: options.store.path,
      openDb: () => options.store.openConnection(),
      platform: options.platform,
      events: this.events,
      professional: options.professional,
      ...(options.outboxBackoff ? { backoff: options.outboxBackoff } : {}),
      onSent: (item) => {
        this.online = true;
        announceJournal(options.store, this.events, item.patientId);
      },
    });
    this.prescriptions = createPrescriptionsFeature({
      platform: options.platform,
      store: options.store,
      outbox: this.outbox,
      events: this.events,
      professional: options.professional,
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
      track: (call) => this.withPlatform(call),
      ...(options.now ? { now: options.now } : {}),
    });
    this.posting = createPostingHandlers({
      outbox: this.outbox,
      store: options.store,
      events: this.events,
      professional: options.professional,
      role: () => this.role,
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
    });
    // Registers the pps-update writer before the host starts the outbox (compose.ts).
    this.pps = createPpsFeature({
      outbox: this.outbox,
      store: options.store,
      professional: options.professional,
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
      ...(options.now ? { now: options.now } : {}),
    });
    this.agenda = createAgendaFeature({
      outbox: this.outbox,
      platform: options.platform,
      store: options.store,
      professional: options.professional,
      role: () => this.role,
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
      track: (call) => this.withPlatform(call),
      careTeamOf: async (patientId) => (await this.panelsFeature.panels.get(patientId)).careTeam,
      ...(options.now ? { now: options.now } : {}),
    });
    // Registers the referral writer before the host starts the outbox (compose.ts).
    this.referrals = createReferralFeature({
      outbox: this.outbox,
      platform: options.platform,
      store: options.store,
      professional: options.professional,
      assertKnownPatient: (patientId) => this.assertKnownPatient(patientId),
      track: (call) => this.withPlatform(call),
      careTeamOf: async (patientId) => (await this.panelsFeature.panels.get(patientId)).careTeam,
      ...(options.now ? { now: options.now } : {}),
    });
    this.auditFeature = createAuditFeature({ store: options.store, actor: () => this.actor });
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

  readonly handlers: Handlers = {
    'session.current': async () => this.session(),
    'session.lock': async () => {
      this.lockSession('manual');
      return { locked: true as const };
    },
    'session.unlock': async ({ pin }) => {
      await this.lock.unlock(pin);
      this.options.store.audit(this.actor, 'session.unlock', null);
      return { locked: false as const };
    },
    'patient.open': async (context) => this.openPatient(context),
    'patient.list': async () => this.listPatients(),
    'journal.page': async ({ patientId, cursor, limit, filter }) => {
      this.assertKnownPatient(patientId);
      if (!this.journal.hasCache(patientId)) await this.withPlatform(() => this.journal.sync(patientId));
      return this.journal.page(patientId, cursor, limit, filter);
    },
    'journal.facets': async ({ patientId }) => {
      this.assertKnownPatient(patientId);
      return this.options.store.facets(patientId);
    },
    'journal.markRead': async ({ patientId }) => {
      this.assertKnownPatient(patientId);
      return { marked: this.options.store.markRead(patientId) };
    },
    'journal.pin': async ({ patientId, entryId, pinned }) => {
      this.assertKnownPatient(patientId);
      this.options.store.setPinned(patientId, entryId, pinned);
      this.options.store.audit(this.actor, pinned ? 'journal.pin' : 'journal.unpin', patientId, entryId);
      return { pinned };
    },
    'patient.confirmIdentity': async ({ confirmationId, confirmed }) => this.confirmIdentity(confirmationId, confirmed),
    'patient.choose': async ({ selectionId, patientId }) => this.choosePatient(selectionId, patientId),
    'settings.followLgc': async ({ enabled }) => {
      this.followLgc = enabled;
      this.options.store.audit(this.actor, enabled ? 'settings.follow-lgc.on' : 'settings.follow-lgc.off', null);
      return { followLgc: this.followLgc };
    },
    'draft.get': async ({ patientId }) => this.options.store.getDraft(patientId),
    'draft.save': async ({ patientId, text }) => {
      this.assertKnownPatient(patientId);
      return this.options.store.saveDraft(patientId, text);
    },
    'patient.panels': async (request) => {
      const panels = this.agenda.overlay(await this.panelsFeature.handlers['patient.panels'](request));
      // Treatments are medical content: practice staff get none, whatever the platform sent.
      return can(this.role, 'journal.read-medical') ? panels : { ...panels, treatments: [] };
    },
    'task.updateStatus': (request) => this.panelsFeature.handlers['task.updateStatus'](request),
    'alerts.list': () => this.panelsFeature.handlers['alerts.list'](),
    'journal.post': (request) => this.posting['journal.post'](request),
    'outbox.list': (request) => this.posting['outbox.list'](request),
    'alert.acknowledge': (request) => this.posting['alert.acknowledge'](request),
    'pps.update': (request) => this.pps['pps.update'](request),
    'pps.recoverEdit': (request) => this.pps['pps.recoverEdit'](request),
    'prescription.draft.get': (request) => this.prescriptions.handlers['prescription.draft.get'](request),
    'prescription.draft.save': (request) => this.prescriptions.handlers['prescription.draft.save'](request),
    'prescription.pdf': (request) => this.prescriptions.handlers['prescription.pdf'](request),
    'prescription.post': (request) => this.prescriptions.handlers['prescription.post'](request),
    'appointment.book': (request) => this.agenda.handlers['appointment.book'](request),
    'appointment.reschedule': (request) => this.agenda.handlers['appointment.reschedule'](request),
    'appointment.cancel': (request) => this.agenda.handlers['appointment.cancel'](request),
    'appointment.dismissChange': (request) => this.agenda.handlers['appointment.dismissChange'](request),
    'admission.request': (request) => this.agenda.handlers['admission.request'](request),
    'admission.list': (request) => this.agenda.handlers['admission.list'](request),
    'admission.establishments': () => this.agenda.handlers['admission.establishments'](),
    'referral.create': (request) => this.referrals.handlers['referral.create'](request),
    'referral.list': (request) => this.referrals.handlers['referral.list'](request),
    'referral.recipients': () => this.referrals.handlers['referral.recipients'](),
    'audit.list': (request) => this.auditFeature['audit.list'](request),
    'audit.exportCsv': (request) => this.auditFeature['audit.exportCsv'](request),
    'audit.verify': () => this.auditFeature['audit.verify'](),
  };

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

  async openPatient(context: LaunchContext, channel = 'ui'): Promise<OpenedPatient> {
    this.lock.assertUnlocked();
    const { store } = this.options;
    const ins = context.ins;
    if (!ins) return this.askSelection(context, channel);
    const stored = store.findPatientByIns(ins.value);
    const patient = stored && this.journal.hasCache(stored.id) ? stored : await this.resolveOnPlatform(ins);
    const discrepancies = compareTraits(context, patient);
    if (discrepancies.length > 0) this.askConfirmation(context, patient, discrepancies, channel);
    return this.show(patient, channel);
  }

  /**
   * Identity vigilance: never open on an INS alone when the traits disagree. The launch waits
   * for the professional, who sees both sets of traits; the discrepancy is in the audit trail.
   */
  private askConfirmation(context: LaunchContext, patient: Patient, discrepancies: TraitDiscrepancy[], channel: string): never {
    const now = Date.now();
    for (const [id, p] of this.pendingConfirmations) if (now - p.at > 10 * 60_000) this.pendingConfirmations.delete(id);
    const confirmationId = randomUUID();
    this.pendingConfirmations.set(confirmationId, { context, patient, discrepancies, channel, at: now });
    this.options.store.audit(
      this.actor,
      'identity.discrepancy',
      patient.id,
      JSON.stringify({ channel, fields: discrepancies.map((d) => d.field) }),
    );
    this.events.emit({ type: 'identity-confirmation-required', confirmationId, launch: context, patient, discrepancies });
    throw new RelaisError('IDENTITY_MISMATCH', `traits differ: ${discrepancies.map((d) => d.field).join(', ')}`);
  }

  /**
   * A launch without INS: the platform is searched by traits and every candidate is shown; the
   * professional chooses (or declines). Relais never picks one, even a single exact match.
   */
  private async askSelection(context: LaunchContext, channel: string): Promise<never> {
    const candidates = await this.withPlatform(() =>
      this.options.platform.searchPatientsByTraits({ birthName: context.birthName, birthDate: context.birthDate, sex: context.sex }),
    );
    if (candidates.length === 0) throw new RelaisError('PATIENT_NOT_FOUND', 'no patient with these traits on the platform');
    const selectionId = randomUUID();
    this.pendingSelections.set(selectionId, { context, candidates, channel, at: Date.now() });
    this.options.store.audit(this.actor, 'identity.candidates', null, JSON.stringify({ channel, count: candidates.length }));
    this.events.emit({ type: 'patient-candidates', selectionId, launch: context, candidates });
    throw new RelaisError('PATIENT_SELECTION_REQUIRED', `${candidates.length} candidate(s): the professional must choose`);
  }

  private async choosePatient(selectionId: string, patientId: string | null): Promise<{ opened: OpenedPatient | null }> {
    const pending = this.pendingSelections.get(selectionId);
    if (!pending) throw new RelaisError('INVALID_INPUT', 'no pending patient selection with this id', 'selectionId');
    const chosen = patientId === null ? null : pending.candidates.find((c) => c.id === patientId);
    if (chosen === undefined) throw new RelaisError('INVALID_INPUT', 'not one of the candidates', 'patientId');
    this.pendingSelections.delete(selectionId);
    const detail = JSON.stringify({ channel: pending.channel, candidates: pending.candidates.map((c) => c.id) });
    this.options.store.audit(this.actor, chosen ? 'identity.selected' : 'identity.none-selected', chosen?.id ?? null, detail);
    if (!chosen) return { opened: null };
    this.options.store.upsertPatient(chosen);
    if (!this.journal.hasCache(chosen.id)) await this.withPlatform(() => this.journal.sync(chosen.id));
    return { opened: await this.show(chosen, `${pending.channel}+selected`) };
  }

  private async confirmIdentity(confirmationId: string, confirmed: boolean): Promise<{ opened: OpenedPatient | null }> {
    const pending = this.pendingConfirmations.get(confirmationId);
    if (!pending) throw new RelaisError('INVALID_INPUT', 'no pending identity confirmation with this id', 'confirmationId');
    this.pendingConfirmations.delete(confirmationId);
    const detail = JSON.stringify({
      channel: pending.channel,
      discrepancies: pending.discrepancies.map((d) => d.field),
    });
    this.options.store.audit(this.actor, confirmed ? 'identity.confirmed' : 'identity.rejected', pending.patient.id, detail);
    if (!confirmed) return { opened: null };
    return { opened: await this.show(pending.patient, `${pending.channel}+confirmed`) };
  }

  private async show(patient: Patient, channel: string): Promise<OpenedPatient> {
    const { store } = this.options;
    const cached = this.journal.hasCache(patient.id);
    store.audit(this.actor, 'patient.open', patient.id, channel);
    this.currentPatientId = patient.id;
    this.alerts.acknowledgePatient(patient.id);
    this.lastPatientChanged = { type: 'patient-changed', patient, cached };
    this.events.emit(this.lastPatientChanged);
    if (cached) {
      void this.revalidate(patient);
    } else {
      await this.withPlatform(() => this.journal.sync(patient.id));
      void this.journal.refresh(patient);
    }
    return { patient, cached };
  }

  /** Attachment bytes for the window; only URLs under the platform's base, so no host becomes a proxy. */
  async fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }> {
    const base = new URL(this.options.platform.baseUrl.replace(/\/?$/, '/'));
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      throw new RelaisError('INVALID_INPUT', 'attachment URL malformed', 'src');
    }
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new RelaisError('FORBIDDEN', 'attachment outside the platform', 'src');
    }
    return this.withPlatform(() => this.options.platform.fetchAttachment(url.href));
  }

  /**
   * What a window that connects (or reloads) must hear first: the patient already open, so a
   * launch that arrived before the window subscribed is not lost.
   */
  replayForNewWindow(): RelaisEvent[] {
    return [this.background.status, ...(this.lastPatientChanged ? [this.lastPatientChanged] : [])];
  }

  private async revalidate(patient: Patient): Promise<void> {
    try {
      const fresh = await this.withPlatform(() => this.options.platform.getPatient(patient.id));
      this.options.store.upsertPatient(fresh);
    } catch {
      // Offline or platform error: the journal stays readable from the store; refresh reports it.
    }
    await this.journal.refresh(patient);
  }

  private async resolveOnPlatform(ins: NonNullable<LaunchContext['ins']>): Promise<Patient> {
    const patient = await this.withPlatform(() => this.options.platform.findPatientByIns(ins));
    if (!patient) throw new RelaisError('PATIENT_NOT_FOUND', 'no patient with this INS on the platform', 'ins');
    this.options.store.upsertPatient(patient);
    return patient;
  }

  private async listPatients(): Promise<Patient[]> {
    try {
      const patients = await this.withPlatform(() =>
        this.options.platform.listPatientsFollowedBy(this.options.professional.id),
      );
      for (const p of patients) this.options.store.upsertPatient(p);
      return sortPatients(patients);
    } catch (error) {
      if (error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE') {
        return sortPatients(this.options.store.listPatients());
      }
      throw error;
    }
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

function sortPatients(patients: Patient[]): Patient[] {
  return [...patients].sort(
    (a, b) => a.birthName.localeCompare(b.birthName, 'fr') || a.firstNames.join(' ').localeCompare(b.firstNames.join(' '), 'fr'),
  );
}
