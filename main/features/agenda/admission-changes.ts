/**
 * « Annuler » and « Relancer » an admission request on the platform (issue 15), FHIR R4:
 * - both add an Annotation to the request's Task (author, time, text) — how the practice and the
 *   establishment talk about the request — marked with the row's client id (extension
 *   last-client-change) so a retry finds it done;
 * - « Annuler » also moves the Task to `cancelled` with `statusReason`, and the ServiceRequest to
 *   `revoked` with the same note (R4: revoked = « the authorizing request was withdrawn »);
 * - both update with If-Match on the version just read: a change by the establishment meanwhile
 *   is a 412, retried by the outbox from a fresh read.
 */
import type { Annotation, ServiceRequest, Task } from '@medplum/fhirtypes';
import { RelaisError } from '../../../contract';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { toWriteError } from '../../platform/fhir/writes';
import { referenceId } from '../../platform/fhir/mapping';
import { AGENDA } from './fhir-systems';

const FHIR_JSON = { 'Content-Type': 'application/fhir+json' };

export interface AdmissionChangeWrite {
  clientId: string;
  serviceRequestId: string;
  action: 'cancel' | 'remind';
  reason: string;
  /** ISO instant the professional asked for it. */
  at: string;
  /** Who: PractitionerRole (or Practitioner) reference, with the name shown to the establishment. */
  author: { reference: string; display: string };
}

export function changeNoteText(action: 'cancel' | 'remind', reason: string): string {
  return action === 'cancel' ? `Demande d'admission annulée : ${reason}` : `Relance de la demande d'admission : ${reason}`;
}

const isMine = (notes: readonly Annotation[] | undefined, clientId: string): boolean =>
  (notes ?? []).some((n) => n.extension?.some((e) => e.url === AGENDA.lastChange && e.valueString === clientId));

type Deps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'toRelaisError'>;

export async function changeAdmission(deps: Deps, c: AdmissionChangeWrite): Promise<void> {
  const what = `${c.action === 'cancel' ? 'Cancel' : 'Remind'} admission request ${c.serviceRequestId}`;
  const note: Annotation = {
    authorReference: { reference: c.author.reference, display: c.author.display },
    time: c.at,
    text: changeNoteText(c.action, c.reason),
    extension: [{ url: AGENDA.lastChange, valueString: c.clientId }],
  };
  const put = async <T extends Task | ServiceRequest>(path: string, body: T): Promise<void> => {
    try {
      await deps.http.put(path, body, { headers: { ...FHIR_JSON, ...(body.meta?.versionId ? { 'If-Match': `W/"${body.meta.versionId}"` } : {}) } });
    } catch (err) {
      throw toWriteError(err, what, deps.toRelaisError);
    }
  };
  let sr: ServiceRequest;
  try {
    sr = (await deps.http.get<ServiceRequest>(`ServiceRequest/${encodeURIComponent(c.serviceRequestId)}`)).data;
  } catch (err) {
    throw deps.toRelaisError(err, what);
  }
  const tasks = (await deps.searchAll('Task', { 'based-on': `ServiceRequest/${c.serviceRequestId}`, _count: '50' }, what))
    .map((e) => e.resource)
    .filter((t): t is Task => t?.resourceType === 'Task' && referenceId(t.basedOn?.[0]?.reference, 'ServiceRequest') === c.serviceRequestId)
    .sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''));
  const task = tasks[0];
  if (!task) throw new RelaisError('PLATFORM_ERROR', `${what}: the request has no Task`);
  if (!isMine(task.note, c.clientId)) {
    const body: Task = { ...task, note: [...(task.note ?? []), note], lastModified: c.at };
    if (c.action === 'cancel' && task.status !== 'completed' && task.status !== 'cancelled') {
      Object.assign(body, { status: 'cancelled', statusReason: { text: c.reason } });
    }
    await put(`Task/${encodeURIComponent(task.id!)}`, body);
  }
  if (c.action === 'cancel' && sr.status !== 'revoked' && !isMine(sr.note, c.clientId)) {
    await put(`ServiceRequest/${encodeURIComponent(sr.id!)}`, { ...sr, status: 'revoked', note: [...(sr.note ?? []), note] });
  }
}
