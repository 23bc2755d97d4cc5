/**
 * The hospital-stay part of the FHIR adapter (HospitalStayPort): what the emergency fiche reads
 * beyond the panels (allergies, contacts, advance directives), the Communication sending it to
 * the establishment, the discharge letters with their treatments at discharge, and the admission
 * checklist's ticks (one completed Task each). Mapping: docs/fhir-mapping.md « Hospital stays ».
 */
import type { AllergyIntolerance, Communication, Consent, DocumentReference, List, MedicationStatement, Patient as FhirPatient, Task } from '@medplum/fhirtypes';
import { CHECKLIST_ITEMS, type ChecklistItem } from '../../../contract';
import { personResolver, referenceId } from '../../platform/fhir/mapping';
import { CLIENT_ID_SYSTEM, ifNoneExist, toWriteError } from '../../platform/fhir/writes';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { STAY } from './fhir-systems';

export interface FicheExtras {
  allergies: string[] | null;
  contacts: { relation: string; name: string; phone: string | null }[];
  advanceDirectives: boolean | null;
}

export interface DischargeLetter {
  id: string;
  establishment: string;
  date: string | null;
  title: string;
  letterUrl: string | null;
  after: { medication: string; posology: string }[];
}

export interface ChecklistTick {
  item: ChecklistItem;
  doneBy: string | null;
  doneAt: string | null;
}

export interface HospitalStayPort {
  fetchFicheExtras(patientId: string): Promise<FicheExtras>;
  /** Communication to the establishment carrying the fiche's DocumentReference (If-None-Exist on clientId). */
  sendFiche(n: { clientId: string; patientId: string; senderId: string; establishment: { reference: string; display: string }; documentId: string; sent: string }): Promise<string>;
  listDischargeLetters(patientId: string): Promise<DischargeLetter[]>;
  createChecklistTick(n: { clientId: string; patientId: string; admissionId: string; item: ChecklistItem; label: string; senderId: string; at: string }): Promise<string>;
  listChecklistTicks(admissionId: string): Promise<ChecklistTick[]>;
}

export type HospitalStayAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'selfRoleOf' | 'toRelaisError'>;

const FHIR_JSON = { 'Content-Type': 'application/fhir+json' };
const RELATION: Record<string, string> = { N: 'Proche', C: 'Contact d’urgence', U: 'Aidant', WIT: 'Personne de confiance' };

