import { z } from 'zod';
import { AuthorSchema } from '../domain';
import { ErrorCodeSchema } from '../errors';
import { OutboxItemSchema } from '../outbox';

/**
 * « Demander l'appui de la cellule » (issue 13): the GP, a nurse, or the secretary on a GP's
 * behalf asks the territory's support cell (DAC) to follow a fragile patient. FHIR ServiceRequest
 * (category support-request) to the cell's HealthcareService / Organization + a Task owned by
 * the cell, whose `output` records each step (received, accepted, coordinator named, first
 * contact, PPS started). Written through the outbox (kind `support-request`); see
 * docs/fhir-mapping.md « Support cell requests ».
 */

const Id = z.string().min(1).max(64);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ISO date');

/** Why the cell is asked (ServiceRequest.reasonCode). */
export const SUPPORT_REASONS = ['complex-situation', 'return-home', 'isolation', 'care-refusal', 'carer-exhaustion', 'other'] as const;
export const SupportReasonSchema = z.enum(SUPPORT_REASONS);
export type SupportReason = z.infer<typeof SupportReasonSchema>;

/** What is asked (ServiceRequest.orderDetail), one or more. */
export const SUPPORT_ASKS = ['assessment', 'phone-follow-up', 'home-help', 'pps', 'housing', 'temporary-stay'] as const;
export const SupportAskSchema = z.enum(SUPPORT_ASKS);
export type SupportAsk = z.infer<typeof SupportAskSchema>;

export const SUPPORT_URGENCIES = ['routine', 'urgent'] as const;
export const SupportUrgencySchema = z.enum(SUPPORT_URGENCIES);

/** Who consented to the request (the patient, or their trusted person / legal representative). */
export const SUPPORT_CONSENT_BY = ['patient', 'trusted-person', 'legal-representative'] as const;
export const SupportConsentBySchema = z.enum(SUPPORT_CONSENT_BY);

/** The steps the cell goes through, in order (Task.output, one per step reached). */
export const SUPPORT_STEPS = ['received', 'accepted', 'coordinator-named', 'first-contact', 'pps-started'] as const;
export const SupportStepSchema = z.enum(SUPPORT_STEPS);
export type SupportStep = z.infer<typeof SupportStepSchema>;

export const SupportRequestCreateRequestSchema = z
  .object({
    patientId: Id,
    /** Required (1/3). */
    reason: SupportReasonSchema,
    /** Required (2/3): at least one thing asked. */
    asks: z.array(SupportAskSchema).min(1).max(SUPPORT_ASKS.length),
    /** Required (3/3): the patient (or who speaks for them) agreed. */
    consent: z.literal(true),
    consentBy: SupportConsentBySchema.optional(),
    urgency: SupportUrgencySchema.optional(),
    /** What is already in place (home help, nurse visits…): pre-filled from the care team and treatments. */
    inPlace: z.string().trim().max(4000).optional(),
    /** Medical details: a journal entry labelled medical (never written by, nor shown to, practice staff). */
    medicalDetails: z.string().trim().max(20_000).optional(),
    /** Temporary stay in a care home (« hébergement temporaire »): the dates asked. */
    stay: z.object({ from: Day, to: Day }).strict().optional(),
    /** The GP on whose behalf a secretary sends it (PractitionerRole id of the care team). */
    onBehalfOf: Id.optional(),
  })
  .strict();
export type SupportRequestCreateRequest = z.infer<typeof SupportRequestCreateRequestSchema>;

export const SupportStepEventSchema = z.object({ step: SupportStepSchema, at: z.string(), detail: z.string().nullable() });
export type SupportStepEvent = z.infer<typeof SupportStepEventSchema>;

export const SupportRequestSchema = z.object({
  /** ServiceRequest id, or the outbox client id while it is not on the platform yet. */
  id: z.string().min(1),
  patientId: z.string(),
  /** The cell it went to (« DAC des Landes »). */
  cell: z.string(),
  reason: SupportReasonSchema,
  asks: z.array(SupportAskSchema),
  urgency: SupportUrgencySchema,
  stay: z.object({ from: z.string(), to: z.string() }).nullable(),
  requester: AuthorSchema.nullable(),
  /** The GP the secretary acted for, when she did. */
  onBehalfOf: z.string().nullable(),
  authoredOn: z.string().nullable(),
  /** Steps reached, in order. Empty while only sent. */
  steps: z.array(SupportStepEventSchema),
  /** The coordinator the cell named, once named. */
  coordinator: z.string().nullable(),
  status: z.enum(['requested', 'accepted', 'in-progress', 'completed', 'rejected', 'cancelled']),
  local: z.object({ state: z.enum(['pending', 'failed']), error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable() }).nullable(),
});
export type SupportRequest = z.infer<typeof SupportRequestSchema>;

export const SupportRequestListSchema = z.object({
  patientId: z.string(),
  requests: z.array(SupportRequestSchema),
  source: z.enum(['platform', 'store']),
});
export type SupportRequestList = z.infer<typeof SupportRequestListSchema>;

/** The patient's territory's cell and what the form pre-fills. */
export const SupportRequestContextSchema = z.object({
  cell: z.object({ id: z.string(), name: z.string(), territory: z.string().nullable() }).nullable(),
  /** « Infirmière à domicile : Sophie LAMOTHE ; … » — what the care team already does. */
  inPlace: z.string(),
  /** Active treatments count (a hint for the cell, no drug names for practice staff). */
  treatments: z.number().int().nonnegative(),
  /** GPs of the care team a secretary may act for. */
  physicians: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type SupportRequestContext = z.infer<typeof SupportRequestContextSchema>;

export const SUPPORT_REQUEST_API = {
  /** Asks the territory's cell (outbox kind support-request: journal entry + ServiceRequest + Task). */
  'supportRequest.create': { request: SupportRequestCreateRequestSchema, response: OutboxItemSchema },
  /** The patient's requests to the cell with each step reached, the ones still in the outbox first. */
  'supportRequest.list': { request: z.object({ patientId: Id }).strict(), response: SupportRequestListSchema },
  /** The patient's cell and the form's pre-filled values. */
  'supportRequest.context': { request: z.object({ patientId: Id }).strict(), response: SupportRequestContextSchema },
} as const;
