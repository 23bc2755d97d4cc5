import type { Ins, LaunchContext, Patient } from './contract';

// Built once: an Intl formatter costs about a millisecond to build, and counts are formatted on
// every render of the journal toolbar.
const COUNT = new Intl.NumberFormat('fr-FR');

/** A count the French way (« 10 000 »). */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/**
 * Pure formatting helpers (no React, no DOM): unit-tested in format.test.ts.
 */

/**
 * INS / NIR grouped as printed on the carte Vitale: sex, year, month, department, commune,
 * order, key (1-2-2-2-3-3-2): `2 95 10 99 126 111 93`. Anything not 15 characters is returned
 * unchanged rather than mangled.
 */
export function formatIns(value: string): string {
  const v = value.replace(/\s+/g, '').toUpperCase();
  if (v.length !== 15) return value;
  const groups = [1, 2, 2, 2, 3, 3, 2];
  const parts: string[] = [];
  let i = 0;
  for (const g of groups) {
    parts.push(v.slice(i, i + g));
    i += g;
  }
  return parts.join(' ');
}

/** `1952-03-07` → `07/03/1952`; RNIV unknown parts (`00`) are kept as `00`. */
export function formatBirthDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

export type Age =
  | { unit: 'days' | 'months' | 'years'; value: number; approximate: boolean }
  | null;

/**
 * Age at `now` from an RNIV birth date (month/day may be `00` when unknown). Under one month
 * in days, under two years in months, then in years. Unknown month/day give an approximate
 * age (counted from the middle of the unknown period, never negative).
 */
export function computeAge(birthDate: string, now: Date): Age {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return null;
  const year = Number(m[1]);
  let month = Number(m[2]);
  let day = Number(m[3]);
  const approximate = month === 0 || day === 0;
  if (month === 0) month = 7;
  if (day === 0) day = 1;
  if (month > 12 || day > 31) return null;
  const ny = now.getFullYear();
  const nm = now.getMonth() + 1;
  const nd = now.getDate();
  let months = (ny - year) * 12 + (nm - month);
  if (nd < day) months -= 1;
  if (months < 0) {
    if (approximate && ny >= year) return { unit: 'years', value: 0, approximate };
    return null;
  }
  if (months < 1 && !approximate) {
    const birth = new Date(year, month - 1, day);
    const today = new Date(ny, nm - 1, nd);
    const days = Math.round((today.getTime() - birth.getTime()) / 86_400_000);
    return days < 0 ? null : { unit: 'days', value: days, approximate };
  }
  if (months < 24) return { unit: 'months', value: months, approximate };
  return { unit: 'years', value: Math.floor(months / 12), approximate };
}

