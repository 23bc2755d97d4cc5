import type { Migration } from './index';

export const m001Journal: Migration = {
  version: 1,
  name: 'patients, journal entries and sync state',
  up(db) {
    db.exec(`
      CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        ins_value TEXT,
        json TEXT NOT NULL,
        stored_at TEXT NOT NULL
      );
      CREATE INDEX patients_ins ON patients (ins_value);

      CREATE TABLE journal_entries (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        version TEXT NOT NULL,
        json TEXT NOT NULL
      );
      -- Newest-first keyset paging of one patient's journal.
      CREATE INDEX journal_by_patient_date ON journal_entries (patient_id, date DESC, id DESC);

      CREATE TABLE sync_state (
        patient_id TEXT PRIMARY KEY,
        synced_at TEXT NOT NULL
      );
    `);
  },
};
