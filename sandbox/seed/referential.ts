/** Fixed reference data of the sandbox: professionals, names, birth places. Not seed-dependent. */
import { PLATFORM } from '../fhir/systems';
import { testRpps as rpps } from './rpps';

export type RoleKind = 'gp' | 'nurse' | 'pharmacist' | 'physio' | 'specialist' | 'coordinator' | 'social';
export type Region = 'landes' | 'meuse';

export interface ProfessionalSeed {
  /** Practitioner id; the PractitionerRole id is `role-` + the part after `prac-`. */
  id: string;
  rpps: string;
  family: string;
  given: string;
  sex: 'M' | 'F';
  profession: { code: string; display: string; system?: string };
  role: RoleKind;
  roleLabel: string;
  specialty?: { code: string; display: string };
  organization: string;
  region: Region;
  title?: string;
}

const MED = { code: '10', display: 'Médecin' };
const PHARMA = { code: '21', display: 'Pharmacien' };
const INF = { code: '60', display: 'Infirmier' };
const MK = { code: '70', display: 'Masseur-kinésithérapeute' };
/** Social workers are not health professionals: no TRE-G15 code, a local Relais code instead. */
const ASS = { code: 'ASS', display: 'Assistant de service social', system: PLATFORM.professionCodeSystem };
const SM54 = { code: 'SM54', display: 'Médecine générale' };


export const PROFESSIONALS: readonly ProfessionalSeed[] = [
  { id: 'prac-dufau', rpps: rpps('0101'), family: 'DUFAU', given: 'Hélène', sex: 'F', profession: MED, role: 'gp', roleLabel: 'Médecin généraliste', specialty: SM54, organization: 'MSP des Arènes, Mont-de-Marsan', region: 'landes', title: 'Dr' },
  { id: 'prac-laborde', rpps: rpps('0102'), family: 'LABORDE', given: 'Pierre', sex: 'M', profession: MED, role: 'gp', roleLabel: 'Médecin généraliste', specialty: SM54, organization: 'MSP de Saint-Sever', region: 'landes', title: 'Dr' },
  { id: 'prac-humbert', rpps: rpps('0103'), family: 'HUMBERT', given: 'Marc', sex: 'M', profession: MED, role: 'gp', roleLabel: 'Médecin généraliste', specialty: SM54, organization: 'Cabinet médical de Verdun', region: 'meuse', title: 'Dr' },
  { id: 'prac-lamothe', rpps: rpps('0201'), family: 'LAMOTHE', given: 'Sophie', sex: 'F', profession: INF, role: 'nurse', roleLabel: 'Infirmière à domicile', organization: 'Cabinet infirmier du Marsan', region: 'landes' },
  { id: 'prac-darrigade', rpps: rpps('0202'), family: 'DARRIGADE', given: 'Jean-Michel', sex: 'M', profession: INF, role: 'nurse', roleLabel: 'Infirmier à domicile', organization: 'Cabinet infirmier de Saint-Sever', region: 'landes' },
  { id: 'prac-collignon', rpps: rpps('0203'), family: 'COLLIGNON', given: 'Aurélie', sex: 'F', profession: INF, role: 'nurse', roleLabel: 'Infirmière à domicile', organization: 'Cabinet infirmier de Bar-le-Duc', region: 'meuse' },
  { id: 'prac-broca', rpps: rpps('0301'), family: 'BROCA', given: 'Isabelle', sex: 'F', profession: PHARMA, role: 'pharmacist', roleLabel: "Pharmacienne d'officine", organization: 'Pharmacie des Arènes, Mont-de-Marsan', region: 'landes' },
  { id: 'prac-castagnet', rpps: rpps('0302'), family: 'CASTAGNET', given: 'Laure', sex: 'F', profession: PHARMA, role: 'pharmacist', roleLabel: "Pharmacienne d'officine", organization: 'Pharmacie du Marché, Saint-Sever', region: 'landes' },
  { id: 'prac-muller', rpps: rpps('0303'), family: 'MULLER', given: 'Thomas', sex: 'M', profession: PHARMA, role: 'pharmacist', roleLabel: "Pharmacien d'officine", organization: 'Pharmacie de la Meuse, Commercy', region: 'meuse' },
  { id: 'prac-dupouy', rpps: rpps('0401'), family: 'DUPOUY', given: 'Nicolas', sex: 'M', profession: MK, role: 'physio', roleLabel: 'Masseur-kinésithérapeute', organization: 'Cabinet de kinésithérapie des Landes', region: 'landes' },
  { id: 'prac-georges', rpps: rpps('0402'), family: 'GEORGES', given: 'Camille', sex: 'F', profession: MK, role: 'physio', roleLabel: 'Masseur-kinésithérapeute', organization: 'Cabinet de kinésithérapie de Verdun', region: 'meuse' },
  { id: 'prac-bergeron', rpps: rpps('0501'), family: 'BERGERON', given: 'Anne-Sophie', sex: 'F', profession: MED, role: 'specialist', roleLabel: 'Cardiologue', organization: 'Centre hospitalier de Mont-de-Marsan', region: 'landes', title: 'Dr' },
  { id: 'prac-lacoste', rpps: rpps('0502'), family: 'LACOSTE', given: 'François', sex: 'M', profession: MED, role: 'specialist', roleLabel: 'Gériatre', organization: 'Centre hospitalier de Dax – Côte d’Argent', region: 'landes', title: 'Dr' },
  { id: 'prac-lefevre', rpps: rpps('0503'), family: 'LEFÈVRE', given: 'Bernard', sex: 'M', profession: MED, role: 'specialist', roleLabel: 'Cardiologue', organization: 'Centre hospitalier de Verdun', region: 'meuse', title: 'Dr' },
  { id: 'prac-larrieu', rpps: rpps('0601'), family: 'LARRIEU', given: 'Marie', sex: 'F', profession: INF, role: 'coordinator', roleLabel: "Coordinatrice d'appui", organization: 'Santé Landes – cellule de soutien', region: 'landes' },
  { id: 'prac-petitjean', rpps: rpps('0602'), family: 'PETITJEAN', given: 'Valérie', sex: 'F', profession: INF, role: 'coordinator', roleLabel: "Coordinatrice d'appui", organization: 'DAC Meuse – e-Meuse santé', region: 'meuse' },
  { id: 'prac-sarrazin', rpps: rpps('0701'), family: 'SARRAZIN', given: 'Nathalie', sex: 'F', profession: ASS, role: 'social', roleLabel: 'Assistante sociale', organization: 'Santé Landes – cellule de soutien', region: 'landes' },
  { id: 'prac-mangin', rpps: rpps('0702'), family: 'MANGIN', given: 'Julie', sex: 'F', profession: ASS, role: 'social', roleLabel: 'Assistante sociale', organization: 'Conseil départemental de la Meuse', region: 'meuse' },
];

