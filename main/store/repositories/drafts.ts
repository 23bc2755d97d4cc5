import type { Database } from 'better-sqlite3';
import type { Draft } from '../../../contract';

/** Table `drafts` (migration 003): one journal draft per patient, so switching patients never loses text. */
export class DraftsRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      get: db.prepare(`SELECT patient_id AS patientId, text, updated_at AS updatedAt FROM drafts WHERE patient_id = ?`),
      save: db.prepare(
        `INSERT INTO drafts (patient_id, text, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      ),
      delete: db.prepare(`DELETE FROM drafts WHERE patient_id = ?`),
    };
  }

  get(patientId: string): Draft | null {
    return (this.stmts.get.get(patientId) as Draft | undefined) ?? null;
  }

  /** Saves the draft; empty (or blank) text removes it. */
  save(patientId: string, text: string, at: string = new Date().toISOString()): Draft | null {
    if (text.trim() === '') {
      this.stmts.delete.run(patientId);
      return null;
    }
    this.stmts.save.run(patientId, text, at);
    return { patientId, text, updatedAt: at };
  }
}
