/**
 * Seed of the clinical header (issue 15, item 6): per patient, allergies (AllergyIntolerance),
 * affections de longue durée (Condition, category ALD), body weights (Observation, LOINC 29463-7,
 * vital-signs) and the trusted person / carer (RelatedPerson). Deterministic: each patient draws
 * from its own PRNG fork (`clinical:<id>`), added after everything else, so no other stream moves.
 */
import type { AllergyIntolerance, Condition, Observation, RelatedPerson, Resource } from '@medplum/fhirtypes';
import type { Prng } from './prng';

const DAY = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoInstant = (ms: number): string => new Date(ms).toISOString();

/** The sandbox's own copy of the codes (never imported from main/, docs/sandbox.md). */
export const CLINICAL_SEED_SYSTEMS = {
  loinc: 'http://loinc.org',
  conditionCategory: 'https://relais.example/fhir/CodeSystem/condition-category',
  relatedRole: 'https://relais.example/fhir/CodeSystem/related-role',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
} as const;

export interface ClinicalPatient {
  id: string;
  sex: 'M' | 'F';
  birthName: string;
  usedName?: string;
  region: 'landes' | 'meuse';
}

const ALLERGENS: readonly { text: string; category: 'medication' | 'food' | 'environment'; high: boolean }[] = [
  { text: 'Pénicillines (amoxicilline)', category: 'medication', high: true },
  { text: 'Iode (produits de contraste iodés)', category: 'medication', high: true },
  { text: 'Anti-inflammatoires non stéroïdiens', category: 'medication', high: false },
  { text: 'Sulfamides', category: 'medication', high: false },
  { text: 'Codéine', category: 'medication', high: false },
  { text: 'Latex', category: 'environment', high: false },
  { text: 'Arachide', category: 'food', high: true },
];

const ALD: readonly string[] = [
  'ALD 5 — Insuffisance cardiaque grave',
  'ALD 8 — Diabète de type 2',
  'ALD 15 — Maladie d’Alzheimer et autres démences',
  'ALD 3 — Artériopathie chronique avec manifestations ischémiques',
  'ALD 14 — Insuffisance respiratoire chronique grave',
  'ALD 19 — Néphropathie chronique grave',
  'ALD 16 — Maladie de Parkinson',
];

const GIVEN_F = ['Catherine', 'Sylvie', 'Martine', 'Isabelle', 'Nathalie', 'Christine'];
const GIVEN_M = ['Philippe', 'Alain', 'Patrick', 'Jean-Luc', 'Thierry', 'Bernard'];
const CHILDREN = [
  { code: 'DAU', display: 'fille', text: 'Fille', female: true },
  { code: 'SON', display: 'son', text: 'Fils', female: false },
  { code: 'NIECE', display: 'niece', text: 'Nièce', female: true },
  { code: 'NEPHEW', display: 'nephew', text: 'Neveu', female: false },
] as const;

function phone(rng: Prng, region: ClinicalPatient['region']): string {
  const mobile = rng.chance(0.7);
  const head = mobile ? rng.pick(['06', '07']) : region === 'landes' ? '05' : '03';
  const rest = Array.from({ length: 4 }, () => String(rng.int(0, 99)).padStart(2, '0')).join(' ');
  return `${head} ${rest}`;
}

function meta(ms: number) {
  return { versionId: '1', lastUpdated: isoInstant(ms) };
}

/** The header's resources of one patient (ids `<patient>-allergy-n`, `-ald-n`, `-weight-n`, `-related-n`). */
export function clinicalResources(rng: Prng, p: ClinicalPatient, refMs: number): Resource[] {
  const out: Resource[] = [];
  const today = Math.floor(refMs / DAY) * DAY;
  const subject = { reference: `Patient/${p.id}` };

  const nAllergies = rng.weighted([[0, 4], [1, 4], [2, 2]] as const);
  const allergens = [...ALLERGENS];
  for (let i = 0; i < nAllergies; i++) {
    const a = allergens.splice(rng.int(0, allergens.length - 1), 1)[0]!;
    const allergy: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: `${p.id}-allergy-${i + 1}`,
      meta: meta(today - rng.int(100, 600) * DAY),
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      type: 'allergy',
      category: [a.category],
      criticality: a.high ? 'high' : 'low',
      code: { text: a.text },
      patient: subject,
      recordedDate: isoDate(today - rng.int(100, 600) * DAY),
    };
    out.push(allergy);
  }

  const nAld = rng.weighted([[0, 2], [1, 5], [2, 3]] as const);
  const alds = [...ALD];
  for (let i = 0; i < nAld; i++) {
    const text = alds.splice(rng.int(0, alds.length - 1), 1)[0]!;
    const condition: Condition = {
      resourceType: 'Condition',
      id: `${p.id}-ald-${i + 1}`,
      meta: meta(today - rng.int(200, 900) * DAY),
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      category: [{ coding: [{ system: CLINICAL_SEED_SYSTEMS.conditionCategory, code: 'ald', display: 'Affection de longue durée' }], text: 'ALD' }],
      code: { text },
      subject,
    };
    out.push(condition);
  }

  // Two to four weights over the last months: the header shows the latest.
  let kg = rng.int(48, 92) + rng.int(0, 9) / 10;
  const nWeights = rng.int(2, 4);
  for (let i = 0; i < nWeights; i++) {
    const at = today - (nWeights - 1 - i) * rng.int(20, 45) * DAY - rng.int(1, 6) * DAY + rng.int(8, 17) * 3_600_000;
    kg = Math.round((kg + (rng.next() - 0.4) * 2) * 10) / 10;
    const obs: Observation = {
      resourceType: 'Observation',
      id: `${p.id}-weight-${i + 1}`,
      meta: { ...meta(at), profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns', 'http://hl7.org/fhir/StructureDefinition/bodyweight'] },
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { coding: [{ system: CLINICAL_SEED_SYSTEMS.loinc, code: '29463-7', display: 'Body weight' }], text: 'Poids' },
      subject,
      effectiveDateTime: isoInstant(at),
      valueQuantity: { value: kg, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    };
    out.push(obs);
  }

  const family = p.usedName ?? p.birthName;
  const contacts: { role: 'trusted-person' | 'carer'; chance: number }[] = [
    { role: 'trusted-person', chance: 0.75 },
    { role: 'carer', chance: 0.45 },
  ];
  let n = 0;
  for (const c of contacts) {
    if (!rng.chance(c.chance)) continue;
    const kin = rng.pick(CHILDREN);
    const given = rng.pick(kin.female ? GIVEN_F : GIVEN_M);
    const related: RelatedPerson = {
      resourceType: 'RelatedPerson',
      id: `${p.id}-related-${++n}`,
      meta: meta(today - rng.int(30, 400) * DAY),
      active: true,
      patient: subject,
      relationship: [
        {
          coding: [{ system: CLINICAL_SEED_SYSTEMS.relatedRole, code: c.role, display: c.role === 'trusted-person' ? 'Personne de confiance' : 'Aidant' }],
          text: c.role === 'trusted-person' ? 'Personne de confiance' : 'Aidant',
        },
        { coding: [{ system: CLINICAL_SEED_SYSTEMS.roleCode, code: kin.code, display: kin.display }], text: kin.text },
      ],
      name: [{ use: 'official', family, given: [given] }],
      telecom: [{ system: 'phone', value: phone(rng, p.region), use: 'mobile' }],
      gender: kin.female ? 'female' : 'male',
    };
    out.push(related);
  }
  return out;
}
