/**
 * The medication circuit as the platform knows it (issue 14, item 6), for a few patients: what
 * the pharmacy dispensed (MedicationDispense), what was given and validated at home
 * (MedicationAdministration: the home-help worker or the nurse confirms a dose was taken), the
 * pharmacist's « bilan partagé de médication » (a Composition), and a recent laboratory result
 * (Observation) so a dose change « after a lab result » can be shown. Derived from the resources
 * already built (the patient's first active treatment, its care team's pharmacist and nurse), so
 * nothing else of the seed moves. Dates are relative to REFERENCE_DATE.
 */
import { PLATFORM } from '../fhir/systems';
import type { CareTeam, Composition, MedicationAdministration, MedicationDispense, MedicationRequest, Observation, PractitionerRole, Resource } from '@medplum/fhirtypes';

/** Patients with a seeded circuit: the e2e's patient and the prescription tests' one. */
export const CIRCUIT_PATIENTS = ['pat-01', 'pat-bench-500'] as const;
/** Composition.type of a medication review (local: the BPM has no LOINC code we could confirm). */
export const MEDICATION_REVIEW_SYSTEM = 'https://relais.example/fhir/CodeSystem/document-type';
export const MEDICATION_REVIEW_CODE = 'medication-review';
const DAY = 86_400_000;

export function medicationCircuitResources(all: readonly Resource[], referenceDate: string): Resource[] {
  const ref = Date.parse(referenceDate);
  const at = (days: number, hour = 8) => new Date(Math.floor(ref / DAY) * DAY - days * DAY + hour * 3_600_000).toISOString();
  const roles = new Map(all.filter((r): r is PractitionerRole => r.resourceType === 'PractitionerRole').map((r) => [r.id!, r]));
  const out: Resource[] = [];
  for (const pid of CIRCUIT_PATIENTS) {
    const team = all.find((r): r is CareTeam => r.resourceType === 'CareTeam' && r.subject?.reference === `Patient/${pid}`);
    const members = (team?.participant ?? []).map((p) => roles.get(p.member?.reference?.replace('PractitionerRole/', '') ?? '')).filter((r): r is PractitionerRole => !!r);
    const byRole = (code: string) => members.find((m) => m.code?.some((c) => c.coding?.some((x) => x.system === PLATFORM.roleLabelCodeSystem && x.code === code)));
    const pharmacist = byRole('pharmacist');
    const nurse = byRole('nurse');
    const meds = all.filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && r.subject?.reference === `Patient/${pid}` && r.status === 'active');
    const med = meds[0];
    if (!team || !pharmacist || !nurse || !med) continue;
    const roleRef = (r: PractitionerRole) => ({ reference: `PractitionerRole/${r.id}`, display: r.practitioner?.display ?? '' });
    const subject = { reference: `Patient/${pid}` };
    const meta = (iso: string) => ({ versionId: '1', lastUpdated: iso });
    for (const [i, m] of meds.entries()) {
      const dispense: MedicationDispense = {
        resourceType: 'MedicationDispense',
        id: `${pid}-disp-${i + 1}`,
        meta: meta(at(12)),
        status: 'completed',
        medicationCodeableConcept: m.medicationCodeableConcept ?? { text: 'Médicament' },
        subject,
        performer: [{ actor: roleRef(pharmacist) }],
        authorizingPrescription: [{ reference: `MedicationRequest/${m.id}` }],
        whenHandedOver: at(12, 10),
      };
      out.push(dispense);
    }
    const administration: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      id: `${pid}-admin-1`,
      meta: meta(at(1, 9)),
      status: 'completed',
      medicationCodeableConcept: med.medicationCodeableConcept ?? { text: 'Médicament' },
      subject,
      effectiveDateTime: at(1, 8),
      // A home-help worker has no directory entry here: named by display only.
      performer: [{ actor: { display: 'Aide à domicile (SAAD du Marsan)' } }],
      request: { reference: `MedicationRequest/${med.id}` },
      note: [{ text: 'Prise validée à domicile (pilulier du matin)' }],
    };
    const review: Composition = {
      resourceType: 'Composition',
      id: `${pid}-bpm-1`,
      meta: meta(at(20)),
      status: 'final',
      type: { coding: [{ system: MEDICATION_REVIEW_SYSTEM, code: MEDICATION_REVIEW_CODE, display: 'Bilan partagé de médication' }], text: 'Bilan partagé de médication' },
      subject,
      date: at(20, 11),
      author: [roleRef(pharmacist)],
      title: 'Bilan partagé de médication',
      section: [
        { title: 'Observance', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Bonne observance avec pilulier hebdomadaire.</div>' } },
        {
          title: 'Propositions au médecin',
          text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Réévaluer l’association avec le paracétamol en automédication ; contrôle de la kaliémie.</div>' },
        },
      ],
    };
    const lab: Observation = {
      resourceType: 'Observation',
      id: `${pid}-lab-1`,
      meta: meta(at(1, 14)),
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' }], text: 'Kaliémie' },
      subject,
      effectiveDateTime: at(1, 7),
      issued: at(1, 14),
      valueQuantity: { value: 5.6, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
      interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H', display: 'High' }] }],
    };
    out.push(administration, review, lab);
  }
  return out;
}
