import type { RelaisEvent } from '../../../contract';
import type { EventBus } from '../../events';
import type { Platform } from '../../platform/port';
import { PeriodicTask } from '../../util/periodic-task';
import { ChangeFeed, type AlertSink } from './change-feed';
import { backoffDelay, isTransient, type JournalService } from './journal-service';

/**
 * Between two steady-state cycles. One cycle costs ceil(followed / 100) requests (the combined
 * journal + alert question, main/platform/fhir/changes.ts): 3 for 300 patients, so 60 s keeps an
 * install at 3 requests/min plus the followed list every 15 min (~0.3/min) — under the 4/min of
 * issue 17 — while a new alert (Flag) is announced within 60 s (30 s on average).
 */
export const STEADY_CYCLE_MS = 60_000;
/** The followed list (2 + followed/100 requests) is asked again this often, not every cycle. */
export const FOLLOWED_REFRESH_MS = 15 * 60_000;
/**
 * While a push channel (FHIR Subscription) is up, the cycle only guards against a lost
 * notification: every 15 min.
 */
export const PUSH_SAFETY_CYCLE_MS = 15 * 60_000;

export interface BackgroundSyncOptions {
  journal: JournalService;
  events: EventBus;
  /** The patients the professional follows (from the platform, or the store when offline). */
  followedPatientIds: () => Promise<string[]>;
  /** Called when the platform answered again / stopped answering. */
  onReachability?: (online: boolean) => void;
  /** After each patient's sync, with the number of entries it wrote. */
  onSynced?: (patientId: string, written: number) => void;
  /** Between two cycles (default STEADY_CYCLE_MS). */
  intervalMs?: number;
  /** The combined journal + alerts question (Platform.changesAmong); without it journals only. */
  platform?: Pick<Platform, 'changesAmong'>;
  /** The alert watcher the cycle feeds (its own timer then sends nothing: AlertWatcher.ridesOn). */
  alerts?: () => AlertSink | null;
  /** Followed list cache lifetime (default FOLLOWED_REFRESH_MS). */
  followedRefreshMs?: number;
  /** Between two cycles while a push channel is up (default PUSH_SAFETY_CYCLE_MS); null: none. */
  pushIntervalMs?: number | null;
  /** First and maximum delay between reconnection attempts while offline. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  now?: () => Date;
}

type SyncStatus = Extract<RelaisEvent, { type: 'sync-status' }>;

/**
 * The steady state of an install (issue 17 item 7): keeps every followed patient's journal in the
 * store and feeds the alert watcher, with one question per 100 followed patients per cycle and a
 * sync only where something changed. One pass at start, then every interval; when the platform
 * cannot be reached it says so (offline) and retries with backoff until it answers, then resumes
 * the pass where it stopped (each patient's sync is itself resumable).
 *
 * Hooks for a push channel (FHIR Subscriptions): `onPushActive` stretches the cycle while it is
 * up and catches up at once when it drops; `notifyChanged` asks about given patients now.
 */
export class BackgroundSync {
  private stopped = false;
  /** Between start() and stop(): the periodic cycle runs. */
  private started = false;
  private reconnectAttempt = 0;
  private push = false;
  private followed: { ids: string[]; at: number } | null = null;
  private readonly feed: ChangeFeed;
  private readonly pending = new Set<string>();
  private targeted: Promise<void> | null = null;
  private rescheduling: Promise<void> = Promise.resolve();
  private readonly task = new PeriodicTask(
    () => this.pass(),
    () => {
      if (this.status.state !== 'offline') {
        this.reconnectAttempt = 0;
        return this.cycleMs();
      }
      const base = this.options.reconnectBaseMs ?? 2_000;
      const cap = this.options.reconnectCapMs ?? 60_000;
      return base + backoffDelay(this.reconnectAttempt++, base, cap);
    },
  );
  status: SyncStatus = { type: 'sync-status', state: 'idle', done: 0, total: 0, lastCompleteAt: null };

