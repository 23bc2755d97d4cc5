import type { Database, Statement } from 'better-sqlite3';
import { RelaisError, type JournalEntry, type JournalFacets, type JournalFilter } from '../../../contract';
import { buildJournalWhere, NOT_MEDICAL } from '../journal-query';
import type { EntryFlagsRepository } from './flags';

export interface StoredPage {
  entries: JournalEntry[];
  nextCursor: string | null;
  total: number;
}

export interface UpsertOptions {
  /** New entries by anyone else become unread for this professional (not on a first sync). */
  markUnreadExcept?: string;
}

/** Characters of the answered entry a reply quotes. */
const QUOTE_CHARS = 140;
/** The keyset cursor that continues after this entry (newest-first order). */
export function cursorAfterEntry(entry: Pick<JournalEntry, 'date' | 'id'>): string {
  return encodeCursor(entry.date, entry.id);
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
 * Table `journal_entries` (migrations 001, 006, 007; its FTS index is kept by triggers): the
 * only place that writes it. The entry is stored as validated JSON beside the columns used for
 * lookup and paging; the per-professional flags (unread, pinned) are not part of it
 * (EntryFlagsRepository), the page joins them back. One instance per connection: the store's,
 * and the outbox's fsynced one (the optimistic entry and its platform version).
 */
export class JournalRepository {
  private readonly stmts;
  private readonly prepared = new Map<string, Statement>();

  /**
   * For a role without journal.read-medical (a secretary): medical entries are neither stored
   * nor read back (page, facets, counts), whatever the platform sent.
   */
  hideMedical = false;

  constructor(
    private readonly db: Database,
    private readonly flags?: EntryFlagsRepository,
  ) {
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO journal_entries (id, patient_id, date, kind, version, json) VALUES (@id, @patientId, @date, @kind, @version, @json)
         ON CONFLICT(id) DO UPDATE SET patient_id = excluded.patient_id, date = excluded.date, kind = excluded.kind,
           version = excluded.version, json = excluded.json
         WHERE journal_entries.version IS NOT excluded.version`,
      ),
      exists: db.prepare(`SELECT 1 FROM journal_entries WHERE id = ?`).pluck(),
      existsIn: db.prepare(`SELECT 1 FROM journal_entries WHERE id = ? AND patient_id = ?`).pluck(),
      delete: db.prepare(`DELETE FROM journal_entries WHERE id = ?`),
      forget: db.prepare(`DELETE FROM journal_entries WHERE patient_id = ?`),
      count: db.prepare(`SELECT count(*) FROM journal_entries WHERE patient_id = ?`).pluck(),
    };
  }

  /**
   * Statements built at run time (filters vary the WHERE clause) are prepared once per distinct
   * SQL text: journal.page runs on every launch and every scroll page.
   */
  private statement(sql: string): Statement {
    let stmt = this.prepared.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * THE upsert of a journal entry (sync, optimistic entry, platform version of a sent one): an
   * unchanged version is not rewritten. The flags are not stored in the JSON. Answers rows changed.
   */
  upsert(entry: JournalEntry): number {
    const { unread: _u, pinned: _p, replyQuote: _q, ...stored } = entry;
    return this.stmts.upsert.run({
      id: entry.id,
      patientId: entry.patientId,
      date: entry.date,
      kind: entry.kind,
      version: entry.version,
      json: JSON.stringify(stored),
    }).changes;
  }

  /** Inserts or updates entries in one transaction; unchanged versions are not rewritten. */
  upsertMany(entries: readonly JournalEntry[], options: UpsertOptions = {}): number {
    let changed = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        if (this.hideMedical && e.confidentiality === 'medical') continue;
        if (options.markUnreadExcept !== undefined && e.author.id !== options.markUnreadExcept && !this.has(e.id)) {
          this.flags?.markUnread(e.id, e.patientId);
        }
        changed += this.upsert(e);
      }
    })();
    return changed;
  }

  /**
   * The entry that lists this attachment URL (absolute, as mapped), or null: the window may open
   * an attachment only through an entry it may see (issue 11, item 2). Hidden (medical) entries
   * are not read back for a role that may not see them.
   */
  entryListingAttachment(url: string): JournalEntry | null {
    const row = this.statement(
      `SELECT e.json FROM journal_entries e WHERE EXISTS (SELECT 1 FROM json_each(e.json, '$.attachments') a WHERE json_extract(a.value, '$.url') = ?)${this.hideMedical ? ` AND ${NOT_MEDICAL('e')}` : ''} LIMIT 1`,
    ).get(url) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as JournalEntry) : null;
  }

  has(entryId: string): boolean {
    return this.stmts.exists.get(entryId) !== undefined;
  }

  /** Whether the entry is in this patient's journal (a reply must answer an entry of the same journal). */
  hasInJournal(patientId: string, entryId: string): boolean {
    return this.stmts.existsIn.get(entryId, patientId) !== undefined;
  }

  delete(entryId: string): void {
    this.stmts.delete.run(entryId);
  }

  /** Drops a patient's entries (the caller drops its flags and sync state in the same transaction). */
  forgetPatient(patientId: string): void {
    this.stmts.forget.run(patientId);
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
    this.quoteParents(entries);
    const last = entries.at(-1);
    const total = filter || this.hideMedical
      ? (this.statement(
          `SELECT count(*) FROM journal_entries e LEFT JOIN entry_flags f ON f.entry_id = e.id WHERE ${where}`,
        )
          .pluck()
          .get(...params) as number)
      : this.count(patientId);
    return { entries, nextCursor: rows.length > limit && last ? encodeCursor(last.date, last.id) : null, total };
  }

  /**
   * Adds to each reply the author and first words of the entry it answers (one query per page);
   * an entry this role may not see (medical, for a secretary) is not quoted.
   */
  private quoteParents(entries: JournalEntry[]): void {
    const ids = [...new Set(entries.map((e) => e.replyTo).filter((id): id is string => !!id))];
    if (ids.length === 0) return;
    const rows = this.statement(
      `SELECT e.id AS id, json_extract(e.json, '$.author.name') AS author, substr(json_extract(e.json, '$.text'), 1, ${QUOTE_CHARS + 1}) AS text
         FROM journal_entries e WHERE e.id IN (SELECT value FROM json_each(?))${this.hideMedical ? ` AND ${NOT_MEDICAL('e')}` : ''}`,
    ).all(JSON.stringify(ids)) as { id: string; author: string | null; text: string | null }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const e of entries) {
      const parent = e.replyTo ? byId.get(e.replyTo) : undefined;
      if (!parent) continue;
      const text = (parent.text ?? '').replace(/\s+/g, ' ').trim();
      e.replyQuote = { author: parent.author ?? '', text: text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1).trimEnd()}…` : text };
    }
  }

  /**
   * Unread entries of every patient of this store, newest first (at most `limit`), and how many
   * each patient has: « À traiter » and the patient list's badges. Hidden (medical) entries are not counted.
   */
  unreadAcrossPatients(limit: number): { entries: JournalEntry[]; counts: Record<string, number> } {
    const visible = this.hideMedical ? ` AND ${NOT_MEDICAL('e')}` : '';
    const counts: Record<string, number> = {};
    const countRows = this.statement(
      `SELECT e.patient_id AS patientId, count(*) AS n FROM entry_flags f JOIN journal_entries e ON e.id = f.entry_id
         WHERE f.unread = 1${visible} GROUP BY e.patient_id`,
    ).all() as { patientId: string; n: number }[];
    for (const r of countRows) counts[r.patientId] = r.n;
    const rows = this.statement(
      `SELECT e.json AS json FROM entry_flags f JOIN journal_entries e ON e.id = f.entry_id
         WHERE f.unread = 1${visible} ORDER BY e.date DESC, e.id DESC LIMIT ?`,
    ).all(limit) as { json: string }[];
    const entries = rows.map((r) => ({ ...(JSON.parse(r.json) as JournalEntry), unread: true }));
    this.quoteParents(entries);
    return { entries, counts };
  }

  /** One entry as stored (with the professional's flags), or null; hidden (medical) entries stay hidden. */
  get(entryId: string): JournalEntry | null {
    const row = this.statement(
      `SELECT e.json AS json, f.unread AS unread FROM journal_entries e LEFT JOIN entry_flags f ON f.entry_id = e.id WHERE e.id = ?${this.hideMedical ? ` AND ${NOT_MEDICAL('e')}` : ''}`,
    ).get(entryId) as { json: string; unread: number | null } | undefined;
    if (!row) return null;
    const e = JSON.parse(row.json) as JournalEntry;
    if (row.unread) e.unread = true;
    return e;
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

  count(patientId: string): number {
    if (this.hideMedical) {
      return this.statement(`SELECT count(*) FROM journal_entries e WHERE e.patient_id = ? AND ${NOT_MEDICAL('e')}`).pluck().get(patientId) as number;
    }
    return this.stmts.count.get(patientId) as number;
  }
}
