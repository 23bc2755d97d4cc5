import type { RelaisEvent } from '../../../contract';
import type { EventBus } from '../../events';
import { PeriodicTask } from '../../util/periodic-task';
import { backoffDelay, isTransient, type JournalService } from './journal-service';

export interface BackgroundSyncOptions {
  journal: JournalService;
  events: EventBus;
  /** The patients the professional follows (from the platform, or the store when offline). */
  followedPatientIds: () => Promise<string[]>;
  /** Called when the platform answered again / stopped answering. */
  onReachability?: (online: boolean) => void;
  /** After each patient's sync, with the number of entries it wrote. */
  onSynced?: (patientId: string, written: number) => void;
  intervalMs?: number;
  /** First and maximum delay between reconnection attempts while offline. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  now?: () => Date;
  /** Between passes while push (main/platform/subscriptions) delivers the changes: a safety net. Default 30 min. */
  pushIntervalMs?: number;
}

type SyncStatus = Extract<RelaisEvent, { type: 'sync-status' }>;

/**
 * Keeps every followed patient's journal in the store: one pass at start, then every interval.
 * When the platform cannot be reached it says so (offline) and retries with backoff until it
 * answers, then resumes the pass where it stopped (each patient's sync is itself resumable).
 */
export class BackgroundSync {
  private stopped = false;
  private reconnectAttempt = 0;
  private pushActive = false;
  private readonly task = new PeriodicTask(
    () => this.pass(),
    () => {
      if (this.status.state !== 'offline') {
        this.reconnectAttempt = 0;
        return this.pushActive ? Math.max(this.intervalMs, this.options.pushIntervalMs ?? 30 * 60_000) : this.intervalMs;
      }
      const base = this.options.reconnectBaseMs ?? 2_000;
      const cap = this.options.reconnectCapMs ?? 60_000;
      return base + backoffDelay(this.reconnectAttempt++, base, cap);
    },
  );
  status: SyncStatus = { type: 'sync-status', state: 'idle', done: 0, total: 0, lastCompleteAt: null };

  constructor(private readonly options: BackgroundSyncOptions) {}

  start(): void {
    this.stopped = false;
    this.task.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
  }

  private get intervalMs(): number {
    return this.options.intervalMs ?? 5 * 60_000;
  }

  /** The followed patients, as a pass sees them (push keeps its subscription filter on them). */
  followedPatientIds(): Promise<string[]> {
    return this.options.followedPatientIds();
  }

  /**
   * Push delivers the platform's changes (true): passes slow to the push interval. Push dropped
   * (false): the next pass comes at the normal interval from now, not at the end of a long wait.
   */
  setPushActive(active: boolean): void {
    const was = this.pushActive;
    this.pushActive = active;
    if (!was || active || this.task.isStopped) return;
    void this.task.stop().then(() => {
      if (!this.stopped) this.task.start(this.intervalMs);
    });
  }

  /** Syncs these patients now, outside the passes (a push notification); reachability reported as by a pass. */
  async syncNow(patientIds: readonly string[]): Promise<void> {
    for (const id of patientIds) {
      if (this.stopped) return;
      try {
        const written = await this.options.journal.sync(id);
        this.options.onReachability?.(true);
        this.options.onSynced?.(id, written);
      } catch (error) {
        if (this.failed(error)) return;
      }
    }
  }

  /** Runs one pass now (or joins the running one). */
  runOnce(): Promise<void> {
    return this.task.runNow();
  }

  private emit(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.options.events.emit(this.status);
  }

  private async pass(): Promise<void> {
    let ids: string[];
    try {
      ids = await this.options.followedPatientIds();
    } catch (error) {
      this.failed(error);
      return;
    }
    // One batched question per 100 patients, then a sync only where something changed.
    try {
      ids = await this.options.journal.needingSync(ids);
      this.options.onReachability?.(true);
    } catch (error) {
      if (this.failed(error)) return;
    }
    this.emit({ state: 'running', done: 0, total: ids.length });
    for (const [i, id] of ids.entries()) {
      if (this.stopped) return;
      try {
        const written = await this.options.journal.sync(id);
        this.options.onReachability?.(true);
        this.options.onSynced?.(id, written);
      } catch (error) {
        if (this.failed(error)) return;
        // A non-transient failure for one patient (e.g. removed from the care team) must not
        // stop the others.
      }
      this.emit({ done: i + 1 });
    }
    this.emit({ state: 'idle', lastCompleteAt: (this.options.now?.() ?? new Date()).toISOString() });
  }

  /** Returns true when the pass must stop (the platform is out of reach). */
  private failed(error: unknown): boolean {
    if (!isTransient(error)) return false;
    this.options.onReachability?.(false);
    this.emit({ state: 'offline' });
    return true;
  }
}
