import type { Migration } from './index';

export const m008PrescriptionDrafts: Migration = {
  version: 8,
  name: 'per-patient e-prescription drafts, kept as typed (JSON), so a restart, a patient switch or a refusal never loses them',
  up(db) {
    db.exec(`
      CREATE TABLE prescription_drafts (
        patient_id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