export function createHospitalStayAdapter(deps: HospitalStayAdapterDeps): HospitalStayPort {
  const { http, searchAll } = deps;
  const person = personResolver(deps.roles, deps.practitioners);
  const selfRef = async (practitionerId: string) => {
    const roleId = await deps.selfRoleOf(practitionerId);
    return roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${practitionerId}` };
  };
  const post = async <T>(path: string, body: unknown, clientId: string, what: string): Promise<T> => {
    try {
      return (await http.post<T>(path, body, { headers: { ...FHIR_JSON, 'If-None-Exist': ifNoneExist('identifier', clientId) } })).data;
    } catch (err) {
      throw toWriteError(err, what, deps.toRelaisError);
    }
  };

  return {
    async fetchFicheExtras(patientId) {
      const what = `Fiche extras of ${patientId}`;
      const [patient, allergies, consents] = await Promise.all([
        http.get<FhirPatient>(`Patient/${encodeURIComponent(patientId)}`).then(
          (r) => r.data,
          (err: unknown) => {
            throw deps.toRelaisError(err, what);
          },
        ),
        searchAll('AllergyIntolerance', { patient: `Patient/${patientId}`, _count: '50' }, what),
        searchAll('Consent', { patient: `Patient/${patientId}`, category: `${STAY.advanceDirectives.system}|${STAY.advanceDirectives.code}`, _count: '10' }, what),
      ]);
      const allergyList = allergies.map((e) => e.resource as AllergyIntolerance).filter((a) => a?.resourceType === 'AllergyIntolerance');
      const contacts = (patient.contact ?? []).map((c) => ({
        relation: c.relationship?.map((r) => r.text ?? RELATION[r.coding?.[0]?.code ?? ''] ?? '').find(Boolean) ?? 'Contact',
        name: [c.name?.given?.join(' '), c.name?.family].filter(Boolean).join(' ') || c.name?.text || '—',
        phone: c.telecom?.find((t) => t.system === 'phone')?.value ?? null,
      }));
      const directives = consents.map((e) => e.resource as Consent).filter((c) => c?.resourceType === 'Consent' && c.status === 'active');
      return {
        // No AllergyIntolerance at all: the platform does not know (not « none »).
        allergies: allergyList.length === 0 ? null : allergyList.map((a) => a.code?.text ?? a.code?.coding?.[0]?.display ?? 'Allergie'),
        contacts,
        advanceDirectives: directives.length > 0 ? true : null,
      };
    },

    async sendFiche(n) {
      const c: Communication = {
        resourceType: 'Communication',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: n.clientId }],
        status: 'completed',
        category: [{ coding: [{ ...STAY.ficheCategory }], text: STAY.ficheTitle }],
        priority: 'urgent',
        subject: { reference: `Patient/${n.patientId}` },
        sent: n.sent,
        sender: await selfRef(n.senderId),
        recipient: [n.establishment],
        payload: [{ contentReference: { reference: `DocumentReference/${n.documentId}`, display: STAY.ficheTitle } }],
      };
      const created = await post<Communication>('Communication', c, n.clientId, 'Send emergency fiche');
      return created.id ?? '';
    },

    async listDischargeLetters(patientId) {
      const what = `Discharge letters of ${patientId}`;
      const docs = (await searchAll('DocumentReference', { subject: `Patient/${patientId}`, type: `${STAY.dischargeSummary.system}|${STAY.dischargeSummary.code}`, _count: '20' }, what))
        .map((e) => e.resource as DocumentReference)
        .filter((d) => d?.resourceType === 'DocumentReference' && !!d.id);
      const listIds = docs.flatMap((d) => (d.context?.related ?? []).map((r) => referenceId(r.reference, 'List')).filter((x): x is string => !!x));
      const lists = new Map<string, List>();
      if (listIds.length > 0) {
        for (const e of await searchAll('List', { _id: listIds.join(','), _count: '50' }, what)) {
          const l = e.resource as List;
          if (l?.resourceType === 'List' && l.id) lists.set(l.id, l);
        }
      }
      return docs
        .map((d) => {
          const list = (d.context?.related ?? []).map((r) => lists.get(referenceId(r.reference, 'List') ?? '')).find(Boolean);
          const contained = new Map((list?.contained ?? []).filter((r): r is MedicationStatement => r.resourceType === 'MedicationStatement').map((m) => [`#${m.id}`, m]));
          const after = (list?.entry ?? [])
            .map((e) => contained.get(e.item.reference ?? ''))
            .filter((m): m is MedicationStatement => !!m && m.status !== 'stopped')
            .map((m) => ({ medication: m.medicationCodeableConcept?.text ?? m.medicationCodeableConcept?.coding?.[0]?.display ?? '', posology: m.dosage?.[0]?.text ?? '' }))
            .filter((m) => m.medication);
          const letter = d.content.find((c) => c.attachment.url?.startsWith('Binary/'));
          return {
            id: d.id!,
            establishment: d.custodian?.display ?? 'Établissement',
            date: d.date ?? null,
            title: d.description ?? 'Lettre de liaison de sortie',
            letterUrl: letter?.attachment.url ?? null,
            after,
          };
        })
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
    },

    async createChecklistTick(n) {
      const who = await selfRef(n.senderId);
      const t: Task = {
        resourceType: 'Task',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: n.clientId }],
        status: 'completed',
        intent: 'order',
        code: { coding: [{ system: STAY.checklistSystem, code: n.item, display: n.label }], text: n.label },
        description: `Préparation de l'hospitalisation : ${n.label}`,
        // focus, not basedOn: the admission's own Task (found by based-on) keeps telling where it stands.
        focus: { reference: `ServiceRequest/${n.admissionId}` },
        for: { reference: `Patient/${n.patientId}` },
        authoredOn: n.at,
        lastModified: n.at,
        requester: who,
        owner: who,
      };
      const created = await post<Task>('Task', t, n.clientId, 'Tick admission checklist');
      return created.id ?? '';
    },

    async listChecklistTicks(admissionId) {
      const what = `Checklist of ${admissionId}`;
      const tasks = (await searchAll('Task', { focus: `ServiceRequest/${admissionId}`, _count: '100' }, what)).map((e) => e.resource as Task).filter((t) => t?.resourceType === 'Task');
      await deps.loadMissingRoles(tasks.map((t) => referenceId(t.owner?.reference, 'PractitionerRole')).filter((x): x is string => !!x));
      return tasks.flatMap((t) => {
        const code = t.code?.coding?.find((c) => c.system === STAY.checklistSystem)?.code;
        if (!code || !(CHECKLIST_ITEMS as readonly string[]).includes(code) || t.status !== 'completed') return [];
        return [{ item: code as ChecklistItem, doneBy: person(t.owner)?.name ?? null, doneAt: t.lastModified ?? t.authoredOn ?? null }];
      });
    },
  };
}
