/**
 * Issue 15 end to end, through the core and the card-authenticated sandbox (real HTTP, real
 * stores): a secretary (CPE) next to the GP.
 * - a message the GP marks « réservé aux soignants » never reaches her: not in her store, not in
 *   her journal pages, and her token gets a 404 for it on the platform;
 * - of the PPS she gets the administrative parts only (coordinator, dates) — from her core AND
 *   from the platform with her token (no description, problems, objectives, Goal, Condition);
 * - of an alert, its kind without the clinical text; she cannot « Prendre en compte »; the GP
 *   does, and she sees who handled it and when;
 * - she cancels and chases an admission request with a reason (ServiceRequest revoked, Task
 *   cancelled with statusReason, notes), and the establishment's words show in the list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Admission, AdmissionList, Alert, Establishment, JournalEntry, OutboxItem, Patient, PatientPanels } from '../../contract';
import { createApiDispatcher } from '../../main/api/dispatch';
import { CardSession } from '../../main/auth/card-session';
import { composeCore, type Composition } from '../../main/compose';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki, type IssuedCertificate } from '../fixtures/pki/pki';

const PIN = '4826';

interface Signed {
  comp: Composition;
  token: string;
  call: <T = unknown>(method: string, payload: unknown) => Promise<T>;
}

describe('clinical safety (issue 15): secretary and GP on the card-authenticated sandbox', () => {
  let sandbox: Sandbox;
  const opened: Signed[] = [];
  const dirs: string[] = [];
  let secretary: Signed;
  let gp: Signed;
  let patient: Patient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 } });
  });
  afterAll(async () => {
    for (const s of opened) await s.comp.close();
    await sandbox?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const signIn = async (cert: IssuedCertificate): Promise<Signed> => {
    const reader = new FakeCardReader({ label: 'CARTE', serial: cert.certificatePem.length.toString(), certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, pin: PIN });
    const session = await CardSession.open({ reader, platformUrl: sandbox.url, authUrl: sandbox.authUrl });
    await session.signIn(PIN);
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-safety-'));
    dirs.push(dataDir);
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: 'from-the-card', demo: false, card: session, encrypt: true, secretStore: new MemorySecretStore(), outboxBackoff: { baseMs: 20, capMs: 200 } });
    const dispatch = createApiDispatcher(comp.core, () => undefined);
    const signed: Signed = {
      comp,
      token: session.getAccessToken()!,
      call: async (m, p) => {
        const r = (await dispatch(m as never, p as never)) as { ok: true; value: never } | { ok: false; error: { code: string; message: string } };
        if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
        return r.value;
      },
    };
    opened.push(signed);
    return signed;
  };
  const raw = async (token: string, path: string) => {
    const res = await fetch(`${sandbox.url}/${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } });
    return { status: res.status, body: (await res.json()) as { entry?: { resource: Record<string, unknown> }[] } & Record<string, unknown> };
  };
  const sent = async (s: Signed, item: OutboxItem) => {
    await vi.waitFor(() => expect(s.comp.core.outbox.get(item.id)?.status).toBe('sent'), { timeout: 15_000, interval: 50 });
  };
  const open = (s: Signed, p: Patient) => s.call('patient.open', { ins: p.ins, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex });

  it('finds a patient of both with a PPS and an active alert', async () => {
    secretary = await signIn(testPki().secretary);
    gp = await signIn(testPki().gp);
    const hers = await secretary.call<Patient[]>('patient.list', {});
    for (const p of hers) {
      await open(gp, p);
      const panels = await gp.call<PatientPanels>('patient.panels', { patientId: p.id });
      const alerts = await gp.call<Alert[]>('alerts.ofPatient', { patientId: p.id });
      if (panels.pps && panels.pps.problems.length > 0 && alerts.some((a) => !a.handled && a.text)) {
        patient = p;
        break;
      }
    }
    expect(patient).toBeDefined();
    await open(secretary, patient);
  });

  it('a « réservé aux soignants » message never reaches the secretary (core and platform); a team message does', async () => {
    const medical = await gp.call<OutboxItem>('journal.post', { patientId: patient.id, kind: 'text', text: 'Troubles cognitifs en progression (note Xq7w) : MMS 19/30.', confidentiality: 'medical' });
    const team = await gp.call<OutboxItem>('journal.post', { patientId: patient.id, kind: 'text', text: 'RDV de contrôle à prévoir dans un mois.', confidentiality: 'normal' });
    await sent(gp, medical);
    await sent(gp, team);
    const medicalId = gp.comp.core.outbox.get(medical.id)!.platformId!;
    const teamId = gp.comp.core.outbox.get(team.id)!.platformId!;
    // Her core: synced, the team message is there, the medical one is not (pages and search).
    await secretary.call('patient.open', { ins: patient.ins, birthName: patient.birthName, firstNames: patient.firstNames, birthDate: patient.birthDate, sex: patient.sex });
    await vi.waitFor(
      async () => {
        const page = await secretary.call<{ entries: JournalEntry[] }>('journal.page', { patientId: patient.id, limit: 500 });
        expect(page.entries.some((e) => e.id === teamId)).toBe(true);
      },
      { timeout: 15_000, interval: 200 },
    );
    const page = await secretary.call<{ entries: JournalEntry[] }>('journal.page', { patientId: patient.id, limit: 500 });
    expect(page.entries.filter((e) => e.id === medicalId || e.text.includes('Xq7w')).map((e) => JSON.stringify(e))).toEqual([]);
    const search = await secretary.call<{ entries: JournalEntry[] }>('journal.page', { patientId: patient.id, limit: 50, filter: { query: 'Xq7w' } });
    expect(search.entries).toEqual([]);
    // The platform: her token gets a 404, the GP's the entry, labelled restricted.
    expect((await raw(secretary.token, `DocumentReference/${medicalId}`)).status).toBe(404);
    const his = await raw(gp.token, `DocumentReference/${medicalId}`);
    expect(his.status).toBe(200);
    expect(JSON.stringify(his.body.securityLabel)).toContain('"R"');
  });

  it("the secretary's PPS shows no clinical text (core and platform): coordinator and dates only", async () => {
    const his = await gp.call<PatientPanels>('patient.panels', { patientId: patient.id });
    const hers = await secretary.call<PatientPanels>('patient.panels', { patientId: patient.id });
    expect(his.pps!.problems.length).toBeGreaterThan(0);
    expect(hers.pps).toMatchObject({ id: his.pps!.id, title: his.pps!.title, coordinator: his.pps!.coordinator, nextReview: his.pps!.nextReview, problems: [], objectives: [], preferences: [], interventions: [] });
    expect(hers.pps!.alertProcedure).toBeUndefined();
    for (const clinical of [...his.pps!.problems, ...his.pps!.objectives.map((o) => o.description), his.pps!.alertProcedure ?? '§none§']) {
      expect(JSON.stringify(hers)).not.toContain(clinical);
    }
    // Her token straight to the platform: the CarePlan without its clinical parts, no Goal, no Condition.
    const plans = await raw(secretary.token, `CarePlan?subject=Patient/${patient.id}&_include=CarePlan:goal&_include=CarePlan:condition`);
    const plan = plans.body.entry!.find((e) => e.resource.resourceType === 'CarePlan')!.resource;
    expect(plan.description).toBeUndefined();
    expect(plan.addresses).toBeUndefined();
    expect(plan.goal).toBeUndefined();
    expect(plan.author).toBeDefined();
    expect(plans.body.entry!.some((e) => e.resource.resourceType === 'Goal' || e.resource.resourceType === 'Condition')).toBe(false);
    expect((await raw(secretary.token, `Condition?subject=Patient/${patient.id}`)).body.entry ?? []).toEqual([]);
    expect((await raw(gp.token, `Condition?subject=Patient/${patient.id}`)).body.entry?.length).toBeGreaterThan(0);
  });

  it('alerts: the secretary sees the title only and cannot take one into account; the GP does, and she sees who and when', async () => {
    const his = await gp.call<Alert[]>('alerts.ofPatient', { patientId: patient.id });
    const alert = his.find((a) => !a.handled && a.text)!;
    const hersBefore = await secretary.call<Alert[]>('alerts.ofPatient', { patientId: patient.id });
    expect(hersBefore.find((a) => a.id === alert.id)).toMatchObject({ kind: alert.kind, text: '', handled: null });
    // The platform hides the text from her token as well.
    const flag = await raw(secretary.token, `Flag/${alert.id}`);
    expect((flag.body.code as { text?: string }).text).toBeUndefined();
    await expect(secretary.call('alert.handle', { patientId: patient.id, alertId: alert.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const item = await gp.call<OutboxItem>('alert.handle', { patientId: patient.id, alertId: alert.id });
    await sent(gp, item);
    const hersAfter = await secretary.call<Alert[]>('alerts.ofPatient', { patientId: patient.id });
    expect(hersAfter.find((a) => a.id === alert.id)?.handled).toMatchObject({ by: { name: expect.stringMatching(/DUFAU/) }, at: expect.stringMatching(/^\d{4}-/) });
  });

  it('the secretary cancels and chases admission requests with a reason; the establishment answers in its own words', async () => {
    const establishments = await secretary.call<Establishment[]>('admission.establishments', {});
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const request = (motive: string) =>
      secretary.call<OutboxItem>('admission.request', { patientId: patient.id, establishment: { kind: 'organization', organizationId: establishments[0]!.id }, priority: 'routine', desiredDate: inDays(12), motive });
    const a = await request('Bilan gériatrique programmé');
    const b = await request('Séjour de répit');
    await sent(secretary, a);
    await sent(secretary, b);
    const list = await secretary.call<AdmissionList>('admission.list', { patientId: patient.id });
    const byMotive = (m: string) => list.admissions.find((x) => x.motive === m)!;
    const first = byMotive('Bilan gériatrique programmé');
    const second = byMotive('Séjour de répit');

    // The establishment accepts the second one, in its own words (a Task update with the platform's own rights).
    const taskOf = async (srId: string) => (await raw(gp.token, `Task?based-on=ServiceRequest/${srId}`)).body.entry![0]!.resource as { id: string } & Record<string, unknown>;
    const task2 = await taskOf(second.id);
    const accepted = await fetch(`${sandbox.url}/Task/${task2.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${gp.token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ ...task2, status: 'accepted', businessStatus: { text: 'Lit réservé en court séjour gériatrique le 14' }, lastModified: new Date().toISOString() }),
    });
    expect(accepted.status).toBe(200);

    const cancel = await secretary.call<OutboxItem>('admission.cancel', { patientId: patient.id, admissionId: first.id, reason: 'Le patient a été vu en consultation, bilan fait en ville' });
    const remind = await secretary.call<OutboxItem>('admission.remind', { patientId: patient.id, admissionId: second.id, reason: 'Merci de confirmer la date d’entrée' });
    const pending = await secretary.call<AdmissionList>('admission.list', { patientId: patient.id });
    expect(pending.admissions.find((x) => x.id === first.id)?.pendingChange).toBe('cancel');
    await sent(secretary, cancel);
    await sent(secretary, remind);

    const after = await secretary.call<AdmissionList>('admission.list', { patientId: patient.id });
    const cancelled = after.admissions.find((x) => x.id === first.id) as Admission;
    const chased = after.admissions.find((x) => x.id === second.id) as Admission;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.at(-1)).toMatchObject({ text: "Demande d'admission annulée : Le patient a été vu en consultation, bilan fait en ville", by: expect.stringMatching(/LABEYRIE/) });
    expect(chased).toMatchObject({ status: 'accepted', statusDetail: 'Lit réservé en court séjour gériatrique le 14' });
    expect(chased.history.at(-1)?.text).toBe("Relance de la demande d'admission : Merci de confirmer la date d’entrée");
    const sr = await raw(gp.token, `ServiceRequest/${first.id}`);
    expect(sr.body.status).toBe('revoked');
    const task1 = await taskOf(first.id);
    expect(task1).toMatchObject({ status: 'cancelled', statusReason: { text: 'Le patient a été vu en consultation, bilan fait en ville' } });
    // A cancelled request cannot be cancelled again.
    await expect(secretary.call('admission.cancel', { patientId: patient.id, admissionId: first.id, reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // The journal says « Demande d'admission », never « Hospitalisation ».
    const journal = await secretary.call<{ entries: JournalEntry[] }>('journal.page', { patientId: patient.id, limit: 50, filter: { kinds: ['admission-request'] } });
    expect(journal.entries.some((e) => e.text.startsWith("Demande d'admission annulée"))).toBe(true);
    expect(journal.entries.some((e) => e.text.startsWith("Relance de la demande d'admission"))).toBe(true);
    expect(journal.entries.some((e) => e.text.includes('Admission programmée'))).toBe(true);
  });
});
