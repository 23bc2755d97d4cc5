/**
 * Appointments and admission requests through the core, the outbox and the FHIR adapter, against
 * the real sandbox over HTTP and a real store on disk. The clock is pinned to the seed's reference
 * date, so « not in the past » and the agenda's « from today » do not depend on the day it runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appointment as FhirAppointment, Bundle, DocumentReference, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../contract';
import { appointmentWriter } from '../../main/features/agenda/appointment-writer';
import { composeCore, type Composition } from '../../main/compose';
import { createFhirPlatform } from '../../main/platform/fhir';
import { DEMO_GP_RPPS, REFERENCE_DATE } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { contextOf } from '../support/app-fixture';
import { startRequestCounter } from '../support/request-counter';

/** Literal URIs and codes (docs/fhir-mapping.md), not the client's constants: the test checks what is on the platform. */
const CLIENT_ID_SYSTEM = 'https://relais.example/fhir/NamingSystem/client-id';

let sandbox: Sandbox;
const dirs: string[] = [];
const comps: Composition[] = [];
const NOW = new Date(REFERENCE_DATE);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  for (const c of comps) await c.close();
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function compose(): Promise<Composition> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-agenda-'));
  dirs.push(dataDir);
  const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true, now: () => NOW, outboxBackoff: { baseMs: 20, capMs: 200 } });
  comps.push(comp);
  return comp;
}

async function open(comp: Composition, id: string): Promise<void> {
  const patient = (await comp.core.handlers['patient.list']({})).find((p) => p.id === id)!;
  await comp.core.handlers['patient.open'](contextOf(patient));
}

/** The platform as another client sees it: plain HTTP. */
async function fhir<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sandbox.url}/${path}`, { ...init, headers: { Accept: 'application/fhir+json', 'Content-Type': 'application/fhir+json', ...(init?.headers ?? {}) } });
  return { status: res.status, body: (await res.json()) as T };
}
async function byIdentifier<T extends Resource>(type: string, value: string): Promise<T[]> {
  const { body } = await fhir<Bundle<T>>(`${type}?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${value}`)}`);
  return (body.entry ?? []).map((e) => e.resource!);
}

async function settled(comp: Composition, clientId: string): Promise<OutboxItem> {
  let item: OutboxItem | null = null;
  await expect
    .poll(() => {
      item = comp.core.outbox.get(clientId);
      return item?.status;
    }, { timeout: 10_000 })
    .toMatch(/^(sent|failed-permanent)$/);
  return item!;
}

