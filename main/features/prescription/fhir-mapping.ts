/**
 * E-prescription ↔ FHIR R4, following the FR medication IG (hl7.fhir.fr.medication,
 * fr-medicationrequest): one MedicationRequest per line, all sharing a groupIdentifier (the
 * prescription id). Choices where the IG is silent are in docs/fhir-mapping.md (« E-prescription »).
 * Pure functions; the HTTP lives in ./prescription-adapter.ts.
 */
import type { Dosage, Medication, MedicationRequest, Organization, Practitioner, PractitionerRole, Quantity, TimingRepeat } from '@medplum/fhirtypes';
import { intakesPerDay, MOMENT_WHEN, type DrugChoice, type PrescriptionLine } from '../../../contract';
import { dciName } from '../../drugs/build';
import { ANSM_SUBSTANCE_SYSTEM, CIS_SYSTEM, DOSE_RATE_TYPE_SYSTEM, EDQM_ROUTES, EDQM_SYSTEM, NON_SUBSTITUTABLE_SYSTEM, UCUM_SYSTEM, UCUM_UNITS } from './fhir-systems';
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

const NS_DISPLAY = { MTE: 'Marge thérapeutique étroite', EFG: 'Enfant de moins de six ans, pas de générique de forme adaptée', CIF: 'Contre-indication formelle à un excipient à effet notoire' } as const;

function addMonths(isoDay: string, months: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** « 1000 mg » → a UCUM quantity; null when the BDPM dosage is not a plain mass (« 5 g/100 ml »). */
export function strengthQuantity(dosage: string): Quantity | null {
  const m = /^(\d+(?:,\d+)?)\s*(mg|g|µg)$/i.exec(dosage.trim());
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  return { value: Number(m[1]!.replace(',', '.')), unit, system: UCUM_SYSTEM, code: UCUM_UNITS[unit]! };
}

/**
 * The contained Medication of a line chosen in the database (FR medication IG): a speciality
 * « FrMedicationUcd-like » (coded by its CIS — the IG binds UCD, which the BDPM does not give,
 * hence no meta.profile), a DCI line « FrMedicationNonproprietaryName-like » (substances coded by
 * ANSM substance code, the DCI wording as text: the IG's SNOMED CT code is not in the BDPM).
 */
export function buildMedication(drug: DrugChoice): Medication {
  const ingredient = drug.substances.map((s) => {
    const strength = s.dosage ? strengthQuantity(s.dosage) : null;
    return {
      itemCodeableConcept: { coding: [{ system: ANSM_SUBSTANCE_SYSTEM, code: s.code, display: s.name }], text: dciName(s.name) },
      isActive: true,
      ...(strength ? { strength: { numerator: strength, denominator: { value: 1, unit: drug.form } } } : {}),
    };
  });
  return {
    resourceType: 'Medication',
    id: 'med',
    code:
      drug.kind === 'speciality'
        ? { coding: [{ system: CIS_SYSTEM, code: drug.cis, display: drug.specialityName ?? drug.dciLabel }], text: drug.specialityName ?? drug.dciLabel }
        : { text: drug.dciLabel },
    form: { text: drug.form },
    ...(ingredient.length > 0 ? { ingredient } : {}),
  };
}

/** The route: what the GP wrote, else the BDPM's; EDQM-coded when the BDPM route is known. */
function routeOf(line: PrescriptionLine): Dosage['route'] | null {
  const bdpm = line.drug?.routes.length === 1 ? line.drug.routes[0]! : null;
  const edqm = bdpm ? EDQM_ROUTES[bdpm] : undefined;
  const text = line.route || (bdpm ? `voie ${bdpm}` : '');
  if (!text && !edqm) return null;
  return { ...(edqm ? { coding: [{ system: EDQM_SYSTEM, code: edqm.code, display: edqm.display }] } : {}), ...(text ? { text } : {}) };
}

/** Structured dosage (timing, doseAndRate, route) from the posology fields, plus its sentence. */
export function buildDosage(line: PrescriptionLine): Dosage {
  const bounds = line.durationDays ? { boundsDuration: { value: line.durationDays, unit: 'jours', system: UCUM_SYSTEM, code: 'd' } } : {};
  const p = line.dosage;
  const timing: TimingRepeat | null = p
    ? p.moments.length > 0
      ? { frequency: 1, period: 1, periodUnit: 'd', when: p.moments.map((m) => MOMENT_WHEN[m]), ...bounds }
      : { frequency: intakesPerDay(p), period: 1, periodUnit: 'd', ...bounds }
    : simpleTiming(line.posology, line.durationDays);
  const ucum = p ? UCUM_UNITS[p.unit.toLowerCase()] : undefined;
  const route = routeOf(line);
  return {
    sequence: 1,
    text: line.posology,
    ...(line.instructions ? { patientInstruction: line.instructions } : {}),
    ...(timing ? { timing: { repeat: timing } } : {}),
    ...(route ? { route } : {}),
    ...(p
      ? {
          doseAndRate: [
            {
              type: { coding: [{ system: DOSE_RATE_TYPE_SYSTEM, code: 'ordered', display: 'Ordered' }] },
              doseQuantity: { value: p.dose, unit: p.unit, ...(ucum ? { system: UCUM_SYSTEM, code: ucum } : {}) },
            },
          ],
        }
      : {}),
  };
}

export function buildMedicationRequest(order: NewMedicationOrder): MedicationRequest {
  const { line } = order;
  const day = order.authoredOn.slice(0, 10);
  const dosage = buildDosage(line);
  const ns = line.nonSubstitutable;
  const notes = [
    ...(order.weightKg !== null ? [`Poids du patient : ${String(order.weightKg).replace('.', ',')} kg`] : []),
    ...(line.drug?.rules.secure ? ['Ordonnance sécurisée (stupéfiant ou assimilé) : quantités en toutes lettres sur l’ordonnance'] : []),
    ...(line.drug?.rules.fractionDays ? [`Délivrance fractionnée de ${line.drug.rules.fractionDays} jours`] : []),
  ];
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
    // A drug from the database: contained Medication (CIS / substances); a free-text line: text only.
    ...(line.drug
      ? { contained: [buildMedication(line.drug)], medicationReference: { reference: '#med', display: line.medication } }
      : { medicationCodeableConcept: { text: line.medication } }),
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
    ...(ns
      ? {
          substitution: {
            allowedBoolean: false,
            reason: { coding: [{ system: NON_SUBSTITUTABLE_SYSTEM, code: ns, display: NS_DISPLAY[ns] }], text: `Non substituable (${ns})` },
          },
        }
      : {}),
    ...(notes.length > 0 ? { note: notes.map((text) => ({ text })) } : {}),
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
