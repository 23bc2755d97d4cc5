/**
 * The journal entry that tells the care team an admission was requested. Its text goes to the
 * platform as written (the care team reads French), like the alert acknowledgement of posting.ts.
 */
import type { AdmissionPriority } from '../../../contract';

/** The same words as the window (issue 15): never « urgence », which a vital emergency is not sent as. */
export const PRIORITY_WORDS: Record<AdmissionPriority, string> = {
  routine: 'admission programmée',
  urgent: 'admission directe non programmée',
};

/** « 03/12/2026 » from « 2026-12-03 ». */
function frenchDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

export function announcementText(a: {
  establishment: string;
  service?: string | undefined;
  priority: AdmissionPriority;
  desiredDate: string;
  motive: string;
  homeReturnSupport: boolean;
}): string {
  const where = a.service ? `${a.establishment} — ${a.service}` : a.establishment;
  const lines = [
    `Demande d'admission envoyée : ${where}.`,
    `${PRIORITY_WORDS[a.priority][0]!.toUpperCase()}${PRIORITY_WORDS[a.priority].slice(1)}, souhaitée le ${frenchDay(a.desiredDate)}.`,
    `Motif : ${a.motive}`,
  ];
  if (a.homeReturnSupport) lines.push('Retour à domicile à préparer avec l’équipe de coordination.');
  return lines.join('\n');
}
