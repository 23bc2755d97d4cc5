/**
 * Every resource Relais writes is valid FHIR R4. The demo GP drives the real core against the
 * real sandbox through a recording proxy on loopback: each POST/PUT body that leaves Relais is
 * kept and validated with Medplum's validator over the R4 definitions (cardinalities, types,
 * value sets bound as required, and invariants such as gol-1). The test knows nothing of how the
 * client builds its resources: it sees what crosses the wire, like the platform does.
 */
// Before any @medplum module: it sets the global WebSocket @medplum/core expects on Node 20.
import '../../sandbox/medplum-env';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionList, DrugHit, Establishment, OutboxItem, PatientPanels, Pps, ReferralRecipient } from '../../contract';
import { emptyPrescriptionLine } from '../../contract';
import { composeCore, type Composition } from '../../main/compose';
import { DEMO_GP_RPPS } from '../../main/config/demo-identity';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { contextOf } from '../support/app-fixture';
import { raiseFlagOnPlatform } from '../support/platform-flags';
import { answerOpinionRequests, WOUND_ACTION } from '../../sandbox/actors/opinion-referent';
import type { OpinionList, OpinionReferent } from '../../contract';

interface Written {
  method: string;
  path: string;
  resource: Resource;
}

/** Forwards everything to the sandbox and keeps the FHIR bodies Relais sends (batch entries too). */
async function startRecordingProxy(target: URL, written: Written[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if ((req.method === 'POST' || req.method === 'PUT') && body.length > 0) {
        try {
          const resource = JSON.parse(body.toString('utf8')) as Resource;
          if (resource.resourceType === 'Bundle') {
            for (const e of resource.entry ?? []) if (e.resource) written.push({ method: e.request?.method ?? req.method, path: e.request?.url ?? req.url!, resource: e.resource });
          } else if (typeof resource.resourceType === 'string') {
            written.push({ method: req.method, path: req.url!, resource });
          }
        } catch {
          // Not JSON (a raw upload): nothing to validate as a resource here.
        }
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('what Relais writes is valid FHIR R4', () => {
  let sandbox: Sandbox;
  let proxy: Server;
  let comp: Composition;
  let dataDir: string;
  const written: Written[] = [];

  const call = async <T>(method: string, payload: unknown): Promise<T> => {
    const r = (await comp.dispatch(method as never, payload as never)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.field ?? ''} ${r.error.message}`);
    return r.value;
  };
  const sent = async (item: OutboxItem): Promise<void> => {
    await expect.poll(() => comp.core.outbox.get(item.id)?.status, { timeout: 20_000 }).toBe('sent');
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    const target = new URL(sandbox.url);
    const started = await startRecordingProxy(target, written);
    proxy = started.server;
    dataDir = mkdtempSync(join(tmpdir(), 'relais-conformance-'));
    comp = await composeCore({ platformUrl: `${started.url}${target.pathname}`, dataDir, rpps: DEMO_GP_RPPS, demo: true, outboxBackoff: { baseMs: 20, capMs: 200 } });
    comp.core.outbox.start();
  }, 120_000);

  afterAll(async () => {
    await comp?.close();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('posts a note with a photo, a reply, an alert acknowledgement, a PPS update, an appointment, an admission, a referral, a prescription and a task status — all valid', async () => {
    const patients = await call<{ id: string; ins: unknown }[]>('patient.list', {});
    const withPps = [];
    for (const p of patients) {
      await call('patient.open', contextOf(p as never));
      const panels = await call<PatientPanels>('patient.panels', { patientId: p.id });
      if (panels.pps) withPps.push({ patient: p, panels });
      if (withPps.length > 0 && panels.tasks.some((t) => t.mine && t.status === 'requested')) break;
    }
    const { patient, panels } = withPps.at(-1)!;
    const patientId = patient.id;

    // Journal: a note with a photo, then a reply to it (sent in order: the reply names the platform id).
    const note = await call<OutboxItem>('journal.post', { patientId, kind: 'photo', text: 'Plaie du talon, J7', attachments: [{ contentType: 'image/png', title: 'plaie.png', dataBase64: PNG_1PX }] });
    const reply = await call<OutboxItem>('journal.post', { patientId, kind: 'text', text: 'Vu, on poursuit les pansements.', replyTo: note.localEntryId, urgent: true });
    await sent(note);
    await sent(reply);

    // An alert of the journal acknowledged (a marker entry).
    const alerts = await call<{ entries: { id: string }[] }>('journal.page', { patientId, limit: 5, filter: { kinds: ['alert'] } });
    const alert = alerts.entries[0];
    if (alert) await sent(await call<OutboxItem>('alert.acknowledge', { patientId, entryId: alert.id }));

    // PPS: a new objective with its criterion (Goal.target), review date, a preference.
    const pps = panels.pps as Pps;
    const edit = {
      objectives: [
        ...pps.objectives.map((o) => ({ id: o.id, description: o.description, priority: o.priority, ...(o.criterion ? { criterion: o.criterion } : {}), dueDate: o.dueDate, achieved: o.achievement === 'achieved' })),
        { id: null, description: 'Reprendre la marche quotidienne', priority: 'medium', criterion: 'Vingt minutes par jour', dueDate: inDays(60), achieved: false },
      ],
      interventions: pps.interventions.map((x, i) => ({ source: i, description: x.description, performerId: x.performer?.id ?? null, scheduledEnd: x.scheduledEnd })),
      nextReview: inDays(90),
      preferences: [...pps.preferences, 'Souhaite rester à domicile'],
    };
    await sent(await call<OutboxItem>('pps.update', { patientId, ppsId: pps.id, baseVersion: pps.version, edit }));

    // Agenda: an appointment with a member of the care team.
    const member = panels.careTeam[0]!;
    await sent(await call<OutboxItem>('appointment.book', { patientId, start: `${inDays(7)}T09:30:00+01:00`, durationMinutes: 30, with: { kind: 'care-team', memberId: member.id }, motive: 'Pansement et surveillance' }));

    // Admission request to an establishment of the referential.
    const establishments = await call<Establishment[]>('admission.establishments', {});
    await sent(
      await call<OutboxItem>('admission.request', {
        patientId,
        establishment: { kind: 'organization', organizationId: establishments[0]!.id },
        service: 'Court séjour gériatrique',
        priority: 'routine',
        desiredDate: inDays(10),
        motive: 'Bilan de chutes répétées',
        clinicalSummary: 'Trois chutes en un mois, hypotension orthostatique.',
      }),
    );
    const admissionList = await call<AdmissionList>('admission.list', { patientId });
    expect(admissionList.admissions.length).toBeGreaterThan(0);
    // Issue 15: « Relancer » then « Annuler » with a reason (Task notes, Task cancelled, ServiceRequest revoked, journal entries).
    const admission = admissionList.admissions.find((a) => a.status === 'requested' && !a.local)!;
    await sent(await call<OutboxItem>('admission.remind', { patientId, admissionId: admission.id, reason: 'Merci de confirmer la date' }));
    await sent(await call<OutboxItem>('admission.cancel', { patientId, admissionId: admission.id, reason: 'Bilan fait en ville' }));

    // Issue 15: « Prendre en compte » an alert (Flag with the alert-handled extension).
    const flag = await raiseFlagOnPlatform(sandbox.url, patientId, 'Dégradation : chute ce matin');
    await sent(await call<OutboxItem>('alert.handle', { patientId, alertId: flag.id! }));

    // Referral to a service of the territory, with a document.
    const recipients = await call<ReferralRecipient[]>('referral.recipients', {});
    const service = recipients.find((r) => r.kind === 'organization')!;
    await sent(
      await call<OutboxItem>('referral.create', {
        patientId,
        recipient: { kind: 'organization', organizationId: service.id },
        reason: 'Soins infirmiers à domicile',
        urgency: 'routine',
        clinicalContext: 'Plaie chronique de jambe.',
        expectedAction: 'Évaluation à domicile',
        desiredDate: inDays(5),
        attachments: [{ contentType: 'application/pdf', title: 'courrier.pdf', dataBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') }],
      }),
    );

    // E-prescription (MedicationRequest per line + the ordonnance as Binary/DocumentReference): a
    // DCI line and a speciality « non substituable » from the BDPM (contained Medication, structured
    // dosage), and a free-text line.
    const line = (key: string, over: Partial<ReturnType<typeof emptyPrescriptionLine>>) => ({ ...emptyPrescriptionLine(key), ...over });
    const search = async (query: string) => (await call<{ hits: DrugHit[] }>('prescription.drugs.search', { query })).hits;
    const dci = (await search('amoxi')).find((h) => h.choice.kind === 'dci' && h.choice.form === 'gélule')!.choice;
    const levothyrox = (await search('levothyrox 75')).find((h) => h.choice.kind === 'speciality')!.choice;
    const posted = await call<{ item: OutboxItem }>('prescription.post', {
      patientId,
      draft: {
        lines: [
          line('a', { medication: 'Bisoprolol 2,5 mg, comprimé', posology: '1 comprimé le matin', route: 'voie orale', durationDays: '90', renewals: '2', ald: true }),
          line('b', { drug: dci, medication: dci.dciLabel, dose: '1', doseUnit: 'gélule', moments: ['morning', 'noon', 'evening'], route: 'voie orale', durationDays: '7' }),
          line('c', { drug: levothyrox, medication: levothyrox.dciLabel, dose: '1', doseUnit: 'comprimé', perDay: '1', durationDays: '30', renewals: '2', nonSubstitutable: true, nonSubstitutableReason: 'MTE' }),
        ],
        weightKg: '',
      },
    });
    await sent(posted.item);
    const orders = written.filter((w) => w.resource.resourceType === 'MedicationRequest').map((w) => w.resource as import('@medplum/fhirtypes').MedicationRequest);
    const coded = orders.find((m) => m.substitution?.allowedBoolean === false)!;
    expect(coded.contained?.[0]).toMatchObject({ resourceType: 'Medication', code: { coding: [{ system: 'urn:oid:1.2.250.1.213.2.3.1', code: levothyrox.cis }] } });
    expect(coded.medicationReference?.reference).toBe('#med');
    const dciOrder = orders.find((m) => m.dosageInstruction?.[0]?.timing?.repeat?.when?.length === 3)!;
    expect(dciOrder.dosageInstruction?.[0]).toMatchObject({ doseAndRate: [{ doseQuantity: { value: 1, unit: 'gélule' } }], route: { coding: [{ system: 'http://standardterms.edqm.eu', code: '20053000' }] } });

    // A task of the GP moved forward (If-Match).
    const task = panels.tasks.find((t) => t.mine && t.status === 'requested');
    if (task) await call('task.updateStatus', { taskId: task.id, status: 'accepted', version: task.version });

    // « Créer une tâche » from the note (issue 15): a Task whose focus is the note's DocumentReference.
    const noteId = comp.core.outbox.get(note.id)!.platformId!;
    const fromNote = await call<{ clientId: string }>('task.createFromEntry', { patientId, entryId: noteId, ownerId: member.id, description: 'Refaire le pansement du talon', dueDate: inDays(2) });
    await expect.poll(() => comp.core.outbox.get(fromNote.clientId)?.status, { timeout: 20_000 }).toBe('sent');
    const taskFromNote = written.find((w) => w.resource.resourceType === 'Task' && (w.resource as { focus?: { reference?: string } }).focus?.reference === `DocumentReference/${noteId}`);
    expect(taskFromNote, 'the Task of « Créer une tâche »').toBeDefined();
    // « Urgent » chosen when writing: the cdl emergency extension on the reply.
    const urgentReply = written.find((w) => w.resource.resourceType === 'DocumentReference' && (w.resource as { relatesTo?: unknown[] }).relatesTo && JSON.stringify(w.resource).includes('cdl-ext-is-emergency'));
    expect(urgentReply, 'the urgent reply').toBeDefined();
    await comp.core.outbox.drain();

    const types = new Set(written.map((w) => w.resource.resourceType));
    for (const type of ['DocumentReference', 'Binary', 'CarePlan', 'Goal', 'Appointment', 'ServiceRequest', 'Task', 'MedicationRequest', 'Flag']) {
      expect(types, `Relais wrote no ${type}`).toContain(type);
    }
    // The medication circuit's Tasks (pharmacist, nurse) after the prescription are among what is validated.
    const circuit = written.filter((w) => w.resource.resourceType === 'Task' && JSON.stringify(w.resource).includes('/medication-circuit-task'));
    expect(circuit.length).toBeGreaterThanOrEqual(1);

    const invalid: string[] = [];
    for (const w of written) {
      try {
        validateResource(w.resource);
      } catch (error) {
        const issues = error instanceof OperationOutcomeError ? error.outcome.issue?.map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`) : [String(error)];
        invalid.push(`${w.method} ${w.path} ${w.resource.resourceType}: ${issues?.join(' | ')}`);
      }
    }
    expect(invalid).toEqual([]);
    // What issue 15 writes is among what was validated.
    expect(written.some((w) => w.resource.resourceType === 'Flag' && JSON.stringify(w.resource).includes('alert-handled'))).toBe(true);
    expect(written.some((w) => w.resource.resourceType === 'ServiceRequest' && (w.resource as { status?: string }).status === 'revoked')).toBe(true);
    expect(written.some((w) => w.resource.resourceType === 'Task' && (w.resource as { status?: string }).status === 'cancelled')).toBe(true);
    expect(written.length).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('issue 13: a request to the support cell, an emergency fiche and admission checklist ticks — all valid', async () => {
    const from = written.length;
    const patients = await call<{ id: string }[]>('patient.list', {});
    const patient = patients[0]!;
    await call('patient.open', contextOf(patient as never));
    const patientId = patient.id;
    await sent(
      await call<OutboxItem>('supportRequest.create', {
        patientId,
        reason: 'carer-exhaustion',
        asks: ['assessment', 'temporary-stay'],
        consent: true,
        consentBy: 'trusted-person',
        urgency: 'urgent',
        inPlace: 'Infirmière à domicile deux fois par jour',
        medicalDetails: 'Aidante épuisée, chutes répétées.',
        stay: { from: inDays(14), to: inDays(28) },
      }),
    );
    const establishments = await call<Establishment[]>('stay.establishments', {});
    const fiche = await call<{ item: OutboxItem; pdfBase64: string }>('stay.emergencyFiche', { patientId, establishmentId: establishments[0]!.id, reason: 'Chute, suspicion de fracture du col' });
    expect(Buffer.from(fiche.pdfBase64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await sent(fiche.item);
    const admission = await call<OutboxItem>('admission.request', {
      patientId,
      establishment: { kind: 'organization', organizationId: establishments[0]!.id },
      priority: 'routine',
      desiredDate: inDays(10),
      motive: 'Bilan programmé',
    });
    await sent(admission);
    const admissionId = comp.core.outbox.get(admission.id)!.platformId!;
    await sent(await call<OutboxItem>('stay.checklist.tick', { patientId, admissionId, item: 'transport' }));
    await sent(await call<OutboxItem>('stay.checklist.tick', { patientId, admissionId, item: 'nurse-told' }));
    const checklist = await call<{ items: { item: string; doneBy: string | null }[] }>('stay.checklist', { patientId, admissionId });
    expect(checklist.items.filter((i) => i.doneBy).map((i) => i.item)).toEqual(['transport', 'nurse-told']);

    const mine = written.slice(from);
    const types = new Set(mine.map((w) => w.resource.resourceType));
    for (const type of ['DocumentReference', 'Binary', 'ServiceRequest', 'Task', 'Communication']) expect(types, `Relais wrote no ${type}`).toContain(type);
    const invalid: string[] = [];
    for (const w of mine) {
      try {
        validateResource(w.resource);
      } catch (error) {
        const issues = error instanceof OperationOutcomeError ? error.outcome.issue?.map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`) : [String(error)];
        invalid.push(`${w.method} ${w.path} ${w.resource.resourceType}: ${issues?.join(' | ')}`);
      }
    }
    expect(invalid).toEqual([]);
  }, 120_000);
  it('issue 13: a request for an opinion with photos and the referent\'s answer — all valid', async () => {
    const from = written.length;
    const patients = await call<{ id: string }[]>('patient.list', {});
    const patient = patients[1]!;
    await call('patient.open', contextOf(patient as never));
    const patientId = patient.id;
    const referents = await call<OpinionReferent[]>('opinion.referents', { patientId });
    const referent = referents.find((r) => /plaies et cicatrisation/i.test(r.name))!;
    expect(referent).toBeDefined();
    await sent(
      await call<OutboxItem>('opinion.create', {
        patientId,
        referentId: referent.id,
        question: 'Ulcère de jambe qui ne cicatrise pas depuis 6 semaines : quel pansement ?',
        photos: [
          { name: 'IMG_0001.png', dataBase64: PNG_1PX },
          { name: 'IMG_0002.png', dataBase64: PNG_1PX },
        ],
        measurements: { text: 'berges macérées', lengthCm: 4, widthCm: 2.5 },
        consent: true,
      }),
    );
    const mine = written.slice(from);
    const sr = mine.find((w) => w.resource.resourceType === 'ServiceRequest')!.resource as { performer: { reference: string }[]; supportingInfo: { reference: string }[]; note: { text: string }[] };
    expect(sr.performer[0]!.reference).toBe(`HealthcareService/${referent.id}`);
    // The journal entry and the two photos (Binary, re-encoded as JPEG by the core).
    expect(sr.supportingInfo.filter((r) => r.reference.startsWith('Binary/'))).toHaveLength(2);
    expect(sr.note.map((n) => n.text)).toContain('Mesures : longueur 4 cm × largeur 2,5 cm ; berges macérées');
    const binaries = mine.filter((w) => w.resource.resourceType === 'Binary').map((w) => w.resource as { contentType: string });
    expect(binaries.map((b) => b.contentType)).toEqual(['image/jpeg', 'image/jpeg']);
    const invalid: string[] = [];
    const check = (r: Resource, what: string) => {
      try {
        validateResource(r);
      } catch (error) {
        const issues = error instanceof OperationOutcomeError ? error.outcome.issue?.map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`) : [String(error)];
        invalid.push(`${what} ${r.resourceType}: ${issues?.join(' | ')}`);
      }
    };
    for (const w of mine) check(w.resource, `${w.method} ${w.path}`);

    // The scripted referent answers (directly on the sandbox, which validates its writes too).
    expect(await answerOpinionRequests(sandbox.url)).toBe(1);
    const list = await call<OpinionList>('opinion.list', { patientId });
    const answered = list.requests.find((r) => r.answer)!;
    expect(answered.status).toBe('completed');
    expect(answered.photos).toBe(2);
    expect(answered.answer!.action).toBe(WOUND_ACTION);
    expect(answered.answer!.text).toContain('pansement hydrocellulaire');
    const get = async (q: string) => ((await (await fetch(`${sandbox.url}/${q}`)).json()) as { entry?: { resource: Resource }[] }).entry?.map((e) => e.resource) ?? [];
    const answers = await get(`Communication?based-on=ServiceRequest/${answered.id}`);
    const tasks = await get(`Task?based-on=ServiceRequest/${answered.id}`);
    expect(answers).toHaveLength(1);
    // The referent's Task completed, and the nurse's task of the care team.
    expect(tasks.map((t) => (t as { status: string }).status).sort()).toEqual(['completed', 'requested']);
    for (const r of [...answers, ...tasks]) check(r, 'platform');
    expect(invalid).toEqual([]);
  }, 120_000);
});
