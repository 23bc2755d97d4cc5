/**
 * E-prescription (ordonnance): the draft the GP types, its validation, and the API.
 *
 * Two shapes on purpose:
 * - PrescriptionDraft keeps what was typed as typed (numbers as text), so an autosave never
 *   refuses or rewrites a keystroke — the draft survives restarts, patient switches and platform
 *   refusals exactly as the GP left it;
 * - Prescription is the validated form (numbers parsed, blanks trimmed) that the core maps to
 *   FHIR MedicationRequests and prints. validatePrescription() turns one into the other or
 *   answers field-level errors (codes; the window words them in renderer/src/i18n/fr.ts).
 *
 * Legal content of the printed ordonnance: Code de la santé publique R5132-3 (drug by name or
 * DCI, posology and mode of use, duration or number of packs, renewals; patient weight when
 * needed) and R161-45 of the social-security code (ALD lines apart: « bizone »).
 */
import { z } from 'zod';
import { OutboxItemSchema } from '../outbox';

const Id = z.string().min(1).max(64);

/** Most renewals a GP may write on one ordonnance (one year of monthly dispensing: 1 + 11). */
export const MAX_RENEWALS = 11;
/** Longest duration accepted, in days (R5132-21: most drugs are dispensed for 1 to 3 months; a year is the outer bound). */
export const MAX_DURATION_DAYS = 365;
export const MAX_PACKS = 99;
export const MAX_LINES = 20;
/** Under this age (years) the weight is required: paediatric doses are computed on it. */
export const WEIGHT_REQUIRED_UNDER_AGE = 15;

/**
 * Longest text kept in a number field: generous, so « une semaine » typed in « Durée » is kept and
 * then flagged by validation instead of being refused by the autosave (the composer's inputs
 * carry the same maxLength, so nothing longer can be typed).
 */
export const NUMBER_FIELD_MAX = 40;
export const TEXT_FIELD_MAX = { medication: 300, posology: 1000, route: 200, instructions: 1000 } as const;

export const PrescriptionDraftLineSchema = z
  .object({
    /** Stable key of the line in the composer (React key, error paths); not sent to the platform. */
    key: z.string().min(1).max(64),
    /** Drug by name or DCI, with strength and form: « Amoxicilline 1 g, comprimé ». */
    medication: z.string().max(TEXT_FIELD_MAX.medication),
    /** « 1 comprimé matin et soir ». */
    posology: z.string().max(TEXT_FIELD_MAX.posology),
    /** Mode of use / route: « voie orale », « en application locale ». */
    route: z.string().max(TEXT_FIELD_MAX.route),
    /** Duration in days, as typed (one of duration and packs is required). */
    durationDays: z.string().max(NUMBER_FIELD_MAX),
    /** Number of packs (boîtes), as typed. */
    packs: z.string().max(NUMBER_FIELD_MAX),
    /** Number of renewals, as typed (0–11; empty means 0). */
    renewals: z.string().max(NUMBER_FIELD_MAX),
    /** In relation to the patient's ALD (affection de longue durée): upper zone of a bizone ordonnance. */
    ald: z.boolean(),
    /** Free instructions for the patient or the pharmacist (« à prendre au cours du repas »). */
    instructions: z.string().max(TEXT_FIELD_MAX.instructions),
  })
  .strict();
export type PrescriptionDraftLine = z.infer<typeof PrescriptionDraftLineSchema>;

export const PrescriptionDraftContentSchema = z
  .object({
    lines: z.array(PrescriptionDraftLineSchema).max(MAX_LINES),
    /** Patient weight in kg, as typed (required for a child, optional otherwise). */
    weightKg: z.string().max(NUMBER_FIELD_MAX),
  })
  .strict();
export type PrescriptionDraftContent = z.infer<typeof PrescriptionDraftContentSchema>;

export const PrescriptionDraftSchema = PrescriptionDraftContentSchema.extend({
  patientId: Id,
  updatedAt: z.string(),
});
export type PrescriptionDraft = z.infer<typeof PrescriptionDraftSchema>;

/** A validated line, as mapped to one MedicationRequest. */
export const PrescriptionLineSchema = z.object({
  medication: z.string().min(1).max(300),
  posology: z.string().min(1).max(1000),
  route: z.string().max(200),
  durationDays: z.number().int().min(1).max(MAX_DURATION_DAYS).nullable(),
  packs: z.number().int().min(1).max(MAX_PACKS).nullable(),
  renewals: z.number().int().min(0).max(MAX_RENEWALS),
  ald: z.boolean(),
  instructions: z.string().max(1000),
});
export type PrescriptionLine = z.infer<typeof PrescriptionLineSchema>;

export const PrescriptionSchema = z.object({
  lines: z.array(PrescriptionLineSchema).min(1).max(MAX_LINES),
  weightKg: z.number().min(0.3).max(400).nullable(),
});
export type Prescription = z.infer<typeof PrescriptionSchema>;

export const PRESCRIPTION_ERROR_CODES = [
  /** No line at all. */
  'no-lines',
  'required',
  'not-a-number',
  'out-of-range',
  /** Neither a duration nor a number of packs (R5132-3). */
  'duration-or-packs',
  /** A child's prescription without the weight. */
  'weight-required',
] as const;
export type PrescriptionErrorCode = (typeof PRESCRIPTION_ERROR_CODES)[number];

export interface PrescriptionFieldError {
  /** `lines.<index>.<field>`, `weightKg` or `lines`. */
  field: string;
  code: PrescriptionErrorCode;
}

export type PrescriptionValidation = { ok: true; prescription: Prescription } | { ok: false; errors: PrescriptionFieldError[] };

