import { z } from 'zod';
import { OutboxItemSchema } from '../outbox';
import { PpsObjectiveSchema } from './panels';

/**
 * Editing the PPS (« Modifier le PPS », permission pps.edit): the window sends the edited plan with
 * the version it was based on; the outbox writer (kind pps-update) PUTs the CarePlan and its Goals
 * with If-Match. See docs/fhir-mapping.md « PPS editing ».
 */

const Id = z.string().min(1).max(64);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Text = (max: number) => z.string().trim().min(1).max(max);

export const PpsObjectiveEditSchema = z
  .object({
    /** Goal id of an existing objective; null for a new one. */
    id: Id.nullable(),
    description: Text(500),
    priority: PpsObjectiveSchema.shape.priority,
    /** Evaluation criterion (HAS key point 8). */
    criterion: z.string().trim().max(500).optional(),
    dueDate: Day.nullable(),
    /** Marked achieved (Goal.achievementStatus achieved, lifecycleStatus completed). */
    achieved: z.boolean(),
  })
  .strict();
export type PpsObjectiveEdit = z.infer<typeof PpsObjectiveEditSchema>;

export const PpsInterventionEditSchema = z
  .object({
    /** Position in `Pps.interventions` as the window showed it; null for a new intervention. */
    source: z.number().int().min(0).max(200).nullable(),
    description: Text(500),
    /** PractitionerRole id of who carries it out (one of the care team), or nobody yet. */
    performerId: Id.nullable(),
    /** By when (scheduled end, ISO day). */
    scheduledEnd: Day.nullable(),
  })
  .strict();
export type PpsInterventionEdit = z.infer<typeof PpsInterventionEditSchema>;

/**
 * The whole edited content: objectives and interventions as the professional left them (an
 * intervention shown but absent here is cancelled, an objective is never deleted), review date,
 * the patient's preferences in their words.
 */
export const PpsEditSchema = z
  .object({
    objectives: z.array(PpsObjectiveEditSchema).max(30),
    interventions: z.array(PpsInterventionEditSchema).max(30),
    nextReview: Day.nullable(),
    preferences: z.array(Text(1000)).max(20),
  })
  .strict();
export type PpsEdit = z.infer<typeof PpsEditSchema>;

export const PpsUpdateRequestSchema = z
  .object({
    patientId: Id,
    /** CarePlan id. */
    ppsId: Id,
    /** CarePlan version the professional edited (If-Match); a newer one on the platform is a CONFLICT. */
    baseVersion: z.string().min(1).max(64),
    edit: PpsEditSchema,
  })
  .strict();
export type PpsUpdateRequest = z.infer<typeof PpsUpdateRequestSchema>;

/** An update the platform refused (CONFLICT: the PPS changed meanwhile): what the professional typed, kept. */
export const PpsRecoveredEditSchema = z.object({
  itemId: z.string().uuid(),
  ppsId: z.string(),
  baseVersion: z.string(),
  edit: PpsEditSchema,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type PpsRecoveredEdit = z.infer<typeof PpsRecoveredEditSchema>;

export const PPS_API = {
  /** Enqueues the edited PPS (outbox kind pps-update; a « PPS mis à jour : … » journal entry shows at once, pending). */
  'pps.update': { request: PpsUpdateRequestSchema, response: OutboxItemSchema },
  /**
   * The edits of this patient's latest PPS update when the platform refused it (failed-permanent,
   * e.g. CONFLICT) and nothing was sent since; null otherwise. The window offers them on the new version.
   */
  'pps.recoverEdit': { request: z.object({ patientId: Id }).strict(), response: PpsRecoveredEditSchema.nullable() },
} as const;
