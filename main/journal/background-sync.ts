import type { RelaisEvent } from '../../contract';
import type { EventBus } from '../events';
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
}

type SyncStatus = Extract<RelaisEvent, { type: 'sync-status' }>;

/**
 * Keeps every followed patient's journal in the store: one pass at start, then every interval.
 * When the platform cannot be reached it says so (offline) and retries with backoff until it
 * answers, then resumes the pass where it stopped (each patient's sync is itself resumable).
 */
export class BackgroundSync {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private reconnectAttempt = 0;
  status: SyncStatus = { type: 'sync-status', state: 'idle', done: 0, total: 0, lastCompleteAt: null };

  constructor(private readonly options: BackgroundSyncOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Runs one pass now (or joins the running one). */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(() => {
        if (this.status.state === 'offline') {
          const base = this.options.reconnectBaseMs ?? 2_000;
          const cap = this.options.reconnectCapMs ?? 60_000;
          this.schedule(base + backoffDelay(this.reconnectAttempt++, base, cap));
        } else {
          this.reconnectAttempt = 0;
          this.schedule(this.options.intervalMs ?? 5 * 60_000);
        }
      });
    }, ms);
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
