import { z } from 'zod';
import { AuthorSchema } from '../domain';
import { ErrorCodeSchema } from '../errors';
import { OutboxItemSchema, PostAttachmentSchema } from '../outbox';

/**
 * What a practice secretary (and the GP) manages from the agenda column: appointments of the
 * shared agenda (FHIR Appointment, ANS « gestion d'agendas partagés ») and hospital admission
 * requests (ServiceRequest + Task). Every write goes through the outbox (kinds `appointment` and
 * `admission-request`); see docs/fhir-mapping.md « Agenda and admissions ».
 */

const Id = z.string().min(1).max(64);
/** A local instant with its offset (« 2026-12-03T09:30:00+01:00 ») or UTC: the platform must not guess the zone. */
const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'ISO instant with offset');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ISO date');
const Text = (max: number) => z.string().trim().min(1).max(max);

export const APPOINTMENT_MIN_MINUTES = 5;
export const APPOINTMENT_MAX_MINUTES = 8 * 60;
const Minutes = z.number().int().min(APPOINTMENT_MIN_MINUTES).max(APPOINTMENT_MAX_MINUTES);

/** With whom: a member of the patient's care team (PractitionerRole id), or a place / service in words. */
export const AppointmentWithSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('care-team'), memberId: Id }).strict(),
  z.object({ kind: z.literal('place'), text: Text(200) }).strict(),
]);
export type AppointmentWith = z.infer<typeof AppointmentWithSchema>;

export const AppointmentBookRequestSchema = z
  .object({ patientId: Id, start: Instant, durationMinutes: Minutes, with: AppointmentWithSchema, motive: Text(500) })
  .strict();
export type AppointmentBookRequest = z.infer<typeof AppointmentBookRequestSchema>;

/** `version`: the Appointment version the professional saw (If-Match): a change made meanwhile is a CONFLICT. */
export const AppointmentRescheduleRequestSchema = z
  .object({ patientId: Id, appointmentId: Id, version: z.string().min(1).max(64), start: Instant, durationMinutes: Minutes })
  .strict();
export type AppointmentRescheduleRequest = z.infer<typeof AppointmentRescheduleRequestSchema>;

export const AppointmentCancelRequestSchema = z
  .object({ patientId: Id, appointmentId: Id, version: z.string().min(1).max(64), reason: Text(500) })
  .strict();
export type AppointmentCancelRequest = z.infer<typeof AppointmentCancelRequestSchema>;

/**
 * A change of this window not yet on the platform (pending) or refused by it (failed: e.g. the
 * appointment changed meanwhile), laid over the agenda; `requested` keeps what was typed so it can
 * be offered again.
 */
export const AppointmentChangeSchema = z.object({
  clientId: z.string().uuid(),
  action: z.enum(['book', 'reschedule', 'cancel']),
  state: z.enum(['pending', 'failed']),
  error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable(),
  requested: z.object({
    start: z.string().optional(),
    durationMinutes: z.number().int().optional(),
    reason: z.string().optional(),
    motive: z.string().optional(),
    with: AppointmentWithSchema.optional(),
  }),
});
export type AppointmentChange = z.infer<typeof AppointmentChangeSchema>;

// ------------------------------------------------------------------ admissions

/**
 * routine: « Programmée »; urgent: « Admission directe non programmée » (ServiceRequest.priority).
 * A vital emergency is never a request here: the window says « Urgence vitale : appelez le 15 ».
 */
export const ADMISSION_PRIORITIES = ['routine', 'urgent'] as const;
export const AdmissionPrioritySchema = z.enum(ADMISSION_PRIORITIES);
export type AdmissionPriority = z.infer<typeof AdmissionPrioritySchema>;

/** The establishment: one of the platform's referential (Organization) or typed in words. */
export const AdmissionEstablishmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('organization'), organizationId: Id }).strict(),
  z.object({ kind: z.literal('free-text'), text: Text(200) }).strict(),
]);
export type AdmissionEstablishment = z.infer<typeof AdmissionEstablishmentSchema>;

export const AdmissionRequestSchema = z
  .object({
    patientId: Id,
    establishment: AdmissionEstablishmentSchema,
    /** Service (« Cardiologie », « Court séjour gériatrique »). */
    service: z.string().trim().max(200).optional(),
    priority: AdmissionPrioritySchema,
    /** Desired admission day. */
    desiredDate: Day,
    /** Motive, administrative wording a secretary can type. */
    motive: Text(1000),
    /** Clinical summary: needs journal.read-medical (posted as a medical journal entry, docs/fhir-mapping.md). */
    clinicalSummary: z.string().trim().max(20_000).optional(),
    /** The coordination team should prepare the return home (« retour à domicile »). */
    homeReturnSupport: z.boolean().optional(),
    attachments: z.array(PostAttachmentSchema).max(5).optional(),
    /** « Modifier » on a refused one: the outbox item this one replaces (discarded atomically). */
    replaces: z.string().uuid().optional(),
  })
  .strict();
