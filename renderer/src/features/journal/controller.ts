import {
  JOURNAL_FIRST_PAGE_SIZE,
  type JournalEntry,
  type JournalFacets,
  type JournalFilter,
  type JournalPage,
  type OutboxItem,
  type Patient,
  type RelaisClient,
  type RelaisErrorShape,
  type RelaisEvent,
} from '../../contract';
import { mergeEntries } from '../../format';
import { ExternalStore } from '../../state/external-store';

/**
 * The journal of the patient on screen: the first page (store first, then the platform's
 * revalidation as `journal-updated`), older pages on demand, filters and search, pins, and the
 * acknowledgement of alert entries. It follows the patient controller: another patient, another
 * journal (the previous one's unread markers are then marked read).
 */

export const FIRST_PAGE_SIZE = JOURNAL_FIRST_PAGE_SIZE;
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
  /** Older entries still being fetched (progressive open); null/absent otherwise. */
  backfill?: { stored: number; total: number | null } | null;
}

export interface JournalViewState {
  journal: JournalState | null;
  /** Filters and search of the open journal; reset when another patient opens. */
  filter: JournalFilter;
  facets: JournalFacets | null;
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

export interface JournalDeps {
  patients: { getState(): { patient: Patient | null }; subscribe(listener: () => void): () => void };
  showError(error: RelaisErrorShape): void;
  /** A page served by the platform proves it reachable. */
  setPlatformOnline(online: boolean): void;
  /** An outbox item the core accepted (alert acknowledgement). */
  track(item: OutboxItem): void;
  /** The newest page that came with the patient (./carried-page.ts), if any. */
  takeCarriedPage?(patientId: string): JournalPage | null;
}

export class JournalController extends ExternalStore<JournalViewState> {
  constructor(
    private readonly client: RelaisClient,
    private readonly deps: JournalDeps,
  ) {
    super({ journal: null, filter: {}, facets: null });
    this.own(deps.patients.subscribe(() => this.follow()));
    // The patient may already be on screen, and the host replays early events (a journal-updated
    // for that patient) to new listeners: the journal must exist before they arrive.
    this.follow();
    this.own(client.onEvent((e) => this.handleEvent(e)));
  }

  private setJournal(patientId: string, patch: Partial<JournalState>): void {
    const j = this.state.journal;
    if (!j || j.patientId !== patientId) return;
    this.set({ journal: { ...j, ...patch } });
  }

  private pageRequest(patientId: string, limit: number, cursor?: string) {
    const filter = activeFilter(this.state.filter);
    return { patientId, limit, ...(cursor ? { cursor } : {}), ...(filter ? { filter } : {}) };
  }

