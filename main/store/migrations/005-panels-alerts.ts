import type { Migration } from './index';

/**
 * Panels readable offline (the platform's last answer per patient) and the alert watcher's
 * memory: which alerts were already announced (never twice, across restarts), which the
 * professional has seen (opened the patient since), and the poll watermark.
 */
export const m005PanelsAlerts: Migration = {
  version: 5,
  name: 'panels cache per patient, alerts announced / acknowledged, alert poll watermark',
  up(db) {
    db.exec(`
      CREATE TABLE panels_cache (
        patient_id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        fetched_at TEXT NOT NULL
      );
      CREATE TABLE alerts_seen (
        alert_id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL,
        json TEXT NOT NULL,
        -- NULL: known from the first poll (baseline), never announced as new
        notified_at TEXT,
        acknowledged_at TEXT
      );
      CREATE INDEX alerts_seen_by_patient ON alerts_seen (patient_id);
      CREATE TABLE alert_watch (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        watermark TEXT
      );
    `);
  },
};
