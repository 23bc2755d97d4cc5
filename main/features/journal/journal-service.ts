import { JOURNAL_FIRST_PAGE_SIZE, type JournalFilter, type JournalPage, type Patient } from '../../../contract';
import { toErrorShape } from '../../errors';
import type { EventBus } from '../../events';
import type { Platform } from '../../platform/port';
import type { LocalStore } from '../../store/store';
import { completeBound, decodeWindows, isAbove } from './sync-windows';
import { backoffDelay, isTransient, SYNC_RETRIES, SyncRunner, type SyncRun } from './sync-runner';

export { backoffDelay, isTransient, SYNC_RETRIES };

/** The newest page stored first and served first: the window's (contract/features/journal.ts). */
export const FIRST_PAGE_SIZE = JOURNAL_FIRST_PAGE_SIZE;
/**
 * Entries per platform request of a sync: the platform's maximum. Authors are not `_include`d in
 * sync pages (the FHIR engine refuses a page whose included authors pass 1,000 results); the few
 * unknown ones are fetched once, batched (docs/performance.md).
 */
export const PLATFORM_PAGE_SIZE = 1000;

/** How a sync fetches: the defaults are measured in bench/wan.ts, which also runs the old way. */
export interface SyncTuning {
  /** Date windows fetched at once by a first sync (1: one newest-first sequence of pages). */
  windows: number;
  pageSize: number;
  includeAuthors: boolean;
}
export const DEFAULT_SYNC_TUNING: SyncTuning = { windows: 4, pageSize: PLATFORM_PAGE_SIZE, includeAuthors: false };

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
  private readonly runner: SyncRunner;
  /** The bench turns it to the pre-issue-17 way (one sequence of 500 with authors included). */
  syncTuning: SyncTuning = { ...DEFAULT_SYNC_TUNING };

  constructor(
    private readonly platform: Platform,
    private readonly store: LocalStore,
    private readonly events: EventBus,
    private readonly options: JournalServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.runner = new SyncRunner(platform, store, {
      onBatch: (run, batch) => {
        if (batch.total !== undefined && run.backfill && !this.totals.has(run.patientId)) this.totals.set(run.patientId, batch.total);
      },
      afterPage: (run) => {
        this.wakeWaiters(run.patientId);
        this.progress(run, false);
      },
      sleep: (ms) => this.sleep(ms),
      retryBaseMs: options.retryBaseMs,
    });
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
    let page = this.gaplessPage(patientId, cursor, limit, filter);
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
      page = this.gaplessPage(patientId, cursor, limit, filter);
      if (failed) break;
    }
    const last = page.entries[page.entries.length - 1];
    if (page.nextCursor === null && last && this.isBackfilling(patientId)) {
      return { ...page, nextCursor: this.store.cursorAfter(last) };
    }
    return page;
  }

  /**
   * A stored page cut where the store stops being complete: a concurrent back-fill stores older
   * windows before newer ones are done, and scrolling must not skip what is still to come.
   */
  private gaplessPage(patientId: string, cursor: string | undefined, limit: number, filter?: JournalFilter): JournalPage {
    const page = this.page(patientId, cursor, limit, filter);
    if (!this.isBackfilling(patientId)) return page;
    const pending = this.runner.running.get(patientId) ?? decodeWindows(this.store.getSyncProgress(patientId)?.resumeUrl);
    const bound = pending ? completeBound(pending) : null;
    if (!bound) return page;
    const kept = page.entries.filter((e) => isAbove(e.date, bound));
    if (kept.length === page.entries.length) return page;
    const last = kept[kept.length - 1];
    return { ...page, entries: kept, nextCursor: last ? this.store.cursorAfter(last) : (cursor ?? null) };
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
    const pendingWindows = decodeWindows(interrupted?.resumeUrl);
    const resumeFrom = pendingWindows ? undefined : (interrupted?.resumeUrl ?? undefined);
    if (!interrupted) this.store.setSyncProgress(patientId, { startedAt, since: since ?? null, resumeUrl: null });
    const run: SyncRun = {
      patientId,
      startedAt,
      upsert: firstSync ? {} : { markUnreadExcept: this.options.selfId },
      written: 0,
      // Only a first sync (the back-fill of a progressive open) shows progress in the window.
      backfill: firstSync,
    };
    const tuning = this.syncTuning;
    try {
      // An incremental sync is a page or two: one sequence. A whole journal: date windows at once.
      if (since === undefined && tuning.windows > 1 && (pendingWindows || !resumeFrom)) await this.runner.windows(run, tuning, pendingWindows);
      else await this.runner.sequence(run, tuning, since, resumeFrom);
    } catch (error) {
      this.wakeWaiters(patientId);
      this.progress(run, true);
      throw error;
    } finally {
      this.runner.running.delete(patientId);
    }
    this.store.setSyncedAt(patientId, startedAt);
    this.store.clearSyncProgress(patientId);
    this.wakeWaiters(patientId);
    this.progress(run, true);
    this.totals.delete(patientId);
    return run.written;
  }

  private progress(run: SyncRun, done: boolean): void {
    if (!run.backfill) return;
    this.events.emit({
      type: 'journal-backfill',
      patientId: run.patientId,
      stored: this.store.countEntries(run.patientId),
      total: this.totals.get(run.patientId) ?? null,
      done,
    });
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
      let written = await this.sync(patient.id);
      // A run already under way (a back-fill) started before this refresh was asked for: what
      // was posted since — often why the professional opened the patient again — needs one
      // more (incremental) pass, or it would wait for the next background cycle.
      if (joined) written += await this.sync(patient.id);
      // Emitted even when nothing changed: the window shows when the journal was last confirmed.
      // Nothing written: the window's page (read from this store since, or sent by the `news`
      // refresh of whatever wrote) stands, so the event carries no entries — the revalidation
      // of every cached open no longer sends, and the window no longer parses, a page it has
      // (~40 KB, ~5 ms of the window's time in the middle of the next patient's paint, issue 12).
      const page = this.page(patient.id, undefined);
      this.events.emit({
        type: 'journal-updated',
        patientId: patient.id,
        entries: written > 0 || joined || options.news ? page.entries : [],
        total: page.total,
        syncedAt: page.syncedAt ?? this.now().toISOString(),
        ...(options.news ? { news: true } : {}),
      });
    } catch (error) {
      this.events.emit({ type: 'sync-failed', patientId: patient.id, error: toErrorShape(error) });
    }
  }
}
