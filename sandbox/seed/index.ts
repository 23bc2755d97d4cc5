/**
 * Deterministic seed of the sandbox platform: professionals, patients (FR Core Patient INS),
 * care teams and coordination journals (cdl DocumentReference) with Binary attachments.
 * Same seed → byte-identical resources. Dates are relative to a FIXED reference date.
 */
import type {
  Binary,
  CareTeam,
  DocumentReference,
  Extension,
  Patient,
  Practitioner,
  PractitionerRole,
  Resource,
} from '@medplum/fhirtypes';
import { confidentialityLabel } from '../fhir/labels';
import { ANS, CAHIER_DE_LIAISON, FR_CORE, JOURNAL_KIND_LABEL, PATIENT_BIRTH_PLACE_EXTENSION, PLATFORM } from '../fhir/systems';
import { makePdf, makeVoiceWav, makeWoundPng } from './binaries';
import { careResources, locationResources, telecomOf } from './care';
import { clinicalResources } from './clinical';
import { amNumberIdentifierOf, organizationRefOf, organizationResources } from './structures';
import { establishmentResources } from './establishments';
import { serviceResources } from './services';
import { supportCellResources } from './support-cell';
import { opinionReferentResources } from './opinion-referent';
import { buildNir } from './ins';
import { staffParticipants, staffResources } from './staff';
import { Prng } from './prng';
import {
  BIRTH_PLACES,
  CORSICA_PLACES,
  DEMO_GP_ID,
  FAMILY_NAMES,
  FEMALE_NAMES,
  MALE_NAMES,
  PROFESSIONALS,
  roleIdOf,
  type ProfessionalSeed,
  type Region,
  type RoleKind,
} from './referential';
import { journalText, PDF_DOCS, REPLIES, type SeedKind } from './texts';
import { medicationCircuitResources } from './medication-circuit';

export { DEMO_GP_ID, DEMO_GP_ROLE_ID, DEMO_GP_RPPS, PROFESSIONALS } from './referential';

/** Fixed "now" of the seeded world (never Date.now(), for determinism). */
export const REFERENCE_DATE = '2026-11-20T18:00:00.000Z';
const REF_MS = Date.parse(REFERENCE_DATE);
const DAY = 86_400_000;
const HISTORY_DAYS = 730;

export const INS_OID_TEST = '1.2.250.1.213.1.4.10';
export const INS_OID_DEMO = '1.2.250.1.213.1.4.11';

type IdentityStatus = 'PROV' | 'VALI' | 'RECUP' | 'QUAL';

interface PatientSpec {
  id: string;
  region: Region;
  sex: 'M' | 'F';
  birthName: string;
  firstNames: string[];
  usedName?: string;
  birthDate: string;
  birthPlace: { code: string; name: string };
  order: number;
  oid: string | null;
  status: IdentityStatus;
  entries: number;
}

/** Benchmark patients: fixed identities (independent of the seed) so their INS can be exported. */
const BENCH_10K_SPEC = {
  id: 'pat-bench-10k',
  region: 'landes' as const,
  sex: 'F' as const,
  birthName: 'LAFFARGUE',
  firstNames: ['Jeanne', 'Marie', 'Odette'],
  usedName: 'DUCOURAU',
  birthDate: '1938-03-14',
  birthPlace: { code: '40192', name: 'Mont-de-Marsan' },
  order: 123,
  oid: INS_OID_TEST,
  status: 'QUAL' as const,
  entries: 10_000,
};
const BENCH_500_SPEC = {
  id: 'pat-bench-500',
  region: 'landes' as const,
  sex: 'M' as const,
  birthName: 'CAZENAVE',
  firstNames: ['André', 'Louis'],
  birthDate: '1941-07-02',
  birthPlace: { code: '40088', name: 'Dax' },
  order: 45,
  oid: INS_OID_TEST,
  status: 'QUAL' as const,
  entries: 500,
};

export const BENCH_PATIENT_10K = {
  id: BENCH_10K_SPEC.id,
  ins: { value: buildNir('F', BENCH_10K_SPEC.birthDate, '40192', 123), oid: INS_OID_TEST },
  entries: 10_000,
} as const;
export const BENCH_PATIENT_500 = {
  id: BENCH_500_SPEC.id,
  ins: { value: buildNir('M', BENCH_500_SPEC.birthDate, '40088', 45), oid: INS_OID_TEST },
  entries: 500,
} as const;

/** Number of regular (non-benchmark) patients. */
const REGULAR_PATIENTS = 22;

