/**
 * Roles end to end (issue 6): real sandbox over HTTP with card sign-in (test PKI, in-memory card
 * reader), real stores on disk. The secretary (CPE) signs in and works, but the core refuses her
 * prescribing / PPS / task calls and care entries, the sandbox refuses the same writes made with
 * her token directly, and medical entries never reach her journal while the GP's has them. The
 * nurse posts entries but neither prescribes nor edits the PPS.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS, METHOD_PERMISSIONS, type JournalEntry, type Patient } from '../../contract';
import { createApiDispatcher } from '../../main/api/dispatch';
import { CardSession } from '../../main/auth/card-session';
import { composeCore, type Composition } from '../../main/compose';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki, type IssuedCertificate } from '../fixtures/pki/pki';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';

const PIN = '4826';

interface Signed {
  comp: Composition;
  token: string;
  dataDir: string;
  call: (method: string, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}

describe('roles: secretary, nurse and GP on the card-authenticated sandbox', () => {
  let sandbox: Sandbox;
  const opened: Signed[] = [];
  const dirs: string[] = [];

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
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-roles-'));
    dirs.push(dataDir);
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: 'from-the-card', demo: false, card: session, encrypt: true, secretStore: new MemorySecretStore(), outboxBackoff: { baseMs: 20, capMs: 200 } });
    const dispatch = createApiDispatcher(comp.core, () => undefined);
    const signed: Signed = { comp, token: session.getAccessToken()!, dataDir, call: (m, p) => dispatch(m, p) as never };
    opened.push(signed);
    return signed;
  };

  /** The core's handler table, by name (the guard wraps every entry of it). */
  const handlersOf = (s: Signed) => s.comp.core.handlers as unknown as Record<string, (request: unknown) => Promise<unknown>>;

  /** Every entry of a patient's journal, as the session's window would page through it. */
  const wholeJournal = async (s: Signed, patientId: string): Promise<JournalEntry[]> => {
    const out: JournalEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      const r = await s.call('journal.page', { patientId, limit: 500, ...(cursor ? { cursor } : {}) });
      expect(r.ok).toBe(true);
      const page = r.value as { entries: JournalEntry[]; nextCursor: string | null };
      out.push(...page.entries);
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
  };

  const raw = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  let secretary: Signed;
  let gp: Signed;
  let patient: Patient;

  it('a CPE opens a secretary session: staff id (no RPPS), role secretary, its own profile directory', async () => {
    secretary = await signIn(testPki().secretary);
    const current = await secretary.call('session.current', {});
    expect(current).toMatchObject({
      ok: true,
      value: { role: 'secretary', card: { kind: 'CPE', idNatPs: '3409990011/SEC0001' }, professional: { id: 'staff-labeyrie', idNatPs: '3409990011/SEC0001' } },
    });
    expect((current.value as { professional: { rpps?: string } }).professional.rpps).toBeUndefined();
    expect((current.value as { permissions: string[] }).permissions).not.toContain('prescription.write');
    expect(existsSync(join(secretary.dataDir, 'profiles', '3409990011-SEC0001', 'store.db'))).toBe(true);
    // Her structure's patients (Landes care teams).
    const list = await secretary.call('patient.list', {});
    expect(list.ok).toBe(true);
    const patients = list.value as Patient[];
    expect(patients.length).toBeGreaterThan(3);
    patient = patients.find((p) => p.id.startsWith('pat-'))!;
    expect(patient).toBeDefined();
  });

  it('the core refuses the secretary every prescribing / PPS / task method, audited as permission.denied', async () => {
    // Methods the core answers (auth.* belong to the host; the Handlers type makes the core's table complete).
    const guarded = API_METHODS.filter((m) => m in secretary.comp.core.handlers && ['prescription.write', 'pps.edit', 'task.update'].includes(METHOD_PERMISSIONS[m] ?? ''));
    expect(guarded).toContain('task.updateStatus');
    for (const method of guarded) {
      // Straight at the handler table (after the dispatcher's schema check): the role guard answers first.
      const handler = handlersOf(secretary)[method]!;
      await expect(handler({ patientId: patient.id }), method).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    // Through the API as a window or a script would call it, with a well-formed request.
    expect(await secretary.call('task.updateStatus', { taskId: 'task-x', status: 'completed' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const denied = await secretary.call('audit.list', {});
    const records = denied.value as { action: string; actor: string; detail: string | null }[];
    const denials = records.filter((r) => r.action === 'permission.denied');
    expect(denials.length).toBe(guarded.length + 1);
    expect(denials.every((r) => r.actor === '3409990011/SEC0001')).toBe(true);
    expect(denials.map((r) => JSON.parse(r.detail!).method)).toEqual(expect.arrayContaining(guarded));
  });

  it("the secretary's journal never holds a medical entry; the GP's journal of the same patient does", async () => {
    expect(await secretary.call('patient.open', { ins: patient.ins, birthName: patient.birthName, firstNames: patient.firstNames, birthDate: patient.birthDate, sex: patient.sex })).toMatchObject({ ok: true });
    const hers = await wholeJournal(secretary, patient.id);
    gp = await signIn(testPki().gp);
    expect(await gp.call('session.current', {})).toMatchObject({ ok: true, value: { role: 'physician' } });
    expect(await gp.call('patient.open', { ins: patient.ins, birthName: patient.birthName, firstNames: patient.firstNames, birthDate: patient.birthDate, sex: patient.sex })).toMatchObject({ ok: true });
    const his = await wholeJournal(gp, patient.id);
    const medical = his.filter((e) => e.confidentiality === 'medical');
    expect(medical.length).toBeGreaterThan(0);
    expect(hers.length).toBe(his.length - medical.length);
    expect(hers.some((e) => e.confidentiality === 'medical')).toBe(false);
    const herIds = new Set(hers.map((e) => e.id));
    for (const m of medical) expect(herIds.has(m.id)).toBe(false);
    // Search and facets do not show them through either.
    const facets = (await secretary.call('journal.facets', { patientId: patient.id })).value as { kinds: { count: number }[] };
    expect(facets.kinds.reduce((n, k) => n + k.count, 0)).toBe(hers.length);
    // The platform withholds them at the source: a read with her token is a 404, the GP's a 200.
    expect((await raw(secretary.token, 'GET', `DocumentReference/${medical[0]!.id}`)).status).toBe(404);
    expect((await raw(gp.token, 'GET', `DocumentReference/${medical[0]!.id}`)).status).toBe(200);
  });

  it("treatments are medical: the GP's panels list them, the secretary's none, and the platform withholds them from her token", async () => {
    const hisPanels = (await gp.call('patient.panels', { patientId: patient.id })).value as { treatments: unknown[] };
    const herPanels = (await secretary.call('patient.panels', { patientId: patient.id })).value as { treatments: unknown[] };
    expect(hisPanels.treatments.length).toBeGreaterThan(0);
    expect(herPanels.treatments).toEqual([]);
    const search = async (token: string) =>
      ((await (await raw(token, 'GET', `MedicationRequest?subject=Patient/${patient.id}`)).json()) as { entry?: unknown[] }).entry ?? [];
    expect((await search(gp.token)).length).toBeGreaterThan(0);
    expect(await search(secretary.token)).toEqual([]);
  });

  it('the secretary posts administrative entries; a care or medical post is refused by the core and by the sandbox', async () => {
    const posted = await secretary.call('journal.post', { patientId: patient.id, kind: 'text', text: 'RDV de contrôle fixé au 3 décembre à 10 h.' });
    expect(posted).toMatchObject({ ok: true, value: { status: 'queued' } });
    const clientId = (posted.value as { id: string }).id;
    await vi.waitFor(
      async () => {
        const items = (await secretary.call('outbox.list', { patientId: patient.id })).value as { id: string; status: string }[];
        expect(items.find((i) => i.id === clientId)?.status).toBe('sent');
      },
      { timeout: 10_000, interval: 50 },
    );
    const onPlatform = (await (await raw(gp.token, 'GET', `DocumentReference?identifier=${encodeURIComponent(`https://relais.example/fhir/NamingSystem/client-id|${clientId}`)}`)).json()) as {
      entry: { resource: { category?: { coding: { code: string }[] }[]; securityLabel?: { coding: { code: string }[] }[] } }[];
    };
    expect(onPlatform.entry[0]!.resource.category?.[0]!.coding[0]!.code).toBe('administrative');
    expect(onPlatform.entry[0]!.resource.securityLabel?.[0]!.coding[0]!.code).toBe('N');

    expect(await secretary.call('journal.post', { patientId: patient.id, kind: 'text', text: 'Note de soins', category: 'care' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await secretary.call('journal.post', { patientId: patient.id, kind: 'text', text: 'x', category: 'administrative', confidentiality: 'medical' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await secretary.call('alert.acknowledge', { patientId: patient.id, entryId: 'any' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // The same care entry with her token straight to the platform: refused, and the adapter says FORBIDDEN.
    const direct = createFhirPlatform({ baseUrl: sandbox.url, getAccessToken: () => secretary.token });
    await expect(
      direct.createJournalEntry({ clientId: crypto.randomUUID(), patientId: patient.id, authorId: 'staff-labeyrie', kind: 'text', text: 'Note de soins', date: new Date().toISOString(), attachments: [] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('the sandbox refuses the secretary prescriptions, PPS and task updates made directly with her token (403 forbidden)', async () => {
    const medicationRequest = {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patient.id}` },
      medicationCodeableConcept: { text: 'Paracétamol 1 g, comprimé' },
    };
    const post = await raw(secretary.token, 'POST', 'MedicationRequest', medicationRequest);
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });

    const plans = (await (await raw(gp.token, 'GET', `CarePlan?subject=Patient/${patient.id}`)).json()) as { entry?: { resource: { id: string } }[] };
    const plan = plans.entry?.[0]?.resource;
    expect(plan).toBeDefined();
    const put = await raw(secretary.token, 'PUT', `CarePlan/${plan!.id}`, { ...plan, title: 'PPS modifié par le secrétariat' });
    expect(put.status).toBe(403);
    expect((await raw(secretary.token, 'POST', 'Goal', { resourceType: 'Goal', lifecycleStatus: 'active', description: { text: 'x' }, subject: { reference: `Patient/${patient.id}` } })).status).toBe(403);

    const tasks = (await (await raw(gp.token, 'GET', `Task?patient=Patient/${patient.id}`)).json()) as { entry?: { resource: { id: string } }[] };
    const task = tasks.entry?.[0]?.resource;
    if (task) expect((await raw(secretary.token, 'PUT', `Task/${task.id}`, { ...task, status: 'completed' })).status).toBe(403);

    // What she manages stays open: following an admission request with a Task is allowed.
    const followUp = await raw(secretary.token, 'POST', 'Task', { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: `Patient/${patient.id}` }, description: "Suivi de la demande d'admission" });
    expect(followUp.status).toBe(201);

    // The GP's token may (the check is by role, not a blanket refusal): a PUT of the unchanged plan passes.
    expect((await raw(gp.token, 'PUT', `CarePlan/${plan!.id}`, plan)).status).toBe(200);
  });

  it('a nurse posts care entries and reads medical ones, but may neither prescribe nor edit the PPS', async () => {
    const nurse = await signIn(testPki().nurse);
    expect(await nurse.call('session.current', {})).toMatchObject({ ok: true, value: { role: 'health-professional', professional: { id: 'prac-lamothe' } } });
    const list = (await nurse.call('patient.list', {})).value as Patient[];
    const p = list[0]!;
    expect(await nurse.call('patient.open', { ins: p.ins, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex })).toMatchObject({ ok: true });
    expect(await nurse.call('journal.post', { patientId: p.id, kind: 'text', text: 'Pansement refait, plaie propre.' })).toMatchObject({ ok: true });
    for (const method of API_METHODS.filter((m) => m in nurse.comp.core.handlers && ['prescription.write', 'pps.edit'].includes(METHOD_PERMISSIONS[m] ?? ''))) {
      const handler = handlersOf(nurse)[method]!;
      await expect(handler({ patientId: p.id }), method).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const post = await raw(nurse.token, 'POST', 'MedicationRequest', { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: `Patient/${p.id}` }, medicationCodeableConcept: { text: 'x' } });
    expect(post.status).toBe(403);
    const journal = await wholeJournal(nurse, p.id);
    expect(journal.some((e) => e.confidentiality === 'medical')).toBe(true);
  });
});
