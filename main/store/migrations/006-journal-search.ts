import type { Migration } from './index';

export const m006JournalSearch: Migration = {
  version: 6,
  name: 'full-text search, filters, read/pinned flags, resumable sync',
  up(db) {
    db.exec(`
      -- Columns the filters use, derived from the stored JSON so they never disagree with it.
      ALTER TABLE journal_entries ADD COLUMN author_id TEXT GENERATED ALWAYS AS (json_extract(json, '$.author.id')) VIRTUAL;
      ALTER TABLE journal_entries ADD COLUMN role_label TEXT GENERATED ALWAYS AS (json_extract(json, '$.author.roleLabel')) VIRTUAL;

      -- Contentless FTS5 index of text and author name; accents folded so « ecchymose » finds « ecchymosé ».
      CREATE VIRTUAL TABLE journal_fts USING fts5(text, author, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
      INSERT INTO journal_fts (rowid, text, author)
        SELECT rowid, json_extract(json, '$.text'), json_extract(json, '$.author.name') FROM journal_entries;
      CREATE TRIGGER journal_fts_insert AFTER INSERT ON journal_entries BEGIN
        INSERT INTO journal_fts (rowid, text, author) VALUES (new.rowid, json_extract(new.json, '$.text'), json_extract(new.json, '$.author.name'));
      END;
      CREATE TRIGGER journal_fts_update AFTER UPDATE OF json ON journal_entries BEGIN
        DELETE FROM journal_fts WHERE rowid = old.rowid;
        INSERT INTO journal_fts (rowid, text, author) VALUES (new.rowid, json_extract(new.json, '$.text'), json_extract(new.json, '$.author.name'));
      END;
      CREATE TRIGGER journal_fts_delete AFTER DELETE ON journal_entries BEGIN
        DELETE FROM journal_fts WHERE rowid = old.rowid;
      END;

      -- Per professional (the store is theirs): what they have not read yet, what they pinned.
      CREATE TABLE entry_flags (
        entry_id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL,
        unread INTEGER NOT NULL DEFAULT 0,
        pinned INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX entry_flags_patient ON entry_flags (patient_id, unread, pinned);

      -- An interrupted sync resumes from the last page it stored.
      CREATE TABLE sync_progress (
        patient_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        since TEXT,
        resume_url TEXT
      );
    `);
  },
};