/** Age in whole years on `on` (ISO date), from a birth date that may have 00 for an unknown month/day. */
export function ageInYears(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.slice(0, 10).split('-').map(Number) as [number, number, number];
  let age = y - by;
  // Unknown month/day (RNIV 00): count the birthday as already past.
  if (bm > 0 && (m < bm || (m === bm && bd > 0 && d < bd))) age--;
  return age;
}

/** Parses a whole number typed in French (« 7 », « 07 »); null when blank; NaN when not a number. */
function parseCount(raw: string): number | null {
  const t = raw.trim();
  if (t === '') return null;
  return /^\d{1,6}$/.test(t) ? Number(t) : Number.NaN;
}

/** Parses a weight typed with a comma or a point (« 18,5 »). */
function parseDecimal(raw: string): number | null {
  const t = raw.trim().replace(',', '.');
  if (t === '') return null;
  return /^\d{1,3}(\.\d{1,2})?$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * The draft → a prescription, or every field error at once (so the composer can mark them all).
 * `patientAge`: whole years on the day of the prescription (weight required under 15).
 */
export function validatePrescription(draft: PrescriptionDraftContent, patientAge: number | null): PrescriptionValidation {
  const errors: PrescriptionFieldError[] = [];
  const lines: PrescriptionLine[] = [];
  if (draft.lines.length === 0) errors.push({ field: 'lines', code: 'no-lines' });
  draft.lines.forEach((l, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const medication = l.medication.trim();
    const posology = l.posology.trim();
    if (!medication) errors.push({ field: at('medication'), code: 'required' });
    if (!posology) errors.push({ field: at('posology'), code: 'required' });
    const count = (field: 'durationDays' | 'packs' | 'renewals', max: number, min: number): number | null => {
      const n = parseCount(l[field]);
      if (n === null) return null;
      if (Number.isNaN(n)) errors.push({ field: at(field), code: 'not-a-number' });
      else if (n < min || n > max) errors.push({ field: at(field), code: 'out-of-range' });
      return n;
    };
    const durationDays = count('durationDays', MAX_DURATION_DAYS, 1);
    const packs = count('packs', MAX_PACKS, 1);
    const renewals = count('renewals', MAX_RENEWALS, 0);
    if (durationDays === null && packs === null) errors.push({ field: at('durationDays'), code: 'duration-or-packs' });
    lines.push({
      medication,
      posology,
      route: l.route.trim(),
      durationDays,
      packs,
      renewals: renewals ?? 0,
      ald: l.ald,
      instructions: l.instructions.trim(),
    });
  });
  const weightKg = parseDecimal(draft.weightKg);
  if (weightKg !== null && (Number.isNaN(weightKg) || weightKg < 0.3 || weightKg > 400)) {
    errors.push({ field: 'weightKg', code: Number.isNaN(weightKg) ? 'not-a-number' : 'out-of-range' });
  } else if (weightKg === null && patientAge !== null && patientAge < WEIGHT_REQUIRED_UNDER_AGE) {
    errors.push({ field: 'weightKg', code: 'weight-required' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, prescription: { lines, weightKg } };
}

/** A new empty line for the composer. */
export function emptyPrescriptionLine(key: string): PrescriptionDraftLine {
  return { key, medication: '', posology: '', route: '', durationDays: '', packs: '', renewals: '0', ald: false, instructions: '' };
}

const DraftContent = PrescriptionDraftContentSchema;

export const PrescriptionPostResultSchema = z.object({
  /** The outbox row (its id is the client id sent as the MedicationRequests' identifier). */
  item: OutboxItemSchema,
  /** The prescription id: every MedicationRequest's groupIdentifier. */
  prescriptionId: z.string().uuid(),
});
export type PrescriptionPostResult = z.infer<typeof PrescriptionPostResultSchema>;

export const PRESCRIPTION_API = {
  /** The patient's prescription draft (saved by the composer as the GP types), or null. */
  'prescription.draft.get': { request: z.object({ patientId: Id }).strict(), response: PrescriptionDraftSchema.nullable() },
  /** Saves the draft as typed (no validation); no line and no weight clears it. */
  'prescription.draft.save': {
    request: z.object({ patientId: Id, draft: DraftContent }).strict(),
    response: PrescriptionDraftSchema.nullable(),
  },
  /**
   * The ordonnance as it would print today (A4 PDF, base64), for the preview. INVALID_INPUT
   * (field: the first wrong field) when the draft does not validate.
   */
  'prescription.pdf': {
    request: z.object({ patientId: Id, draft: DraftContent }).strict(),
    response: z.object({ pdfBase64: z.string(), fileName: z.string() }),
  },
  /**
   * Signs (« signé électroniquement », no card signature yet) and enqueues the prescription: the
   * outbox creates one MedicationRequest per line and a journal entry « Ordonnance » with the PDF.
   * The draft is kept until this answers; it is cleared only once the row is durably queued.
   */
  'prescription.post': {
    request: z.object({ patientId: Id, draft: DraftContent }).strict(),
    response: PrescriptionPostResultSchema,
  },
  /**
   * Card session only: signs the ordonnance with the CPS card's SIGNATURE key (PAdES, the PIN
   * typed for this signature — used for this call only, never kept) and enqueues it like
   * prescription.post, the signed PDF going to the platform as is. PIN_INCORRECT (triesLeft),
   * PIN_LOCKED, CARD_REMOVED, FORBIDDEN (another holder's card, or no card session: use
   * prescription.post, which prints « Non signée »), INVALID_INPUT (draft, or no signature key).
   */
  'prescription.sign': {
    request: z.object({ patientId: Id, draft: DraftContent, pin: z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits') }).strict(),
    response: PrescriptionPostResultSchema,
  },
} as const;
