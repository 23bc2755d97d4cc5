/**
 * The support cell's scripted coordinator (issue 13): a platform-side actor that plays what the
 * DAC's coordinators do with a request from a GP — received, accepted, a coordinator named, first
 * contact with the patient, PPS started. It is a plain FHIR client of the sandbox (fetch), like a
 * coordinator's own software would be: for each open Task of category support-cell it appends
 * the next steps to Task.output (valueDateTime = when), names the coordinator as the Task's owner,
 * and writes one journal entry per step, authored by the coordinator.
 *
 * Deterministic for tests: nothing runs on its own; a test calls `advanceSupportRequests` (all
 * steps, or up to one), `npm run sandbox` polls it (sandbox/cli.ts).
 */
import type { Bundle, DocumentReference, Task } from '@medplum/fhirtypes';
import { CAHIER_DE_LIAISON, PLATFORM, SUPPORT_CELL } from '../fhir/systems';
import { confidentialityLabel } from '../fhir/labels';

export const SUPPORT_STEPS = ['received', 'accepted', 'coordinator-named', 'first-contact', 'pps-started'] as const;
export type SupportStep = (typeof SUPPORT_STEPS)[number];

/** Who coordinates for each cell (seeded coordinators, sandbox/seed/referential.ts). */
const COORDINATOR_OF: Readonly<Record<string, { role: string; name: string }>> = {
  'Organization/org-dac-landes': { role: 'role-larrieu', name: 'Marie LARRIEU' },
  'Organization/org-dac-meuse': { role: 'role-petitjean', name: 'Valérie PETITJEAN' },
};

const STEP_TEXT: Record<SupportStep, (coordinator: string) => string> = {
  received: () => "Cellule d'appui : demande reçue, elle sera étudiée en réunion d'équipe.",
  accepted: () => "Cellule d'appui : demande acceptée, la situation sera suivie par la cellule.",
  'coordinator-named': (c) => `Cellule d'appui : ${c} est la coordinatrice de la situation.`,
  'first-contact': (c) => `Cellule d'appui : premier contact avec le patient et l'aidant par ${c}, visite à domicile programmée.`,
  'pps-started': (c) => `Cellule d'appui : élaboration du PPS engagée par ${c} avec l'équipe de soins.`,
};

const STEP_STATUS: Record<SupportStep, Task['status']> = {
  received: 'received',
  accepted: 'accepted',
  'coordinator-named': 'accepted',
  'first-contact': 'in-progress',
  'pps-started': 'in-progress',
};

export interface CoordinatorOptions {
  /** Bearer token when the sandbox requires one. */
  token?: string;
  /** Stop after this step (default: all of them). */
  until?: SupportStep;
  /** Clock of the steps (default: now). */
  now?: () => Date;
}

/** Advances every open support-cell request; answers how many steps were written. */
export async function advanceSupportRequests(baseUrl: string, options: CoordinatorOptions = {}): Promise<number> {
  const headers: Record<string, string> = { 'Content-Type': 'application/fhir+json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${baseUrl}/${path}`, { ...init, headers });
    if (!res.ok) throw new Error(`coordinator: ${init.method ?? 'GET'} ${path.split('?')[0]} → ${res.status}`);
    return (await res.json()) as T;
  };
  const code = `${SUPPORT_CELL.requestCategory.system}|${SUPPORT_CELL.requestCategory.code}`;
  const bundle = await call<Bundle<Task>>(`Task?code=${encodeURIComponent(code)}&_count=200`);
  const last = SUPPORT_STEPS.indexOf(options.until ?? 'pps-started');
  let written = 0;
  for (const task of (bundle.entry ?? []).map((e) => e.resource).filter((t): t is Task => !!t?.id)) {
    if (['completed', 'cancelled', 'rejected', 'entered-in-error', 'failed'].includes(task.status)) continue;
    const ownerRef = task.owner?.reference ?? '';
    const coordinator = COORDINATOR_OF[ownerRef] ?? Object.values(COORDINATOR_OF).find((c) => ownerRef === `PractitionerRole/${c.role}`);
    if (!coordinator || !task.for?.reference) continue;
    const reached = new Set((task.output ?? []).flatMap((o) => o.type?.coding?.filter((c) => c.system === SUPPORT_CELL.stepSystem).map((c) => c.code) ?? []));
    let current = task;
    for (const step of SUPPORT_STEPS.slice(0, last + 1)) {
      if (reached.has(step)) continue;
      const at = (options.now?.() ?? new Date()).toISOString();
      const text = STEP_TEXT[step](coordinator.name);
      const named = step === 'coordinator-named';
      const next: Task = {
        ...current,
        status: STEP_STATUS[step],
        lastModified: at,
        ...(named ? { owner: { reference: `PractitionerRole/${coordinator.role}`, display: coordinator.name } } : {}),
        output: [...(current.output ?? []), { type: { coding: [{ system: SUPPORT_CELL.stepSystem, code: step }], text: named ? `Coordinatrice : ${coordinator.name}` : step }, valueDateTime: at }],
      };
      delete next.meta;
      current = await call<Task>(`Task/${task.id}`, { method: 'PUT', body: JSON.stringify(next) });
      const entry: DocumentReference = {
        resourceType: 'DocumentReference',
        meta: { profile: [CAHIER_DE_LIAISON.documentReferenceProfile] },
        status: 'current',
        type: { coding: [{ system: PLATFORM.journalKindCodeSystem, code: 'referral', display: 'Adressage' }], text: 'Adressage' },
        subject: { reference: task.for.reference },
        date: at,
        author: [{ reference: `PractitionerRole/${coordinator.role}`, display: coordinator.name }],
        securityLabel: [confidentialityLabel(false)],
        content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: Buffer.from(text, 'utf8').toString('base64') } }],
      };
      await call<DocumentReference>('DocumentReference', { method: 'POST', body: JSON.stringify(entry) });
      written++;
    }
  }
  return written;
}
