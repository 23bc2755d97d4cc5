import { z } from 'zod';
import { ErrorCodeSchema } from '../errors';
import { OutboxItemSchema } from '../outbox';

/**
 * « Demande d'avis » (issue 13 item 2): the GP or a nurse asks a specialist or a team of the
 * directory (first experiment: wounds and healing) with a question, up to 10 photos (prepared in
 * the core: main/features/opinion/photo.ts), measurements and the patient's consent. FHIR
 * ServiceRequest (category opinion) + Task owned by the referent's HealthcareService; the answer
 * is a Communication basedOn the ServiceRequest. Outbox kind `opinion-request`; see
 * docs/fhir-mapping.md « Demande d'avis ».
 */

const Id = z.string().min(1).max(64);
export const OPINION_MAX_PHOTOS = 10;

export const OpinionPhotoSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The file as chosen in the window (JPEG, PNG or HEIC); converted and stripped in the core. */
    dataBase64: z.string().min(1).max(40_000_000),
  })
  .strict();

export const OpinionCreateRequestSchema = z
  .object({
    patientId: Id,
    /** HealthcareService id of the specialist or team chosen in the directory. */
    referentId: Id,
    question: z.string().trim().min(1).max(4000),
    photos: z.array(OpinionPhotoSchema).max(OPINION_MAX_PHOTOS),
    measurements: z
      .object({
        text: z.string().trim().max(1000).optional(),
        lengthCm: z.number().positive().max(100).optional(),
        widthCm: z.number().positive().max(100).optional(),
      })
      .strict()
      .optional(),
    consent: z.literal(true),
  })
  .strict();
export type OpinionCreateRequest = z.infer<typeof OpinionCreateRequestSchema>;

export const OpinionReferentSchema = z.object({ id: z.string(), name: z.string(), specialty: z.string().nullable() });
export type OpinionReferent = z.infer<typeof OpinionReferentSchema>;

export const OpinionAnswerSchema = z.object({
  text: z.string(),
  at: z.string().nullable(),
  author: z.string().nullable(),
  /** What the answer asks the care team to do (a task for the nurse), when it asks something. */
  action: z.string().nullable(),
});
export type OpinionAnswer = z.infer<typeof OpinionAnswerSchema>;

export const OpinionRequestSchema = z.object({
  /** ServiceRequest id, or the outbox client id while it is not on the platform yet. */
  id: z.string().min(1),
  patientId: z.string(),
  referent: z.string(),
  question: z.string(),
  photos: z.number().int().nonnegative(),
  authoredOn: z.string().nullable(),
  status: z.enum(['requested', 'accepted', 'in-progress', 'completed', 'rejected', 'cancelled']),
  answer: OpinionAnswerSchema.nullable(),
  local: z.object({ state: z.enum(['pending', 'failed']), error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable() }).nullable(),
});
export type OpinionRequest = z.infer<typeof OpinionRequestSchema>;

export const OpinionListSchema = z.object({ patientId: z.string(), requests: z.array(OpinionRequestSchema), source: z.enum(['platform', 'store']) });
export type OpinionList = z.infer<typeof OpinionListSchema>;

export const OPINION_API = {
  /** The specialists and teams of the directory who give opinions. */
  'opinion.referents': { request: z.object({ patientId: Id }).strict(), response: z.array(OpinionReferentSchema) },
  /** Asks for an opinion (outbox kind opinion-request: photos, medical journal entry, ServiceRequest + Task). */
  'opinion.create': { request: OpinionCreateRequestSchema, response: OutboxItemSchema },
  /** The patient's opinion requests with their answers, the ones still in the outbox first. */
  'opinion.list': { request: z.object({ patientId: Id }).strict(), response: OpinionListSchema },
} as const;
