import { z } from 'zod';

/** One line of the append-only access trail kept in the professional's store (audit_log). */
export const AuditRecordSchema = z.object({
  seq: z.number().int(),
  /** ISO instant. */
  at: z.string(),
  /** RPPS of the professional who acted (idNatPS for structure staff, who have none). */
  actor: z.string(),
  action: z.string(),
  patientId: z.string().nullable(),
  detail: z.string().nullable(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export const AUDIT_API = {
  /** Newest first; `since`: only records at or after this ISO instant (or day). */
  'audit.list': {
    request: z
      .object({
        limit: z.number().int().min(1).max(5000).optional(),
        since: z.string().regex(/^\d{4}-\d{2}-\d{2}/).optional(),
      })
      .strict(),
    response: z.array(AuditRecordSchema),
  },
  /** The whole trail as CSV (RFC 4180, CRLF, French headers: Date, Professionnel, Action, Patient, Détail), oldest first. */
  'audit.exportCsv': { request: z.object({}).strict(), response: z.string() },
} as const;
