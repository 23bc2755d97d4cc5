import { RelaisError, type Patient, type PatientAlert } from '../../../contract';
import type { EventBus } from '../../events';
import { PeriodicTask } from '../../util/periodic-task';
import type { PanelsCacheRepository as PanelsStore } from '../../store/repositories/panels-cache';
import type { PanelsPort } from './fhir-adapter';

export const DEFAULT_ALERT_POLL_MS = 30_000;

export interface AlertWatcherOptions {
  platform: Pick<PanelsPort, 'fetchActiveAlerts'>;
  store: PanelsStore;
  events: EventBus;
  /** The patients the professional follows (platform, or the store when offline). */
  followedPatients: () => Promise<Patient[]>;
  /** Between two polls; default 30 s. */
  intervalMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/**
 * Polls the platform for active alerts (FHIR Flag) on the followed patients and announces each
 * new one once with an `alert-raised` event.
 *
 * Memory (SQLite, migration 005, so it survives restarts):
 * - `alert_watch.watermark`: the greatest `meta.lastUpdated` seen, in the platform's clock; the
 *   next poll asks `Flag?subject=…&_lastUpdated=ge<watermark>` (ge + the id set below, so two
 *   flags written in the same millisecond are not lost and none is announced twice);
 * - `alerts_seen`: every active alert known, with when it was announced (`notified_at`) and when
 *   the professional opened that patient (`acknowledged_at`, the tray count).
 * The very first poll (no watermark) is a baseline: the alerts already active are recorded, and
 * counted as not yet seen, but not announced — no burst of notifications on a first start.
 * Alerts raised while Relais was closed are announced at the next start (the watermark persists).
 */
export class AlertWatcher {
  private readonly task = new PeriodicTask(
    () => this.poll(),
    ({ error }) => {
      // Unreachable platform: the next poll catches up from the same watermark.
      if (error !== undefined && !(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) {
        this.options.log?.(`[relais] alert poll failed: ${String(error)}`);
      }
      return this.intervalMs;
    },
  );

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

  /** One poll now (or joins the one running); resolves with the number of alerts announced. */
  pollNow(): Promise<number> {
    return this.task.runNow();
  }

  /** Alerts neither seen by the professional nor closed on the platform. */
  unacknowledged(): number {
    return this.options.store.unacknowledgedCount();
  }

  /** The professional opened this patient: its alerts are seen. */
  acknowledgePatient(patientId: string): void {
    this.options.store.acknowledgePatient(patientId, this.now().toISOString());
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

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async poll(): Promise<number> {
    const { store, platform, events } = this.options;
    const patients = await this.options.followedPatients();
    if (patients.length === 0) return 0;
    const byId = new Map(patients.map((p) => [p.id, p]));
    const since = store.getWatermark();
    const baseline = since === null;
    const batch = await platform.fetchActiveAlerts(
      patients.map((p) => p.id),
      since ? { since } : {},
    );
    for (const id of batch.inactiveIds) store.forgetAlert(id);
    let announced = 0;
    const at = this.now().toISOString();
    const fresh = [...batch.alerts].reverse(); // oldest first: notifications in the order raised
    for (const alert of fresh) {
      const known = store.isKnownAlert(alert.id);
      store.rememberAlert(alert, known || baseline ? null : at);
      const patient = byId.get(alert.patientId);
      if (known || baseline || !patient) continue;
      announced += 1;
      events.emit({ type: 'alert-raised', patient, alert, unacknowledged: store.unacknowledgedCount() });
    }
    if (batch.watermark) store.setWatermark(batch.watermark);
    return announced;
  }
}
