/**
 * The agenda and admissions part of the FHIR adapter (AgendaPort): Appointment create (If-None-Exist
 * on the client identifier) and update (If-Match), ServiceRequest + Task for an admission request,
 * and the Organization referential. Created by createFhirPlatform, which lends its HTTP client.
 */
import type {
  Appointment as FhirAppointment,
  AppointmentParticipant,
  Extension,
  Organization,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { RelaisError, type Admission, type Appointment, type Establishment, type AdmissionPriority } from '../../../contract';
import { AGENDA, admissionIds } from './fhir-systems';
import { mapAppointment, personResolver, referenceId } from '../../platform/fhir/mapping';
import { CLIENT_ID_SYSTEM, ifNoneExist, toWriteError } from '../../platform/fhir/writes';
import { createServiceRequestWithTask, requestStatus, serviceRequestsWithTasks } from '../../platform/fhir/service-request-with-task';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { changeAdmission, type AdmissionChangeWrite } from './admission-changes';

// ── The port: what the core needs from the platform for this feature (main/platform/port.ts extends it).

/** An appointment to create (the outbox's appointment writer; idempotent on clientId). */
export interface NewAppointment {
  clientId: string;
  patientId: string;
  /** Practitioner id of who books it (the signed-in professional or secretary). */
  bookedBy: string;
  start: string;
  end: string;
  minutes: number;
  /** A care-team member (PractitionerRole id) or a place / service in words. */
  with: { roleId: string } | { text: string };
  motive: string;
}

/**
 * A change to an existing appointment, with If-Match on the version the professional saw.
 * `clientId` marks the change on the resource, so a retry after the platform applied it is
 * recognised instead of failing on its own new version.
 */
export interface AppointmentChangeWrite {
  clientId: string;
  appointmentId: string;
  version: string;
  move?: { start: string; end: string; minutes: number };
  cancel?: { reason: string };
}

/** A hospital admission request (ServiceRequest + Task); identifiers derive from clientId. */
export interface NewAdmissionRequest {
  clientId: string;
  patientId: string;
  requesterId: string;
  establishment: { organizationId: string; name: string } | { text: string };
  service?: string;
  priority: AdmissionPriority;
  desiredDate: string;
  motive: string;
  homeReturnSupport: boolean;
  /** Files already on the platform and the journal entries that go with the request. */
  supportingInfo: { reference: string; display: string }[];
  authoredOn: string;
}

/** Agenda and admissions part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface AgendaPort {
  /** Conditional create (If-None-Exist on the client identifier): a retry answers the first creation. */
  createAppointment(appointment: NewAppointment): Promise<Appointment>;
  /** Update with If-Match: CONFLICT when the appointment changed since `version`. */
  updateAppointment(change: AppointmentChangeWrite): Promise<Appointment>;
  /** ServiceRequest then its Task, each with If-None-Exist on an identifier derived from clientId. */
  createAdmissionRequest(request: NewAdmissionRequest): Promise<{ serviceRequestId: string; taskId: string }>;
  /** « Annuler » / « Relancer » an admission request (admission-changes.ts); idempotent on the client id. */
  changeAdmission(change: Omit<AdmissionChangeWrite, 'author'> & { authorId: string; authorName: string }): Promise<void>;
  /** The patient's admission requests with the status of their Task, newest first. */
  listAdmissions(patientId: string): Promise<Omit<Admission, 'local'>[]>;
  /** Health establishments (Organization) of the platform's referential. */
  listEstablishments(): Promise<Establishment[]>;
}

// ── Its FHIR implementation.

export type AgendaAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'selfRoleOf' | 'toRelaisError'>;

const FHIR_JSON = { 'Content-Type': 'application/fhir+json' };


/** Where the establishment says the request stands, and the notes exchanged on its Task. */
function establishmentWords(task: Task | undefined, person: ReturnType<typeof personResolver>): Pick<Admission, 'statusDetail' | 'statusAt' | 'history'> {
  if (!task) return { statusDetail: null, statusAt: null, history: [] };
  return {
    // businessStatus only: statusReason may be our own cancellation reason, which is not the establishment's word.
    statusDetail: task.businessStatus?.text ?? task.businessStatus?.coding?.[0]?.display ?? null,
    statusAt: task.lastModified ?? task.meta?.lastUpdated ?? null,
    history: (task.note ?? []).map((n) => ({ at: n.time ?? null, by: n.authorString ?? (n.authorReference ? (person(n.authorReference)?.name ?? null) : null), text: n.text })),
  };
}