/** Local calendar day of an instant as `YYYY-MM-DD` (the key journal rows are grouped by). */
export function localDayKey(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export type DayLabel = { kind: 'today' } | { kind: 'yesterday' } | { kind: 'date'; date: Date };

/** Which header a day gets, relative to `now`: today, yesterday, or its full date. */
export function dayLabel(dayKey: string, now: Date): DayLabel {
  if (dayKey === localDayKey(now)) return { kind: 'today' };
  const y = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (dayKey === localDayKey(y)) return { kind: 'yesterday' };
  const [yy, mm, dd] = dayKey.split('-').map(Number);
  return { kind: 'date', date: new Date(yy ?? 1970, (mm ?? 1) - 1, dd ?? 1) };
}

export type JournalRow<E> = { type: 'day'; key: string; day: string } | { type: 'entry'; key: string; entry: E };

/**
 * Flattens entries (newest first) into rows with one day header before each new local day.
 * Linear, no Intl work: this runs over 10,000 entries on every journal update.
 */
export function groupByDay<E extends { id: string; date: string }>(entries: readonly E[]): JournalRow<E>[] {
  const rows: JournalRow<E>[] = [];
  let current = '';
  for (const entry of entries) {
    const t = Date.parse(entry.date);
    const day = Number.isNaN(t) ? 'unknown' : localDayKey(new Date(t));
    if (day !== current) {
      current = day;
      rows.push({ type: 'day', key: `day:${day}`, day });
    }
    rows.push({ type: 'entry', key: entry.id, entry });
  }
  return rows;
}

/**
 * Merges `incoming` into `existing` (both newest first): entries with the same id are
 * replaced by the incoming version, the result is sorted newest first. Stable for equal dates.
 */
export function mergeEntries<E extends { id: string; date: string }>(existing: readonly E[], incoming: readonly E[]): E[] {
  if (incoming.length === 0) return existing as E[];
  if (existing.length === 0) return sortNewestFirst([...incoming]);
  const byId = new Map<string, E>();
  for (const e of existing) byId.set(e.id, e);
  for (const e of incoming) byId.set(e.id, e);
  return sortNewestFirst([...byId.values()]);
}

function sortNewestFirst<E extends { id: string; date: string }>(entries: E[]): E[] {
  const keyed = entries.map((e, i) => ({ e, t: Date.parse(e.date) || 0, i }));
  keyed.sort((a, b) => b.t - a.t || a.i - b.i);
  return keyed.map((k) => k.e);
}

/** Lowercase, accents stripped, for name search (« Éloïse » matches « eloise »). */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[-'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every query word must start a word of the patient's names (birth, used, first names). */
export function matchesPatient(patient: Patient, query: string): boolean {
  const q = normalizeForSearch(query);
  if (q === '') return true;
  const haystack = normalizeForSearch(
    [patient.birthName, patient.usedName ?? '', patient.usedFirstName ?? '', ...patient.firstNames].join(' '),
  ).split(' ');
  return q.split(' ').every((word) => haystack.some((h) => h.startsWith(word)));
}

/** The LaunchContext `patient.open` expects, from a listed patient's traits; null without INS. */
export function launchContextOf(patient: Patient): LaunchContext | null {
  const ins: Ins | null = patient.ins;
  if (!ins) return null;
  const ctx: LaunchContext = {
    birthName: patient.birthName,
    firstNames: [...patient.firstNames],
    birthDate: patient.birthDate,
    sex: patient.sex,
    ins: { value: ins.value, oid: ins.oid },
  };
  if (patient.birthPlace !== undefined) ctx.birthPlace = patient.birthPlace;
  return ctx;
}

/** True when the used name is worth showing (differs from the birth name, ignoring case). */
export function differs(a: string | undefined, b: string): a is string {
  return a !== undefined && a.trim() !== '' && normalizeForSearch(a) !== normalizeForSearch(b);
}

const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const fullDayFormat = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
const fullDateTimeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short' });

/** `14:32` */
export function formatTime(date: Date): string {
  return timeFormat.format(date);
}

/** `Lundi 3 mars 2025` (capitalised: it starts a header). */
export function formatFullDay(date: Date): string {
  const s = fullDayFormat.format(date);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `03/03/2025 14:32` */
export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

/** `lundi 3 mars 2025 à 14:32`, for tooltips and datetime titles. */
export function formatFullDateTime(date: Date): string {
  return fullDateTimeFormat.format(date);
}

/** Noon of a `YYYY-MM-DD` local day (noon: safe from daylight-saving edges). */
export function dateOfDayKey(dayKey: string): Date {
  const [y, m, d] = dayKey.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12);
}

/**
 * A journal entry's time relative to `today` (`YYYY-MM-DD`): « aujourd'hui 14:02 », « hier 09:10 »,
 * else `03/03/2025 14:32`. Words come from the caller (the catalogue), so this stays pure.
 */
export function formatRelativeStamp(date: Date, today: string, words: { today: string; yesterday: string }): string {
  const key = localDayKey(date);
  const label = dayLabel(key, dateOfDayKey(today));
  if (label.kind === 'today') return `${words.today} ${formatTime(date)}`;
  if (label.kind === 'yesterday') return `${words.yesterday} ${formatTime(date)}`;
  return formatDateTime(date);
}

/** `YYYY-MM-DD` → `jj/mm/aaaa` for a date field ('' stays ''). */
export function isoToFrenchDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * What a date field's text means, whatever the browser's locale: `jj/mm/aaaa` (also `j/m/aaaa`,
 * `jj.mm.aaaa`, `jj-mm-aaaa`, `jjmmaaaa`, a two-digit year read as 20xx) or the ISO `aaaa-mm-jj`
 * that pasted values and tests use. Answers the ISO day, `''` for an empty field, or null when
 * the text is not a real calendar day (31/02, 00/01…).
 */
export function parseFrenchDate(text: string): string | null {
  const t = text.trim();
  if (t === '') return '';
  let d: number, m: number, y: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const fr = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$/.exec(t);
  const packed = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (fr) [d, m, y] = [Number(fr[1]), Number(fr[2]), fr[3]!.length === 2 ? 2000 + Number(fr[3]) : Number(fr[3])];
  else if (packed) [d, m, y] = [Number(packed[1]), Number(packed[2]), Number(packed[3])];
  else return null;
  if (y < 1850 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
