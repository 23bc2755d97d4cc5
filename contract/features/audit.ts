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
  /** SHA-256 link of the integrity chain: hash of the previous row's hash + this row (main/audit/audit-chain.ts). */
  hash: z.string().nullable().optional(),
  /** « DUPONT Marie » when the patient is known to this store (audit.list only). */
  patientName: z.string().nullable().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

const AuditDay = z.string().regex(/^\d{4}-\d{2}-\d{2}/);

/** Which rows: one patient, a period (a bare day as `until` includes that whole day). */
export const AuditFilterSchema = z
  .object({
    patientId: z.string().min(1).max(64).optional(),
    since: AuditDay.optional(),
    until: AuditDay.optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** Result of walking the chain: ok, or the first row (1-based line, oldest first) whose hash does not match. */
export const AuditVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), checked: z.number().int() }),
  z.object({ ok: z.literal(false), checked: z.number().int(), line: z.number().int(), seq: z.number().int() }),
]);
export type AuditVerdict = z.infer<typeof AuditVerdictSchema>;

export const AUDIT_API = {
  /** Newest first; `since`: only records at or after this ISO instant (or day). */
  'audit.list': {
    request: z
      .object({
        limit: z.number().int().min(1).max(5000).optional(),
        since: AuditDay.optional(),
        until: AuditDay.optional(),
        patientId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    response: z.array(AuditRecordSchema),
  },
  /**
   * The trail as CSV (RFC 4180, CRLF, French headers: Date, Professionnel, Action, Patient, Détail,
   * Empreinte), oldest first; the whole trail, or the rows of the filter.
   */
  'audit.exportCsv': { request: AuditFilterSchema, response: z.string() },
  /** Walks the integrity chain of the whole trail. */
  'audit.verify': { request: z.object({}).strict(), response: AuditVerdictSchema },
} as const;
