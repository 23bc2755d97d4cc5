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
import { checkLineRules, LINE_RULE_CODES, NON_SUBSTITUTABLE_REASONS } from './drug-rules';
import { DrugChoiceSchema, DrugHitSchema, DrugReleaseSchema, DRUG_SEARCH_MAX, type DrugChoice } from './drugs';
import { MomentSchema, posologySentence, type Posology } from './posology';

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
    // Issue 14 (defaults: drafts and outbox rows written before it parse as free-text lines).
    /** The drug chosen in the database; null: a free-text line (magistral preparation, device…). */
    drug: DrugChoiceSchema.nullable().default(null),
    /** Structured posology, as typed: dose (« 1 », « 0,5 »), unit, times a day, moments. */
    dose: z.string().max(NUMBER_FIELD_MAX).default(''),
    doseUnit: z.string().max(40).default(''),
    perDay: z.string().max(NUMBER_FIELD_MAX).default(''),
    moments: z.array(MomentSchema).max(4).default([]),
    /** « non substituable » and its justification (arrêté du 12 novembre 2019). */
    nonSubstitutable: z.boolean().default(false),
    nonSubstitutableReason: z.enum(NON_SUBSTITUTABLE_REASONS).nullable().default(null),
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
  /** The drug from the database; null for a free-text line. */
  drug: DrugChoiceSchema.nullable().default(null),
  /** The structured posology the sentence was written from (FHIR doseAndRate / timing). */
  dosage: z
    .object({ dose: z.number().positive(), unit: z.string().min(1).max(40), perDay: z.number().int().min(1).max(24).nullable(), moments: z.array(MomentSchema).max(4) })
    .nullable()
    .default(null),
  nonSubstitutable: z.enum(NON_SUBSTITUTABLE_REASONS).nullable().default(null),
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
  /** A secure-ordonnance line (stupéfiant) needs the structured dose: its quantities are written in words. */
  'structured-required',
  /** The prescribing rules of the drug (contract/features/drug-rules.ts). */
  ...LINE_RULE_CODES,
] as const;
export type PrescriptionErrorCode = (typeof PRESCRIPTION_ERROR_CODES)[number];

