/**
 * Referrals (« adressage ») through the core, the outbox and the FHIR adapter, against the real
 * sandbox over HTTP with card sign-in (test PKI, in-memory card reader) and real stores on disk:
 * the GP refers, the platform holds one ServiceRequest + one Task owned by the recipient + the
 * journal entries, a retried write creates nothing twice, and the secretary is refused by the core
 * and by the sandbox and never receives the clinical context, whatever she asks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, DocumentReference, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareTeamMember, JournalEntry, OutboxItem, Patient, ReferralList, ReferralRecipient } from '../../contract';
import { createApiDispatcher } from '../../main/api/dispatch';
import { CardSession } from '../../main/auth/card-session';
import { composeCore, type Composition } from '../../main/compose';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { referralWriter } from '../../main/features/referral/writer';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki, type IssuedCertificate } from '../fixtures/pki/pki';
import { contextOf } from '../support/app-fixture';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';

/** Literal URIs and codes (docs/fhir-mapping.md), not the client's constants: the test checks what is on the platform. */
const CLIENT_ID_SYSTEM = 'https://relais.example/fhir/NamingSystem/client-id';
const V3_CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const REFERRAL_CATEGORY = { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' };
const confidentialityOf = (d: DocumentReference): string[] => (d.securityLabel ?? []).flatMap((l) => (l.coding ?? []).map((c) => `${c.system}|${c.code}`));

const PIN = '4826';
/** Written by the GP as clinical context: must never reach the secretary in any form. */
const CONTEXT = 'Chutes répétées depuis 3 semaines, MMS 19/30, hypotension orthostatique sous ramipril.';

interface Signed {
  comp: Composition;
  token: string;
  call: <T = unknown>(method: string, payload: unknown) => Promise<{ ok: true; value: T } | { ok: false; error: { code: string; field?: string } }>;
}

describe('referrals on the card-authenticated sandbox', () => {
  let sandbox: Sandbox;
  const opened: Signed[] = [];
  const dirs: string[] = [];
  let gp: Signed;
  let secretary: Signed;
  let patient: Patient;
  let nurse: CareTeamMember;
  let referralId: string;

  const signIn = async (cert: IssuedCertificate): Promise<Signed> => {
    const reader = new FakeCardReader({ label: 'CARTE', serial: cert.certificatePem.length.toString(), certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, pin: PIN });
    const session = await CardSession.open({ reader, platformUrl: sandbox.url, authUrl: sandbox.authUrl });
    await session.signIn(PIN);
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-referral-'));
    dirs.push(dataDir);
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: 'from-the-card', demo: false, card: session, encrypt: true, secretStore: new MemorySecretStore(), outboxBackoff: { baseMs: 20, capMs: 200 } });
    const dispatch = createApiDispatcher(comp.core, () => undefined);
    const signed: Signed = { comp, token: session.getAccessToken()!, call: (m, p) => dispatch(m, p) as never };
    opened.push(signed);
    return signed;
  };

  /** The platform as another client holding this token sees it: plain HTTP. */
  const raw = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const byIdentifier = async <T extends Resource>(type: string, value: string): Promise<T[]> => {
    const res = await raw(gp.token, 'GET', `${type}?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${value}`)}`);
    expect(res.status).toBe(200);
    return (((await res.json()) as Bundle<T>).entry ?? []).map((e) => e.resource!);
  };
  const settled = async (s: Signed, clientId: string): Promise<OutboxItem> => {
    let item: OutboxItem | null = null;
    await expect
      .poll(() => {
        item = s.comp.core.outbox.get(clientId);
        return item?.status;
      }, { timeout: 15_000 })
      .toMatch(/^(sent|failed-permanent)$/);
    return item!;
  };
  const wholeJournal = async (s: Signed, patientId: string): Promise<JournalEntry[]> => {
    const out: JournalEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      const r = await s.call<{ entries: JournalEntry[]; nextCursor: string | null }>('journal.page', { patientId, limit: 500, ...(cursor ? { cursor } : {}) });
      if (!r.ok) throw new Error(r.error.code);
      out.push(...r.value.entries);
      if (!r.value.nextCursor) return out;
      cursor = r.value.nextCursor;
    }
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 } });
    gp = await signIn(testPki().gp);
    secretary = await signIn(testPki().secretary);
    // A patient of the secretary's structure, so she may open it (the GP is in every care team).
    const list = await secretary.call<Patient[]>('patient.list', {});
    if (!list.ok) throw new Error(list.error.code);
    patient = list.value.find((p) => p.id.startsWith('pat-'))!;
    for (const s of [gp, secretary]) expect((await s.call('patient.open', contextOf(patient))).ok).toBe(true);
    const panels = await gp.call<{ careTeam: CareTeamMember[] }>('patient.panels', { patientId: patient.id });
    if (!panels.ok) throw new Error(panels.error.code);
    nurse = panels.value.careTeam.find((m) => /^Infirmi/.test(m.roleLabel))!;
    expect(nurse).toBeDefined();
  }, 60_000);
  afterAll(async () => {
    for (const s of opened) await s.comp.close();
    await sandbox?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('lists the services and professionals of the territory, never structure staff', async () => {
    const r = await gp.call<ReferralRecipient[]>('referral.recipients', {});
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'organization', id: 'org-ssiad-marsan', name: 'SSIAD du Marsan' })]));
    expect(r.value).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'practitioner', id: 'role-lamothe' })]));
    expect(r.value.some((x) => x.id.includes('labeyrie'))).toBe(false);
  });

  it('refuses bad input with the field named, before anything is queued', async () => {
    const base = { patientId: patient.id, reason: 'Évaluation', urgency: 'routine' };
    expect(await gp.call('referral.create', { ...base, recipient: { kind: 'care-team', memberId: 'role-nobody' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'recipient' } });
    expect(await gp.call('referral.create', { ...base, recipient: { kind: 'organization', organizationId: 'org-unknown' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'recipient' } });
    expect(await gp.call('referral.create', { ...base, recipient: { kind: 'organization', organizationId: 'org-ssiad-marsan' }, desiredDate: '2020-01-01' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'desiredDate' } });
    expect(await gp.call('referral.create', { ...base, reason: '   ', recipient: { kind: 'organization', organizationId: 'org-ssiad-marsan' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(gp.comp.core.outbox.list(patient.id).filter((i) => i.kind === 'referral')).toHaveLength(0);
  });

  it('the GP refers to a care-team nurse: pending at once, then one ServiceRequest, one Task owned by the nurse, the journal entries', async () => {
    await gp.comp.core.outbox.stop();
    const created = await gp.call<OutboxItem>('referral.create', {
      patientId: patient.id,
      recipient: { kind: 'care-team', memberId: nurse.id },
      reason: 'Surveillance tensionnelle et prévention des chutes',
      urgency: 'urgent',
      clinicalContext: CONTEXT,
      expectedAction: 'Passage quotidien, relevé de TA couché-debout',
      desiredDate: '2099-01-15',
      attachments: [{ contentType: 'text/plain', title: 'courrier.txt', dataBase64: Buffer.from('Courrier d’adressage').toString('base64') }],
    });
    if (!created.ok) throw new Error(created.error.code);
    referralId = created.value.id;
    expect(created.value).toMatchObject({ kind: 'referral', status: 'queued' });
    const pending = await gp.call<ReferralList>('referral.list', { patientId: patient.id });
    if (!pending.ok) throw new Error(pending.error.code);
    expect(pending.value.referrals[0]).toMatchObject({ id: referralId, urgency: 'urgent', hasClinicalContext: true, local: { state: 'pending' }, recipient: `${nurse.name}, ${nurse.roleLabel}` });
    expect(await byIdentifier('ServiceRequest', referralId)).toHaveLength(0);

    gp.comp.core.outbox.start();
    const sent = await settled(gp, referralId);
    expect(sent.status).toBe('sent');
    const [sr, ...moreSr] = await byIdentifier<ServiceRequest>('ServiceRequest', referralId);
    expect(moreSr).toHaveLength(0);
    expect(sr).toMatchObject({ id: sent.platformId, status: 'active', intent: 'order', priority: 'urgent', subject: { reference: `Patient/${patient.id}` }, performer: [{ reference: `PractitionerRole/${nurse.id}` }] });
    expect(sr!.category?.[0]?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '3457005' });
    expect(JSON.stringify(sr)).not.toContain('MMS 19/30');
    const tasks = await byIdentifier<Task>('Task', `${referralId}/task`);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'requested', basedOn: [{ reference: `ServiceRequest/${sr!.id}` }], owner: { reference: `PractitionerRole/${nurse.id}` } });

    // The care team sees it in the journal; the context is a medical answer to it.
    const [announcement] = await byIdentifier<DocumentReference>('DocumentReference', referralId);
    const [context] = await byIdentifier<DocumentReference>('DocumentReference', `${referralId}/context`);
    expect(confidentialityOf(announcement!)).toEqual([`${V3_CONFIDENTIALITY}|N`]);
    expect(confidentialityOf(context!)).toEqual([`${V3_CONFIDENTIALITY}|R`]);
    expect(context!.relatesTo?.[0]?.target?.reference).toBe(`DocumentReference/${announcement!.id}`);
    expect(sr!.supportingInfo?.map((s) => s.display)).toEqual(['Annonce au journal de coordination', 'courrier.txt', 'Contexte clinique']);
    // The announcement replaces the pending entry when sent; the context arrives with the next sync.
    await gp.comp.core.journal.sync(patient.id);
    const journal = await wholeJournal(gp, patient.id);
    const mine = journal.filter((e) => e.kind === 'referral' && e.text.startsWith(`Adressage à ${nurse.name}`));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.pending ?? false).toBe(false);
    expect(mine[0]).toMatchObject({ attachments: [expect.objectContaining({ title: 'courrier.txt' })] });
    expect(journal.some((e) => e.text.includes(CONTEXT))).toBe(true);

    const list = await gp.call<ReferralList>('referral.list', { patientId: patient.id });
    if (!list.ok) throw new Error(list.error.code);
    expect(list.value.referrals.filter((r) => r.id === sr!.id)).toEqual([
      expect.objectContaining({ status: 'requested', local: null, hasClinicalContext: true, desiredDate: '2099-01-15', attachments: [{ title: 'courrier.txt' }] }),
    ]);
    expect(list.value.referrals.some((r) => r.id === referralId)).toBe(false);
  });

  it('is created once even when written again (lost answer, crash between steps)', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url, getAccessToken: () => gp.token });
    const context = { clientId: crypto.randomUUID(), patientId: patient.id, professional: gp.comp.core.professional, platform };
    const payload = {
      patientId: patient.id,
      recipient: { reference: 'Organization/org-ssiad-marsan', display: 'SSIAD du Marsan' },
      reason: 'Toilette et aide au lever',
      urgency: 'routine',
      clinicalContext: 'Hémiparésie droite séquellaire.',
      attachments: [{ contentType: 'text/plain', title: 'note.txt', dataBase64: Buffer.from('x').toString('base64') }],
      authoredOn: new Date().toISOString(),
    };
    const first = await referralWriter(payload, context);
    const again = await referralWriter(payload, context);
    expect(again.platformId).toBe(first.platformId);
    expect(await byIdentifier('ServiceRequest', context.clientId)).toHaveLength(1);
    expect(await byIdentifier('Task', `${context.clientId}/task`)).toHaveLength(1);
    expect(await byIdentifier('DocumentReference', context.clientId)).toHaveLength(1);
    expect(await byIdentifier('DocumentReference', `${context.clientId}/context`)).toHaveLength(1);
    const bins = await raw(gp.token, 'GET', `Binary?_tag=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${context.clientId}/0`)}`);
    expect(((await bins.json()) as Bundle).entry ?? []).toHaveLength(1);
    const [task] = await byIdentifier<Task>('Task', `${context.clientId}/task`);
    expect(task!.owner).toMatchObject({ reference: 'Organization/org-ssiad-marsan', display: 'SSIAD du Marsan' });
  });

  it('the secretary is refused by the core and by the sandbox; she may still request an admission', async () => {
    const request = { patientId: patient.id, recipient: { kind: 'organization', organizationId: 'org-ssiad-marsan' }, reason: 'Aide à domicile', urgency: 'routine' };
    expect(await secretary.call('referral.create', request)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await secretary.call('referral.recipients', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const handler = (secretary.comp.core.handlers as unknown as Record<string, (r: unknown) => Promise<unknown>>)['referral.create']!;
    await expect(handler(request)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(secretary.comp.core.outbox.list(patient.id).filter((i) => i.kind === 'referral')).toHaveLength(0);
    const audit = await secretary.call<{ action: string; detail: string | null }[]>('audit.list', {});
    if (!audit.ok) throw new Error(audit.error.code);
    expect(audit.value.filter((r) => r.action === 'permission.denied' && JSON.parse(r.detail!).method === 'referral.create').length).toBeGreaterThanOrEqual(2);

    // With her token, straight at the platform: the referral ServiceRequest and its Task are refused.
    const sr: ServiceRequest = {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ ...REFERRAL_CATEGORY }] }],
      subject: { reference: `Patient/${patient.id}` },
      performer: [{ reference: 'Organization/org-ssiad-marsan' }],
    };
    const refused = await raw(secretary.token, 'POST', 'ServiceRequest', sr);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toContain('referral.write');
    const task: Task = { resourceType: 'Task', status: 'requested', intent: 'order', code: { coding: [{ ...REFERRAL_CATEGORY }] }, for: { reference: `Patient/${patient.id}` } };
    expect((await raw(secretary.token, 'POST', 'Task', task)).status).toBe(403);
    // Inside a transaction bundle too.
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: sr, request: { method: 'POST', url: 'ServiceRequest' } }] };
    expect((await raw(secretary.token, 'POST', '', bundle)).status).toBe(403);
    // An admission request (other category) stays hers to make.
    const admission = await raw(secretary.token, 'POST', 'ServiceRequest', { ...sr, category: [{ coding: [{ system: 'http://snomed.info/sct', code: '305056002' }] }] });
    expect(admission.status).toBe(201);
  });

  it('the clinical context never reaches the secretary: not in her list, her journal, nor any platform answer to her token', async () => {
    const list = await secretary.call<ReferralList>('referral.list', { patientId: patient.id });
    if (!list.ok) throw new Error(list.error.code);
    const seen = list.value.referrals.find((r) => r.reason === 'Surveillance tensionnelle et prévention des chutes');
    expect(seen).toMatchObject({ hasClinicalContext: true, status: 'requested' });
    expect(JSON.stringify(list.value)).not.toContain('MMS 19/30');

    await secretary.comp.core.journal.sync(patient.id);
    const journal = await wholeJournal(secretary, patient.id);
    expect(journal.some((e) => e.kind === 'referral' && e.text.startsWith(`Adressage à ${nurse.name}`))).toBe(true);
    expect(JSON.stringify(journal)).not.toContain('MMS 19/30');

    const [contextEntry] = await byIdentifier<DocumentReference>('DocumentReference', `${referralId}/context`);
    expect((await raw(secretary.token, 'GET', `DocumentReference/${contextEntry!.id}`)).status).toBe(404);
    for (const path of [
      `DocumentReference?subject=Patient/${patient.id}&_count=1000`,
      `DocumentReference?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${referralId}/context`)}`,
      `ServiceRequest?subject=Patient/${patient.id}`,
      `Task?patient=Patient/${patient.id}`,
    ]) {
      const res = await raw(secretary.token, 'GET', path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain('MMS 19/30');
    }
  });
});
