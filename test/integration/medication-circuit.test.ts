/**
 * The medication circuit end to end against the sandbox (issue 14, items 5 and 6): the GP signs an
 * ordonnance with a card (FakeCardReader holding the test PKI's distinct signature pair) — the PDF
 * stored on the platform passes `pdfsig` — then the care team's pharmacist and home nurse get
 * their Task, the sandbox's scripted pharmacist dispenses and answers, the nurse's
 * acknowledgement comes back, each as a journal entry appending the ordonnance. A dose change the
 * day after a laboratory result reaches the nurse as an urgent Task she must acknowledge herself.
 */
import type { Bundle, CareTeam, DocumentReference, MedicationDispense, MedicationRequest, PractitionerRole, Task } from '@medplum/fhirtypes';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyPrescriptionLine, type PrescriptionDraftContent } from '../../contract';
import { EventBus } from '../../main/events';
import { registerWriters } from '../../main/features/feature';
import { narrativeText } from '../../main/features/panels/medication-circuit';
import { CIRCUIT_TASK_SYSTEM } from '../../main/features/prescription/circuit-mapping';
import { createPrescriptionsFeature } from '../../main/features/prescription/handlers';
import { testFeatureContext } from '../../main/features/test-context';
import { Outbox } from '../../main/outbox/outbox';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { CLIENT_ID_SYSTEM } from '../../main/platform/fhir/writes';
import type { Platform } from '../../main/platform/port';
import { cardDocumentSigner } from '../../main/signature/card-document-signer';
import { LocalStore } from '../../main/store/store';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { BENCH_PATIENT_500, REFERENCE_DATE } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DEMO_GP_PROFESSIONAL } from '../support/demo-professional';
import { DEMO_GP_CARD, testPki } from '../fixtures/pki/pki';

