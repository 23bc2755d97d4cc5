/**
 * The daily-flow part of the FHIR adapter (FlowPort): the professional's open tasks across all
 * patients (« À traiter ») and the Task created from a journal message. Created by
 * createFhirPlatform, which lends its HTTP client. Mapping: docs/fhir-mapping.md « Daily flow ».
 */
import type { PractitionerRole, Task } from '@medplum/fhirtypes';
import type { Author } from '../../../contract';
import { personResolver, referenceId } from '../../platform/fhir/mapping';
import { CLIENT_ID_SYSTEM, ifNoneExist, toWriteError } from '../../platform/fhir/writes';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { FLOW, OPEN_TASK_STATUSES } from './fhir-systems';

// ── The port: what the core needs from the platform for this feature (main/platform/port.ts extends it).

/** An open task of the professional, as « À traiter » lists it. */
export interface OpenTask {
  id: string;
  patientId: string;
  description: string;
  /** Due day (Task.restriction.period.end), null when none. */
  dueDate: string | null;
  requester: Author | null;
}

/** A Task to create from a journal message (the outbox writer of kind task-create). */
export interface NewEntryTask {
  clientId: string;
  patientId: string;
  /** Platform id of the message (DocumentReference). */
  entryId: string;
  /** PractitionerRole id of the assignee. */
  ownerId: string;
  ownerDisplay: string;
  /** Practitioner id of the signed-in professional (the requester). */
  requesterId: string;
  description: string;
  dueDate: string;
  authoredOn: string;
}

/** Daily-flow part of the Platform port. Throws RelaisError. */
export interface FlowPort {
  /** Tasks not done (requested, accepted, in progress) owned by the professional or one of their roles. */
  fetchOpenTasksOwnedBy(practitionerId: string): Promise<OpenTask[]>;
  /** Creates (or finds, on a retry) the Task; answers its id. */
  createEntryTask(task: NewEntryTask): Promise<{ id: string }>;
}

// ── Its FHIR implementation.

export type FlowAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'selfRoleOf' | 'toRelaisError'>;

/** The Task of a message (pure: tested by the conformance test through what crosses the wire). */
export function buildEntryTask(n: NewEntryTask, requester: { reference: string }): Task {
  return {
    resourceType: 'Task',
    identifier: [{ system: CLIENT_ID_SYSTEM, value: n.clientId }],
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ ...FLOW.taskOrigin }], text: 'Tâche issue d’un message' },
    description: n.description,
    focus: { reference: `DocumentReference/${n.entryId}`, display: 'Message du cahier de liaison' },
    for: { reference: `Patient/${n.patientId}` },
    authoredOn: n.authoredOn,
    requester,
    owner: { reference: `PractitionerRole/${n.ownerId}`, display: n.ownerDisplay },
    restriction: { period: { end: n.dueDate } },
  };
}

export function createFlowAdapter(deps: FlowAdapterDeps): FlowPort {
  const { http, searchAll, loadMissingRoles, roles, practitioners } = deps;
  const person = personResolver(roles, practitioners);
  return {
    async fetchOpenTasksOwnedBy(practitionerId: string): Promise<OpenTask[]> {
      const what = 'Open tasks of the professional';
      const own = await searchAll('PractitionerRole', { practitioner: `Practitioner/${practitionerId}`, _count: '50' }, what);
      const roleIds = own.map((e) => e.resource).filter((r): r is PractitionerRole => r?.resourceType === 'PractitionerRole').map((r) => r.id!);
      const owners = [`Practitioner/${practitionerId}`, ...roleIds.map((id) => `PractitionerRole/${id}`)];
      const entries = await searchAll('Task', { owner: owners.join(','), status: OPEN_TASK_STATUSES.join(','), _count: '200' }, what);
      const tasks = entries.map((e) => e.resource).filter((r): r is Task => r?.resourceType === 'Task');
      await loadMissingRoles(tasks.map((t) => referenceId(t.requester?.reference, 'PractitionerRole')).filter((id): id is string => !!id));
      const out: OpenTask[] = [];
      for (const t of tasks) {
        const patientId = referenceId(t.for?.reference, 'Patient');
        // The platform's search is trusted for the owner, not for the status: filtered again here.
        if (!t.id || !patientId || !(OPEN_TASK_STATUSES as readonly string[]).includes(t.status)) continue;
        out.push({
          id: t.id,
          patientId,
          description: t.description ?? t.code?.text ?? '',
          dueDate: t.restriction?.period?.end?.slice(0, 10) ?? null,
          requester: t.requester ? person(t.requester) : null,
        });
      }
      return out;
    },

    async createEntryTask(n: NewEntryTask): Promise<{ id: string }> {
      const what = 'Create task from a message';
      const roleId = await deps.selfRoleOf(n.requesterId);
      const requester = roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${n.requesterId}` };
      try {
        const res = await http.post<Task>('Task', buildEntryTask(n, requester), {
          headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': ifNoneExist('identifier', n.clientId) },
        });
        return { id: res.data.id! };
      } catch (err) {
        throw toWriteError(err, what, deps.toRelaisError);
      }
    },
  };
}
