import { LaunchContextSchema, RelaisError, type LaunchContext, type Sex } from '../../contract';
import { parseIns } from './ins';

/** Raw string values as they arrive from a URL query or command-line options. */
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

const NAME_CHARS = /^[A-Za-zÀ-ÖØ-öø-ÿŒœ' -]+$/;
const MAX_NAME = 100;

function required(values: RawLaunchValues, field: keyof RawLaunchValues): string {
  const v = values[field]?.trim();
  if (!v) throw new RelaisError('TRAITS_MISSING', `missing ${field}`, field);
  return v;
}

function parseName(raw: string, field: string): string {
  const v = raw.replace(/\s+/g, ' ').trim();
  if (v.length > MAX_NAME || !NAME_CHARS.test(v)) {
    throw new RelaisError('INVALID_INPUT', `${field} has invalid characters or length`, field);
  }
  return v;
}

/** YYYY-MM-DD; RNIV allows 00 for an unknown day or month (partially unknown birth dates). */
export function parseBirthDate(raw: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) throw new RelaisError('INVALID_INPUT', 'birthDate must be YYYY-MM-DD', 'birthDate');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1850 || month > 12 || day > 31 || (month === 0 && day !== 0)) {
    throw new RelaisError('INVALID_INPUT', 'birthDate out of range', 'birthDate');
  }
  if (month !== 0 && day !== 0) {
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCMonth() !== month - 1) throw new RelaisError('INVALID_INPUT', 'birthDate does not exist', 'birthDate');
  }
  return raw;
}

function parseSex(raw: string): Sex {
  const v = raw.toUpperCase();
  if (v === 'F' || v === 'M' || v === 'U') return v;
  throw new RelaisError('INVALID_INPUT', 'sex must be F, M or U', 'sex');
}

/** Normalises and validates the values of any launch channel into one LaunchContext. */
export function launchContextFromValues(values: RawLaunchValues): LaunchContext {
  const ins = parseIns(required(values, 'ins'), required(values, 'oid'));
  const birthName = parseName(required(values, 'birthName'), 'birthName').toUpperCase();
  const firstNames = required(values, 'firstNames')
    .split(/[,]/)
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => parseName(n, 'firstNames'));
  if (firstNames.length === 0) throw new RelaisError('TRAITS_MISSING', 'missing firstNames', 'firstNames');
  const context = {
    ins,
    birthName,
    firstNames,
    birthDate: parseBirthDate(required(values, 'birthDate')),
    sex: parseSex(required(values, 'sex')),
    ...(values.birthPlace?.trim() ? { birthPlace: values.birthPlace.trim().toUpperCase() } : {}),
    ...(values.lgcPatientId?.trim() ? { lgcPatientId: values.lgcPatientId.trim() } : {}),
    ...(values.rpps?.trim() ? { practitionerRpps: values.rpps.trim() } : {}),
  };
  const parsed = LaunchContextSchema.safeParse(context);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    throw new RelaisError('INVALID_INPUT', `invalid launch context: ${field}`, field);
  }
  return parsed.data;
}
