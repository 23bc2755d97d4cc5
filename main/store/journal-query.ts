import { RelaisError, type JournalFilter } from '../../contract';

export interface BuiltQuery {
  where: string;
  params: unknown[];
}

/**
 * Turns what the professional typed into an FTS5 query: each word a quoted prefix term, so
 * « pans » finds « pansement » and no FTS syntax (quotes, NEAR, column filters) leaks through.
 */
export function ftsQuery(input: string): string | null {
  const words = input
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ');
}

/** SQL condition: the entry is not marked medical (migration 007; no value = normal). */
export const NOT_MEDICAL = (alias: string): string => `${alias}.confidentiality IS NOT 'medical'`;

/** The WHERE clause (on journal_entries e LEFT JOIN entry_flags f) of one patient's filtered journal. */
export function buildJournalWhere(patientId: string, filter: JournalFilter | undefined, hideMedical = false): BuiltQuery {
  const clauses = ['e.patient_id = ?'];
  const params: unknown[] = [patientId];
  if (hideMedical) clauses.push(NOT_MEDICAL('e'));
  if (!filter) return { where: clauses.join(' AND '), params };
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('e.kind', filter.kinds);
  inList('e.author_id', filter.authorIds);
  inList('e.role_label', filter.roleLabels);
  if (filter.from) {
    clauses.push('e.date >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    // A bare day includes the whole day.
    clauses.push('e.date < ?');
    params.push(/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? `${filter.to}T99` : filter.to);
  }
  if (filter.pinnedOnly) clauses.push('f.pinned = 1');
  if (filter.unreadOnly) clauses.push('f.unread = 1');
  if (filter.query !== undefined && filter.query.trim() !== '') {
    const q = ftsQuery(filter.query);
    if (!q) throw new RelaisError('INVALID_INPUT', 'search has no word', 'query');
    clauses.push('e.rowid IN (SELECT rowid FROM journal_fts WHERE journal_fts MATCH ?)');
    params.push(q);
  }
  return { where: clauses.join(' AND '), params };
}