export const roleIdOf = (practitionerId: string): string => `role-${practitionerId.replace(/^prac-/, '')}`;

/** THE demo GP: in the care team of every seeded patient. */
export const DEMO_GP_ID = 'prac-dufau';
export const DEMO_GP_ROLE_ID = roleIdOf(DEMO_GP_ID);
export const DEMO_GP_RPPS = rpps('0101');

/** INSEE commune codes (5 chars). */
export const BIRTH_PLACES: Record<Region, readonly { code: string; name: string }[]> = {
  landes: [
    { code: '40192', name: 'Mont-de-Marsan' },
    { code: '40088', name: 'Dax' },
    { code: '40282', name: 'Saint-Sever' },
    { code: '40001', name: "Aire-sur-l'Adour" },
    { code: '40184', name: 'Mimizan' },
    { code: '40313', name: 'Tartas' },
    { code: '40046', name: 'Biscarrosse' },
    { code: '40119', name: 'Hagetmau' },
  ],
  meuse: [
    { code: '55545', name: 'Verdun' },
    { code: '55029', name: 'Bar-le-Duc' },
    { code: '55122', name: 'Commercy' },
    { code: '55463', name: 'Saint-Mihiel' },
  ],
};
export const CORSICA_PLACES = [
  { code: '2A004', name: 'Ajaccio' },
  { code: '2B033', name: 'Bastia' },
] as const;

export const FAMILY_NAMES: Record<Region, readonly string[]> = {
  landes: [
    'DUBOS', 'LAFFARGUE', 'CAZENAVE', 'DUCOURAU', 'LAGARDÈRE', 'SAINT-MARTIN', 'BORDES', 'LAPEYRE',
    'HAURIE', 'DESTRUHAUT', 'LABEYRIE', 'DARRÉ', 'BATS', 'LALANNE', 'DUPRAT', 'POMAREDE', 'GARRABOS',
  ],
  meuse: ['COLIN', 'THIÉBAUT', 'PIERSON', 'MANGEOT', 'LAMBERT', 'BERNARD', 'GÉRARD', 'HENRIONNET', 'ROUYER'],
};
export const FEMALE_NAMES = [
  'Marie', 'Jeanne', 'Odette', 'Simone', 'Germaine', 'Paulette', 'Monique', 'Josette', 'Yvette',
  'Christiane', 'Françoise', 'Marie-Thérèse', 'Ginette', 'Nicole', 'Élise', 'Colette', 'Huguette', 'Lucienne',
];
export const MALE_NAMES = [
  'Jean', 'Pierre', 'André', 'Marcel', 'Henri', 'Joseph', 'Louis', 'Roger', 'Bernard', 'Raymond',
  'Michel', 'Jean-Pierre', 'Gérard', 'René', 'Lucien', 'Émile', 'Gaston', 'Robert',
];
