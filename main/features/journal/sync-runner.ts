import type { JournalBatch, Platform } from '../../platform/port';
import type { LocalStore, UpsertOptions } from '../../store/store';
import { RelaisError } from '../../../contract';
import type { SyncTuning } from './journal-service';
import { encodeWindows, planWindows, type SyncWindow } from './sync-windows';

export const SYNC_RETRIES = 6;

/** Errors worth retrying: the platform could not be reached or failed on its side. */
export function isTransient(error: unknown): boolean {
  return error instanceof RelaisError && (error.code === 'PLATFORM_UNREACHABLE' || error.code === 'PLATFORM_ERROR');
}

/** Exponential backoff with full jitter (AWS architecture blog): spreads retries of many clients. */
export function backoffDelay(attempt: number, baseMs = 100, capMs = 5_000, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export interface SyncRun {
  patientId: string;
  startedAt: string;
  upsert: UpsertOptions;
  written: number;
  backfill: boolean;
}

/** The first page of a fetch, then the fetch is closed (no request for the pages after). */
async function firstBatch(batches: AsyncIterable<JournalBatch>): Promise<JournalBatch | undefined> {
  const it = batches[Symbol.asyncIterator]();
  try {
    const r = await it.next();
    return r.done ? undefined : r.value;
  } finally {
    await it.return?.();
  }
}

export interface SyncRunnerHooks {
  /** A page was stored (its Bundle total, for the progress indicator). */
  onBatch(run: SyncRun, batch: JournalBatch): void;
  /** After each page and its progress row: wake the readers waiting for it, tell the window. */
  afterPage(run: SyncRun): void;
  sleep(ms: number): Promise<void>;
  retryBaseMs?: number | undefined;
}

/**
 * How a sync fetches and stores the pages (JournalService decides when, and tells the windows):
 * one newest-first sequence, or a whole journal in concurrent date windows (sync-windows.ts).
 */
export class SyncRunner {
  /** Pending windows of the first syncs running now (what pageOnDemand may show without a gap). */
  readonly running = new Map<string, SyncWindow[]>();

  constructor(
    private readonly platform: Platform,
    private readonly store: LocalStore,
    private readonly hooks: SyncRunnerHooks,
  ) {}

  /** Stores one page of a sync. */
  private stored(run: SyncRun, batch: JournalBatch): void {
    run.written += this.store.upsertEntries(batch.entries, run.upsert);
    this.hooks.onBatch(run, batch);
  }

  /** Retries transient failures with backoff; `step` resets the count after each stored page. */
  private async retrying(step: (progressed: () => void) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await step(() => {
          attempt = 0;
        });
        return;
      } catch (error) {
        if (!isTransient(error) || attempt >= SYNC_RETRIES) throw error;
        await this.hooks.sleep(backoffDelay(attempt, this.hooks.retryBaseMs));
      }
    }
  }

  /** Newest first, following `next` links (incremental syncs, and the tuning of one window). */
  async sequence(run: SyncRun, tuning: SyncTuning, since: string | undefined, resumeFrom: string | undefined): Promise<void> {
    const { patientId, startedAt } = run;
    const { pageSize, includeAuthors } = tuning;
    const window: SyncWindow = {};
    if (run.backfill) this.running.set(patientId, [window]);
    await this.retrying(async (progressed) => {
      const batches = this.platform.fetchJournal(patientId, {
        pageSize,
        includeAuthors,
        ...(since ? { since } : {}),
        ...(resumeFrom ? { resumeFrom } : {}),
      });
      for await (const batch of batches) {
        this.stored(run, batch);
        resumeFrom = batch.next ?? undefined;
        const last = batch.entries[batch.entries.length - 1];
        if (last) window.storedDownTo = last.date;
        this.store.setSyncProgress(patientId, { startedAt, since: since ?? null, resumeUrl: batch.next ?? null });
        progressed();
        this.hooks.afterPage(run);
      }
    });
  }

  /**
   * A whole journal in disjoint date windows fetched at once (sync-windows.ts): the newest page
   * and the oldest entry first (two requests at once), then windows over what lies between, each
   * paged newest first. Every stored page records where each window resumes.
   */
  async windows(run: SyncRun, tuning: SyncTuning, resumed: SyncWindow[] | null): Promise<void> {
    const { patientId, startedAt } = run;
    const { pageSize, includeAuthors } = tuning;
    let pending = resumed;
    const save = (): void => this.store.setSyncProgress(patientId, { startedAt, since: null, resumeUrl: encodeWindows(pending ?? []) });
    if (!pending) {
      let newest: JournalBatch | undefined;
      let oldest: JournalBatch | undefined;
      await this.retrying(async () => {
        [newest, oldest] = await Promise.all([
          firstBatch(this.platform.fetchJournal(patientId, { pageSize, includeAuthors })),
          firstBatch(this.platform.fetchJournal(patientId, { pageSize: 1, includeAuthors: false, oldestFirst: true })),
        ]);
      });
      this.stored(run, newest!);
      const upTo = newest!.entries[newest!.entries.length - 1]?.date;
      const first = oldest?.entries[0]?.date;
      if (!newest!.next || upTo === undefined || first === undefined) return;
      const left = newest!.total !== undefined ? newest!.total - newest!.entries.length : Infinity;
      pending = planWindows(first, upTo, Math.max(1, Math.min(tuning.windows, Math.ceil(left / pageSize))));
      save();
      this.running.set(patientId, pending);
      this.hooks.afterPage(run);
    }
    const windows = pending;
    this.running.set(patientId, windows);
    const runWindow = (w: SyncWindow): Promise<void> =>
      this.retrying(async (progressed) => {
        const dates = { ...(w.from ? { from: w.from } : {}), ...(w.before ? { before: w.before } : {}), ...(w.upTo ? { upTo: w.upTo } : {}) };
        const batches = this.platform.fetchJournal(patientId, { pageSize, includeAuthors, dates, ...(w.resumeUrl ? { resumeFrom: w.resumeUrl } : {}) });
        for await (const batch of batches) {
          this.stored(run, batch);
          const last = batch.entries[batch.entries.length - 1];
          if (last) w.storedDownTo = last.date;
          if (batch.next) w.resumeUrl = batch.next;
          else windows.splice(windows.indexOf(w), 1);
          save();
          progressed();
          this.hooks.afterPage(run);
        }
      });
    // Every window runs to its end or its failure before the sync answers (no write after it).
    const results = await Promise.allSettled([...windows].map(runWindow));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