describe('appointments through the outbox, against the sandbox', () => {
  it('books with a care-team member: pending in the agenda at once, then the platform version', async () => {
    const comp = await compose();
    await open(comp, 'pat-03');
    const before = await comp.core.handlers['patient.panels']({ patientId: 'pat-03' });
    const member = before.careTeam.find((m) => m.roleLabel === 'Infirmière à domicile' || m.roleLabel === 'Infirmier à domicile') ?? before.careTeam[0]!;

    // Held in the outbox: the agenda shows the booking as pending, at its place.
    await comp.core.outbox.stop();
    const item = await comp.dispatch('appointment.book', {
      patientId: 'pat-03',
      start: '2026-12-01T09:30:00+01:00',
      durationMinutes: 30,
      with: { kind: 'care-team', memberId: member.id },
      motive: 'Pansement et surveillance',
    });
    expect(item.ok).toBe(true);
    const clientId = (item as { ok: true; value: OutboxItem }).value.id;
    const pending = await comp.core.handlers['patient.panels']({ patientId: 'pat-03' });
    const shown = pending.appointments.find((a) => a.id === `local-${clientId}`);
    expect(shown).toMatchObject({ description: 'Pansement et surveillance', professional: { id: member.id }, change: { action: 'book', state: 'pending' } });
    expect(await byIdentifier('Appointment', clientId)).toHaveLength(0);

    comp.core.outbox.start();
    const sent = await settled(comp, clientId);
    expect(sent.status).toBe('sent');
    const onPlatform = await byIdentifier<FhirAppointment>('Appointment', clientId);
    expect(onPlatform).toHaveLength(1);
    expect(onPlatform[0]).toMatchObject({ status: 'booked', description: 'Pansement et surveillance', minutesDuration: 30, id: sent.platformId });
    expect(Date.parse(onPlatform[0]!.start!)).toBe(Date.parse('2026-12-01T08:30:00Z'));
    expect(onPlatform[0]!.participant!.map((p) => p.actor?.reference)).toEqual(['Patient/pat-03', `PractitionerRole/${member.id}`]);

    const after = await comp.core.handlers['patient.panels']({ patientId: 'pat-03' });
    expect(after.appointments.find((a) => a.id === `local-${clientId}`)).toBeUndefined();
    expect(after.appointments.find((a) => a.id === sent.platformId)).toMatchObject({ version: expect.any(String), description: 'Pansement et surveillance' });
    expect(after.appointments.find((a) => a.id === sent.platformId)!.change).toBeUndefined();
  });

  it('a retried booking or move (lost answer, crash) leaves one resource and one change', async () => {
    const comp = await compose();
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const context = { clientId: crypto.randomUUID(), patientId: 'pat-04', professional: comp.core.professional, platform };
    const book = { action: 'book', patientId: 'pat-04', start: '2026-12-02T14:00:00+01:00', end: '2026-12-02T13:20:00.000Z', durationMinutes: 20, with: { kind: 'place', text: 'Cabinet de radiologie de Dax' }, motive: 'Radiographie du thorax' };
    const first = await appointmentWriter(book, context);
    const again = await appointmentWriter(book, context);
    expect(again.platformId).toBe(first.platformId);
    expect(await byIdentifier('Appointment', context.clientId)).toHaveLength(1);

    const version = (await fhir<FhirAppointment>(`Appointment/${first.platformId}`)).body.meta!.versionId!;
    const move = { action: 'reschedule', patientId: 'pat-04', appointmentId: first.platformId, version, start: '2026-12-03T10:00:00+01:00', end: '2026-12-03T09:20:00.000Z', durationMinutes: 20 };
    const moveContext = { ...context, clientId: crypto.randomUUID() };
    await appointmentWriter(move, moveContext);
    // Same row sent again after the platform applied it: its version moved on, yet this is no conflict.
    await appointmentWriter(move, moveContext);
    const now = (await fhir<FhirAppointment>(`Appointment/${first.platformId}`)).body;
    expect(Date.parse(now.start!)).toBe(Date.parse('2026-12-03T09:00:00Z'));
    expect(Number(now.meta!.versionId)).toBe(Number(version) + 1);
  });

  it('a move with a stale version fails as CONFLICT and keeps what was typed; cancel with a reason', async () => {
    const comp = await compose();
    await open(comp, 'pat-05');
    const panels = await comp.core.handlers['patient.panels']({ patientId: 'pat-05' });
    const appt = panels.appointments.find((a) => a.status === 'booked' && a.version)!;
    expect(appt).toBeDefined();

    // Someone else changes it on the platform after the secretary looked.
    const current = (await fhir<FhirAppointment>(`Appointment/${appt.id}`)).body;
    const put = await fhir<FhirAppointment>(`Appointment/${appt.id}`, { method: 'PUT', body: JSON.stringify({ ...current, comment: 'Décalé par le cabinet infirmier' }) });
    expect(put.status).toBe(200);

    const r = await comp.dispatch('appointment.reschedule', { patientId: 'pat-05', appointmentId: appt.id, version: appt.version!, start: '2026-12-10T16:00:00+01:00', durationMinutes: 45 });
    expect(r.ok).toBe(true);
    const clientId = (r as { ok: true; value: OutboxItem }).value.id;
    const failed = await settled(comp, clientId);
    expect(failed).toMatchObject({ status: 'failed-permanent', lastError: { code: 'CONFLICT' } });
    expect(comp.core.outbox.payloadOf(clientId)).toMatchObject({ start: '2026-12-10T16:00:00+01:00', durationMinutes: 45 });
    const platformNow = (await fhir<FhirAppointment>(`Appointment/${appt.id}`)).body;
    expect(platformNow.start).toBe(current.start);

    const shown = (await comp.core.handlers['patient.panels']({ patientId: 'pat-05' })).appointments.find((a) => a.id === appt.id)!;
    expect(shown.change).toMatchObject({ action: 'reschedule', state: 'failed', error: { code: 'CONFLICT' }, requested: { start: '2026-12-10T16:00:00+01:00', durationMinutes: 45 } });
    expect(await comp.core.handlers['appointment.dismissChange']({ patientId: 'pat-05', clientId })).toEqual({ dismissed: true });
    const fresh = (await comp.core.handlers['patient.panels']({ patientId: 'pat-05' })).appointments.find((a) => a.id === appt.id)!;
    expect(fresh.change).toBeUndefined();
    // Given up in the durable outbox itself, not hidden in memory: a restart does not bring it back.
    expect(comp.core.outbox.get(clientId)).toBeNull();
    expect(await comp.core.handlers['appointment.dismissChange']({ patientId: 'pat-05', clientId })).toEqual({ dismissed: false });

    // Cancelling on the current version works, with the reason on the platform.
    const cancel = await comp.core.handlers['appointment.cancel']({ patientId: 'pat-05', appointmentId: appt.id, version: fresh.version!, reason: 'Patiente hospitalisée' });
    expect((await settled(comp, cancel.id)).status).toBe('sent');
    expect((await fhir<FhirAppointment>(`Appointment/${appt.id}`)).body).toMatchObject({ status: 'cancelled', cancelationReason: { text: 'Patiente hospitalisée' } });
    expect((await comp.core.handlers['patient.panels']({ patientId: 'pat-05' })).appointments.some((a) => a.id === appt.id)).toBe(false);
  });

  it('refuses bad input with typed errors: past start, stranger to the care team, unsent booking', async () => {
    const comp = await compose();
    await open(comp, 'pat-03');
    const past = await comp.dispatch('appointment.book', { patientId: 'pat-03', start: '2026-11-19T09:00:00+01:00', durationMinutes: 30, with: { kind: 'place', text: 'Cabinet' }, motive: 'Contrôle' });
    expect(past).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'start' } });
    const stranger = await comp.dispatch('appointment.book', { patientId: 'pat-03', start: '2026-12-01T09:00:00+01:00', durationMinutes: 30, with: { kind: 'care-team', memberId: 'role-nobody' }, motive: 'Contrôle' });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'with' } });
    const noMotive = await comp.dispatch('appointment.book', { patientId: 'pat-03', start: '2026-12-01T09:00:00+01:00', durationMinutes: 30, with: { kind: 'place', text: 'Cabinet' }, motive: '   ' });
    expect(noMotive).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const local = await comp.dispatch('appointment.cancel', { patientId: 'pat-03', appointmentId: `local-${crypto.randomUUID()}`, version: '1', reason: 'Erreur' });
    expect(local).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'appointmentId' } });
  });
});

