import { z } from 'zod';

/**
 * The clinical header (issue 15, item 6): allergies, ALD, last weight, trusted person / carer —
 * what the platform has (AllergyIntolerance, Condition, Observation, RelatedPerson). Mapping in
 * docs/fhir-mapping.md « Clinical header ».
 */
export const RelatedContactSchema = z.object({
  name: z.string(),
  /** « Personne de confiance », « Aidant », « Fille »… */
  relation: z.string(),
  phone: z.string().optional(),
});
export type RelatedContact = z.infer<typeof RelatedContactSchema>;

export const ClinicalSummarySchema = z.object({
  patientId: z.string(),
  /** null: not shown to this role (practice staff: no clinical content). */
  allergies: z.array(z.object({ substance: z.string(), critical: z.boolean() })).nullable(),
  /** Affections de longue durée (exonérantes). null: not shown to this role. */
  ald: z.array(z.string()).nullable(),
  /** Last body weight. null: none or not shown. */
  weight: z.object({ kg: z.number().positive(), date: z.string() }).nullable(),
  /** Trusted person (personne de confiance) first, then carers. */
  contacts: z.array(RelatedContactSchema),
});
export type ClinicalSummary = z.infer<typeof ClinicalSummarySchema>;

export const CLINICAL_API = {
  'patient.clinicalSummary': { request: z.object({ patientId: z.string().min(1).max(64) }).strict(), response: ClinicalSummarySchema },
} as const;
