/**
 * E-prescription ↔ FHIR R4, following the FR medication IG (hl7.fhir.fr.medication,
 * fr-medicationrequest): one MedicationRequest per line, all sharing a groupIdentifier (the
 * prescription id). Choices where the IG is silent are in docs/fhir-mapping.md (« E-prescription »).
 * Pure functions; the HTTP lives in ./prescription-adapter.ts.
 */
import type { Dosage, MedicationRequest, Organization, Practitioner, PractitionerRole, TimingRepeat } from '@medplum/fhirtypes';
import type { NewMedicationOrder, PrescriberDetails } from './fhir-adapter';
import { PS, RELAIS } from '../../platform/fhir/systems';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';

export const FR_MEDICATION_REQUEST_PROFILE = 'https://hl7.fr/ig/fhir/medication/StructureDefinition/fr-medicationrequest';
/** groupIdentifier system of Relais prescriptions (the national ordonnance numérique id is not public). */
export const PRESCRIPTION_ID_SYSTEM = 'https://relais.example/fhir/NamingSystem/prescription-id';
/** R4 core MedicationRequest.category: community (ville) prescriptions. */
export const MEDREQ_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';
/**
 * ALD zone of a bizone ordonnance (R161-45). Neither FR Core nor the FR medication IG defines it
 * (checked: the IG's extensions are dosage, treatment intent, drug characteristics…), so a Relais
 * code system on MedicationRequest.category.
 */
export const PRESCRIPTION_ZONE_SYSTEM = 'https://relais.example/fhir/CodeSystem/prescription-zone';
export const FINESS_SYSTEM = 'https://finess.esante.gouv.fr';
export const AM_NUMBER_SYSTEM = 'https://relais.example/fhir/NamingSystem/numero-assurance-maladie';
/** First dispensing must happen within 3 months of the date of the ordonnance (R5132-22). */
export const VALIDITY_MONTHS = 3;

const WHEN: readonly [RegExp, string][] = [
  [/\bmatin\b/, 'MORN'],
  [/\bmidi\b/, 'NOON'],
  [/\bsoir\b/, 'EVE'],
  [/\bcoucher\b/, 'HS'],
];

/**
 * Structured timing when the posology is simple enough to read without doubt: « N fois par
 * jour », or meal-time words (matin / midi / soir / coucher). Anything else stays text only —
 * a wrong structured dose is worse than none.
 */
export function simpleTiming(posology: string, durationDays: number | null): TimingRepeat | null {
  const p = posology.toLowerCase();
  const bounds = durationDays ? { boundsDuration: { value: durationDays, unit: 'jours', system: 'http://unitsofmeasure.org', code: 'd' } } : {};
  const perDay = /\b(\d{1,2})\s*fois\s+par\s+jour\b/.exec(p);
  if (perDay) return { frequency: Number(perDay[1]), period: 1, periodUnit: 'd', ...bounds };
  const when = WHEN.filter(([re]) => re.test(p)).map(([, code]) => code);
  if (when.length > 0 && !/\bsi\b|\bou\b|besoin/.test(p)) return { when: when as TimingRepeat['when'], ...bounds };
  return null;
}

function addMonths(isoDay: string, months: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function buildMedicationRequest(order: NewMedicationOrder): MedicationRequest {
  const { line } = order;
  const day = order.authoredOn.slice(0, 10);
  const timing = simpleTiming(line.posology, line.durationDays);
  const dosage: Dosage = {
    sequence: 1,
    text: line.posology,
    ...(line.instructions ? { patientInstruction: line.instructions } : {}),
    ...(timing ? { timing: { repeat: timing } } : {}),
    ...(line.route ? { route: { text: line.route } } : {}),
  };
  return {
    resourceType: 'MedicationRequest',
    meta: { profile: [FR_MEDICATION_REQUEST_PROFILE] },
    identifier: [{ system: CLIENT_ID_SYSTEM, value: order.clientId }],
    groupIdentifier: { system: PRESCRIPTION_ID_SYSTEM, value: order.prescriptionId },
    status: 'active',
    intent: 'order',
    category: [
      { coding: [{ system: MEDREQ_CATEGORY_SYSTEM, code: 'community', display: 'Community' }] },
      {
        coding: [
          line.ald
            ? { system: PRESCRIPTION_ZONE_SYSTEM, code: 'ald', display: 'En rapport avec l’affection de longue durée' }
            : { system: PRESCRIPTION_ZONE_SYSTEM, code: 'hors-ald', display: 'Sans rapport avec l’affection de longue durée' },
        ],
      },
    ],
    // Text only: a code (CIS / CIP of the BDPM) would need the drug database Relais does not have.
    medicationCodeableConcept: { text: line.medication },
    subject: { reference: `Patient/${order.patientId}` },
    authoredOn: order.authoredOn,
    requester: { reference: `Practitioner/${order.requester.practitionerId}`, display: order.requester.display },
    dosageInstruction: [dosage],
    dispenseRequest: {
      validityPeriod: { start: day, end: addMonths(day, VALIDITY_MONTHS) },
      numberOfRepeatsAllowed: line.renewals,
      ...(line.packs !== null ? { quantity: { value: line.packs, unit: 'boîte(s)' } } : {}),
      ...(line.durationDays !== null
        ? { expectedSupplyDuration: { value: line.durationDays, unit: 'jours', system: 'http://unitsofmeasure.org', code: 'd' } }
        : {}),
    },
    ...(order.weightKg !== null ? { note: [{ text: `Poids du patient : ${String(order.weightKg).replace('.', ',')} kg` }] } : {}),
  };
}

const text = (s: string | undefined | null): string | null => (s && s.trim() !== '' ? s.trim() : null);

/** Directory resources → the prescriber block of an ordonnance. */
export function mapPrescriber(practitioner: Practitioner, role: PractitionerRole | undefined, organization: Organization | undefined): PrescriberDetails {
  const name = practitioner.name?.find((n) => n.use === 'official') ?? practitioner.name?.[0];
  const rpps = practitioner.identifier?.find((i) => i.system === PS.rpps)?.value ?? null;
  const roleLabel =
    role?.code?.find((c) => c.coding?.some((x) => x.system === RELAIS.roleLabel))?.text ??
    role?.code?.flatMap((c) => c.coding ?? []).find((x) => x.system === RELAIS.roleLabel)?.display ??
    'Médecin';
  const specialty = role?.specialty?.[0]?.coding?.[0]?.display ?? role?.specialty?.[0]?.text ?? null;
  const finess = organization?.identifier?.find((i) => i.system === FINESS_SYSTEM)?.value;
  const am = role?.identifier?.find((i) => i.system === AM_NUMBER_SYSTEM)?.value;
  const address = organization?.address?.[0];
  const cityLine = [address?.postalCode, address?.city].filter(Boolean).join(' ');
  return {
    practitionerId: practitioner.id ?? '',
    prefix: text(name?.prefix?.[0]),
    givenName: name?.given?.join(' ') ?? '',
    familyName: name?.family ?? '',
    rpps,
    roleLabel,
    specialty,
    structure: {
      name: text(organization?.name) ?? text(role?.organization?.display),
      identifier: finess ? { kind: 'FINESS', value: finess } : am ? { kind: 'AM', value: am } : null,
      address: [...(address?.line ?? []), ...(cityLine ? [cityLine] : [])],
      phone: role?.telecom?.find((t) => t.system === 'phone')?.value ?? null,
    },
  };
}
