import type { Database } from 'better-sqlite3';
import type { JournalEntry, OutboxKind, OutboxStatus } from '../../../contract';
import { migrate } from '../migrations/index';
import { JournalRepository } from './journal';

/** A row of table `outbox` (migration 004). */
export interface OutboxRow {
  /** Send order. */
  seq: number;
  /** UUID generated at enqueue, the item id, sent as the platform idempotency identifier. */
  clientId: string;
  kind: OutboxKind;
  patientId: string;
  /** JSON, validated by the feature before it was enqueued. */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms. */
  nextAttemptAt: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  platformId: string | null;
  /** `local-<clientId>`: the id of the optimistic journal entry, when there is one. */
  localEntryId: string;
  summary: string;
  createdAt: string;
  updatedAt: string;
}

export type NewOutboxRow = Pick<OutboxRow, 'clientId' | 'kind' | 'patientId' | 'payload' | 'nextAttemptAt' | 'localEntryId' | 'summary' | 'createdAt'>;

const COLUMNS = `seq, client_id AS clientId, kind, patient_id AS patientId, payload, status, attempts,
  next_attempt_at AS nextAttemptAt, last_error_code AS lastErrorCode, last_error_message AS lastErrorMessage,
  platform_id AS platformId, local_entry_id AS localEntryId, summary, created_at AS createdAt, updated_at AS updatedAt`;

/**
 * Table `outbox` (migration 004), on a connection of its own opened with `synchronous = FULL`
 * (LocalStore.openOutboxRepository): in WAL mode every commit is fsynced, so an accepted post
 * survives a power cut, not only a process crash — the store's connection keeps NORMAL for the
 * sync's bulk upserts. The optimistic journal entry and its replacement by the platform's version
 * are written here too, through this connection's JournalRepository, in the outbox transaction.
 */
export class OutboxRepository {
  private readonly stmts;
  private readonly journal: JournalRepository;

