/**
 * FHIR R4 (FR Core, ANS annuaire, ANS cahier de liaison) → Relais contract objects.
 * The single place that knows the FHIR shapes; documented in docs/fhir-mapping.md.
 * Pure functions: no I/O.
 */
import type {
  Appointment as FhirAppointment,
  Attachment as FhirAttachment,
  DocumentReference,
  Extension,
  HumanName,
  Identifier,
  Patient as FhirPatient,
  Practitioner,
  PractitionerRole,
  Reference,
} from '@medplum/fhirtypes';
import {
  INS_OIDS,
  InseeCodeSchema,
  InsSchema,
  JournalKindSchema,
  PatientSchema,
  ProfessionalSchema,
  RelaisError,
  type Appointment,
  type Attachment,
  type Author,
  type IdentityStatus,
  type Ins,
  type JournalEntry,
  type JournalKind,
  type Patient,
  type PersonRef,
  type Professional,
  type Sex,
  isValidRpps,
} from '../../../contract';
import { CDL, CONFIDENTIALITY, FR_CORE, PS, RELAIS } from './systems';

const INS_SYSTEMS = new Set(Object.values(INS_OIDS).map((oid) => `urn:oid:${oid}`));
const IDENTITY_STATUSES: readonly IdentityStatus[] = ['PROV', 'VALI', 'RECUP', 'QUAL'];

/** `Patient/123` → `123` (also accepts absolute URLs and `_history` suffixes). */
export function referenceId(reference: string | undefined, type?: string): string | undefined {
  if (!reference) return undefined;
  const parts = reference.split('/');
  const h = parts.indexOf('_history');
  const core = h >= 0 ? parts.slice(0, h) : parts;
  const id = core[core.length - 1];
  const t = core[core.length - 2];
  if (!id || (type && t !== type)) return undefined;
  return id;
}

/** FHIR identifier system + value of an INS, for a `Patient?identifier=` search. */
export function insToIdentifierToken(ins: Ins): string {
  return `urn:oid:${ins.oid}|${ins.value}`;
}

/** The active INS of a patient (ignores `use=old`, i.e. deactivated INS), or null. */
export function insOf(identifiers: readonly Identifier[] | undefined): Ins | null {
  for (const id of identifiers ?? []) {
    if (!id.system || !INS_SYSTEMS.has(id.system) || id.use === 'old' || !id.value) continue;
    const parsed = InsSchema.safeParse({ value: id.value, oid: id.system.slice('urn:oid:'.length) });
    if (parsed.success) return parsed.data;
  }
  return null;
}

function ext(list: readonly Extension[] | undefined, url: string): Extension | undefined {
  return list?.find((e) => e.url === url);
}

function identityStatusOf(p: FhirPatient): IdentityStatus {
  const rel = ext(p.extension, FR_CORE.identityReliability);
  const status = ext(rel?.extension, 'identityStatus');
  const code = status?.valueCoding?.code ?? status?.valueCode;
  return IDENTITY_STATUSES.includes(code as IdentityStatus) ? (code as IdentityStatus) : 'PROV';
}

function sexOf(gender: FhirPatient['gender']): Sex {
  return gender === 'female' ? 'F' : gender === 'male' ? 'M' : 'U';
}

function birthPlaceOf(p: FhirPatient): string | undefined {
  const address = ext(p.extension, FR_CORE.birthPlace)?.valueAddress;
  const insee = ext(address?.extension, FR_CORE.inseeCode);
  const code = insee?.valueCoding?.code ?? insee?.valueCode ?? insee?.valueString;
  return code && InseeCodeSchema.safeParse(code).success ? code : undefined;
}

function officialName(names: readonly HumanName[] | undefined): HumanName | undefined {
  return names?.find((n) => n.use === 'official') ?? names?.find((n) => n.use !== 'usual' && n.use !== 'nickname') ?? names?.[0];
}

