import type { Database } from 'better-sqlite3';
import { AlertSchema, PatientPanelsSchema, type Alert, type PatientPanels } from '../../../contract';

/**
 * Tables of migration 005 (`panels_cache`, `alerts_seen`, `alert_watch`): the last panels answer
 * per patient (offline reading) and the alert watcher's memory (announced / acknowledged alerts,
 * poll watermark). JSON is re-validated on the way out; a row that no longer parses is absent.
 */
export class PanelsCacheRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      getPanels: db.prepare(`SELECT json FROM panels_cache WHERE patient_id = ?`).pluck(),
      putPanels: db.prepare(
        `INSERT INTO panels_cache (patient_id, json, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`,
      ),
      known: db.prepare(`SELECT 1 FROM alerts_seen WHERE alert_id = ?`).pluck(),
      remember: db.prepare(
        `INSERT INTO alerts_seen (alert_id, patient_id, json, notified_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(alert_id) DO UPDATE SET json = excluded.json`,
      ),
      // Issue 15: « unacknowledged » is « nobody took it into account on the platform » — read from
      // the alert itself (its `handled`, kept in the JSON), never from having opened the patient.
      unacknowledged: db.prepare(`SELECT count(*) FROM alerts_seen WHERE json_extract(json, '$.handled') IS NULL`).pluck(),
      getAlert: db.prepare(`SELECT json FROM alerts_seen WHERE alert_id = ?`).pluck(),
      setJson: db.prepare(`UPDATE alerts_seen SET json = ? WHERE alert_id = ?`),
      forget: db.prepare(`DELETE FROM alerts_seen WHERE alert_id = ?`),
      all: db.prepare(`SELECT json FROM alerts_seen`),
      getWatermark: db.prepare(`SELECT watermark FROM alert_watch WHERE id = 1`).pluck(),
      setWatermark: db.prepare(
        `INSERT INTO alert_watch (id, watermark) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET watermark = excluded.watermark`,
      ),
    };
  }

  getPanels(patientId: string): PatientPanels | null {
    const raw = this.stmts.getPanels.get(patientId) as string | undefined;
    if (!raw) return null;
    const parsed = PatientPanelsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  putPanels(panels: PatientPanels): void {
    this.stmts.putPanels.run(panels.patientId, JSON.stringify(panels), panels.fetchedAt);
  }

  isKnownAlert(alertId: string): boolean {
    return this.stmts.known.get(alertId) !== undefined;
  }

  /** Records an alert; `notifiedAt` null = known from the baseline poll, not announced. */
  rememberAlert(alert: Alert, notifiedAt: string | null): void {
    this.stmts.remember.run(alert.id, alert.patientId, JSON.stringify(alert), notifiedAt);
  }

  /** The alert is no longer active: forgotten (announced again if it is ever re-activated). */
  forgetAlert(alertId: string): void {
    this.stmts.forget.run(alertId);
  }

  /** One known alert, or null. */
  getAlert(alertId: string): Alert | null {
    const raw = this.stmts.getAlert.get(alertId) as string | undefined;
    if (!raw) return null;
    const parsed = AlertSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  /** Records who took a known alert into account (optimistic from this window, or from the platform). */
  markHandled(alertId: string, handled: NonNullable<Alert['handled']>): boolean {
    const alert = this.getAlert(alertId);
    if (!alert) return false;
    return this.stmts.setJson.run(JSON.stringify({ ...alert, handled }), alertId).changes > 0;
  }

  unacknowledgedCount(): number {
    return this.stmts.unacknowledged.get() as number;
  }

  /** Every active alert known to the watcher, with whether someone took it into account. */
  knownAlerts(): { alert: Alert; acknowledged: boolean }[] {
    return (this.stmts.all.all() as { json: string }[]).flatMap((row) => {
      const parsed = AlertSchema.safeParse(JSON.parse(row.json));
      return parsed.success ? [{ alert: parsed.data, acknowledged: parsed.data.handled !== null }] : [];
    });
  }

  getWatermark(): string | null {
    return (this.stmts.getWatermark.get() as string | null | undefined) ?? null;
  }

  setWatermark(watermark: string): void {
    this.stmts.setWatermark.run(watermark);
  }
}