  constructor(private readonly db: Database) {
    db.pragma('journal_mode = WAL');
    // Every commit of this connection is fsynced (WAL + FULL). See docs/outbox.md.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    this.journal = new JournalRepository(db);
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO outbox (client_id, kind, patient_id, payload, status, attempts, next_attempt_at, local_entry_id, summary, created_at, updated_at)
         VALUES (@clientId, @kind, @patientId, @payload, 'queued', 0, @nextAttemptAt, @localEntryId, @summary, @createdAt, @createdAt)`,
      ),
      byId: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE client_id = ?`),
      head: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE status IN ('queued', 'sending') ORDER BY seq LIMIT 1`),
      unfinished: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE status != 'sent' ORDER BY seq`),
      recentSent: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE status = 'sent' ORDER BY seq DESC LIMIT ?`),
      counts: db.prepare(`SELECT status, count(*) AS n FROM outbox GROUP BY status`),
      markSending: db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE seq = ?`),
      markSent: db.prepare(
        `UPDATE outbox SET status = 'sent', platform_id = ?, payload = ?, last_error_code = NULL, last_error_message = NULL, updated_at = ? WHERE seq = ?`,
      ),
      markRetry: db.prepare(
        `UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error_code = ?, last_error_message = ?, updated_at = ? WHERE seq = ?`,
      ),
      markFailed: db.prepare(
        `UPDATE outbox SET status = 'failed-permanent', last_error_code = ?, last_error_message = ?, updated_at = ? WHERE seq = ?`,
      ),
      retryNow: db.prepare(`UPDATE outbox SET next_attempt_at = ? WHERE status = 'queued' AND next_attempt_at > ?`),
      requeue: db.prepare(
        `UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error_code = NULL, last_error_message = NULL, updated_at = ? WHERE client_id = ? AND status = 'failed-permanent'`,
      ),
      discard: db.prepare(`DELETE FROM outbox WHERE client_id = ? AND status = 'failed-permanent'`),
      platformIdOfLocal: db.prepare(`SELECT platform_id FROM outbox WHERE local_entry_id = ? AND status = 'sent'`).pluck(),
    };
  }

  /** One fsynced transaction: the row and, when given, the optimistic (pending) journal entry. */
  insert(row: NewOutboxRow, optimistic: JournalEntry | null): void {
    this.db.transaction(() => {
      this.stmts.insert.run(row);
      if (optimistic) this.journal.upsert(optimistic);
    })();
  }

  /**
   * « Modifier » then send: the refused row (and its pending entry) gives way to the new one in
   * one fsynced transaction, so the platform never gets both and a crash leaves one or the other.
   * False, and nothing written, when the old row is no longer refused (sent again meanwhile).
   */
  insertReplacing(row: NewOutboxRow, optimistic: JournalEntry | null, replaced: Pick<OutboxRow, 'clientId' | 'localEntryId'>): boolean {
    return this.db.transaction(() => {
      if (this.stmts.discard.run(replaced.clientId).changes === 0) return false;
      this.journal.delete(replaced.localEntryId);
      this.stmts.insert.run(row);
      if (optimistic) this.journal.upsert(optimistic);
      return true;
    })();
  }

  byId(clientId: string): OutboxRow | null {
    return (this.stmts.byId.get(clientId) as OutboxRow | undefined) ?? null;
  }

  /** The worker's question: the oldest row not finished yet (queued, or sending when a crash interrupted it). */
  head(): OutboxRow | null {
    return (this.stmts.head.get() as OutboxRow | undefined) ?? null;
  }

  unfinished(): OutboxRow[] {
    return this.stmts.unfinished.all() as OutboxRow[];
  }

  recentSent(limit: number): OutboxRow[] {
    return this.stmts.recentSent.all(limit) as OutboxRow[];
  }

  counts(): Record<OutboxStatus, number> {
    const out: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, 'failed-permanent': 0 };
    for (const r of this.stmts.counts.all() as { status: OutboxStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }

  /** Written (fsynced) before the request leaves, with attempts + 1. */
  markSending(seq: number, at: string): void {
    this.stmts.markSending.run(at, seq);
  }

  /**
   * The one `sent` transaction: platform id recorded, payload replaced by its light form, the
   * optimistic entry deleted and, when the write shows in the journal, the platform's version stored.
   */
  markSent(row: Pick<OutboxRow, 'seq' | 'localEntryId'>, sent: { platformId: string; payload: string; entry?: JournalEntry }, at: string): void {
    this.db.transaction(() => {
      this.stmts.markSent.run(sent.platformId, sent.payload, at, row.seq);
      this.journal.delete(row.localEntryId);
      if (sent.entry) {
        const { pending: _pending, ...entry } = sent.entry;
        this.journal.upsert(entry);
      }
    })();
  }

  markRetry(seq: number, nextAttemptAt: number, error: { code: string; message: string }, at: string): void {
    this.stmts.markRetry.run(nextAttemptAt, error.code, error.message, at, seq);
  }

  markFailed(seq: number, error: { code: string; message: string }, at: string): void {
    this.stmts.markFailed.run(error.code, error.message, at, seq);
  }

  /** Queued rows waiting for their backoff may go at `now`; answers how many. */
  retryNow(now: number): number {
    return this.stmts.retryNow.run(now, now).changes;
  }

  /** A refused row goes back in line at its place (« Réessayer »); false when it is not a refused row. */
  requeue(clientId: string, nextAttemptAt: number, at: string): boolean {
    return this.stmts.requeue.run(nextAttemptAt, at, clientId).changes > 0;
  }

  /**
   * A refused row given up (« Modifier », an abandoned agenda change): deleted with its pending
   * journal entry in one transaction, so it stays given up after a restart.
   */
  discard(row: Pick<OutboxRow, 'clientId' | 'localEntryId'>): boolean {
    return this.db.transaction(() => {
      const gone = this.stmts.discard.run(row.clientId).changes > 0;
      if (gone) this.journal.delete(row.localEntryId);
      return gone;
    })();
  }

  /** The platform id of an entry posted from here (`local-<uuid>`) once its row is sent; null before. */
  platformIdOfLocalEntry(localEntryId: string): string | null {
    return (this.stmts.platformIdOfLocal.get(localEntryId) as string | null | undefined) ?? null;
  }

  close(): void {
    this.db.close();
  }
}
