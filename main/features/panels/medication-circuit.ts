/**
 * The medication circuit beside the treatments (issue 14, item 6; docs/fhir-mapping.md
 * « Medication circuit »): per MedicationRequest the last MedicationDispense (authorizingPrescription)
 * and the last MedicationAdministration (request), and the pharmacy's latest medication review
 * (Composition of type medication-review). The review's XHTML is reduced to plain text here:
 * platform content is hostile and never rendered as HTML.
 */
import type { Composition, MedicationAdministration, MedicationDispense } from '@medplum/fhirtypes';
import type { PatientPanels, Treatment } from '../../../contract';
import { referenceId } from '../../platform/fhir/mapping';

export const MEDICATION_REVIEW_TYPE = { system: 'https://relais.example/fhir/CodeSystem/document-type', code: 'medication-review' } as const;

const latest = <T>(items: T[], at: (x: T) => string | undefined): T | undefined =>
  items.filter((x) => at(x)).sort((a, b) => at(b)!.localeCompare(at(a)!))[0];

export function withCircuit(treatments: Treatment[], dispenses: MedicationDispense[], administrations: MedicationAdministration[]): Treatment[] {
  return treatments.map((t) => {
    const mine = dispenses.filter((d) => d.authorizingPrescription?.some((r) => referenceId(r.reference, 'MedicationRequest') === t.id));
    const given = administrations.filter((a) => referenceId(a.request?.reference, 'MedicationRequest') === t.id && a.status === 'completed');
    if (mine.length === 0 && given.length === 0) return t;
    const done = latest(
      mine.filter((d) => d.status === 'completed'),
      (d) => d.whenHandedOver,
    );
    const onHold = mine.find((d) => d.status === 'on-hold');
    const admin = latest(given, (a) => a.effectiveDateTime ?? a.effectivePeriod?.end);
    return {
      ...t,
      circuit: {
        dispensedAt: done?.whenHandedOver ?? null,
        dispenseProblem: onHold ? (onHold.statusReasonCodeableConcept?.text ?? 'Délivrance suspendue') : null,
        administeredAt: admin ? (admin.effectiveDateTime ?? admin.effectivePeriod?.end ?? null) : null,
        administeredBy: admin?.performer?.[0]?.actor.display ?? null,
      },
    };
  });
}

/** Plain text of a narrative div: tags dropped, the few entities a narrative uses decoded. */
export function narrativeText(div: string | undefined): string {
  if (!div) return '';
  return div
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 2000);
}

export function mapMedicationReview(compositions: Composition[]): PatientPanels['medicationReview'] {
  const review = latest(
    compositions.filter((c) => c.status !== 'entered-in-error' && c.type?.coding?.some((x) => x.system === MEDICATION_REVIEW_TYPE.system && x.code === MEDICATION_REVIEW_TYPE.code)),
    (c) => c.date,
  );
  if (!review) return null;
  return {
    date: review.date,
    author: review.author?.[0]?.display ?? '',
    title: review.title || 'Bilan partagé de médication',
    sections: (review.section ?? []).map((s) => ({ title: s.title ?? '', text: narrativeText(s.text?.div) })).filter((s) => s.text || s.title),
  };
}
