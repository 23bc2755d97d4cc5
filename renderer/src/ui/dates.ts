/** Dates of the panels, French style. Days (YYYY-MM-DD) are calendar days: no time zone shift. */
const DAY = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const APPT_DAY = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: 'numeric', month: 'short' });
const APPT_YEAR = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const STAMP = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function fmtDay(day: string | null): string {
  if (!day) return '—';
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : DAY.format(d);
}

/** « mar. 22 déc. » (+ the year when it is not the current one). */
export function fmtApptDay(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  return (d.getFullYear() === now.getFullYear() ? APPT_DAY : APPT_YEAR).format(d);
}

export function fmtTime(iso: string): string {
  return TIME.format(new Date(iso));
}

export function fmtStamp(iso: string): string {
  return STAMP.format(new Date(iso));
}

/** Local calendar day of now, YYYY-MM-DD, to compare with due dates. */
export function todayKey(now: Date = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