/** FR Core Patient (INS profile) → contract Patient. Throws PLATFORM_ERROR when strict traits are unusable. */
export function mapPatient(p: FhirPatient): Patient {
  const official = officialName(p.name);
  const usual = p.name?.find((n) => n.use === 'usual');
  const birthList =
    ext(official?.extension, FR_CORE.birthListGivenName)?.valueString ?? ext(p.extension, FR_CORE.birthListGivenName)?.valueString;
  const firstNames = (birthList ? birthList.split(' ') : (official?.given ?? [])).map((s) => s.trim()).filter(Boolean);
  const birthPlace = birthPlaceOf(p);
  const candidate = {
    id: p.id,
    ins: insOf(p.identifier),
    identityStatus: identityStatusOf(p),
    birthName: official?.family ?? '',
    firstNames,
    birthDate: p.birthDate ?? '',
    sex: sexOf(p.gender),
    ...(birthPlace ? { birthPlace } : {}),
    ...(usual?.family ? { usedName: usual.family } : {}),
    ...(usual?.given?.[0] ? { usedFirstName: usual.given[0] } : {}),
  };
  const parsed = PatientSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new RelaisError('PLATFORM_ERROR', `Patient/${p.id ?? '?'} has unusable identity traits: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return parsed.data;
}

/** idNatPS of a Practitioner: its identifier in the idNatPS system, else '8' + RPPS. */
function idNatPsOf(identifiers: readonly Identifier[] | undefined, rpps: string | undefined): string | undefined {
  return identifiers?.find((i) => i.system === PS.idNatPs && !!i.value)?.value ?? (rpps ? `8${rpps}` : undefined);
}

function rppsOf(identifiers: readonly Identifier[] | undefined): string | undefined {
  // An RPPS failing its check digit is a typo in the directory: not shown as the professional's number.
  const rpps = identifiers?.find((i) => i.system === PS.rpps && i.value && isValidRpps(i.value))?.value;
  if (rpps) return rpps;
  const idNat = identifiers?.find((i) => i.system === PS.idNatPs && /^8\d{11}$/.test(i.value ?? '') && isValidRpps(i.value!.slice(1)))?.value;
  return idNat?.slice(1);
}

/** "Dr Hélène DUFAU" from a Practitioner name. */
export function practitionerDisplayName(p: Practitioner | undefined): string | undefined {
  const n = officialName(p?.name);
  if (!n) return undefined;
  if (n.text) return n.text;
  return [...(n.prefix ?? []), ...(n.given ?? []), n.family].filter(Boolean).join(' ') || undefined;
}

function roleLabelOf(role: PractitionerRole | undefined): string | undefined {
  if (!role) return undefined;
  for (const c of role.code ?? []) {
    const coding = c.coding?.find((x) => x.system === RELAIS.roleLabel);
    if (coding) return c.text ?? coding.display ?? coding.code;
  }
  const specialty = role.specialty?.[0];
  const spec = specialty?.text ?? specialty?.coding?.[0]?.display;
  if (spec) return spec;
  const profession = role.code?.find((c) => c.coding?.some((x) => x.system === PS.professionSystem));
  return profession?.text ?? profession?.coding?.[0]?.display;
}

function professionOf(p: Practitioner, role: PractitionerRole | undefined): { code: string; label: string } | undefined {
  const codings = [
    ...(p.qualification ?? []).flatMap((q) => q.code.coding ?? []),
    ...(role?.code ?? []).flatMap((c) => c.coding ?? []),
  ].filter((c) => c.system !== RELAIS.roleLabel && c.code);
  const best = codings.find((c) => c.system === PS.professionSystem) ?? codings[0];
  return best?.code ? { code: best.code, label: best.display ?? best.code } : undefined;
}

/** Practitioner (+ its roles, first is primary) → contract Professional. */
export function mapProfessional(p: Practitioner, roles: readonly PractitionerRole[] = []): Professional {
  const role = roles[0];
  const n = officialName(p.name);
  const profession = professionOf(p, role);
  const rpps = rppsOf(p.identifier);
  const candidate = {
    id: p.id,
    // Structure staff (CPE holders) have no RPPS: their idNatPS identifies them.
    ...(rpps ? { rpps } : {}),
    idNatPs: idNatPsOf(p.identifier, rpps),
    familyName: n?.family,
    givenName: n?.given?.join(' '),
    profession,
    roleLabel: roleLabelOf(role) ?? profession?.label,
    ...(role?.organization?.display ? { organization: role.organization.display } : {}),
  };
  const parsed = ProfessionalSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new RelaisError('PLATFORM_ERROR', `Practitioner/${p.id ?? '?'} is incomplete: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return parsed.data;
}

/** Author of a journal entry from its PractitionerRole (and the role's Practitioner), when known. */
export function mapAuthor(
  reference: { reference?: string; display?: string } | undefined,
  role: PractitionerRole | undefined,
  practitioner: Practitioner | undefined,
): Author {
  const name = practitionerDisplayName(practitioner) ?? role?.practitioner?.display ?? reference?.display ?? 'Auteur inconnu';
  const id = practitioner?.id ?? referenceId(role?.practitioner?.reference) ?? referenceId(reference?.reference) ?? '';
  return { id, name, roleLabel: roleLabelOf(role) ?? '' };
}

function isText(a: FhirAttachment): boolean {
  return !!a.contentType && /^text\/plain\b/i.test(a.contentType) && a.data !== undefined && !a.url;
}

function decodeBase64Utf8(data: string): string {
  // atob is global in Node ≥ 16 and browsers; decode bytes as UTF-8.
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder('utf-8').decode(bytes);
}

export function encodeBase64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Resolves an attachment URL against the platform base (`Binary/x` → `<baseUrl>/Binary/x`). */
export function absoluteUrl(url: string, baseUrl: string): string {
  return new URL(url, baseUrl.endsWith('/') ? baseUrl : baseUrl + '/').href;
}

function inferKind(doc: DocumentReference, urgent: boolean, files: Attachment[]): JournalKind {
  const coded = doc.type?.coding?.find((c) => c.system === RELAIS.journalKind)?.code;
  const parsed = JournalKindSchema.safeParse(coded);
  if (parsed.success) return parsed.data;
  if (urgent) return 'alert';
  const first = files[0]?.contentType ?? '';
  if (first.startsWith('audio/')) return 'voice';
  if (first.startsWith('image/')) return 'photo';
  if (files.length > 0) return 'document';
  return 'text';
}

export interface AuthorResolver {
  (reference: { reference?: string; display?: string } | undefined): Author;
}

/** cdl DocumentReference → contract JournalEntry. */
export function mapJournalEntry(doc: DocumentReference, baseUrl: string, resolveAuthor: AuthorResolver): JournalEntry {
  const patientId = referenceId(doc.subject?.reference, 'Patient');
  if (!doc.id || !patientId) throw new RelaisError('PLATFORM_ERROR', `DocumentReference/${doc.id ?? '?'} has no id or patient subject`);
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const c of doc.content ?? []) {
    const a = c.attachment;
    if (isText(a)) {
      texts.push(decodeBase64Utf8(a.data ?? ''));
    } else if (a.url) {
      attachments.push({
        contentType: a.contentType ?? 'application/octet-stream',
        title: a.title ?? '',
        url: absoluteUrl(a.url, baseUrl),
        ...(typeof a.size === 'number' && a.size >= 0 ? { size: a.size } : {}),
      });
    }
  }
  const urgent = doc.extension?.some((e) => e.url === CDL.isEmergency && e.valueBoolean === true) ?? false;
  const replyTo = referenceId(doc.relatesTo?.find((r) => r.code === 'appends')?.target?.reference, 'DocumentReference');
  const medical = isMedical(doc);
  const administrative = isAdministrative(doc);
  return {
    id: doc.id,
    patientId,
    kind: inferKind(doc, urgent, attachments),
    date: doc.date ?? doc.meta?.lastUpdated ?? '1970-01-01T00:00:00.000Z',
    author: resolveAuthor(doc.author?.[0]),
    text: texts.length > 0 ? texts.join('\n\n') : (doc.description ?? ''),
    attachments,
    urgent,
    ...(replyTo ? { replyTo } : {}),
    version: doc.meta?.versionId ?? '',
    // Absent means normal: entries mapped before roles existed read the same.
    ...(medical ? { confidentiality: 'medical' as const } : {}),
    ...(administrative ? { category: 'administrative' as const } : {}),
  };
}

