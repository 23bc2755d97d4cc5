/**
 * Structures of the referential as FHIR Organizations, with what an ordonnance must print
 * (R5132-3: the prescriber's address) and the structure barcode needs (FINESS for an
 * establishment; the Assurance Maladie number of the practice in private practice, which the
 * sandbox carries on the PractitionerRole). Every address and number here is fictitious: street
 * names are invented, FINESS numbers use the 40/55 department prefix followed by 99…, and AM numbers
 * follow the 9-character shape (department, category 1 = médecin, order, key) without a real key.
 */
import type { Identifier, Organization } from '@medplum/fhirtypes';
import { AM_NUMBER_SYSTEM, FINESS_SYSTEM } from '../../main/features/prescription/fhir-mapping';
import { PROFESSIONALS, type ProfessionalSeed } from './referential';

interface StructureSeed {
  line: string;
  postalCode: string;
  city: string;
  finess?: string;
}

/** By organization name as the referential spells it. */
const STRUCTURES: Readonly<Record<string, StructureSeed>> = {
  'MSP des Arènes, Mont-de-Marsan': { line: '12 rue des Arènes', postalCode: '40000', city: 'Mont-de-Marsan' },
  'MSP de Saint-Sever': { line: '3 place du Tour du Sol', postalCode: '40500', city: 'Saint-Sever' },
  'Cabinet médical de Verdun': { line: '8 rue de la Fiction', postalCode: '55100', city: 'Verdun' },
  'Centre hospitalier de Mont-de-Marsan': { line: '1 avenue de l’Exemple', postalCode: '40000', city: 'Mont-de-Marsan', finess: '400099991' },
  'Centre hospitalier de Dax – Côte d’Argent': { line: '2 boulevard de l’Exemple', postalCode: '40100', city: 'Dax', finess: '400099992' },
  'Centre hospitalier de Verdun': { line: '2 rue de l’Exemple', postalCode: '55100', city: 'Verdun', finess: '550099993' },
};

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');

export const organizationIdOf = (name: string): string => `org-${ascii(name).slice(0, 48)}`;

/** The Organizations of the structures whose address the sandbox knows (where prescribers work). */
export function organizationResources(lastUpdated: string): Organization[] {
  return Object.entries(STRUCTURES).map(([name, s]) => ({
    resourceType: 'Organization',
    id: organizationIdOf(name),
    meta: { versionId: '1', lastUpdated },
    active: true,
    ...(s.finess ? { identifier: [{ system: FINESS_SYSTEM, value: s.finess }] } : {}),
    name,
    address: [{ use: 'work', line: [s.line], postalCode: s.postalCode, city: s.city, country: 'FRA' }],
  }));
}

/** The PractitionerRole's link to its structure: a reference when the sandbox has it as an Organization. */
export function organizationRefOf(p: ProfessionalSeed): { reference?: string; display: string } {
  return STRUCTURES[p.organization] ? { reference: `Organization/${organizationIdOf(p.organization)}`, display: p.organization } : { display: p.organization };
}

/**
 * Fictitious AM number of a physician in private practice (not in a FINESS establishment):
 * department (40 / 55), category 1 (médecin), five digits from the RPPS, and a placeholder key.
 */
export function amNumberIdentifierOf(p: ProfessionalSeed): Identifier[] {
  const s = STRUCTURES[p.organization];
  if (!s || s.finess || p.profession.code !== '10') return [];
  return [{ system: AM_NUMBER_SYSTEM, value: `${s.postalCode.slice(0, 2)}1${p.rpps.slice(-5)}0` }];
}

/** For tests: every physician the referential seeds with a known practice address. */
export const PRESCRIBERS_WITH_ADDRESS = PROFESSIONALS.filter((p) => p.profession.code === '10' && STRUCTURES[p.organization]).map((p) => p.id);
