import type { AuditFilter, AuditRecord, Professional } from '../../contract';
import type { LocalStore } from '../store/store';

/** French column headers of the exported trail; « Empreinte » is the row's chain hash (audit-chain.ts). */
export const AUDIT_CSV_HEADERS = ['Date', 'Professionnel', 'Action', 'Patient', 'Détail', 'Empreinte'] as const;

/** Who acted, as the trail records it: the RPPS of a health professional, the idNatPS of structure staff (no RPPS). */
export function auditActor(professional: Professional): string {
  return professional.rpps ?? professional.idNatPs;
}

/**
 * Newest first, at most `limit`, filtered by patient and period; each row with the patient's name
 * when this store knows the patient (« DUPONT Marie »), so the screen needs no second lookup.
 */
export function listAudit(store: LocalStore, options: AuditFilter & { limit?: number } = {}): AuditRecord[] {
  return store.auditLog.list(options);
}

/** Oldest first, every row of the filter (the export). */
export function auditRowsForExport(store: LocalStore, filter: AuditFilter = {}): AuditRecord[] {
  return store.auditLog.forExport(filter);
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