export interface SeedData {
  resources: Resource[];
  counts: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function displayName(p: ProfessionalSeed): string {
  return `${p.title ? p.title + ' ' : ''}${p.given} ${p.family}`;
}

function practitionerResources(): Resource[] {
  const out: Resource[] = [];
  const lastUpdated = isoInstant(REF_MS - HISTORY_DAYS * DAY);
  for (const p of PROFESSIONALS) {
    const practitioner: Practitioner = {
      resourceType: 'Practitioner',
      id: p.id,
      meta: { versionId: '1', lastUpdated },
      identifier: [
        {
          use: 'official',
          type: { coding: [{ system: FR_CORE.identifierTypeCodeSystem, code: 'IDNPS' }] },
          system: ANS.idNatPsSystem,
          value: `8${p.rpps}`,
        },
        {
          use: 'official',
          type: { coding: [{ system: FR_CORE.identifierTypeCodeSystem, code: 'RPPS' }] },
          system: ANS.rppsSystem,
          value: p.rpps,
        },
      ],
      active: true,
      name: [{ use: 'official', family: p.family, given: [p.given], ...(p.title ? { prefix: [p.title] } : {}) }],
      gender: p.sex === 'F' ? 'female' : 'male',
      qualification: [
        { code: { coding: [{ system: p.profession.system ?? ANS.professionCodeSystem, code: p.profession.code, display: p.profession.display }] } },
      ],
    };
    const role: PractitionerRole = {
      resourceType: 'PractitionerRole',
      id: roleIdOf(p.id),
      meta: { versionId: '1', lastUpdated },
      active: true,
      practitioner: { reference: `Practitioner/${p.id}`, display: displayName(p) },
      // The structure (address, FINESS) of an ordonnance's prescriber block: sandbox/seed/structures.ts.
      organization: organizationRefOf(p),
      ...(amNumberIdentifierOf(p).length > 0 ? { identifier: amNumberIdentifierOf(p) } : {}),
      telecom: telecomOf(p),
      code: [
        { coding: [{ system: p.profession.system ?? ANS.professionCodeSystem, code: p.profession.code, display: p.profession.display }] },
        { coding: [{ system: PLATFORM.roleLabelCodeSystem, code: p.role, display: p.roleLabel }], text: p.roleLabel },
      ],
      ...(p.specialty ? { specialty: [{ coding: [{ system: ANS.specialtyCodeSystem, ...p.specialty }] }] } : {}),
    };
    out.push(practitioner, role);
  }
  return out;
}

function binaryPool(rng: Prng): { resources: Binary[]; voice: BinRef[]; photo: BinRef[]; document: BinRef[] } {
  const resources: Binary[] = [];
  const lastUpdated = isoInstant(REF_MS - HISTORY_DAYS * DAY);
  const add = (id: string, contentType: string, bytes: Uint8Array, title: string): BinRef => {
    resources.push({ resourceType: 'Binary', id, meta: { versionId: '1', lastUpdated }, contentType, data: Buffer.from(bytes).toString('base64') });
    return { id, contentType, size: bytes.length, title };
  };
  const voice = Array.from({ length: 6 }, (_, i) => {
    const seconds = 1.2 + (i % 3) * 0.6;
    return add(`bin-voice-${i + 1}`, 'audio/wav', makeVoiceWav(rng.fork(`voice${i}`), seconds), `message-vocal-${i + 1}.wav`);
  });
  const photo = Array.from({ length: 6 }, (_, i) =>
    add(`bin-photo-${i + 1}`, 'image/png', makeWoundPng(rng.fork(`photo${i}`)), `photo-plaie-${i + 1}.png`),
  );
  const document = PDF_DOCS.map((d, i) => add(`bin-doc-${i + 1}`, 'application/pdf', makePdf(d.title, d.lines), d.file));
  return { resources, voice, photo, document };
}

interface BinRef {
  id: string;
  contentType: string;
  size: number;
  title: string;
}

function patientSpecs(rng: Prng): PatientSpec[] {
  const specs: PatientSpec[] = [BENCH_10K_SPEC, BENCH_500_SPEC].map((s) => ({ ...s, firstNames: [...s.firstNames] }));
  for (let i = 1; i <= REGULAR_PATIENTS; i++) {
    const r = rng.fork(`patient${i}`);
    const region: Region = r.chance(0.7) ? 'landes' : 'meuse';
    const sex: 'M' | 'F' = r.chance(0.55) ? 'F' : 'M';
    const pool = sex === 'F' ? FEMALE_NAMES : MALE_NAMES;
    const nFirst = r.weighted([[1, 2], [2, 4], [3, 3]] as const);
    const firstNames: string[] = [];
    while (firstNames.length < nFirst) {
      const n = r.pick(pool);
      if (!firstNames.includes(n)) firstNames.push(n);
    }
    const year = r.int(1928, 1968);
    const month = r.int(1, 12);
    const day = r.int(1, 28);
    const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const birthPlace = i === 3 ? r.pick(CORSICA_PLACES) : r.pick(BIRTH_PLACES[region]);
    const birthName = r.pick(FAMILY_NAMES[region]);
    let usedName: string | undefined;
    if (sex === 'F' && r.chance(0.5)) {
      const other = FAMILY_NAMES[region].filter((n) => n !== birthName);
      usedName = r.pick(other);
    }
    const status: IdentityStatus = i === 21 ? 'VALI' : i === 22 ? 'PROV' : i === 19 || i === 20 ? 'RECUP' : 'QUAL';
    const hasIns = status === 'QUAL' || status === 'RECUP';
    const oid = hasIns ? (i === 4 || i === 5 ? INS_OID_DEMO : INS_OID_TEST) : null;
    const entries = Math.floor(10 + 390 * r.next() ** 2);
    specs.push({
      id: `pat-${String(i).padStart(2, '0')}`,
      region,
      sex,
      birthName,
      firstNames,
      ...(usedName ? { usedName } : {}),
      birthDate,
      birthPlace,
      order: r.int(1, 999),
      oid,
      status,
      entries,
    });
  }
  return specs;
}

const STATUS_DISPLAY: Record<IdentityStatus, string> = {
  PROV: 'Identité provisoire',
  VALI: 'Identité validée',
  RECUP: 'Identité récupérée',
  QUAL: 'Identité qualifiée',
};

function patientResource(s: PatientSpec): Patient {
  const reliability: Extension = {
    url: FR_CORE.identityReliabilityExtension,
    extension: [
      { url: 'identityStatus', valueCoding: { system: FR_CORE.identityStatusCodeSystem, code: s.status, display: STATUS_DISPLAY[s.status] } },
      ...(s.status === 'QUAL' || s.status === 'VALI' ? [{ url: 'validationDate', valueDate: isoDate(REF_MS - 400 * DAY) }] : []),
    ],
  };
  const birthPlace: Extension = {
    url: PATIENT_BIRTH_PLACE_EXTENSION,
    valueAddress: {
      extension: [{ url: FR_CORE.inseeCodeExtension, valueCoding: { system: ANS.communeCodeSystem, code: s.birthPlace.code, display: s.birthPlace.name } }],
      city: s.birthPlace.name,
      country: 'FRA',
    },
  };
  const ins = s.oid ? buildNir(s.sex, s.birthDate, s.birthPlace.code, s.order) : null;
  return {
    resourceType: 'Patient',
    id: s.id,
    meta: { versionId: '1', lastUpdated: isoInstant(REF_MS - HISTORY_DAYS * DAY), profile: [FR_CORE.patientInsProfile] },
    extension: [reliability, birthPlace],
    ...(ins && s.oid
      ? {
          identifier: [
            {
              use: 'official' as const,
              type: { coding: [{ system: FR_CORE.identifierTypeCodeSystem, code: s.oid === INS_OID_DEMO ? 'INS-NIR-DEMO' : 'INS-NIR-TEST' }] },
              system: `urn:oid:${s.oid}`,
              value: ins,
            },
          ],
        }
      : {}),
    name: [
      {
        use: 'official',
        family: s.birthName,
        given: [s.firstNames[0]!],
        extension: [{ url: FR_CORE.birthListGivenNameExtension, valueString: s.firstNames.join(' ') }],
      },
      ...(s.usedName ? [{ use: 'usual' as const, family: s.usedName, given: [s.firstNames[0]!] }] : []),
    ],
    gender: s.sex === 'F' ? 'female' : 'male',
    birthDate: s.birthDate,
    address: [{ use: 'home', city: s.region === 'landes' ? 'Mont-de-Marsan' : 'Verdun', postalCode: s.region === 'landes' ? '40000' : '55100', country: 'FRA' }],
  };
}

function careTeam(rng: Prng, s: PatientSpec): { team: CareTeam; members: ProfessionalSeed[] } {
  const inRegion = (role: RoleKind): ProfessionalSeed[] => PROFESSIONALS.filter((p) => p.region === s.region && p.role === role);
  const demoGp = PROFESSIONALS.find((p) => p.id === DEMO_GP_ID)!;
  const members: ProfessionalSeed[] = [demoGp];
  const add = (role: RoleKind, p: number): void => {
    const candidates = inRegion(role);
    if (candidates.length > 0 && rng.chance(p)) members.push(rng.pick(candidates));
  };
  add('nurse', 1);
  add('pharmacist', 1);
  add('coordinator', s.entries > 100 ? 1 : 0.6);
  add('physio', 0.5);
  add('specialist', s.entries > 100 ? 1 : 0.5);
  add('social', 0.35);
  const team: CareTeam = {
    resourceType: 'CareTeam',
    id: `ct-${s.id}`,
    meta: { versionId: '1', lastUpdated: isoInstant(REF_MS - HISTORY_DAYS * DAY) },
    status: 'active',
    name: `Cercle de soins de ${s.sex === 'F' ? 'Mme' : 'M.'} ${s.usedName ?? s.birthName}`,
    subject: { reference: `Patient/${s.id}` },
    participant: [
      ...members.map((m) => ({
        role: [{ coding: [{ system: PLATFORM.roleLabelCodeSystem, code: m.role, display: m.roleLabel }], text: m.roleLabel }],
        member: { reference: `PractitionerRole/${roleIdOf(m.id)}`, display: displayName(m) },
      })),
      // The structure's secretariat (CPE holders) follows its region's patients too.
      ...staffParticipants(s.region),
    ],
  };
  return { team, members };
}

const KIND_WEIGHTS: readonly (readonly [SeedKind, number])[] = [
  ['text', 52],
  ['voice', 7],
  ['photo', 7],
  ['document', 7],
  ['alert', 5],
  ['appointment', 8],
  ['hospitalisation', 4],
  ['treatment-change', 10],
  ['referral', 3],
  ['pps', 2],
];
const KIND_AUTHORS: Record<SeedKind, readonly RoleKind[]> = {
  text: ['gp', 'nurse', 'pharmacist', 'physio', 'specialist', 'coordinator', 'social'],
  voice: ['nurse', 'gp', 'coordinator'],
  photo: ['nurse', 'physio'],
  document: ['gp', 'specialist', 'coordinator'],
  alert: ['nurse', 'pharmacist', 'gp'],
  appointment: ['coordinator', 'gp', 'specialist'],
  hospitalisation: ['specialist', 'coordinator', 'gp'],
  'treatment-change': ['gp', 'specialist', 'pharmacist'],
  referral: ['gp', 'specialist', 'coordinator'],
  pps: ['coordinator', 'gp'],
};

/** Physicians' results, reports, treatment decisions and notes (not their quick replies): marked medical. */
const MEDICAL_KINDS: ReadonlySet<SeedKind> = new Set(['document', 'hospitalisation', 'treatment-change', 'text']);
function isMedicalEntry(kind: SeedKind, role: RoleKind, reply: boolean): boolean {
  return (role === 'gp' || role === 'specialist') && MEDICAL_KINDS.has(kind) && !reply;
}
/** Appointments are what a secretary handles: administrative. */
const ADMINISTRATIVE_KINDS: ReadonlySet<SeedKind> = new Set(['appointment']);

function journal(rng: Prng, s: PatientSpec, members: ProfessionalSeed[], bins: ReturnType<typeof binaryPool>): DocumentReference[] {
  // Midnight UTC, HISTORY_DAYS before the reference day: entries fall between 06:00 and 19:00 UTC.
  const start = Math.floor(REF_MS / DAY) * DAY - HISTORY_DAYS * DAY;
  const times: number[] = [];
  for (let i = 0; i < s.entries; i++) {
    const day = Math.floor(rng.next() * HISTORY_DAYS);
    const minute = 6 * 60 + Math.floor(rng.next() * 13 * 60); // 06:00–19:00 UTC
    times.push(start + day * DAY + minute * 60_000 + rng.int(0, 59) * 1000);
  }
  times.sort((a, b) => a - b);
  const ctx = { civ: `${s.sex === 'F' ? 'Mme' : 'M.'} ${s.usedName ?? s.birthName}`, she: s.sex === 'F' };
  const out: DocumentReference[] = [];
  const width = Math.max(3, String(s.entries).length);
  for (let i = 0; i < times.length; i++) {
    let kind = rng.weighted(KIND_WEIGHTS);
    let replyTo: DocumentReference | undefined;
    if (kind === 'text' && out.length > 0 && rng.chance(0.15)) {
      replyTo = out[out.length - 1 - rng.int(0, Math.min(4, out.length - 1))];
    }
    const replyAuthorRef = replyTo?.author?.[0]?.reference;
    const eligible = members.filter((m) => KIND_AUTHORS[kind].includes(m.role) && (!replyTo || `PractitionerRole/${roleIdOf(m.id)}` !== replyAuthorRef));
    const author = eligible.length > 0 ? rng.pick(eligible) : members[0]!;
    if (kind === 'photo' && !['nurse', 'physio'].includes(author.role)) kind = 'text';
    const docIndex = kind === 'document' ? rng.int(0, bins.document.length - 1) : -1;
    const text = replyTo
      ? rng.pick(REPLIES)
      : kind === 'document'
        ? PDF_DOCS[docIndex]!.caption
        : journalText(rng, kind, author.role, ctx);
    const date = isoInstant(times[i]!);
    const content: DocumentReference['content'] = [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: b64(text) } }];
    const file = kind === 'voice' ? rng.pick(bins.voice) : kind === 'photo' ? rng.pick(bins.photo) : kind === 'document' ? bins.document[docIndex] : undefined;
    if (kind === 'hospitalisation' && rng.chance(0.5)) {
      const cr = bins.document[0]!;
      content.push({ attachment: { contentType: cr.contentType, url: `Binary/${cr.id}`, title: cr.title, size: cr.size } });
    }
    if (file) content.push({ attachment: { contentType: file.contentType, url: `Binary/${file.id}`, title: file.title, size: file.size } });
    const doc: DocumentReference = {
      resourceType: 'DocumentReference',
      id: `${s.id}-j${String(i + 1).padStart(width, '0')}`,
      meta: { versionId: '1', lastUpdated: date, profile: [CAHIER_DE_LIAISON.documentReferenceProfile] },
      ...(kind === 'alert' ? { extension: [{ url: CAHIER_DE_LIAISON.isEmergencyExtension, valueBoolean: true }] } : {}),
      status: 'current',
      type: { coding: [{ system: PLATFORM.journalKindCodeSystem, code: kind, display: JOURNAL_KIND_LABEL[kind] }], text: JOURNAL_KIND_LABEL[kind] },
      subject: { reference: `Patient/${s.id}` },
      date,
      author: [{ reference: `PractitionerRole/${roleIdOf(author.id)}`, display: displayName(author) }],
      ...(replyTo ? { relatesTo: [{ code: 'appends' as const, target: { reference: `DocumentReference/${replyTo.id}` } }] } : {}),
      ...(ADMINISTRATIVE_KINDS.has(kind) ? { category: [{ coding: [{ system: PLATFORM.journalCategoryCodeSystem, code: 'administrative', display: 'Administratif' }] }] } : {}),
      securityLabel: [confidentialityLabel(isMedicalEntry(kind, author.role, !!replyTo))],
      content,
    };
    out.push(doc);
  }
  return out;
}

