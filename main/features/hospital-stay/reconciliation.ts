/**
 * Treatments before / after a hospital stay, side by side (issue 13): the active treatments the
 * platform held before (MedicationRequest) against the establishment's treatments at discharge.
 * Paired by substance (the first word of the DCI, accents and case folded): same text and posology
 * → kept; same substance but another strength or posology → dose changed; only before → stopped;
 * only after → new.
 */
import type { ReconciliationRow } from '../../../contract';

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
/** « Bisoprolol 2,5 mg, comprimé » → « bisoprolol ». */
export const substanceOf = (medication: string) => fold(medication).split(/[\s,]/)[0] ?? '';

export function reconcile(before: readonly { medication: string; posology: string }[], after: readonly { medication: string; posology: string }[]): ReconciliationRow[] {
  const rows: ReconciliationRow[] = [];
  const left = new Map(before.map((b) => [substanceOf(b.medication), b]));
  const seen = new Set<string>();
  for (const a of after) {
    const key = substanceOf(a.medication);
    const b = left.get(key);
    seen.add(key);
    if (!b) rows.push({ medication: a.medication, before: null, after: a.posology, change: 'new' });
    else {
      const same = fold(b.medication) === fold(a.medication) && fold(b.posology) === fold(a.posology);
      rows.push({
        medication: a.medication,
        before: same ? b.posology : `${b.medication} — ${b.posology}`,
        after: same ? a.posology : `${a.medication} — ${a.posology}`,
        change: same ? 'kept' : 'dose-changed',
      });
    }
  }
  for (const [key, b] of left) if (!seen.has(key)) rows.push({ medication: b.medication, before: b.posology, after: null, change: 'stopped' });
  const order = { 'dose-changed': 0, new: 1, stopped: 2, kept: 3 } as const;
  return rows.sort((x, y) => order[x.change] - order[y.change] || x.medication.localeCompare(y.medication, 'fr'));
}
