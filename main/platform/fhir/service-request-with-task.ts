/**
 * A request followed through a Task (DOMAIN.md: ServiceRequest + Task, requested → accepted →
 * completed), shared by admission requests and referrals: the idempotent pair of creates, and
 * the patient's requests of one category with the Task that says where each stands.
 */
import type { AxiosInstance } from 'axios';
import type { BundleEntry, ServiceRequest, Task } from '@medplum/fhirtypes';
import { RelaisError } from '../../../contract';
import { referenceId } from './mapping';
import { ifNoneExist, toWriteError } from './writes';

const FHIR_JSON = { 'Content-Type': 'application/fhir+json' };

export interface ServiceRequestWithTask {
  http: AxiosInstance;
  toRelaisError(err: unknown, what: string): RelaisError;
  what: string;
  /** Identifier values (client id based) of the two resources: a retry finds them (If-None-Exist). */
  ids: { serviceRequest: string; task: string };
  serviceRequest: ServiceRequest;
  /** The Task, without basedOn / focus: they point at the ServiceRequest once created. */
  task: Omit<Task, 'basedOn' | 'focus'>;
}

export async function createServiceRequestWithTask(r: ServiceRequestWithTask): Promise<{ serviceRequestId: string; taskId: string }> {
  let created: ServiceRequest;
  try {
    created = (await r.http.post<ServiceRequest>('ServiceRequest', r.serviceRequest, { headers: { ...FHIR_JSON, 'If-None-Exist': ifNoneExist('identifier', r.ids.serviceRequest) } })).data;
  } catch (err) {
    throw toWriteError(err, r.what, r.toRelaisError);
  }
  if (!created?.id) throw new RelaisError('PLATFORM_ERROR', `${r.what}: no ServiceRequest id in the answer`);
  const task: Task = { ...r.task, basedOn: [{ reference: `ServiceRequest/${created.id}` }], focus: { reference: `ServiceRequest/${created.id}` } };
  let taskId: string | undefined;
  try {
    taskId = (await r.http.post<Task>('Task', task, { headers: { ...FHIR_JSON, 'If-None-Exist': ifNoneExist('identifier', r.ids.task) } })).data?.id;
  } catch (err) {
    throw toWriteError(err, `${r.what} (task)`, r.toRelaisError);
  }
  if (!taskId) throw new RelaisError('PLATFORM_ERROR', `${r.what}: no Task id in the answer`);
  return { serviceRequestId: created.id, taskId };
}

type SearchAll = (path: string, params: Record<string, string | string[]>, what: string) => Promise<BundleEntry[]>;

/** The patient's ServiceRequests of this category, each with its most recently updated Task. */
export async function serviceRequestsWithTasks(
  searchAll: SearchAll,
  patientId: string,
  category: { system: string; code: string },
  what: string,
): Promise<{ requests: ServiceRequest[]; latestTask: Map<string, Task> }> {
  const requests = (await searchAll('ServiceRequest', { subject: `Patient/${patientId}`, category: `${category.system}|${category.code}`, _count: '100' }, what))
    .map((e) => e.resource)
    .filter((r): r is ServiceRequest => r?.resourceType === 'ServiceRequest' && !!r.id);
  const latestTask = new Map<string, Task>();
  if (requests.length > 0) {
    const entries = await searchAll('Task', { 'based-on': requests.map((s) => `ServiceRequest/${s.id}`).join(','), _count: '200' }, what);
    for (const e of entries) {
      const t = e.resource;
      if (t?.resourceType !== 'Task') continue;
      const srId = referenceId(t.basedOn?.[0]?.reference, 'ServiceRequest');
      const known = srId ? latestTask.get(srId) : undefined;
      // Several tasks for one request: the most recently updated tells where it stands.
      if (srId && (!known || (t.meta?.lastUpdated ?? '') > (known.meta?.lastUpdated ?? ''))) latestTask.set(srId, t);
    }
  }
  return { requests, latestTask };
}

/** Where a request stands for the practice, from its Task (FHIR's finer states folded). */
export type RequestStatus = 'requested' | 'accepted' | 'in-progress' | 'completed' | 'rejected' | 'cancelled';

export function requestStatus(sr: ServiceRequest, task: Task | undefined): RequestStatus {
  if (sr.status === 'revoked' || sr.status === 'entered-in-error') return 'cancelled';
  switch (task?.status) {
    case 'accepted':
    case 'ready':
      return 'accepted';
    case 'in-progress':
    case 'on-hold':
      return 'in-progress';
    case 'completed':
      return 'completed';
    case 'rejected':
    case 'failed':
      return 'rejected';
    case 'cancelled':
    case 'entered-in-error':
      return 'cancelled';
    default:
      return sr.status === 'completed' ? 'completed' : 'requested';
  }
}
