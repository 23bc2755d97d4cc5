import type { Migration } from './index';

export const m004Outbox: Migration = {
  version: 4,
  name: 'durable outbox: every write to the platform, with its client idempotency identifier',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,     -- send order
        client_id TEXT NOT NULL UNIQUE,            -- UUID generated at enqueue, sent as the identifier
        kind TEXT NOT NULL,                        -- 'journal-entry' (later: referral, pps, prescription)
        patient_id TEXT NOT NULL,
        payload TEXT NOT NULL,                     -- JSON, validated at enqueue
        status TEXT NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'sending', 'sent', 'failed-permanent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0, -- epoch ms
        last_error_code TEXT,
        last_error_message TEXT,
        platform_id TEXT,
        local_entry_id TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- The worker's question: the oldest item not finished yet.
      CREATE INDEX outbox_pending ON outbox (status, seq);
      CREATE INDEX outbox_patient ON outbox (patient_id, seq);
    `);
  },
};
