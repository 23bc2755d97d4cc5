import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { JournalEntrySchema, PatientSchema, RelaisError, type Draft, type JournalEntry, type Patient } from '../../contract';
import { migrate } from './migrations/index';

export interface StoredPage {
  entries: JournalEntry[];
  nextCursor: string | null;
  total: number;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  patientId: string | null;
  detail: string | null;
}

function encodeCursor(date: string, id: string): string {
  return Buffer.from(JSON.stringify([date, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return [v[0], v[1]];
    }
  } catch {
    // fall through to the typed error
  }
  throw new RelaisError('INVALID_INPUT', 'invalid journal cursor', 'cursor');
}

/**
 * The local store: one SQLite file per professional. Patients and journal entries are kept as
 * validated JSON beside the columns used for lookup and paging.
 */
export class LocalStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (error) {
      throw new RelaisError('STORAGE_ERROR', `cannot open store: ${String(error)}`);
    }
    const db = this.db;
    this.stmts = {
      upsertPatient: db.prepare(
        `INSERT INTO patients (id, ins_value, json, stored_at) VALUES (@id, @ins, @json, @at)
         ON CONFLICT(id) DO UPDATE SET ins_value = excluded.ins_value, json = excluded.json, stored_at = excluded.stored_at`,
      ),
      patientById: db.prepare(`SELECT json FROM patients WHERE id = ?`).pluck(),
      patientByIns: db.prepare(`SELECT json FROM patients WHERE ins_value = ? LIMIT 1`).pluck(),
      allPatients: db.prepare(`SELECT json FROM patients`).pluck(),
      upsertEntry: db.prepare(
        `INSERT INTO journal_entries (id, patient_id, date, kind, version, json) VALUES (@id, @patientId, @date, @kind, @version, @json)
         ON CONFLICT(id) DO UPDATE SET patient_id = excluded.patient_id, date = excluded.date, kind = excluded.kind,
           version = excluded.version, json = excluded.json
         WHERE journal_entries.version IS NOT excluded.version`,
      ),
      firstPage: db.prepare(
        `SELECT json FROM journal_entries WHERE patient_id = ? ORDER BY date DESC, id DESC LIMIT ?`,
      ).pluck(),
      nextPage: db.prepare(
        `SELECT json FROM journal_entries WHERE patient_id = ? AND (date < ? OR (date = ? AND id < ?))
         ORDER BY date DESC, id DESC LIMIT ?`,
      ).pluck(),
      count: db.prepare(`SELECT count(*) FROM journal_entries WHERE patient_id = ?`).pluck(),
      getSync: db.prepare(`SELECT synced_at FROM sync_state WHERE patient_id = ?`).pluck(),
      setSync: db.prepare(
        `INSERT INTO sync_state (patient_id, synced_at) VALUES (?, ?) ON CONFLICT(patient_id) DO UPDATE SET synced_at = excluded.synced_at`,
      ),
      getDraft: db.prepare(`SELECT patient_id AS patientId, text, updated_at AS updatedAt FROM drafts WHERE patient_id = ?`),
      saveDraft: db.prepare(
        `INSERT INTO drafts (patient_id, text, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      ),
      deleteDraft: db.prepare(`DELETE FROM drafts WHERE patient_id = ?`),
      audit: db.prepare(`INSERT INTO audit_log (at, actor, action, patient_id, detail) VALUES (?, ?, ?, ?, ?)`),
      auditAll: db.prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail FROM audit_log ORDER BY seq`),
    };
  }

  close(): void {
    this.db.close();
  }

  upsertPatient(patient: Patient, at: string = new Date().toISOString()): void {
    this.stmts.upsertPatient.run({ id: patient.id, ins: patient.ins?.value ?? null, json: JSON.stringify(patient), at });
  }

  getPatient(id: string): Patient | null {
    const json = this.stmts.patientById.get(id) as string | undefined;
    return json === undefined ? null : PatientSchema.parse(JSON.parse(json));
  }

  findPatientByIns(insValue: string): Patient | null {
    const json = this.stmts.patientByIns.get(insValue) as string | undefined;
    return json === undefined ? null : PatientSchema.parse(JSON.parse(json));
  }

  listPatients(): Patient[] {
    return (this.stmts.allPatients.all() as string[]).map((j) => PatientSchema.parse(JSON.parse(j)));
  }

  /** Inserts or updates entries in one transaction; unchanged versions are not rewritten. */
  upsertEntries(entries: readonly JournalEntry[]): number {
    let changed = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        changed += this.stmts.upsertEntry.run({
          id: e.id,
          patientId: e.patientId,
          date: e.date,
          kind: e.kind,
          version: e.version,
          json: JSON.stringify(e),
        }).changes;
      }
    })();
    return changed;
  }

  /** Newest-first keyset page. The JSON was validated on the way in; it is trusted on the way out. */
  page(patientId: string, cursor: string | undefined, limit: number): StoredPage {
    const rows = (
      cursor === undefined
        ? this.stmts.firstPage.all(patientId, limit + 1)
        : (() => {
            const [date, id] = decodeCursor(cursor);
            return this.stmts.nextPage.all(patientId, date, date, id, limit + 1);
          })()
    ) as string[];
    const entries = rows.slice(0, limit).map((j) => JSON.parse(j) as JournalEntry);
    const last = entries.at(-1);
    return {
      entries,
      nextCursor: rows.length > limit && last ? encodeCursor(last.date, last.id) : null,
      total: this.countEntries(patientId),
    };
  }

  /** Drops a patient's cached journal (it is fetched again in full on the next open). */
  forgetJournal(patientId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM journal_entries WHERE patient_id = ?').run(patientId);
      this.db.prepare('DELETE FROM sync_state WHERE patient_id = ?').run(patientId);
    })();
  }

  countEntries(patientId: string): number {
    return this.stmts.count.get(patientId) as number;
  }

  getSyncedAt(patientId: string): string | null {
    return (this.stmts.getSync.get(patientId) as string | undefined) ?? null;
  }

  setSyncedAt(patientId: string, at: string): void {
    this.stmts.setSync.run(patientId, at);
  }

  getDraft(patientId: string): Draft | null {
    return (this.stmts.getDraft.get(patientId) as Draft | undefined) ?? null;
  }

  /** Saves the draft; empty (or blank) text removes it. */
  saveDraft(patientId: string, text: string, at: string = new Date().toISOString()): Draft | null {
    if (text.trim() === '') {
      this.stmts.deleteDraft.run(patientId);
      return null;
    }
    this.stmts.saveDraft.run(patientId, text, at);
    return { patientId, text, updatedAt: at };
  }

  audit(actor: string, action: string, patientId: string | null, detail: string | null = null): void {
    this.stmts.audit.run(new Date().toISOString(), actor, action, patientId, detail);
  }

  auditTrail(): AuditRecord[] {
    return this.stmts.auditAll.all() as AuditRecord[];
  }
}

/** Validates entries coming from outside before they reach the store. */
export function validEntries(entries: readonly unknown[]): JournalEntry[] {
  return entries.map((e) => JournalEntrySchema.parse(e));
}
