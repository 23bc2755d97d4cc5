import type { Database, Statement } from 'better-sqlite3';
import { RelaisError, type AuditFilter, type AuditRecord } from '../../../contract';
import { chainHash, GENESIS_HASH, verifyAuditChain, type ChainedContent, type ChainVerdict } from '../../audit/audit-chain';

/** A row of the trail as stored, with its chain hash (migration 009). */
export interface AuditRow extends ChainedContent {
  /** SHA-256 chain link (migration 009). */
  hash: string | null;
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
 * chained (main/audit/audit-chain.ts; a trigger refuses a row without its hash).
 */
export class AuditLogRepository {
  private readonly stmts;
  private readonly byFilter = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO audit_log (seq, at, actor, action, patient_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      head: db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
      all: db.prepare(`SELECT ${COLUMNS} FROM audit_log a ORDER BY a.seq`),
    };
  }

  /**
   * Appends one row chained to the previous one. The head is read and the row written in one
   * immediate transaction, so two writers cannot fork the chain.
   */
  append(actor: string, action: string, patientId: string | null, detail: string | null = null): void {
    this.db
      .transaction(() => {
        const head = this.stmts.head.get() as { seq: number; hash: string | null } | undefined;
        const row = { seq: (head?.seq ?? 0) + 1, at: new Date().toISOString(), actor, action, patientId, detail };
        const hash = chainHash(head?.hash ?? GENESIS_HASH, row);
        this.stmts.insert.run(row.seq, row.at, actor, action, patientId, detail, hash);
      })
      .immediate();
  }

  /** The whole trail, oldest first, with each row's chain hash. */
  all(): AuditRow[] {
    return this.stmts.all.all() as AuditRow[];
  }

  /** Walks the chain without loading the trail into memory. */
  verify(): ChainVerdict {
    return verifyAuditChain(this.stmts.all.iterate() as Iterable<AuditRow>);
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
