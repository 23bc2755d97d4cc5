/**
 * Structured posology (dose, unit, times a day or moments, duration) and the French sentence it
 * prints: « 1 comprimé matin et soir pendant 7 jours ». For a secure ordonnance (stupéfiant,
 * R5132-29) numbers are also written in words: « un (1) comprimé … pendant vingt-huit (28) jours »;
 * the words come from a function the caller passes (n2words in the core and the window), so the
 * contract stays free of dependencies.
 */
import { z } from 'zod';

export const MOMENTS = ['morning', 'noon', 'evening', 'bedtime'] as const;
export const MomentSchema = z.enum(MOMENTS);
export type Moment = z.infer<typeof MomentSchema>;
/** FHIR Timing.when of each moment (R4 event-timing). */
export const MOMENT_WHEN: Record<Moment, 'MORN' | 'NOON' | 'EVE' | 'HS'> = { morning: 'MORN', noon: 'NOON', evening: 'EVE', bedtime: 'HS' };
const MOMENT_ALONE: Record<Moment, string> = { morning: 'le matin', noon: 'à midi', evening: 'le soir', bedtime: 'au coucher' };
const MOMENT_LISTED: Record<Moment, string> = { morning: 'matin', noon: 'midi', evening: 'soir', bedtime: 'au coucher' };

/** Units offered in the composer (any other can be typed). Plural: the map, else + s; invariable ones listed. */
export const DOSE_UNITS = ['comprimé', 'gélule', 'sachet', 'ml', 'goutte', 'application', 'bouffée', 'suppositoire', 'patch', 'ampoule', 'dose', 'unité', 'mg', 'UI', 'cuillère-mesure'] as const;
const FEMININE = new Set(['gélule', 'goutte', 'application', 'bouffée', 'ampoule', 'dose', 'unité', 'cuillère-mesure', 'capsule']);
const INVARIABLE = new Set(['ml', 'mg', 'g', 'ui', 'µg', 'mcg']);
const PLURALS: Record<string, string> = { 'cuillère-mesure': 'cuillères-mesure' };

/** The structured dose as validated. */
export interface Posology {
  dose: number;
  unit: string;
  /** Times a day when no moment is chosen (null with moments, or « par jour » alone). */
  perDay: number | null;
  moments: Moment[];
}

export type NumberWords = (n: number) => string;

function unitFor(unit: string, dose: number): string {
  const u = unit.trim();
  if (dose < 2 || INVARIABLE.has(u.toLowerCase())) return u;
  return PLURALS[u] ?? (u.endsWith('s') || u.endsWith('x') ? u : `${u}s`);
}

/** « 0,5 » in French; in words « zéro virgule cinq (0,5) » when asked. */
export function frenchNumber(n: number, words?: NumberWords): string {
  const digits = String(n).replace('.', ',');
  return words ? `${words(n)} (${digits})` : digits;
}

/** « matin et soir », « matin, midi et soir », « au coucher ». */
export function momentsText(moments: readonly Moment[]): string {
  const ordered = MOMENTS.filter((m) => moments.includes(m));
  if (ordered.length === 0) return '';
  if (ordered.length === 1) return MOMENT_ALONE[ordered[0]!];
  const parts = ordered.map((m) => MOMENT_LISTED[m]);
  return `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}`;
}

/** The sentence printed on the ordonnance and sent as Dosage.text. */
export function posologySentence(p: Posology, durationDays: number | null, words?: NumberWords): string {
  // « une gélule », « vingt et une gélules »: the words agree with a feminine unit.
  const agreed = words && FEMININE.has(p.unit.trim().toLowerCase()) ? (n: number) => words(n).replace(/\bun$/, 'une') : words;
  const dose = `${frenchNumber(p.dose, agreed)} ${unitFor(p.unit, p.dose)}`;
  const when =
    p.moments.length > 0
      ? momentsText(p.moments)
      : p.perDay !== null && p.perDay > 1
        ? `${words ? frenchNumber(p.perDay, words) : p.perDay} fois par jour`
        : 'par jour';
  // « 1 comprimé matin et soir » reads as « per moment »; a daily count says « par prise » only when needed.
  const duration = durationDays !== null ? ` pendant ${frenchNumber(durationDays, words)} jour${durationDays > 1 ? 's' : ''}` : '';
  return `${dose} ${when}${duration}`;
}

/** Intakes a day the structured posology means (moments count, else perDay, else 1). */
export function intakesPerDay(p: Posology): number {
  return p.moments.length > 0 ? p.moments.length : (p.perDay ?? 1);
}
