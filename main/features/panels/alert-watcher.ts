import { RelaisError, type Alert, type Patient, type PatientAlert } from '../../../contract';
import type { EventBus } from '../../events';
import { PeriodicTask } from '../../util/periodic-task';
import type { PanelsCacheRepository as PanelsStore } from '../../store/repositories/panels-cache';
import type { AlertsBatch, PanelsPort } from './fhir-adapter';

export const DEFAULT_ALERT_POLL_MS = 30_000;

export interface AlertWatcherOptions {
  platform: Pick<PanelsPort, 'fetchActiveAlerts'>;
  store: PanelsStore;
  events: EventBus;
  /** The patients the professional follows (platform, or the store when offline). */
  followedPatients: () => Promise<Patient[]>;
  /** Between two polls; default 30 s. */
  intervalMs?: number;
  /** A followed patient by id (the store), for alerts arriving by the steady-state cycle. */
  patientById?: (id: string) => Patient | null;
  now?: () => Date;
  log?: (message: string) => void;
  /** Between two polls while push (main/platform/subscriptions) delivers new alerts: a safety net. Default 10 min. */
  pushIntervalMs?: number;
}

/**
 * Polls the platform for active alerts (FHIR Flag) on the followed patients and announces each
 * new one once with an `alert-raised` event.
 *
 * Memory (SQLite, migration 005, so it survives restarts):
 * - `alert_watch.watermark`: the greatest `meta.lastUpdated` seen, in the platform's clock; the
 *   next poll asks `Flag?subject=…&_lastUpdated=ge<watermark>` (ge + the id set below, so two
 *   flags written in the same millisecond are not lost and none is announced twice);
 * - `alerts_seen`: every active alert known, with when it was announced (`notified_at`); its JSON
 *   carries `handled` (who took it into account on the platform, issue 15): the tray counts the
 *   alerts nobody handled. Opening a patient acknowledges nothing (the old `acknowledged_at`
 *   column of migration 005 is no longer written).
 * The very first poll (no watermark) is a baseline: the alerts already active are recorded, and
 * counted as not yet seen, but not announced — no burst of notifications on a first start.
 * Alerts raised while Relais was closed are announced at the next start (the watermark persists).
 */
