import { z } from 'zod';
import { AuthorSchema } from '../domain';
import { ErrorCodeSchema } from '../errors';
import { OutboxItemSchema, PostAttachmentSchema } from '../outbox';

/**
 * Referral (« adressage » / « orientation »): the GP refers the patient on screen to another
 * professional or service of the territory (SSIAD, DAC, HAD, équipe mobile gériatrique, a nurse
 * of the care team, a physiotherapist…). FHIR ServiceRequest (category SNOMED 3457005 « Patient
 * referral ») + Task (owner = the recipient) + a journal entry of kind `referral`; the clinical
 * context is a separate entry labelled medical. Written through the outbox (kind `referral`);
 * see docs/fhir-mapping.md « Referrals ».
 */

const Id = z.string().min(1).max(64);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ISO date');
const Text = (max: number) => z.string().trim().min(1).max(max);

/** routine: « adressage programmé »; urgent: to be seen quickly (ServiceRequest.priority). */
export const REFERRAL_URGENCIES = ['routine', 'urgent'] as const;
export const ReferralUrgencySchema = z.enum(REFERRAL_URGENCIES);
export type ReferralUrgency = z.infer<typeof ReferralUrgencySchema>;

/**
 * To whom: a member of the patient's care team (PractitionerRole id), or a professional
 * (PractitionerRole) or a service / establishment (Organization) of the platform's referential.
 */
export const ReferralRecipientRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('care-team'), memberId: Id }).strict(),
  z.object({ kind: z.literal('practitioner'), roleId: Id }).strict(),
  z.object({ kind: z.literal('organization'), organizationId: Id }).strict(),
]);
export type ReferralRecipientRef = z.infer<typeof ReferralRecipientRefSchema>;

export const ReferralCreateRequestSchema = z
  .object({
    patientId: Id,
    recipient: ReferralRecipientRefSchema,
    /** Motif de l'adressage (shown to the whole care team, in the journal and the list). */
    reason: Text(1000),
    urgency: ReferralUrgencySchema,
    /** Clinical context: a journal entry labelled medical (never sent to practice staff). */
    clinicalContext: z.string().trim().max(20_000).optional(),
    /** What the recipient is asked to do (« Évaluation à domicile et mise en place de soins »). */
    expectedAction: z.string().trim().max(1000).optional(),
    /** Desired day of the first intervention. */
    desiredDate: Day.optional(),
    attachments: z.array(PostAttachmentSchema).max(5).optional(),
    /** « Modifier » on a refused one: the outbox item this one replaces (discarded atomically). */
    replaces: z.string().uuid().optional(),
  })
  .strict();
export type ReferralCreateRequest = z.infer<typeof ReferralCreateRequestSchema>;

/** Followed through the Task (requested → accepted → completed, or rejected / cancelled). */
export const REFERRAL_STATUSES = ['requested', 'accepted', 'in-progress', 'completed', 'rejected', 'cancelled'] as const;
export const ReferralStatusSchema = z.enum(REFERRAL_STATUSES);
export type ReferralStatus = z.infer<typeof ReferralStatusSchema>;

/** One recipient a referral may go to, as the form lists it. */
export const ReferralRecipientSchema = z.object({
  kind: z.enum(['practitioner', 'organization']),
  /** PractitionerRole id (practitioner) or Organization id. */
  id: z.string(),
  name: z.string(),
  /** « Infirmière à domicile — Cabinet infirmier du Marsan », « SSIAD — Mont-de-Marsan ». */
  detail: z.string().nullable(),
});
export type ReferralRecipient = z.infer<typeof ReferralRecipientSchema>;

export const ReferralSchema = z.object({
  /** ServiceRequest id, or the outbox client id while it is not on the platform yet. */
  id: z.string().min(1),
  patientId: z.string(),
  /** Who it is addressed to, as it reads (« Sophie LAMOTHE, Infirmière à domicile », « SSIAD du Marsan »). */
  recipient: z.string(),
  reason: z.string(),
  urgency: ReferralUrgencySchema,
  expectedAction: z.string().nullable(),
  desiredDate: z.string().nullable(),
  /** A clinical context was joined (its text is a medical journal entry, never repeated here). */
  hasClinicalContext: z.boolean(),
  attachments: z.array(z.object({ title: z.string() })),
  status: ReferralStatusSchema,
  requester: AuthorSchema.nullable(),
  authoredOn: z.string().nullable(),
  /** Not on the platform yet (pending) or refused by it (failed), with the outbox's error. */
  local: z.object({ state: z.enum(['pending', 'failed']), error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable() }).nullable(),
});
export type Referral = z.infer<typeof ReferralSchema>;

export const ReferralListSchema = z.object({
  patientId: z.string(),
  referrals: z.array(ReferralSchema),
  /** platform: fresh; store: the last answer of this session, the platform being unreachable. */
  source: z.enum(['platform', 'store']),
});
export type ReferralList = z.infer<typeof ReferralListSchema>;

export const REFERRAL_API = {
  /** Refers the patient (outbox kind referral: ServiceRequest + Task + journal entries « Adressage à … »). */
  'referral.create': { request: ReferralCreateRequestSchema, response: OutboxItemSchema },
  /** The patient's referrals and where each stands, the ones still in the outbox first. */
  'referral.list': { request: z.object({ patientId: Id }).strict(), response: ReferralListSchema },
  /** Professionals and services of the platform's referential a referral may go to. */
  'referral.recipients': { request: z.object({}).strict(), response: z.array(ReferralRecipientSchema) },
} as const;