describe('admission requests, against the sandbox', () => {
  it('an urgent request to a referential establishment: ServiceRequest + Task + journal entries, then followed through the Task', async () => {
    const comp = await compose();
    await open(comp, 'pat-06');
    const establishments = await comp.core.handlers['admission.establishments']({});
    const ch = establishments.find((e) => e.name === 'Centre hospitalier de Mont-de-Marsan')!;
    expect(ch).toBeDefined();
    expect(establishments.some((e) => e.name.startsWith('MSP'))).toBe(false);

    const item = await comp.core.handlers['admission.request']({
      patientId: 'pat-06',
      establishment: { kind: 'organization', organizationId: ch.id },
      service: 'Cardiologie',
      priority: 'urgent',
      desiredDate: '2026-11-21',
      motive: 'Décompensation cardiaque, prise de poids de 3 kg en une semaine',
      clinicalSummary: 'ICC connue, FEVG 35 %. Œdèmes des membres inférieurs, dyspnée de repos.',
      homeReturnSupport: true,
      attachments: [{ contentType: 'application/pdf', title: 'ECG du 20-11.pdf', dataBase64: Buffer.from('%PDF-1.4 ecg').toString('base64') }],
    });
    const sent = await settled(comp, item.id);
    expect(sent.status).toBe('sent');

    const [sr] = await byIdentifier<ServiceRequest>('ServiceRequest', item.id);
    expect(sr).toMatchObject({
      id: sent.platformId,
      status: 'active',
      intent: 'order',
      priority: 'urgent',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '305056002' }] }],
      subject: { reference: 'Patient/pat-06' },
      performer: [{ reference: `Organization/${ch.id}` }],
      performerType: { text: 'Cardiologie' },
      occurrenceDateTime: '2026-11-21',
      reasonCode: [{ text: 'Décompensation cardiaque, prise de poids de 3 kg en une semaine' }],
    });
    expect(sr!.extension).toContainEqual({ url: 'https://relais.example/fhir/StructureDefinition/home-return-support', valueBoolean: true });
    const [task] = await byIdentifier<Task>('Task', `${item.id}/task`);
    expect(task).toMatchObject({ status: 'requested', intent: 'order', priority: 'urgent', basedOn: [{ reference: `ServiceRequest/${sr!.id}` }], owner: { reference: `Organization/${ch.id}` } });

    // The care team sees it in the journal; the clinical summary is a medical answer to it.
    const [announce] = await byIdentifier<DocumentReference>('DocumentReference', item.id);
    // Issue 15: a request is filed as « Demande d'admission », not as a real hospitalisation.
    expect(announce!.type!.coding![0]!.code).toBe('admission-request');
    expect(Buffer.from(announce!.content.find((c) => c.attachment.contentType?.startsWith('text/'))!.attachment.data!, 'base64').toString('utf8')).toMatch(
      /^Demande d'admission envoyée : Centre hospitalier de Mont-de-Marsan — Cardiologie\.\nAdmission directe non programmée, souhaitée le 21\/11\/2026\./,
    );
    expect(announce!.content.some((c) => c.attachment.title === 'ECG du 20-11.pdf' && c.attachment.url?.startsWith('Binary/'))).toBe(true);
    const [summary] = await byIdentifier<DocumentReference>('DocumentReference', `${item.id}/summary`);
    expect(summary!.securityLabel![0]!.coding![0]!.code).toBe('R');
    expect(summary!.relatesTo![0]!.target.reference).toBe(`DocumentReference/${announce!.id}`);

    const listed = await comp.core.handlers['admission.list']({ patientId: 'pat-06' });
    expect(listed.admissions[0]).toMatchObject({
      id: sr!.id,
      establishment: 'Centre hospitalier de Mont-de-Marsan',
      service: 'Cardiologie',
      priority: 'urgent',
      status: 'requested',
      hasClinicalSummary: true,
      homeReturnSupport: true,
      attachments: [{ title: 'ECG du 20-11.pdf' }],
      requester: { name: expect.stringContaining('DUFAU') },
      local: null,
    });

    // The establishment accepts: the Task moves, the list follows.
    const put = await fhir<Task>(`Task/${task!.id}`, { method: 'PUT', body: JSON.stringify({ ...task, status: 'accepted' }) });
    expect(put.status).toBe(200);
    expect((await comp.core.handlers['admission.list']({ patientId: 'pat-06' })).admissions[0]!.status).toBe('accepted');
  });

  it('a programmed request to a typed establishment maps to routine; pending first while unsent; bad dates refused', async () => {
    const comp = await compose();
    await open(comp, 'pat-07');
    await comp.core.outbox.stop();
    const item = await comp.core.handlers['admission.request']({
      patientId: 'pat-07',
      establishment: { kind: 'free-text', text: 'Clinique du Sport, Mérignac' },
      priority: 'routine',
      desiredDate: '2026-12-15',
      motive: 'Prothèse totale de hanche droite programmée',
    });
    const pending = await comp.core.handlers['admission.list']({ patientId: 'pat-07' });
    expect(pending.admissions[0]).toMatchObject({ id: item.id, priority: 'routine', establishment: 'Clinique du Sport, Mérignac', local: { state: 'pending' } });
    comp.core.outbox.start();
    expect((await settled(comp, item.id)).status).toBe('sent');
    const [sr] = await byIdentifier<ServiceRequest>('ServiceRequest', item.id);
    expect(sr).toMatchObject({ priority: 'routine', performer: [{ display: 'Clinique du Sport, Mérignac' }], code: { text: 'Admission programmée' } });
    expect(sr!.performer![0]!.reference).toBeUndefined();
    const [task] = await byIdentifier<Task>('Task', `${item.id}/task`);
    expect(task!.owner).toBeUndefined();

    const past = await comp.dispatch('admission.request', { patientId: 'pat-07', establishment: { kind: 'free-text', text: 'CH' }, priority: 'routine', desiredDate: '2026-11-19', motive: 'x' });
    expect(past).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'desiredDate' } });
    const unknown = await comp.dispatch('admission.request', { patientId: 'pat-07', establishment: { kind: 'organization', organizationId: 'org-nowhere' }, priority: 'routine', desiredDate: '2026-12-01', motive: 'x' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'establishment' } });
  });

  it('the agenda and the hospital stays listing at once ask the platform once; news of the patient ends the sharing', async () => {
    const counter = await startRequestCounter(sandbox.url);
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-agenda-'));
    dirs.push(dataDir);
    const comp = await composeCore({ platformUrl: counter.url, dataDir, rpps: DEMO_GP_RPPS, demo: true, now: () => NOW });
    try {
      await open(comp, 'pat-06');
      const list = () => comp.core.handlers['admission.list']({ patientId: 'pat-06' });
      await list(); // the requesters' roles are cached after the first answer
      counter.reset();
      const alone = await list();
      const once = counter.requests.length;
      expect(once).toBeGreaterThan(0);

      counter.reset();
      const [agenda, stays] = await Promise.all([list(), list()]);
      expect(counter.requests.length).toBe(once);
      expect(agenda).toEqual(alone);
      expect(stays).toEqual(alone);

      counter.reset();
      const before = list();
      comp.core.events.emit({ type: 'journal-updated', patientId: 'pat-06', entries: [], total: 0, syncedAt: NOW.toISOString() });
      await Promise.all([before, list()]);
      expect(counter.requests.length).toBe(2 * once);
    } finally {
      await comp.close();
      await counter.close();
    }
  });
});
