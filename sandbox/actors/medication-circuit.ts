/**
 * The sandbox's scripted pharmacist and home nurse (issue 14, item 6): a platform-side actor that
 * answers the medication circuit's Tasks as the seeded professionals would, so a test sees the
 * whole loop without a second person at a keyboard. Deterministic, triggered on the Task write
 * (a repository observer), writing straight into the repository:
 *
 * - « Nouvelle ordonnance à délivrer » (code `dispense`), owned by a pharmacist: one
 *   MedicationDispense per MedicationRequest of the Task's basedOn, then the Task is answered:
 *     · problème  — a line names a drug of SHORTAGES: dispense on hold, Task in-progress;
 *     · substitution — a line names a speciality (a word in capitals, the BDPM's way of writing a
 *       brand) and substitution is allowed: a generic is dispensed (substitution G), Task completed;
 *     · délivrée  — otherwise, Task completed.
 * - « Plan de soins modifié » (`care-plan-changed`), owned by a nurse: acknowledged (completed).
 * - « Dose modifiée après un résultat biologique » (`dose-change`): NOT answered by the script —
 *   the nurse acknowledges it herself (Relais « Mes tâches »), which is traced below like the others.
 *
 * Whoever answers (the script or a professional through Relais), a circuit Task reaching completed,
 * or in-progress with a problem — a dose change: accepted, the nurse's acknowledgement — writes one journal entry (DocumentReference) in its owner's name
 * that appends the ordonnance's entry (Task.focus): the prescriber reads the answer in the journal.
 */
import type { DocumentReference, MedicationDispense, MedicationRequest, PractitionerRole, Reference, Resource, Task } from '@medplum/fhirtypes';
import { CAHIER_DE_LIAISON, JOURNAL_KIND_LABEL, PLATFORM } from '../fhir/systems';
import { confidentialityLabel } from '../fhir/labels';
import type { IndexedRepository } from '../repository';

/** Same code system as Relais' Task.code (main/features/prescription/circuit-mapping.ts). */
export const CIRCUIT_TASK_SYSTEM = 'https://relais.example/fhir/CodeSystem/medication-circuit-task';
/** Drugs the scripted pharmacy is out of (a « problème » answer). */
export const SHORTAGES: readonly string[] = ['Céfixime', 'Cefpodoxime'];
const TEXT = (s: string) => Buffer.from(s, 'utf8').toString('base64');

type Answer = 'délivrée' | 'substitution' | 'problème';

function circuitCode(t: Task): string | undefined {
  return t.code?.coding?.find((c) => c.system === CIRCUIT_TASK_SYSTEM)?.code;
}
const idOf = (ref: string | undefined, type: string): string | undefined => (ref?.startsWith(`${type}/`) ? ref.slice(type.length + 1).split('/')[0] : undefined);

export function pharmacistAnswer(requests: readonly MedicationRequest[]): { answer: Answer; detail: string } {
  const names = requests.map((r) => r.medicationCodeableConcept?.text ?? '');
  const short = names.find((n) => SHORTAGES.some((s) => n.toLocaleLowerCase('fr').includes(s.toLocaleLowerCase('fr'))));
  if (short) return { answer: 'problème', detail: `${short} : rupture de stock, le pharmacien rappelle le prescripteur` };
  const brand = requests.find((r) => /\b[A-ZÉÈ]{4,}\b/.test(r.medicationCodeableConcept?.text ?? '') && r.substitution?.allowedBoolean !== false);
  if (brand) return { answer: 'substitution', detail: `${brand.medicationCodeableConcept?.text} : substitué par un générique` };
  return { answer: 'délivrée', detail: names.join(' ; ') };
}

