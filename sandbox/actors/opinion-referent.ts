/**
 * The wound-care referent's scripted answers (issue 13 item 2): a platform-side actor, a plain
 * FHIR client of the sandbox like the coordinator (coordinator.ts). For each open Task of category
 * opinion owned by the referent's team it writes, in the referent's name:
 *   1. when the answer asks for an action, a Task for the nurse of the patient's care team
 *      (« Mes tâches » on her side), based on the request, due in 15 days;
 *   2. the answer: a Communication basedOn the ServiceRequest, the recommendations as string
 *      payloads and the nurse's Task as a Reference payload;
 *   3. a journal entry (DocumentReference, medical) with the recommendations;
 *   4. the request's Task completed, its output the Communication.
 * Deterministic: nothing runs on its own; tests call `answerOpinionRequests`.
 */
import type { Bundle, CareTeam, Communication, DocumentReference, ServiceRequest, Task } from '@medplum/fhirtypes';
import { CAHIER_DE_LIAISON, OPINION, PLATFORM } from '../fhir/systems';
import { confidentialityLabel } from '../fhir/labels';
import { WOUND_REFERENT } from '../seed/opinion-referent';

export const WOUND_RECOMMENDATIONS = [
  'Plaie bourgeonnante sans signe d’infection locale sur les photos transmises.',
  'Nettoyage au sérum physiologique, pansement hydrocellulaire changé tous les 2 jours, protection de la peau péri-lésionnelle.',
  'Décharge de l’appui et contrôle de l’état nutritionnel ; réévaluation avec de nouvelles photos dans 15 jours.',
] as const;
export const WOUND_ACTION = 'Réfection du pansement hydrocellulaire tous les 2 jours, nouvelles photos dans 15 jours';

export interface ReferentOptions {
  token?: string;
  now?: () => Date;
}

/** Answers every open opinion request of the referent's team; answers how many were answered. */
export async function answerOpinionRequests(baseUrl: string, options: ReferentOptions = {}): Promise<number> {
  const headers: Record<string, string> = { 'Content-Type': 'application/fhir+json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${baseUrl}/${path}`, { ...init, headers });
    if (!res.ok) throw new Error(`opinion referent: ${init.method ?? 'GET'} ${path.split('?')[0]} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const code = `${OPINION.requestCategory.system}|${OPINION.requestCategory.code}`;
  const tasks = ((await call<Bundle<Task>>(`Task?code=${encodeURIComponent(code)}&_count=200`)).entry ?? []).map((e) => e.resource).filter((t): t is Task => !!t?.id);
  const referent = { reference: `PractitionerRole/${WOUND_REFERENT.role}`, display: WOUND_REFERENT.name };
  let answered = 0;
  for (const task of tasks) {
    if (!['requested', 'received', 'accepted', 'in-progress'].includes(task.status)) continue;
    if (task.owner?.reference !== `HealthcareService/${WOUND_REFERENT.service}`) continue;
    const srRef = task.basedOn?.[0]?.reference;
    const patientRef = task.for?.reference;
    if (!srRef || !patientRef) continue;
    const sr = await call<ServiceRequest>(srRef);
    const at = options.now?.() ?? new Date();
    const iso = at.toISOString();
    // The nurse of the care team does the dressing: the action becomes her task.
    const team = ((await call<Bundle<CareTeam>>(`CareTeam?subject=${encodeURIComponent(patientRef)}&_count=5`)).entry ?? [])[0]?.resource;
    const nurse = team?.participant?.find((p) => p.role?.some((r) => r.coding?.some((c) => c.system === PLATFORM.roleLabelCodeSystem && c.code === 'nurse')))?.member;
    let nurseTask: Task | null = null;
    if (nurse?.reference) {
      nurseTask = await call<Task>('Task', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Task',
          status: 'requested',
          intent: 'order',
          priority: 'routine',
          code: { coding: [{ ...OPINION.actionCode }], text: "Action demandée par l'avis" },
          description: `Avis plaies : ${WOUND_ACTION}`,
          basedOn: [{ reference: srRef }],
          for: { reference: patientRef },
          authoredOn: iso,
          requester: referent,
          owner: nurse,
          restriction: { period: { end: new Date(at.getTime() + 15 * 86_400_000).toISOString().slice(0, 10) } },
        } satisfies Task),
      });
    }
    const communication = await call<Communication>('Communication', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Communication',
        status: 'completed',
        basedOn: [{ reference: srRef }],
        subject: { reference: patientRef },
        sent: iso,
        sender: referent,
        ...(sr.requester ? { recipient: [sr.requester] } : {}),
        payload: [
          ...WOUND_RECOMMENDATIONS.map((contentString) => ({ contentString })),
          ...(nurseTask?.id ? [{ contentReference: { reference: `Task/${nurseTask.id}`, display: WOUND_ACTION } }] : []),
        ],
      } satisfies Communication),
    });
    const text = [`Avis plaies et cicatrisation (${WOUND_REFERENT.name}) :`, ...WOUND_RECOMMENDATIONS, ...(nurseTask ? [`Action demandée à l'infirmière : ${WOUND_ACTION}.`] : [])].join('\n');
    const entry: DocumentReference = {
      resourceType: 'DocumentReference',
      meta: { profile: [CAHIER_DE_LIAISON.documentReferenceProfile] },
      status: 'current',
      type: { coding: [{ system: PLATFORM.journalKindCodeSystem, code: 'referral', display: 'Adressage' }], text: 'Adressage' },
      subject: { reference: patientRef },
      date: iso,
      author: [referent],
      securityLabel: [confidentialityLabel(true)],
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: Buffer.from(text, 'utf8').toString('base64') } }],
    };
    await call<DocumentReference>('DocumentReference', { method: 'POST', body: JSON.stringify(entry) });
    const done: Task = { ...task, status: 'completed', lastModified: iso, output: [{ type: { text: 'Avis rendu' }, valueReference: { reference: `Communication/${communication.id}` } }] };
    delete done.meta;
    await call<Task>(`Task/${task.id}`, { method: 'PUT', body: JSON.stringify(done) });
    answered++;
  }
  return answered;
}
