import type { Migration } from './index';

export const m007Confidentiality: Migration = {
  version: 7,
  name: 'journal entry confidentiality (medical entries hidden from a secretary)',
  up(db) {
    // Derived from the stored JSON like the 006 columns; rows stored before roles have no value
    // and read as normal. Only a secretary's store filters on it, and theirs never holds a
    // medical entry in the first place (the platform withholds them; upsertEntries drops any).
    db.exec(`ALTER TABLE journal_entries ADD COLUMN confidentiality TEXT GENERATED ALWAYS AS (json_extract(json, '$.confidentiality')) VIRTUAL;`);
  },
};
