import type { Database, Statement } from 'better-sqlite3';
import { RelaisError, type AuditFilter, type AuditRecord } from '../../../contract';
import { GENESIS_HASH, headIsAuthentic, headMac, linkFor, verifyAuditChain, type AuditHead, type ChainedContent, type ChainVerdict } from '../../audit/audit-chain';

/** A row of the trail as stored, with its chain hash (migration 009). */
export interface AuditRow extends ChainedContent {
  /** Chain link: SHA-256 (migration 009) before the head's keyedFrom, HMAC-SHA-256 from it on (010). */
  hash: string | null;
}

/** The professional's audit key (main/profiles); none in a plain store (demo, machine policy). */
export interface AuditKeyOptions {
  key?: Buffer | null;
  /**
   * True only when the key was just created for this profile: the head, still unkeyed, is then
   * signed and the rows from the next one on are keyed. An existing key never adopts an unsigned
   * head (someone could have stripped the signature to rewrite the trail).
   */
  adopt?: boolean;
}

const DEFAULT_LIMIT = 500;
const COLUMNS = `a.seq, a.at, a.actor, a.action, a.patient_id AS patientId, a.detail, a.hash`;

function instant(value: string, field: 'since' | 'until'): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new RelaisError('INVALID_INPUT', `not a date: ${field}`, field);
  return d;
}

/** SQL conditions of a filter; `until` as a bare day includes that whole day. */
function whereOf(filter: AuditFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.since !== undefined) {
    clauses.push('a.at >= ?');
    params.push(instant(filter.since, 'since').toISOString());
  }
  if (filter.until !== undefined) {
    const bareDay = /^\d{4}-\d{2}-\d{2}$/.test(filter.until);
    const until = instant(filter.until, 'until');
    if (bareDay) until.setUTCDate(until.getUTCDate() + 1);
    clauses.push(bareDay ? 'a.at < ?' : 'a.at <= ?');
    params.push(until.toISOString());
  }
  if (filter.patientId !== undefined) {
    clauses.push('a.patient_id = ?');
    params.push(filter.patientId);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * Table `audit_log` (migrations 002 and 009): append-only (triggers refuse UPDATE and DELETE) and
 * chained (main/audit/audit-chain.ts; a trigger refuses a row without its hash), with its signed
 * head in `audit_head` (migration 010).
 */
export class AuditLogRepository {
  private readonly stmts;
  private readonly byFilter = new Map<string, Statement>();
  private readonly key: Buffer | null;

  constructor(
    private readonly db: Database,
    options: AuditKeyOptions = {},
  ) {
    this.key = options.key ?? null;
    this.stmts = {
      insert: db.prepare(`INSERT INTO audit_log (seq, at, actor, action, patient_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      last: db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
      head: db.prepare(`SELECT seq, hash, keyed_from AS keyedFrom, mac FROM audit_head WHERE id = 1`),
      setHead: db.prepare(
        `INSERT INTO audit_head (id, seq, hash, keyed_from, mac) VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, keyed_from = excluded.keyed_from, mac = excluded.mac`,
      ),
      all: db.prepare(`SELECT ${COLUMNS} FROM audit_log a ORDER BY a.seq`),
    };
    if (this.key && options.adopt) this.adoptKey();
  }

  /** First seq whose link is keyed (null: none yet, a plain store). */
  keyedFrom(): number | null {
    return this.readHead()?.keyedFrom ?? null;
  }

  /**
   * Appends one row chained to the head. The head is read and the row and the new head written in
   * one immediate transaction, so two writers cannot fork the chain. The head, not the last row,
   * is what the next row links to: rows cut off the end stay missing for every later row too. A
   * head that is not authentic is never re-signed (that would launder the tampering): the new
   * head carries an empty MAC and the trail keeps failing verification.
   */
  append(actor: string, action: string, patientId: string | null, detail: string | null = null): void {
    this.db
      .transaction(() => {
        const head = this.readHead();
        const last = this.stmts.last.get() as { seq: number; hash: string | null } | undefined;
        const authentic = head !== null && headIsAuthentic(this.key, head);
        const keyedFrom = head?.keyedFrom ?? null;
        const previous = head?.hash ?? last?.hash ?? GENESIS_HASH;
        const seq = Math.max(head?.seq ?? 0, last?.seq ?? 0) + 1;
        const row = { seq, at: new Date().toISOString(), actor, action, patientId, detail };
        if (keyedFrom !== null && !this.key) throw new RelaisError('STORAGE_ERROR', 'the audit trail is keyed and its key is missing');
        const hash = linkFor(this.key, keyedFrom, previous, row);
        this.stmts.insert.run(row.seq, row.at, actor, action, patientId, detail, hash);
        const next = { seq, hash, keyedFrom };
        this.stmts.setHead.run(seq, hash, keyedFrom, authentic ? headMac(keyedFrom === null ? null : this.key, next) : '');
      })
      .immediate();
  }

  /** Signs the unkeyed head with a key just created for this profile: rows from the next seq on are keyed. */
  private adoptKey(): void {
    this.db
      .transaction(() => {
        const head = this.readHead();
        if (!head || head.keyedFrom !== null || !headIsAuthentic(null, head)) return;
        const next = { seq: head.seq, hash: head.hash, keyedFrom: head.seq + 1 };
        this.stmts.setHead.run(next.seq, next.hash, next.keyedFrom, headMac(this.key, next));
      })
      .immediate();
  }

  private readHead(): AuditHead | null {
    return (this.stmts.head.get() as AuditHead | undefined) ?? null;
  }

  /** The whole trail, oldest first, with each row's chain hash. */
  all(): AuditRow[] {
    return this.stmts.all.all() as AuditRow[];
  }

  /** Walks the chain without loading the trail into memory, against the signed head and the key. */
  verify(): ChainVerdict {
    // The head first, and the rows iterated only when walked: while a statement iterates, the
    // connection runs no other one, and an iterator never started is never closed.
    const head = this.readHead();
    const rows: Iterable<AuditRow> = { [Symbol.iterator]: () => this.stmts.all.iterate() as IterableIterator<AuditRow> };
    return verifyAuditChain(rows, { key: this.key, head });
  }

  private statement(sql: string): Statement {
    let stmt = this.byFilter.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.byFilter.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Newest first, at most `limit`, filtered by patient and period; each row with the patient's name
   * when this store knows the patient (« DUPONT Marie »), so the screen needs no second lookup.
   */
  list(options: AuditFilter & { limit?: number } = {}): AuditRecord[] {
    const { where, params } = whereOf(options);
    const rows = this.statement(
      `SELECT ${COLUMNS}, json_extract(p.json, '$.birthName') AS birthName, json_extract(p.json, '$.firstNames[0]') AS firstName
         FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id ${where} ORDER BY a.seq DESC LIMIT ?`,
    ).all(...params, options.limit ?? DEFAULT_LIMIT) as (AuditRecord & { birthName: string | null; firstName: string | null })[];
    return rows.map(({ birthName, firstName, ...r }) => ({
      ...r,
      patientName: birthName ? [birthName, firstName].filter(Boolean).join(' ') : null,
    }));
  }

  /** Oldest first, every row of the filter (the CSV export). */
  forExport(filter: AuditFilter = {}): AuditRecord[] {
    const { where, params } = whereOf(filter);
    return this.statement(`SELECT ${COLUMNS} FROM audit_log a ${where} ORDER BY a.seq`).all(...params) as AuditRecord[];
  }
}
