/**
 * « Demande d'avis » (issue 13 item 2) ↔ FHIR, pure functions (docs/fhir-mapping.md « Demande
 * d'avis »): the ServiceRequest (category opinion) to the referent's HealthcareService, its Task
 * owned by the referent, and the reading of the answer — a Communication basedOn the request whose
 * first payload is the recommendations and whose Reference payload, when present, is the Task the
 * answer asks the nurse to do. The sandbox spells the same URIs (sandbox/fhir/systems.ts OPINION).
 */
import type { Communication, HealthcareService, ServiceRequest, Task } from '@medplum/fhirtypes';
import type { OpinionAnswer, OpinionReferent } from '../../../contract';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';

const BASE = 'https://relais.example/fhir';

export const OPINION = {
  /** ServiceRequest.category, ServiceRequest.code and Task.code of a request for an opinion. */
  category: { system: `${BASE}/CodeSystem/coordination-request`, code: 'opinion', display: "Demande d'avis" },
  /** Task.code of the action an answer asks of the care team (a nurse's task). */
  action: { system: `${BASE}/CodeSystem/coordination-request`, code: 'opinion-action', display: "Action demandée par l'avis" },
  /** HealthcareService.category of the specialists and teams who give opinions. */
  serviceCategory: { system: `${BASE}/CodeSystem/healthcare-service-category`, code: 'opinion-referent' },
  entryDisplay: "Question, mesures et photos de la demande d'avis",
} as const;

export const opinionIds = (clientId: string) => ({
  serviceRequest: clientId,
  entry: clientId,
  task: `${clientId}/task`,
  photo: (i: number) => `${clientId}/photo-${i}`,
});

export interface Measurements {
  text?: string;
  lengthCm?: number;
  widthCm?: number;
}

const cm = (n: number) => `${String(n).replace('.', ',')} cm`;

/** « Longueur 4 cm × largeur 2,5 cm ; berges macérées » or null when nothing was measured. */
export function measurementsText(m: Measurements | undefined): string | null {
  if (!m) return null;
  const size = [m.lengthCm !== undefined ? `longueur ${cm(m.lengthCm)}` : null, m.widthCm !== undefined ? `largeur ${cm(m.widthCm)}` : null].filter(Boolean).join(' × ');
  const parts = [size, m.text?.trim()].filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join(' ; ') : null;
}

/** The medical journal entry of the request: what the referent and the care team read. */
export function opinionEntryText(r: { referent: string; question: string; measurements?: Measurements; photos: number }): string {
  const lines = [`Demande d'avis à ${r.referent}`, `Question : ${r.question}`];
  const m = measurementsText(r.measurements);
  if (m) lines.push(`Mesures : ${m}`);
  if (r.photos > 0) lines.push(`${r.photos} photo${r.photos > 1 ? 's' : ''} jointe${r.photos > 1 ? 's' : ''}.`);
  lines.push('Consentement du patient recueilli.');
  return lines.join('\n');
}

export function referentOf(s: HealthcareService): OpinionReferent | null {
  if (!s.id || s.active === false) return null;
  const specialty = s.specialty?.[0]?.text ?? s.specialty?.[0]?.coding?.[0]?.display ?? s.type?.[0]?.text ?? null;
  return { id: s.id, name: s.name ?? s.providedBy?.display ?? 'Référent', specialty };
}

export interface OpinionRequestInput {
  clientId: string;
  patientId: string;
  requester: { reference: string };
  referent: { reference: string; display: string };
  question: string;
  measurements?: Measurements;
  supportingInfo: { reference: string; display: string }[];
  authoredOn: string;
}

export function buildOpinionServiceRequest(n: OpinionRequestInput): ServiceRequest {
  const m = measurementsText(n.measurements);
  return {
    resourceType: 'ServiceRequest',
    identifier: [{ system: CLIENT_ID_SYSTEM, value: opinionIds(n.clientId).serviceRequest }],
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ ...OPINION.category }], text: "Demande d'avis" }],
    code: { coding: [{ ...OPINION.category }], text: "Demande d'avis spécialisé" },
    priority: 'routine',
    subject: { reference: `Patient/${n.patientId}` },
    authoredOn: n.authoredOn,
    requester: n.requester,
    performer: [n.referent],
    // The question is the request's reason in the clinician's words.
    reasonCode: [{ text: n.question }],
    ...(n.supportingInfo.length > 0 ? { supportingInfo: n.supportingInfo } : {}),
    note: [...(m ? [{ text: `Mesures : ${m}` }] : []), { text: 'Consentement du patient recueilli.' }],
  };
}

export function buildOpinionTask(n: OpinionRequestInput): Omit<Task, 'basedOn' | 'focus'> {
  return {
    resourceType: 'Task',
    identifier: [{ system: CLIENT_ID_SYSTEM, value: opinionIds(n.clientId).task }],
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ ...OPINION.category }], text: "Demande d'avis" },
    description: `Demande d'avis : ${n.question.slice(0, 200)}`,
    for: { reference: `Patient/${n.patientId}` },
    authoredOn: n.authoredOn,
    requester: n.requester,
    owner: n.referent,
  };
}

export const isOpinionTask = (t: Task): boolean => !!t.code?.coding?.some((c) => c.system === OPINION.category.system && c.code === OPINION.category.code);

/** The answer in a Communication: recommendations (string payloads) and the action (a Task reference payload). */
export function answerOf(c: Communication, authorName: string | null): OpinionAnswer | null {
  const text = (c.payload ?? [])
    .map((p) => p.contentString)
    .filter((s): s is string => !!s?.trim())
    .join('\n');
  if (!text) return null;
  const action = c.payload?.find((p) => p.contentReference?.reference?.startsWith('Task/'))?.contentReference?.display ?? null;
  return { text, at: c.sent ?? c.meta?.lastUpdated ?? null, author: authorName ?? c.sender?.display ?? null, action };
}

/** The photos the request carries: its Binary supportingInfo. */
export const photoCount = (sr: ServiceRequest): number => (sr.supportingInfo ?? []).filter((r) => r.reference?.startsWith('Binary/')).length;
