/**
 * Issue 11, item 10: the sandbox's access policy holds on every route, not only on a direct
 * search. Each case is made with the test secretary's card (CPE, MSP des Arènes: care teams of
 * the Landes patients) against the real card-authenticated sandbox, the way a script holding her
 * token would, and compared with what the GP's and the nurse's tokens get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardSession } from '../../main/auth/card-session';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki, type IssuedCertificate } from '../fixtures/pki/pki';

const PIN = '4826';
const SECRETARY_ROLE = 'PractitionerRole/role-staff-labeyrie';
const R = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' };
const N = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' };
const ADMINISTRATIVE = { system: 'https://relais.example/fhir/CodeSystem/journal-category', code: 'administrative' };

type Json = Record<string, unknown> & { entry?: { resource: Record<string, unknown> & { resourceType: string; id: string } }[]; total?: number };

describe('access policy on every route of the card-authenticated sandbox (secretary token)', () => {
  let sandbox: Sandbox;
  let secretary: string;
  let gp: string;
  let nurse: string;
  /** Patients whose care team lists the secretariat, and the others. */
  let hers: string[];
  let others: string[];
  let medicalEntry: { id: string; subject: string };

  const tokenOf = async (cert: IssuedCertificate): Promise<string> => {
    const reader = new FakeCardReader({ label: 'CARTE', serial: cert.certificatePem.length.toString(), certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, pin: PIN });
    const session = await CardSession.open({ reader, platformUrl: sandbox.url, authUrl: sandbox.authUrl });
    await session.signIn(PIN);
    return session.getAccessToken()!;
  };

  const req = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.url}/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json', ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
    });
  const json = async (token: string, path: string): Promise<Json> => (await (await req(token, 'GET', path)).json()) as Json;
  const types = (b: Json) => (b.entry ?? []).map((e) => e.resource.resourceType);
  const isMedical = (r: Record<string, unknown>) => JSON.stringify(r.securityLabel ?? []).includes('"R"');

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 } });
    [secretary, gp, nurse] = [await tokenOf(testPki().secretary), await tokenOf(testPki().gp), await tokenOf(testPki().nurse)];
    const teams = await json(gp, 'CareTeam?_count=100');
    const subjectOf = (t: Record<string, unknown>) => (t.subject as { reference: string }).reference.slice('Patient/'.length);
    const withHer = (t: Record<string, unknown>) => JSON.stringify(t.participant).includes(SECRETARY_ROLE);
    // Her own patients first (the benchmark ones, 10,000 entries, would overflow an _revinclude).
    hers = teams.entry!.filter((e) => withHer(e.resource)).map((e) => subjectOf(e.resource)).sort((a, b) => Number(a.startsWith('pat-bench')) - Number(b.startsWith('pat-bench')));
    others = teams.entry!.filter((e) => !withHer(e.resource)).map((e) => subjectOf(e.resource));
    const docs = await json(gp, `DocumentReference?subject=Patient/${hers[0]}&_count=200`);
    const medical = docs.entry!.find((e) => isMedical(e.resource))!.resource;
    medicalEntry = { id: medical.id, subject: hers[0]! };
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('the seed has patients outside her care teams (the Meuse), and the GP follows all 24', async () => {
    expect(hers.length).toBeGreaterThan(3);
    expect(others.length).toBeGreaterThan(3);
    expect((await json(gp, 'Patient?_count=100')).entry).toHaveLength(24);
  });

  it('a batch Bundle is refused: it no longer returns medical entries and prescriptions a direct search hides', async () => {
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `DocumentReference?subject=Patient/${hers[0]}&_count=500` } },
        { request: { method: 'GET', url: `MedicationRequest?subject=Patient/${hers[0]}` } },
      ],
    };
    const res = await req(secretary, 'POST', '', batch);
    expect(res.status).toBe(403);
    const body = JSON.stringify(await res.json());
    expect(body).not.toContain('"MedicationRequest"');
    expect(body).not.toContain(medicalEntry.id);
  });

  it('a transaction Bundle is refused, and creates nothing', async () => {
    const before = (await json(gp, `MedicationRequest?subject=Patient/${hers[0]}&_count=200`)).entry?.length ?? 0;
    const tx = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          request: { method: 'POST', url: 'MedicationRequest' },
          resource: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: `Patient/${hers[0]}` }, medicationCodeableConcept: { text: 'Tramadol 50 mg' } },
        },
      ],
    };
    expect((await req(secretary, 'POST', '', tx)).status).toBe(403);
    expect((await json(gp, `MedicationRequest?subject=Patient/${hers[0]}&_count=200`)).entry?.length ?? 0).toBe(before);
  });

  it('$graphql is refused for a read and for a write (no MedicationRequest created), and other operations too', async () => {
    const before = (await json(gp, `MedicationRequest?subject=Patient/${hers[0]}&_count=200`)).entry?.length ?? 0;
    const read = await req(secretary, 'POST', '$graphql', { query: '{ MedicationRequestList(_count: 50) { id medicationCodeableConcept { text } } }' });
    expect(read.status).toBe(403);
    expect(JSON.stringify(await read.json())).not.toContain('medicationCodeableConcept');
    const mutation = `mutation { MedicationRequestCreate(res: { resourceType: "MedicationRequest", status: "active", intent: "order", subject: { reference: "Patient/${hers[0]}" }, medicationCodeableConcept: { text: "Morphine" } }) { id } }`;
    expect((await req(secretary, 'POST', '$graphql', { query: mutation })).status).toBe(403);
    expect((await json(gp, `MedicationRequest?subject=Patient/${hers[0]}&_count=200`)).entry?.length ?? 0).toBe(before);
    expect((await req(secretary, 'GET', `Patient/${hers[0]}/$everything`)).status).toBe(403);
    expect((await req(secretary, 'POST', 'DocumentReference/_search', {})).status).toBe(403);
    expect((await req(secretary, 'GET', `?_type=MedicationRequest`)).status).toBe(403);
    expect((await req(secretary, 'GET', 'Binary?_count=100')).status).toBe(403);
    expect((await req(secretary, 'GET', 'Binary?_tag=https://relais.example/fhir/NamingSystem/client-id|x')).status).toBe(200);
  });

  it('_history and vread are refused (old versions would skip the filter)', async () => {
    expect((await req(secretary, 'GET', `Patient/${others[0]}/_history`)).status).toBe(403);
    expect((await req(secretary, 'GET', `DocumentReference/${medicalEntry.id}/_history/1`)).status).toBe(403);
  });

  it('_include / _revinclude never bring a withheld resource', async () => {
    const rev = await json(secretary, `Patient?_id=${hers[0]}&_revinclude=DocumentReference:subject&_revinclude=MedicationRequest:subject`);
    expect(types(rev)).toContain('Patient');
    expect(types(rev)).not.toContain('MedicationRequest');
    expect(rev.entry!.filter((e) => e.resource.resourceType === 'DocumentReference').some((e) => isMedical(e.resource))).toBe(false);
    // Through the directory to the care teams of patients that are not hers.
    const iter = await json(secretary, 'PractitionerRole?_id=role-dufau&_revinclude=CareTeam:participant&_include:iterate=CareTeam:subject');
    const reached = (iter.entry ?? []).filter((e) => e.resource.resourceType === 'Patient' || e.resource.resourceType === 'CareTeam').map((e) => JSON.stringify(e.resource));
    expect(reached.length).toBeGreaterThan(0);
    for (const other of others) expect(reached.some((r) => r.includes(`"${other}"`))).toBe(false);
  });

  it('she sees only the patients of her care teams: searches, reads by id and every patient-compartment resource', async () => {
    const all = await json(secretary, 'Patient?_count=100');
    expect(new Set((all.entry ?? []).map((e) => e.resource.id))).toEqual(new Set(hers));
    expect(all.total).toBeUndefined();
    for (const path of [`Patient/${others[0]}`, `CareTeam/ct-${others[0]}`]) expect((await req(secretary, 'GET', path)).status, path).toBe(404);
    for (const type of ['DocumentReference', 'CarePlan', 'Task', 'Flag', 'Condition']) {
      const page = await json(secretary, `${type}?subject=Patient/${others[0]}&_count=50`);
      expect(page.entry ?? [], type).toEqual([]);
      expect(page.total, type).toBeUndefined();
    }
    expect((await json(secretary, `Appointment?patient=Patient/${others[0]}`)).entry ?? []).toEqual([]);
    const ct = await json(secretary, 'CareTeam?_count=100');
    expect(ct.entry!.length).toBe(hers.length);
  });

  it('reads by id of hidden resources are 404; _summary / _elements / _has / chains are refused; _count=0 counts nothing hidden', async () => {
    expect((await req(secretary, 'GET', `DocumentReference/${medicalEntry.id}`)).status).toBe(404);
    const rx = (await json(gp, `MedicationRequest?subject=Patient/${hers[0]}`)).entry![0]!.resource.id;
    expect((await req(secretary, 'GET', `MedicationRequest/${rx}`)).status).toBe(404);
    for (const q of [
      `DocumentReference?subject=Patient/${hers[0]}&_elements=id,subject,content`,
      `DocumentReference?subject=Patient/${hers[0]}&_summary=true`,
      `MedicationRequest?subject=Patient/${hers[0]}&_summary=count`,
      `Patient?_has:MedicationRequest:subject:status=active`,
      `DocumentReference?subject.identifier=x`,
    ]) {
      const res = await req(secretary, 'GET', q);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(await res.json()), q).not.toContain(medicalEntry.id);
    }
    const counted = await json(secretary, `DocumentReference?subject=Patient/${hers[0]}&_count=0`);
    expect(counted.total).toBeUndefined();
    // The GP, who reads everything of her patient, keeps the exact total.
    expect(typeof (await json(gp, `DocumentReference?subject=Patient/${hers[0]}&_count=0`)).total).toBe('number');
  });

  it("the Binary of a medical entry is not served to her token, the GP's gets it", async () => {
    const bin = (await (await req(gp, 'POST', 'Binary', Buffer.from('%PDF-1.4 compte rendu'), { 'Content-Type': 'application/pdf' })).json()) as { id: string };
    const entry = {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${hers[0]}` },
      securityLabel: [{ coding: [R] }],
      content: [{ attachment: { contentType: 'application/pdf', url: `Binary/${bin.id}`, title: 'CR' } }],
    };
    expect((await req(gp, 'POST', 'DocumentReference', entry)).status).toBe(201);
    expect((await req(secretary, 'GET', `Binary/${bin.id}`, undefined, { Accept: '*/*' })).status).toBe(404);
    expect((await req(secretary, 'GET', `Binary/${bin.id}`)).status).toBe(404);
    const theirs = await req(gp, 'GET', `Binary/${bin.id}`, undefined, { Accept: '*/*' });
    expect(theirs.status).toBe(200);
    expect(Buffer.from(await theirs.arrayBuffer()).toString()).toContain('compte rendu');
    // An attachment of an entry she may see stays hers to open.
    const shown = (await json(secretary, `DocumentReference?subject=Patient/${hers[0]}&_count=500`)).entry!.find((e) => JSON.stringify(e.resource).includes('"url":"Binary/'));
    const url = /"url":"(Binary\/[^"]+)"/.exec(JSON.stringify(shown!.resource))![1]!;
    expect((await req(secretary, 'GET', url, undefined, { Accept: '*/*' })).status).toBe(200);
  });

  it('writes: only for her patients, never over a medical entry, never on the directory or a care team, never by PATCH', async () => {
    const admin = (subject: string) => ({
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${subject}` },
      category: [{ coding: [ADMINISTRATIVE] }],
      securityLabel: [{ coding: [N] }],
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('RDV').toString('base64') } }],
    });
    expect((await req(secretary, 'POST', 'DocumentReference', admin(hers[0]!))).status).toBe(201);
    expect((await req(secretary, 'POST', 'DocumentReference', admin(others[0]!))).status).toBe(403);
    // Overwriting a medical entry with an administrative one would hand her its place: judged on the stored version.
    expect((await req(secretary, 'PUT', `DocumentReference/${medicalEntry.id}`, { ...admin(hers[0]!), id: medicalEntry.id })).status).toBe(404);
    expect((await req(secretary, 'DELETE', `DocumentReference/${medicalEntry.id}`)).status).toBe(404);
    // Nor through a path the router reads the same (`//`).
    expect((await req(secretary, 'PUT', `DocumentReference//${medicalEntry.id}`, { ...admin(hers[0]!), id: medicalEntry.id })).status).toBe(404);
    expect((await req(gp, 'GET', `DocumentReference/${medicalEntry.id}`)).status).toBe(200);
    expect((await req(secretary, 'PATCH', `DocumentReference/${medicalEntry.id}`, [{ op: 'replace', path: '/status', value: 'entered-in-error' }], { 'Content-Type': 'application/json-patch+json' })).status).toBe(403);
    // A referral cannot be deleted as if it were an admission: the stored category decides.
    const referral = {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${hers[0]}` },
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
    };
    const sr = (await (await req(gp, 'POST', 'ServiceRequest', referral)).json()) as { id: string };
    expect((await req(secretary, 'DELETE', `ServiceRequest/${sr.id}`)).status).toBe(403);
    expect((await req(gp, 'GET', `ServiceRequest/${sr.id}`)).status).toBe(200);
    // Moving a Meuse nurse's role to herself, or joining a Meuse care team, would open those patients to her.
    const role = (await json(gp, 'PractitionerRole?_id=role-collignon')).entry![0]!.resource;
    expect((await req(secretary, 'PUT', 'PractitionerRole/role-collignon', { ...role, practitioner: { reference: 'Practitioner/staff-labeyrie' } })).status).toBe(403);
    const team = (await json(gp, `CareTeam/ct-${others[0]}`)) as Json & { participant: unknown[] };
    expect((await req(secretary, 'PUT', `CareTeam/ct-${others[0]}`, { ...team, participant: [...team.participant, { member: { reference: SECRETARY_ROLE } }] })).status).toBe(404);
    expect((await req(secretary, 'POST', 'CareTeam', { resourceType: 'CareTeam', status: 'active', subject: { reference: `Patient/${others[0]}` }, participant: [{ member: { reference: SECRETARY_ROLE } }] })).status).toBe(403);
    expect((await json(secretary, 'Patient?_count=100')).entry).toHaveLength(hers.length);
  });

  it('the nurse sees her own care teams; the GP keeps prescriptions, total and every patient', async () => {
    const nurses = await json(nurse, 'Patient?_count=100');
    const lamothe = (await json(gp, 'CareTeam?participant=PractitionerRole/role-lamothe&_count=100')).entry!.map((e) => (e.resource.subject as { reference: string }).reference.slice(8));
    expect(new Set(nurses.entry!.map((e) => e.resource.id))).toEqual(new Set(lamothe));
    expect(lamothe.length).toBeLessThan(24);
    expect((await json(gp, `MedicationRequest?subject=Patient/${others[0]}`)).entry!.length).toBeGreaterThan(0);
  });
});
