/**
 * The drug database as the window and the prescription see it (issue 14): what a search answers,
 * the drug chosen on a line (a snapshot kept in the draft and the outbox, so a line prints and
 * maps the same after a restart or a new release), and the legal conditions read from the BDPM
 * (CIS_CPD). How conditions become rules: ./drug-rules.ts; docs/prescription.md.
 */
import { z } from 'zod';

export const DrugRulesSchema = z.object({
  /** « liste I » / « liste II » (substances vénéneuses): renewal only when written (I), 12 months at most. */
  list: z.enum(['I', 'II']).nullable(),
  /** « stupéfiants »: secure ordonnance, quantities in words, 28 days at most, no renewal. */
  narcotic: z.boolean(),
  /** Secure ordonnance with quantities in words (stupéfiant, or « prescription en toutes lettres sur ordonnance sécurisée »). */
  secure: z.boolean(),
  /** Longest prescription, renewals included (« prescription limitée à 4 semaines », 28 days for a stupéfiant). */
  maxDurationDays: z.number().int().positive().nullable(),
  /** « délivrance fractionnée de 7 jours »: printed on the ordonnance. */
  fractionDays: z.number().int().positive().nullable(),
  /** Why a GP may not prescribe it (hospital-only, specialist-only…): the BDPM wording. */
  refusal: z.string().nullable(),
  /** Conditions shown beside the line (initial hospital prescription, monitoring…). */
  notices: z.array(z.string()),
  /** « médicament sous surveillance renforcée » (black triangle, CIS_bdpm last column). */
  reinforcedMonitoring: z.boolean(),
});
export type DrugRules = z.infer<typeof DrugRulesSchema>;

export const NO_RULES: DrugRules = {
  list: null,
  narcotic: false,
  secure: false,
  maxDurationDays: null,
  fractionDays: null,
  refusal: null,
  notices: [],
  reinforcedMonitoring: false,
};

export const DrugSubstanceSchema = z.object({
  /** BDPM substance code (CIS_COMPO column 3, ANSM). */
  code: z.string().max(20),
  /** « AMOXICILLINE ANHYDRE » as the BDPM spells it. */
  name: z.string().max(300),
  /** « 1000 mg », « 5 g/100 ml »; empty when the BDPM gives none. */
  dosage: z.string().max(100),
});
export type DrugSubstance = z.infer<typeof DrugSubstanceSchema>;

/** The drug chosen on a line: a speciality (brand, CIS) or a DCI line (substances, dosage, form). */
export const DrugChoiceSchema = z.object({
  kind: z.enum(['speciality', 'dci']),
  /** CIS of the speciality; for a DCI line, the CIS of one speciality of the group (its rules are the group's). */
  cis: z.string().regex(/^\d{8}$/),
  /** The DCI wording, always printed first: « Amoxicilline 1000 mg, comprimé ». */
  dciLabel: z.string().max(400),
  /** Brand name of a speciality (« CLAMOXYL 1 g, comprimé dispersible »); null for a DCI line. */
  specialityName: z.string().max(300).nullable(),
  form: z.string().max(200),
  /** Routes of administration from the BDPM (« orale »). */
  routes: z.array(z.string().max(100)).max(20),
  substances: z.array(DrugSubstanceSchema).max(30),
  rules: DrugRulesSchema,
});
export type DrugChoice = z.infer<typeof DrugChoiceSchema>;

/** One answer of the search: what the list shows, and the choice it makes. */
export const DrugHitSchema = z.object({
  choice: DrugChoiceSchema,
  /** Specialities a DCI line stands for (shown as « 12 spécialités »); 1 for a speciality. */
  specialities: z.number().int().min(1),
  marketed: z.boolean(),
});
export type DrugHit = z.infer<typeof DrugHitSchema>;

export const DrugReleaseSchema = z.object({
  /** Most recent date in the release (YYYY-MM-DD): the BDPM files carry no release date of their own. */
  releaseDate: z.string().nullable(),
  importedAt: z.string(),
  /** « extrait fourni avec Relais » or the folder / zip an administrator imported. */
  source: z.string(),
  specialities: z.number().int(),
});
export type DrugRelease = z.infer<typeof DrugReleaseSchema>;

export const DRUG_SEARCH_MAX = 30;
