import { z } from 'zod';
import { ConfidentialitySchema, EntryCategorySchema } from './domain';
import { ErrorCodeSchema } from './errors';

/**
 * Posting: every write to the platform goes through the durable local outbox (main/outbox,
 * docs/outbox.md). A post is accepted once it is in the outbox; the worker sends it when it can.
 */

/** queued → sending → sent, or failed-permanent (the platform refused it; it will not be retried). */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed-permanent'] as const;
export const OutboxStatusSchema = z.enum(OUTBOX_STATUSES);
export type OutboxStatus = z.infer<typeof OutboxStatusSchema>;

/**
 * What an outbox row carries. Each kind other than journal-entry has a writer registered by its
 * feature (Outbox.registerWriter): e-prescription, PPS update, appointment, admission request,
 * task status.
 */
export const OUTBOX_KINDS = ['journal-entry', 'prescription', 'pps-update', 'appointment', 'admission-request', 'task-status', 'referral', 'task-create', 'alert-handle', 'admission-update', 'support-request', 'emergency-fiche', 'checklist-tick', 'opinion-request'] as const;
export const OutboxKindSchema = z.enum(OUTBOX_KINDS);
export type OutboxKind = z.infer<typeof OutboxKindSchema>;

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Base64 length of MAX_ATTACHMENT_BYTES. */
export const MAX_ATTACHMENT_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

export const PostKindSchema = z.enum(['text', 'photo', 'document', 'voice']);
export type PostKind = z.infer<typeof PostKindSchema>;

export const PostAttachmentSchema = z
  .object({
    contentType: z
      .string()
      .max(100)
      .regex(/^[a-z0-9][\w.+-]*\/[\w.+-]+(;.*)?$/i),
    title: z.string().max(200),
    /** The file, base64 (≤ 10 MB decoded). */
    dataBase64: z
      .string()
      .min(1)
      .max(MAX_ATTACHMENT_BASE64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict();
export type PostAttachment = z.infer<typeof PostAttachmentSchema>;

const Id = z.string().min(1).max(64);

export const JournalPostRequestSchema = z
  .object({
    patientId: Id,
    kind: PostKindSchema,
    text: z.string().max(20_000),
    /** Id of the entry this one answers (FHIR relatesTo code=appends). */
    replyTo: Id.optional(),
    attachments: z.array(PostAttachmentSchema).max(5).optional(),
    /**
     * Default: administrative for a secretary (the only kind they may post), care otherwise.
     * A care entry needs journal.write; an administrative one journal.write-administrative.
     */
    category: EntryCategorySchema.optional(),
    /** Default normal. Marking an entry medical needs journal.read-medical (nobody writes what they cannot read). */
    confidentiality: ConfidentialitySchema.optional(),
    /** « Urgent » chosen when writing (cdl-ext-is-emergency). Default false. */
    urgent: z.boolean().optional(),
  })
  .strict();
export type JournalPostRequest = z.infer<typeof JournalPostRequestSchema>;

export const OutboxItemSchema = z.object({
  /** The client idempotency identifier (UUID) generated at enqueue; sent as DocumentReference.identifier. */
  id: z.string().uuid(),
  kind: OutboxKindSchema,
  patientId: z.string(),
  status: OutboxStatusSchema,
  attempts: z.number().int().nonnegative(),
  /** ISO instant of the next try while queued, else null. */
  nextAttemptAt: z.string().nullable(),
  lastError: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable(),
  /** Id of the resource on the platform once sent. */
  platformId: z.string().nullable(),
  /** Id of the optimistic entry shown in the local journal until the platform's version replaces it. */
  localEntryId: z.string(),
  /** First words of the text (or the file name), for the status list. */
  summary: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;

export const OUTBOX_API = {
  /** Enqueues a journal entry (optimistically shown at once, marked pending); answers the outbox item. */
  'journal.post': { request: JournalPostRequestSchema, response: OutboxItemSchema },
  /** Items still to send, failed, and the most recently sent; optionally for one patient. */
  'outbox.list': { request: z.object({ patientId: Id.optional() }).strict(), response: z.array(OutboxItemSchema) },
  /** « Réessayer »: a refused item (failed-permanent) is queued again at its place. */
  'outbox.retry': { request: z.object({ clientId: z.string().uuid() }).strict(), response: OutboxItemSchema },
  /**
   * Gives up a refused item (« Modifier »): removed with its pending entry. Answers the text of a
   * refused journal post so the composer can offer it again (null for other kinds).
   */
  'outbox.discard': {
    request: z.object({ clientId: z.string().uuid() }).strict(),
    response: z.object({ discarded: z.boolean(), text: z.string().nullable() }),
  },
  /**
   * « Modifier » on a refused prescription, referral or admission request: what was typed (the
   * request as the dialog sent it, without its files' bytes for referrals and admissions, which
   * come back as `attachments`), to open the dialog again; null when the item is no longer refused.
   * Sending it again with `replaces: clientId` discards the refused item in the same transaction.
   */
  'outbox.form': {
    request: z.object({ clientId: z.string().uuid() }).strict(),
    response: z.object({ kind: OutboxKindSchema, form: z.unknown() }).nullable(),
  },
  /** Acknowledges an alert entry: a reply (relatesTo appends) « Alerte prise en compte » with a marker. */
  'alert.acknowledge': { request: z.object({ patientId: Id, entryId: Id }).strict(), response: OutboxItemSchema },
} as const;
