import { z } from 'zod';
import { DraftSchema, JOURNAL_KINDS, JournalEntrySchema, JournalKindSchema, PatientSchema, ProfessionalSchema } from './domain';
import { LaunchContextSchema } from './launch';
import { PANELS_API } from './features/panels';
import { OUTBOX_API } from './outbox';
import { AUDIT_API } from './features/audit';
import { PPS_API } from './features/pps';
import { AGENDA_API } from './features/agenda';
import { REFERRAL_API } from './features/referral';
import { PRESCRIPTION_API } from './features/prescription';
import { AUTH_API, type AuthMethod } from './auth';
import { PermissionSchema, RoleSchema } from './roles';

export const SessionSchema = z.object({
  professional: ProfessionalSchema,
  /** True when signed in with the built-in demo identity rather than a card. */
  demo: z.boolean(),
  platformUrl: z.string(),
  online: z.boolean(),
  /** Relais switches to the patient the practice software shows (context file). */
  followLgc: z.boolean(),
  /** Session lock (main/session/lock.ts): patient calls are refused while locked. */
  locked: z.boolean().optional(),
  lockReason: z.enum(['card-removed', 'idle', 'manual']).nullable().optional(),
  /** The card the session was opened with (null: demo identity, no card). */
  card: z.object({ kind: z.enum(['CPS', 'CPE']), idNatPs: z.string() }).nullable().optional(),
  /** How the session was opened: a Pro Santé Connect session unlocks with a new PSC sign-in, not a PIN. */
  method: z.enum(['card', 'demo', 'psc']).nullable().optional(),
  /** Derived from profession and card type (contract/roles.ts); the UI hides what it cannot do. */
  role: RoleSchema,
  permissions: z.array(PermissionSchema),
});
export type Session = z.infer<typeof SessionSchema>;

export const JournalFilterSchema = z
  .object({
    kinds: z.array(JournalKindSchema).max(JOURNAL_KINDS.length).optional(),
    authorIds: z.array(z.string().min(1).max(64)).max(50).optional(),
    /** Profession / role as shown next to the author (« Infirmière à domicile »…). */
    roleLabels: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** Inclusive lower bound (ISO date or instant). */
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}/).optional(),
    /** Upper bound; a bare day includes that whole day. */
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}/).optional(),
    /** Full-text search over text and author name (accents ignored, words as prefixes). */
    query: z.string().max(200).optional(),
    pinnedOnly: z.boolean().optional(),
    unreadOnly: z.boolean().optional(),
  })
  .strict();
export type JournalFilter = z.infer<typeof JournalFilterSchema>;

export const JournalFacetsSchema = z.object({
  authors: z.array(z.object({ id: z.string(), name: z.string(), roleLabel: z.string(), count: z.number().int() })),
  roleLabels: z.array(z.object({ roleLabel: z.string(), count: z.number().int() })),
  kinds: z.array(z.object({ kind: JournalKindSchema, count: z.number().int() })),
  unread: z.number().int(),
  pinned: z.number().int(),
});
export type JournalFacets = z.infer<typeof JournalFacetsSchema>;

export const JournalPageRequestSchema = z.object({
  patientId: z.string().min(1).max(64),
  filter: JournalFilterSchema.optional(),
  /** Opaque cursor from a previous page; absent for the newest entries. */
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type JournalPageRequest = z.infer<typeof JournalPageRequestSchema>;

export const JournalPageSchema = z.object({
  patientId: z.string(),
  entries: z.array(JournalEntrySchema),
  nextCursor: z.string().nullable(),
  /** Where this page came from: the local store (instant) or the platform. */
  source: z.enum(['store', 'platform']),
  /** ISO instant of the last successful sync with the platform, if any. */
  syncedAt: z.string().nullable(),
  total: z.number().int().nonnegative(),
});
export type JournalPage = z.infer<typeof JournalPageSchema>;

export const OpenedPatientSchema = z.object({
  patient: PatientSchema,
  /** True when the journal was already in the local store and could paint at once. */
  cached: z.boolean(),
});
export type OpenedPatient = z.infer<typeof OpenedPatientSchema>;

/**
 * Every method of the API: its request schema and its response value schema.
 * Both hosts (Electron IPC, WebSocket) and the in-process transport dispatch from this table.
 */
export const API = {
  'session.current': { request: z.object({}).strict(), response: SessionSchema },
  /** Locks the session now (window button, tray « Verrouiller »). */
  'session.lock': { request: z.object({}).strict(), response: z.object({ locked: z.literal(true) }) },
  /**
   * Unlocks with the card PIN (and signs in to the platform again): PIN_INCORRECT (triesLeft),
   * PIN_LOCKED, CARD_REMOVED. Also answers sign-in-required. The PIN is never stored or logged.
   */
  'session.unlock': {
    request: z.object({ pin: z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits') }).strict(),
    response: z.object({ locked: z.literal(false) }),
  },
  'patient.open': { request: LaunchContextSchema, response: OpenedPatientSchema },
  'patient.list': { request: z.object({}).strict(), response: z.array(PatientSchema) },
  'journal.page': { request: JournalPageRequestSchema, response: JournalPageSchema },
  'journal.facets': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: JournalFacetsSchema },
  /** Marks every entry of the patient read for this professional. */
  'journal.markRead': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: z.object({ marked: z.number().int() }) },
  'journal.pin': {
    request: z.object({ patientId: z.string().min(1).max(64), entryId: z.string().min(1).max(64), pinned: z.boolean() }).strict(),
    response: z.object({ pinned: z.boolean() }),
  },
  /** The professional's answer to an identity-confirmation-required event. */
  'patient.confirmIdentity': {
    request: z.object({ confirmationId: z.string().min(1).max(64), confirmed: z.boolean() }).strict(),
    response: z.object({ opened: OpenedPatientSchema.nullable() }),
  },
  'settings.followLgc': {
    request: z.object({ enabled: z.boolean() }).strict(),
    response: z.object({ followLgc: z.boolean() }),
  },
  /** The professional's choice among patient-candidates (null: none of them). */
  'patient.choose': {
    request: z.object({ selectionId: z.string().min(1).max(64), patientId: z.string().min(1).max(64).nullable() }).strict(),
    response: z.object({ opened: OpenedPatientSchema.nullable() }),
  },
  'draft.get': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: DraftSchema.nullable() },
  /** Saves (or, with empty text, clears) the draft of one patient. */
  'draft.save': {
    request: z.object({ patientId: z.string().min(1).max(64), text: z.string().max(20_000) }).strict(),
    response: DraftSchema.nullable(),
  },
  ...PANELS_API,
  ...OUTBOX_API,
  ...AUDIT_API,
  ...PPS_API,
  ...AGENDA_API,
  ...REFERRAL_API,
  ...PRESCRIPTION_API,
  ...AUTH_API,
} as const;

export type ApiMethod = keyof typeof API;
export type ApiRequest<M extends ApiMethod> = z.infer<(typeof API)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<(typeof API)[M]['response']>;
export const API_METHODS = Object.keys(API) as ApiMethod[];
/** What a signed-in professional's core answers; auth.* is answered by the session host around it. */
export type CoreMethod = Exclude<ApiMethod, AuthMethod>;

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(API, value);
}
