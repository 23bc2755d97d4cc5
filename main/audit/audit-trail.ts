import type { AuditRecord, Professional } from '../../contract';
import type { LocalStore } from '../store/store';

/** French column headers of the exported trail. */
export const AUDIT_CSV_HEADERS = ['Date', 'Professionnel', 'Action', 'Patient', 'Détail'] as const;

const DEFAULT_LIMIT = 500;

/** Who acted, as the trail records it: the RPPS of a health professional, the idNatPS of structure staff (no RPPS). */
export function auditActor(professional: Professional): string {
  return professional.rpps ?? professional.idNatPs;
}

/** Newest first, at most `limit`; `since` (ISO instant or day) keeps records at or after it. */
export function listAudit(store: LocalStore, options: { limit?: number; since?: string } = {}): AuditRecord[] {
  const params: unknown[] = [];
  let where = '';
  if (options.since !== undefined) {
    where = 'WHERE at >= ?';
    params.push(new Date(options.since).toISOString());
  }
  return store.sqlite
    .prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail FROM audit_log ${where} ORDER BY seq DESC LIMIT ?`)
    .all(...params, options.limit ?? DEFAULT_LIMIT) as AuditRecord[];
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
  for (const r of records) lines.push([r.at, r.actor, r.action, r.patientId, r.detail].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