/** securityLabel restricted (or very restricted): an entry a secretary must never read. */
export function isMedical(doc: Pick<DocumentReference, 'securityLabel'>): boolean {
  return (doc.securityLabel ?? []).some((l) =>
    (l.coding ?? []).some((c) => c.system === CONFIDENTIALITY.system && !!c.code && CONFIDENTIALITY.medicalCodes.includes(c.code)),
  );
}

/** category journal-category|administrative: what a secretary may post. */
export function isAdministrative(doc: Pick<DocumentReference, 'category'>): boolean {
  return (doc.category ?? []).some((c) => (c.coding ?? []).some((x) => x.system === RELAIS.entryCategory && x.code === 'administrative'));
}

/** Resolves a reference to a professional (PractitionerRole or Practitioner) into a PersonRef. */
export type PersonResolver = (ref: Reference | undefined) => PersonRef | null;

/** Builds a resolver over the roles / practitioners known to an adapter (panels, agenda, referrals). */
export function personResolver(roles: ReadonlyMap<string, PractitionerRole>, practitioners: ReadonlyMap<string, Practitioner>): PersonResolver {
  return (ref) => {
    if (!ref?.reference && !ref?.display) return null;
    const roleId = referenceId(ref.reference, 'PractitionerRole');
    const role = roleId ? roles.get(roleId) : undefined;
    const practId = referenceId(role?.practitioner?.reference, 'Practitioner') ?? referenceId(ref.reference, 'Practitioner');
    return mapAuthor(ref, role, practId ? practitioners.get(practId) : undefined);
  };
}

/**
 * Appointment → contract Appointment (read by the panels, answered by the agenda's writes): the professional is the first PractitionerRole / Practitioner actor. */
export function mapAppointment(a: FhirAppointment, person: PersonResolver): Appointment | null {
  if (!a.id || !a.start) return null;
  const actors: Reference[] = (a.participant ?? []).flatMap((p) => (p.actor ? [p.actor as Reference] : []));
  const pro = actors.find((r) => /^(PractitionerRole|Practitioner)\//.test(r.reference ?? ''));
  const place = actors.find((r) => r.reference?.startsWith('Location/') || (!r.reference && r.display));
  return {
    id: a.id,
    start: a.start,
    end: a.end ?? null,
    description: a.description ?? a.serviceType?.[0]?.text ?? a.appointmentType?.text ?? 'Rendez-vous',
    professional: person(pro),
    location: place?.display ?? null,
    status: a.status,
    ...(a.meta?.versionId ? { version: a.meta.versionId } : {}),
  };
}

