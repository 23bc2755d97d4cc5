/**
 * Care-team scope of the sandbox platform (issue 11, item 10): a signed-in holder (card or Pro
 * Santé Connect) sees and writes only the patients whose active CareTeam lists them — directly
 * (`Practitioner/<id>`) or through one of their PractitionerRoles — as a French coordination
 * platform limits sharing to the « équipe de soins ». A secretary's care teams are her
 * structure's (the seed puts the MSP secretariat in every Landes team), not all 24 patients.
 *
 * Kept as an index beside the repository (told of every stored write and delete, see
 * IndexedRepository.observers), so a request asks a Set, never scans CareTeams:
 *  - CareTeam → subject + members; member reference → teams; practitioner → their roles;
 *  - for each Binary, the DocumentReferences that attach it (with their patient and medical
 *    label), so an attachment is served only to who may see one of its entries.
 */
import type { Appointment, DocumentReference, Resource } from '@medplum/fhirtypes';
import { isLabelledMedical } from '../fhir/labels';

/** Directory and terminology types: shared by every professional, in no patient's compartment. */
export const PUBLIC_TYPES: ReadonlySet<string> = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
  'Endpoint',
  'Medication',
  'CodeSystem',
  'ValueSet',
  'CapabilityStatement',
]);

const patientIdOfRef = (ref: string | undefined): string | null => {
  const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref ?? '');
  return m ? m[1]! : null;
};

/**
 * The patient a resource belongs to: its id for a Patient; the patient it is about for a
 * compartment resource; null when it names none (withheld: default deny); undefined for a public
 * type and for Binary (judged by the entries that attach it).
 */
export function patientOf(resource: Resource): string | null | undefined {
  const type = resource.resourceType;
  if (PUBLIC_TYPES.has(type) || type === 'Binary') return undefined;
  if (type === 'Patient') return resource.id ?? null;
  if (type === 'Appointment') {
    const refs = (resource as Appointment).participant?.map((p) => patientIdOfRef(p.actor?.reference)).filter((p): p is string => !!p) ?? [];
    // Several patients on one appointment: not a shape the platform knows how to scope.
    return refs.length === 1 ? refs[0]! : null;
  }
  const r = resource as { subject?: { reference?: string }; for?: { reference?: string }; patient?: { reference?: string } };
  return patientIdOfRef((type === 'Task' ? r.for : (r.subject ?? r.patient))?.reference);
}

interface TeamRec {
  subject: string | null;
  members: string[];
  active: boolean;
}

interface AttachingEntry {
  patient: string | null;
  medical: boolean;
}

export class CareScopeIndex {
  private teams = new Map<string, TeamRec>();
  private teamsOfMember = new Map<string, Set<string>>();
  private teamsOfPatient = new Map<string, Set<string>>();
  private rolesOf = new Map<string, Set<string>>();
  private ownerOfRole = new Map<string, string>();
  private entriesOfBinary = new Map<string, Map<string, AttachingEntry>>();
  private binariesOfEntry = new Map<string, string[]>();
  /** Bumped on every change that can move a patient in or out of someone's scope. */
  private generation = 0;
  private cache = new Map<string, { generation: number; patients: ReadonlySet<string> }>();

  /** A resource was stored (create, update, patch, conditional create): idempotent. */
  stored(resource: Resource): void {
    if (!resource.id) return;
    if (resource.resourceType === 'CareTeam') {
      this.forget('CareTeam', resource.id);
      const t = resource as { subject?: { reference?: string }; participant?: { member?: { reference?: string } }[]; status?: string };
      const rec: TeamRec = {
        subject: patientIdOfRef(t.subject?.reference),
        members: (t.participant ?? []).map((p) => p.member?.reference).filter((m): m is string => !!m),
        active: t.status !== 'inactive' && t.status !== 'entered-in-error',
      };
      this.teams.set(resource.id, rec);
      for (const m of rec.members) add(this.teamsOfMember, m, resource.id);
      if (rec.subject) add(this.teamsOfPatient, rec.subject, resource.id);
      this.generation++;
    } else if (resource.resourceType === 'PractitionerRole') {
      this.forget('PractitionerRole', resource.id);
      const owner = /^Practitioner\/(.+)$/.exec(resource.practitioner?.reference ?? '')?.[1];
      if (owner) {
        this.ownerOfRole.set(resource.id, owner);
        add(this.rolesOf, owner, resource.id);
      }
      this.generation++;
    } else if (resource.resourceType === 'DocumentReference') {
      this.forget('DocumentReference', resource.id);
      const doc = resource as DocumentReference;
      const binaries = (doc.content ?? []).map((c) => /^(?:.*\/)?Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(c.attachment.url ?? '')?.[1]).filter((b): b is string => !!b);
      if (binaries.length === 0) return;
      const entry: AttachingEntry = { patient: patientOf(doc) ?? null, medical: isLabelledMedical(doc) };
      for (const b of binaries) {
        let m = this.entriesOfBinary.get(b);
        if (!m) this.entriesOfBinary.set(b, (m = new Map()));
        m.set(resource.id, entry);
      }
      this.binariesOfEntry.set(resource.id, binaries);
    }
  }

  /** A resource was deleted or expunged. */
  forget(type: string, id: string): void {
    if (type === 'CareTeam') {
      const old = this.teams.get(id);
      if (!old) return;
      for (const m of old.members) this.teamsOfMember.get(m)?.delete(id);
      if (old.subject) this.teamsOfPatient.get(old.subject)?.delete(id);
      this.teams.delete(id);
      this.generation++;
    } else if (type === 'PractitionerRole') {
      const owner = this.ownerOfRole.get(id);
      if (owner === undefined) return;
      this.rolesOf.get(owner)?.delete(id);
      this.ownerOfRole.delete(id);
      this.generation++;
    } else if (type === 'DocumentReference') {
      for (const b of this.binariesOfEntry.get(id) ?? []) this.entriesOfBinary.get(b)?.delete(id);
      this.binariesOfEntry.delete(id);
    }
  }

  /** The patients whose active care team lists this practitioner (or one of their roles). */
  patientsOf(practitionerId: string): ReadonlySet<string> {
    const hit = this.cache.get(practitionerId);
    if (hit && hit.generation === this.generation) return hit.patients;
    const patients = new Set<string>();
    const members = [`Practitioner/${practitionerId}`, ...[...(this.rolesOf.get(practitionerId) ?? [])].map((r) => `PractitionerRole/${r}`)];
    for (const m of members) {
      for (const teamId of this.teamsOfMember.get(m) ?? []) {
        const team = this.teams.get(teamId);
        if (team?.active && team.subject) patients.add(team.subject);
      }
    }
    this.cache.set(practitionerId, { generation: this.generation, patients });
    return patients;
  }

  /** True when the patient has at least one active care team (a first team may then not be created by an outsider). */
  hasActiveTeam(patientId: string): boolean {
    for (const teamId of this.teamsOfPatient.get(patientId) ?? []) if (this.teams.get(teamId)?.active) return true;
    return false;
  }

  /**
   * Whether a Binary may be served: true when one entry that attaches it is in scope and not
   * withheld; false when entries attach it but none is visible. An attachment no entry names
   * yet (uploaded just before its entry is posted) is `undefined`: the caller decides.
   */
  binaryVisible(binaryId: string, patients: ReadonlySet<string>, readsMedical: boolean): boolean | undefined {
    const entries = this.entriesOfBinary.get(binaryId);
    if (!entries || entries.size === 0) return undefined;
    for (const e of entries.values()) if (e.patient !== null && patients.has(e.patient) && (readsMedical || !e.medical)) return true;
    return false;
  }
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
