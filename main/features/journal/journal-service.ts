import { RelaisError, type JournalFilter, type JournalPage, type Patient } from '../../../contract';
import { toErrorShape } from '../../errors';
import type { EventBus } from '../../events';
import type { Platform } from '../../platform/port';
import type { LocalStore } from '../../store/store';

export const FIRST_PAGE_SIZE = 100;
const PLATFORM_PAGE_SIZE = 500;
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
}

/**
 * Journal read path: answer from the local store at once, revalidate from the platform in the
 * background (stale-while-revalidate), and tell the windows when newer entries arrived.
 * Syncs are incremental (`_lastUpdated` since the last one), retried page by page, and resumable
 * from the last stored page after a crash or an outage.
 */
export class JournalService {
  private readonly inFlight = new Map<string, Promise<number>>();
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

  page(patientId: string, cursor: string | undefined, limit = FIRST_PAGE_SIZE, filter?: JournalFilter): JournalPage {
    const page = this.store.page(patientId, cursor, limit, filter);
    return { patientId, ...page, source: 'store', syncedAt: this.store.getSyncedAt(patientId) };
  }

  /**
   * Pulls what changed since the last sync into the store. Concurrent calls for one patient share
   * one run. Returns the number of entries written.
   */
  sync(patientId: string): Promise<number> {
    const running = this.inFlight.get(patientId);
    if (running) return running;
    const task = this.doSync(patientId).finally(() => this.inFlight.delete(patientId));
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
          attempt = 0;
        }
        break;
      } catch (error) {
        if (!isTransient(error) || attempt >= SYNC_RETRIES) throw error;
        await this.sleep(backoffDelay(attempt, this.options.retryBaseMs));
      }
    }
    this.store.setSyncedAt(patientId, startedAt);
    this.store.clearSyncProgress(patientId);
    return written;
  }

  /** Background refresh after a paint from the store; failures become a sync-failed event. */
  async refresh(patient: Patient): Promise<void> {
    try {
      await this.sync(patient.id);
      // Emitted even when nothing changed: the window shows when the journal was last confirmed.
      const page = this.page(patient.id, undefined);
      this.events.emit({
        type: 'journal-updated',
        patientId: patient.id,
        entries: page.entries,
        total: page.total,
        syncedAt: page.syncedAt ?? this.now().toISOString(),
      });
    } catch (error) {
      this.events.emit({ type: 'sync-failed', patientId: patient.id, error: toErrorShape(error) });
    }
  }
}
