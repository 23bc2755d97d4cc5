import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  PatientSchema,
  RelaisError,
  type Draft,
  type JournalEntry,
  type JournalFacets,
  type JournalFilter,
  type Patient,
} from '../../contract';
import { migrate } from './migrations/index';
import { chainHash, GENESIS_HASH, verifyAuditChain, type ChainVerdict } from '../audit/audit-chain';
import { openSqlite, type OpenSqliteOptions } from './encryption';
import { buildJournalWhere, NOT_MEDICAL } from './journal-query';

export interface StoredPage {
  entries: JournalEntry[];
  nextCursor: string | null;
  total: number;
}

export interface SyncProgress {
  startedAt: string;
  since: string | null;
  resumeUrl: string | null;
}

export interface UpsertOptions {
  /** New entries by anyone else become unread for this professional (not on a first sync). */
  markUnreadExcept?: string;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  patientId: string | null;
  detail: string | null;
  /** SHA-256 chain link (migration 009). */
  hash: string | null;
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

  /**
   * @param options.key 32-byte key of an encrypted (SQLCipher) store, see main/store/encryption.ts;
   * without it, a plain better-sqlite3 file as before.
   */
  constructor(
    readonly path: string,
    private readonly openOptions: OpenSqliteOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = openSqlite(path, openOptions);
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
      count: db.prepare(`SELECT count(*) FROM journal_entries WHERE patient_id = ?`).pluck(),
      entryExists: db.prepare(`SELECT 1 FROM journal_entries WHERE id = ?`).pluck(),
      markUnread: db.prepare(
        `INSERT INTO entry_flags (entry_id, patient_id, unread) VALUES (?, ?, 1)
         ON CONFLICT(entry_id) DO UPDATE SET unread = 1`,
      ),
      markRead: db.prepare(`UPDATE entry_flags SET unread = 0 WHERE patient_id = ? AND unread = 1`),
      pin: db.prepare(
        `INSERT INTO entry_flags (entry_id, patient_id, pinned) VALUES (?, ?, ?)
         ON CONFLICT(entry_id) DO UPDATE SET pinned = excluded.pinned`,
      ),
      getProgress: db.prepare(
        `SELECT started_at AS startedAt, since, resume_url AS resumeUrl FROM sync_progress WHERE patient_id = ?`,
      ),
      setProgress: db.prepare(
        `INSERT INTO sync_progress (patient_id, started_at, since, resume_url) VALUES (?, ?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET started_at = excluded.started_at, since = excluded.since, resume_url = excluded.resume_url`,
      ),
      clearProgress: db.prepare(`DELETE FROM sync_progress WHERE patient_id = ?`),
      getSync: db.prepare(`SELECT synced_at FROM sync_state WHERE patient_id = ?`).pluck(),
      setSync: db.prepare(
        `INSERT INTO sync_state (patient_id, synced_at) VALUES (?, ?) ON CONFLICT(patient_id) DO UPDATE SET synced_at = excluded.synced_at`,
      ),
      getDraft: db.prepare(
        `SELECT patient_id AS patientId, text, updated_at AS updatedAt FROM drafts WHERE patient_id = ?`,
      ),
      saveDraft: db.prepare(
        `INSERT INTO drafts (patient_id, text, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      ),
      deleteDraft: db.prepare(`DELETE FROM drafts WHERE patient_id = ?`),
      audit: db.prepare(`INSERT INTO audit_log (seq, at, actor, action, patient_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      auditHead: db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
      auditAll: db.prepare(
        `SELECT seq, at, actor, action, patient_id AS patientId, detail, hash FROM audit_log ORDER BY seq`,
      ),
    };
  }

  private readonly prepared = new Map<string, Database.Statement>();

  /**
   * Set by the core for a role without journal.read-medical (a secretary): medical entries are
   * neither stored nor read back (page, facets, search, counts), whatever the platform sent.
   */
  hideMedical = false;

  /**
   * Statements built at run time (filters vary the WHERE clause) are prepared once per distinct
   * SQL text: journal.page runs on every launch and every scroll page.
   */
  private statement(sql: string): Database.Statement {
    let stmt = this.prepared.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }

  close(): void {
    this.db.close();
  }

  /** A second connection to the same file with the same driver and key (the outbox has its own). */
  openConnection(): Database.Database {
    return openSqlite(this.path, this.openOptions);
  }

  /** Whether this store's file is encrypted. */
  get encrypted(): boolean {
    return this.openOptions.key !== undefined;
  }

  /** The connection, for feature modules that own their tables (main/panels/panels-store.ts). */
  get sqlite(): Database.Database {
    return this.db;
  }

  upsertPatient(patient: Patient, at: string = new Date().toISOString()): void {
    this.stmts.upsertPatient.run({
      id: patient.id,
      ins: patient.ins?.value ?? null,
      json: JSON.stringify(patient),
      at,
    });
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
  upsertEntries(entries: readonly JournalEntry[], options: UpsertOptions = {}): number {
    let changed = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        if (this.hideMedical && e.confidentiality === 'medical') continue;
        if (
          options.markUnreadExcept !== undefined &&
          e.author.id !== options.markUnreadExcept &&
          !this.stmts.entryExists.get(e.id)
        ) {
          this.stmts.markUnread.run(e.id, e.patientId);
        }
        const { unread: _u, pinned: _p, ...stored } = e;
        changed += this.stmts.upsertEntry.run({
          id: e.id,
          patientId: e.patientId,
          date: e.date,
          kind: e.kind,
          version: e.version,
          json: JSON.stringify(stored),
        }).changes;
      }
    })();
    return changed;
  }

  /** Newest-first keyset page, optionally filtered. The JSON was validated on the way in; it is trusted on the way out. */
  page(patientId: string, cursor: string | undefined, limit: number, filter?: JournalFilter): StoredPage {
    const { where, params } = buildJournalWhere(patientId, filter, this.hideMedical);
    let keyset = '';
    const keyParams: unknown[] = [];
    if (cursor !== undefined) {
      const [date, id] = decodeCursor(cursor);
      keyset = ' AND (e.date < ? OR (e.date = ? AND e.id < ?))';
      keyParams.push(date, date, id);
    }
    const rows = this.statement(
      `SELECT e.json AS json, f.unread AS unread, f.pinned AS pinned
         FROM journal_entries e LEFT JOIN entry_flags f ON f.entry_id = e.id
         WHERE ${where}${keyset} ORDER BY e.date DESC, e.id DESC LIMIT ?`,
    ).all(...params, ...keyParams, limit + 1) as { json: string; unread: number | null; pinned: number | null }[];
    const entries = rows.slice(0, limit).map((r) => {
      const e = JSON.parse(r.json) as JournalEntry;
      if (r.unread) e.unread = true;
      if (r.pinned) e.pinned = true;
      return e;
    });
    const last = entries.at(-1);
    const total = filter || this.hideMedical
      ? (this.statement(
          `SELECT count(*) FROM journal_entries e LEFT JOIN entry_flags f ON f.entry_id = e.id WHERE ${where}`,
        )
          .pluck()
          .get(...params) as number)
      : this.countEntries(patientId);
    return { entries, nextCursor: rows.length > limit && last ? encodeCursor(last.date, last.id) : null, total };
  }

  facets(patientId: string): JournalFacets {
    // A hidden (medical) entry must not show through a count or an author either.
    const visible = this.hideMedical ? ` AND ${NOT_MEDICAL('e')}` : '';
    const authors = this.statement(
      `SELECT author_id AS id, json_extract(json, '$.author.name') AS name, role_label AS roleLabel, count(*) AS count
         FROM journal_entries e WHERE patient_id = ?${visible} GROUP BY author_id ORDER BY count DESC`,
    ).all(patientId) as JournalFacets['authors'];
    const roleLabels = this.statement(
      `SELECT role_label AS roleLabel, count(*) AS count FROM journal_entries e WHERE patient_id = ?${visible} GROUP BY role_label ORDER BY count DESC`,
    ).all(patientId) as JournalFacets['roleLabels'];
    const kinds = this.statement(
      `SELECT kind, count(*) AS count FROM journal_entries e WHERE patient_id = ?${visible} GROUP BY kind ORDER BY count DESC`,
    ).all(patientId) as JournalFacets['kinds'];
    const flags = this.statement(
      `SELECT coalesce(sum(f.unread), 0) AS unread, coalesce(sum(f.pinned), 0) AS pinned FROM entry_flags f
         ${this.hideMedical ? `JOIN journal_entries e ON e.id = f.entry_id AND ${NOT_MEDICAL('e')}` : ''} WHERE f.patient_id = ?`,
    ).get(patientId) as { unread: number; pinned: number };
    return { authors, roleLabels, kinds, ...flags };
  }

  markRead(patientId: string): number {
    return this.stmts.markRead.run(patientId).changes;
  }

  setPinned(patientId: string, entryId: string, pinned: boolean): void {
    if (!this.stmts.entryExists.get(entryId))
      throw new RelaisError('INVALID_INPUT', 'unknown journal entry', 'entryId');
    this.stmts.pin.run(entryId, patientId, pinned ? 1 : 0);
  }

  getSyncProgress(patientId: string): SyncProgress | null {
    return (this.stmts.getProgress.get(patientId) as SyncProgress | undefined) ?? null;
  }

  setSyncProgress(patientId: string, progress: SyncProgress): void {
    this.stmts.setProgress.run(patientId, progress.startedAt, progress.since, progress.resumeUrl);
  }

  clearSyncProgress(patientId: string): void {
    this.stmts.clearProgress.run(patientId);
  }

  /** Drops a patient's cached journal (it is fetched again in full on the next open). */
  forgetJournal(patientId: string): void {
    this.db.transaction(() => {
      this.statement('DELETE FROM journal_entries WHERE patient_id = ?').run(patientId);
      this.statement('DELETE FROM sync_state WHERE patient_id = ?').run(patientId);
      this.statement('DELETE FROM sync_progress WHERE patient_id = ?').run(patientId);
      this.statement('DELETE FROM entry_flags WHERE patient_id = ?').run(patientId);
    })();
  }

  countEntries(patientId: string): number {
    if (this.hideMedical) {
      return this.statement(`SELECT count(*) FROM journal_entries e WHERE e.patient_id = ? AND ${NOT_MEDICAL('e')}`).pluck().get(patientId) as number;
    }
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

  /**
   * Appends one row to the trail, chained to the previous one (main/audit/audit-chain.ts). The head
   * is read and the row written in one immediate transaction, so two writers cannot fork the chain.
   */
  audit(actor: string, action: string, patientId: string | null, detail: string | null = null): void {
    this.db
      .transaction(() => {
        const head = this.stmts.auditHead.get() as { seq: number; hash: string | null } | undefined;
        const row = { seq: (head?.seq ?? 0) + 1, at: new Date().toISOString(), actor, action, patientId, detail };
        const hash = chainHash(head?.hash ?? GENESIS_HASH, row);
        this.stmts.audit.run(row.seq, row.at, actor, action, patientId, detail, hash);
      })
      .immediate();
  }

  /** The whole trail, oldest first, with each row's chain hash. */
  auditTrail(): AuditRecord[] {
    return this.stmts.auditAll.all() as AuditRecord[];
  }

  /** Walks the chain without loading the trail into memory (audit.verify). */
  verifyAudit(): ChainVerdict {
    return verifyAuditChain(this.stmts.auditAll.iterate() as Iterable<AuditRecord & { hash: string | null }>);
  }
}