  constructor(private readonly options: BackgroundSyncOptions) {
    this.feed = new ChangeFeed(options.platform ?? {}, options.journal, options.now);
  }

  start(): void {
    this.stopped = false;
    this.started = true;
    this.task.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    await this.rescheduling;
    await this.task.stop();
    await this.targeted;
  }

  /** True while the cycle runs and carries the alerts (the watcher's own timer then stays quiet). */
  carriesAlerts(): boolean {
    return this.started && this.feed.supported && !!this.options.alerts?.();
  }

  /**
   * A push channel came up (true) or dropped (false). Up: the next cycles wait
   * `pushIntervalMs` (a safety net for a lost notification). Down: a cycle now — what the
   * channel may have missed — then the ordinary interval again. Resolves once rescheduled.
   */
  onPushActive(active: boolean): Promise<void> {
    if (this.push === active) return this.rescheduling;
    this.push = active;
    if (!this.started) return this.rescheduling;
    // Serialised, and read at run time: quick up/down flips end in the state last announced.
    this.rescheduling = this.rescheduling.then(async () => {
      await this.task.stop();
      if (this.started) this.task.start(this.push ? this.cycleMs() : 0);
    });
    return this.rescheduling;
  }

  /**
   * These patients changed on the platform (a push notification): ask about them now — their
   * journal and their alerts, one request per 100 — and sync what changed. Calls arriving while
   * one runs are gathered into the next. Resolves when they are done; never rejects.
   */
  notifyChanged(patientIds: readonly string[]): Promise<void> {
    for (const id of patientIds) this.pending.add(id);
    this.targeted ??= (async () => {
      try {
        while (this.pending.size > 0) {
          const ids = [...this.pending];
          this.pending.clear();
          await this.cycle(ids, false);
        }
      } finally {
        this.targeted = null;
      }
    })();
    return this.targeted;
  }

  private cycleMs(): number {
    if (this.push)
      return this.options.pushIntervalMs === null ? 2 ** 31 - 1 : (this.options.pushIntervalMs ?? PUSH_SAFETY_CYCLE_MS);
    return this.options.intervalMs ?? STEADY_CYCLE_MS;
  }

  /** The followed patients, asked again only every `followedRefreshMs` (the list costs requests). */
  private async followedIds(maxAge = this.options.followedRefreshMs ?? FOLLOWED_REFRESH_MS): Promise<string[]> {
    const now = Date.now();
    if (this.followed && now - this.followed.at < maxAge) return this.followed.ids;
    const ids = await this.options.followedPatientIds();
    this.followed = { ids, at: now };
    return ids;
  }

  /**
   * The followed patients, as the cycle sees them (push keeps its subscription filter on them),
   * asked again when older than `maxAgeMs` (default: the cycle's own refresh).
   */
  followedPatientIds(maxAgeMs?: number): Promise<string[]> {
    return this.followedIds(maxAgeMs);
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
      ids = await this.followedIds();
    } catch (error) {
      this.failed(error);
      return;
    }
    await this.cycle(ids, true);
  }

  /** One question for these patients (journals and alerts), then a sync where something changed. */
  private async cycle(patientIds: string[], announce: boolean): Promise<void> {
    let ids = patientIds;
    try {
      ids = await this.feed.ask(ids, this.options.alerts?.() ?? null);
      this.options.onReachability?.(true);
    } catch (error) {
      if (this.failed(error)) return;
      // Not a reachability problem: sync every patient, as without the question.
    }
    if (announce) this.emit({ state: 'running', done: 0, total: ids.length });
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
      if (announce) this.emit({ done: i + 1 });
    }
    if (announce) this.emit({ state: 'idle', lastCompleteAt: (this.options.now?.() ?? new Date()).toISOString() });
  }

  /** Returns true when the pass must stop (the platform is out of reach). */
  private failed(error: unknown): boolean {
    if (!isTransient(error)) return false;
    this.options.onReachability?.(false);
    this.emit({ state: 'offline' });
    return true;
  }
}
