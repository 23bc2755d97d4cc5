/**
 * The journal entry that tells the care team a referral was made (« Adressage à … : motif »). Its
 * text goes to the platform as written (the care team reads French), like admission-text.ts. It
 * never carries the clinical context: that one is a separate entry labelled medical.
 */
import type { ReferralUrgency } from '../../../contract';

/** « 03/12/2026 » from « 2026-12-03 ». */
function frenchDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

export function announcementText(r: { recipient: string; reason: string; urgency: ReferralUrgency; expectedAction?: string | undefined; desiredDate?: string | undefined }): string {
  const lines = [`Adressage à ${r.recipient} : ${r.reason}`];
  const when = [r.urgency === 'urgent' ? 'Urgent' : null, r.desiredDate ? `souhaité le ${frenchDay(r.desiredDate)}` : null].filter(Boolean).join(', ');
  if (when) lines.push(`${when[0]!.toUpperCase()}${when.slice(1)}.`);
  if (r.expectedAction) lines.push(`Attendu : ${r.expectedAction}`);
  return lines.join('\n');
}

export const contextText = (context: string): string => `Contexte clinique de l'adressage :\n${context}`;
