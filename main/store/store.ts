import type Database from 'better-sqlite3';
import { RelaisError, type Draft, type JournalEntry, type JournalFacets, type JournalFilter, type Patient } from '../../contract';
import type { ChainVerdict } from '../audit/audit-chain';
import { openSqlite, type OpenSqliteOptions } from './encryption';
import { migrate } from './migrations/index';
import { prepareSqliteFile } from './private-files';
import { AuditLogRepository, type AuditKeyOptions, type AuditRow } from './repositories/audit';
import { DraftsRepository } from './repositories/drafts';
import { EntryFlagsRepository } from './repositories/flags';
import { cursorAfterEntry, JournalRepository, type StoredPage, type UpsertOptions } from './repositories/journal';
import { OutboxRepository } from './repositories/outbox';
import { PanelsCacheRepository } from './repositories/panels-cache';
import { PatientsRepository } from './repositories/patients';
import { PrescriptionDraftsRepository } from './repositories/prescription-drafts';
import { SyncStateRepository, type SyncProgress } from './repositories/sync-state';

export type { StoredPage, UpsertOptions } from './repositories/journal';
export type { SyncProgress } from './repositories/sync-state';
/** A row of the trail as stored (kept under its former name for callers). */
export type AuditRecord = AuditRow;

/**
 * The local store: one SQLite file per professional. The connection never leaves main/store:
 * each table group has a repository with typed rows (main/store/repositories/*), exposed here;
 * the methods below are the short forms callers already used and delegate to them.
 */
export class LocalStore {
  private readonly db: Database.Database;
  readonly patients: PatientsRepository;
  readonly journal: JournalRepository;
  readonly flags: EntryFlagsRepository;
  readonly syncState: SyncStateRepository;
  readonly drafts: DraftsRepository;
  readonly prescriptionDrafts: PrescriptionDraftsRepository;
  readonly panelsCache: PanelsCacheRepository;
  readonly auditLog: AuditLogRepository;

  /**
   * @param options.key 32-byte key of an encrypted (SQLCipher) store, see main/store/encryption.ts;
   * without it, a plain better-sqlite3 file as before.
   * @param auditKey the professional's audit key (HMAC of the trail's links and head, main/audit/
   * audit-chain.ts); without it the trail is chained unkeyed, which proves less (docs/secrets.md).
   */
  constructor(
    readonly path: string,
    private readonly openOptions: OpenSqliteOptions = {},
    auditKey: AuditKeyOptions = {},
  ) {
    try {
      // Owner-only before SQLite writes a byte: other local users never read the store or its WAL.
      if (path !== ':memory:') prepareSqliteFile(path);
      this.db = openSqlite(path, openOptions);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (error) {
      throw new RelaisError('STORAGE_ERROR', `cannot open store: ${String(error)}`);
    }
    this.patients = new PatientsRepository(this.db);
    this.flags = new EntryFlagsRepository(this.db);
    this.journal = new JournalRepository(this.db, this.flags);
    this.syncState = new SyncStateRepository(this.db);
    this.drafts = new DraftsRepository(this.db);
    this.prescriptionDrafts = new PrescriptionDraftsRepository(this.db);
    this.panelsCache = new PanelsCacheRepository(this.db);
    this.auditLog = new AuditLogRepository(this.db, auditKey);
  }

  /**
   * Set by the core for a role without journal.read-medical (a secretary): medical entries are
   * neither stored nor read back (page, facets, search, counts), whatever the platform sent.
   */
  get hideMedical(): boolean {
    return this.journal.hideMedical;
  }

  set hideMedical(hide: boolean) {
    this.journal.hideMedical = hide;
  }

  close(): void {
    this.db.close();
  }

  /**
   * The outbox's repository, on a second connection to the same file with the same driver and
   * key, opened with `synchronous = FULL` (docs/outbox.md). The caller closes it.
   */
  openOutboxRepository(): OutboxRepository {
    let db: Database.Database | undefined;
    try {
      db = openSqlite(this.path, this.openOptions);
      return new OutboxRepository(db);
    } catch (error) {
      db?.close();
      throw new RelaisError('STORAGE_ERROR', `cannot open the outbox: ${String(error)}`);
    }
  }

  /** Whether this store's file is encrypted. */
  get encrypted(): boolean {
    return this.openOptions.key !== undefined;
  }

  upsertPatient(patient: Patient, at?: string): void {
    this.patients.upsert(patient, at);
  }

  getPatient(id: string): Patient | null {
    return this.patients.get(id);
  }

  findPatientByIns(insValue: string): Patient | null {
    return this.patients.findByIns(insValue);
  }

  listPatients(): Patient[] {
    return this.patients.list();
  }

  /** Inserts or updates entries in one transaction; unchanged versions are not rewritten. */
  upsertEntries(entries: readonly JournalEntry[], options: UpsertOptions = {}): number {
    return this.journal.upsertMany(entries, options);
  }

  /** Newest-first keyset page, optionally filtered. */
  page(patientId: string, cursor: string | undefined, limit: number, filter?: JournalFilter): StoredPage {
    return this.journal.page(patientId, cursor, limit, filter);
  }

  facets(patientId: string): JournalFacets {
    return this.journal.facets(patientId);
  }

  markRead(patientId: string): number {
    return this.flags.markRead(patientId);
  }

  setPinned(patientId: string, entryId: string, pinned: boolean): void {
    if (!this.journal.has(entryId)) throw new RelaisError('INVALID_INPUT', 'unknown journal entry', 'entryId');
    this.flags.setPinned(entryId, patientId, pinned);
  }

  getSyncProgress(patientId: string): SyncProgress | null {
    return this.syncState.getProgress(patientId);
  }

  setSyncProgress(patientId: string, progress: SyncProgress): void {
    this.syncState.setProgress(patientId, progress);
  }

  clearSyncProgress(patientId: string): void {
    this.syncState.clearProgress(patientId);
  }

  /** Drops a patient's cached journal (it is fetched again in full on the next open). */
  forgetJournal(patientId: string): void {
    this.db.transaction(() => {
      this.journal.forgetPatient(patientId);
      this.syncState.forgetPatient(patientId);
      this.flags.forgetPatient(patientId);
    })();
  }

  /** The journal.page cursor that continues after this entry. */
  cursorAfter(entry: Pick<JournalEntry, 'date' | 'id'>): string {
    return cursorAfterEntry(entry);
  }

  countEntries(patientId: string): number {
    return this.journal.count(patientId);
  }

  getSyncedAt(patientId: string): string | null {
    return this.syncState.getSyncedAt(patientId);
  }

  setSyncedAt(patientId: string, at: string): void {
    this.syncState.setSyncedAt(patientId, at);
  }

  getDraft(patientId: string): Draft | null {
    return this.drafts.get(patientId);
  }

  /** Saves the draft; empty (or blank) text removes it. */
  saveDraft(patientId: string, text: string, at?: string): Draft | null {
    return this.drafts.save(patientId, text, at);
  }

  /** Appends one row to the chained trail (main/audit/audit-chain.ts). */
  audit(actor: string, action: string, patientId: string | null, detail: string | null = null): void {
    this.auditLog.append(actor, action, patientId, detail);
  }

  /** The whole trail, oldest first, with each row's chain hash. */
  auditTrail(): AuditRecord[] {
    return this.auditLog.all();
  }

  /** Walks the chain without loading the trail into memory (audit.verify). */
  verifyAudit(): ChainVerdict {
    return this.auditLog.verify();
  }
}