export class MedicationCircuitActor {
  /** `<task id>:<status>` already handled: the actor's own writes come back through the observer. */
  private readonly handled = new Set<string>();
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: IndexedRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Repository observer (IndexedRepository.observers). */
  readonly observer = {
    stored: (r: Resource): void => {
      if (r.resourceType !== 'Task' || !circuitCode(r)) return;
      const key = `${r.id}:${r.status}:${r.businessStatus?.text ?? ''}`;
      if (this.handled.has(key)) return;
      this.handled.add(key);
      // After the write that triggered it has answered: one at a time, in order.
      this.pending = this.pending.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.react(r).catch((err: unknown) => {
        console.warn(`[sandbox] medication circuit actor: ${err instanceof Error ? err.message : String(err)}`);
      }));
    },
    forget: (): void => undefined,
  };

  /** Resolves once every reaction scheduled so far is written (tests). */
  idle(): Promise<void> {
    return this.pending;
  }

  private async react(task: Task): Promise<void> {
    const code = circuitCode(task);
    if (task.status === 'requested' && code === 'dispense') return this.dispense(task);
    if (task.status === 'requested' && code === 'care-plan-changed') return this.acknowledge(task);
    // The nurse acknowledges a dose change by accepting it (« Mes tâches »: requested → accepted).
    if (code === 'dose-change') return task.status === 'accepted' ? this.journal(task) : undefined;
    if (task.status === 'completed' || (task.status === 'in-progress' && task.businessStatus?.text?.startsWith('Problème'))) return this.journal(task);
  }

  private async dispense(task: Task): Promise<void> {
    const requests: MedicationRequest[] = [];
    for (const ref of task.basedOn ?? []) {
      const id = idOf(ref.reference, 'MedicationRequest');
      if (id) requests.push(await this.repo.readResource<MedicationRequest>('MedicationRequest', id));
    }
    const { answer, detail } = pharmacistAnswer(requests);
    const now = this.clock().toISOString();
    const outputs: Reference[] = [];
    for (const mr of requests) {
      const substituted = answer === 'substitution' && /\b[A-ZÉÈ]{4,}\b/.test(mr.medicationCodeableConcept?.text ?? '');
      const dispense: MedicationDispense = {
        resourceType: 'MedicationDispense',
        status: answer === 'problème' ? 'on-hold' : 'completed',
        ...(answer === 'problème' ? { statusReasonCodeableConcept: { text: detail } } : {}),
        medicationCodeableConcept: mr.medicationCodeableConcept ?? { text: 'Médicament' },
        subject: mr.subject!,
        performer: task.owner?.reference ? [{ actor: { reference: task.owner.reference, ...(task.owner.display ? { display: task.owner.display } : {}) } }] : [],
        authorizingPrescription: [{ reference: `MedicationRequest/${mr.id}` }],
        ...(answer === 'problème' ? {} : { whenHandedOver: now }),
        ...(substituted
          ? {
              substitution: {
                wasSubstituted: true,
                type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution', code: 'G', display: 'generic composition' }] },
                reason: [{ text: 'Substitution par un générique (droit de substitution du pharmacien)' }],
              },
            }
          : {}),
      };
      const created = await this.repo.createResource(dispense);
      outputs.push({ reference: `MedicationDispense/${created.id}` });
    }
    const label = answer === 'délivrée' ? 'Délivrée' : answer === 'substitution' ? 'Délivrée avec substitution' : 'Problème';
    await this.repo.updateResource<Task>({
      ...task,
      status: answer === 'problème' ? 'in-progress' : 'completed',
      businessStatus: { text: `${label} — ${detail}` },
      lastModified: now,
      output: outputs.map((valueReference) => ({ type: { text: 'Dispensation' }, valueReference })),
    });
  }

  private async acknowledge(task: Task): Promise<void> {
    await this.repo.updateResource<Task>({ ...task, status: 'completed', businessStatus: { text: 'Pris en compte' }, lastModified: this.clock().toISOString() });
  }

  private async journal(task: Task): Promise<void> {
    const code = circuitCode(task);
    const roleId = idOf(task.owner?.reference, 'PractitionerRole');
    const role = roleId ? await this.repo.readResource<PractitionerRole>('PractitionerRole', roleId).catch(() => undefined) : undefined;
    const author = role?.practitioner?.display ?? task.owner?.display ?? 'Professionnel';
    const status = task.businessStatus?.text ?? (task.status === 'completed' ? 'Fait' : task.status);
    const text =
      code === 'dispense'
        ? `Pharmacie — ordonnance : ${status}`
        : code === 'dose-change'
          ? `Modification de dose : accusé de réception par ${author}. ${task.description ?? ''}`.trim()
          : `Plan de soins modifié : pris en compte par ${author}.`;
    const kind = code === 'dispense' ? 'treatment-change' : 'text';
    const date = this.clock().toISOString();
    const focus = idOf(task.focus?.reference, 'DocumentReference');
    const doc: DocumentReference = {
      resourceType: 'DocumentReference',
      meta: { profile: [CAHIER_DE_LIAISON.documentReferenceProfile] },
      status: 'current',
      type: { coding: [{ system: PLATFORM.journalKindCodeSystem, code: kind, display: JOURNAL_KIND_LABEL[kind] }], text: JOURNAL_KIND_LABEL[kind] },
      subject: task.for as DocumentReference['subject'],
      date,
      author: task.owner?.reference ? [{ reference: task.owner.reference, display: author }] : [],
      ...(focus ? { relatesTo: [{ code: 'appends' as const, target: { reference: `DocumentReference/${focus}` } }] } : {}),
      // About a treatment: medical content.
      securityLabel: [confidentialityLabel(true)],
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: TEXT(text) } }],
    };
    await this.repo.createResource(doc);
  }
}
