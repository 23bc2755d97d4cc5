/**
 * The medication circuit (issue 14, item 6; docs/prescription.md « Circuit du médicament »): after
 * an ordonnance is written, one FHIR Task for the patient's pharmacist (« Nouvelle ordonnance à
 * délivrer ») and one for the home nurse (« Plan de soins modifié », or — when a line changes the
 * dose of a current treatment within a week of a laboratory result — « Dose modifiée après un
 * résultat biologique », which she must acknowledge). Pure mapping; the adapter
 * (circuit-adapter.ts) reads the care team and the current treatments and writes the Tasks.
 */
import type { MedicationRequest, Observation, PractitionerRole, Task } from '@medplum/fhirtypes';
import type { PrescriptionLine } from '../../../contract';
import { PS } from '../../platform/fhir/systems';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';

/** Task.code of the circuit (local code system: no French value set names these steps). */
export const CIRCUIT_TASK_SYSTEM = 'https://relais.example/fhir/CodeSystem/medication-circuit-task';
export const CIRCUIT_TASK_LABEL = {
  dispense: 'Nouvelle ordonnance à délivrer',
  'care-plan-changed': 'Plan de soins modifié',
  'dose-change': 'Dose modifiée après un résultat biologique',
} as const;
export type CircuitTaskCode = keyof typeof CIRCUIT_TASK_LABEL;

/** TRE-G15 profession codes of the two recipients. */
export const PHARMACIST_PROFESSION = '21';
export const NURSE_PROFESSION = '60';
/** A dose change this long after a laboratory result is « after a lab result ». */
export const LAB_WINDOW_DAYS = 7;

export function professionOf(role: PractitionerRole): string | null {
  for (const cc of role.code ?? []) for (const c of cc.coding ?? []) if (c.system === PS.professionSystem && c.code) return c.code;
  return null;
}

const norm = (s: string | undefined): string => (s ?? '').toLocaleLowerCase('fr').replace(/\s+/g, ' ').trim();

/** Lines of the new prescription that change the posology of a current treatment (same drug text). */
export function doseChanges(lines: readonly PrescriptionLine[], current: readonly MedicationRequest[]): { line: PrescriptionLine; previous: MedicationRequest }[] {
  const out: { line: PrescriptionLine; previous: MedicationRequest }[] = [];
  for (const line of lines) {
    const previous = current.find((mr) => mr.status === 'active' && norm(mr.medicationCodeableConcept?.text) === norm(line.medication));
    if (previous && norm(previous.dosageInstruction?.[0]?.text) !== norm(line.posology)) out.push({ line, previous });
  }
  return out;
}

/** The most recent laboratory result issued within LAB_WINDOW_DAYS before `at`, if any. */
export function recentLabResult(observations: readonly Observation[], at: string): Observation | null {
  const since = Date.parse(at) - LAB_WINDOW_DAYS * 86_400_000;
  const dated = observations
    .map((o) => ({ o, t: Date.parse(o.effectiveDateTime ?? o.issued ?? '') }))
    .filter(({ t }) => Number.isFinite(t) && t >= since && t <= Date.parse(at) + 60_000)
    .sort((a, b) => b.t - a.t);
  return dated[0]?.o ?? null;
}

export interface CircuitTaskInput {
  /** Idempotency: `<outbox client id>/task/<code>`. */
  clientId: string;
  code: CircuitTaskCode;
  description: string;
  patientId: string;
  ownerRole: PractitionerRole;
  requester: { reference: string; display: string };
  authoredOn: string;
  /** The ordonnance's journal entry (DocumentReference id). */
  journalEntryId: string;
  medicationRequestIds: readonly string[];
  /** The laboratory result a dose change follows. */
  labResultId?: string;
}

export function buildCircuitTask(t: CircuitTaskInput): Task {
  const ownerDisplay = t.ownerRole.practitioner?.display;
  return {
    resourceType: 'Task',
    identifier: [{ system: CLIENT_ID_SYSTEM, value: t.clientId }],
    status: 'requested',
    intent: 'order',
    // A dose change must be acknowledged before the next administration.
    priority: t.code === 'dose-change' ? 'urgent' : 'routine',
    code: { coding: [{ system: CIRCUIT_TASK_SYSTEM, code: t.code, display: CIRCUIT_TASK_LABEL[t.code] }], text: CIRCUIT_TASK_LABEL[t.code] },
    description: t.description,
    focus: { reference: `DocumentReference/${t.journalEntryId}`, display: 'Ordonnance' },
    basedOn: t.medicationRequestIds.map((id) => ({ reference: `MedicationRequest/${id}` })),
    for: { reference: `Patient/${t.patientId}` },
    authoredOn: t.authoredOn,
    lastModified: t.authoredOn,
    requester: t.requester,
    owner: { reference: `PractitionerRole/${t.ownerRole.id}`, ...(ownerDisplay ? { display: ownerDisplay } : {}) },
    ...(t.labResultId ? { reasonReference: { reference: `Observation/${t.labResultId}`, display: 'Résultat biologique' } } : {}),
  };
}

/** « Nouvelle ordonnance à délivrer : Amoxicilline 1 g, comprimé ; Paracétamol 1 g » */
export function circuitDescription(code: CircuitTaskCode, lines: readonly PrescriptionLine[], changed: readonly { line: PrescriptionLine }[]): string {
  if (code === 'dose-change') {
    const what = changed.map((c) => `${c.line.medication} → ${c.line.posology}`).join(' ; ');
    return `${CIRCUIT_TASK_LABEL['dose-change']} : ${what}. À accuser réception avant la prochaine prise.`.slice(0, 1000);
  }
  return `${CIRCUIT_TASK_LABEL[code]} : ${lines.map((l) => l.medication).join(' ; ')}`.slice(0, 1000);
}