export interface PrescriptionFieldError {
  /** `lines.<index>.<field>`, `weightKg` or `lines`. */
  field: string;
  code: PrescriptionErrorCode;
  /** Days (or age) a rule quotes. */
  limit?: number;
  /** The BDPM wording of a refusal (« prescription hospitalière »). */
  reason?: string;
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
    const medication = l.drug ? medicationLabel(l.drug) : l.medication.trim();
    const freePosology = l.posology.trim();
    if (!medication) errors.push({ field: at('medication'), code: 'required' });
    const count = (field: 'durationDays' | 'packs' | 'renewals' | 'perDay', max: number, min: number): number | null => {
      const n = parseCount(l[field]);
      if (n === null) return null;
      if (Number.isNaN(n)) errors.push({ field: at(field), code: 'not-a-number' });
      else if (n < min || n > max) errors.push({ field: at(field), code: 'out-of-range' });
      return n;
    };
    // Form order: posology before quantities, so the first complaint is the first wrong field.
    const dosage = structuredPosology(l, at, errors, count);
    const structuredTouched = l.dose.trim() !== '' || l.doseUnit.trim() !== '' || l.perDay.trim() !== '' || l.moments.length > 0;
    if (!dosage && !structuredTouched && (!freePosology || l.drug?.rules.secure)) {
      errors.push(l.drug?.rules.secure ? { field: at('dose'), code: 'structured-required' } : { field: at('posology'), code: 'required' });
    }
    const durationDays = count('durationDays', MAX_DURATION_DAYS, 1);
    const packs = count('packs', MAX_PACKS, 1);
    const renewals = count('renewals', MAX_RENEWALS, 0);
    if (durationDays === null && packs === null) errors.push({ field: at('durationDays'), code: 'duration-or-packs' });
    const ok = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
    for (const breach of checkLineRules(
      {
        drug: l.drug,
        durationDays: ok(durationDays),
        renewals: ok(renewals) ?? 0,
        nonSubstitutable: l.nonSubstitutable,
        nonSubstitutableReason: l.nonSubstitutableReason,
      },
      patientAge,
    )) {
      errors.push({ field: at(breach.field), code: breach.code, ...(breach.limit !== undefined ? { limit: breach.limit } : {}), ...(breach.reason ? { reason: breach.reason } : {}) });
    }
    const sentence = dosage ? posologySentence(dosage, ok(durationDays)) : '';
    lines.push({
      medication,
      posology: [sentence, freePosology].filter(Boolean).join(' — '),
      route: l.route.trim(),
      durationDays,
      packs,
      renewals: renewals ?? 0,
      ald: l.ald,
      instructions: l.instructions.trim(),
      drug: l.drug,
      dosage,
      nonSubstitutable: l.nonSubstitutable ? l.nonSubstitutableReason : null,
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

/**
 * The drug as the line names it: the DCI first (the law asks for it, CSP L5121-1-2), then the
 * brand of a speciality: « Amoxicilline 1 g, comprimé (CLAMOXYL 1 g, comprimé dispersible) ».
 */
export function medicationLabel(drug: DrugChoice): string {
  return drug.specialityName ? `${drug.dciLabel} (${drug.specialityName})` : drug.dciLabel;
}

/** Parses the structured posology fields; null when none is filled (a free-text posology). */
function structuredPosology(
  l: PrescriptionDraftLine,
  at: (f: string) => string,
  errors: PrescriptionFieldError[],
  count: (field: 'perDay', max: number, min: number) => number | null,
): Posology | null {
  const touched = l.dose.trim() !== '' || l.doseUnit.trim() !== '' || l.perDay.trim() !== '' || l.moments.length > 0;
  if (!touched) return null;
  const dose = parseDecimal(l.dose);
  const unit = l.doseUnit.trim();
  const before = errors.length;
  if (dose === null) errors.push({ field: at('dose'), code: 'required' });
  else if (Number.isNaN(dose)) errors.push({ field: at('dose'), code: 'not-a-number' });
  else if (dose <= 0 || dose > 1000) errors.push({ field: at('dose'), code: 'out-of-range' });
  if (!unit) errors.push({ field: at('doseUnit'), code: 'required' });
  let ok = errors.length === before;
  const perDay = l.moments.length > 0 ? null : count('perDay', 24, 1);
  if (perDay !== null && !Number.isFinite(perDay)) ok = false;
  return ok ? { dose: dose!, unit, perDay: perDay !== null && perDay >= 1 && perDay <= 24 ? perDay : null, moments: [...l.moments] } : null;
}

/** A new empty line for the composer. */
export function emptyPrescriptionLine(key: string): PrescriptionDraftLine {
  return {
    key,
    medication: '',
    posology: '',
    route: '',
    durationDays: '',
    packs: '',
    renewals: '0',
    ald: false,
    instructions: '',
    drug: null,
    dose: '',
    doseUnit: '',
    perDay: '',
    moments: [],
    nonSubstitutable: false,
    nonSubstitutableReason: null,
  };
}

const DraftContent = PrescriptionDraftContentSchema;

export const PrescriptionPostResultSchema = z.object({
  /** The outbox row (its id is the client id sent as the MedicationRequests' identifier). */
  item: OutboxItemSchema,
  /** The prescription id: every MedicationRequest's groupIdentifier. */
  prescriptionId: z.string().uuid(),
  /** The ordonnance as sent (A4 PDF, base64), to print and sign by hand; absent when it could not be rendered now. */
  pdfBase64: z.string().optional(),
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
   * Search-as-you-type in the drug database (speciality names, DCI, dosage, form; accents
   * ignored, prefixes): DCI lines first, then specialities. Answers the release in use too.
   */
  'prescription.drugs.search': {
    request: z.object({ query: z.string().max(100) }).strict(),
    response: z.object({ hits: z.array(DrugHitSchema).max(DRUG_SEARCH_MAX), release: DrugReleaseSchema.nullable() }),
  },
  /** The BDPM release in use (shown in the composer), or null when none could be built. */
  'prescription.drugs.release': { request: z.object({}).strict(), response: DrugReleaseSchema.nullable() },
  /**
   * Signs (« signé électroniquement », no card signature yet) and enqueues the prescription: the
   * outbox creates one MedicationRequest per line and a journal entry « Ordonnance » with the PDF.
   * The draft is kept until this answers; it is cleared only once the row is durably queued.
   */
  'prescription.post': {
    /** `replaces`: « Modifier » on a refused ordonnance; this new one (new id, signed again) discards it atomically. */
    request: z.object({ patientId: Id, draft: DraftContent, replaces: z.string().uuid().optional() }).strict(),
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
    request: z
      .object({ patientId: Id, draft: DraftContent, pin: z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits'), replaces: z.string().uuid().optional() })
      .strict(),
    response: PrescriptionPostResultSchema,
  },
} as const;
