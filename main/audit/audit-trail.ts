import { RelaisError, type AuditFilter, type AuditRecord, type Professional } from '../../contract';
import type { LocalStore } from '../store/store';

/** French column headers of the exported trail; « Empreinte » is the row's chain hash (audit-chain.ts). */
export const AUDIT_CSV_HEADERS = ['Date', 'Professionnel', 'Action', 'Patient', 'Détail', 'Empreinte'] as const;

const DEFAULT_LIMIT = 500;

/** Who acted, as the trail records it: the RPPS of a health professional, the idNatPS of structure staff (no RPPS). */
export function auditActor(professional: Professional): string {
  return professional.rpps ?? professional.idNatPs;
}

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
 * Newest first, at most `limit`, filtered by patient and period; each row with the patient's name
 * when this store knows the patient (« DUPONT Marie »), so the screen needs no second lookup.
 */
export function listAudit(store: LocalStore, options: AuditFilter & { limit?: number } = {}): AuditRecord[] {
  const { where, params } = whereOf(options);
  const rows = store.sqlite
    .prepare(
      `SELECT a.seq, a.at, a.actor, a.action, a.patient_id AS patientId, a.detail, a.hash,
              json_extract(p.json, '$.birthName') AS birthName, json_extract(p.json, '$.firstNames[0]') AS firstName
         FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id ${where} ORDER BY a.seq DESC LIMIT ?`,
    )
    .all(...params, options.limit ?? DEFAULT_LIMIT) as (AuditRecord & { birthName: string | null; firstName: string | null })[];
  return rows.map(({ birthName, firstName, ...r }) => ({
    ...r,
    patientName: birthName ? [birthName, firstName].filter(Boolean).join(' ') : null,
  }));
}

/** Oldest first, every row of the filter (the export). */
export function auditRowsForExport(store: LocalStore, filter: AuditFilter = {}): AuditRecord[] {
  const { where, params } = whereOf(filter);
  return store.sqlite
    .prepare(`SELECT a.seq, a.at, a.actor, a.action, a.patient_id AS patientId, a.detail, a.hash FROM audit_log a ${where} ORDER BY a.seq`)
    .all(...params) as AuditRecord[];
}

/**
 * RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled). A leading
 * = + - @ (or tab / CR) gets a ' in front so a spreadsheet shows it rather than run it as a formula.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole trail, oldest first, as CSV text (CRLF line ends, header line first). */
export function auditToCsv(records: readonly AuditRecord[]): string {
  const lines = [AUDIT_CSV_HEADERS.join(',')];
  for (const r of records) lines.push([r.at, r.actor, r.action, r.patientId, r.detail, r.hash ?? null].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
