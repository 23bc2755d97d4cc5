/**
 * E-prescription drafts, one per patient (table prescription_drafts, migration 008), stored as the
 * GP typed them (PrescriptionDraftContent: numbers still text) so nothing typed is ever refused
 * or rewritten by an autosave. Cleared only once the prescription is durably in the outbox.
 */
import type { Database, Statement } from 'better-sqlite3';
import { PrescriptionDraftContentSchema, type PrescriptionDraft, type PrescriptionDraftContent } from '../../../contract';

/** Nothing worth keeping: no line with any text, and no weight. */
export function isEmptyDraft(draft: PrescriptionDraftContent): boolean {
  const blank = (s: string) => s.trim() === '';
  return (
    blank(draft.weightKg) &&
    draft.lines.every((l) => !l.ald && [l.medication, l.posology, l.route, l.durationDays, l.packs, l.instructions].every(blank) && ['', '0'].includes(l.renewals.trim()))
  );
}

export class PrescriptionDraftsRepository {
  private readonly get$: Statement;
  private readonly put$: Statement;
  private readonly delete$: Statement;

  constructor(db: Database) {
    this.get$ = db.prepare(`SELECT json, updated_at AS updatedAt FROM prescription_drafts WHERE patient_id = ?`);
    this.put$ = db.prepare(
      `INSERT INTO prescription_drafts (patient_id, json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(patient_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    );
    this.delete$ = db.prepare(`DELETE FROM prescription_drafts WHERE patient_id = ?`);
  }

  get(patientId: string): PrescriptionDraft | null {
    const row = this.get$.get(patientId) as { json: string; updatedAt: string } | undefined;
    if (!row) return null;
    const content = PrescriptionDraftContentSchema.parse(JSON.parse(row.json));
    return { patientId, ...content, updatedAt: row.updatedAt };
  }

  /** Saves the draft as typed; an empty one removes it. */
  save(patientId: string, draft: PrescriptionDraftContent, at: string = new Date().toISOString()): PrescriptionDraft | null {
    if (isEmptyDraft(draft)) {
      this.delete$.run(patientId);
      return null;
    }
    const content = PrescriptionDraftContentSchema.parse(draft);
    this.put$.run(patientId, JSON.stringify(content), at);
    return { patientId, ...content, updatedAt: at };
  }

  clear(patientId: string): void {
    this.delete$.run(patientId);
  }
}
