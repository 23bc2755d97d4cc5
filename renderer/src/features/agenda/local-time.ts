/**
 * The practice's wall clock ↔ ISO instants with their offset. The form speaks in local day and
 * time (what the secretary reads on the calendar); the platform gets the offset, never a guess.
 */
const pad = (n: number) => String(n).padStart(2, '0');

/** « 2026-12-01 », « 09:30 » → « 2026-12-01T09:30:00+01:00 » (offset of that local moment, DST included). */
export function localInstant(day: string, time: string): string {
  const d = new Date(`${day}T${time}:00`);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${day}T${time}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** An instant → its local day and time, to fill the form. */
export function splitLocal(iso: string): { day: string; time: string } {
  const d = new Date(iso);
  return { day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/** Minutes between two instants (null when the end is unknown). */
export function minutesBetween(start: string, end: string | null): number | null {
  if (!end) return null;
  return Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
}
