import { isValidRpps, LaunchContextSchema, RelaisError, type LaunchContext, type Sex } from '../../contract';
import { parseIns } from './ins';

/** Raw string values as they arrive from a URL query, command-line options or a context file. */
export interface RawLaunchValues {
  ins?: string | undefined;
  oid?: string | undefined;
  birthName?: string | undefined;
  firstNames?: string | undefined;
  birthDate?: string | undefined;
  sex?: string | undefined;
  birthPlace?: string | undefined;
  lgcPatientId?: string | undefined;
  rpps?: string | undefined;
}

export const RAW_LAUNCH_FIELDS = [
  'ins',
  'oid',
  'birthName',
  'firstNames',
  'birthDate',
  'sex',
  'birthPlace',
  'lgcPatientId',
  'rpps',
] as const satisfies readonly (keyof RawLaunchValues)[];

/**
 * Letters of French civil-status names (Latin-1 letters, Œ/œ, Ÿ/ÿ), apostrophe, hyphen, space.
 * Ÿ (U+0178) is listed because 'ÿ'.toUpperCase() is outside the Latin-1 block.
 */
const NAME_CHARS = /^[A-Za-zÀ-ÖØ-öø-ÿŒœŸ' -]+$/;
const HAS_LETTER = /[A-Za-zÀ-ÖØ-öø-ÿŒœŸ]/;
export const MAX_NAME = 100;
export const MAX_FIRST_NAMES = 10;
/** Oldest birth year accepted; RNIV identities can be old, but not older than this. */
const MIN_BIRTH_YEAR = 1850;
/** An LGC's own patient identifier: ASCII letters, digits and a few separators (GUIDs, paths). */
const LGC_PATIENT_ID = /^[A-Za-z0-9_.:/{}+=#-]{1,64}$/;
/** INSEE code: 5 digits (99xxx = born abroad, 99999 = unknown) or Corsica 2A/2B + 3 digits. */
const INSEE_CODE = /^(?:\d{5}|2[AB]\d{3})$/;
const RPPS = /^\d{11}$/;

function stringOrUndefined(values: RawLaunchValues, field: keyof RawLaunchValues): string | undefined {
  const v: unknown = values[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new RelaisError('INVALID_INPUT', `${field} must be a string`, field);
  return v;
}

function required(values: RawLaunchValues, field: keyof RawLaunchValues): string {
  const v = stringOrUndefined(values, field)?.trim();
  if (!v) throw new RelaisError('TRAITS_MISSING', `missing ${field}`, field);
  return v;
}

function optional(values: RawLaunchValues, field: keyof RawLaunchValues): string | undefined {
  const v = stringOrUndefined(values, field)?.trim();
  return v ? v : undefined;
}

/**
 * NFC (macOS and some LGCs send decomposed accents), typographic apostrophes to ', runs of
 * whitespace to one space; then the character set and length of a civil-status name.
 */
function parseName(raw: string, field: string, upper = false): string {
  let v = raw.normalize('NFC').replace(/[\u2019\u2018\u02BC`´]/g, "'").replace(/\s+/g, ' ').trim();
  if (upper) v = v.toUpperCase();
  if (v.length > MAX_NAME || !NAME_CHARS.test(v) || !HAS_LETTER.test(v)) {
    throw new RelaisError('INVALID_INPUT', `${field} has invalid characters or length`, field);
  }
  return v;
}

/** YYYY-MM-DD; RNIV allows 00 for an unknown day or month (partially unknown birth dates). */
export function parseBirthDate(raw: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) throw new RelaisError('INVALID_INPUT', 'birthDate must be YYYY-MM-DD', 'birthDate');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_BIRTH_YEAR || month > 12 || day > 31 || (month === 0 && day !== 0)) {
    throw new RelaisError('INVALID_INPUT', 'birthDate out of range', 'birthDate');
  }
  if (month !== 0 && day !== 0) {
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCMonth() !== month - 1) throw new RelaisError('INVALID_INPUT', 'birthDate does not exist', 'birthDate');
  }
  // Not in the future (a day of slack for time zones: the LGC may be ahead of UTC).
  const now = new Date(Date.now() + 86_400_000);
  const [ny, nm, nd] = [now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()];
  if (year > ny || (year === ny && (month > nm || (month === nm && day > nd)))) {
    throw new RelaisError('INVALID_INPUT', 'birthDate is in the future', 'birthDate');
  }
  return raw;
}

function parseSex(raw: string): Sex {
  const v = raw.toUpperCase();
  if (v === 'F' || v === 'M' || v === 'U') return v;
  throw new RelaisError('INVALID_INPUT', 'sex must be F, M or U', 'sex');
}

/** First names separated by commas (the RNIV list of birth first names), 1 to 10 of them. */
function parseFirstNames(raw: string): string[] {
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) throw new RelaisError('TRAITS_MISSING', 'missing firstNames', 'firstNames');
  if (names.length > MAX_FIRST_NAMES) {
    throw new RelaisError('INVALID_INPUT', `at most ${MAX_FIRST_NAMES} first names`, 'firstNames');
  }
  return names.map((n) => parseName(n, 'firstNames'));
}

function parseBirthPlace(raw: string): string {
  const v = raw.toUpperCase();
  if (!INSEE_CODE.test(v) || v.startsWith('00')) {
    throw new RelaisError('INVALID_INPUT', 'birthPlace must be an INSEE code (5 characters, 2A/2B, 99xxx abroad)', 'birthPlace');
  }
  return v;
}

function parseLgcPatientId(raw: string): string {
  if (!LGC_PATIENT_ID.test(raw)) {
    throw new RelaisError('INVALID_INPUT', 'lgcPatientId: 1-64 characters among A-Z a-z 0-9 _ . : / { } + = # -', 'lgcPatientId');
  }
  return raw;
}

function parseRpps(raw: string): string {
  if (!RPPS.test(raw)) throw new RelaisError('INVALID_INPUT', 'rpps must be 11 digits', 'rpps');
  // A mistyped RPPS in the practice software's settings must not name another professional.
  if (!isValidRpps(raw)) throw new RelaisError('INVALID_INPUT', 'rpps check digit (Luhn) is wrong', 'rpps');
  return raw;
}

/** Normalises and validates the values of any launch channel into one LaunchContext. */
export function launchContextFromValues(values: RawLaunchValues): LaunchContext {
  if (typeof values !== 'object' || values === null) throw new RelaisError('INVALID_INPUT', 'no launch values');
  // Without an INS at all, the traits alone are searched on the platform and the professional
  // picks the patient (identity vigilance); half an INS (value without OID) is an error.
  const hasIns = optional(values, 'ins') !== undefined || optional(values, 'oid') !== undefined;
  const ins = hasIns ? parseIns(required(values, 'ins'), required(values, 'oid')) : undefined;
  const birthName = parseName(required(values, 'birthName'), 'birthName', true);
  const firstNames = parseFirstNames(required(values, 'firstNames'));
  const birthDate = parseBirthDate(required(values, 'birthDate'));
  const sex = parseSex(required(values, 'sex'));
  const birthPlace = optional(values, 'birthPlace');
  const lgcPatientId = optional(values, 'lgcPatientId');
  const rpps = optional(values, 'rpps');
  const context = {
    ...(ins ? { ins } : {}),
    birthName,
    firstNames,
    birthDate,
    sex,
    ...(birthPlace ? { birthPlace: parseBirthPlace(birthPlace) } : {}),
    ...(lgcPatientId ? { lgcPatientId: parseLgcPatientId(lgcPatientId) } : {}),
    ...(rpps ? { practitionerRpps: parseRpps(rpps) } : {}),
  };
  const parsed = LaunchContextSchema.safeParse(context);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    throw new RelaisError('INVALID_INPUT', `invalid launch context: ${field}`, field);
  }
  return parsed.data;
}