function withLastChange(extensions: readonly Extension[] | undefined, clientId: string): Extension[] {
  return [...(extensions ?? []).filter((e) => e.url !== AGENDA.lastChange), { url: AGENDA.lastChange, valueString: clientId }];
}

export function createAgendaAdapter(deps: AgendaAdapterDeps): AgendaPort {
  const { http, searchAll, loadMissingRoles, roles, practitioners } = deps;
  const person = personResolver(roles, practitioners);
  const selfRef = async (practitionerId: string) => {
    const roleId = await deps.selfRoleOf(practitionerId);
    return roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${practitionerId}` };
  };
  const mapped = async (a: FhirAppointment, what: string): Promise<Appointment> => {
    const roleIds = (a.participant ?? []).map((p) => referenceId(p.actor?.reference, 'PractitionerRole')).filter((x): x is string => !!x);
    await loadMissingRoles(roleIds);
    const out = mapAppointment(a, person);
    if (!out) throw new RelaisError('PLATFORM_ERROR', `${what}: the platform answered an unusable Appointment`);
    return out;
  };

  return {
    async createAppointment(n: NewAppointment): Promise<Appointment> {
      const what = 'Book appointment';
      const withWhom: AppointmentParticipant =
        'roleId' in n.with
          ? { actor: { reference: `PractitionerRole/${n.with.roleId}` }, required: 'required', status: 'needs-action' }
          : { actor: { display: n.with.text }, required: 'required', status: 'needs-action' };
      const body: FhirAppointment = {
        resourceType: 'Appointment',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: n.clientId }],
        status: 'booked',
        description: n.motive,
        start: n.start,
        end: n.end,
        minutesDuration: n.minutes,
        created: new Date().toISOString().slice(0, 10),
        participant: [{ actor: { reference: `Patient/${n.patientId}` }, required: 'required', status: 'accepted' }, withWhom],
        extension: withLastChange(undefined, n.clientId),
      };
      let created: FhirAppointment;
      try {
        created = (await http.post<FhirAppointment>('Appointment', body, { headers: { ...FHIR_JSON, 'If-None-Exist': ifNoneExist('identifier', n.clientId) } })).data;
      } catch (err) {
        throw toWriteError(err, what, deps.toRelaisError);
      }
      return mapped(created, what);
    },

    async updateAppointment(c: AppointmentChangeWrite): Promise<Appointment> {
      const what = `Change appointment ${c.appointmentId}`;
      const url = `Appointment/${encodeURIComponent(c.appointmentId)}`;
      let current: FhirAppointment;
      try {
        current = (await http.get<FhirAppointment>(url)).data;
      } catch (err) {
        throw toWriteError(err, what, deps.toRelaisError);
      }
      // Already applied (a retry after the answer was lost): the platform's version is the result.
      if (current.extension?.some((e) => e.url === AGENDA.lastChange && e.valueString === c.clientId)) return mapped(current, what);
      const body: FhirAppointment = { ...current, extension: withLastChange(current.extension, c.clientId) };
      if (c.move) Object.assign(body, { start: c.move.start, end: c.move.end, minutesDuration: c.move.minutes });
      if (c.cancel) Object.assign(body, { status: 'cancelled', cancelationReason: { text: c.cancel.reason } });
      let updated: FhirAppointment;
      try {
        // The version the professional saw, not the current one: a change made meanwhile is a 412.
        updated = (await http.put<FhirAppointment>(url, body, { headers: { ...FHIR_JSON, 'If-Match': `W/"${c.version}"` } })).data;
      } catch (err) {
        throw toWriteError(err, what, deps.toRelaisError);
      }
      return mapped(updated, what);
    },

    async createAdmissionRequest(n: NewAdmissionRequest): Promise<{ serviceRequestId: string; taskId: string }> {
      const what = 'Create admission request';
      const ids = admissionIds(n.clientId);
      const requester = await selfRef(n.requesterId);
      const performer =
        'organizationId' in n.establishment
          ? { reference: `Organization/${n.establishment.organizationId}`, display: n.establishment.name }
          : { display: n.establishment.text };
      const label = n.priority === 'urgent' ? 'Admission directe non programmée' : 'Admission programmée';
      const sr: ServiceRequest = {
        resourceType: 'ServiceRequest',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: ids.serviceRequest }],
        status: 'active',
        intent: 'order',
        category: [{ coding: [{ ...AGENDA.admissionCategory }], text: "Demande d'admission" }],
        code: { text: label },
        priority: n.priority,
        subject: { reference: `Patient/${n.patientId}` },
        authoredOn: n.authoredOn,
        requester,
        performer: [performer],
        ...(n.service ? { performerType: { text: n.service } } : {}),
        occurrenceDateTime: n.desiredDate,
        reasonCode: [{ text: n.motive }],
        extension: [{ url: AGENDA.homeReturnSupport, valueBoolean: n.homeReturnSupport }],
        ...(n.homeReturnSupport ? { note: [{ text: 'Retour à domicile à préparer avec l’équipe de coordination' }] } : {}),
        ...(n.supportingInfo.length > 0 ? { supportingInfo: n.supportingInfo } : {}),
      };
      // The status is followed through a Task (DOMAIN.md, referrals): owner = the establishment when known.
      const task: Omit<Task, 'basedOn' | 'focus'> = {
        resourceType: 'Task',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: ids.task }],
        status: 'requested',
        intent: 'order',
        priority: n.priority,
        // Coded like the request's category, so the platform tells an admission's Task from a referral's.
        code: { coding: [{ ...AGENDA.admissionCategory }], text: "Demande d'admission" },
        description: `Demande d'admission — ${performer.display}${n.service ? ` (${n.service})` : ''}`,
        for: { reference: `Patient/${n.patientId}` },
        authoredOn: n.authoredOn,
        requester,
        ...(performer.reference ? { owner: { reference: performer.reference, display: performer.display } } : {}),
      };
      return createServiceRequestWithTask({ http, toRelaisError: deps.toRelaisError, what, ids, serviceRequest: sr, task });
    },

    async changeAdmission(change): Promise<void> {
      const { authorId, authorName, ...rest } = change;
      const author = { ...(await selfRef(authorId)), display: authorName };
      await changeAdmission(deps, { ...rest, author });
    },

    async listAdmissions(patientId: string): Promise<Omit<Admission, 'local'>[]> {
      const what = `Admission requests of ${patientId}`;
      const { requests: srs, latestTask: tasks } = await serviceRequestsWithTasks(searchAll, patientId, AGENDA.admissionCategory, what);
      await loadMissingRoles(srs.map((s) => referenceId(s.requester?.reference, 'PractitionerRole')).filter((x): x is string => !!x));
      return srs
        .map((sr) => ({
          id: sr.id!,
          patientId,
          establishment: sr.performer?.[0]?.display ?? 'Établissement non précisé',
          service: sr.performerType?.text ?? null,
          priority: sr.priority === 'urgent' || sr.priority === 'stat' || sr.priority === 'asap' ? ('urgent' as const) : ('routine' as const),
          desiredDate: sr.occurrenceDateTime?.slice(0, 10) ?? null,
          motive: sr.reasonCode?.[0]?.text ?? '',
          homeReturnSupport: sr.extension?.some((e) => e.url === AGENDA.homeReturnSupport && e.valueBoolean === true) ?? false,
          hasClinicalSummary: sr.supportingInfo?.some((s) => s.display === AGENDA.summaryDisplay) ?? false,
          attachments: (sr.supportingInfo ?? []).filter((s) => s.reference?.startsWith('Binary/')).map((s) => ({ title: s.display ?? 'Document' })),
          status: requestStatus(sr, tasks.get(sr.id!)),
          ...establishmentWords(tasks.get(sr.id!), person),
          pendingChange: null,
          requester: person(sr.requester),
          authoredOn: sr.authoredOn ?? null,
        }))
        .sort((a, b) => (b.authoredOn ?? '').localeCompare(a.authoredOn ?? ''));
    },

    async listEstablishments(): Promise<Establishment[]> {
      const entries = await searchAll('Organization', { _count: '500' }, 'Establishments');
      // A health establishment: typed as one, or registered in FINESS (a practice has no FINESS number).
      const isEstablishment = (o: Organization) =>
        (o.type?.some((t) => t.coding?.some((c) => c.system === AGENDA.establishmentType)) ?? false) ||
        (o.identifier?.some((i) => i.system === AGENDA.finess) ?? false);
      return entries
        .map((e) => e.resource)
        .filter((r): r is Organization => r?.resourceType === 'Organization' && !!r.id && r.active !== false && isEstablishment(r))
        .map((o) => ({ id: o.id!, name: o.name ?? o.id!, city: o.address?.[0]?.city ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    },
  };
}
