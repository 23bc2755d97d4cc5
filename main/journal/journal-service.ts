import type { JournalPage, Patient } from '../../contract';
import { toErrorShape } from '../errors';
import type { EventBus } from '../events';
import type { Platform } from '../platform/port';
import type { LocalStore } from '../store/store';

export const FIRST_PAGE_SIZE = 100;
const PLATFORM_PAGE_SIZE = 500;

/**
 * Journal read path: answer from the local store at once, revalidate from the platform in the
 * background (stale-while-revalidate), and tell the windows when newer entries arrived.
 */
export class JournalService {
  private readonly inFlight = new Map<string, Promise<number>>();

  constructor(
    private readonly platform: Platform,
    private readonly store: LocalStore,
    private readonly events: EventBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  hasCache(patientId: string): boolean {
    return this.store.getSyncedAt(patientId) !== null;
  }

  page(patientId: string, cursor: string | undefined, limit = FIRST_PAGE_SIZE): JournalPage {
    const page = this.store.page(patientId, cursor, limit);
    return { patientId, ...page, source: 'store', syncedAt: this.store.getSyncedAt(patientId) };
  }

  /**
   * Pulls what changed since the last sync into the store. Concurrent calls for one patient share
   * one request. Returns the number of entries written.
   */
  sync(patientId: string): Promise<number> {
    const running = this.inFlight.get(patientId);
    if (running) return running;
    const task = this.doSync(patientId).finally(() => this.inFlight.delete(patientId));
    this.inFlight.set(patientId, task);
    return task;
  }

  private async doSync(patientId: string): Promise<number> {
    const startedAt = this.now().toISOString();
    const since = this.store.getSyncedAt(patientId) ?? undefined;
    let written = 0;
    for await (const batch of this.platform.fetchJournal(patientId, { pageSize: PLATFORM_PAGE_SIZE, ...(since ? { since } : {}) })) {
      written += this.store.upsertEntries(batch.entries);
    }
    // The start time, not the end: an entry created during the sync is fetched again next time
    // rather than missed; upserts make that repeat harmless.
    this.store.setSyncedAt(patientId, startedAt);
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
