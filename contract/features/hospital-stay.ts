import { z } from 'zod';
import { OutboxItemSchema } from '../outbox';

/**
 * Hospital stays (issue 13, item 3): the « Fiche de liaison urgence » (PDF + FHIR
 * DocumentReference sent to the establishment through a Communication, attached to the journal),
 * the discharge with its side-by-side reconciliation of treatments before / after the stay, and
 * the programmed admission's checklist (each item ticked by whoever did it). See
 * docs/fhir-mapping.md « Hospital stays ».
 */

const Id = z.string().min(1).max(64);

export const EmergencyFicheRequestSchema = z
  .object({
    patientId: Id,
    /** The establishment receiving the patient (Organization id of the referential). */
    establishmentId: Id,
    /** Why the patient goes to the emergency department, when known. */
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();
export type EmergencyFicheRequest = z.infer<typeof EmergencyFicheRequestSchema>;

export const EmergencyFicheSchema = z.object({
  /** The outbox row sending it (journal entry with the PDF + Communication to the establishment). */
  item: OutboxItemSchema,
  /** The PDF, to print or show at once (the window never waits for the platform). */
  pdfBase64: z.string(),
});

/** One line of the reconciliation: a medication before and / or after the stay. */
export const RECONCILIATION_CHANGES = ['kept', 'stopped', 'new', 'dose-changed'] as const;
export const ReconciliationRowSchema = z.object({
  medication: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  change: z.enum(RECONCILIATION_CHANGES),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRowSchema>;

export const DischargeSchema = z.object({
  /** The discharge letter's DocumentReference id. */
  id: z.string(),
  establishment: z.string(),
  date: z.string().nullable(),
  title: z.string(),
  /** The letter (Binary) when joined, as a journal attachment URL. */
  letterUrl: z.string().nullable(),
  rows: z.array(ReconciliationRowSchema),
});
export type Discharge = z.infer<typeof DischargeSchema>;

export const CHECKLIST_ITEMS = ['transport', 'home-help-suspended', 'nurse-told', 'pharmacy-told', 'liaison-letter', 'treatments-sent', 'pps-sent', 'advance-directives'] as const;
export const ChecklistItemSchema = z.enum(CHECKLIST_ITEMS);
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

export const ChecklistSchema = z.object({
  admissionId: z.string(),
  items: z.array(z.object({ item: ChecklistItemSchema, doneBy: z.string().nullable(), doneAt: z.string().nullable(), pending: z.boolean() })),
});
export type Checklist = z.infer<typeof ChecklistSchema>;

export const HOSPITAL_STAY_API = {
  /** Establishments the fiche may go to (the platform's referential). */
  'stay.establishments': { request: z.object({}).strict(), response: z.array(z.object({ id: z.string(), name: z.string(), city: z.string().nullable() })) },
  /** One click: the fiche's PDF at once, and its sending (outbox kind emergency-fiche). */
  'stay.emergencyFiche': { request: EmergencyFicheRequestSchema, response: EmergencyFicheSchema },
  /** Discharge letters received for the patient, each with its treatments reconciliation. */
  'stay.discharges': { request: z.object({ patientId: Id }).strict(), response: z.array(DischargeSchema) },
  /** The programmed admission's checklist: who ticked what, when. */
  'stay.checklist': { request: z.object({ patientId: Id, admissionId: Id }).strict(), response: ChecklistSchema },
  /** Ticks one item (outbox kind checklist-tick: a completed Task based on the admission). */
  'stay.checklist.tick': { request: z.object({ patientId: Id, admissionId: Id, item: ChecklistItemSchema }).strict(), response: OutboxItemSchema },
} as const;
