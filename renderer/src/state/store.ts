import type {
  Draft,
  JournalFacets,
  JournalFilter,
  JournalEntry,
  LaunchContext,
  TraitDiscrepancy,
  JournalPage,
  JournalPostRequest,
  OutboxItem,
  Patient,
  RelaisClient,
  RelaisErrorShape,
  RelaisEvent,
  Session,
} from '../contract';
import { launchContextOf, mergeEntries } from '../format';
import type { ConnectionStatus } from '../transport';

/**
 * The renderer's state, outside React: one object replaced on every change, read through
 * useSyncExternalStore. All calls to the core and all events go through here, so components
 * stay declarative and this file can be tested with a fake client.
 */

export const FIRST_PAGE_SIZE = 100;
export const NEXT_PAGE_SIZE = 200;

export interface JournalState {
  patientId: string;
  entries: JournalEntry[];
  nextCursor: string | null;
  total: number;
  source: JournalPage['source'] | null;
  syncedAt: string | null;
  /** The first page has not arrived yet. */
  loadingFirst: boolean;
  loadingMore: boolean;
  /** A background revalidation from the platform is expected (page came from the store). */
  refreshing: boolean;
  syncError: RelaisErrorShape | null;
  /** Bumped whenever the entries are replaced rather than extended (scroll back to top). */
  generation: number;
}

export interface ShownError {
  error: RelaisErrorShape;
  /** Increments so that the same error twice is announced twice. */
  seq: number;
}

/** A launch held because the practice software's traits differ from the platform's. */
export interface IdentityCheck {
  confirmationId: string;
  launch: LaunchContext;
  patient: Patient;
  discrepancies: TraitDiscrepancy[];
  answering: boolean;
}

/** A launch without INS: the professional chooses among the platform's candidates. */
export interface PatientSelection {
  selectionId: string;
  launch: LaunchContext;
  candidates: Patient[];
  answering: boolean;
}

export interface DraftState {
  patientId: string;
  text: string;
  /** When the text on screen was last written to the local store; null while unsaved. */
  savedAt: string | null;
  /** The draft was there when the patient was opened (kept from an earlier visit). */
  restoredFrom: string | null;
  loading: boolean;
}

export const DRAFT_SAVE_DELAY_MS = 400;

export interface AppState {
  connection: ConnectionStatus;
  browserOnline: boolean;
  /** Platform reachability as last observed (session, pages, sync events); null = unknown. */
  platformOnline: boolean | null;
  session: Session | null;
  patients: Patient[] | null;
  patientsLoading: boolean;
  openingPatientId: string | null;
  patient: Patient | null;
  journal: JournalState | null;
  error: ShownError | null;
  identityCheck: IdentityCheck | null;
  selection: PatientSelection | null;
  draft: DraftState | null;
  /** Filters and search of the open journal; reset when another patient opens. */
  filter: JournalFilter;
  facets: JournalFacets | null;
  /** The practice software shows this patient while "follow" is off: offered, not opened. */
  lgcOffer: LaunchContext | null;
  /** Background sync of all followed patients, as last reported by the core. */
  syncStatus: Extract<RelaisEvent, { type: 'sync-status' }> | null;
  /** The outbox as last reported (docs/outbox.md): what waits, what is being sent, what failed. */
  outbox: OutboxItem[];
  /** The entry the composer answers, if any. */
  replyTo: JournalEntry | null;
  /** journal.post is on its way to the core (not the platform: that is the outbox's job). */
  posting: boolean;
}

