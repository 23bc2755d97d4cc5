import type { Database } from 'better-sqlite3';

/**
 * Table `entry_flags` (migration 006): per professional (the store is theirs), which journal
 * entries are unread and which are pinned. The journal's page and facets read it through a join.
 */
export class EntryFlagsRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      markUnread: db.prepare(
        `INSERT INTO entry_flags (entry_id, patient_id, unread) VALUES (?, ?, 1)
         ON CONFLICT(entry_id) DO UPDATE SET unread = 1`,
      ),
      markRead: db.prepare(`UPDATE entry_flags SET unread = 0 WHERE patient_id = ? AND unread = 1`),
      pin: db.prepare(
        `INSERT INTO entry_flags (entry_id, patient_id, pinned) VALUES (?, ?, ?)
         ON CONFLICT(entry_id) DO UPDATE SET pinned = excluded.pinned`,
      ),
      forget: db.prepare(`DELETE FROM entry_flags WHERE patient_id = ?`),
    };
  }

  markUnread(entryId: string, patientId: string): void {
    this.stmts.markUnread.run(entryId, patientId);
  }

  /** Every unread entry of the patient becomes read; answers how many changed. */
  markRead(patientId: string): number {
    return this.stmts.markRead.run(patientId).changes;
  }

  setPinned(entryId: string, patientId: string, pinned: boolean): void {
    this.stmts.pin.run(entryId, patientId, pinned ? 1 : 0);
  }

  forgetPatient(patientId: string): void {
    this.stmts.forget.run(patientId);
  }
}