export type AdmissionRequest = z.infer<typeof AdmissionRequestSchema>;

/** Followed through the Task (requested → accepted → completed, or rejected / cancelled). */
export const ADMISSION_STATUSES = ['requested', 'accepted', 'in-progress', 'completed', 'rejected', 'cancelled'] as const;
export const AdmissionStatusSchema = z.enum(ADMISSION_STATUSES);
export type AdmissionStatus = z.infer<typeof AdmissionStatusSchema>;

export const AdmissionSchema = z.object({
  /** ServiceRequest id, or the outbox client id while it is not on the platform yet. */
  id: z.string().min(1),
  patientId: z.string(),
  establishment: z.string(),
  service: z.string().nullable(),
  priority: AdmissionPrioritySchema,
  desiredDate: z.string().nullable(),
  motive: z.string(),
  homeReturnSupport: z.boolean(),
  /** A clinical summary was attached (its text is a medical journal entry, not repeated here). */
  hasClinicalSummary: z.boolean(),
  /** Documents joined to the request (titles; the files are in the journal entry that announced it). */
  attachments: z.array(z.object({ title: z.string() })),
  status: AdmissionStatusSchema,
  /** The establishment's own words on where it stands (Task.businessStatus / statusReason), when it says. */
  statusDetail: z.string().nullable().default(null),
  /** When the status last changed (Task.lastModified). */
  statusAt: z.string().nullable().default(null),
  /** Cancellation, reminders and the establishment's notes (Task.note), oldest first. */
  history: z.array(z.object({ at: z.string().nullable(), by: z.string().nullable(), text: z.string() })).default([]),
  /** A cancellation or a reminder from this window still in the outbox. */
  pendingChange: z.enum(['cancel', 'remind']).nullable().default(null),
  requester: AuthorSchema.nullable(),
  authoredOn: z.string().nullable(),
  /** Not on the platform yet (pending) or refused by it (failed), with the outbox's error. */
  local: z.object({ state: z.enum(['pending', 'failed']), error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable() }).nullable(),
});
export type Admission = z.infer<typeof AdmissionSchema>;

/** Cancelling or chasing an admission request already on the platform (its ServiceRequest id). */
export const AdmissionChangeRequestSchema = z.object({ patientId: Id, admissionId: Id, reason: Text(500) }).strict();
export type AdmissionChangeRequest = z.infer<typeof AdmissionChangeRequestSchema>;

export const EstablishmentSchema = z.object({ id: z.string(), name: z.string(), city: z.string().nullable() });
export type Establishment = z.infer<typeof EstablishmentSchema>;

export const AdmissionListSchema = z.object({
  patientId: z.string(),
  admissions: z.array(AdmissionSchema),
  /** platform: fresh; store: the last answer of this session, the platform being unreachable. */
  source: z.enum(['platform', 'store']),
});
export type AdmissionList = z.infer<typeof AdmissionListSchema>;

export const AGENDA_API = {
  /** Books an appointment (outbox kind appointment; shown pending in the agenda until the platform has it). */
  'appointment.book': { request: AppointmentBookRequestSchema, response: OutboxItemSchema },
  /** Moves an appointment (If-Match on `version`: a change made meanwhile fails with CONFLICT, what was typed is kept). */
  'appointment.reschedule': { request: AppointmentRescheduleRequestSchema, response: OutboxItemSchema },
  /** Cancels an appointment with a reason (Appointment.status cancelled, cancelationReason). */
  'appointment.cancel': { request: AppointmentCancelRequestSchema, response: OutboxItemSchema },
  /** Forgets a failed change (« Abandonner ») so the agenda no longer offers it. */
  'appointment.dismissChange': { request: z.object({ patientId: Id, clientId: z.string().uuid() }).strict(), response: z.object({ dismissed: z.boolean() }) },
  /** Sends a hospital admission request (ServiceRequest + Task + a journal entry « Demande d'admission envoyée »). */
  'admission.request': { request: AdmissionRequestSchema, response: OutboxItemSchema },
  /** « Annuler » with a reason: ServiceRequest revoked, Task cancelled (statusReason + note), a journal entry (outbox kind admission-update). */
  'admission.cancel': { request: AdmissionChangeRequestSchema, response: OutboxItemSchema },
  /** « Relancer » with a reason: a note on the Task for the establishment, a journal entry (outbox kind admission-update). */
  'admission.remind': { request: AdmissionChangeRequestSchema, response: OutboxItemSchema },
  /** The patient's admission requests and where each stands, the ones still in the outbox first. */
  'admission.list': { request: z.object({ patientId: Id }).strict(), response: AdmissionListSchema },
  /** Health establishments of the platform's referential (Organization), for the request form. */
  'admission.establishments': { request: z.object({}).strict(), response: z.array(EstablishmentSchema) },
} as const;