/** Builds every resource of the seeded platform. Pure: same seed → same output. */
export function buildSeed(seed = 1): SeedData {
  const root = new Prng(seed);
  const bins = binaryPool(root.fork('binaries'));
  const resources: Resource[] = [...bins.resources, ...organizationResources(isoInstant(REF_MS - HISTORY_DAYS * DAY)), ...establishmentResources(isoInstant(REF_MS - HISTORY_DAYS * DAY)), ...serviceResources(isoInstant(REF_MS - HISTORY_DAYS * DAY)), ...supportCellResources(isoInstant(REF_MS - HISTORY_DAYS * DAY)), ...opinionReferentResources(isoInstant(REF_MS - HISTORY_DAYS * DAY)), ...practitionerResources(), ...staffResources(isoInstant(REF_MS - HISTORY_DAYS * DAY))];
  const specs = patientSpecs(root.fork('patients'));
  const teams: CareTeam[] = [];
  const docs: DocumentReference[] = [];
  const patients: Patient[] = [];
  // Panels data (treatments, PPS, agenda, tasks, alerts): own PRNG forks, after everything else.
  const care: Resource[] = locationResources(isoInstant(REF_MS - HISTORY_DAYS * DAY));
  for (const s of specs) {
    const r = root.fork(`journal:${s.id}`);
    patients.push(patientResource(s));
    const { team, members } = careTeam(r, s);
    teams.push(team);
    docs.push(...journal(r, s, members, bins));
    care.push(...careResources(root.fork(`care:${s.id}`), s, members, REF_MS));
    care.push(...clinicalResources(root.fork(`clinical:${s.id}`), s, REF_MS));
  }
  resources.push(...patients, ...teams, ...docs, ...care);
  resources.push(...medicationCircuitResources(resources, REFERENCE_DATE));
  const counts: Record<string, number> = {};
  for (const res of resources) counts[res.resourceType] = (counts[res.resourceType] ?? 0) + 1;
  return { resources, counts };
}
