import type { Migration } from './index';

export const m003Drafts: Migration = {
  version: 3,
  name: 'per-patient drafts, so switching patients never loses what was typed',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        patient_id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