const hasPdfsig = spawnSync('which', ['pdfsig']).status === 0;
const patientId = BENCH_PATIENT_500.id;
const professional = DEMO_GP_PROFESSIONAL;
let sandbox: Sandbox;
let platform: Platform;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  platform = createFhirPlatform({ baseUrl: sandbox.url, timeoutMs: 10_000 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-circuit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function search<T>(path: string): Promise<T[]> {
  const res = await fetch(`${sandbox.url}/${path}`);
  return (((await res.json()) as Bundle).entry ?? []).map((e) => e.resource as T);
}

/** The care team's pharmacist and nurse: their PractitionerRole and Practitioner ids. */
async function teamMember(label: 'pharmacist' | 'nurse'): Promise<{ roleId: string; practitionerId: string; name: string }> {
  const found = await search<CareTeam | PractitionerRole>(`CareTeam?subject=Patient/${patientId}&_include=CareTeam:participant`);
  const role = found.find(
    (r): r is PractitionerRole => r.resourceType === 'PractitionerRole' && !!r.code?.some((c) => c.coding?.some((x) => x.system?.endsWith('/role-label') && x.code === label)),
  )!;
  return { roleId: role.id!, practitionerId: role.practitioner!.reference!.split('/')[1]!, name: role.practitioner!.display! };
}

function draft(lines: { medication: string; posology: string }[]): PrescriptionDraftContent {
  return { weightKg: '', lines: lines.map((l, i) => ({ ...emptyPrescriptionLine(`k${i}`), ...l, route: 'voie orale', durationDays: '7' })) };
}

const fakeCard = () =>
  new FakeCardReader({
    label: 'CPS TEST',
    serial: '1',
    certificatePem: testPki().gp.certificatePem,
    privateKeyPem: testPki().gp.privateKeyPem,
    pin: '1234',
    signature: { certificatePem: testPki().gpSignature.certificatePem, privateKeyPem: testPki().gpSignature.privateKeyPem },
  });

async function post(content: PrescriptionDraftContent, options: { now?: Date; pin?: string; reader?: FakeCardReader } = {}) {
  const store = new LocalStore(join(dir, `store-${Math.random()}.db`));
  const events = new EventBus();
  const outbox = new Outbox({ store, platform, events, professional, random: () => 0.5 });
  store.upsertPatient(await platform.getPatient(patientId));
  const reader = options.reader;
  const feature = createPrescriptionsFeature(
    testFeatureContext({
      platform,
      store,
      outbox,
      events,
      professional,
      ...(options.now ? { now: () => options.now! } : {}),
      documentSigning: reader ? { kind: 'card', signer: cardDocumentSigner(reader, reader.slotId, DEMO_GP_CARD.idNatPs) } : { kind: 'demo' },
    }),
  );
  registerWriters(outbox, feature.writers);
  try {
    const result = options.pin ? await feature.handlers['prescription.sign']({ patientId, draft: content, pin: options.pin }) : await feature.handlers['prescription.post']({ patientId, draft: content });
    await outbox.drain();
    expect(outbox.get(result.item.id)?.status).toBe('sent');
    await sandbox.medicationActor!.idle();
    const [entry] = await search<DocumentReference>(`DocumentReference?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${result.item.id}`)}`);
    return { ...result, entry: entry!, audit: store.auditTrail() };
  } finally {
    await outbox.stop();
    outbox.close();
    store.close();
  }
}

async function circuitTasks(entryId: string): Promise<Task[]> {
  return (await search<Task>(`Task?subject=Patient/${patientId}&_count=200`)).filter((t) => t.focus?.reference === `DocumentReference/${entryId}`);
}
const codeOf = (t: Task) => t.code?.coding?.find((c) => c.system === CIRCUIT_TASK_SYSTEM)?.code;
const textOf = (d: DocumentReference) => Buffer.from(d.content[0]!.attachment.data ?? '', 'base64').toString('utf8');

async function answersTo(entryId: string): Promise<DocumentReference[]> {
  const all = await search<DocumentReference>(`DocumentReference?subject=Patient/${patientId}&_count=1000&_sort=-_lastUpdated`);
  return all.filter((d) => d.relatesTo?.some((r) => r.target.reference === `DocumentReference/${entryId}`));
}

describe('medication circuit', () => {
  it('signed with the card: the PDF on the platform passes pdfsig; pharmacist and nurse get their Task and answer in the journal', async () => {
    const reader = fakeCard();
    const { entry, audit } = await post(draft([{ medication: 'Amoxicilline 1 g, comprimé', posology: '1 comprimé matin et soir' }]), { pin: '1234', reader });
    expect(reader.documentSignatures).toBe(1);
    expect(audit.some((a) => a.action === 'prescription.sign' && a.patientId === patientId)).toBe(true);

    const pdfRef = entry.content.find((c) => c.attachment.contentType === 'application/pdf')!.attachment.url!;
    const { data } = await platform.fetchAttachment(new URL(pdfRef, `${sandbox.url}/`).href);
    expect(Buffer.from(data).toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
    if (hasPdfsig) {
      writeFileSync(join(dir, 'stored.pdf'), data);
      const out = spawnSync('pdfsig', [join(dir, 'stored.pdf')], { encoding: 'utf8' }).stdout;
      expect(/- Signature Validation: (.*)/.exec(out)?.[1]).toBe('Signature is Valid.');
    }

    const pharmacist = await teamMember('pharmacist');
    const nurse = await teamMember('nurse');
    await expect.poll(async () => (await circuitTasks(entry.id!)).map((t) => `${codeOf(t)}:${t.status}`).sort(), { timeout: 15_000 }).toEqual([
      'care-plan-changed:completed',
      'dispense:completed',
    ]);
    const tasks = await circuitTasks(entry.id!);
    const dispense = tasks.find((t) => codeOf(t) === 'dispense')!;
    expect(dispense.owner?.reference).toBe(`PractitionerRole/${pharmacist.roleId}`);
    expect(dispense.description).toBe('Nouvelle ordonnance à délivrer : Amoxicilline 1 g, comprimé');
    expect(dispense.businessStatus?.text).toMatch(/^Délivrée — /);
    expect(tasks.find((t) => codeOf(t) === 'care-plan-changed')!.owner?.reference).toBe(`PractitionerRole/${nurse.roleId}`);

    const dispensed = await search<MedicationDispense>(`MedicationDispense?subject=Patient/${patientId}&_count=200`);
    const mrId = dispense.basedOn![0]!.reference!;
    expect(dispensed.filter((d) => d.authorizingPrescription?.[0]?.reference === mrId).map((d) => d.status)).toEqual(['completed']);

    await expect.poll(async () => (await answersTo(entry.id!)).length, { timeout: 15_000 }).toBe(2);
    const answers = await answersTo(entry.id!);
    const byAuthor = (roleId: string) => answers.find((d) => d.author?.[0]?.reference === `PractitionerRole/${roleId}`)!;
    expect(textOf(byAuthor(pharmacist.roleId))).toMatch(/^Pharmacie — ordonnance : Délivrée — Amoxicilline 1 g, comprimé/);
    expect(textOf(byAuthor(nurse.roleId))).toBe(`Plan de soins modifié : pris en compte par ${nurse.name}.`);

    // The pharmacist's « Mes tâches »: the task is hers.
    const panels = await platform.getPatientPanels(patientId, { professionalId: pharmacist.practitionerId, from: new Date().toISOString() });
    expect(panels.tasks.find((t) => t.id === dispense.id)).toMatchObject({ mine: true, description: 'Nouvelle ordonnance à délivrer : Amoxicilline 1 g, comprimé' });
  });

  it('a drug out of stock: the pharmacist answers « problème » (dispense on hold)', async () => {
    const { entry } = await post(draft([{ medication: 'Céfixime 200 mg, comprimé', posology: '1 comprimé matin et soir' }]));
    await expect.poll(async () => (await circuitTasks(entry.id!)).find((t) => codeOf(t) === 'dispense')?.status, { timeout: 15_000 }).toBe('in-progress');
    const task = (await circuitTasks(entry.id!)).find((t) => codeOf(t) === 'dispense')!;
    expect(task.businessStatus?.text).toMatch(/^Problème — Céfixime 200 mg, comprimé : rupture de stock/);
    await expect.poll(async () => (await answersTo(entry.id!)).map(textOf).join('\n'), { timeout: 15_000 }).toMatch(/Pharmacie — ordonnance : Problème/);
  });

  it('a dose change the day after a lab result: an urgent Task the nurse must acknowledge herself, traced in the journal', async () => {
    const current = (await search<MedicationRequest>(`MedicationRequest?subject=Patient/${patientId}&status=active&_count=200`)).find((m) => m.id === `${patientId}-med-1`)!;
    expect(current).toBeDefined();
    const now = new Date(Date.parse(REFERENCE_DATE) - 6 * 3_600_000); // the reference day, 12:00 UTC
    const { entry } = await post(draft([{ medication: current.medicationCodeableConcept!.text!, posology: '1/2 comprimé le matin' }]), { now });
    const nurse = await teamMember('nurse');
    await sandbox.medicationActor!.idle();
    const task = (await circuitTasks(entry.id!)).find((t) => codeOf(t) === 'dose-change')!;
    expect(task).toMatchObject({ status: 'requested', priority: 'urgent', owner: { reference: `PractitionerRole/${nurse.roleId}` } });
    expect(task.reasonReference?.reference).toBe(`Observation/${patientId}-lab-1`);
    expect(task.description).toContain('1/2 comprimé le matin');
    // Not answered by the script: the nurse acknowledges it from « Mes tâches ».
    expect((await answersTo(entry.id!)).filter((d) => d.author?.[0]?.reference === `PractitionerRole/${nurse.roleId}`)).toHaveLength(0);
    const mine = await platform.getPatientPanels(patientId, { professionalId: nurse.practitionerId, from: new Date().toISOString() });
    const shown = mine.tasks.find((t) => t.id === task.id)!;
    expect(shown.mine).toBe(true);
    await platform.updateTaskStatus(task.id!, 'accepted', { professionalId: nurse.practitionerId, version: shown.version });
    await expect
      .poll(async () => (await answersTo(entry.id!)).filter((d) => d.author?.[0]?.reference === `PractitionerRole/${nurse.roleId}`).map(textOf).join('\n'), { timeout: 15_000 })
      .toMatch(new RegExp(`^Modification de dose : accusé de réception par ${nurse.name}\\.`));
  });

  it('the treatments panel shows per line prescribed / dispensed / administered, and the pharmacy’s medication review (plain text)', async () => {
    const panels = await platform.getPatientPanels(patientId, { professionalId: professional.id, from: new Date().toISOString() });
    const first = panels.treatments.find((t) => t.id === `${patientId}-med-1`)!;
    expect(first.circuit).toMatchObject({ dispenseProblem: null, administeredBy: 'Aide à domicile (SAAD du Marsan)' });
    expect(first.circuit!.dispensedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first.circuit!.administeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(panels.medicationReview).toMatchObject({ title: 'Bilan partagé de médication' });
    expect(panels.medicationReview!.sections[0]).toEqual({ title: 'Observance', text: 'Bonne observance avec pilulier hebdomadaire.' });
    expect(panels.medicationReview!.author).not.toBe('');
  });
});

describe('medication review text', () => {
  it('never carries the platform’s markup: tags and scripts are dropped, entities decoded', () => {
    expect(narrativeText('<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script><b>Kaliémie</b> &lt;5,5 &amp; <img src=x onerror=alert(2)>contrôle</div>')).toBe('Kaliémie <5,5 & contrôle');
  });
});
