import { z } from 'zod';
import { DraftSchema, JOURNAL_KINDS, JournalEntrySchema, JournalKindSchema } from '../domain';

/** The coordination journal of a patient: pages, filters, facets, read marks, pins, and the free-text draft. */
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

/** The newest entries a window asks for (or gets with `patient-changed`) when a journal opens. */
export const JOURNAL_FIRST_PAGE_SIZE = 100;

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

export const JOURNAL_API = {
  'journal.page': { request: JournalPageRequestSchema, response: JournalPageSchema },
  'journal.facets': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: JournalFacetsSchema },
  /** Marks every entry of the patient read for this professional. */
  'journal.markRead': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: z.object({ marked: z.number().int() }) },
  'journal.pin': {
    request: z.object({ patientId: z.string().min(1).max(64), entryId: z.string().min(1).max(64), pinned: z.boolean() }).strict(),
    response: z.object({ pinned: z.boolean() }),
  },
  'draft.get': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: DraftSchema.nullable() },
  /** Saves (or, with empty text, clears) the draft of one patient. */
  'draft.save': {
    request: z.object({ patientId: z.string().min(1).max(64), text: z.string().max(20_000) }).strict(),
    response: DraftSchema.nullable(),
  },
} as const;
