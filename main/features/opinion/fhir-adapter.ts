/**
 * The opinion part of the FHIR adapter (OpinionPort): the directory's referents (HealthcareService
 * of category opinion-referent), the ServiceRequest + Task, and the requests read back with their
 * answers (Communication basedOn the request). Mapping: fhir-mapping.ts, docs/fhir-mapping.md.
 */
import type { Communication, HealthcareService } from '@medplum/fhirtypes';
import type { OpinionReferent, OpinionRequest } from '../../../contract';
import { personResolver, referenceId } from '../../platform/fhir/mapping';
import { createServiceRequestWithTask, requestStatus } from '../../platform/fhir/service-request-with-task';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { OPINION, answerOf, buildOpinionServiceRequest, buildOpinionTask, isOpinionTask, opinionIds, photoCount, referentOf, type OpinionRequestInput } from './fhir-mapping';
import type { ServiceRequest, Task } from '@medplum/fhirtypes';

export type NewOpinionRequest = Omit<OpinionRequestInput, 'requester'> & { senderId: string };

export interface OpinionPort {
  listOpinionReferents(): Promise<OpinionReferent[]>;
  createOpinionRequest(n: NewOpinionRequest): Promise<{ serviceRequestId: string; taskId: string }>;
  listOpinionRequests(patientId: string): Promise<Omit<OpinionRequest, 'local'>[]>;
}

export type OpinionAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'selfRoleOf' | 'toRelaisError'>;

export function createOpinionAdapter(deps: OpinionAdapterDeps): OpinionPort {
  const { http, searchAll, loadMissingRoles, roles, practitioners } = deps;
  const person = personResolver(roles, practitioners);
  const code = `${OPINION.category.system}|${OPINION.category.code}`;

  return {
    async listOpinionReferents() {
      const entries = await searchAll('HealthcareService', { 'service-category': `${OPINION.serviceCategory.system}|${OPINION.serviceCategory.code}`, _count: '100' }, 'Opinion referents');
      return entries
        .map((e) => e.resource)
        .filter((r): r is HealthcareService => r?.resourceType === 'HealthcareService')
        .map(referentOf)
        .filter((r): r is OpinionReferent => r !== null)
        .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    },

    async createOpinionRequest(n) {
      const roleId = await deps.selfRoleOf(n.senderId);
      const requester = roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${n.senderId}` };
      const input = { ...n, requester };
      return createServiceRequestWithTask({
        http,
        toRelaisError: deps.toRelaisError,
        what: 'Create opinion request',
        ids: opinionIds(n.clientId),
        serviceRequest: buildOpinionServiceRequest(input),
        task: buildOpinionTask(input),
      });
    },

    async listOpinionRequests(patientId) {
      const what = `Opinion requests of ${patientId}`;
      const requests = (await searchAll('ServiceRequest', { subject: `Patient/${patientId}`, category: code, _count: '100' }, what))
        .map((e) => e.resource)
        .filter((r): r is ServiceRequest => r?.resourceType === 'ServiceRequest' && !!r.id);
      if (requests.length === 0) return [];
      const refs = requests.map((s) => `ServiceRequest/${s.id}`).join(',');
      const [taskEntries, commEntries] = await Promise.all([searchAll('Task', { 'based-on': refs, _count: '200' }, what), searchAll('Communication', { 'based-on': refs, _count: '200' }, what)]);
      // The referent's own Task says where the request stands (the nurse's task is based on it too).
      const taskOf = new Map<string, Task>();
      for (const t of taskEntries.map((e) => e.resource).filter((r): r is Task => r?.resourceType === 'Task' && isOpinionTask(r))) {
        const id = referenceId(t.basedOn?.[0]?.reference, 'ServiceRequest');
        if (id && (t.meta?.lastUpdated ?? '') >= (taskOf.get(id)?.meta?.lastUpdated ?? '')) taskOf.set(id, t);
      }
      const answerTo = new Map<string, Communication>();
      for (const c of commEntries.map((e) => e.resource).filter((r): r is Communication => r?.resourceType === 'Communication' && r.status !== 'entered-in-error')) {
        const id = c.basedOn?.map((b) => referenceId(b.reference, 'ServiceRequest')).find((x) => !!x);
        if (id && (c.sent ?? '') >= (answerTo.get(id)?.sent ?? '')) answerTo.set(id, c);
      }
      await loadMissingRoles([...answerTo.values()].map((c) => referenceId(c.sender?.reference, 'PractitionerRole')).filter((x): x is string => !!x));
      return requests
        .map((sr) => {
          const comm = answerTo.get(sr.id!);
          return {
            id: sr.id!,
            patientId,
            referent: sr.performer?.[0]?.display ?? 'Référent',
            question: sr.reasonCode?.[0]?.text ?? '',
            photos: photoCount(sr),
            authoredOn: sr.authoredOn ?? null,
            status: requestStatus(sr, taskOf.get(sr.id!)),
            answer: comm ? answerOf(comm, person(comm.sender)?.name ?? null) : null,
          };
        })
        .sort((a, b) => (b.authoredOn ?? '').localeCompare(a.authoredOn ?? ''));
    },
  };
}