/** Drops empty values so an unfiltered journal sends no filter at all. */
export function activeFilter(filter: JournalFilter): JournalFilter | undefined {
  const out: JournalFilter = {};
  if (filter.kinds?.length) out.kinds = filter.kinds;
  if (filter.authorIds?.length) out.authorIds = filter.authorIds;
  if (filter.roleLabels?.length) out.roleLabels = filter.roleLabels;
  if (filter.from) out.from = filter.from;
  if (filter.to) out.to = filter.to;
  if (filter.query?.trim()) out.query = filter.query.trim();
  if (filter.pinnedOnly) out.pinnedOnly = true;
  if (filter.unreadOnly) out.unreadOnly = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

export type OnlineIndicator = 'online' | 'offline' | 'connecting';

export function onlineIndicator(s: AppState): OnlineIndicator {
  if (s.connection === 'connecting') return 'connecting';
  if (s.connection === 'closed' || !s.browserOnline) return 'offline';
  if (s.platformOnline === false) return 'offline';
  if (s.platformOnline === null && s.session && !s.session.online) return 'offline';
  return 'online';
}

const UNREACHABLE_CODES = new Set(['OFFLINE', 'PLATFORM_UNREACHABLE']);

export interface Perf {
  mark(name: string): void;
}

export class RelaisStore {
  private state: AppState;
  private readonly listeners = new Set<() => void>();
  private errorSeq = 0;
  private draftTimer: ReturnType<typeof setTimeout> | null = null;
  private disposers: Array<() => void> = [];

  constructor(
    private readonly client: RelaisClient,
    connection: { status: ConnectionStatus; onStatus(l: (s: ConnectionStatus) => void): () => void },
    private readonly perf: Perf = globalThis.performance,
    browserOnline = true,
  ) {
    this.state = {
      connection: connection.status,
      browserOnline,
      platformOnline: null,
      session: null,
      patients: null,
      patientsLoading: false,
      openingPatientId: null,
      patient: null,
      journal: null,
      error: null,
      identityCheck: null,
      selection: null,
      draft: null,
      filter: {},
      facets: null,
      syncStatus: null,
      lgcOffer: null,
      outbox: [],
      replyTo: null,
      posting: false,
    };
    this.disposers.push(client.onEvent((e) => this.handleEvent(e)));
    this.disposers.push(
      connection.onStatus((status) => {
        const wasDown = this.state.connection !== 'open';
        this.set({ connection: status });
        if (status === 'open' && wasDown) void this.resync();
      }),
    );
  }

  // ---- useSyncExternalStore plumbing ----
  getState = (): AppState => this.state;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  dispose(): void {
    for (const d of this.disposers) d();
    this.disposers = [];
  }

  private set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private setJournal(patientId: string, patch: Partial<JournalState>): void {
    const j = this.state.journal;
    if (!j || j.patientId !== patientId) return;
    this.set({ journal: { ...j, ...patch } });
  }

  private showError(error: RelaisErrorShape): void {
    this.errorSeq += 1;
    if (UNREACHABLE_CODES.has(error.code)) this.set({ platformOnline: false });
    this.set({ error: { error, seq: this.errorSeq } });
  }

  dismissError = (): void => {
    this.set({ error: null });
  };

  setBrowserOnline = (online: boolean): void => {
    this.set({ browserOnline: online });
  };

  // ---- start-up ----
  async start(): Promise<void> {
    await Promise.all([this.loadSession(), this.loadPatients(), this.loadOutbox()]);
  }

  private async loadSession(): Promise<void> {
    const r = await this.client.call('session.current', {});
    if (r.ok) this.set({ session: r.value, platformOnline: r.value.online });
    else this.showError(r.error);
  }

  loadPatients = async (): Promise<void> => {
    this.set({ patientsLoading: true });
    const r = await this.client.call('patient.list', {});
    if (r.ok) this.set({ patients: r.value, patientsLoading: false });
    else {
      this.set({ patientsLoading: false });
      this.showError(r.error);
    }
  };

  /** After a reconnection: what was missed while the socket was down. */
  private async resync(): Promise<void> {
    const tasks: Array<Promise<void>> = [this.loadSession()];
    if (this.state.patients === null) tasks.push(this.loadPatients());
    const j = this.state.journal;
    if (j) tasks.push(this.refreshFirstPage(j.patientId));
    await Promise.all(tasks);
  }

  // ---- patients ----
  openPatient = async (patient: Patient): Promise<void> => {
    const ctx = launchContextOf(patient);
    if (!ctx || this.state.openingPatientId !== null) return;
    this.set({ openingPatientId: patient.id });
    const r = await this.client.call('patient.open', ctx);
    this.set({ openingPatientId: null });
    if (r.ok) this.showPatient(r.value.patient);
    else this.showError(r.error);
  };

  private showPatient(patient: Patient): void {
    const current = this.state.journal;
    // A successful open supersedes a previous launch error.
    this.set({ patient, error: null });
    if (current && current.patientId === patient.id) return;
    // Unread markers stay visible for the whole visit; leaving the patient marks them read.
    if (current) void this.client.call('journal.markRead', { patientId: current.patientId });
    this.set({ filter: {}, facets: null });
    void this.switchDraft(patient.id);
    this.set({
      journal: {
        patientId: patient.id,
        entries: [],
        nextCursor: null,
        total: 0,
        source: null,
        syncedAt: null,
        loadingFirst: true,
        loadingMore: false,
        refreshing: false,
        syncError: null,
        generation: (current?.generation ?? 0) + 1,
      },
    });
    void this.loadFirstPage(patient.id);
  }

  private async loadFirstPage(patientId: string): Promise<void> {
    const filter = activeFilter(this.state.filter);
    const r = await this.client.call('journal.page', { patientId, limit: FIRST_PAGE_SIZE, ...(filter ? { filter } : {}) });
    if (this.state.journal?.patientId !== patientId) return;
    if (!r.ok) {
      this.setJournal(patientId, { loadingFirst: false });
      this.showError(r.error);
      return;
    }
    const page = r.value;
    const j = this.state.journal;
    // Filter counts come after the first paint: on a 10,000-entry journal they cost more than it.
    if (this.state.facets === null) void this.loadFacets(patientId);
    this.setJournal(patientId, {
      // Events may have arrived while the page was on its way.
      entries: mergeEntries(page.entries, j.entries),
      nextCursor: page.nextCursor,
      total: Math.max(page.total, j.total),
      source: j.source === 'platform' ? 'platform' : page.source,
      syncedAt: j.syncedAt ?? page.syncedAt,
      loadingFirst: false,
      refreshing: page.source === 'store' && j.source !== 'platform' && j.syncError === null,
    });
    if (page.source === 'platform') this.set({ platformOnline: true });
  }

  /** Re-reads the newest page; replaces the list when it does not connect to what is shown. */
  private async refreshFirstPage(patientId: string): Promise<void> {
    const filter = activeFilter(this.state.filter);
    const r = await this.client.call('journal.page', { patientId, limit: FIRST_PAGE_SIZE, ...(filter ? { filter } : {}) });
    const j = this.state.journal;
    if (!j || j.patientId !== patientId) return;
    if (!r.ok) {
      this.showError(r.error);
      return;
    }
    const page = r.value;
    const known = new Set(j.entries.map((e) => e.id));
    const connects = page.entries.length === 0 || page.entries.some((e) => known.has(e.id));
    this.setJournal(patientId, {
      entries: connects ? mergeEntries(j.entries, page.entries) : page.entries,
      nextCursor: connects ? j.nextCursor : page.nextCursor,
      total: page.total,
      source: page.source,
      syncedAt: page.syncedAt ?? j.syncedAt,
      loadingFirst: false,
      generation: connects ? j.generation : j.generation + 1,
    });
  }

  loadMore = async (): Promise<void> => {
    const j = this.state.journal;
    if (!j || j.loadingFirst || j.loadingMore || j.nextCursor === null) return;
    const { patientId, nextCursor } = j;
    this.setJournal(patientId, { loadingMore: true });
    const filter = activeFilter(this.state.filter);
    const r = await this.client.call('journal.page', {
      patientId,
      cursor: nextCursor,
      limit: NEXT_PAGE_SIZE,
      ...(filter ? { filter } : {}),
    });
    const now = this.state.journal;
    if (!now || now.patientId !== patientId) return;
    if (!r.ok) {
      this.setJournal(patientId, { loadingMore: false });
      this.showError(r.error);
      return;
    }
    // A replacement (gap refresh) happened meanwhile: this older page no longer applies.
    if (now.nextCursor !== nextCursor) {
      this.setJournal(patientId, { loadingMore: false });
      return;
    }
    this.setJournal(patientId, {
      entries: mergeEntries(now.entries, r.value.entries),
      nextCursor: r.value.nextCursor,
      total: Math.max(r.value.total, now.total),
      loadingMore: false,
    });
  };

  // ---- filters, search, pins ----
  private async loadFacets(patientId: string): Promise<void> {
    const r = await this.client.call('journal.facets', { patientId });
    if (r.ok && this.state.journal?.patientId === patientId) this.set({ facets: r.value });
  }

  /** Applies new filters (or search words): the list is re-read from the newest entry. */
  setFilter = (filter: JournalFilter): void => {
    const j = this.state.journal;
    this.set({ filter });
    if (!j) return;
    this.setJournal(j.patientId, { entries: [], nextCursor: null, loadingFirst: true, generation: j.generation + 1 });
    void this.loadFirstPage(j.patientId);
  };

  togglePin = async (entryId: string, pinned: boolean): Promise<void> => {
    const j = this.state.journal;
    if (!j) return;
    const r = await this.client.call('journal.pin', { patientId: j.patientId, entryId, pinned });
    if (!r.ok) {
      this.showError(r.error);
      return;
    }
    const now = this.state.journal;
    if (!now || now.patientId !== j.patientId) return;
    this.setJournal(j.patientId, {
      entries: now.entries.map((e) => (e.id === entryId ? { ...e, pinned: pinned || undefined } : e)),
    });
    void this.loadFacets(j.patientId);
  };

  // ---- a launch without INS ----
  answerSelection = async (patientId: string | null): Promise<void> => {
    const sel = this.state.selection;
    if (!sel || sel.answering) return;
    this.set({ selection: { ...sel, answering: true } });
    const r = await this.client.call('patient.choose', { selectionId: sel.selectionId, patientId });
    this.set({ selection: null });
    if (!r.ok) this.showError(r.error);
    else if (r.value.opened) this.showPatient(r.value.opened.patient);
  };

  // ---- following the practice software ----
  /** The box changes at once (it is what the GP just clicked); it goes back if the core refuses. */
  setFollowLgc = async (enabled: boolean): Promise<void> => {
    const before = this.state.session;
    if (before) this.set({ session: { ...before, followLgc: enabled } });
    const r = await this.client.call('settings.followLgc', { enabled });
    const session = this.state.session;
    if (!r.ok) {
      if (session && before) this.set({ session: { ...session, followLgc: before.followLgc } });
      this.showError(r.error);
      return;
    }
    if (session) this.set({ session: { ...session, followLgc: r.value.followLgc } });
  };

  openLgcOffer = async (): Promise<void> => {
    const offer = this.state.lgcOffer;
    if (!offer) return;
    this.set({ lgcOffer: null });
    const r = await this.client.call('patient.open', offer);
    if (r.ok) this.showPatient(r.value.patient);
    else if (r.error.code !== 'IDENTITY_MISMATCH') this.showError(r.error);
  };

  dismissLgcOffer = (): void => {
    this.set({ lgcOffer: null });
  };

  // ---- identity vigilance ----
  answerIdentityCheck = async (confirmed: boolean): Promise<void> => {
    const check = this.state.identityCheck;
    if (!check || check.answering) return;
    this.set({ identityCheck: { ...check, answering: true } });
    const r = await this.client.call('patient.confirmIdentity', { confirmationId: check.confirmationId, confirmed });
    this.set({ identityCheck: null });
    if (!r.ok) this.showError(r.error);
    else if (r.value.opened) this.showPatient(r.value.opened.patient);
  };

  // ---- drafts: saved as they are typed, per patient, so a switch never loses them ----
  setDraftText = (text: string): void => {
    const d = this.state.draft;
    if (!d || d.loading) return;
    this.set({ draft: { ...d, text, savedAt: null } });
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => void this.flushDraft(), DRAFT_SAVE_DELAY_MS);
  };

  /** Writes the draft on screen now (before a switch, on blur); safe to call at any time. */
  flushDraft = async (): Promise<void> => {
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = null;
    const d = this.state.draft;
    if (!d || d.loading || d.savedAt !== null) return;
    const { patientId, text } = d;
    const r = await this.client.call('draft.save', { patientId, text });
    if (!r.ok) {
      // The text stays on screen and unsaved; the next keystroke or switch tries again.
      this.showError(r.error);
      return;
    }
    const now = this.state.draft;
    if (now && now.patientId === patientId && now.text === text) {
      this.set({ draft: { ...now, savedAt: r.value?.updatedAt ?? new Date().toISOString() } });
    }
  };

  private async switchDraft(patientId: string): Promise<void> {
    await this.flushDraft();
    this.set({ draft: { patientId, text: '', savedAt: null, restoredFrom: null, loading: true } });
    const r = await this.client.call('draft.get', { patientId });
    const d = this.state.draft;
    if (!d || d.patientId !== patientId) return;
    const draft: Draft | null = r.ok ? r.value : null;
    this.set({
      draft: {
        patientId,
        text: draft?.text ?? '',
        savedAt: draft?.updatedAt ?? new Date(0).toISOString(),
        restoredFrom: draft?.updatedAt ?? null,
        loading: false,
      },
    });
  }

  // ---- posting: through the core's durable outbox ----
  private async loadOutbox(): Promise<void> {
    const r = await this.client.call('outbox.list', {});
    if (r.ok) this.set({ outbox: r.value });
  }

  setReplyTo = (entry: JournalEntry | null): void => {
    this.set({ replyTo: entry });
  };

  /**
   * Publishes the composer's content. True once the outbox holds it (the draft is then cleared);
   * false on error, with the text left untouched on screen and in the saved draft.
   */
  post = async (input: Omit<JournalPostRequest, 'patientId'>): Promise<boolean> => {
    const d = this.state.draft;
    if (!d || d.loading || this.state.posting) return false;
    const patientId = d.patientId;
    const replyTo = this.state.replyTo?.patientId === patientId ? this.state.replyTo.id : undefined;
    this.set({ posting: true });
    await this.flushDraft();
    const r = await this.client.call('journal.post', { ...input, patientId, ...(replyTo ? { replyTo } : {}) });
    this.set({ posting: false });
    if (!r.ok) {
      this.showError(r.error);
      return false;
    }
    this.upsertOutboxItem(r.value);
    const now = this.state.draft;
    if (now && now.patientId === patientId && now.text === d.text) {
      if (this.draftTimer) clearTimeout(this.draftTimer);
      this.draftTimer = null;
      this.set({ draft: { ...now, text: '', savedAt: null, restoredFrom: null } });
      await this.flushDraft();
    }
    this.set({ replyTo: null });
    void this.refreshFirstPage(patientId);
    return true;
  };

  acknowledgeAlert = async (entry: JournalEntry): Promise<void> => {
    const r = await this.client.call('alert.acknowledge', { patientId: entry.patientId, entryId: entry.id });
    if (!r.ok) {
      this.showError(r.error);
      return;
    }
    this.upsertOutboxItem(r.value);
    void this.refreshFirstPage(entry.patientId);
  };

  private upsertOutboxItem(item: OutboxItem): void {
    const others = this.state.outbox.filter((i) => i.id !== item.id);
    this.set({ outbox: [...others, item] });
  }

  // ---- events ----
  private handleEvent(event: RelaisEvent): void {
    switch (event.type) {
      case 'patient-changed':
        this.perf.mark('relais:launch-received');
        this.showPatient(event.patient);
        return;
      case 'journal-updated': {
        this.set({ platformOnline: true });
        const j = this.state.journal;
        if (!j || j.patientId !== event.patientId) return;
        void this.loadFacets(event.patientId);
        if (activeFilter(this.state.filter)) {
          this.setJournal(event.patientId, { syncedAt: event.syncedAt, refreshing: false, syncError: null });
          void this.refreshFirstPage(event.patientId);
          return;
        }
        const known = new Set(j.entries.map((e) => e.id));
        const connects =
          j.entries.length === 0 || event.entries.length === 0 || event.entries.some((e) => known.has(e.id));
        this.setJournal(event.patientId, {
          entries: mergeEntries(j.entries, event.entries),
          total: event.total,
          syncedAt: event.syncedAt,
          source: 'platform',
          refreshing: false,
          syncError: null,
        });
        // More new entries than one page: the list would have a hole; re-read it from the store.
        if (!connects) void this.refreshFirstPage(event.patientId);
        return;
      }
      case 'launch-failed':
        this.showError(event.error);
        return;
      case 'patient-candidates':
        this.set({
          selection: { selectionId: event.selectionId, launch: event.launch, candidates: event.candidates, answering: false },
        });
        return;
      case 'lgc-context-changed':
        this.set({ lgcOffer: event.launch });
        return;
      case 'sync-status':
        this.set({ syncStatus: event, platformOnline: event.state !== 'offline' });
        return;
      case 'identity-confirmation-required':
        this.set({
          identityCheck: {
            confirmationId: event.confirmationId,
            launch: event.launch,
            patient: event.patient,
            discrepancies: event.discrepancies,
            answering: false,
          },
        });
        return;
      case 'sync-failed':
        if (UNREACHABLE_CODES.has(event.error.code)) this.set({ platformOnline: false });
        this.setJournal(event.patientId, { refreshing: false, syncError: event.error });
        return;
      case 'outbox-changed': {
        const before = new Map(this.state.outbox.map((i) => [i.id, i]));
        this.set({ outbox: event.items });
        // The outbox's own tries tell the window whether the platform answers.
        const changed = event.items.filter((i) => before.get(i.id)?.updatedAt !== i.updatedAt);
        if (changed.some((i) => i.status === 'sent')) this.set({ platformOnline: true });
        else if (changed.some((i) => i.status === 'queued' && i.lastError?.code === 'PLATFORM_UNREACHABLE')) this.set({ platformOnline: false });
        // A sent item's optimistic entry gives way to the platform's version (journal-updated).
        const sent = new Set(event.items.filter((i) => i.status === 'sent').map((i) => i.localEntryId));
        const j = this.state.journal;
        if (j && j.entries.some((e) => e.pending && sent.has(e.id))) {
          this.setJournal(j.patientId, { entries: j.entries.filter((e) => !(e.pending && sent.has(e.id))) });
        }
        return;
      }
    }
  }
}