export class AlertWatcher {
  private channel: (() => boolean) | null = null;
  private polling: Promise<number> | null = null;
  private readonly task = new PeriodicTask(
    // While the steady-state cycle carries the alerts, this timer sends nothing.
    () => (this.channel?.() ? Promise.resolve(0) : this.pollOnce()),
    ({ error }) => {
      // Unreachable platform: the next poll catches up from the same watermark.
      if (error !== undefined && !(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) {
        this.options.log?.(`[relais] alert poll failed: ${String(error)}`);
      }
      return this.pushActive ? Math.max(this.intervalMs, this.options.pushIntervalMs ?? 10 * 60_000) : this.intervalMs;
    },
  );
  private pushActive = false;

  constructor(private readonly options: AlertWatcherOptions) {}

  get intervalMs(): number {
    return this.options.intervalMs ?? DEFAULT_ALERT_POLL_MS;
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Push delivers alerts (true): polls slow down; push dropped (false): next poll at the normal interval from now. */
  setPushActive(active: boolean): void {
    const was = this.pushActive;
    this.pushActive = active;
    if (!was || active || this.task.isStopped) return;
    void this.task.stop().then(() => this.task.start(this.intervalMs));
  }

  /** One poll now (or joins the one running); resolves with the number of alerts announced. */
  pollNow(): Promise<number> {
    return this.pollOnce();
  }

  /**
   * Alerts ride the steady-state cycle (issue 17 item 7: main/features/journal/background-sync.ts)
   * whenever `active()` says so; the watcher's own poll then sends nothing, and takes over again
   * when the cycle stops (a host that runs no background sync).
   */
  ridesOn(active: () => boolean): void {
    this.channel = active;
  }

  /** The `since` of the next question about alerts (null before the first baseline). */
  watermark(): string | null {
    return this.options.store.getWatermark();
  }

  /** Alerts answered by the steady-state question: announced once each, like the poll's. */
  ingest(batch: AlertsBatch): number {
    const byId = this.options.patientById;
    return this.apply(batch, (id) => byId?.(id) ?? undefined, false);
  }

  private pollOnce(): Promise<number> {
    this.polling ??= this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Active alerts nobody took into account yet (the tray / badge count). */
  unacknowledged(): number {
    return this.options.store.unacknowledgedCount();
  }

  /**
   * « Prendre en compte » from this window, before the platform has it: the alert leaves the
   * count at once (pending) and `alert-handled` tells the shell and the windows.
   */
  markHandledLocally(alertId: string, handled: NonNullable<Alert['handled']>): void {
    const { store, events } = this.options;
    const alert = store.getAlert(alertId);
    if (!alert || alert.handled) return;
    store.markHandled(alertId, handled);
    events.emit({ type: 'alert-handled', patientId: alert.patientId, alertId, unacknowledged: store.unacknowledgedCount() });
  }

  /**
   * Alerts of one patient as the platform has them now: the ones the watcher knows are updated
   * (so the count follows a colleague's handling), a pending local handling kept until the
   * platform shows one. Unknown ones are left to the poll (it decides what is announced).
   */
  remember(alerts: readonly Alert[]): Alert[] {
    return alerts.map((a) => (this.options.store.isKnownAlert(a.id) ? this.keep(a, null) : a));
  }

  /** Known active alerts of the followed patients, newest first. */
  list(patients: readonly Patient[]): PatientAlert[] {
    const byId = new Map(patients.map((p) => [p.id, p]));
    return this.options.store
      .knownAlerts()
      .flatMap(({ alert, acknowledged }) => {
        const patient = byId.get(alert.patientId);
        return patient ? [{ patient, alert, acknowledged }] : [];
      })
      .sort((a, b) => b.alert.start.localeCompare(a.alert.start) || a.alert.id.localeCompare(b.alert.id));
  }

  /** Stores an alert; emits `alert-handled` when it became handled on the platform meanwhile. */
  private keep(fresh: Alert, notifiedAt: string | null): Alert {
    const { store, events } = this.options;
    const before = store.getAlert(fresh.id);
    // Our own « Prendre en compte » still in the outbox: the platform's copy does not say it yet.
    const alert = !fresh.handled && before?.handled?.pending ? { ...fresh, handled: before.handled } : fresh;
    store.rememberAlert(alert, notifiedAt);
    if (before && !before.handled && alert.handled) {
      events.emit({ type: 'alert-handled', patientId: alert.patientId, alertId: alert.id, unacknowledged: store.unacknowledgedCount() });
    }
    return alert;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async poll(): Promise<number> {
    const { store, platform } = this.options;
    const patients = await this.options.followedPatients();
    if (patients.length === 0) return 0;
    const byId = new Map(patients.map((p) => [p.id, p]));
    const since = store.getWatermark();
    const batch = await platform.fetchActiveAlerts(
      patients.map((p) => p.id),
      since ? { since } : {},
    );
    return this.apply(batch, (id) => byId.get(id), since === null);
  }

  /** Stores a batch, announces the alerts not seen before (none on a baseline), moves the watermark. */
  private apply(batch: AlertsBatch, patientOf: (id: string) => Patient | undefined, baseline: boolean): number {
    const { store, events } = this.options;
    for (const id of batch.inactiveIds) store.forgetAlert(id);
    let announced = 0;
    const at = this.now().toISOString();
    const fresh = [...batch.alerts].reverse(); // oldest first: notifications in the order raised
    for (const alert of fresh) {
      const known = store.isKnownAlert(alert.id);
      this.keep(alert, known || baseline ? null : at);
      const patient = patientOf(alert.patientId);
      if (known || baseline || !patient) continue;
      announced += 1;
      events.emit({ type: 'alert-raised', patient, alert, unacknowledged: store.unacknowledgedCount() });
    }
    // Never backwards: the cycle and an on-demand poll may answer out of order.
    const current = store.getWatermark();
    if (batch.watermark && (current === null || batch.watermark > current)) store.setWatermark(batch.watermark);
    return announced;
  }
}
