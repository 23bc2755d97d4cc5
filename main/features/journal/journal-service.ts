import { RelaisError, type JournalFilter, type JournalPage, type Patient } from '../../../contract';
import { toErrorShape } from '../../errors';
import type { EventBus } from '../../events';
import type { Platform } from '../../platform/port';
import type { LocalStore } from '../../store/store';

export const FIRST_PAGE_SIZE = 100;
/**
 * Entries per platform request of a sync. 1,000 was tried (docs/performance.md): the sandbox's
 * FHIR engine refuses a page whose `_include`d authors bring it past 1,000 results, as real
 * servers cap their pages; 500 with gzip is what the WAN measurements use.
 */
export const PLATFORM_PAGE_SIZE = 500;
export const SYNC_RETRIES = 6;

/** Errors worth retrying: the platform could not be reached or failed on its side. */
export function isTransient(error: unknown): boolean {
  return error instanceof RelaisError && (error.code === 'PLATFORM_UNREACHABLE' || error.code === 'PLATFORM_ERROR');
}

/** Exponential backoff with full jitter (AWS architecture blog): spreads retries of many clients. */
export function backoffDelay(attempt: number, baseMs = 100, capMs = 5_000, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export interface JournalServiceOptions {
  /** Practitioner id of the signed-in professional: their own entries never become unread. */
  selfId: string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  retryBaseMs?: number;
  /**
   * An incremental sync — whoever asked for it: the background pass, « À traiter », a reopen —
   * stored entries that were not there. Called after the run, once per run.
   */
  onNews?: (patientId: string) => void;
}

/**
 * Journal read path: answer from the local store at once, revalidate from the platform in the
 * background (stale-while-revalidate), and tell the windows when newer entries arrived.
 * Syncs are incremental (`_lastUpdated` since the last one), retried page by page, and resumable
 * from the last stored page after a crash or an outage.
 */
export class JournalService {
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly firstInFlight = new Map<string, Promise<void>>();
  /** Callers waiting for the running back-fill to store its next page (journal.page on demand). */
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly platform: Platform,
    private readonly store: LocalStore,
    private readonly events: EventBus,
    private readonly options: JournalServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  hasCache(patientId: string): boolean {
    return this.store.getSyncedAt(patientId) !== null;
  }

  /**
   * Something can be painted from the store: a complete sync, or the newest page of a first sync
   * whose back-fill is still under way (or was interrupted: it resumes in the background).
   */
  hasPaintable(patientId: string): boolean {
    return this.hasCache(patientId) || (this.store.getSyncProgress(patientId) !== null && this.store.countEntries(patientId) > 0);
  }

  /** A first sync has stored its newest page but not yet the oldest entries. */
  isBackfilling(patientId: string): boolean {
    return !this.hasCache(patientId) && this.store.getSyncProgress(patientId) !== null;
  }

  page(patientId: string, cursor: string | undefined, limit = FIRST_PAGE_SIZE, filter?: JournalFilter): JournalPage {
    const page = this.store.page(patientId, cursor, limit, filter);
    return { patientId, ...page, source: 'store', syncedAt: this.store.getSyncedAt(patientId) };
  }

  /**
   * journal.page while the back-fill may still be running: scrolling past what is stored waits
   * for the back-fill's next page (one request already on its way, not a second one), and keeps
   * a cursor while older entries are still to come.
   */
  async pageOnDemand(patientId: string, cursor: string | undefined, limit = FIRST_PAGE_SIZE, filter?: JournalFilter): Promise<JournalPage> {
    let page = this.page(patientId, cursor, limit, filter);
    let waited = false;
    while (page.entries.length < limit && this.isBackfilling(patientId) && !(waited && page.entries.length > 0)) {
      // The back-fill may have stopped (offline, crash before this run): resume it. When it
      // fails, answer what is stored rather than wait for a platform out of reach.
      let failed = false;
      const run = this.sync(patientId).then(
        () => undefined,
        () => {
          failed = true;
        },
      );
      await Promise.race([this.nextStoredPage(patientId), run]);
      waited = true;
      page = this.page(patientId, cursor, limit, filter);
      if (failed) break;
    }
    const last = page.entries[page.entries.length - 1];
    if (page.nextCursor === null && last && this.isBackfilling(patientId)) {
      return { ...page, nextCursor: this.store.cursorAfter(last) };
    }
    return page;
  }

  private nextStoredPage(patientId: string): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(patientId);
      if (!set) this.waiters.set(patientId, (set = new Set()));
      set.add(resolve);
    });
  }

  private wakeWaiters(patientId: string): void {
    const set = this.waiters.get(patientId);
    if (!set) return;
    this.waiters.delete(patientId);
    for (const w of set) w();
  }

  /**
   * Progressive open of a patient never synced: only the newest page, stored and marked as a
   * first sync in progress, so the window paints it at once; `refresh` (or `sync`) then
   * back-fills the rest, resuming like any interrupted sync. Concurrent calls share one request.
   */
  openFirst(patientId: string): Promise<void> {
    if (this.hasPaintable(patientId)) return Promise.resolve();
    const running = this.firstInFlight.get(patientId);
    if (running) return running;
    const task = this.fetchFirst(patientId).finally(() => this.firstInFlight.delete(patientId));
    this.firstInFlight.set(patientId, task);
    return task;
  }

  private async fetchFirst(patientId: string): Promise<void> {
    const startedAt = this.now().toISOString();
    for (let attempt = 0; ; attempt++) {
      try {
        for await (const batch of this.platform.fetchJournal(patientId, { pageSize: FIRST_PAGE_SIZE })) {
          this.store.upsertEntries(batch.entries);
          if (batch.next === null) {
            // Everything fitted in one page: the first sync is complete.
            this.store.setSyncedAt(patientId, startedAt);
            this.store.clearSyncProgress(patientId);
          } else {
            // The back-fill restarts from the newest with large pages (resumeUrl null): a next
            // link of this small page would cost ten times the round trips; the first page it
            // fetches again is skipped by the upsert.
            this.store.setSyncProgress(patientId, { startedAt, since: null, resumeUrl: null });
          }
          if (batch.total !== undefined) this.totals.set(patientId, batch.total);
          break;
        }
        return;
      } catch (error) {
        if (!isTransient(error) || attempt >= SYNC_RETRIES) throw error;
        await this.sleep(backoffDelay(attempt, this.options.retryBaseMs));
      }
    }
  }

  /** Platform totals of first syncs in progress (the progress indicator's denominator). */
  private readonly totals = new Map<string, number>();

  /**
   * Pulls what changed since the last sync into the store. Concurrent calls for one patient share
   * one run. Returns the number of entries written.
   */
  sync(patientId: string): Promise<number> {
    const running = this.inFlight.get(patientId);
    if (running) return running;
    const incremental = this.hasCache(patientId);
    const task = this.doSync(patientId)
      .finally(() => this.inFlight.delete(patientId))
      .then((written) => {
        if (incremental && written > 0) this.options.onNews?.(patientId);
        return written;
      });
    this.inFlight.set(patientId, task);
    return task;
  }

  private async doSync(patientId: string): Promise<number> {
    const firstSync = this.store.getSyncedAt(patientId) === null;
    const interrupted = this.store.getSyncProgress(patientId);
    // The start time, not the end, becomes the next `since`: an entry created during the sync is
    // fetched again next time rather than missed; upserts make that repeat harmless.
    const startedAt = interrupted?.startedAt ?? this.now().toISOString();
    const since = interrupted ? (interrupted.since ?? undefined) : (this.store.getSyncedAt(patientId) ?? undefined);
    let resumeFrom = interrupted?.resumeUrl ?? undefined;
    if (!interrupted) this.store.setSyncProgress(patientId, { startedAt, since: since ?? null, resumeUrl: null });
    const upsert = firstSync ? {} : { markUnreadExcept: this.options.selfId };
    // Only a first sync (the back-fill of a progressive open) shows progress in the window.
    const backfill = firstSync;
    const progress = (done: boolean): void => {
      if (!backfill) return;
      this.events.emit({
        type: 'journal-backfill',
        patientId,
        stored: this.store.countEntries(patientId),
        total: this.totals.get(patientId) ?? null,
        done,
      });
    };
    let written = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const batches = this.platform.fetchJournal(patientId, {
          pageSize: PLATFORM_PAGE_SIZE,
          ...(since ? { since } : {}),
          ...(resumeFrom ? { resumeFrom } : {}),
        });
        for await (const batch of batches) {
          written += this.store.upsertEntries(batch.entries, upsert);
          resumeFrom = batch.next ?? undefined;
          this.store.setSyncProgress(patientId, { startedAt, since: since ?? null, resumeUrl: batch.next ?? null });
          if (batch.total !== undefined && backfill) this.totals.set(patientId, batch.total);
          attempt = 0;
          this.wakeWaiters(patientId);
          progress(false);
        }
        break;
      } catch (error) {
        if (!isTransient(error) || attempt >= SYNC_RETRIES) {
          this.wakeWaiters(patientId);
          progress(true);
          throw error;
        }
        await this.sleep(backoffDelay(attempt, this.options.retryBaseMs));
      }
    }
    this.store.setSyncedAt(patientId, startedAt);
    this.store.clearSyncProgress(patientId);
    this.wakeWaiters(patientId);
    progress(true);
    this.totals.delete(patientId);
    return written;
  }

  /** When this patient's journal was last complete in the store; null: never, or a back-fill is under way. */
  syncedSince(patientId: string): string | null {
    const since = this.store.getSyncedAt(patientId);
    return since === null || this.store.getSyncProgress(patientId) !== null ? null : since;
  }

  /**
   * The patients worth a sync this pass: never synced (or back-filling), or with changes on the
   * platform since their last sync — asked in batches of 100 from the oldest `since` of the batch
   * (a patient synced later than that may be flagged for nothing: its sync then finds nothing).
   * Without the batched query on the platform, every patient.
   */
  async needingSync(patientIds: readonly string[]): Promise<string[]> {
    if (!this.platform.journalChangedAmong) return [...patientIds];
    const out = new Set<string>();
    const cached: { id: string; since: string }[] = [];
    for (const id of patientIds) {
      const since = this.store.getSyncedAt(id);
      if (since === null || this.store.getSyncProgress(id) !== null) out.add(id);
      else cached.push({ id, since });
    }
    for (let i = 0; i < cached.length; i += 100) {
      const chunk = cached.slice(i, i + 100);
      const since = chunk.reduce((min, c) => (c.since < min ? c.since : min), chunk[0]!.since);
      const changed = await this.platform.journalChangedAmong(
        chunk.map((c) => c.id),
        since,
      );
      for (const c of chunk) if (changed.has(c.id)) out.add(c.id);
    }
    return patientIds.filter((id) => out.has(id));
  }

  /** Background refresh after a paint from the store; failures become a sync-failed event. */
  async refresh(patient: Patient, options: { news?: boolean } = {}): Promise<void> {
    try {
      const joined = this.inFlight.has(patient.id);
      await this.sync(patient.id);
      // A run already under way (a back-fill) started before this refresh was asked for: what
      // was posted since — often why the professional opened the patient again — needs one
      // more (incremental) pass, or it would wait for the next background cycle.
      if (joined) await this.sync(patient.id);
      // Emitted even when nothing changed: the window shows when the journal was last confirmed.
      const page = this.page(patient.id, undefined);
      this.events.emit({
        type: 'journal-updated',
        patientId: patient.id,
        entries: page.entries,
        total: page.total,
        syncedAt: page.syncedAt ?? this.now().toISOString(),
        ...(options.news ? { news: true } : {}),
      });
    } catch (error) {
      this.events.emit({ type: 'sync-failed', patientId: patient.id, error: toErrorShape(error) });
    }
  }
}