  /** Another patient on screen: a new journal, read from its newest entry. */
  private follow(): void {
    const patient = this.deps.patients.getState().patient;
    const current = this.state.journal;
    if (!patient || (current && current.patientId === patient.id)) return;
    // Unread markers stay visible for the whole visit; leaving the patient marks them read.
    if (current) void this.client.call('journal.markRead', { patientId: current.patientId });
    this.set({
      filter: {},
      facets: null,
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
    // Painted with the patient, in the same render, when the page came with it.
    const carried = this.deps.takeCarriedPage?.(patient.id) ?? null;
    if (carried) this.showFirstPage(patient.id, carried);
    else void this.loadFirstPage(patient.id);
  }

  private async loadFirstPage(patientId: string): Promise<void> {
    const r = await this.client.call('journal.page', this.pageRequest(patientId, FIRST_PAGE_SIZE));
    if (this.state.journal?.patientId !== patientId) return;
    if (!r.ok) {
      this.setJournal(patientId, { loadingFirst: false });
      this.deps.showError(r.error);
      return;
    }
    this.showFirstPage(patientId, r.value);
  }

  private showFirstPage(patientId: string, page: JournalPage): void {
    const j = this.state.journal;
    if (j?.patientId !== patientId) return;
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
    if (page.source === 'platform') this.deps.setPlatformOnline(true);
  }

  /** Re-reads the newest page; replaces the list when it does not connect to what is shown. */
  refreshFirstPage = async (patientId: string): Promise<void> => {
    const r = await this.client.call('journal.page', this.pageRequest(patientId, FIRST_PAGE_SIZE));
    const j = this.state.journal;
    if (!j || j.patientId !== patientId) return;
    if (!r.ok) {
      this.deps.showError(r.error);
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
  };

  /** After a reconnection: the newest page of the open journal, in case events were missed. */
  resync = async (): Promise<void> => {
    const j = this.state.journal;
    if (j) await this.refreshFirstPage(j.patientId);
  };

  loadMore = async (): Promise<void> => {
    const j = this.state.journal;
    if (!j || j.loadingFirst || j.loadingMore || j.nextCursor === null) return;
    const { patientId, nextCursor } = j;
    this.setJournal(patientId, { loadingMore: true });
    const r = await this.client.call('journal.page', this.pageRequest(patientId, NEXT_PAGE_SIZE, nextCursor));
    const now = this.state.journal;
    if (!now || now.patientId !== patientId) return;
    if (!r.ok) {
      this.setJournal(patientId, { loadingMore: false });
      this.deps.showError(r.error);
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
      this.deps.showError(r.error);
      return;
    }
    const now = this.state.journal;
    if (!now || now.patientId !== j.patientId) return;
    this.setJournal(j.patientId, {
      entries: now.entries.map((e) => (e.id === entryId ? { ...e, pinned: pinned || undefined } : e)),
    });
    void this.loadFacets(j.patientId);
  };

  /** « J'ai pris connaissance » on an alert entry: goes through the outbox like a post. */
  acknowledgeAlert = async (entry: JournalEntry): Promise<void> => {
    const r = await this.client.call('alert.acknowledge', { patientId: entry.patientId, entryId: entry.id });
    if (!r.ok) {
      this.deps.showError(r.error);
      return;
    }
    this.deps.track(r.value);
    void this.refreshFirstPage(entry.patientId);
  };

  // ---- events ----
  private handleEvent(event: RelaisEvent): void {
    switch (event.type) {
      case 'journal-updated': {
        const j = this.state.journal;
        if (!j || j.patientId !== event.patientId) return;
        // No entries: the refresh stored nothing, so the facets (kinds, authors, counts) stand.
        if (event.entries.length > 0) void this.loadFacets(event.patientId);
        if (activeFilter(this.state.filter)) {
          this.setJournal(event.patientId, { syncedAt: event.syncedAt, refreshing: false, syncError: null });
          void this.refreshFirstPage(event.patientId);
          return;
        }
        const known = new Set(j.entries.map((e) => e.id));
        const connects = j.entries.length === 0 || event.entries.length === 0 || event.entries.some((e) => known.has(e.id));
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
      case 'journal-backfill':
        this.setJournal(event.patientId, { backfill: event.done ? null : { stored: event.stored, total: event.total } });
        return;
      case 'sync-failed':
        this.setJournal(event.patientId, { refreshing: false, syncError: event.error });
        return;
      case 'outbox-changed': {
        // A sent item's optimistic entry gives way to the platform's version (journal-updated);
        // a refused one given up (« Modifier ») is no longer in the outbox at all.
        const sent = new Set(event.items.filter((i) => i.status === 'sent').map((i) => i.localEntryId));
        const known = new Set(event.items.map((i) => i.localEntryId));
        const gone = (e: JournalEntry) => e.pending === true && (sent.has(e.id) || !known.has(e.id));
        const j = this.state.journal;
        if (j && j.entries.some(gone)) {
          this.setJournal(j.patientId, { entries: j.entries.filter((e) => !gone(e)) });
        }
        return;
      }
    }
  }
}
